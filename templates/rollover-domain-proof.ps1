# C3 (EX13-RENEW, CM-GFDP): while a next certificate is staged, Get-FederatedDomainProof returns
# one row per certificate on the trust. The TXT value to ADD is the Proof of the row whose
# Thumbprint is the NEW certificate's; the row of the current (old) certificate is the value
# already published, which stays until the new certificate is published and tested.
$proofDomain = {{ domain }}
$proofRows = @(Get-FederatedDomainProof -DomainName $proofDomain -DomainController {{ dc_fqdn }} -ErrorVariable proofErr)
if ($proofErr) {
    throw ('Get-FederatedDomainProof failed for {0}: {1}' -f $proofDomain, @($proofErr)[0])
}
$proofRows | Format-List DomainName,Thumbprint,Proof
$proofNew = @($proofRows | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} })
$proofOld = @($proofRows | Where-Object { [string]$_.Thumbprint -eq {{ current_thumbprint }} })
if ($proofNew.Count -ne 1) {
    throw "Found $($proofNew.Count) proof rows for the new thumbprint. Check that stage-next-certificate succeeded (OrgNextPrivCertificate)."
}
Write-Output ''
Write-Output "ADD at the apex of $proofDomain this TXT value (format: $proofDomain IN TXT <value>), next to the existing one:"
Write-Output ([string]$proofNew[0].Proof)
if ($proofOld.Count -eq 1) {
    Write-Output ''
    Write-Output 'KEEP for now the value of the current (old) certificate; it is removed only after the new certificate is published and tested (step remove-old-proof-txt):'
    Write-Output ([string]$proofOld[0].Proof)
}
