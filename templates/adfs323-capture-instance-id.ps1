# The instance id of the newest event 323 naming rp_identifier. It links the 323 to the audit
# events 501 (caller) and 502 (OnBehalfOf subject) in the Security log (section 3.2).
$adfs323Rp = {{ rp_identifier }}
$adfs323Latest = @(Get-WinEvent -FilterHashtable @{ LogName = {{ admin_log }}; Id = 323 } -MaxEvents 500 -ErrorAction SilentlyContinue |
    Where-Object { ([string]$_.Message).IndexOf($adfs323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } |
    Select-Object -First 1)
if ($adfs323Latest.Count -ne 1) {
    throw "No event 323 naming $adfs323Rp among the newest 500 on this server. Reproduce the failing request here (or run this on the server that logged it), then run this step again."
}
$adfs323Text = [string]$adfs323Latest[0].Message
$adfs323Match = [regex]::Match($adfs323Text, '(?i)instance id:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})')
if ($adfs323Match.Success) {
    $adfs323Match.Groups[1].Value
}
else {
    # A localized message may not say "Instance id"; then accept exactly one GUID in the text.
    $adfs323Guids = @([regex]::Matches($adfs323Text, '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}') | ForEach-Object { $_.Value.ToLowerInvariant() } | Select-Object -Unique)
    if ($adfs323Guids.Count -ne 1) {
        throw "The newest event 323 for $adfs323Rp (at $($adfs323Latest[0].TimeCreated)) holds $($adfs323Guids.Count) GUIDs and no 'Instance id:' label. Read the instance id under Additional Data in Event Viewer and enter it by hand."
    }
    $adfs323Guids[0]
}
