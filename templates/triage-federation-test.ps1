# Procedure A5 (CSS-FBC TestFedTrust): the first Test-FederationTrust run often fails and is ignored;
# the second counts. Read-only. Pass only on positive evidence: at least one Success row, no Error
# row, and no cmdlet error.
Write-Output '--- Test-FederationTrust, first run (ignored: it often fails once) ---'
Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable ignoredErr | Format-Table -AutoSize Id,Type,Message
Write-Output '--- Test-FederationTrust, second run (this one counts) ---'
$tftRows = @(Test-FederationTrust -UserIdentity {{ user_smtp }} -DomainController {{ dc_fqdn }} -ErrorVariable tftErr)
$tftRows | Format-Table -AutoSize Id,Type,Message
$tftProblems = @()
if ($tftErr) { $tftProblems += ('Test-FederationTrust failed: {0}' -f @($tftErr)[0]) }
if ($tftRows.Count -eq 0) { $tftProblems += 'Test-FederationTrust returned nothing.' }
$tftErrors = @($tftRows | Where-Object { [string]$_.Type -eq 'Error' })
$tftSuccess = @($tftRows | Where-Object { [string]$_.Type -eq 'Success' })
foreach ($tftRow in $tftErrors) { $tftProblems += "$($tftRow.Id): $($tftRow.Message)" }
if ($tftRows.Count -gt 0 -and $tftSuccess.Count -eq 0) { $tftProblems += 'No check reported Success.' }
if ($tftProblems.Count -gt 0) {
    foreach ($tftProblem in $tftProblems) { Write-Output "PROBLEM: $tftProblem" }
    Write-Output 'RESULT: FAIL - the federation trust test does not pass with the clock as it is now.'
}
else {
    Write-Output "RESULT: PASS - $($tftSuccess.Count) check(s) Success, none Error."
}
