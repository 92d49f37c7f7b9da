# F rollback: put the saved rules back exactly as they were before the change.
$rb323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
Write-Output '--- rules being restored from the backup ---'
if ($rb323Saved.Trim().Length -eq 0) {
    Write-Output '(empty: nobody was permitted to impersonate users before the change)'
}
else {
    $rb323Saved
}
try {
    Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $rb323Saved -ErrorAction Stop
}
catch {
    Write-Output ('Set-AdfsRelyingPartyTrust refused the backed-up rules: ' + $_.Exception.Message)
    Write-Output ('FALLBACK: remove only the added rule "Permit ' + {{ caller_display }} + ' OnBehalfOf" by hand - in the AD FS Management console (Relying Party Trusts > the trust > Edit Claim Rules) if your AD FS version shows the impersonation authorization rules there; otherwise (the documented tabs are Issuance Transform, Issuance Authorization and Delegation Authorization) with Set-AdfsRelyingPartyTrust -ImpersonationAuthorizationRules and the rules without that rule. If nothing may remain, a single rule => issue(Type = "http://schemas.microsoft.com/authorization/claims/deny", Value = "true"); has the same effect as an empty set: nobody may impersonate.')
    throw
}
$rb323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($rb323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($rb323Rps.Count)."
}
$rb323Now = [string]$rb323Rps[0].ImpersonationAuthorizationRules
if (($rb323Now -replace '\s', '') -ceq ($rb323Saved -replace '\s', '')) {
    Write-Output 'PASS: the rules are identical to the backup.'
}
else {
    Write-Output 'FAIL: the rules differ from the backup. Remove the added rule by hand (see FALLBACK in the rollback instructions).'
}
