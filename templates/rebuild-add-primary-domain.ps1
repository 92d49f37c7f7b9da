# Other-namespace branch: the primary domain is added back as an ordinary federated domain, so that
# its users get delegation tokens again. MFG may refuse it with MaxUriReached until 24 hours after the
# first refusal (KB3027942); then run this step again later. Safe to run again (rule 9).
$apdName = {{ primary_domain }}
$apdNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable apdGetErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
if ($apdGetErr) { throw "Could not read the federated organization identifier: $($apdGetErr[0])" }
if ($apdNow -contains $apdName) {
    Write-Output "Already done: $apdName is federated."
}
else {
    Add-FederatedDomain -DomainName $apdName -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable apdErr
    foreach ($apdError in $apdErr) { Write-Output "ERROR: $apdError" }
    $apdAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable apdReadErr | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($apdReadErr -or $apdAfter -notcontains $apdName) {
        if (($apdErr | Out-String) -match 'MaxUriReached|Same URI cannot be attached') {
            throw "MaxUriReached for $apdName (KB3027942): run this step again 24 hours after the first MaxUriReached. Until then users in $apdName have no delegation tokens; the other domains can be added now (guided run: skip this step with the reason; exported script: -StartAt add-additional-domains, and this step again later)."
        }
        throw "$apdName was not added (see ERROR above)."
    }
    Write-Output "Added: $apdName is federated."
}
