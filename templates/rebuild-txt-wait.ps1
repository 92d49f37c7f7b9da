# D9 (EX13-CONFIG step 5, KB3068837): each additional domain's proof for the NEW certificate must be
# visible in PUBLIC DNS before Add-FederatedDomain. Asked of a public resolver, not this server's
# (often split-brain) DNS; Resolve-DnsName against a public resolver (change review m2).
# A transient read error (Get-FederatedDomainProof, Resolve-DnsName: timeout, NXDOMAIN, no answer)
# prints "NOT YET (read failed: ...)" instead of throwing, so one failure does not end a wait of
# hours (the exported script polls until FOUND). No proof for the new certificate at all (no error,
# but not exactly one proof) is a real misconfiguration: throw.
$twDomain = {{ domain }}
$twProof = @(Get-FederatedDomainProof -DomainName $twDomain -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable twProofErr | Where-Object { [string]$_.Thumbprint -eq {{ new_thumbprint }} } | ForEach-Object { [string]$_.Proof })
if ($twProofErr) {
    Write-Output "NOT YET (read failed: Get-FederatedDomainProof for ${twDomain}: $($twProofErr[0]))"
}
elseif ($twProof.Count -ne 1) {
    throw "Get-FederatedDomainProof did not return exactly one proof for the new certificate ($($twProof.Count)) for ${twDomain}: is new_thumbprint the certificate of the new trust?"
}
else {
    $twTexts = @()
    $twDnsFailed = ''
    try {
        $twAnswer = Resolve-DnsName -Name $twDomain -Type TXT -Server {{ public_resolver }} -DnsOnly -ErrorAction Stop
        $twTexts = @($twAnswer | Where-Object { $_.Type -eq 'TXT' } | ForEach-Object { $_.Strings -join '' })
    }
    catch {
        $twDnsFailed = $_.Exception.Message
    }
    if ($twDnsFailed) {
        Write-Output "NOT YET (read failed: Resolve-DnsName $twDomain TXT: $twDnsFailed)"
    }
    else {
        Write-Output ("TXT records of $twDomain at " + {{ public_resolver }} + ':')
        $twTexts | ForEach-Object { Write-Output "  $_" }
        if ($twTexts -ccontains $twProof[0]) {
            Write-Output "FOUND: $twDomain carries the proof for the new certificate in public DNS."
        }
        else {
            Write-Output "NOT YET: $twDomain does not return the proof $($twProof[0]) yet."
        }
    }
}
