# C5 (EX13-RENEW step 5; Set-FederationTrust parameter set PublishFederationCertificate): promote the
# staged next certificate to current and register it with MFG, in a command of its own (never
# together with -Thumbprint). Safe to run again: when the new certificate is already current,
# nothing is sent.
$pubBefore = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable pubBeforeErr)
if ($pubBefore.Count -ne 1 -or $pubBeforeErr) {
    throw "Could not read exactly one federation trust named as captured (found $($pubBefore.Count)): $(@($pubBeforeErr) -join ' ')"
}
if ([string]$pubBefore[0].OrgPrivCertificate -eq {{ new_thumbprint }}) {
    Write-Output 'ALREADY DONE: the new certificate is already the current certificate; nothing is published again.'
}
else {
    if ([string]$pubBefore[0].OrgNextPrivCertificate -ne {{ new_thumbprint }}) {
        throw "OrgNextPrivCertificate is '$($pubBefore[0].OrgNextPrivCertificate)', not the new certificate: run stage-next-certificate again before publishing."
    }
    # A rollover only works while the current certificate is valid (EX13-RENEW, Microsoft CSS blog);
    # the DNS and distribution waits may have taken long enough for it to expire.
    if ($pubBefore[0].OrgCertificate -and [datetime]$pubBefore[0].OrgCertificate.NotAfter -le (Get-Date)) {
        throw "STOP: the current (old) federation certificate expired at $($pubBefore[0].OrgCertificate.NotAfter). Publishing would fail with 1007 AccessDenied: the rollover can no longer finish; use exchange-federation-trust-rebuild (decision publish-result, choice old-expired)."
    }
    Set-FederationTrust -Identity {{ trust_name }} -PublishFederationCertificate -DomainController {{ dc_fqdn }} -ErrorVariable pubErr
    if ($pubErr) {
        $pubText = (@($pubErr) | ForEach-Object { [string]$_ }) -join ' '
        Write-Output ('Set-FederationTrust -PublishFederationCertificate failed: {0}' -f $pubText)
        if ($pubText -match '1007|AccessDenied') {
            Write-Output '1007 AccessDenied: first of all the clock (KB3107293, Microsoft CSS blog). Fix the time, then go back to recheck-time-skew (see the step instructions); the current certificate is unchanged.'
        }
        throw 'The publish failed; OrgPrivCertificate is still the old certificate and federation keeps working with it.'
    }
    Write-Output 'Set-FederationTrust -PublishFederationCertificate completed without an error.'
}
