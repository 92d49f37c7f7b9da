# D9 (EX13-CONFIG step 5, KB3068837): the primary domain's proof for the NEW certificate must be
# visible in PUBLIC DNS before Set-FederatedOrganizationIdentifier. Asked of a public resolver, not
# this server's (often split-brain) DNS; Resolve-DnsName against a public resolver (change review m2).
$tpDomain = {{ primary_domain }}
$tpProof = @(Get-FederatedDomainProof -DomainName $tpDomain -DomainController {{ dc_fqdn }} -ErrorVariable tpProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($tpProofErr -or $tpProof.Count -ne 1) {
    throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($tpProof.Count)); $($tpProofErr | Select-Object -First 1)"
}
$tpTexts = @()
try {
    $tpAnswer = Resolve-DnsName -Name $tpDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
    $tpTexts = @($tpAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
}
catch {
    Write-Output "Resolve-DnsName: $($_.Exception.Message)"
}
Write-Output ("TXT records of $tpDomain at " + {{ public_resolver }} + ':')
$tpTexts | ForEach-Object { Write-Output "  $_" }
if ($tpTexts -ccontains $tpProof[0]) {
    Write-Output "FOUND: $tpDomain carries the proof for the new certificate in public DNS."
}
else {
    Write-Output "NOT YET: $tpDomain does not return the proof $($tpProof[0]) yet."
}
