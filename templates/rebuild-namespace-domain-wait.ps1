# Other-namespace branch (KB3027942 MaxUriReached): the accepted domain chosen as the new account
# namespace must be an accepted domain, must not be the primary domain MFG refused, and its proof for
# the NEW certificate must be visible in PUBLIC DNS before Set-FederatedOrganizationIdentifier.
$nsdDomain = {{ namespace_domain }}
if ($nsdDomain -eq {{ primary_domain }}) { throw "namespace_domain is the primary domain MFG refused today; choose another accepted domain, or take the wait-24-hours branch." }
$nsdAccepted = @(Get-AcceptedDomain -DomainController {{ dc_fqdn }} -ErrorVariable nsdAcceptedErr | Where-Object { [string]$_.DomainName -eq $nsdDomain })
if ($nsdAcceptedErr) { throw "Get-AcceptedDomain failed: $($nsdAcceptedErr[0])" }
if ($nsdAccepted.Count -ne 1) { throw "$nsdDomain is not an accepted domain of this organization. Choose an accepted domain (Get-AcceptedDomain)." }
$nsdProof = @(Get-FederatedDomainProof -DomainName $nsdDomain -DomainController {{ dc_fqdn }} -ErrorVariable nsdProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($nsdProofErr -or $nsdProof.Count -ne 1) {
    throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($nsdProof.Count)); $($nsdProofErr | Select-Object -First 1)"
}
Write-Output "Publish at the apex of $nsdDomain in PUBLIC DNS:  $nsdDomain IN TXT $($nsdProof[0])"
$nsdTexts = @()
try {
    $nsdAnswer = Resolve-DnsName -Name $nsdDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
    $nsdTexts = @($nsdAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
}
catch {
    Write-Output "Resolve-DnsName: $($_.Exception.Message)"
}
if ($nsdTexts -ccontains $nsdProof[0]) {
    Write-Output "FOUND: $nsdDomain carries the proof for the new certificate in public DNS."
}
else {
    Write-Output "NOT YET: $nsdDomain does not return the proof yet."
}
