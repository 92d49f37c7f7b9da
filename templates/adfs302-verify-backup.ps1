# The backup must hold exactly the rules that are live now (case-sensitive: claim values are).
$v302Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$v302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($v302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($v302Rps.Count)."
}
$v302Now = [string]$v302Rps[0].DelegationAuthorizationRules
if ($v302Saved.Trim() -ceq $v302Now.Trim()) {
    Write-Output 'PASS: the backup file holds the current DelegationAuthorizationRules.'
}
else {
    Write-Output 'FAIL: the backup file differs from the current DelegationAuthorizationRules.'
}
