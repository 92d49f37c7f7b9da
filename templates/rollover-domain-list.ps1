# A3 (EX13-RENEW): every federated domain needs a new proof TXT record for the new certificate,
# so the list the runbook works through must be exactly the list Exchange federates.
$domainsExpected = {{ federated_domains | ps_array }}
$domainsOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable domainsOrgIdErr)
if ($domainsOrgIdErr) {
    throw ('Get-FederatedOrganizationIdentifier failed: {0}' -f @($domainsOrgIdErr)[0])
}
if ($domainsOrgId.Count -ne 1) {
    throw "Expected one federated organization identifier, found $($domainsOrgId.Count)."
}
# -IncludeExtendedDomainInfo asks MFG for each domain's state; it is informative only, so a failure
# is reported and the plain values are shown instead. -ErrorAction Continue (not SilentlyContinue, which
# would suppress the error on the server under implicit remoting and leave the variable empty).
$domainsExtended = @(Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable domainsExtendedErr)
if ($domainsExtendedErr -or $domainsExtended.Count -ne 1) {
    if ($domainsExtendedErr) {
        Write-Warning ('Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo failed: {0}' -f @($domainsExtendedErr)[0])
    }
    $domainsOrgId[0] | Format-List AccountNamespace,Domains,Enabled
}
else {
    $domainsExtended[0] | Format-List AccountNamespace,Domains,Enabled,DelegationTrustLink
}
$domainsActual = @($domainsOrgId[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
Write-Output ('Expected:  ' + ($domainsExpected -join ', '))
Write-Output ('Federated: ' + ($domainsActual -join ', '))
if ($domainsActual.Count -eq 0) {
    throw 'No federated domains are listed. There is nothing to roll over; investigate the federation configuration first.'
}
$domainsDiff = @(Compare-Object -ReferenceObject $domainsExpected -DifferenceObject $domainsActual)
if ($domainsDiff.Count -gt 0) {
    Write-Output 'Differences (<= only in the runbook parameter, => only in Exchange):'
    $domainsDiff | Format-Table -AutoSize InputObject,SideIndicator
    throw 'The federated domains differ from federated_domains. Restart the run with the exact list, or a domain would keep a proof for the old certificate only.'
}
Write-Output 'PASS: the federated domains match federated_domains.'
