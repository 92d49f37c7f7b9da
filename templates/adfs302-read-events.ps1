# Event 302 ("Act As Authorization Error", SCOM-302) in the AD FS Admin log (AD FS 2012 R2+).
# Get-WinEvent throws "No events were found" when there is none: here that is the answer
# (no 302 at all means this runbook does not apply), so the error is not suppressed.
$r302Rp = {{ rp_identifier }}
$r302Events = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302 } -MaxEvents 20)
$r302Events | Select-Object TimeCreated, ActivityId, @{ n = 'InstanceId'; e = { [regex]::Match([string]$_.Message, '(?i)instance id:\s*([0-9a-f-]{36})').Groups[1].Value } }, Message | Format-List
$r302ForRp = @($r302Events | Where-Object { ([string]$_.Message).IndexOf($r302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
Write-Output ('{0} of the {1} newest events 302 name the relying party {2}' -f $r302ForRp.Count, $r302Events.Count, $r302Rp)
if ($r302ForRp.Count -eq 0) {
    throw 'No recent event 302 names this relying party identifier. Check rp_identifier against the event text (the identifier, not the display name). If the failures are events 323 instead, use the runbook adfs-event-323-impersonation.'
}
Write-Output 'PASS: event 302 is logged for this relying party.'
