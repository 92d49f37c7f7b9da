# 3.3 "Back up first": Set-AdfsRelyingPartyTrust -DelegationAuthorizationRules replaces the
# whole rule set, so the current text is saved to backup_path; the rollback restores it from
# there. Safe to run again: a backup that already holds exactly the current rules is kept; one
# that differs is never overwritten (it may be the only "before" copy).
$b302Path = {{ backup_path }}
$b302Xml = $b302Path + '.rp.xml'
$b302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($b302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($b302Rps.Count)."
}
$b302Rules = [string]$b302Rps[0].DelegationAuthorizationRules
if (Test-Path -LiteralPath $b302Path) {
    $b302Existing = [string](Get-Content -Raw -LiteralPath $b302Path -Encoding UTF8)
    if ($b302Existing.Trim() -cne $b302Rules.Trim()) {
        throw 'backup_path already exists and differs from the current DelegationAuthorizationRules. Choose a new file name; an earlier backup must not be overwritten.'
    }
    Write-Output 'Already done: backup_path exists and holds exactly the current DelegationAuthorizationRules; it was left as it is.'
}
else {
    $b302Dir = [System.IO.Path]::GetDirectoryName($b302Path)
    if ($b302Dir) {
        [void][System.IO.Directory]::CreateDirectory($b302Dir)
    }
    # -NoNewline (PowerShell 5.0+): the file holds exactly the rule text.
    Set-Content -LiteralPath $b302Path -Value $b302Rules -Encoding UTF8 -NoNewline
}
if (-not (Test-Path -LiteralPath $b302Xml)) {
    $b302Rps[0] | Export-Clixml -LiteralPath $b302Xml
}
Get-Item -LiteralPath $b302Path, $b302Xml | Format-Table -AutoSize FullName, Length, LastWriteTime
