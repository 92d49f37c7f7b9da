# D8 (EX13-CONFIG): create the trust from the new certificate, under the name the old trust had.
# No -UseLegacyProvisioningService: the legacy/consumer instance is retired (see 1.2 DISAGREE).
# The certificate is looked up first so that an empty or wrong thumbprint can never pipe more
# than one certificate (Get-ExchangeCertificate without a thumbprint lists them all).
$trustCert = @(Get-ExchangeCertificate -Thumbprint {{ new_thumbprint }})
if ($trustCert.Count -ne 1) {
    throw "Expected exactly one certificate with the new thumbprint on this server, found $($trustCert.Count). Nothing was created."
}
$trustCert[0] | New-FederationTrust -Name {{ trust_name }}
