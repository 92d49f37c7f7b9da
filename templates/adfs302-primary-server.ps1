# Set-* changes to AD FS configuration must run where the configuration database is writable.
# In a WID farm only the primary server can write; a secondary refuses the change or is
# overwritten at the next sync. adfsToolbox checks Get-AdfsSyncProperties before Set-* too.
# The runbook's preamble loads the ADFS module as well; this line makes a pasted step work.
Import-Module ADFS -ErrorAction Stop
$p302Sync = Get-AdfsSyncProperties
$p302Role = [string]$p302Sync.Role
Write-Output ('AD FS sync role of {0}: {1}' -f $env:COMPUTERNAME, $p302Role)
if ($p302Role -ceq 'SecondaryComputer') {
    throw 'This is a SECONDARY server of a WID farm. Run this runbook on the primary AD FS server (the one whose role is PrimaryComputer).'
}
Write-Output 'PASS: this server can write the AD FS configuration (not a WID secondary).'
