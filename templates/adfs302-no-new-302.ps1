# F6 for ActAs with positive evidence (domain reference 3.2 and 7.4): "no new 302" counts only
# when the request was repeated against THIS server after the change and succeeded. So this
# passes only if, since rule_applied_at, on this server:
#   1. no event 302 names the relying party, and
#   2. a success audit 299 (token issued) names the relying party, and the audits with its
#      instance id show the caller (501, primarysid = caller_sid) and an ActAs identity (503).
# In the audits Properties[0] is the instance id, 299's relying party follows it, and 501 holds
# claim type/value pairs (ADFS-TBX). -ErrorAction SilentlyContinue: Get-WinEvent raises "No
# events were found" when nothing matches; the counts below say what that means. Both logs are
# read from rule_applied_at on only (CONVENTIONS rule 7).
$x302Since = [datetime]::Parse({{ rule_applied_at }}, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind)
$x302Rp = {{ rp_identifier }}
$x302Sid = {{ caller_sid }}
$x302New = @(Get-WinEvent -FilterHashtable @{ LogName = 'AD FS/Admin'; Id = 302; StartTime = $x302Since } -ErrorAction SilentlyContinue | Where-Object { ([string]$_.Message).IndexOf($x302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
Write-Output ('Events 302 for {0} on {1} since {2:u}: {3}' -f $x302Rp, $env:COMPUTERNAME, $x302Since, $x302New.Count)
$x302Issued = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 299; StartTime = $x302Since } -ErrorAction SilentlyContinue | Where-Object { $_.Properties.Count -gt 0 -and ((@($_.Properties | ForEach-Object { [string]$_.Value })) -join "`n").IndexOf($x302Rp, [System.StringComparison]::OrdinalIgnoreCase) -ge 0 })
$x302Linked = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 503; StartTime = $x302Since } -ErrorAction SilentlyContinue | Where-Object { $_.Properties.Count -gt 0 })
Write-Output ('Tokens issued for the relying party (audit 299): {0}' -f $x302Issued.Count)
$x302ForCaller = 0
$x302Evidence = @()
foreach ($x302Token in $x302Issued) {
    $x302Iid = [string]$x302Token.Properties[0].Value
    $x302Lines = @($x302Linked | Where-Object { $_.Id -eq 501 -and [string]$_.Properties[0].Value -eq $x302Iid } | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { ([string]$_.Value) -split "`r?`n" } } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    $x302Primary = @()
    for ($x302I = 0; $x302I -lt $x302Lines.Count - 1; $x302I++) {
        if ($x302Lines[$x302I] -clike '*/claims/primarysid') {
            $x302Primary += $x302Lines[$x302I + 1]
        }
    }
    if ($x302Primary -ccontains $x302Sid) {
        $x302ForCaller++
        if (@($x302Linked | Where-Object { $_.Id -eq 503 -and [string]$_.Properties[0].Value -eq $x302Iid }).Count -gt 0) {
            $x302Evidence += $x302Token
        }
    }
}
$x302Evidence | Format-List TimeCreated, Id, @{ n = 'InstanceId'; e = { [string]$_.Properties[0].Value } }
if ($x302New.Count -gt 0) {
    $x302New | Format-List TimeCreated, ActivityId, Message
    throw 'FAIL: event 302 is still logged for this relying party. Correlate its instance id with event 501: a different caller SID needs its own rule; the same SID means another rule (deny) wins. Roll back if the rule does not help.'
}
if ($x302Issued.Count -eq 0) {
    throw 'NO EVIDENCE: no token was issued for this relying party on this server since the change (no audit 299). The request was not repeated yet, went to another farm server, or success auditing is off (check-auditing). Repeat it against this server and run this step again.'
}
if ($x302ForCaller -eq 0) {
    throw 'NO EVIDENCE: tokens were issued for this relying party, but none to caller_sid (no matching audit 501). Repeat the failing request from the caller against this server and run this step again.'
}
if ($x302Evidence.Count -eq 0) {
    throw 'NO EVIDENCE: the caller received tokens for itself, but none acting as a user (no audit 503 with the same instance id). Repeat the ActAs request that failed and run this step again.'
}
Write-Output ('PASS: no new event 302 for this relying party since the rule was added, and {0} token(s) were issued to caller_sid acting as a user (audits 299/501/503).' -f $x302Evidence.Count)
