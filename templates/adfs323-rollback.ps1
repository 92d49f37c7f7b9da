# F rollback: put the saved rules back exactly as they were before the change.
$adfs323Saved = [string](Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8)
Write-Output '--- rules being restored from the backup ---'
$adfs323Saved
Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -ImpersonationAuthorizationRules $adfs323Saved
$adfs323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
$adfs323Now = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
if (($adfs323Now -replace '\s', '') -ceq ($adfs323Saved -replace '\s', '')) {
    Write-Output 'PASS: the rules are identical to the backup.'
}
else {
    Write-Output 'FAIL: the rules differ from the backup.'
}
