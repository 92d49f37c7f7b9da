# The account namespace before the change, for the notices and the record. The new trust uses
# FYDIBOHF25SPDLT.<primary_domain>; if the old one was different, Exchange Online and partners
# must change their TargetApplicationUri. Only the value is written to the output: it becomes
# the captured value ("(none)" when the namespace is already empty, as after an earlier
# incomplete removal). Failures: -ErrorVariable, never try/catch (M1).
$nsOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable nsReadErr)
if ($nsReadErr -or $nsOrgId.Count -ne 1) {
    throw ("Could not read the federated organization identifier (found $($nsOrgId.Count)). " + (($nsReadErr | ForEach-Object { [string]$_ }) -join ' | '))
}
$nsValue = ([string]$nsOrgId[0].AccountNamespace).Trim()
if ([string]::IsNullOrWhiteSpace($nsValue)) {
    Write-Host 'AccountNamespace is empty (an earlier removal already cleared it): the old namespace is unknown.'
    $nsValue = '(none)'
}
else {
    Write-Host ('AccountNamespace before the change: {0}' -f $nsValue)
}
$nsValue
