# C3 (EX13-RENEW, CM-GFDP): while a next certificate is staged, Get-FederatedDomainProof returns
# one row per certificate on the trust. The TXT value to publish is the Proof of the row whose
# Thumbprint is the NEW certificate's.
$proofDomain = {{ domain }}
$proofRows = @(Get-FederatedDomainProof -DomainName $proofDomain)
$proofRows | Format-List DomainName,Thumbprint,Proof
$proofNew = @($proofRows | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} })
if ($proofNew.Count -ne 1) {
    throw "Found $($proofNew.Count) proof rows for the new thumbprint. Check that stage-next-certificate succeeded (OrgNextPrivCertificate)."
}
Write-Output ''
Write-Output "Publish at the apex of $proofDomain this TXT value (format: $proofDomain IN TXT <value>):"
Write-Output ([string]$proofNew[0].Proof)
