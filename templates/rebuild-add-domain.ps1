# D12 (EX13-CONFIG): add one domain back to the federation. Safe to run again (rule 9): a domain that
# is already federated is "already done". Errors are collected with -ErrorAction Continue
# -ErrorVariable (SilentlyContinue would be applied remotely and leave the variable empty, second
# review N1) and printed as they are; the outcome is decided by re-reading Domains, and the error text
# only chooses which advice is printed (N9).
$afdName = {{ domain }}
$afdNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable afdGetErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
if ($afdGetErr) { throw "Could not read the federated organization identifier: $($afdGetErr[0])" }
if ($afdNow -contains $afdName) {
    Write-Output "Already done: $afdName is federated."
}
else {
    Add-FederatedDomain -DomainName $afdName -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable afdErr
    foreach ($afdError in $afdErr) { Write-Output "ERROR: $afdError" }
    $afdAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable afdReadErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($afdReadErr) { throw "Could not re-read the federated organization identifier after Add-FederatedDomain: $($afdReadErr[0]). Run this step again to see the state." }
    if ($afdAfter -notcontains $afdName) {
        $afdText = ($afdErr | Out-String)
        $afdAdvice = 'Read the ERROR lines above, fix the cause and run this step again.'
        if ($afdText -match 'MaxUriReached|Same URI cannot be attached') { $afdAdvice = 'MaxUriReached (KB3027942): wait 24 hours from the first refusal and run this step again.' }
        elseif ($afdText -match '1007') { $afdAdvice = '1007 AccessDenied is first of all a clock problem (KB3107293): check and fix time, then run this step again.' }
        elseif ($afdText -match 'Proof of domain ownership') { $afdAdvice = "The proof TXT record of $afdName is missing or wrong in public DNS (KB3068837): fix it, check it with wait-txt-additional, then run this step again." }
        elseif ($afdText -match 'accepted domain') { $afdAdvice = "$afdName must be an accepted domain of this organization (Get-AcceptedDomain)." }
        elseif (-not $afdErr) { $afdAdvice = 'Add-FederatedDomain reported no error, but the domain is not in Domains: run this step again to re-read the state.' }
        throw "$afdName was not added: it is not in Domains after Add-FederatedDomain. $afdAdvice"
    }
    if ($afdErr) { Write-Output 'Note: Add-FederatedDomain reported the error(s) above, but the domain is federated.' }
    Write-Output "Added: $afdName is federated."
}
