# Procedure B2/B3 (W32TM, KB3107293): measure this server's clock against a domain controller and
# an external NTP server. MFG answers "1007 AccessDenied" when the clock is 5 minutes or more off;
# anything above 60 s is already a warning. Read-only: w32tm /stripchart only measures.
$triageTargets = @({{ dc_fqdn }}, {{ ntp_reference }})
$triageMax = @{}
$triageProblems = @()

foreach ($triageTarget in $triageTargets) {
    Write-Output "--- w32tm /stripchart /computer:$triageTarget /samples:5 /dataonly ---"
    $triageLines = @(& w32tm.exe /stripchart "/computer:$triageTarget" /samples:5 /dataonly | ForEach-Object { [string]$_ })
    $triageLines
    $triageOffsets = @()
    foreach ($triageLine in $triageLines) {
        # A sample line ends in the offset in seconds, e.g. "10:42:07, +00.0123456s".
        $triageMatch = [regex]::Match($triageLine, '([+-]?\d+[.,]\d+)s\s*$')
        if ($triageMatch.Success) {
            $triageText = $triageMatch.Groups[1].Value.Replace(',', '.')
            $triageOffsets += [math]::Abs([double]::Parse($triageText, [System.Globalization.CultureInfo]::InvariantCulture))
        }
    }
    if ($triageOffsets.Count -eq 0) {
        $triageProblems += "No offset samples from $triageTarget (check the name, UDP 123 and the Windows Time service)."
        continue
    }
    $triageMax[$triageTarget] = ($triageOffsets | Measure-Object -Maximum).Maximum
    Write-Output ('Largest absolute offset to {0}: {1:N3} s over {2} samples' -f $triageTarget, $triageMax[$triageTarget], $triageOffsets.Count)
}

foreach ($triageProblem in $triageProblems) { Write-Output "NO SAMPLES: $triageProblem" }
if ($triageProblems.Count -gt 0) {
    Write-Output 'RESULT: UNKNOWN - at least one reference could not be measured; fix that and run the measurement again.'
}
else {
    $triageWorst = ($triageMax.Values | Measure-Object -Maximum).Maximum
    $triageDc = $triageMax[$triageTargets[0]]
    if ($triageWorst -ge 300) {
        Write-Output ('RESULT: CLOCK OFF - {0:N1} s, at or above the 5-minute limit: MFG rejects this server (1007 AccessDenied).' -f $triageWorst)
    }
    elseif ($triageWorst -gt 60) {
        Write-Output ('RESULT: WARNING - {0:N1} s, under 5 minutes but above 60 s: fix the time source before it drifts further.' -f $triageWorst)
    }
    else {
        Write-Output 'RESULT: IN SYNC - every offset is under 60 s.'
    }
    if ($triageWorst -gt 60) {
        if ($triageDc -gt 60) {
            Write-Output 'WHERE: this server is off against the domain controller -> fix this server (resync from the domain hierarchy).'
        }
        else {
            Write-Output 'WHERE: this server agrees with the domain controller but both are off against the external reference -> fix the forest-root PDC emulator.'
        }
    }
}
