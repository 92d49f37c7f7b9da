# D7 (EX13-CONFIG, EX13-RENEW): a new self-signed federation certificate with an exportable
# private key, a unique Subject Key Identifier and Services Federation (EX13-FED).
# Only the thumbprint is written to the output: it becomes the captured value.
$certSki = [System.Guid]::NewGuid().ToString('N')
$certNew = New-ExchangeCertificate -DomainName {{ certificate_domain }} -FriendlyName {{ certificate_friendly_name }} -Services Federation -KeySize 2048 -PrivateKeyExportable $true -SubjectKeyIdentifier $certSki
if (-not $certNew -or [string]::IsNullOrWhiteSpace([string]$certNew.Thumbprint)) {
    throw 'New-ExchangeCertificate returned no certificate.'
}
Write-Host ('Created federation certificate {0}, valid until {1}' -f $certNew.Thumbprint, $certNew.NotAfter)
$certNew.Thumbprint
