# Other-namespace branch: the primary domain is added back as an ordinary federated domain, so that
# its users get delegation tokens again. MFG may refuse it with MaxUriReached until 24 hours after the
# first refusal (KB3027942); then run this step again later. Safe to run again (rule 9).
# Errors: -ErrorAction Continue -ErrorVariable (second review N1), printed as they are; the outcome is
# decided by re-reading Domains, the error text only chooses the advice (N9).
$apdName = {{ primary_domain }}
$apdNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable apdGetErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
if ($apdGetErr) { throw "Could not read the federated organization identifier: $($apdGetErr[0])" }
if ($apdNow -contains $apdName) {
    Write-Output "Already done: $apdName is federated."
}
else {
    Add-FederatedDomain -DomainName $apdName -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable apdErr
    foreach ($apdError in $apdErr) { Write-Output "ERROR: $apdError" }
    $apdAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable apdReadErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($apdReadErr) { throw "Could not re-read the federated organization identifier after Add-FederatedDomain: $($apdReadErr[0]). Run this step again to see the state." }
    if ($apdAfter -notcontains $apdName) {
        $apdText = ($apdErr | Out-String)
        if ($apdText -match 'MaxUriReached|Same URI cannot be attached') {
            throw "$apdName was not added: MaxUriReached (KB3027942). Run this step again 24 hours after the first MaxUriReached (exported script: -StartAt add-primary-domain-back). Until then users in $apdName have no delegation tokens; the other domains can be added now (guided run: skip this step with the reason). RESUME AT: add-additional-domains"
        }
        $apdAdvice = 'Read the ERROR lines above, fix the cause and run this step again.'
        if ($apdText -match '1007') { $apdAdvice = '1007 AccessDenied is first of all a clock problem (KB3107293): check and fix time, then run this step again.' }
        elseif ($apdText -match 'Proof of domain ownership') { $apdAdvice = "The proof TXT record of $apdName is missing or wrong in public DNS (KB3068837): fix it, check it with wait-txt-primary, then run this step again." }
        elseif (-not $apdErr) { $apdAdvice = 'Add-FederatedDomain reported no error, but the domain is not in Domains: run this step again to re-read the state.' }
        throw "$apdName was not added: it is not in Domains after Add-FederatedDomain. $apdAdvice"
    }
    if ($apdErr) { Write-Output 'Note: Add-FederatedDomain reported the error(s) above, but the domain is federated.' }
    Write-Output "Added: $apdName is federated."
}
