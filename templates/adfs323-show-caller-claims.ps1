# F2 (section 3.2 step 3): the audit events with the same instance id as the event 323.
# 501 = the caller's claims, 502 = the OnBehalfOf subject, 503 = an ActAs subject (event 302's
# case). In these audits Properties[0] is the instance id and the claims follow as type/value
# pairs (ADFS-TBX). This is a gate: it passes only when event 501 shows caller_sid as the
# caller's primarysid, because the rule added later lets exactly that SID impersonate any user
# of the relying party (ADFS-AUTHZ).
$cc323Iid = {{ instance_id }}
$cc323Sid = {{ caller_sid }}

# The Security log is read only around the 323's own time (the audits of one request are
# written with it): its TimeCreated minus and plus 5 minutes (CONVENTIONS rule 7).
$cc323Event = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 323 } -MaxEvents 500 -ErrorAction SilentlyContinue |
    Where-Object { ([string]$_.Message).IndexOf($cc323Iid, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 } |
    Select-Object -First 1)
if ($cc323Event.Count -ne 1) {
    throw "FAIL: no event 323 with instance id $cc323Iid among the newest 500 in AD FS/Admin on this server. Run the runbook on the server that logged it, or reproduce the request here and start again at capture-instance-id. RESUME AT: capture-instance-id"
}
$cc323From = $cc323Event[0].TimeCreated.AddMinutes(-5)
$cc323To = $cc323Event[0].TimeCreated.AddMinutes(5)
Write-Output ('Event 323 logged at ' + $cc323Event[0].TimeCreated.ToString('yyyy-MM-dd HH:mm:ss') + '; reading AD FS audits from ' + $cc323From.ToString('HH:mm:ss') + ' to ' + $cc323To.ToString('HH:mm:ss') + ' ...')
$cc323Audits = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 500, 501, 502, 503; StartTime = $cc323From; EndTime = $cc323To } -ErrorAction SilentlyContinue |
    Where-Object { $_.Properties.Count -gt 0 -and [string]$_.Properties[0].Value -eq $cc323Iid })
$cc323Audits | Sort-Object Id | Format-List TimeCreated, Id, @{ n = 'Data'; e = { (@($_.Properties | Select-Object -Skip 1 | ForEach-Object { [string]$_.Value })) -join "`n" } }

if ($cc323Audits.Count -eq 0) {
    throw 'NOT FOUND: no audit event carries this instance id. Auditing is off (see check-auditing) or the Security log has rolled over: turn auditing on, reproduce the request and start again. Override this gate only if you confirmed caller_sid as the SID of the calling account another way (e.g. its objectSid in Active Directory), and record how.'
}
$cc323Ids = @($cc323Audits | ForEach-Object { [int]$_.Id } | Sort-Object -Unique)
Write-Output ('Audit events found for this instance id: ' + ($cc323Ids -join ', '))
if ($cc323Ids -contains 503 -and $cc323Ids -notcontains 502) {
    throw 'NO OVERRIDE: ACTAS: event 503 and no 502 - this request is ActAs (delegation, event 302), not OnBehalfOf. Nothing was changed. Use the adfs-event-302-actas runbook; an impersonation rule would not fix it.'
}
# The caller's primary SID: the value that follows a .../claims/primarysid claim type in event 501.
$cc323Lines = @($cc323Audits | Where-Object { $_.Id -eq 501 } | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { ([string]$_.Value) -split "`r?`n" } } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$cc323Primary = @()
for ($cc323I = 0; $cc323I -lt $cc323Lines.Count - 1; $cc323I++) {
    if ($cc323Lines[$cc323I] -clike '*/claims/primarysid') {
        $cc323Primary += $cc323Lines[$cc323I + 1]
    }
}
if ($cc323Primary.Count -eq 0) {
    throw 'NO PRIMARYSID: there is no event 501, or it shows no primarysid claim in the expected layout, so caller_sid cannot be confirmed. Read the caller claims above; override this gate only if the primarysid shown there is caller_sid, and record it.'
}
if ($cc323Primary -ccontains $cc323Sid) {
    Write-Output ('MATCH: the caller''s primarysid in event 501 is caller_sid ' + $cc323Sid + '.')
}
else {
    throw ('NO OVERRIDE: MISMATCH: event 501 shows primarysid ' + ($cc323Primary -join ', ') + ', not caller_sid ' + $cc323Sid + '. Nothing was changed. Restart the run with the right caller_sid; a rule for the wrong SID would let that account impersonate every user of the relying party.')
}
