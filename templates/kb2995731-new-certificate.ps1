# D7 (EX13-CONFIG, EX13-RENEW): a new self-signed federation certificate with an exportable
# private key, a unique Subject Key Identifier and Services Federation (EX13-FED).
# Safe to run again (resume): if the trust was already created, its certificate is used; if
# this step already created a certificate (noted in record_folder) that still exists, it is
# used again instead of creating another one.
# Only the thumbprint is written to the output: it becomes the captured value (messages go to
# the host). Exchange cmdlets: -ErrorVariable and the returned objects, never try/catch (M1).
$certTrustName = {{ trust_name }}
$certMarker = Join-Path -Path {{ record_folder }} -ChildPath 'kb2995731-new-certificate-thumbprint.txt'
$certThumb = $null

$certTrusts = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable certTrustErr | Where-Object { [string]$_.Name -eq $certTrustName })
if ($certTrustErr) {
    throw ('Get-FederationTrust failed: ' + (($certTrustErr | ForEach-Object { [string]$_ }) -join ' | '))
}
if ($certTrusts.Count -eq 1 -and -not [string]::IsNullOrWhiteSpace([string]$certTrusts[0].OrgPrivCertificate)) {
    $certThumb = ([string]$certTrusts[0].OrgPrivCertificate).Trim()
    Write-Host "Already done: the trust $certTrustName exists and uses certificate $certThumb."
}
elseif ((Test-Path -LiteralPath $certMarker) -and (Get-Item -LiteralPath $certMarker).LastWriteTime -gt (Get-Date).AddDays(-7)) {
    $certNoted = ([string](Get-Content -LiteralPath $certMarker -TotalCount 1)).Trim()
    $certFound = @(Get-ExchangeCertificate -Thumbprint $certNoted -DomainController {{ dc_fqdn }} -ErrorVariable certFoundErr)
    if ($certFoundErr -or $certFound.Count -ne 1) {
        throw "$certMarker names certificate $certNoted, which this server does not have. Check Get-ExchangeCertificate; delete that file to create a new certificate."
    }
    $certThumb = $certNoted
    Write-Host ('Already done: certificate {0} was created by this step on {1}; it is used again.' -f $certThumb, (Get-Item -LiteralPath $certMarker).LastWriteTime)
}
else {
    $certSki = [System.Guid]::NewGuid().ToString('N')
    $certNew = New-ExchangeCertificate -DomainName {{ certificate_domain }} -FriendlyName {{ certificate_friendly_name }} -Services Federation -KeySize 2048 -PrivateKeyExportable $true -SubjectKeyIdentifier $certSki -DomainController {{ dc_fqdn }} -ErrorVariable certNewErr
    if ($certNewErr -or -not $certNew -or [string]::IsNullOrWhiteSpace([string]$certNew.Thumbprint)) {
        throw ('New-ExchangeCertificate returned no certificate: ' + (($certNewErr | ForEach-Object { [string]$_ }) -join ' | '))
    }
    $certThumb = ([string]$certNew.Thumbprint).Trim()
    [void][System.IO.Directory]::CreateDirectory({{ record_folder }})
    Set-Content -LiteralPath $certMarker -Value $certThumb -Encoding ASCII
    Write-Host ('Created federation certificate {0}, valid until {1} (noted in {2})' -f $certThumb, $certNew.NotAfter, $certMarker)
}
$certThumb
