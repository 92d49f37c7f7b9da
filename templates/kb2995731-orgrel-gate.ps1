# The gate after the wizard: the same test as kb2995731-orgrel-test.ps1 (kept in step with it; own
# variable names, since all templates share one script scope), but here a FAIL stops the run.
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
$ogRels = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable ogReadErr)
if ($ogReadErr) {
    throw ('Get-OrganizationRelationship failed: ' + (($ogReadErr | ForEach-Object { [string]$_ }) -join ' | '))
}
$ogRels | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,Enabled,FreeBusyAccessEnabled,FreeBusyAccessLevel
$ogEnabled = @($ogRels | Where-Object { $_.Enabled -eq $true })
$ogPassed = @()
$ogFailed = @()
foreach ($ogRel in $ogEnabled) {
    $ogName = [string]$ogRel.Name
    $ogKind = $(if ([string]$ogRel.TargetApplicationUri -eq 'outlook.com') { 'Exchange Online' } else { 'partner' })
    Write-Output "--- Test-OrganizationRelationship -Identity '$ogName' ($ogKind) ---"
    $ogLines = @(Test-OrganizationRelationship -Identity $ogName -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable ogTestErr | ForEach-Object { [string]$_ })
    $ogLines
    $ogErrors = @($ogLines | Where-Object { $_ -match 'RESULT:' -and $_ -notmatch 'RESULT:\s*Success' })
    $ogSuccess = @($ogLines | Where-Object { $_ -match 'RESULT:\s*Success|No Significant Issues to Report' })
    if ($ogTestErr) {
        $ogFailed += "$ogName ($ogKind): " + (($ogTestErr | ForEach-Object { [string]$_ }) -join ' | ')
    }
    elseif ($ogErrors.Count -gt 0) {
        $ogFailed += "$ogName ($ogKind): $($ogErrors.Count) RESULT line(s) other than Success"
    }
    elseif ($ogSuccess.Count -eq 0) {
        $ogFailed += "$ogName ($ogKind): neither 'No Significant Issues to Report' nor a 'RESULT: Success' line, so no evidence that it works"
    }
    else {
        $ogPassed += "$ogName ($ogKind)"
    }
}
if ($ogEnabled.Count -eq 0) {
    Write-Output 'NO RELATIONSHIP: there is no enabled organization relationship, so there is nothing to test on this side.'
}
elseif ($ogFailed.Count -eq 0) {
    Write-Output ('PASS: Test-OrganizationRelationship succeeded for ' + ($ogPassed -join ', ') + '.')
}
else {
    foreach ($ogFail in $ogFailed) { Write-Output "FAIL: $ogFail" }
    Write-Output ("RESULT: FAIL - $($ogFailed.Count) of $($ogEnabled.Count) relationship(s) did not pass.")
}
# Here the result decides: the run is for hybrids, so no enabled relationship is a FAIL, as is any
# relationship that did not pass (override only with the reason recorded, e.g. a partner that still
# has to update its side).
if ($ogEnabled.Count -eq 0) {
    throw 'FAIL: no enabled organization relationship after the wizard. This runbook is for a hybrid: the wizard should have created (or enabled) the Exchange Online relationship. Check the wizard log and run the wizard again. (If free/busy with Exchange Online uses OAuth through an enabled IntraOrganizationConnector and the relationship is disabled on purpose, override this gate with that reason.)'
}
if ($ogFailed.Count -gt 0) {
    throw ("FAIL: Test-OrganizationRelationship did not pass for $($ogFailed.Count) of $($ogEnabled.Count) relationship(s): " + ($ogFailed -join ' ; ') + ". The judgement reads the English output of an English server UI: on a server with a localized UI, read the output above yourself and, if it shows no error, override this gate with that reason and the output as evidence.")
}
