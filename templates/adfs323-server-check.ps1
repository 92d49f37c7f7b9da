# Load the AD FS cmdlets and check that this server may change the AD FS configuration.
# AD FS on Windows Server 2012 and later ships its cmdlets as the ADFS module (section 3.1); the
# runbook's preamble loads it too. Windows PowerShell 5.1 (WMF 5.1) is required.
Import-Module ADFS -ErrorAction Stop
$sv323Identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
$sv323Admin = ([System.Security.Principal.WindowsPrincipal]$sv323Identity).IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
Write-Output ('Running as ' + $sv323Identity.Name + '; elevated: ' + $sv323Admin + '; PowerShell ' + $PSVersionTable.PSVersion)

# In a Windows Internal Database (WID) farm only the primary server holds a writable copy of
# the configuration: Set-* cmdlets must run there (ADFS-TBX checks Role before any Set-*).
$sv323Sync = Get-AdfsSyncProperties
$sv323Sync | Format-List *
$sv323Role = [string]$sv323Sync.Role
if (-not $sv323Admin) {
    throw 'FAIL: this PowerShell session is not elevated. Start it with "Run as administrator" (the Security log and the AD FS configuration need it).'
}
if ($sv323Role -ceq 'SecondaryComputer') {
    throw 'FAIL: this is a secondary server of a WID farm. Run this runbook on the primary AD FS server (PrimaryComputerName above).'
}
Write-Output ('PASS: elevated, and this server can change the AD FS configuration (Role ' + $sv323Role + ').')
