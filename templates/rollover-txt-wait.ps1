# C3 (EX13-RENEW, KB3068837): the new proof must be visible in public DNS before the new
# certificate is published.
$txtDomain = {{ domain }}
$txtProof = @(Get-FederatedDomainProof -DomainName $txtDomain | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
$txtAnswer = @(nslookup -querytype=txt $txtDomain | ForEach-Object { [string]$_ })
$txtAnswer
# nslookup splits long TXT values into quoted chunks: compare without quotes and white space.
$txtFlat = ($txtAnswer -join '') -replace '[\s"]', ''
if ($txtProof.Count -eq 1 -and $txtFlat.Contains($txtProof[0])) {
    Write-Output "FOUND: $txtDomain carries the proof for the new certificate."
}
else {
    Write-Output ("NOT YET: $txtDomain does not return the proof " + ($txtProof -join ' / '))
}
