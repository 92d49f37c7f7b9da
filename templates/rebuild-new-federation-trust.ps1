# D8 (EX13-CONFIG): create the trust from the new certificate, under the name the old trust had.
# No -UseLegacyProvisioningService: the legacy/consumer instance is retired (domain reference 1.2).
# Safe to run again (rule 9): a trust with this name that already uses the new certificate is
# "already done"; a trust with this name and another certificate is a FAIL (nothing is changed).
# Exchange cmdlets: -ErrorVariable and a re-read decide, never try/catch (change review M1).
$nftName = {{ trust_name }}
$nftThumbprint = {{ new_thumbprint }}
$nftExisting = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable nftGetErr | Where-Object { [string]$_.Name -eq $nftName })
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
    New-FederationTrust -Name $nftName -Thumbprint $nftThumbprint -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable nftNewErr
    if ($nftNewErr) {
        foreach ($nftError in $nftNewErr) { Write-Output "ERROR: $nftError" }
        if (($nftNewErr | Out-String) -match 'MaxUriReached|Same URI cannot be attached') {
            throw 'MaxUriReached (KB3027942): too many attempts today. Wait 24 hours from this error and run this step again; do not remove and recreate trusts in between.'
        }
        throw 'New-FederationTrust failed (see ERROR above). 1007 AccessDenied: check time (check-time-skew) and run this step again.'
    }
}
