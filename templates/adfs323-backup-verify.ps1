$adfs323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
$adfs323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($adfs323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($adfs323Rps.Count)."
}
$adfs323Now = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
Get-Item -LiteralPath {{ backup_path }} | Format-List FullName,Length,LastWriteTime
if ($adfs323Saved -ceq $adfs323Now) {
    Write-Output ('PASS: the backup holds exactly the current rules (' + $adfs323Now.Length + ' characters).')
}
else {
    Write-Output 'FAIL: the backup differs from the current rules. Do not continue: save them again to a new backup_path.'
}
