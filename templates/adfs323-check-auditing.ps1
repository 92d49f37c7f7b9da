# Read-only (section 3.1): the audit events 501/502 (and, after the change, 299) are written to
# the Security log only when AD FS auditing is on at all three levels. Nothing here changes the
# configuration.
$au323Props = Get-AdfsProperties
$au323Props | Format-List LogLevel,AuditLevel
$au323Levels = @($au323Props.LogLevel | ForEach-Object { [string]$_ })
$au323Missing = @('SuccessAudits', 'FailureAudits' | Where-Object { $au323Levels -notcontains $_ })

Write-Output '--- auditpol: Application Generated (the subcategory name is localized on non-English Windows) ---'
& auditpol.exe /get '/subcategory:Application Generated'

if ($au323Missing.Count -gt 0) {
    Write-Output ('NOT AUDITING: LogLevel lacks ' + ($au323Missing -join ', ') + '. Events 501/502 (and the success audit 299 the last step needs) will not be written.')
}
else {
    Write-Output 'PASS: LogLevel includes SuccessAudits and FailureAudits. Check the auditpol line above shows Success and Failure.'
}
