# EX13-RENEW step 4, CM-TFTC: Exchange distributes the new federation certificate to every server by
# itself; the end-to-end tests are only meaningful once Test-FederationTrustCertificate shows the new
# thumbprint Installed in every row (change review m1/R8). Read-only: this step only watches.
$distNewThumbprint = {{ new_thumbprint }}
$distRows = @(Test-FederationTrustCertificate -DomainController {{ dc_fqdn }} -ErrorVariable distErr)
$distRows | Format-Table -AutoSize Site,State,Thumbprint
if ($distErr) { Write-Output "NOT YET: Test-FederationTrustCertificate reported an error: $($distErr[0])" }
$distNew = @($distRows | Where-Object { [string]$_.Thumbprint -eq $distNewThumbprint })
$distPending = @($distNew | Where-Object { [string]$_.State -ne 'Installed' })
if (-not $distErr -and $distNew.Count -gt 0 -and $distPending.Count -eq 0) {
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
