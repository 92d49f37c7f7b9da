# Procedure A3 (EX13-RENEW, KB3215278): the federated domains and the account namespace, compared
# with the parameters this triage passes on to the next runbook. Read-only.
$triageExpected = @({{ primary_domain }}) + {{ additional_domains | ps_array }}
$triageNamespace = {{ "FYDIBOHF25SPDLT." ~ primary_domain }}
$triageOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable triageOrgIdErr)
if ($triageOrgIdErr) {
    throw ('Get-FederatedOrganizationIdentifier failed: {0}' -f @($triageOrgIdErr)[0])
}
if ($triageOrgId.Count -ne 1) {
    throw "Expected one federated organization identifier, found $($triageOrgId.Count)."
}
$triageOrgId[0] | Format-List AccountNamespace,Domains,Enabled
$triageActual = @($triageOrgId[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
Write-Output ('Expected: ' + ($triageExpected -join ', '))
Write-Output ('Federated: ' + ($triageActual -join ', '))
$triageFailures = @()
if ([string]$triageOrgId[0].AccountNamespace -ne $triageNamespace) {
    $triageFailures += "AccountNamespace is '$($triageOrgId[0].AccountNamespace)', expected '$triageNamespace': primary_domain must be the domain after FYDIBOHF25SPDLT."
}
if ($triageActual.Count -eq 0) {
    $triageFailures += 'No federated domains are listed.'
}
else {
    $triageDiff = @(Compare-Object -ReferenceObject $triageExpected -DifferenceObject $triageActual)
    if ($triageDiff.Count -gt 0) {
        Write-Output 'Differences (<= only in the parameters, => only in Exchange):'
        $triageDiff | Format-Table -AutoSize InputObject,SideIndicator
        $triageFailures += 'The federated domains differ from primary_domain + additional_domains.'
    }
}
if ($triageFailures.Count -gt 0) {
    foreach ($triageFailure in $triageFailures) { Write-Output "FAIL: $triageFailure" }
    throw 'The parameters do not describe this federation. Start the triage again with the correct primary_domain and additional_domains, so that the next runbook gets the right values.'
}
Write-Output 'PASS: the account namespace and the federated domains match primary_domain + additional_domains.'
