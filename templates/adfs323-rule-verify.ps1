# The rules must be the backed-up rules, unchanged and first, followed by the new rule only.
# The rule (section 3.4): permit ONE caller, by its primary SID as issued by AD, to impersonate
# (OnBehalfOf) users for this relying party. http:// claim types; never an unconditional permit.
# Built from single-quoted pieces: the claim-rule language needs the double quotes.
$rv323Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' OnBehalfOf"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules, so comparisons ignore whitespace; they are
# case-sensitive (ordinal .Contains, -ceq/-cne), because claim values are.
$rv323RuleFlat = $rv323Rule -replace '\s', ''
$rv323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$rv323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($rv323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($rv323Rps.Count)."
}
$rv323Now = [string]$rv323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- ImpersonationAuthorizationRules now ---'
$rv323Now
$rv323NowFlat = $rv323Now -replace '\s', ''
$rv323SavedFlat = $rv323Saved -replace '\s', ''
if ($rv323SavedFlat.Contains($rv323RuleFlat)) {
    if ($rv323NowFlat -ceq $rv323SavedFlat) { Write-Output 'PASS: the rule was already there before this run; the rules are unchanged.' } else { throw 'FAIL: the rules differ from the backup. Roll back with the rollback command.' }
}
elseif (-not $rv323NowFlat.Contains($rv323RuleFlat)) {
    throw 'FAIL: the new rule is not in the rules.'
}
elseif (-not $rv323NowFlat.StartsWith($rv323SavedFlat, [System.StringComparison]::Ordinal)) {
    throw 'FAIL: the rules that were there before are no longer unchanged at the start. Roll back with the rollback command.'
}
elseif ($rv323NowFlat.Length -ne $rv323SavedFlat.Length + $rv323RuleFlat.Length) {
    throw 'FAIL: the rules hold more than the old rules plus the new rule (appended twice?). Roll back with the rollback command.'
}
else {
    Write-Output 'PASS: the old rules are unchanged and the new rule follows them.'
}
