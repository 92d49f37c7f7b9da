# Other-namespace branch (KB3027942): the primary domain cannot be attached to the new AppID today, so
# another accepted domain becomes the account namespace. The ApplicationUri becomes
# FYDIBOHF25SPDLT.<namespace_domain>: Exchange Online and EVERY partner must update TargetApplicationUri.
# Safe to run again (rule 9): already set to this namespace and enabled is "already done".
# Errors: -ErrorAction Continue -ErrorVariable (second review N1), printed; the outcome is decided by
# re-reading the identifier, the error text only chooses the advice (N9).
$snsTrust = {{ trust_name }}
$snsDomain = {{ namespace_domain }}
$snsExpected = 'FYDIBOHF25SPDLT.' + $snsDomain
$snsNow = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable snsGetErr)
if ($snsGetErr -or $snsNow.Count -ne 1) { throw "Could not read the federated organization identifier: $($snsGetErr | Select-Object -First 1)" }
if ([string]$snsNow[0].AccountNamespace -eq $snsExpected -and $snsNow[0].Enabled -eq $true) {
    Write-Output "Already done: AccountNamespace is $snsExpected and federation is enabled."
}
elseif (-not [string]::IsNullOrWhiteSpace([string]$snsNow[0].AccountNamespace)) {
    throw "AccountNamespace is already '$($snsNow[0].AccountNamespace)'. Nothing was changed."
}
else {
    Set-FederatedOrganizationIdentifier -DelegationFederationTrust $snsTrust -AccountNamespace $snsDomain -Enabled $true -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable snsErr
    foreach ($snsError in $snsErr) { Write-Output "ERROR: $snsError" }
    $snsAfter = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable snsReadErr)
    if ($snsReadErr -or $snsAfter.Count -ne 1) { throw "Could not re-read the federated organization identifier after the change: $($snsReadErr | Select-Object -First 1). Run this step again to see the state." }
    if ([string]$snsAfter[0].AccountNamespace -ne $snsExpected -or $snsAfter[0].Enabled -ne $true) {
        $snsText = ($snsErr | Out-String)
        $snsAdvice = 'Read the ERROR lines above, fix the cause and run this step again.'
        if ($snsText -match 'MaxUriReached|Same URI cannot be attached') { $snsAdvice = 'MaxUriReached again (KB3027942): only waiting 24 hours helps.' }
        elseif ($snsText -match '1007') { $snsAdvice = '1007 AccessDenied is first of all a clock problem (KB3107293): check and fix time, then run this step again.' }
        elseif ($snsText -match 'Proof of domain ownership') { $snsAdvice = "The proof TXT record of $snsDomain is missing or wrong in public DNS (KB3068837): fix it, then run this step again." }
        throw "Set-FederatedOrganizationIdentifier did not take effect (AccountNamespace or Enabled is not as expected). $snsAdvice"
    }
    if ($snsErr) { Write-Output 'Note: Set-FederatedOrganizationIdentifier reported the error(s) above, but the identifier is set.' }
    Write-Output "Set: AccountNamespace is $snsExpected. THE NAMESPACE CHANGED: every partner and Exchange Online must update TargetApplicationUri."
}
