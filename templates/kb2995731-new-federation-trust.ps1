# D8 (EX13-CONFIG): create the trust from the new certificate, addressed by its thumbprint.
# No -UseLegacyProvisioningService: the legacy/consumer instance is retired.
# Safe to run again: a trust named trust_name that already uses the new certificate is "already
# done"; any other trust stops the step. Exchange cmdlets: -ErrorVariable and the returned
# objects, never try/catch (M1); pinned to dc_fqdn (K7).
$trustName = {{ trust_name }}
$trustAll = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable trustReadErr)
if ($trustReadErr) {
    throw ('Get-FederationTrust failed: ' + (($trustReadErr | ForEach-Object { [string]$_ }) -join ' | ') + ' Nothing was created.')
}
$trustSame = @($trustAll | Where-Object { [string]$_.Name -eq $trustName })
if ($trustAll.Count -eq 1 -and $trustSame.Count -eq 1 -and [string]$trustSame[0].OrgPrivCertificate -eq {{ new_thumbprint }}) {
    Write-Output "Already done: the trust $trustName exists and uses the new certificate."
}
elseif ($trustAll.Count -gt 0) {
    throw ('A federation trust already exists (' + (($trustAll | ForEach-Object { [string]$_.Name + ' / ' + [string]$_.OrgPrivCertificate }) -join ', ') + '). Nothing was created: go back to the removal and cleanup steps.')
}
else {
    $trustCert = @(Get-ExchangeCertificate -Thumbprint {{ new_thumbprint }} -DomainController {{ dc_fqdn }} -ErrorVariable trustCertErr)
    if ($trustCertErr -or $trustCert.Count -ne 1) {
        throw "Expected exactly one certificate with the new thumbprint on this server, found $($trustCert.Count). Nothing was created."
    }
    # -ErrorAction Continue keeps an error non-terminating however the script was started (M1).
    New-FederationTrust -Name {{ trust_name }} -Thumbprint {{ new_thumbprint }} -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable trustNewErr
    $trustNewText = ($trustNewErr | ForEach-Object { [string]$_ }) -join ' | '
    # The outcome comes from reading the trust again (servers may be localized); the error text only
    # picks the advice and where the run resumes.
    $trustAfter = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable trustAfterErr | Where-Object { [string]$_.Name -eq $trustName })
    if (-not $trustAfterErr -and $trustAfter.Count -eq 1 -and [string]$trustAfter[0].OrgPrivCertificate -eq {{ new_thumbprint }}) {
        if ($trustNewText) { Write-Warning "Creating the trust reported: $trustNewText (the trust reads back as created)." }
        Write-Output "CREATED: the federation trust $trustName with the new certificate."
    }
    elseif ($trustNewText -match 'MaxUriReached|Same URI cannot be attached') {
        $trustMaxUri = Join-Path -Path {{ record_folder }} -ChildPath 'kb2995731-maxuri-reached.txt'
        [void][System.IO.Directory]::CreateDirectory({{ record_folder }})
        Set-Content -LiteralPath $trustMaxUri -Value ((Get-Date).ToUniversalTime().ToString('o')) -Encoding UTF8
        throw "MaxUriReached (KB3027942): wait 24 hours from this error (noted in $trustMaxUri), then run this step again (the resume command below); do not remove or recreate trusts meanwhile. $trustNewText"
    }
    elseif ($trustNewText -match '1007|AccessDenied') {
        throw "1007 AccessDenied: the clock is off by 5 minutes or more (KB3107293). Fix the time, then check it again and retry. $trustNewText RESUME AT: check-time-skew-before-recreate"
    }
    else {
        throw ('FAIL: no trust named trust_name with the new certificate after New-FederationTrust: ' + $trustNewText + ' ' + (($trustAfterErr | ForEach-Object { [string]$_ }) -join ' | ') + ' Nothing else was changed; find the cause and run this step again.')
    }
}
