# C1/D7 verification (EX13-FED, EX13-RENEW), a PASS/FAIL gate like the rollover's: a trust built on a
# certificate without an exportable key or the Federation service can only be fixed by another
# remove-and-recreate (and every recreate counts against MaxUriReached, KB3027942).
$ncThumbprint = {{ new_thumbprint }}
$ncCert = @(Get-ExchangeCertificate -Thumbprint $ncThumbprint -DomainController {{ dc_fqdn }} -ErrorVariable ncErr)
$ncCert | Format-List Thumbprint,FriendlyName,Services,NotBefore,NotAfter,PrivateKeyExportable
$ncProblems = @()
if ($ncErr) { $ncProblems += "Get-ExchangeCertificate reported an error: $($ncErr[0])" }
if ($ncCert.Count -ne 1) { $ncProblems += "Expected exactly one certificate with thumbprint $ncThumbprint on this server, found $($ncCert.Count)." }
else {
    if ([string]$ncCert[0].Services -notmatch 'Federation') { $ncProblems += "Services is '$($ncCert[0].Services)': Federation is missing." }
    if ($ncCert[0].PrivateKeyExportable -ne $true) { $ncProblems += 'The private key is not exportable: Exchange cannot distribute it to the other servers.' }
    if ([datetime]$ncCert[0].NotAfter -le (Get-Date)) { $ncProblems += "NotAfter $($ncCert[0].NotAfter) is not in the future." }
}
if ($ncProblems.Count -gt 0) {
    foreach ($ncProblem in $ncProblems) { Write-Output "FAIL: $ncProblem" }
    throw 'The new federation certificate is not usable. Do not create the trust on it: create another certificate (run create-federation-certificate again after removing this one in EAC, or with a new friendly name); an unusable certificate is not reused by that step. RESUME AT: create-federation-certificate'
}
Write-Output ('PASS: one certificate, Services include Federation, private key exportable, valid until {0}.' -f $ncCert[0].NotAfter)
