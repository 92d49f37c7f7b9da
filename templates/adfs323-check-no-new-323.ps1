# F6 with positive evidence (domain reference 3.2 and 7.4): "no new 323" counts only when the
# request was repeated against THIS server after the change and succeeded. So this passes only
# if, since rule_applied_at, on this server:
#   1. no event 323 names the relying party, and
#   2. a success audit 299 (token issued) names the relying party, and the audits with its
#      instance id show the caller (501, primarysid = caller_sid) and an OnBehalfOf subject (502).
# In the audits Properties[0] is the instance id, 299's relying party follows it, and 501 holds
# claim type/value pairs (ADFS-TBX). Get-WinEvent throws "No events were found" when nothing
# matches, hence -ErrorAction SilentlyContinue and the explicit counts. Both logs are read from
# rule_applied_at on only (CONVENTIONS rule 7).
$ok323Rp = {{ rp_identifier }}
$ok323Sid = {{ caller_sid }}
$ok323Since = [datetime]::Parse({{ rule_applied_at }}, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
Write-Output ('Looking at ' + $env:COMPUTERNAME + ' since ' + $ok323Since.ToString('yyyy-MM-dd HH:mm:ss') + ' (rule_applied_at).')

$ok323Failed = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 323; StartTime = $ok323Since } -ErrorAction SilentlyContinue |
    Where-Object { ([string]$_.Message).IndexOf($ok323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
$ok323Failed | Format-List TimeCreated, ActivityId, Message
Write-Output ('New events 323 for the relying party: ' + $ok323Failed.Count)

$ok323Issued = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 299; StartTime = $ok323Since } -ErrorAction SilentlyContinue |
    Where-Object { $_.Properties.Count -gt 0 -and ((@($_.Properties | ForEach-Object { [string]$_.Value })) -join "`n").IndexOf($ok323Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
$ok323Linked = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 502; StartTime = $ok323Since } -ErrorAction SilentlyContinue |
    Where-Object { $_.Properties.Count -gt 0 })
Write-Output ('Tokens issued for the relying party (audit 299): ' + $ok323Issued.Count)

$ok323ForCaller = 0
$ok323Evidence = @()
foreach ($ok323Token in $ok323Issued) {
    $ok323Iid = [string]$ok323Token.Properties[0].Value
    $ok323Lines = @($ok323Linked | Where-Object { $_.Id -eq 501 -and [string]$_.Properties[0].Value -eq $ok323Iid } | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { ([string]$_.Value) -split "`r?`n" } } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    $ok323Primary = @()
    for ($ok323I = 0; $ok323I -lt $ok323Lines.Count - 1; $ok323I++) {
        if ($ok323Lines[$ok323I] -clike '*/claims/primarysid') {
            $ok323Primary += $ok323Lines[$ok323I + 1]
        }
    }
    if ($ok323Primary -ccontains $ok323Sid) {
        $ok323ForCaller++
        if (@($ok323Linked | Where-Object { $_.Id -eq 502 -and [string]$_.Properties[0].Value -eq $ok323Iid }).Count -gt 0) {
            $ok323Evidence += $ok323Token
        }
    }
}
$ok323Evidence | Format-List TimeCreated, Id, @{ n = 'InstanceId'; e = { [string]$_.Properties[0].Value } }

if ($ok323Failed.Count -gt 0) {
    throw ('FAIL: ' + $ok323Failed.Count + ' new event(s) 323 for ' + $ok323Rp + ' since the change. Correlate the newest one (capture-instance-id, show-caller-claims): a different caller needs its own run; the same caller_sid means another rule (a deny) wins. If the application still fails, roll back.')
}
if ($ok323Issued.Count -eq 0) {
    throw 'NO EVIDENCE: no token was issued for this relying party on this server since the change (no audit 299). The request was not repeated yet, went to another farm server, or success auditing is off (check-auditing). Repeat it against this server and run this step again.'
}
if ($ok323ForCaller -eq 0) {
    throw 'NO EVIDENCE: tokens were issued for this relying party, but none to caller_sid (no matching audit 501). Repeat the failing request from the caller against this server and run this step again.'
}
if ($ok323Evidence.Count -eq 0) {
    throw 'NO EVIDENCE: the caller received tokens for itself, but none on behalf of a user (no audit 502 with the same instance id). Repeat the OnBehalfOf request that failed and run this step again.'
}
Write-Output ('PASS: no new event 323 for ' + $ok323Rp + ', and ' + $ok323Evidence.Count + ' token(s) were issued to caller_sid on behalf of a user since the change (audits 299/501/502).')
