# The rules must be the backed-up rules, unchanged and first, followed by the new rule only.
# The rule (section 3.4): permit ONE caller, by its primary SID as issued by AD, to impersonate
# (OnBehalfOf) users for this relying party. http:// claim types; never an unconditional permit.
# Built from single-quoted pieces: the claim-rule language needs the double quotes.
$adfs323Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' OnBehalfOf"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules, so comparisons ignore whitespace.
$adfs323RuleFlat = $adfs323Rule -replace '\s', ''
$adfs323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$adfs323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($adfs323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($adfs323Rps.Count)."
}
$adfs323Now = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- ImpersonationAuthorizationRules now ---'
$adfs323Now
$adfs323NowFlat = $adfs323Now -replace '\s', ''
$adfs323SavedFlat = $adfs323Saved -replace '\s', ''
if ($adfs323SavedFlat.Contains($adfs323RuleFlat)) {
    if ($adfs323NowFlat -ceq $adfs323SavedFlat) { Write-Output 'PASS: the rule was already there before this run; the rules are unchanged.' } else { Write-Output 'FAIL: the rules differ from the backup.' }
}
elseif (-not $adfs323NowFlat.Contains($adfs323RuleFlat)) {
    Write-Output 'FAIL: the new rule is not in the rules.'
}
elseif (-not $adfs323NowFlat.StartsWith($adfs323SavedFlat, [System.StringComparison]::Ordinal)) {
    Write-Output 'FAIL: the rules that were there before are no longer unchanged at the start.'
}
elseif ($adfs323NowFlat.Length -ne $adfs323SavedFlat.Length + $adfs323RuleFlat.Length) {
    Write-Output 'FAIL: the rules hold more than the old rules plus the new rule (appended twice?).'
}
else {
    Write-Output 'PASS: the old rules are unchanged and the new rule follows them.'
}
