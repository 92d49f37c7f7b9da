# 3.3/3.4 for ActAs: append ONE permit rule, scoped to the caller's primary SID, to the relying
# party's DelegationAuthorizationRules. The parameter replaces the whole rule set, so the new
# value is the current rules followed by the new rule: nothing existing is dropped or changed.
# Safe to run again: when the rule is already there, nothing is changed.
# The SID and the display name are PowerShell literals; the claim rule around them is built
# from single-quoted pieces, so nothing in them is expanded. http:// claim types, never https://.
$n302Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' ActAs"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules: "already there" ignores whitespace and is
# case-sensitive (ordinal .Contains), like every rule comparison here (-ceq/-cne/-cmatch).
$n302RuleFlat = $n302Rule -replace '\s', ''
$n302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($n302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($n302Rps.Count). Nothing was changed."
}
$n302Old = [string]$n302Rps[0].DelegationAuthorizationRules
$n302Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$n302SidPattern = '(?<![0-9-])' + [regex]::Escape({{ caller_sid }}) + '(?![0-9-])'
if (($n302Old -replace '\s', '').Contains($n302RuleFlat)) {
    Write-Output 'Already present: the rules already hold this rule (an earlier attempt succeeded). Nothing was changed.'
}
else {
    if ($n302Old.Trim() -cne $n302Saved.Trim()) {
        throw 'DelegationAuthorizationRules changed since the backup was taken. Nothing was changed: take a new backup (new backup_path) and review the rules again.'
    }
    if ($n302Old -cmatch $n302SidPattern) {
        throw 'A delegation rule already names caller_sid. Nothing was changed: a duplicate would not help.'
    }
    $n302New = $n302Old + [Environment]::NewLine + $n302Rule
    # New-AdfsClaimRuleSet parses the whole set: a syntax error stops here, before Set-*.
    New-AdfsClaimRuleSet -ClaimRule $n302New | Out-Null
    Write-Output '--- rule to append ---'
    Write-Output $n302Rule
    Write-Output '--- DelegationAuthorizationRules after the change ---'
    Write-Output $n302New
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -DelegationAuthorizationRules $n302New
    Write-Output 'Appended the rule; run the verification next.'
}
