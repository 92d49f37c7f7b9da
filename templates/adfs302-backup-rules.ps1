# 3.3 "Back up first": Set-AdfsRelyingPartyTrust -DelegationAuthorizationRules replaces the
# whole rule set, so the current text is saved to backup_path; the rollback restores it from
# there. An existing file is never overwritten: it may be the only "before" copy.
$b302Path = {{ backup_path }}
if (Test-Path -LiteralPath $b302Path) {
    throw 'backup_path already exists. Choose a new file name; an earlier backup must not be overwritten.'
}
$b302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($b302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($b302Rps.Count)."
}
$b302Dir = Split-Path -Parent $b302Path
if ($b302Dir -and -not (Test-Path -LiteralPath $b302Dir)) {
    New-Item -ItemType Directory -Path $b302Dir -Force | Out-Null
}
[string]$b302Rps[0].DelegationAuthorizationRules | Set-Content -LiteralPath $b302Path -Encoding UTF8
$b302Rps[0] | Export-Clixml -LiteralPath ($b302Path + '.rp.xml')
Get-Item -LiteralPath $b302Path, ($b302Path + '.rp.xml') | Format-Table -AutoSize FullName, Length, LastWriteTime
