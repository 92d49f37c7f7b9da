# F5: append the rule to the relying party's impersonation authorization rules. The existing
# rules are kept as they are; the backup must exist and still equal them.
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
    throw "Expected one relying party trust with this identifier, found $($adfs323Rps.Count). Nothing was changed."
}
$adfs323Old = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
if (($adfs323Old -replace '\s', '').Contains($adfs323RuleFlat)) {
    Write-Output 'ALREADY PRESENT: the rules already hold this rule (an earlier attempt succeeded). Nothing was changed.'
}
elseif ($adfs323Old -cne $adfs323Saved) {
    throw 'The rules differ from the backup: someone changed them since backup-impersonation-rules. Nothing was changed. Take a new backup (new backup_path) and preview again.'
}
else {
    if ($adfs323Old.Trim().Length -eq 0) {
        $adfs323New = $adfs323Rule
    }
    else {
        $adfs323New = $adfs323Old.TrimEnd() + [Environment]::NewLine + $adfs323Rule
    }
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $adfs323New
    Write-Output 'Appended the rule.'
}
