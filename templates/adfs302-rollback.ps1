# Restore the rule set saved by backup-delegation-rules. An empty backup means the relying
# party had no delegation rules: restore the empty string, never $null (whether a $null
# value clears the rules or is ignored is not documented).
$u302Saved = Get-Content -Raw -LiteralPath {{ backup_path }} -Encoding UTF8
if ($null -eq $u302Saved) { $u302Saved = '' }
$u302Saved = ([string]$u302Saved).TrimEnd()
Set-AdfsRelyingPartyTrust -TargetIdentifier {{ rp_identifier }} -DelegationAuthorizationRules $u302Saved
$u302Rps = @(Get-AdfsRelyingPartyTrust -Identifier {{ rp_identifier }})
if ($u302Rps.Count -ne 1) {
    throw "Expected exactly one relying party trust with this identifier, found $($u302Rps.Count)."
}
$u302Now = [string]$u302Rps[0].DelegationAuthorizationRules
Write-Output '--- DelegationAuthorizationRules after the rollback ---'
Write-Output $u302Now
if (($u302Now -replace '\s', '') -ceq ($u302Saved -replace '\s', '')) {
    Write-Output 'PASS: the rules are identical to the backup.'
}
else {
    Write-Output 'FAIL: the rules differ from the backup. Remove the added rule in the AD FS console (Edit Claim Rules, Delegation Authorization Rules tab).'
}
