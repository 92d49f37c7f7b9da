# Other-namespace branch (KB3027942 MaxUriReached): the accepted domain chosen as the new account
# namespace must be an accepted domain, must not be the primary domain MFG refused, and its proof for
# the NEW certificate must be visible in PUBLIC DNS before Set-FederatedOrganizationIdentifier.
$nsdDomain = {{ namespace_domain }}
if ($nsdDomain -eq {{ primary_domain }}) { throw "namespace_domain is the primary domain MFG refused today; choose another accepted domain, or take the wait-24-hours branch." }
# A transient read error (Get-AcceptedDomain, Get-FederatedDomainProof, Resolve-DnsName: timeout,
# NXDOMAIN, no answer) prints "NOT YET (read failed: ...)" instead of throwing, so one failure does
# not end the wait (the exported script polls until FOUND). A domain that is not accepted, or no
# proof for the new certificate at all, is a real misconfiguration: throw.
$nsdAccepted = @(Get-AcceptedDomain -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable nsdAcceptedErr | Where-Object { [string]$_.DomainName -eq $nsdDomain })
$nsdProof = @()
$nsdProofErr = @()
if ($nsdAcceptedErr) {
    Write-Output "NOT YET (read failed: Get-AcceptedDomain: $($nsdAcceptedErr[0]))"
}
elseif ($nsdAccepted.Count -ne 1) {
    throw "$nsdDomain is not an accepted domain of this organization. Choose an accepted domain (Get-AcceptedDomain)."
}
else {
    $nsdProof = @(Get-FederatedDomainProof -DomainName $nsdDomain -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable nsdProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
    if ($nsdProofErr) {
        Write-Output "NOT YET (read failed: Get-FederatedDomainProof for ${nsdDomain}: $($nsdProofErr[0]))"
    }
    elseif ($nsdProof.Count -ne 1) {
        throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($nsdProof.Count)) for ${nsdDomain}: is new_thumbprint the certificate of the new trust?"
    }
    else {
        Write-Output "Publish at the apex of $nsdDomain in PUBLIC DNS:  $nsdDomain IN TXT $($nsdProof[0])"
        $nsdTexts = @()
        $nsdDnsFailed = ''
        try {
            $nsdAnswer = Resolve-DnsName -Name $nsdDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
            $nsdTexts = @($nsdAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
        }
        catch {
            $nsdDnsFailed = $_.Exception.Message
        }
        if ($nsdDnsFailed) {
            Write-Output "NOT YET (read failed: Resolve-DnsName $nsdDomain TXT: $nsdDnsFailed)"
        }
        elseif ($nsdTexts -ccontains $nsdProof[0]) {
            Write-Output "FOUND: $nsdDomain carries the proof for the new certificate in public DNS."
        }
        else {
            Write-Output "NOT YET: $nsdDomain does not return the proof yet."
        }
    }
}
