# D12 (EX13-CONFIG): add one domain back to the federation. Safe to run again (rule 9): a domain that
# is already federated is "already done". Errors are collected and the outcome judged by re-reading.
$afdName = {{ domain }}
$afdNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable afdGetErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
if ($afdGetErr) { throw "Could not read the federated organization identifier: $($afdGetErr[0])" }
if ($afdNow -contains $afdName) {
    Write-Output "Already done: $afdName is federated."
}
else {
    Add-FederatedDomain -DomainName $afdName -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable afdErr
    foreach ($afdError in $afdErr) { Write-Output "ERROR: $afdError" }
    $afdAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable afdReadErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($afdReadErr -or $afdAfter -notcontains $afdName) {
        if (($afdErr | Out-String) -match 'MaxUriReached|Same URI cannot be attached') { throw "MaxUriReached for $afdName (KB3027942): wait 24 hours and run this step again." }
        throw "$afdName was not added (see ERROR above). Proof of domain ownership has failed: fix its TXT record (KB3068837) and run this step again."
    }
    Write-Output "Added: $afdName is federated."
}
