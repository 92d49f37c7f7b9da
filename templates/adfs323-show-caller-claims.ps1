# F2 (section 3.2 step 3): the audit events with the same instance id as the event 323.
# 501 = the caller's claims, 502 = the OnBehalfOf subject, 503 = an ActAs subject (event 302's
# case). In these audits Properties[0] is the instance id (ADFS-TBX). The provider is
# 'AD FS Auditing' on 2012 R2 and later ('AD FS 2.0 Auditing' on AD FS 2.0), hence the wildcard.
$adfs323Iid = {{ instance_id }}
$adfs323Sid = {{ caller_sid }}
Write-Output 'Reading the Security log (this can take a minute on a large log) ...'
$adfs323Audits = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; ProviderName = 'AD FS*Auditing'; Id = 500, 501, 502, 503 } -ErrorAction SilentlyContinue |
    Where-Object { $_.Properties.Count -gt 0 -and [string]$_.Properties[0].Value -eq $adfs323Iid })
$adfs323Audits | Format-List TimeCreated, Id, @{ n = 'Data'; e = { ($_.Properties | Select-Object -Skip 1 | ForEach-Object { [string]$_.Value }) -join "`n" } }

if ($adfs323Audits.Count -eq 0) {
    Write-Output 'NOT FOUND: no audit event carries this instance id. Auditing is off (see check-auditing), the event is on another farm server, or the Security log has rolled over.'
}
else {
    $adfs323Ids = @($adfs323Audits | ForEach-Object { [int]$_.Id } | Sort-Object -Unique)
    Write-Output ('Audit events found for this instance id: ' + ($adfs323Ids -join ', '))
    if ($adfs323Ids -contains 503 -and $adfs323Ids -notcontains 502) {
        Write-Output 'ACTAS: event 503 and no 502 - this request is ActAs (delegation, event 302), not OnBehalfOf. Use the adfs-event-302-actas runbook.'
    }
    # The caller's primary SID: the value that follows a .../claims/primarysid claim type in event 501.
    $adfs323Lines = @($adfs323Audits | Where-Object { $_.Id -eq 501 } | ForEach-Object { $_.Properties | Select-Object -Skip 1 | ForEach-Object { ([string]$_.Value) -split "`r?`n" } } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
    $adfs323Primary = @()
    for ($adfs323I = 0; $adfs323I -lt $adfs323Lines.Count - 1; $adfs323I++) {
        if ($adfs323Lines[$adfs323I] -like '*/claims/primarysid') {
            $adfs323Primary += $adfs323Lines[$adfs323I + 1]
        }
    }
    if ($adfs323Primary.Count -eq 0) {
        Write-Output 'NO PRIMARYSID: event 501 shows no primarysid claim in the expected layout; read the caller claims above and compare with caller_sid yourself.'
    }
    elseif ($adfs323Primary -ccontains $adfs323Sid) {
        Write-Output ('MATCH: the caller''s primarysid in event 501 is caller_sid ' + $adfs323Sid + '.')
    }
    else {
        Write-Output ('MISMATCH: event 501 shows primarysid ' + ($adfs323Primary -join ', ') + ', not caller_sid ' + $adfs323Sid + '. Stop and restart the run with the right caller_sid.')
    }
}
