# M5/K6 (CM-OR; CSS-FBC TestOrgRel): Test-OrganizationRelationship checks, for every enabled
# organization relationship, that the configuration on both sides allows free/busy (it requests a
# delegation token for user_smtp). It does not look up free/busy itself (Test-OrganizationRelationship
# reference). Positive evidence only: a relationship passes with "No Significant Issues to Report"
# or at least one "RESULT: Success" line, and no RESULT line other than Success (RESULT: Error,
# Unable ...). Exchange cmdlets: -ErrorVariable, never try/catch (M1); pinned (K7).
# Language (third review P6): this judgement reads the ENGLISH output text of an English server UI,
# as Microsoft's CSS-Exchange FreeBusyChecker does. On a server with a localized UI the English texts
# do not appear and the check FAILS: the operator reads the output and overrides the gate with the
# reason and the output as evidence. The result type (TestOrganizationRelationshipResult, Exchange
# Server API reference) documents only Id, Status (a String) and Description, with no documented
# values, so there is no language-independent property to judge by; none is invented here.
$orRels = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable orReadErr)
if ($orReadErr) {
    throw ('Get-OrganizationRelationship failed: ' + (($orReadErr | ForEach-Object { [string]$_ }) -join ' | '))
}
$orRels | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,Enabled,FreeBusyAccessEnabled,FreeBusyAccessLevel
$orEnabled = @($orRels | Where-Object { $_.Enabled -eq $true })
$orPassed = @()
$orFailed = @()
foreach ($orRel in $orEnabled) {
    $orName = [string]$orRel.Name
    $orKind = $(if ([string]$orRel.TargetApplicationUri -eq 'outlook.com') { 'Exchange Online' } else { 'partner' })
    Write-Output "--- Test-OrganizationRelationship -Identity '$orName' ($orKind) ---"
    $orLines = @(Test-OrganizationRelationship -Identity $orName -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable orTestErr | ForEach-Object { [string]$_ })
    $orLines
    $orErrors = @($orLines | Where-Object { $_ -match 'RESULT:' -and $_ -notmatch 'RESULT:\s*Success' })
    $orSuccess = @($orLines | Where-Object { $_ -match 'RESULT:\s*Success|No Significant Issues to Report' })
    if ($orTestErr) {
        $orFailed += "$orName ($orKind): " + (($orTestErr | ForEach-Object { [string]$_ }) -join ' | ')
    }
    elseif ($orErrors.Count -gt 0) {
        $orFailed += "$orName ($orKind): $($orErrors.Count) RESULT line(s) other than Success"
    }
    elseif ($orSuccess.Count -eq 0) {
        $orFailed += "$orName ($orKind): neither 'No Significant Issues to Report' nor a 'RESULT: Success' line, so no evidence that it works"
    }
    else {
        $orPassed += "$orName ($orKind)"
    }
}
if ($orEnabled.Count -eq 0) {
    Write-Output 'NO RELATIONSHIP: there is no enabled organization relationship, so there is nothing to test on this side.'
}
elseif ($orFailed.Count -eq 0) {
    Write-Output ('PASS: Test-OrganizationRelationship succeeded for ' + ($orPassed -join ', ') + '.')
}
else {
    foreach ($orFail in $orFailed) { Write-Output "FAIL: $orFail" }
    Write-Output ("RESULT: FAIL - $($orFailed.Count) of $($orEnabled.Count) relationship(s) did not pass.")
}
