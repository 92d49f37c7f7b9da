# Procedure B4, member-server part (W32TM): point the Windows Time service back at the domain
# hierarchy, restart it and resynchronize. Safe to run again: the configuration is the same every
# time and a resync of a correct clock changes nothing.
& w32tm.exe /config /syncfromflags:domhier /update
if ($LASTEXITCODE -ne 0) { throw "w32tm /config failed with exit code $LASTEXITCODE." }
Restart-Service -Name W32Time -ErrorAction Stop

# Right after the restart the service may not have a time source yet, and w32tm /resync then fails
# ("no time data was available"). Give it a few seconds and try again before calling it a failure.
$fixResyncCode = -1
for ($fixAttempt = 1; $fixAttempt -le 6; $fixAttempt++) {
    Start-Sleep -Seconds 10
    $fixResyncOut = @(& w32tm.exe /resync /rediscover | ForEach-Object { [string]$_ })
    $fixResyncCode = $LASTEXITCODE
    $fixResyncOut
    if ($fixResyncCode -eq 0) { break }
    Write-Output "w32tm /resync attempt $fixAttempt of 6 returned exit code $fixResyncCode; waiting and trying again."
}
if ($fixResyncCode -ne 0) {
    throw "w32tm /resync /rediscover still fails after 6 attempts (exit code $fixResyncCode). Is a domain controller reachable on UDP 123?"
}
& w32tm.exe /query /status
$fixSource = (@(& w32tm.exe /query /source | ForEach-Object { [string]$_ }) -join ' ').Trim()
Write-Output "Time source now: $fixSource"
if ($fixSource -match 'VM IC Time Synchronization Provider') {
    Write-Warning 'The source is still the Hyper-V host (VM IC Time Synchronization Provider). If the host clock is off, this server will follow it again: the Hyper-V administrator must fix the host time or turn off Time Synchronization for this VM (see the instructions).'
}
