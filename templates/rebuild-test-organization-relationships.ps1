# CM-OR / CSS-FBC TestOrgRel: Test-OrganizationRelationship -Identity <name> -UserIdentity <mailbox>
# for every ENABLED organization relationship. It checks the configuration and requests a delegation
# token for the other organization; it is not a functional free/busy test (CM-OR). Microsoft's checker
# reads its text output: "No Significant Issues to Report" is a pass, "RESULT: Error" lines are
# failures. Positive evidence only: no relationship, or no pass text, is a FAIL (change review M5).
# Language (third review P6): this judgement reads the ENGLISH output text of an English server UI,
# as Microsoft's CSS-Exchange FreeBusyChecker does. On a server with a localized UI the English texts
# do not appear and the check FAILS: the operator reads the output and overrides the gate with the
# reason and the output as evidence. The result type (TestOrganizationRelationshipResult, Exchange
# Server API reference) documents only Id, Status (a String) and Description, with no documented
# values, so there is no language-independent property to judge by; none is invented here.
$torProblems = @()
$torRelationships = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorVariable torGetErr | Where-Object { $_.Enabled -eq $true })
if ($torGetErr) { $torProblems += "Get-OrganizationRelationship reported an error: $($torGetErr[0])" }
if ($torRelationships.Count -eq 0) {
    $torProblems += 'No enabled organization relationship was found. If this organization shares only through sharing policies (no relationships in the saved record), override this gate with that reason.'
}
foreach ($torRel in $torRelationships) {
    $torName = [string]$torRel.Name
    Write-Output "--- Test-OrganizationRelationship -Identity '$torName' (TargetApplicationUri $($torRel.TargetApplicationUri)) ---"
    $torOut = @(Test-OrganizationRelationship -Identity $torName -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction Continue -WarningAction SilentlyContinue -ErrorVariable torErr)
    $torText = ($torOut | Out-String)
    Write-Output $torText
    foreach ($torError in $torErr) { Write-Output "ERROR: $torError" }
    if ($torErr) { $torProblems += "${torName}: the cmdlet reported an error." }
    elseif ($torText -match 'RESULT:\s*Error') { $torProblems += "${torName}: at least one RESULT: Error." }
    elseif ($torText -notmatch 'No Significant Issues to Report') { $torProblems += "${torName}: no 'No Significant Issues to Report' in the output." }
    else { Write-Output "OK: $torName - No Significant Issues to Report." }
}
if ($torProblems.Count -gt 0) {
    foreach ($torProblem in $torProblems) { Write-Output "FAIL: $torProblem" }
    throw 'Test-OrganizationRelationship did not pass for every enabled relationship. A partner relationship that was already broken before the change (see the saved record) may be accepted only by overriding this gate with that reason. The judgement reads the English output of an English server UI: on a server with a localized UI, read the output above yourself and, if it shows no error, override this gate with that reason and the output as evidence.'
}
Write-Output "PASS: all $($torRelationships.Count) enabled organization relationship(s) report No Significant Issues to Report."
