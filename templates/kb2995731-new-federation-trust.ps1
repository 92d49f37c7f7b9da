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
    New-FederationTrust -Name {{ trust_name }} -Thumbprint {{ new_thumbprint }} -DomainController {{ dc_fqdn }} -ErrorVariable trustNewErr
    if ($trustNewErr) {
        throw ('New-FederationTrust failed: ' + (($trustNewErr | ForEach-Object { [string]$_ }) -join ' | ') + ' MaxUriReached: wait 24 hours (KB3027942); 1007 AccessDenied: fix the clock (KB3107293); then run this step again.')
    }
    Write-Output "CREATED: the federation trust $trustName with the new certificate."
}
