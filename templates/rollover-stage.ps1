# C2 (EX13-RENEW step 2; Set-FederationTrust parameter set Identity): stage the new certificate as
# the trust's NEXT certificate and refresh the MFG metadata. Safe to run again: when the new
# certificate is already staged (or already published) nothing is changed.
$stageBefore = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable stageBeforeErr)
if ($stageBefore.Count -ne 1 -or $stageBeforeErr) {
    throw "Could not read exactly one federation trust named as captured (found $($stageBefore.Count)): $(@($stageBeforeErr) -join ' ')"
}
if ([string]$stageBefore[0].OrgPrivCertificate -eq {{ new_thumbprint }}) {
    Write-Output 'ALREADY DONE: the new certificate is already the current certificate (published); nothing to stage.'
}
elseif ([string]$stageBefore[0].OrgNextPrivCertificate -eq {{ new_thumbprint }}) {
    Write-Output 'ALREADY DONE: the new certificate is already staged as the next certificate.'
}
else {
    Set-FederationTrust -Identity {{ trust_name }} -Thumbprint {{ new_thumbprint }} -RefreshMetadata -DomainController {{ dc_fqdn }} -ErrorVariable stageErr
    if ($stageErr) {
        throw ('Set-FederationTrust -Thumbprint failed: {0}' -f @($stageErr)[0])
    }
    Write-Output 'Set-FederationTrust -Thumbprint -RefreshMetadata completed without an error.'
}
