# D4 (EX13-REMOVE, KB3215278): remove the trust that holds the expired certificate. -Identity is
# always given. The runbook's typed confirmation replaces PowerShell's prompt, so the command carries
# -Confirm:$false (change review M8). Safe to run again (rule 9): no trust with the captured name left
# is "already done". Get-FederationTrust is filtered by Name: a Get-* with an Identity that does not
# exist can return every object (domain reference 1.2).
$rftName = {{ trust_name }}
$rftBefore = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable rftGetErr | Where-Object { [string]$_.Name -eq $rftName })
if ($rftGetErr) { throw "Get-FederationTrust failed: $($rftGetErr[0])" }
if ($rftBefore.Count -eq 0) {
    Write-Output "Already done: no federation trust named '$rftName' exists."
}
else {
    Remove-FederationTrust -Identity $rftName -DomainController {{ dc_fqdn }} -Confirm:$false -ErrorAction Continue -ErrorVariable rftErr
    foreach ($rftError in $rftErr) { Write-Output "Reported: $rftError" }
    $rftAfter = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable rftReadErr | Where-Object { [string]$_.Name -eq $rftName })
    if ($rftReadErr) { throw "Could not re-read the federation trusts after the removal: $($rftReadErr[0])" }
    if ($rftAfter.Count -gt 0) {
        throw "The trust '$rftName' still exists. Do not retry in a loop: continue with ad-read-federation-objects (guided run: skip this step with the error as the reason); the KB2995731 cleanup deletes the trust object Remove-FederationTrust left behind. RESUME AT: ad-read-federation-objects"
    }
    Write-Output "Removed: the federation trust '$rftName' no longer exists."
}
