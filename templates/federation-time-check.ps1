# Time-skew check (KB3107293, BLOG-ECA, W32TM). MFG rejects requests from a clock 5 minutes or more
# off with "1007 AccessDenied", which looks exactly like an expired certificate. Shared by the
# rebuild and the rollover runbooks. The KB limit is 300 s; this gate fails above 60 s (domain
# reference 1.4 warn level, change review R11) because the calls to MFG come an hour or more
# later (DNS waits). Above 60 s, fix time; only with a recorded reason override the gate.
$skewTargets = @({{ dc_fqdn }}, {{ ntp_reference }})
$skewFailures = @()
$skewWarnings = @()

Write-Output '--- w32tm /query /status /verbose (this server) ---'
$skewStatus = @(& w32tm.exe /query /status /verbose | ForEach-Object { [string]$_ })
$skewStatus
if (($skewStatus -join "`n") -match 'Local CMOS Clock|Free-running') {
    $skewWarnings += 'This server syncs from Local CMOS Clock / Free-running: it has no real time source.'
}

foreach ($skewTarget in $skewTargets) {
    Write-Output "--- w32tm /stripchart /computer:$skewTarget /samples:5 /dataonly ---"
    $skewLines = @(& w32tm.exe /stripchart "/computer:$skewTarget" /samples:5 /dataonly | ForEach-Object { [string]$_ })
    $skewLines
    $skewOffsets = @()
    foreach ($skewLine in $skewLines) {
        $skewMatch = [regex]::Match($skewLine, '([+-]?\d+[.,]\d+)s\s*$')
        if ($skewMatch.Success) {
            $skewText = $skewMatch.Groups[1].Value.Replace(',', '.')
            $skewOffsets += [math]::Abs([double]::Parse($skewText, [System.Globalization.CultureInfo]::InvariantCulture))
        }
    }
    if ($skewOffsets.Count -eq 0) {
        $skewFailures += "No offset samples from $skewTarget (check the name, UDP 123 and the Windows Time service)."
        continue
    }
    $skewMax = ($skewOffsets | Measure-Object -Maximum).Maximum
    Write-Output ('Largest absolute offset to {0}: {1:N3} s over {2} samples' -f $skewTarget, $skewMax, $skewOffsets.Count)
    if ($skewMax -ge 300) {
        $skewFailures += ('Offset to {0} is {1:N1} s: at or above the 5-minute limit.' -f $skewTarget, $skewMax)
    }
    elseif ($skewMax -gt 60) {
        $skewFailures += ('Offset to {0} is {1:N1} s: under the 5-minute limit but above 60 s; fix it before MFG is called (or override this gate with a recorded reason).' -f $skewTarget, $skewMax)
    }
}

foreach ($skewWarning in $skewWarnings) { Write-Warning $skewWarning }
if ($skewFailures.Count -gt 0) {
    foreach ($skewFailure in $skewFailures) { Write-Output "FAIL: $skewFailure" }
    throw 'Time skew check failed. Fix time first (w32tm /resync /rediscover, or the PDC emulator time source) and run this check again. An offset between 60 and 300 s may be accepted only by overriding this gate with a recorded reason.'
}
Write-Output 'PASS: every offset is under 300 s and none is above 60 s.'
