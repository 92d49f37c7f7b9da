# Preview (-WhatIf): builds the same new rule set as append-delegation-rule and shows what
# Set-AdfsRelyingPartyTrust would do, without changing anything.
# The SID and the display name are PowerShell literals; the claim rule around them is built
# from single-quoted pieces, so nothing in them is expanded. http:// claim types, never https://.
$w302Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' ActAs"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules: "already there" ignores whitespace and is
# case-sensitive (ordinal .Contains), like every rule comparison here (-ceq/-cne/-cmatch).
$w302RuleFlat = $w302Rule -replace '\s', ''
$w302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($w302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($w302Rps.Count). Nothing was changed."
}
$w302Old = [string]$w302Rps[0].DelegationAuthorizationRules
$w302Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$w302SidPattern = '(?<![0-9-])' + [regex]::Escape({{ caller_sid }}) + '(?![0-9-])'
if (($w302Old -replace '\s', '').Contains($w302RuleFlat)) {
    Write-Output '--- DelegationAuthorizationRules now ---'
    Write-Output $w302Old
    Write-Output 'ALREADY PRESENT: the rules already hold this exact rule (an earlier run appended it); the change step will change nothing.'
}
else {
    if ($w302Old.Trim() -cne $w302Saved.Trim()) {
        throw 'DelegationAuthorizationRules changed since the backup was taken. Nothing was changed: take a new backup (new backup_path) and review the rules again.'
    }
    if ($w302Old -cmatch $w302SidPattern) {
        throw 'A delegation rule already names caller_sid. Nothing was changed: a duplicate would not help.'
    }
    $w302New = $w302Old + [Environment]::NewLine + $w302Rule
    # New-AdfsClaimRuleSet parses the whole set: a syntax error stops here, before Set-*.
    New-AdfsClaimRuleSet -ClaimRule $w302New | Out-Null
    Write-Output '--- rule to append ---'
    Write-Output $w302Rule
    Write-Output '--- DelegationAuthorizationRules after the change ---'
    Write-Output $w302New
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -DelegationAuthorizationRules $w302New -WhatIf
}
