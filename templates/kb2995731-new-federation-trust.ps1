# D8 (EX13-CONFIG): create the trust from the new certificate, addressed by its thumbprint.
# No -UseLegacyProvisioningService: the legacy/consumer instance is retired.
$trustCert = @(Get-ExchangeCertificate -Thumbprint {{ new_thumbprint }})
if ($trustCert.Count -ne 1) {
    throw "Expected exactly one certificate with the new thumbprint on this server, found $($trustCert.Count). Nothing was created."
}
$trustExisting = @(Get-FederationTrust)
if ($trustExisting.Count -gt 0) {
    throw ('A federation trust already exists (' + (($trustExisting | ForEach-Object { [string]$_.Name }) -join ', ') + '). Nothing was created: go back to the removal and cleanup steps.')
}
New-FederationTrust -Name {{ trust_name }} -Thumbprint {{ new_thumbprint }}
