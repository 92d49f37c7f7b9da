# C1/D7 (EX13-CONFIG, EX13-RENEW): a new self-signed federation certificate. Requirements
# (EX13-FED): exportable private key, a unique Subject Key Identifier, Services Federation.
# Only the thumbprint is written to the output: it becomes the captured value; messages go to the host.
# Safe to run again (rule 9): a certificate this run already made is reused instead of creating another:
# first the valid one the new trust already uses, else the newest valid, exportable Federation certificate
# with the same friendly name created in the last 3 days.
$certName = {{ trust_name }}
$certFriendly = {{ certificate_friendly_name }}
$certTrust = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable certTrustErr | Where-Object { [string]$_.Name -eq $certName })
$certRecent = @(Get-ExchangeCertificate -DomainController {{ dc_fqdn }} -ErrorVariable certListErr |
    Where-Object { [string]$_.Services -match 'Federation' -and [string]$_.FriendlyName -eq $certFriendly -and $_.PrivateKeyExportable -eq $true -and [datetime]$_.NotAfter -gt (Get-Date) -and [datetime]$_.NotBefore -gt (Get-Date).AddDays(-3) } |
    Sort-Object { [datetime]$_.NotBefore } -Descending)
if ($certTrustErr) { throw "Get-FederationTrust failed, so it is unknown whether the new trust already uses a certificate: $($certTrustErr[0])" }
if ($certListErr) { throw "Get-ExchangeCertificate failed, so it is unknown whether a certificate was already created: $($certListErr[0])" }
if ($certTrust.Count -eq 1 -and -not [string]::IsNullOrWhiteSpace([string]$certTrust[0].OrgPrivCertificate) -and $certTrust[0].OrgCertificate -and [datetime]$certTrust[0].OrgCertificate.NotAfter -gt (Get-Date)) {
    Write-Host ('Already done: the trust {0} exists and uses certificate {1}; reusing it.' -f $certName, $certTrust[0].OrgPrivCertificate)
    [string]$certTrust[0].OrgPrivCertificate
}
elseif ($certRecent.Count -gt 0) {
    Write-Host ('Already done: reusing federation certificate {0} created {1} (valid until {2}); {3} candidate(s).' -f $certRecent[0].Thumbprint, $certRecent[0].NotBefore, $certRecent[0].NotAfter, $certRecent.Count)
    [string]$certRecent[0].Thumbprint
}
else {
    $ski = [System.Guid]::NewGuid().ToString('N')
    $certNew = New-ExchangeCertificate -DomainName {{ certificate_domain }} -FriendlyName {{ certificate_friendly_name }} -Services Federation -KeySize 2048 -PrivateKeyExportable $true -SubjectKeyIdentifier $ski -DomainController {{ dc_fqdn }} -ErrorVariable certNewErr
    if ($certNewErr) { throw "New-ExchangeCertificate failed: $($certNewErr[0])" }
    if (-not $certNew -or [string]::IsNullOrWhiteSpace([string]$certNew.Thumbprint)) {
        throw 'New-ExchangeCertificate returned no certificate.'
    }
    Write-Host ('Created federation certificate {0}, valid until {1}' -f $certNew.Thumbprint, $certNew.NotAfter)
    [string]$certNew.Thumbprint
}
