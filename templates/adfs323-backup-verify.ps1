# The backup must hold exactly the rules that are live now (case-sensitive: claim values are).
$bv323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$bv323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($bv323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($bv323Rps.Count)."
}
$bv323Now = [string]$bv323Rps[0].ImpersonationAuthorizationRules
Get-Item -LiteralPath {{ backup_path }} | Format-List FullName,Length,LastWriteTime
if ($bv323Saved -ceq $bv323Now) {
    Write-Output ('PASS: the backup holds exactly the current rules (' + $bv323Now.Length + ' characters).')
}
else {
    throw 'FAIL: the backup differs from the current rules. Do not continue: save them again to a new backup_path.'
}
