# D9 (EX13-CONFIG step 5, KB3068837): each additional domain's proof for the NEW certificate must be
# visible in PUBLIC DNS before Add-FederatedDomain. Asked of a public resolver, not this server's
# (often split-brain) DNS; Resolve-DnsName against a public resolver (change review m2).
$twDomain = {{ domain }}
$twProof = @(Get-FederatedDomainProof -DomainName $twDomain -DomainController {{ dc_fqdn }} -ErrorVariable twProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($twProofErr -or $twProof.Count -ne 1) {
    throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($twProof.Count)); $($twProofErr | Select-Object -First 1)"
}
$twTexts = @()
try {
    $twAnswer = Resolve-DnsName -Name $twDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
    $twTexts = @($twAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
}
catch {
    Write-Output "Resolve-DnsName: $($_.Exception.Message)"
}
Write-Output ("TXT records of $twDomain at " + {{ public_resolver }} + ':')
$twTexts | ForEach-Object { Write-Output "  $_" }
if ($twTexts -ccontains $twProof[0]) {
    Write-Output "FOUND: $twDomain carries the proof for the new certificate in public DNS."
}
else {
    Write-Output "NOT YET: $twDomain does not return the proof $($twProof[0]) yet."
}
