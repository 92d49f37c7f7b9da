# A3/D1 (EX13-RENEW): the federated domains must be exactly the primary domain plus the
# additional domains given to this runbook, otherwise some would be left behind or lost.
$domainsExpected = @({{ primary_domain }}) + {{ additional_domains | ps_array }}
$domainsOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable domainsOrgIdErr)
if ($domainsOrgIdErr) { throw "Get-FederatedOrganizationIdentifier failed: $($domainsOrgIdErr[0])" }
if ($domainsOrgId.Count -ne 1) {
    throw "Expected one federated organization identifier, found $($domainsOrgId.Count)."
}
$domainsOrgId[0] | Format-List AccountNamespace,Domains,Enabled
$domainsActual = @($domainsOrgId[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
Write-Output ('Expected: ' + ($domainsExpected -join ', '))
Write-Output ('Federated: ' + ($domainsActual -join ', '))
if ($domainsActual.Count -eq 0) {
    throw 'No federated domains are listed. Work out what is federated before removing anything.'
}
$domainsDiff = @(Compare-Object -ReferenceObject $domainsExpected -DifferenceObject $domainsActual)
if ($domainsDiff.Count -gt 0) {
    Write-Output 'Differences (<= only in the runbook parameters, => only in Exchange):'
    $domainsDiff | Format-Table -AutoSize InputObject,SideIndicator
    throw 'The federated domains differ from primary_domain + additional_domains. Restart the run with the correct parameters.'
}
Write-Output 'PASS: the federated domains match primary_domain + additional_domains.'
