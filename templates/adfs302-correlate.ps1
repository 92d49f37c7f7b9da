# 3.2 step 3 (ADFS-TBX): the Security audits with the same instance id (Properties[0]).
# 501 = the caller's claims (its primarysid is what the new rule names), 503 = the ActAs
# identity. A 502 (OnBehalfOf identity) for the same instance means the request is OnBehalfOf.
$c302Iid = {{ instance_id }}
$c302Sid = {{ caller_sid }}
$c302Audits = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 502, 503 } -ErrorAction SilentlyContinue | Where-Object { [string]$_.Properties[0].Value -eq $c302Iid })
$c302Audits | Sort-Object Id | Format-List TimeCreated, Id, @{ n = 'Data'; e = { ($_.Properties | Select-Object -Skip 1 | ForEach-Object Value) -join "`n" } }
if ($c302Audits.Count -eq 0) {
    throw 'No audit event 501/502/503 with this instance id in the Security log. Turn auditing on (see check-auditing), reproduce the request and start again, or override this gate only if you confirmed the caller SID another way.'
}
if (@($c302Audits | Where-Object { $_.Id -eq 502 }).Count -gt 0) {
    Write-Warning 'Event 502 (OnBehalfOf identity) exists for this instance: the request is OnBehalfOf, not ActAs. Choose "onbehalfof" in the decision.'
}
$c302CallerText = (@($c302Audits | Where-Object { $_.Id -eq 501 }) | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { [string]$_.Value } }) -join "`n"
if ([string]::IsNullOrEmpty($c302CallerText)) {
    throw 'There is no event 501 (caller identity) for this instance id; the caller SID cannot be confirmed.'
}
if ($c302CallerText -notmatch ('(?<![0-9-])' + [regex]::Escape($c302Sid) + '(?![0-9-])')) {
    throw 'caller_sid does not appear in event 501 for this instance. Take the primarysid value from event 501 above and restart the run with it.'
}
Write-Output 'PASS: event 501 for this instance lists caller_sid among the caller''s claims.'
