# F6: after the change and a fresh attempt of the failing request, no new event 323 may name
# this relying party. Get-WinEvent throws "No events were found" when nothing matches, which
# here is the good outcome: hence -ErrorAction SilentlyContinue.
$adfs323Rp = {{ rp_identifier }}
$adfs323Since = (Get-Date).AddMinutes(-10)
$adfs323Recent = @(Get-WinEvent -FilterHashtable @{ LogName = {{ admin_log }}; Id = 323; StartTime = $adfs323Since } -ErrorAction SilentlyContinue |
    Where-Object { ([string]$_.Message).IndexOf($adfs323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
$adfs323Recent | Format-List TimeCreated,ActivityId,Message
if ($adfs323Recent.Count -eq 0) {
    Write-Output ('PASS: no event 323 for ' + $adfs323Rp + ' on this server since ' + $adfs323Since.ToString('HH:mm:ss') + '.')
}
else {
    Write-Output ('FAIL: ' + $adfs323Recent.Count + ' new event(s) 323 for ' + $adfs323Rp + '. Check the caller and SID in the newest one.')
}
