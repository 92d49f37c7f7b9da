# C1 (EX13-RENEW, EX13-CONFIG): the new self-signed federation certificate. Requirements
# (EX13-FED): exportable private key, a unique Subject Key Identifier, Services Federation.
# Only the thumbprint is written to the output: it becomes the captured value (messages go to
# Write-Host).
# Safe to run again: a federation certificate that an earlier attempt of this rollover created on
# this server (same friendly name, Services Federation, exportable key, created in the last 7 days,
# still valid, not the current certificate) is reused instead of creating one more.
$newCurrent = {{ current_thumbprint }}
$newFriendly = {{ certificate_friendly_name }}
$newSince = (Get-Date).AddDays(-7)
$newLocal = @(Get-ExchangeCertificate -DomainController {{ dc_fqdn }} -ErrorVariable newLocalErr)
if ($newLocalErr) {
    throw ('Get-ExchangeCertificate failed: {0}' -f @($newLocalErr)[0])
}
$newEarlier = @($newLocal | Where-Object {
        ([string]$_.Services) -match 'Federation' -and
        ([string]$_.FriendlyName) -ceq $newFriendly -and
        ([string]$_.Thumbprint) -ne $newCurrent -and
        $_.PrivateKeyExportable -eq $true -and
        [datetime]$_.NotBefore -gt $newSince -and
        [datetime]$_.NotAfter -gt (Get-Date)
    })
if ($newEarlier.Count -gt 1) {
    $newEarlier | Format-Table -AutoSize Thumbprint,FriendlyName,NotBefore,NotAfter | Out-String | Write-Host
    throw "Found $($newEarlier.Count) federation certificates named '$newFriendly' created in the last 7 days. Keep the one to use (remove the others in the Exchange admin center), then run this step again."
}
if ($newEarlier.Count -eq 1) {
    Write-Host ('ALREADY DONE: reusing federation certificate {0} created {1} by an earlier attempt, valid until {2}' -f $newEarlier[0].Thumbprint, $newEarlier[0].NotBefore, $newEarlier[0].NotAfter)
    [string]$newEarlier[0].Thumbprint
}
else {
    $ski = [System.Guid]::NewGuid().ToString('N')
    $c = New-ExchangeCertificate -DomainName {{ certificate_domain }} -FriendlyName $newFriendly -Services Federation -KeySize 2048 -PrivateKeyExportable $true -SubjectKeyIdentifier $ski -DomainController {{ dc_fqdn }} -ErrorVariable newCertErr
    if ($newCertErr) {
        throw ('New-ExchangeCertificate failed: {0}' -f @($newCertErr)[0])
    }
    if (-not $c -or [string]::IsNullOrWhiteSpace([string]$c.Thumbprint)) {
        throw 'New-ExchangeCertificate returned no certificate.'
    }
    Write-Host ('Created federation certificate {0}, valid until {1}' -f $c.Thumbprint, $c.NotAfter)
    [string]$c.Thumbprint
}
