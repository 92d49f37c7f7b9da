# D11 (EX13-CONFIG): link the organization identifier to the new trust with the primary domain as the
# account namespace. Safe to run again (rule 9): already set to this namespace and enabled is "already
# done". Errors are collected with -ErrorAction Continue -ErrorVariable (SilentlyContinue would be
# applied remotely by implicit remoting and leave the variable empty, second review N1) and printed.
# The outcome is decided by re-reading the identifier, never by try/catch (change review M1) and never
# by the error text, which only chooses the advice and the step to resume at (N9).
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
    throw "AccountNamespace is already '$sfoiCurrent', not '$sfoiExpected' (the other-namespace branch was taken?). Nothing was changed; continue with add-primary-domain-back (it prints Already done if the primary domain is federated) and add-additional-domains. RESUME AT: add-primary-domain-back"
}
else {
    Set-FederatedOrganizationIdentifier -DelegationFederationTrust $sfoiTrust -AccountNamespace $sfoiDomain -Enabled $true -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable sfoiErr
    foreach ($sfoiError in $sfoiErr) { Write-Output "ERROR: $sfoiError" }
    # The outcome: re-read the identifier.
    $sfoiAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable sfoiReadErr)
    if ($sfoiReadErr -or $sfoiAfter.Count -ne 1) {
        throw "Could not re-read the federated organization identifier after the change: $($sfoiReadErr | Select-Object -First 1). Run this step again to see the state."
    }
    if ([string]$sfoiAfter[0].AccountNamespace -eq $sfoiExpected -and $sfoiAfter[0].Enabled -eq $true) {
        if ($sfoiErr) { Write-Output 'Note: Set-FederatedOrganizationIdentifier reported the error(s) above, but the identifier is set.' }
        Write-Output "Set: AccountNamespace is $sfoiExpected and federation is enabled."
    }
    else {
        # Not set. Which advice (and which step to resume at) follows from the error text.
        $sfoiText = ($sfoiErr | Out-String)
        if ($sfoiText -match 'MaxUriReached|Same URI cannot be attached') {
            Write-Output '#################################################################################'
            Write-Output '# MAXURIREACHED: "Same URI cannot be attached to different AppId on a single day"'
            Write-Output '# (KB3027942). MFG refuses this namespace for up to 24 hours. Federation stays down.'
            Write-Output '# This is a handled outcome: choose the branch at organization-identifier-outcome.'
            Write-Output '#  - guided run: mark this step skipped with the reason "MaxUriReached";'
            Write-Output '#  - exported script: it prints the -StartAt organization-identifier-outcome command.'
            Write-Output '#################################################################################'
            throw 'MaxUriReached (KB3027942): the account namespace was not set. Choose wait-and-retry or another account namespace at organization-identifier-outcome. RESUME AT: organization-identifier-outcome'
        }
        if ($sfoiText -match '1007') {
            throw '1007 AccessDenied: the account namespace was not set; 1007 is first of all a clock problem (KB3107293). Check and fix time; the run then continues through the already-done recreate steps to this step. RESUME AT: check-time-skew-before-recreate'
        }
        if ($sfoiText -match 'Proof of domain ownership') {
            throw "Proof of domain ownership has failed (KB3068837): the account namespace was not set; the TXT record of $sfoiDomain is missing or wrong in public DNS. Fix it; the run waits for it again and then runs this step. RESUME AT: wait-txt-primary"
        }
        if ($sfoiText -match 'Deleted Objects|DEL:') {
            throw 'Stale AD links to a deleted trust (KB2995731): the account namespace was not set. The new trust has to go again before the AD cleanup (its clean state has no trust object; removing it counts against the daily limit, KB3027942): remove-federation-trust (typed confirmation of the trust name), then the AD read, cleanup and replication wait, and the recreate steps (the certificate is reused). RESUME AT: remove-federation-trust'
        }
        throw 'Set-FederatedOrganizationIdentifier did not take effect (see ERROR above; the re-read shows another AccountNamespace or Enabled not True). Fix the cause and run this step again.'
    }
}
