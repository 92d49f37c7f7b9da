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
        throw "STOP: the current (old) federation certificate expired at $($pubBefore[0].OrgCertificate.NotAfter). Publishing would fail with 1007 AccessDenied: the rollover can no longer finish; use exchange-federation-trust-rebuild (decision publish-result, choice old-expired). RESUME AT: abandon-rollover"
    }
    # -ErrorAction Continue keeps an error non-terminating however the script was started (M1).
    Set-FederationTrust -Identity {{ trust_name }} -PublishFederationCertificate -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable pubErr
    $pubText = (@($pubErr) | ForEach-Object { [string]$_ }) -join ' '
    # The outcome comes from reading the trust again (servers may be localized); the error text
    # only picks the advice.
    $pubAfter = @(Get-FederationTrust -Identity {{ trust_name }} -DomainController {{ dc_fqdn }} -ErrorVariable pubAfterErr)
    if (-not $pubAfterErr -and $pubAfter.Count -eq 1 -and [string]$pubAfter[0].OrgPrivCertificate -eq {{ new_thumbprint }}) {
        if ($pubText) { Write-Warning "The publish reported: $pubText (the new certificate reads back as current)." }
        Write-Output 'Set-FederationTrust -PublishFederationCertificate completed: the new certificate is current.'
    }
    else {
        Write-Output ('Set-FederationTrust -PublishFederationCertificate failed: {0}' -f $pubText)
        if ($pubAfter.Count -eq 1 -and $pubAfter[0].OrgCertificate -and [datetime]$pubAfter[0].OrgCertificate.NotAfter -le (Get-Date)) {
            throw "STOP: the current (old) federation certificate expired at $($pubAfter[0].OrgCertificate.NotAfter): the rollover can no longer finish; use exchange-federation-trust-rebuild (decision publish-result, choice old-expired). RESUME AT: abandon-rollover"
        }
        if ($pubText -match '1007|AccessDenied') {
            Write-Output '1007 AccessDenied: first of all the clock (KB3107293, Microsoft CSS blog). Fix the time; the run resumes at recheck-time-skew; the current certificate is unchanged.'
        }
        if ($pubAfterErr -or $pubAfter.Count -ne 1) {
            Write-Output ('The trust could not be read back: {0}' -f @($pubAfterErr)[0])
        }
        throw 'The publish failed: the new certificate does not read back as current (the old one stays current and federation keeps working with it). Fix the cause (1007 AccessDenied: the clock), then check the clock again before the retry; the retry says ALREADY DONE if the publish went through after all. RESUME AT: recheck-time-skew'
    }
}
