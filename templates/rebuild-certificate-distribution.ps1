# EX13-RENEW step 4, CM-TFTC: Exchange distributes the new federation certificate to every server by
# itself; the end-to-end tests are only meaningful once Test-FederationTrustCertificate shows the new
# thumbprint Installed in every row (change review m1/R8). Read-only: this step only watches. Shared
# by the rebuild and the KB2995731 repair.
# -ErrorAction Continue (the addendum: the error is shown and collected, never thrown): a transient
# read error prints "NOT YET (read failed: ...)", so one failure does not end a wait of hours (the
# exported script polls until INSTALLED).
$distNewThumbprint = {{ new_thumbprint }}
$distRows = @(Test-FederationTrustCertificate -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable distErr)
$distRows | Format-Table -AutoSize Site,State,Thumbprint
$distNew = @($distRows | Where-Object { [string]$_.Thumbprint -eq $distNewThumbprint })
$distPending = @($distNew | Where-Object { [string]$_.State -ne 'Installed' })
if ($distErr) {
    Write-Output "NOT YET (read failed: Test-FederationTrustCertificate: $($distErr[0]))"
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
