# Load the AD FS cmdlets and check that this server may change the AD FS configuration.
{% if admin_log == "AD FS 2.0/Admin" -%}
# AD FS 2.0 ships its cmdlets as a snap-in (section 3.1).
if (-not (Get-PSSnapin -Name Microsoft.Adfs.PowerShell -ErrorAction SilentlyContinue)) {
    Add-PSSnapin Microsoft.Adfs.PowerShell
}
{% else -%}
# AD FS on Windows Server 2012 and later ships its cmdlets as the ADFS module (section 3.1).
Import-Module ADFS
{% endif -%}
$adfs323Identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
$adfs323Admin = ([System.Security.Principal.WindowsPrincipal]$adfs323Identity).IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
Write-Output ('Running as ' + $adfs323Identity.Name + '; elevated: ' + $adfs323Admin)

# In a Windows Internal Database (WID) farm only the primary server holds a writable copy of
# the configuration: Set-* cmdlets must run there (ADFS-TBX checks Role before any Set-*).
$adfs323Sync = Get-AdfsSyncProperties
$adfs323Sync | Format-List *
$adfs323Role = [string]$adfs323Sync.Role
if (-not $adfs323Admin) {
    Write-Output 'FAIL: this PowerShell session is not elevated. Start it with "Run as administrator" (the Security log and the AD FS configuration need it).'
}
elseif ($adfs323Role -eq 'SecondaryComputer') {
    Write-Output 'FAIL: this is a secondary server of a WID farm. Run this runbook on the primary AD FS server (shown above).'
}
else {
    Write-Output ('PASS: elevated, and this server can change the AD FS configuration (Role ' + $adfs323Role + ').')
}
