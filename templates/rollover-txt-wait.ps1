# C3 (EX13-RENEW, KB3068837; domain reference 7.3): the new proof must be visible in PUBLIC DNS
# before the new certificate is published. MFG checks public DNS, and Exchange servers often use
# split-brain internal DNS, so public_resolver is asked directly (-DnsOnly), never nslookup.
$txtDomain = {{ domain }}
$txtResolver = {{ public_resolver }}
$txtRows = @(Get-FederatedDomainProof -DomainName $txtDomain -DomainController {{ dc_fqdn }} -ErrorVariable txtProofErr)
if ($txtProofErr) {
    throw ('Get-FederatedDomainProof failed for {0}: {1}' -f $txtDomain, @($txtProofErr)[0])
}
$txtProof = @($txtRows | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
$txtOldProof = @($txtRows | Where-Object { [string]$_.Thumbprint -eq {{ current_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($txtProof.Count -ne 1) {
    throw "Found $($txtProof.Count) proofs for the new thumbprint of ${txtDomain}: check stage-next-certificate (OrgNextPrivCertificate)."
}
$txtValues = @()
$txtLookupError = $null
try {
    $txtAnswer = @(Resolve-DnsName -Name $txtDomain -Type TXT -Server $txtResolver -DnsOnly -ErrorAction Stop)
    # A long TXT value arrives as several strings: join them before comparing.
    $txtValues = @($txtAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
}
catch {
    # NXDOMAIN, no answer or a timeout: not visible yet.
    $txtLookupError = $_.Exception.Message
}
Write-Output "TXT values of $txtDomain at $txtResolver ($($txtValues.Count)):"
foreach ($txtValue in $txtValues) { Write-Output "  $txtValue" }
if ($txtLookupError) { Write-Output "  (lookup failed: $txtLookupError)" }
if ($txtOldProof.Count -eq 1) {
    $txtOldThere = @($txtValues | Where-Object { $_ -ceq $txtOldProof[0] }).Count -gt 0
    Write-Output "Proof of the current (old) certificate still published: $txtOldThere (keep it until the new certificate is published and tested)"
}
if (@($txtValues | Where-Object { $_ -ceq $txtProof[0] }).Count -gt 0) {
    Write-Output "FOUND: $txtDomain carries the proof for the new certificate at $txtResolver."
}
else {
    Write-Output "NOT YET: $txtDomain does not return the proof $($txtProof[0]) at $txtResolver."
}
