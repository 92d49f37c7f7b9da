# D13 (EX13-CONFIG, CSS-FBC): prove the new trust works end to end. Shared by the rebuild and the
# KB2995731 repair. Passes only on POSITIVE evidence (change review M2, domain reference 7.2):
# - Test-FederationTrustCertificate lists the new thumbprint, Installed in every row;
# - the second Test-FederationTrust run returns at least one row of Type Success and none of Type Error;
# - Get-FederationInformation returns an object whose TokenIssuerUris contain urn:federation:MicrosoftOnline
#   AND whose TargetApplicationUri is the new trust's ApplicationUri (read here from Get-FederationTrust
#   -Identity <trust_name>). It goes through Autodiscover: if Autodiscover for the domain points at
#   Exchange Online, EXO answers, and its answer also lists urn:federation:MicrosoftOnline (second
#   review N12), so the token issuer alone proves nothing about this trust.
#   Where Autodiscover for the primary domain LEGITIMATELY points to Exchange Online (third review
#   P7), this check cannot pass. The alternative evidence, which the override reason must cite:
#   Test-OrganizationRelationship run from the Exchange Online side (Exchange Online PowerShell,
#   the relationship that points to on-premises, with a cloud mailbox) without errors, and a
#   free/busy lookup in both directions (on-premises mailbox -> cloud mailbox and back) that shows
#   free/busy, not hash marks.
# Exchange cmdlets are implicit-remoting proxies in EMS: errors are read from -ErrorVariable and from
# what came back, never from try/catch (M1).
$testProblems = @()
$testNewThumbprint = {{ new_thumbprint }}

Write-Output '--- Test-FederationTrustCertificate (the new certificate must be Installed on every server) ---'
$testCertRows = @(Test-FederationTrustCertificate -DomainController {{ dc_fqdn }} -ErrorVariable testCertErr)
$testCertRows | Format-Table -AutoSize Site,State,Thumbprint
if ($testCertErr) { $testProblems += "Test-FederationTrustCertificate reported an error: $($testCertErr[0])" }
$testCertNew = @($testCertRows | Where-Object { [string]$_.Thumbprint -eq $testNewThumbprint })
if ($testCertNew.Count -eq 0) {
    $testProblems += "Test-FederationTrustCertificate does not list the new certificate $testNewThumbprint."
}
foreach ($testRow in $testCertNew) {
    if ([string]$testRow.State -ne 'Installed') {
        $testProblems += "The new certificate is '$($testRow.State)' in site $($testRow.Site) (wait for distribution)."
    }
}

Write-Output '--- Test-FederationTrust, first run (ignored: it often fails once, as in Microsoft''s FreeBusyChecker) ---'
Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable ignoredErr | Format-Table -AutoSize Id,Type,Message
Write-Output '--- Test-FederationTrust, second run (this one counts) ---'
$testTrustRows = @(Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorVariable testTrustErr)
$testTrustRows | Format-Table -AutoSize Id,Type,Message
if ($testTrustErr) { $testProblems += "Test-FederationTrust reported an error: $($testTrustErr[0])" }
$testTrustSuccess = @($testTrustRows | Where-Object { [string]$_.Type -eq 'Success' })
$testTrustErrors = @($testTrustRows | Where-Object { [string]$_.Type -eq 'Error' })
if ($testTrustRows.Count -eq 0) { $testProblems += 'Test-FederationTrust returned nothing (wrong mailbox, RBAC, or the cmdlet failed).' }
elseif ($testTrustSuccess.Count -eq 0) { $testProblems += 'Test-FederationTrust returned no row of Type Success.' }
foreach ($testRow in $testTrustErrors) {
    $testProblems += "Test-FederationTrust $($testRow.Id): $($testRow.Message)"
}

Write-Output '--- The new trust (Get-FederationTrust -Identity trust_name): its ApplicationUri ---'
$testTrustName = {{ trust_name }}
# Filtered by Name as well: a Get-* with an Identity that does not exist can return every object.
$testTrustObj = @(Get-FederationTrust -Identity $testTrustName -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable testTrustReadErr | Where-Object { [string]$_.Name -eq $testTrustName })
$testAppUri = ''
if ($testTrustReadErr) { $testProblems += "Get-FederationTrust -Identity '$testTrustName' reported an error: $($testTrustReadErr[0])" }
elseif ($testTrustObj.Count -ne 1) { $testProblems += "Expected exactly one federation trust named '$testTrustName', found $($testTrustObj.Count)." }
else {
    $testAppUri = [string]$testTrustObj[0].ApplicationUri
    if ([string]::IsNullOrWhiteSpace($testAppUri)) { $testProblems += "The trust '$testTrustName' has no ApplicationUri (is the organization identifier set?)." }
}
Write-Output "ApplicationUri of the trust '$testTrustName': $testAppUri"

Write-Output '--- Get-FederationInformation for the primary domain (through Autodiscover) ---'
$testInfo = @(Get-FederationInformation -DomainName {{ primary_domain }} -ErrorAction Continue -ErrorVariable testInfoErr)
$testInfo | Format-List
if ($testInfoErr) { $testProblems += "Get-FederationInformation reported an error: $($testInfoErr[0])" }
$testInfoAppUris = @($testInfo | ForEach-Object { if ($_.PSObject.Properties['TargetApplicationUri']) { [string]$_.TargetApplicationUri } } | Where-Object { $_ })
if ($testInfo.Count -eq 0) {
    $testProblems += 'Get-FederationInformation returned nothing.'
}
else {
    if (@($testInfo | ForEach-Object { if ($_.PSObject.Properties['TokenIssuerUris']) { $_.TokenIssuerUris } } | ForEach-Object { [string]$_ }) -notcontains 'urn:federation:MicrosoftOnline') {
        $testProblems += 'Get-FederationInformation does not list urn:federation:MicrosoftOnline in TokenIssuerUris.'
    }
    Write-Output ('Get-FederationInformation TargetApplicationUri: ' + ($testInfoAppUris -join ', '))
    if ([string]::IsNullOrWhiteSpace($testAppUri) -or $testInfoAppUris.Count -ne 1 -or $testInfoAppUris[0] -ne $testAppUri) {
        $testProblems += "Get-FederationInformation returned TargetApplicationUri '$($testInfoAppUris -join ', ')', not the new trust's ApplicationUri '$testAppUri'. If Autodiscover for {{ primary_domain }} points at Exchange Online, the answer came from EXO, not from this organization: check the Autodiscover DNS record and SCP. If it points to Exchange Online on purpose, this check cannot pass: override this gate only with a reason that cites the alternative evidence: Test-OrganizationRelationship run from the Exchange Online side (no errors) and a free/busy lookup in both directions (on-premises to cloud and cloud to on-premises) that shows free/busy."
    }
}

if ($testProblems.Count -gt 0) {
    foreach ($testProblem in $testProblems) { Write-Output "FAIL: $testProblem" }
    throw 'Federation tests failed. TokenValidation errors: run Set-FederationTrust -Identity <trust> -RefreshMetadata and test again; the new certificate not Installed: wait for certificate distribution and test again.'
}
Write-Output "PASS: the new certificate is Installed everywhere, the second Test-FederationTrust run has $($testTrustSuccess.Count) Success row(s) and no Error, and Get-FederationInformation lists urn:federation:MicrosoftOnline with TargetApplicationUri $testAppUri (the new trust's ApplicationUri)."
