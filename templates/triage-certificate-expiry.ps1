# Procedure A2 (EX13-RENEW, KB3215261): when does the trust's current federation certificate expire?
# Read-only. The answer decides the way forward: still valid -> certificate rollover (keeps the
# trust); already expired -> remove and recreate the trust (rebuild).
$triageTrust = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable triageTrustErr)
if ($triageTrustErr) {
    throw ('Get-FederationTrust failed: {0}' -f @($triageTrustErr)[0])
}
if ($triageTrust.Count -ne 1) {
    throw "Expected exactly one federation trust with the captured name, found $($triageTrust.Count)."
}
$triageTrust[0] | Format-List Name,OrgPrivCertificate,OrgNextPrivCertificate,OrgPrevPrivCertificate
$triageNotAfter = $null
$triageThumbprint = [string]$triageTrust[0].OrgPrivCertificate
if ($triageTrust[0].OrgCertificate) {
    $triageThumbprint = [string]$triageTrust[0].OrgCertificate.Thumbprint
    $triageNotAfter = [datetime]$triageTrust[0].OrgCertificate.NotAfter
    Write-Output "OrgCertificate on the trust: $triageThumbprint, NotAfter $triageNotAfter"
}
if ([string]::IsNullOrWhiteSpace($triageThumbprint)) {
    throw 'The trust has no current certificate thumbprint (OrgCertificate/OrgPrivCertificate is empty). Investigate before choosing a remediation.'
}

# Never call Get-ExchangeCertificate with an empty thumbprint: it would list every certificate.
# "Not found on this server" is an expected answer here (KB3215261), so its error is only reported.
# -ErrorAction Continue, not SilentlyContinue: under implicit remoting SilentlyContinue suppresses the
# error on the server and -ErrorVariable would stay empty.
$triageLocal = @(Get-ExchangeCertificate -Thumbprint $triageThumbprint -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable triageLocalErr)
if ($triageLocalErr) {
    Write-Output ('Get-ExchangeCertificate on this server: {0}' -f @($triageLocalErr)[0])
}
if ($triageLocal.Count -gt 0) {
    $triageLocal | Format-Table -AutoSize Thumbprint,NotAfter,Services
    if (-not $triageNotAfter) { $triageNotAfter = [datetime]$triageLocal[0].NotAfter }
}
else {
    Write-Warning 'The certificate is not installed on this server (KB3215261). Check the other Exchange servers: if one still has it, export/import it from there.'
}
if (-not $triageNotAfter) {
    Write-Output 'RESULT: UNKNOWN - NotAfter could not be read here. Run this step on a server that holds the certificate (KB3215261).'
}
else {
    $triageNow = Get-Date
    $triageDays = [math]::Floor(($triageNotAfter - $triageNow).TotalDays)
    Write-Output "NotAfter: $triageNotAfter  (now: $triageNow)"
    if ($triageNotAfter -gt $triageNow) {
        Write-Output "RESULT: VALID - the federation certificate expires in $triageDays day(s): roll it over (the trust stays)."
    }
    else {
        Write-Output "RESULT: EXPIRED - the federation certificate expired $(-$triageDays) day(s) ago: the trust must be rebuilt."
    }
}
