# F3 for ActAs: the relying party's DelegationAuthorizationRules (the Delegation Authorization
# Rules tab). An empty value means no caller may act as another user for this relying party.
# Rule text is compared case-sensitively (-cmatch): claim values are case-sensitive.
$s302Sid = {{ caller_sid }}
$s302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($s302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($s302Rps.Count). Use the identifier exactly as event 302 shows it."
}
$s302Rps[0] | Format-List Name, Identifier
$s302Rules = [string]$s302Rps[0].DelegationAuthorizationRules
if ([string]::IsNullOrWhiteSpace($s302Rules)) {
    Write-Output 'DelegationAuthorizationRules is EMPTY: no caller may act as another user for this relying party.'
}
else {
    Write-Output '--- DelegationAuthorizationRules ---'
    Write-Output $s302Rules
    # An unconditional permit is a rule whose text before "=>" is empty (after dropping the
    # @RuleName / @RuleTemplate lines) and which issues the permit claim. One that is already
    # there is not this run's doing and is not removed by its rollback: report it.
    $s302Bodies = @(($s302Rules -creplace '(?m)^\s*@\w+\s*=\s*"[^"]*"\s*$', '') -split ';')
    if (@($s302Bodies | Where-Object { $_.Trim().StartsWith('=>') -and $_.Contains('/authorization/claims/permit') }).Count -gt 0) {
        Write-Warning 'The existing rules hold an UNCONDITIONAL permit (nothing before "=>"): every caller may already act as any user here. This run does not change it; report it to the AD FS service owner.'
    }
}
if ($s302Rules -cmatch ('(?<![0-9-])' + [regex]::Escape($s302Sid) + '(?![0-9-])')) {
    throw 'A delegation rule already names caller_sid. The 302 has another cause (a deny rule overrides a permit, or the rule''s Issuer or claim type does not match): fix that rule by hand; do not append a duplicate.'
}
Write-Output 'PASS: no delegation rule names caller_sid yet.'
