# D2 (KB3215278, EX13-RENEW): remove one additional federated domain with -Force. The runbook's typed
# confirmation replaces PowerShell's prompt, so the command carries -Confirm:$false (change review M8).
# Safe to run again (rule 9): a domain that is no longer federated is "already done".
# With an expired certificate MFG refuses the release ("1007 AccessDenied ... couldn't be released");
# -Force removes the local configuration anyway, so errors are collected (-ErrorAction Continue
# -ErrorVariable: shown and collected; SilentlyContinue would be applied remotely by implicit remoting and
# leave the variable empty), printed below, and the outcome is judged by re-reading Domains.
$rfdName = {{ domain }}
$rfdBefore = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable rfdGetErr)
if ($rfdGetErr -or $rfdBefore.Count -ne 1) { throw "Could not read the federated organization identifier: $($rfdGetErr | Select-Object -First 1)" }
$rfdDomains = @($rfdBefore[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
if ($rfdDomains -notcontains $rfdName) {
    Write-Output "Already done: $rfdName is not federated; nothing to remove."
}
else {
    Remove-FederatedDomain -DomainName $rfdName -Force -DomainController {{ dc_fqdn }} -Confirm:$false -ErrorAction Continue -ErrorVariable rfdErr
    foreach ($rfdError in $rfdErr) { Write-Output "Reported: $rfdError" }
    $rfdAfterOrg = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable rfdReadErr)
    if ($rfdReadErr -or $rfdAfterOrg.Count -ne 1) { throw 'Could not re-read the federated organization identifier after the removal; run this step again to see the state.' }
    $rfdAfter = @($rfdAfterOrg | ForEach-Object { $_.Domains } | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
    if ($rfdAfter -contains $rfdName) {
        throw "$rfdName is still federated after Remove-FederatedDomain -Force. Read the errors above; nothing else was changed."
    }
    if ($rfdErr) { Write-Output "Removed locally: MFG's refusal above is expected with an expired certificate (KB3215278)." }
    Write-Output "Removed: $rfdName is no longer federated."
}
