# F3 (section 3.3): show the relying party's current impersonation authorization rules and save
# them, exactly as AD FS returns them, to backup_path. The rollback restores this file.
# Safe to run again: an existing backup that holds exactly the current rules is kept as it is;
# one that differs is never overwritten (after the change it would hold the changed rules).
$bk323Path = {{ backup_path }}
$bk323Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($bk323Rps.Count -ne 1) {
    throw "Expected one relying party trust with this identifier, found $($bk323Rps.Count). Use the relying party identifier (a URI) from the event 323 message, not the display name."
}
$bk323Rps[0] | Format-List Name,Identifier,Enabled
$bk323Rules = [string]$bk323Rps[0].ImpersonationAuthorizationRules
Write-Output '--- ImpersonationAuthorizationRules now ---'
if ($bk323Rules.Trim().Length -eq 0) {
    Write-Output '(empty: nobody may impersonate users for this relying party)'
}
else {
    $bk323Rules
    # A rule with no condition before "=>" that issues the permit claim lets EVERY caller
    # impersonate; it was there before this run and this run does not remove it.
    $bk323Bodies = @(($bk323Rules -creplace '(?m)^\s*@\w+\s*=\s*"[^"]*"\s*$', '') -split ';')
    if (@($bk323Bodies | Where-Object { $_.Trim().StartsWith('=>') -and $_.Contains('/authorization/claims/permit') }).Count -gt 0) {
        Write-Warning 'The existing rules hold an UNCONDITIONAL permit (nothing before "=>"): every caller may already impersonate users here. This run does not change it; report it to the AD FS service owner.'
    }
}

if (Test-Path -LiteralPath $bk323Path) {
    $bk323Existing = [string](Get-Content -Raw -LiteralPath $bk323Path -Encoding UTF8)
    if ($bk323Existing -ceq $bk323Rules) {
        Write-Output "Already done: $bk323Path exists and holds exactly the current rules; it was left as it is."
    }
    else {
        throw "$bk323Path already exists and differs from the current rules. It may be the backup of an earlier run: keep it, and restart this run with a new backup_path."
    }
}
else {
    $bk323Folder = [System.IO.Path]::GetDirectoryName($bk323Path)
    if ($bk323Folder) {
        [void][System.IO.Directory]::CreateDirectory($bk323Folder)
    }
    # -NoNewline (PowerShell 5.0+) keeps the file byte-exact, so it can be compared with -ceq.
    Set-Content -LiteralPath $bk323Path -Value $bk323Rules -Encoding UTF8 -NoNewline
    Write-Output "Saved the rules to $bk323Path"
}
