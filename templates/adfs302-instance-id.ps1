# The instance id of the newest event 302 for this relying party: it links the Admin event to
# the Security audits 501 (caller) and 503 (ActAs identity). The regex over the message text is
# used because the Properties index of the instance id in event 302 is not documented.
# -ErrorAction SilentlyContinue: "No events were found" is answered by the count check below.
$i302Rp = {{ rp_identifier }}
$i302Event = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302 } -MaxEvents 500 -ErrorAction SilentlyContinue | Where-Object { ([string]$_.Message).IndexOf($i302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } | Select-Object -First 1)
if ($i302Event.Count -ne 1) {
    throw 'No event 302 names this relying party among the newest 500 on this server; nothing to correlate. Run this on the server that logged it, or reproduce the request here.'
}
$i302Match = [regex]::Match([string]$i302Event[0].Message, '(?i)instance id:\s*([0-9a-f-]{36})')
if (-not $i302Match.Success) {
    throw 'The newest event 302 for this relying party carries no "Instance id:" line. Read it in Event Viewer and enter the instance id by hand.'
}
$i302Match.Groups[1].Value.ToLowerInvariant()
