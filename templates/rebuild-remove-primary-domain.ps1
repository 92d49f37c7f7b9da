# D3 (KB3215278): remove the primary (AccountNamespace) domain LAST, with -Force. The runbook's typed
# confirmation replaces PowerShell's prompt, so the command carries -Confirm:$false (change review M8).
# Safe to run again (rule 9): when no domain is federated any more this is "already done".
$rpdName = {{ primary_domain }}
$rpdBefore = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable rpdGetErr)
if ($rpdGetErr -or $rpdBefore.Count -ne 1) { throw "Could not read the federated organization identifier: $($rpdGetErr | Select-Object -First 1)" }
$rpdDomains = @($rpdBefore[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
$rpdOthers = @($rpdDomains | Where-Object { $_ -ne $rpdName })
if ($rpdOthers.Count -gt 0) {
    throw ('Other domains are still federated (' + ($rpdOthers -join ', ') + '): the primary domain must be removed last. Run remove-additional-domains first. Nothing was changed. RESUME AT: remove-additional-domains')
}
if ($rpdDomains -notcontains $rpdName) {
    Write-Output "Already done: $rpdName is not federated; no federated domain is left."
}
else {
    Remove-FederatedDomain -DomainName $rpdName -Force -DomainController {{ dc_fqdn }} -Confirm:$false -ErrorAction Continue -ErrorVariable rpdErr
    foreach ($rpdError in $rpdErr) { Write-Output "Reported: $rpdError" }
    $rpdAfterOrg = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable rpdReadErr)
    if ($rpdReadErr -or $rpdAfterOrg.Count -ne 1) { throw 'Could not re-read the federated organization identifier after the removal; run this step again to see the state.' }
    $rpdAfter = @($rpdAfterOrg | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($rpdAfter.Count -gt 0) {
        throw ('Still federated after Remove-FederatedDomain -Force: ' + ($rpdAfter -join ', ') + '. Read the errors above.')
    }
    if ($rpdErr) { Write-Output "Removed locally: MFG's refusal above is expected with an expired certificate (KB3215278)." }
    Write-Output "Removed: $rpdName was the last federated domain."
}
