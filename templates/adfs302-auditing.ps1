# Read-only: the audits 501/503 exist only if AD FS auditing is on (adfsToolbox): LogLevel with
# SuccessAudits and FailureAudits, the "Application Generated" audit subcategory enabled, and the
# AD FS service account holding "Generate security audits". Nothing is changed here.
$a302Props = Get-AdfsProperties
$a302Levels = @($a302Props.LogLevel | ForEach-Object { [string]$_ })
Write-Output ('LogLevel: ' + ($a302Levels -join ', '))
if ($a302Props.PSObject.Properties['AuditLevel']) {
    Write-Output ('AuditLevel: ' + [string]$a302Props.AuditLevel)
}
Write-Output '--- auditpol.exe /get /subcategory:"Application Generated" ---'
& auditpol.exe /get /subcategory:"Application Generated"
$a302Missing = @('SuccessAudits', 'FailureAudits' | Where-Object { $a302Levels -notcontains $_ })
if ($a302Missing.Count -gt 0) {
    Write-Output ('FAIL: LogLevel lacks ' + ($a302Missing -join ' and ') + '; AD FS writes no audit events 501/503.')
}
else {
    Write-Output 'PASS: AD FS LogLevel includes SuccessAudits and FailureAudits (check that auditpol shows Success and Failure).'
}
