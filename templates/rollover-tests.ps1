# After C5 (EX13-RENEW "How do you know this worked?", CSS-FBC TestFedTrust): the trust uses the new
# certificate and issues tokens. PASS only on positive evidence: the trust read back, a
# Test-FederationTrustCertificate row for the new thumbprint (all Installed), and a second
# Test-FederationTrust run with at least one Success row, no Error row and no cmdlet error.
$testProblems = @()

Write-Output '--- Get-FederationTrust: current and previous certificate ---'
$testTrust = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable testTrustErr)
if ($testTrustErr) { $testProblems += ('Get-FederationTrust failed: {0}' -f @($testTrustErr)[0]) }
if ($testTrust.Count -ne 1) {
    $testProblems += "Expected one federation trust named as captured, found $($testTrust.Count)."
}
else {
    $testTrust[0] | Format-List OrgPrivCertificate,OrgNextPrivCertificate,OrgPrevPrivCertificate
    if ([string]$testTrust[0].OrgPrivCertificate -ne {{ new_thumbprint }}) {
        $testProblems += 'OrgPrivCertificate is not the new certificate: the publish did not take effect.'
    }
    if ([string]$testTrust[0].OrgPrevPrivCertificate -ne {{ current_thumbprint }}) {
        $testProblems += 'OrgPrevPrivCertificate is not the old certificate.'
    }
    if ($testTrust[0].OrgCertificate) {
        Write-Output ('Current certificate valid until {0}' -f $testTrust[0].OrgCertificate.NotAfter)
    }
}

Write-Output '--- Test-FederationTrustCertificate (the new certificate must be Installed everywhere) ---'
$testCertRows = @(Test-FederationTrustCertificate -DomainController {{ dc_fqdn }} -ErrorVariable testCertErr)
$testCertRows | Format-Table -AutoSize Site,State,Thumbprint
if ($testCertErr) { $testProblems += ('Test-FederationTrustCertificate failed: {0}' -f @($testCertErr)[0]) }
$testCertNew = @($testCertRows | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} })
if ($testCertNew.Count -eq 0) { $testProblems += 'Test-FederationTrustCertificate does not list the new certificate.' }
foreach ($testRow in $testCertNew) {
    if ([string]$testRow.State -ne 'Installed') {
        $testProblems += "The new certificate is '$($testRow.State)' in site $($testRow.Site)."
    }
}

Write-Output '--- Test-FederationTrust, first run (ignored: it often fails once) ---'
Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable ignoredErr | Format-Table -AutoSize Id,Type,Message
Write-Output '--- Test-FederationTrust, second run (this one counts) ---'
$testTrustRows = @(Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorVariable testRunErr)
$testTrustRows | Format-Table -AutoSize Id,Type,Message
if ($testRunErr) { $testProblems += ('Test-FederationTrust failed: {0}' -f @($testRunErr)[0]) }
if ($testTrustRows.Count -eq 0) { $testProblems += 'Test-FederationTrust returned nothing.' }
foreach ($testRow in $testTrustRows) {
    if ([string]$testRow.Type -eq 'Error') {
        $testProblems += ('Test-FederationTrust {0}: {1}' -f $testRow.Id, $testRow.Message)
    }
}
if ($testTrustRows.Count -gt 0 -and @($testTrustRows | Where-Object { [string]$_.Type -eq 'Success' }).Count -eq 0) {
    $testProblems += 'Test-FederationTrust reported no Success row.'
}

if ($testProblems.Count -gt 0) {
    foreach ($testProblem in $testProblems) { Write-Output "FAIL: $testProblem" }
    throw 'Federation tests failed. TokenValidation errors: Set-FederationTrust -Identity <trust> -RefreshMetadata, then test again; NotInstalled: wait for certificate distribution and test again.'
}
Write-Output 'PASS: the trust uses the new certificate, it is Installed everywhere, and the second Test-FederationTrust run has Success rows and no errors.'
