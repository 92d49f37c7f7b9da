# Event 302 ("Act As Authorization Error", SCOM-302) in the AD FS Admin log (AD FS 2012 R2+).
# Get-WinEvent raises "No events were found" when there is none; -ErrorAction SilentlyContinue
# lets the explicit count below say what that means (no 302 here: this runbook may not apply).
$r302Rp = {{ rp_identifier }}
$r302Events = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302 } -MaxEvents 20 -ErrorAction SilentlyContinue)
$r302Events | Select-Object TimeCreated, ActivityId, @{ n = 'InstanceId'; e = { [regex]::Match([string]$_.Message, '(?i)instance id:\s*([0-9a-f-]{36})').Groups[1].Value } }, Message | Format-List
$r302ForRp = @($r302Events | Where-Object { ([string]$_.Message).IndexOf($r302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
Write-Output ('{0} of the {1} newest events 302 name the relying party {2}' -f $r302ForRp.Count, $r302Events.Count, $r302Rp)
if ($r302Events.Count -eq 0) {
    throw 'No event 302 at all in the AD FS/Admin log of this server. The failure was logged on another farm server (run the runbook there), or it is not event 302: for event 323 (OnBehalfOf, MSIS5009) use the runbook adfs-event-323-impersonation.'
}
if ($r302ForRp.Count -eq 0) {
    throw 'No recent event 302 names this relying party identifier. Check rp_identifier against the event text (the identifier, not the display name). If the failures are events 323 instead, use the runbook adfs-event-323-impersonation.'
}
Write-Output 'PASS: event 302 is logged for this relying party.'
