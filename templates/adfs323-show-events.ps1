# F1 (WIKI-323, section 3.2): the newest events 323 on this server. In the message, the caller is
# {0}, the subject (the user being impersonated) {1}, and the relying party IDENTIFIER {2}; the
# instance id is under "Additional Data". Get-WinEvent throws "No events were found" when
# nothing matches, hence -ErrorAction SilentlyContinue and the explicit count.
$ev323Rp = {{ rp_identifier }}
$ev323Events = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 323 } -MaxEvents 20 -ErrorAction SilentlyContinue)
$ev323Events | Select-Object TimeCreated, ActivityId,
    @{ n = 'InstanceId'; e = { [regex]::Match([string]$_.Message, '(?i)instance id:\s*([0-9a-f-]{36})').Groups[1].Value } },
    @{ n = 'ForThisRelyingParty'; e = { ([string]$_.Message).IndexOf($ev323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } },
    Message | Format-List
$ev323Mine = @($ev323Events | Where-Object { ([string]$_.Message).IndexOf($ev323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
Write-Output ('Events 323 shown: ' + $ev323Events.Count + '; naming ' + $ev323Rp + ': ' + $ev323Mine.Count)
if ($ev323Mine.Count -eq 0) {
    Write-Output 'NONE for this relying party on this server: check rp_identifier, check the other farm servers, or reproduce the failing request.'
}
