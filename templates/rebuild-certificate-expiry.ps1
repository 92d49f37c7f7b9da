# A2 (EX13-RENEW, KB3215261): is the current federation certificate really expired?
# Exchange cmdlets: -ErrorVariable and the returned objects decide, never try/catch (change review M1).
$expiryName = {{ trust_name }}
$expiryTrust = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable expiryTrustErr | Where-Object { [string]$_.Name -eq $expiryName })
if ($expiryTrustErr) { Write-Warning "Get-FederationTrust reported: $($expiryTrustErr[0])" }
if ($expiryTrust.Count -ne 1) {
    throw "Expected exactly one federation trust named '$expiryName', found $($expiryTrust.Count)."
}
$expiryNotAfter = $null
$expiryThumbprint = [string]$expiryTrust[0].OrgPrivCertificate
if ($expiryTrust[0].OrgCertificate) {
    $expiryThumbprint = [string]$expiryTrust[0].OrgCertificate.Thumbprint
    $expiryNotAfter = [datetime]$expiryTrust[0].OrgCertificate.NotAfter
}
if ([string]::IsNullOrWhiteSpace($expiryThumbprint)) {
    throw 'The trust has no current certificate thumbprint (OrgCertificate/OrgPrivCertificate is empty). Investigate before removing anything.'
}
Write-Output "Current federation certificate on the trust: $expiryThumbprint"

# Never call Get-ExchangeCertificate with an empty thumbprint: it would list every certificate.
$expiryLocal = @(Get-ExchangeCertificate -Thumbprint $expiryThumbprint -DomainController {{ dc_fqdn }} -ErrorAction SilentlyContinue -ErrorVariable expiryCertErr)
if ($expiryLocal.Count -gt 0) {
    $expiryLocal | Format-Table -AutoSize Thumbprint,NotAfter,Services
    if (-not $expiryNotAfter) { $expiryNotAfter = [datetime]$expiryLocal[0].NotAfter }
}
else {
    Write-Warning 'The certificate is not installed on this server (KB3215261). If another Exchange server still has it, export/import it and re-check; if it is lost everywhere, this rebuild (with the AD cleanup) is the fix: override this gate with that reason.'
}
if (-not $expiryNotAfter) {
    throw 'Could not read NotAfter of the current federation certificate. Check on the server that holds it (KB3215261); if it is lost on every server, override this gate with that reason.'
}

$expiryNow = Get-Date
Write-Output "NotAfter: $expiryNotAfter  (now: $expiryNow)"
if ($expiryNotAfter -gt $expiryNow) {
    throw 'The federation certificate has NOT expired. Do not remove the trust: use the certificate rollover (EX13-RENEW: Set-FederationTrust -Thumbprint, then -PublishFederationCertificate) instead, and check time skew for any 1007 error.'
}
Write-Output 'PASS: the federation certificate has expired; the remove-and-recreate procedure applies.'
