# F3 (section 3.3): show the relying party's current impersonation authorization rules and save
# them, exactly as AD FS returns them, to backup_path. The rollback restores this file.
$adfs323Backup = {{ backup_path }}
$adfs323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($adfs323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($adfs323Rps.Count). Use the relying party identifier (a URI) from the event 323 message, not the display name."
}
$adfs323Rps[0] | Format-List Name,Identifier,Enabled
$adfs323Rules = [string]$adfs323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- ImpersonationAuthorizationRules now ---'
if ($adfs323Rules.Trim().Length -eq 0) {
    Write-Output '(empty: nobody may impersonate users for this relying party)'
}
else {
    $adfs323Rules
}

# Never overwrite an earlier backup: after the change it would hold the changed rules.
if (Test-Path -LiteralPath $adfs323Backup) {
    throw "$adfs323Backup already exists. It may be the backup of an earlier run: keep it, and restart this run with a new backup_path."
}
$adfs323Folder = Split-Path -Parent $adfs323Backup
if ($adfs323Folder -and -not (Test-Path -LiteralPath $adfs323Folder)) {
    New-Item -ItemType Directory -Path $adfs323Folder -Force | Out-Null
}
Set-Content -LiteralPath $adfs323Backup -Value $adfs323Rules -Encoding UTF8 -NoNewline
Write-Output "Saved the rules to $adfs323Backup"
