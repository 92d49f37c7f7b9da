# Procedure B4, domain part (W32TM; KB3107293 points to 816042, "How to configure an authoritative
# time server in Windows Server"). Read-only: finds the PDC emulator of the forest root domain and
# prints the commands a domain administrator runs THERE. Nothing is changed from this server.
$pdcPeer = {{ ntp_reference }}
$pdcName = $null
try {
    $pdcName = [string][System.DirectoryServices.ActiveDirectory.Forest]::GetCurrentForest().RootDomain.PdcRoleOwner.Name
}
catch {
    Write-Warning "Could not look up the forest-root PDC emulator from here: $($_.Exception.Message)"
}
if ([string]::IsNullOrWhiteSpace($pdcName)) {
    Write-Output 'PDC EMULATOR: not found from here. Find it with: netdom query fsmo (run in the forest root domain).'
}
else {
    Write-Output "PDC EMULATOR of the forest root domain: $pdcName"
}
Write-Output ''
Write-Output 'Run these in an elevated prompt ON THAT PDC EMULATOR (a domain administrator''s task):'
Write-Output '  1. w32tm /query /status        (write down Source: the rollback needs it)'
Write-Output ('  2. w32tm /config /manualpeerlist:"{0}" /syncfromflags:manual /reliable:yes /update' -f $pdcPeer)
Write-Output '  3. w32tm /resync /rediscover'
Write-Output '  4. w32tm /query /status        (Source must now be the peer above)'
Write-Output ''
Write-Output "The peer is this run's ntp_reference ($pdcPeer); use your organization's NTP servers instead if it has them."
Write-Output 'If the PDC emulator is itself a virtual machine, its hypervisor must not set its clock (Hyper-V: Time Synchronization integration service off for that VM; VMware: periodic time sync off), or it keeps following the host.'
