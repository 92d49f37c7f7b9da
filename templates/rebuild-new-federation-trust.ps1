# D8 (EX13-CONFIG): create the trust from the new certificate, under the name the old trust had.
# No -UseLegacyProvisioningService: the legacy/consumer instance is retired (domain reference 1.2).
# Safe to run again (rule 9): a trust with this name that already uses the new certificate is
# "already done"; a trust with this name and another certificate is a FAIL (nothing is changed).
# Exchange cmdlets: -ErrorAction Continue -ErrorVariable (SilentlyContinue would be applied remotely
# and leave the variable empty, second review N1); the outcome is decided by re-reading the trust,
# the error text only chooses the advice (N9). Never try/catch (change review M1).
$nftName = {{ trust_name }}
$nftThumbprint = {{ new_thumbprint }}
$nftExisting = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable nftGetErr | Where-Object { [string]$_.Name -eq $nftName })
if ($nftGetErr) { throw "Get-FederationTrust failed, so it is unknown whether the trust already exists: $($nftGetErr[0]). Nothing was created." }
if ($nftExisting.Count -gt 0) {
    if ([string]$nftExisting[0].OrgPrivCertificate -eq $nftThumbprint) {
        Write-Output "Already done: the trust '$nftName' exists and uses the new certificate $nftThumbprint."
    }
    else {
        throw "A trust named '$nftName' already exists with certificate '$($nftExisting[0].OrgPrivCertificate)', not the new one. Nothing was changed; investigate (see the rollback of this step)."
    }
}
else {
    # The certificate is looked up first: an empty or wrong thumbprint must never reach New-FederationTrust.
    $nftCert = @(Get-ExchangeCertificate -Thumbprint $nftThumbprint -DomainController {{ dc_fqdn }} -ErrorVariable nftCertErr)
    if ($nftCertErr -or $nftCert.Count -ne 1) {
        throw "Expected exactly one certificate with the new thumbprint on this server, found $($nftCert.Count). Nothing was created."
    }
    New-FederationTrust -Name $nftName -Thumbprint $nftThumbprint -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable nftNewErr
    foreach ($nftError in $nftNewErr) { Write-Output "ERROR: $nftError" }
    # The outcome: re-read the trust.
    $nftAfter = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable nftReadErr | Where-Object { [string]$_.Name -eq $nftName })
    if ($nftReadErr) { throw "Could not re-read the federation trusts after New-FederationTrust: $($nftReadErr[0]). Run this step again to see the state (an existing trust with the new certificate is 'Already done')." }
    if ($nftAfter.Count -eq 1 -and [string]$nftAfter[0].OrgPrivCertificate -eq $nftThumbprint) {
        if ($nftNewErr) { Write-Output 'Note: New-FederationTrust reported the error(s) above, but the trust exists and uses the new certificate.' }
        Write-Output "Created: the trust '$nftName' uses the new certificate $nftThumbprint."
    }
    else {
        # Not created. The error text (not localized for these markers) only chooses the advice.
        $nftText = ($nftNewErr | Out-String)
        if ($nftText -match 'MaxUriReached|Same URI cannot be attached') {
            throw 'The trust was not created: MaxUriReached (KB3027942), too many attempts today. Wait 24 hours from this error and run this step again; do not remove and recreate trusts in between.'
        }
        if ($nftText -match '1007') {
            throw 'The trust was not created: 1007 AccessDenied is first of all a clock problem (KB3107293). Check and fix time, then the run continues to this step again (the certificate steps before it are safe to run again). RESUME AT: check-time-skew-before-recreate'
        }
        throw 'The trust was not created (see ERROR above; nothing came back from the re-read with the new certificate). Fix the cause and run this step again.'
    }
}
