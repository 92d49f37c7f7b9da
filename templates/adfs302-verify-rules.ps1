# F5 verification for ActAs: the old rules are all still there, unchanged, and what follows them
# is exactly the new rule: one permit, conditioned on caller_sid, with http:// claim types.
# Only the APPENDED text is judged (D5): rules that were there before are reported at
# show-delegation-rules and are not this change's doing (the rollback would not remove them).
# The SID and the display name are PowerShell literals; the claim rule around them is built
# from single-quoted pieces, so nothing in them is expanded. http:// claim types, never https://.
$t302Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' ActAs"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules: "already there" ignores whitespace and is
# case-sensitive (ordinal .Contains), like every rule comparison here (-ceq/-cne/-cmatch).
$t302RuleFlat = $t302Rule -replace '\s', ''
$t302Sid = {{ caller_sid }}
$t302Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$t302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($t302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($t302Rps.Count)."
}
$t302Now = [string]$t302Rps[0].DelegationAuthorizationRules
Write-Output '--- DelegationAuthorizationRules now ---'
Write-Output $t302Now
$t302Problems = @()
# Whitespace-free copies (AD FS may re-format stored rules); all comparisons are ordinal.
$t302NowFlat = $t302Now -replace '\s', ''
$t302SavedFlat = $t302Saved -replace '\s', ''
if (-not $t302NowFlat.StartsWith($t302SavedFlat, [System.StringComparison]::Ordinal)) {
    $t302Problems += 'The rules from the backup are not all present unchanged at the start.'
    $t302AddedFlat = ''
}
else {
    $t302AddedFlat = $t302NowFlat.Substring($t302SavedFlat.Length)
}
$t302Hits = [regex]::Matches($t302Now, '(?<![0-9-])' + [regex]::Escape($t302Sid) + '(?![0-9-])').Count
if ($t302Hits -ne 1) {
    $t302Problems += "caller_sid appears $t302Hits times; expected exactly once (in the new rule)."
}
if ($t302AddedFlat -cne $t302RuleFlat) {
    $t302Problems += 'The text after the old rules is not exactly the new SID-scoped permit rule.'
}
if ($t302AddedFlat.Contains('https://schemas.microsoft.com/')) {
    $t302Problems += 'The appended rule uses an https:// claim type; AD FS claim types are http://.'
}
# An unconditional permit is a rule whose text before "=>" is empty (after dropping the
# @RuleName / @RuleTemplate attributes) and which issues the permit claim.
$t302Bodies = @(($t302AddedFlat -creplace '@\w+="[^"]*"', '') -split ';')
foreach ($t302Body in $t302Bodies) {
    if ($t302Body.StartsWith('=>') -and $t302Body.Contains('/authorization/claims/permit')) {
        $t302Problems += 'The appended rule is an unconditional permit (nothing before =>): it would let every caller act as any user.'
    }
}
if ($t302Problems.Count -gt 0) {
    foreach ($t302Problem in $t302Problems) { Write-Output "FAIL: $t302Problem" }
    throw 'The DelegationAuthorizationRules are not as intended: roll back from the backup.'
}
Write-Output 'PASS: the old rules are unchanged and one SID-scoped permit rule names caller_sid.'
