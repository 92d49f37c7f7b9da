# F5 verification for ActAs: the old rules are all still there, unchanged, and exactly one rule
# names caller_sid, as a permit with http:// claim types. No rule may permit unconditionally.
$t302Sid = {{ caller_sid }}
$t302Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }})
$t302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($t302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($t302Rps.Count)."
}
$t302Now = [string]$t302Rps[0].DelegationAuthorizationRules
Write-Output '--- DelegationAuthorizationRules now ---'
Write-Output $t302Now
$t302Problems = @()
if (-not $t302Now.Contains($t302Saved.Trim())) {
    $t302Problems += 'The rules from the backup are not all present unchanged.'
}
$t302Hits = [regex]::Matches($t302Now, '(?<![0-9-])' + [regex]::Escape($t302Sid) + '(?![0-9-])').Count
if ($t302Hits -ne 1) {
    $t302Problems += "caller_sid appears $t302Hits times; expected exactly once (in the new rule)."
}
if (-not $t302Now.Contains('http://schemas.microsoft.com/authorization/claims/permit')) {
    $t302Problems += 'No permit claim (http://schemas.microsoft.com/authorization/claims/permit) is issued.'
}
if ($t302Now.Contains('https://schemas.microsoft.com/')) {
    $t302Problems += 'A rule uses an https:// claim type; AD FS claim types are http://.'
}
# An unconditional permit is a rule whose text before "=>" is empty (after dropping @RuleName
# lines) and which issues the permit claim.
$t302Bodies = ($t302Now -replace '(?m)^\s*@RuleName\s*=\s*"[^"]*"\s*$', '') -split ';'
foreach ($t302Body in $t302Bodies) {
    if ($t302Body.Trim() -match '^=>' -and $t302Body.Contains('/authorization/claims/permit')) {
        $t302Problems += 'An unconditional permit rule (nothing before =>) exists: it lets every caller act as any user.'
    }
}
if ($t302Problems.Count -gt 0) {
    foreach ($t302Problem in $t302Problems) { Write-Output "FAIL: $t302Problem" }
    throw 'The DelegationAuthorizationRules are not as intended: roll back from the backup.'
}
Write-Output 'PASS: the old rules are unchanged and one SID-scoped permit rule names caller_sid.'
