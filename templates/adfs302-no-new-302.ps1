# F6 for ActAs: after the request was repeated, no new event 302 for this relying party.
# -ErrorAction SilentlyContinue: Get-WinEvent raises "No events were found" when nothing
# matches, which is exactly the good outcome here.
$x302Since = [datetime]::Parse({{ rule_applied_at }}, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
$x302Rp = {{ rp_identifier }}
$x302New = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302; StartTime = $x302Since } -ErrorAction SilentlyContinue | Where-Object { ([string]$_.Message).IndexOf($x302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
Write-Output ('Events 302 for {0} since {1:u}: {2}' -f $x302Rp, $x302Since, $x302New.Count)
if ($x302New.Count -gt 0) {
    $x302New | Format-List TimeCreated, ActivityId, Message
    throw 'FAIL: event 302 is still logged for this relying party. Correlate its instance id with event 501: a different caller SID needs its own rule; the same SID means another rule (deny) wins. Roll back if the rule does not help.'
}
Write-Output 'PASS: no new event 302 for this relying party since the rule was added.'
