# 3.2 step 3 (ADFS-TBX): the Security audits with the same instance id (Properties[0]; the
# claims follow as type/value pairs). 501 = the caller's claims (its primarysid is what the new
# rule names), 503 = the ActAs identity. A 502 (OnBehalfOf identity) for the same instance
# means the request is OnBehalfOf. This gate passes only when the primarysid in event 501 is
# caller_sid, as in the 323 runbook.
$c302Iid = {{ instance_id }}
$c302Sid = {{ caller_sid }}
# The Security log is read only around the 302's own time: its TimeCreated minus and plus
# 5 minutes (CONVENTIONS rule 7); a whole Security log is slow to read.
$c302Event = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302 } -MaxEvents 500 -ErrorAction SilentlyContinue | Where-Object { ([string]$_.Message).IndexOf($c302Iid, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } | Select-Object -First 1)
if ($c302Event.Count -ne 1) {
    throw 'No event 302 with this instance id among the newest 500 in AD FS/Admin on this server. Run the runbook on the server that logged it, or reproduce the request here and start again at capture-instance-id. RESUME AT: capture-instance-id'
}
$c302From = $c302Event[0].TimeCreated.AddMinutes(-5)
$c302To = $c302Event[0].TimeCreated.AddMinutes(5)
Write-Output ('Event 302 logged at {0:yyyy-MM-dd HH:mm:ss}; reading AD FS audits from {1:HH:mm:ss} to {2:HH:mm:ss}' -f $c302Event[0].TimeCreated, $c302From, $c302To)
$c302Audits = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 502, 503; StartTime = $c302From; EndTime = $c302To } -ErrorAction SilentlyContinue | Where-Object { $_.Properties.Count -gt 0 -and [string]$_.Properties[0].Value -eq $c302Iid })
$c302Audits | Sort-Object Id | Format-List TimeCreated, Id, @{ n = 'Data'; e = { (@($_.Properties | Select-Object -Skip 1 | ForEach-Object { [string]$_.Value })) -join "`n" } }
if ($c302Audits.Count -eq 0) {
    throw 'No audit event 501/502/503 with this instance id in the Security log. Turn auditing on (see check-auditing), reproduce the request and start again, or override this gate only if you confirmed the caller SID another way.'
}
if (@($c302Audits | Where-Object { $_.Id -eq 502 }).Count -gt 0) {
    Write-Warning 'Event 502 (OnBehalfOf identity) exists for this instance: the request is OnBehalfOf, not ActAs. Choose "onbehalfof" in the decision.'
}
# The caller's primary SID: the value that follows a .../claims/primarysid claim type in event 501.
$c302Lines = @($c302Audits | Where-Object { $_.Id -eq 501 } | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { ([string]$_.Value) -split "`r?`n" } } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
if ($c302Lines.Count -eq 0) {
    throw 'There is no event 501 (caller identity) for this instance id; the caller SID cannot be confirmed.'
}
$c302Primary = @()
for ($c302I = 0; $c302I -lt $c302Lines.Count - 1; $c302I++) {
    if ($c302Lines[$c302I] -clike '*/claims/primarysid') {
        $c302Primary += $c302Lines[$c302I + 1]
    }
}
if ($c302Primary.Count -eq 0) {
    throw 'Event 501 shows no primarysid claim in the expected layout, so caller_sid cannot be confirmed. Read the caller claims above; override this gate only if the primarysid shown there is caller_sid, and record it.'
}
if ($c302Primary -cnotcontains $c302Sid) {
    throw ('NO OVERRIDE: MISMATCH: event 501 shows primarysid ' + ($c302Primary -join ', ') + ', not caller_sid ' + $c302Sid + '. Nothing was changed. Restart the run with the primarysid from event 501 above; a permit for the wrong SID would let that account act as any user of the relying party.')
}
Write-Output 'PASS: event 501 for this instance shows caller_sid as the caller''s primarysid.'
