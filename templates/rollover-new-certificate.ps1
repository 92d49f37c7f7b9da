# C1 (EX13-RENEW, EX13-CONFIG): the new self-signed federation certificate. Requirements
# (EX13-FED): exportable private key, a unique Subject Key Identifier, Services Federation.
# Only the thumbprint is written to the output: it becomes the captured value.
$ski = [System.Guid]::NewGuid().ToString('N')
$c = New-ExchangeCertificate -DomainName {{ certificate_domain }} -FriendlyName {{ certificate_friendly_name }} -Services Federation -KeySize 2048 -PrivateKeyExportable $true -SubjectKeyIdentifier $ski
if (-not $c -or [string]::IsNullOrWhiteSpace([string]$c.Thumbprint)) {
    throw 'New-ExchangeCertificate returned no certificate.'
}
Write-Host ('Created federation certificate {0}, valid until {1}' -f $c.Thumbprint, $c.NotAfter)
$c.Thumbprint
