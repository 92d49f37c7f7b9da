# D13 (EX13-CONFIG, CSS-FBC): prove the new trust works end to end.
$testProblems = @()

Write-Output '--- Test-FederationTrustCertificate (every server must show Installed) ---'
$testCertRows = @(Test-FederationTrustCertificate)
$testCertRows | Format-Table -AutoSize Site,State,Thumbprint
foreach ($testRow in $testCertRows) {
    if ([string]$testRow.State -ne 'Installed') {
        $testProblems += "Certificate $($testRow.Thumbprint) is '$($testRow.State)' in site $($testRow.Site)."
    }
}
if ($testCertRows.Count -eq 0) { $testProblems += 'Test-FederationTrustCertificate returned nothing.' }

Write-Output '--- Test-FederationTrust, first run (ignored: it often fails once) ---'
Test-FederationTrust -UserIdentity {{ user_smtp }} | Format-Table -AutoSize Id,Type,Message
Write-Output '--- Test-FederationTrust, second run (this one counts) ---'
$testTrustRows = @(Test-FederationTrust -UserIdentity {{ user_smtp }})
$testTrustRows | Format-Table -AutoSize Id,Type,Message
foreach ($testRow in $testTrustRows) {
    if ([string]$testRow.Type -eq 'Error') {
        $testProblems += "Test-FederationTrust $($testRow.Id): $($testRow.Message)"
    }
}

Write-Output '--- Get-FederationInformation for the primary domain ---'
$testInfo = $null
try {
    $testInfo = Get-FederationInformation -DomainName {{ primary_domain }} -ErrorAction Stop
    $testInfo | Format-List
}
catch {
    $testProblems += "Get-FederationInformation failed: $($_.Exception.Message)"
}
if ($testInfo -and (@($testInfo.TokenIssuerUris | ForEach-Object { [string]$_ }) -notcontains 'urn:federation:MicrosoftOnline')) {
    $testProblems += 'Get-FederationInformation does not list urn:federation:MicrosoftOnline in TokenIssuerUris.'
}

if ($testProblems.Count -gt 0) {
    foreach ($testProblem in $testProblems) { Write-Output "FAIL: $testProblem" }
    throw 'Federation tests failed. TokenValidation errors: run Set-FederationTrust -RefreshMetadata and test again; NotInstalled: wait for certificate distribution and test again.'
}
Write-Output 'PASS: certificates Installed everywhere, no Test-FederationTrust errors, federation information resolves.'
