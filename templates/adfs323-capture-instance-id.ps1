# The instance id of the newest event 323 naming rp_identifier. It links the 323 to the audit
# events 501 (caller) and 502 (OnBehalfOf subject) in the Security log (section 3.2).
$ci323Rp = {{ rp_identifier }}
$ci323Latest = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 323 } -MaxEvents 500 -ErrorAction SilentlyContinue |
    Where-Object { ([string]$_.Message).IndexOf($ci323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } |
    Select-Object -First 1)
if ($ci323Latest.Count -ne 1) {
    throw "No event 323 naming $ci323Rp among the newest 500 on this server. Reproduce the failing request here (or run this on the server that logged it), then run this step again."
}
$ci323Text = [string]$ci323Latest[0].Message
$ci323Match = [regex]::Match($ci323Text, '(?i)instance id:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})')
if ($ci323Match.Success) {
    $ci323Match.Groups[1].Value.ToLowerInvariant()
}
else {
    # A localized message may not say "Instance id"; then accept exactly one GUID in the text.
    $ci323Guids = @([regex]::Matches($ci323Text, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}') | ForEach-Object { $_.Value.ToLowerInvariant() } | Select-Object -Unique)
    if ($ci323Guids.Count -ne 1) {
        throw "The newest event 323 for $ci323Rp (at $($ci323Latest[0].TimeCreated)) holds $($ci323Guids.Count) GUIDs and no 'Instance id:' label. Read the instance id under Additional Data in Event Viewer and enter it by hand."
    }
    $ci323Guids[0]
}
