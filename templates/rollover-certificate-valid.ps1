# A2 (EX13-RENEW): the rollover only works while the current federation certificate is still
# valid: once it has expired, -PublishFederationCertificate fails with 1007 AccessDenied.
$validTrust = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable validTrustErr)
if ($validTrustErr) {
    throw ('Get-FederationTrust failed: {0}' -f @($validTrustErr)[0])
}
if ($validTrust.Count -ne 1) {
    throw "Expected exactly one federation trust named as captured, found $($validTrust.Count)."
}
$validTrust[0] | Format-List Name,OrgPrivCertificate,OrgNextPrivCertificate,OrgPrevPrivCertificate

$validNotAfter = $null
if ($validTrust[0].OrgCertificate) {
    $validNotAfter = [datetime]$validTrust[0].OrgCertificate.NotAfter
}
# The thumbprint was captured (and checked to be non-empty) by the previous step, so this
# Get-ExchangeCertificate can never list every certificate. "Not installed on this server" is an
# expected answer (KB3215261), so its error is reported, not fatal; NotAfter is then read from the trust.
# -ErrorAction Continue, not SilentlyContinue: under implicit remoting SilentlyContinue suppresses the
# error on the server and -ErrorVariable would stay empty.
$validLocal = @(Get-ExchangeCertificate -Thumbprint {{ current_thumbprint }} -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable validLocalErr)
if ($validLocalErr) {
    Write-Output ('Get-ExchangeCertificate on this server: {0}' -f @($validLocalErr)[0])
}
if ($validLocal.Count -gt 0) {
    $validLocal | Format-Table -AutoSize Thumbprint,NotAfter,Services
    if (-not $validNotAfter) { $validNotAfter = [datetime]$validLocal[0].NotAfter }
}
else {
    Write-Warning 'The current federation certificate is not installed on this server (KB3215261). Export it from an Exchange server that has it and import it here (or run the runbook on that server) before going on.'
}
if (-not $validNotAfter) {
    throw 'Could not read NotAfter of the current federation certificate. Check on the server that holds it (KB3215261).'
}

$validNext = [string]$validTrust[0].OrgNextPrivCertificate
if (-not [string]::IsNullOrWhiteSpace($validNext)) {
    Write-Warning "A next certificate is already staged ($validNext), probably by an earlier attempt. If it was created by this rollover in the last 7 days (same friendly name), create-federation-certificate reuses it; otherwise the staging step replaces it with the certificate it creates."
}

# A current certificate issued in the last few days usually means a rollover has just been
# finished: rolling again would replace a brand-new certificate.
if ($validTrust[0].OrgCertificate -and $validTrust[0].OrgCertificate.PSObject.Properties['NotBefore'] -and [datetime]$validTrust[0].OrgCertificate.NotBefore -gt (Get-Date).AddDays(-7)) {
    Write-Warning "The current federation certificate was issued on $($validTrust[0].OrgCertificate.NotBefore): a rollover seems to have finished recently. If this is a restart of that rollover, resume it at the step where it stopped (exported script: -StartAt) instead of starting over."
}

$validNow = Get-Date
$validDays = ($validNotAfter - $validNow).TotalDays
Write-Output ('NotAfter: {0}  (now: {1}; {2:N1} days left)' -f $validNotAfter, $validNow, $validDays)
if ($validNotAfter -le $validNow) {
    throw 'STOP: the federation certificate has ALREADY EXPIRED. A rollover is no longer possible (publishing would fail with 1007 AccessDenied). Use the runbook exchange-federation-trust-rebuild instead.'
}
if ($validDays -lt 3) {
    Write-Warning 'Less than 3 days left. DNS propagation and certificate distribution take hours: work through the runbook without pausing. If the certificate expires before the publish step, the rollover fails and only exchange-federation-trust-rebuild remains.'
}
Write-Output 'PASS: the federation certificate is still valid; the rollover applies.'
