# Other-namespace branch (KB3027942): the primary domain cannot be attached to the new AppID today, so
# another accepted domain becomes the account namespace. The ApplicationUri becomes
# FYDIBOHF25SPDLT.<namespace_domain>: Exchange Online and EVERY partner must update TargetApplicationUri.
# Safe to run again (rule 9): already set to this namespace and enabled is "already done".
$snsTrust = {{ trust_name }}
$snsDomain = {{ namespace_domain }}
$snsExpected = 'FYDIBOHF25SPDLT.' + $snsDomain
$snsNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable snsGetErr)
if ($snsGetErr -or $snsNow.Count -ne 1) { throw "Could not read the federated organization identifier: $($snsGetErr | Select-Object -First 1)" }
if ([string]$snsNow[0].AccountNamespace -eq $snsExpected -and $snsNow[0].Enabled -eq $true) {
    Write-Output "Already done: AccountNamespace is $snsExpected and federation is enabled."
}
elseif (-not [string]::IsNullOrWhiteSpace([string]$snsNow[0].AccountNamespace)) {
    throw "AccountNamespace is already '$($snsNow[0].AccountNamespace)'. Nothing was changed."
}
else {
    Set-FederatedOrganizationIdentifier -DelegationFederationTrust $snsTrust -AccountNamespace $snsDomain -Enabled $true -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable snsErr
    foreach ($snsError in $snsErr) { Write-Output "ERROR: $snsError" }
    $snsAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable snsReadErr)
    if ($snsReadErr -or $snsAfter.Count -ne 1 -or [string]$snsAfter[0].AccountNamespace -ne $snsExpected -or $snsAfter[0].Enabled -ne $true) {
        throw 'Set-FederatedOrganizationIdentifier did not take effect (see ERROR above). MaxUriReached again: only waiting 24 hours helps (KB3027942).'
    }
    Write-Output "Set: AccountNamespace is $snsExpected. THE NAMESPACE CHANGED: every partner and Exchange Online must update TargetApplicationUri."
}
