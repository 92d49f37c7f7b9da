# D11 (EX13-CONFIG): link the organization identifier to the new trust with the primary domain as the
# account namespace. Safe to run again (rule 9): already set to this namespace and enabled is "already
# done". Errors are collected (-ErrorAction SilentlyContinue -ErrorVariable, printed below) and the
# outcome is judged by re-reading the identifier, never by try/catch (change review M1).
$sfoiTrust = {{ trust_name }}
$sfoiDomain = {{ primary_domain }}
$sfoiExpected = 'FYDIBOHF25SPDLT.' + $sfoiDomain
$sfoiNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable sfoiGetErr)
if ($sfoiGetErr -or $sfoiNow.Count -ne 1) { throw "Could not read the federated organization identifier: $($sfoiGetErr | Select-Object -First 1)" }
$sfoiCurrent = [string]$sfoiNow[0].AccountNamespace
if ($sfoiCurrent -eq $sfoiExpected -and $sfoiNow[0].Enabled -eq $true) {
    Write-Output "Already done: AccountNamespace is $sfoiCurrent and federation is enabled."
}
elseif (-not [string]::IsNullOrWhiteSpace($sfoiCurrent) -and $sfoiCurrent -ne $sfoiExpected) {
    throw "AccountNamespace is already '$sfoiCurrent', not '$sfoiExpected' (the other-namespace branch was taken?). Nothing was changed; continue with add-additional-domains."
}
else {
    Set-FederatedOrganizationIdentifier -DelegationFederationTrust $sfoiTrust -AccountNamespace $sfoiDomain -Enabled $true -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable sfoiErr
    foreach ($sfoiError in $sfoiErr) { Write-Output "ERROR: $sfoiError" }
    $sfoiText = ($sfoiErr | Out-String)
    if ($sfoiText -match 'MaxUriReached|Same URI cannot be attached') {
        Write-Output '#################################################################################'
        Write-Output '# MAXURIREACHED: "Same URI cannot be attached to different AppId on a single day"'
        Write-Output '# (KB3027942). MFG refuses this namespace for up to 24 hours. Federation stays down.'
        Write-Output '# This is a handled outcome: choose the branch at organization-identifier-outcome.'
        Write-Output '#  - guided run: mark this step skipped with the reason "MaxUriReached";'
        Write-Output '#  - exported script: start it again with -StartAt organization-identifier-outcome.'
        Write-Output '#################################################################################'
        throw 'MaxUriReached (KB3027942): choose wait-and-retry or another account namespace at organization-identifier-outcome.'
    }
    if ($sfoiText -match '1007') { throw '1007 AccessDenied: the clock is off (KB3107293). Run check-time-skew again, fix time, then run this step again.' }
    if ($sfoiText -match 'Proof of domain ownership') { throw "Proof of domain ownership has failed (KB3068837): the TXT record of $sfoiDomain is missing or wrong in public DNS. Fix it, run wait-txt-primary, then run this step again." }
    if ($sfoiText -match 'Deleted Objects|wasn.t found') { throw 'Stale AD links (KB2995731): run ad-read-federation-objects and the cleanup, wait for replication, then run this step again.' }
    $sfoiAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable sfoiReadErr)
    if ($sfoiReadErr -or $sfoiAfter.Count -ne 1 -or [string]$sfoiAfter[0].AccountNamespace -ne $sfoiExpected -or $sfoiAfter[0].Enabled -ne $true) {
        throw 'Set-FederatedOrganizationIdentifier did not take effect (see ERROR above). Nothing else was changed.'
    }
    Write-Output "Set: AccountNamespace is $sfoiExpected and federation is enabled."
}
