# Read-only (section 3.1): the audit events 501/502 are written to the Security log only when
# AD FS auditing is on at all three levels. Nothing here changes the configuration.
$adfs323Props = Get-AdfsProperties
$adfs323Props | Format-List LogLevel,AuditLevel
$adfs323Levels = @($adfs323Props.LogLevel | ForEach-Object { [string]$_ })
$adfs323Missing = @('SuccessAudits', 'FailureAudits' | Where-Object { $adfs323Levels -notcontains $_ })

Write-Output '--- auditpol: Application Generated (the subcategory name is localized on non-English Windows) ---'
& auditpol.exe /get '/subcategory:Application Generated'

if ($adfs323Missing.Count -gt 0) {
    Write-Output ('NOT AUDITING: LogLevel lacks ' + ($adfs323Missing -join ', ') + '. Events 501/502 will not be written.')
}
else {
    Write-Output 'PASS: LogLevel includes SuccessAudits and FailureAudits. Check the auditpol line above shows Success and Failure.'
}
