# C4 (EX13-RENEW, CM-TFTC): -PublishFederationCertificate requires the next certificate on every
# Exchange server first. Exchange distributes it itself; this only watches. INSTALLED only on
# positive evidence: rows for the new thumbprint exist and every one of them is Installed.
$distRows = @(Test-FederationTrustCertificate -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable distErr)
$distRows | Format-Table -AutoSize Site,State,Thumbprint
$distNew = @($distRows | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} })
$distPending = @($distNew | Where-Object { [string]$_.State -ne 'Installed' })
if ($distErr) {
    Write-Output ('NOT YET (read failed: {0})' -f @($distErr)[0])
}
elseif ($distNew.Count -gt 0 -and $distPending.Count -eq 0) {
    Write-Output "INSTALLED: the new certificate is Installed in all $($distNew.Count) rows."
}
elseif ($distNew.Count -eq 0) {
    Write-Output 'NOT YET: Test-FederationTrustCertificate does not list the new thumbprint yet.'
}
else {
    foreach ($distRow in $distPending) {
        Write-Output "NOT YET: site $($distRow.Site) reports $($distRow.State)."
    }
}
