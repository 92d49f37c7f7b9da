# F5 preview: builds the rule, checks the combined rule set, and runs the real command with
# -WhatIf. Nothing is changed.
# The rule (section 3.4): permit ONE caller, by its primary SID as issued by AD, to impersonate
# (OnBehalfOf) users for this relying party. http:// claim types; never an unconditional permit.
# Built from single-quoted pieces: the claim-rule language needs the double quotes.
$pv323Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' OnBehalfOf"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules, so comparisons ignore whitespace; they are
# case-sensitive (ordinal .Contains, -ceq/-cne), because claim values are.
$pv323RuleFlat = $pv323Rule -replace '\s', ''
$pv323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$pv323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($pv323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($pv323Rps.Count)."
}
$pv323Old = [string]$pv323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- the rule to append ---'
$pv323Rule
if (($pv323Old -replace '\s', '').Contains($pv323RuleFlat)) {
    Write-Output 'ALREADY PRESENT: the rules already hold this exact rule (an earlier run appended it); the change step will change nothing.'
}
else {
    if ($pv323Old -cne $pv323Saved) {
        throw 'The rules differ from the backup (someone changed them since backup-impersonation-rules). Nothing was changed. Take a new backup (new backup_path) and preview again.'
    }
    # Append, never replace: the parameter takes the whole rule set as one string.
    if ($pv323Old.Trim().Length -eq 0) {
        $pv323New = $pv323Rule
    }
    else {
        $pv323New = $pv323Old.TrimEnd() + [Environment]::NewLine + $pv323Rule
    }
    Write-Output '--- the rule set after the change ---'
    $pv323New
    if (Get-Command -Name New-AdfsClaimRuleSet -ErrorAction SilentlyContinue) {
        # Parses the rule set; a syntax error throws here instead of in the change step.
        $pv323Parsed = New-AdfsClaimRuleSet -ClaimRule $pv323New
        Write-Output ('PARSED: New-AdfsClaimRuleSet accepted the rule set (' + ([string]$pv323Parsed.ClaimRulesString).Length + ' characters).')
    }
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $pv323New -WhatIf
}
