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
# -ErrorAction Continue, not SilentlyContinue (which implicit remoting applies on the server, leaving
# the error variable empty): the error is shown and read. A read error (RBAC, RPC/WinRM) is told
# apart from "not installed on this server" (KB3215261) by the error record's category/exception
# type, not by its (possibly localized) text; either way the gate fails, only the advice differs,
# so that a read failure never points the operator at overriding the gate.
$expiryLocal = @(Get-ExchangeCertificate -Thumbprint $expiryThumbprint -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable expiryCertErr)
# Not found: category ObjectNotFound or an exception type such as ManagementObjectNotFoundException.
$expiryReadErr = @($expiryCertErr | Where-Object { -not ($_.PSObject.Properties['CategoryInfo'] -and $_.CategoryInfo) -or -not ([string]$_.CategoryInfo.Category -eq 'ObjectNotFound' -or [string]$_.CategoryInfo.Reason -match 'NotFound') })
if ($expiryLocal.Count -gt 0) {
    $expiryLocal | Format-Table -AutoSize Thumbprint,NotAfter,Services
    if (-not $expiryNotAfter) { $expiryNotAfter = [datetime]$expiryLocal[0].NotAfter }
}
elseif ($expiryReadErr.Count -gt 0) {
    foreach ($expiryErrRow in $expiryReadErr) { Write-Output "READ ERROR: Get-ExchangeCertificate: $expiryErrRow" }
    Write-Warning 'Get-ExchangeCertificate could not be read (a READ ERROR, e.g. RBAC: the account lacks the Exchange certificate permissions; RPC/WinRM: the server is unreachable). This does NOT show that the certificate is missing: fix the access and run this check again. Do not override this gate because of a read error.'
}
else {
    Write-Warning 'The certificate is not installed on this server (KB3215261). If another Exchange server still has it, export/import it and re-check; if it is lost everywhere, this rebuild (with the AD cleanup) is the fix: override this gate with that reason.'
}
if (-not $expiryNotAfter) {
    if ($expiryLocal.Count -eq 0 -and $expiryReadErr.Count -gt 0) {
        throw 'Could not read NotAfter of the current federation certificate because Get-ExchangeCertificate failed to read (READ ERROR above, RBAC/RPC). Fix the access and run this check again; this is not a reason to override the gate.'
    }
    throw 'Could not read NotAfter of the current federation certificate: it is not installed on this server. Check on the server that holds it (KB3215261); if it is lost on every server, override this gate with that reason.'
}

$expiryNow = Get-Date
Write-Output "NotAfter: $expiryNotAfter  (now: $expiryNow)"
if ($expiryNotAfter -gt $expiryNow) {
    throw 'The federation certificate has NOT expired. Do not remove the trust: use the certificate rollover (EX13-RENEW: Set-FederationTrust -Thumbprint, then -PublishFederationCertificate) instead, and check time skew for any 1007 error.'
}
Write-Output 'PASS: the federation certificate has expired; the remove-and-recreate procedure applies.'
