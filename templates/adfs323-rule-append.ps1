# F5: append the rule to the relying party's impersonation authorization rules. The existing
# rules are kept as they are; the backup must exist and still equal them. Safe to run again:
# when the rule is already there, nothing is changed.
# The rule (section 3.4): permit ONE caller, by its primary SID as issued by AD, to impersonate
# (OnBehalfOf) users for this relying party. http:// claim types; never an unconditional permit.
# Built from single-quoted pieces: the claim-rule language needs the double quotes.
$ap323Rule = '@RuleName = "Permit ' + {{ caller_display }} + ' OnBehalfOf"' + [Environment]::NewLine +
    'c:[Type == "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid", Issuer =~ "^AD AUTHORITY$", Value == "' + {{ caller_sid }} + '"]' + [Environment]::NewLine +
    ' => issue(Type = "http://schemas.microsoft.com/authorization/claims/permit", Value = "true");'
# AD FS may re-format whitespace when it stores rules, so comparisons ignore whitespace; they are
# case-sensitive (ordinal .Contains, -ceq/-cne), because claim values are.
$ap323RuleFlat = $ap323Rule -replace '\s', ''
$ap323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$ap323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($ap323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($ap323Rps.Count). Nothing was changed."
}
$ap323Old = [string]$ap323Rps[0].ImpersonationAuthorizationRules
if (($ap323Old -replace '\s', '').Contains($ap323RuleFlat)) {
    Write-Output 'Already present: the rules already hold this rule (an earlier attempt succeeded). Nothing was changed.'
}
elseif ($ap323Old -cne $ap323Saved) {
    throw 'The rules differ from the backup: someone changed them since backup-impersonation-rules. Nothing was changed. Take a new backup (new backup_path) and preview again.'
}
else {
    if ($ap323Old.Trim().Length -eq 0) {
        $ap323New = $ap323Rule
    }
    else {
        $ap323New = $ap323Old.TrimEnd() + [Environment]::NewLine + $ap323Rule
    }
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $ap323New
    Write-Output 'Appended the rule.'
}
