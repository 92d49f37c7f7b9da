# Procedure B1 (W32TM) and T4: where does this server take its time from, and is it a virtual
# machine whose host sets its clock? Read-only: w32tm /query and WMI only read.
$srcStatus = @(& w32tm.exe /query /status /verbose | ForEach-Object { [string]$_ })
$srcStatusCode = $LASTEXITCODE
$srcStatus
if ($srcStatusCode -ne 0) {
    throw "w32tm /query /status failed with exit code $srcStatusCode (is the Windows Time service running?)."
}
$srcSource = (@(& w32tm.exe /query /source | ForEach-Object { [string]$_ }) -join ' ').Trim()
Write-Output "Time source (w32tm /query /source): $srcSource"

# Hyper-V guests report Manufacturer 'Microsoft Corporation', Model 'Virtual Machine';
# VMware guests report Manufacturer 'VMware, Inc.'.
$srcHardware = ''
try {
    $srcSystem = Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop
    $srcHardware = ('{0} / {1}' -f [string]$srcSystem.Manufacturer, [string]$srcSystem.Model)
    Write-Output "Hardware (Win32_ComputerSystem Manufacturer / Model): $srcHardware"
}
catch {
    Write-Warning "Could not read Win32_ComputerSystem: $($_.Exception.Message)"
}

if ($srcSource -match 'VM IC Time Synchronization Provider') {
    Write-Output 'SOURCE: HYPER-V HOST - this virtual machine takes its time from the Hyper-V host (Time Synchronization integration service, VMICTimeProvider), not from the domain hierarchy.'
    Write-Output '        If the next measurement shows it off against the DC, the HOST clock is wrong: see step fix-server-time (the Hyper-V administrator fixes the host''s time, or turns off Time Synchronization for this VM).'
}
elseif ($srcSource -match 'Local CMOS Clock|Free-running') {
    Write-Output 'SOURCE: NONE - this server runs on its own clock (Local CMOS Clock / Free-running System Clock): it must be pointed at the domain hierarchy (step fix-server-time).'
}
else {
    Write-Output "SOURCE: $srcSource - expected: a domain controller (domain member) or a named NTP peer."
}

if ($srcHardware -match 'VMware') {
    # VMware Tools can set the guest clock from the ESXi host behind the Windows Time service's back;
    # w32tm then still names the DC as Source. VMwareToolboxCmd shows whether periodic sync is on.
    $srcToolbox = Join-Path -Path $env:ProgramFiles -ChildPath 'VMware\VMware Tools\VMwareToolboxCmd.exe'
    if (Test-Path -LiteralPath $srcToolbox) {
        $srcToolsSync = (@(& $srcToolbox timesync status | ForEach-Object { [string]$_ }) -join ' ').Trim()
        Write-Output "VMWARE: VMware Tools periodic time sync with the ESXi host (VMwareToolboxCmd timesync status): $srcToolsSync"
        if ($srcToolsSync -match 'Enabled') {
            Write-Output '        With periodic sync Enabled this VM follows the ESXi host clock: if the clock is off, the host''s NTP or this setting must be fixed by the VMware administrator (step fix-server-time).'
        }
    }
    else {
        Write-Output "VMWARE: VMwareToolboxCmd.exe not found at $srcToolbox; check 'Synchronize guest time with host' in the VM's VMware Tools options."
    }
}
elseif ($srcHardware -match 'Microsoft Corporation / Virtual Machine') {
    Write-Output 'HYPER-V: this server is a Hyper-V virtual machine; the host can set its clock through the Time Synchronization integration service.'
}
