# F5 preview: builds the rule, checks the combined rule set, and runs the real command with
# -WhatIf. Nothing is changed.
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
$adfs323Old = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- the rule to append ---'
$adfs323Rule
if (($adfs323Old -replace '\s', '').Contains($adfs323RuleFlat)) {
    Write-Output 'ALREADY PRESENT: the rules already hold this exact rule; the next step will change nothing.'
}
if ($adfs323Old -cne $adfs323Saved) {
    Write-Output 'WARNING: the rules differ from the backup (someone changed them since). Take a new backup before the change.'
}
# Append, never replace: the parameter takes the whole rule set as one string.
if ($adfs323Old.Trim().Length -eq 0) {
    $adfs323New = $adfs323Rule
}
else {
    $adfs323New = $adfs323Old.TrimEnd() + [Environment]::NewLine + $adfs323Rule
}
Write-Output '--- the rule set after the change ---'
$adfs323New
if (Get-Command -Name New-AdfsClaimRuleSet -ErrorAction SilentlyContinue) {
    # Parses the rule set; a syntax error throws here instead of in the change step.
    $adfs323Parsed = New-AdfsClaimRuleSet -ClaimRule $adfs323New
    Write-Output ('PARSED: New-AdfsClaimRuleSet accepted the rule set (' + ([string]$adfs323Parsed.ClaimRulesString).Length + ' characters).')
}
Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $adfs323New -WhatIf
