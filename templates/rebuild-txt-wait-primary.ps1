# D9 (EX13-CONFIG step 5, KB3068837): the primary domain's proof for the NEW certificate must be
# visible in PUBLIC DNS before Set-FederatedOrganizationIdentifier. Asked of a public resolver, not
# this server's (often split-brain) DNS; Resolve-DnsName against a public resolver (change review m2).
# A transient read error (Get-FederatedDomainProof, Resolve-DnsName: timeout, NXDOMAIN, no answer)
# prints "NOT YET (read failed: ...)" instead of throwing, so one failure does not end a wait of
# hours (the exported script polls until FOUND). No proof for the new certificate at all (no error,
# but not exactly one proof) is a real misconfiguration: throw.
$tpDomain = {{ primary_domain }}
$tpProof = @(Get-FederatedDomainProof -DomainName $tpDomain -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable tpProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($tpProofErr) {
    Write-Output "NOT YET (read failed: Get-FederatedDomainProof for ${tpDomain}: $($tpProofErr[0]))"
}
elseif ($tpProof.Count -ne 1) {
    throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($tpProof.Count)) for ${tpDomain}: is new_thumbprint the certificate of the new trust?"
}
else {
    $tpTexts = @()
    $tpDnsFailed = ''
    try {
        $tpAnswer = Resolve-DnsName -Name $tpDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
        $tpTexts = @($tpAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
    }
    catch {
        $tpDnsFailed = $_.Exception.Message
    }
    if ($tpDnsFailed) {
        Write-Output "NOT YET (read failed: Resolve-DnsName $tpDomain TXT: $tpDnsFailed)"
    }
    else {
        Write-Output ("TXT records of $tpDomain at " + {{ public_resolver }} + ':')
        $tpTexts | ForEach-Object { Write-Output "  $_" }
        if ($tpTexts -ccontains $tpProof[0]) {
            Write-Output "FOUND: $tpDomain carries the proof for the new certificate in public DNS."
        }
        else {
            Write-Output "NOT YET: $tpDomain does not return the proof $($tpProof[0]) yet."
        }
    }
}
