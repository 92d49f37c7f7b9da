# KB2995731 section 2.3: read the federation objects straight from AD (read-only).
# Exchange cmdlets do not show stale links to deleted trusts; these reads do.
Import-Module ActiveDirectory -ErrorAction Stop
$adServer = {{ dc_fqdn }}
$adCfg = (Get-ADRootDSE -Server $adServer -ErrorAction Stop).configurationNamingContext
$adOrgs = @(Get-ADObject -Server $adServer -SearchBase "CN=Microsoft Exchange,CN=Services,$adCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($adOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($adOrgs.Count). Stop: the DNs below would be wrong."
}
$adOrgDn = $adOrgs[0].DistinguishedName
Write-Output "Exchange organization: $adOrgDn (read from $adServer)"
$adStale = @()

# KB part a: the federated organization identifier. Get-ADObject leaves out attributes without a
# value, so every read goes through Select-Object: a missing attribute is $null, not a
# PropertyNotFoundStrict error under StrictMode (change review B1). After a successful removal of the
# primary domain, Exchange itself usually empties AccountNamespace and the trust link and sets
# Enabled False (decompiled RemoveFederatedDomain, cross-check only), so RESULT: CLEAN is common.
$adFed = $null
try {
    $adFed = Get-ADObject -Server $adServer -Identity "CN=Federation,$adOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL -ErrorAction Stop |
        Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
}
catch {
    throw "CN=Federation,$adOrgDn could not be read from ${adServer}: $($_.Exception.Message)"
}
$adFed | Format-List DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
if ($adFed.msExchFedAccountNamespace) { $adStale += 'msExchFedAccountNamespace is not empty' }
if ($adFed.msExchFedDelegationTrust) {
    $adStale += 'msExchFedDelegationTrust is not empty'
    if ([string]$adFed.msExchFedDelegationTrust -match 'DEL:|CN=Deleted Objects') {
        $adStale += 'msExchFedDelegationTrust points at a deleted object (the KB2995731 symptom)'
    }
}
if ($adFed.msExchFedIsEnabled -ne $false) { $adStale += "msExchFedIsEnabled is '$($adFed.msExchFedIsEnabled)', not False" }
# Recorded only (change review R18): KB2995731 does not mention it and no source says to clear it.
# msExchFedDelegationTrustSL came with a later Exchange schema update: asked for on its own, so that an
# older schema (which rejects an unknown attribute in -Properties) does not stop this read (second
# review N13). Get-ADObject is a real cmdlet: try/catch works.
try {
    $adFedSL = Get-ADObject -Server $adServer -Identity "CN=Federation,$adOrgDn" -Properties msExchFedDelegationTrustSL -ErrorAction Stop |
        Select-Object DistinguishedName,msExchFedDelegationTrustSL
    if ($adFedSL.msExchFedDelegationTrustSL) { Write-Output "Note: msExchFedDelegationTrustSL is set ($($adFedSL.msExchFedDelegationTrustSL)); recorded, not part of the clean-state criteria, not cleared." }
    else { Write-Output 'msExchFedDelegationTrustSL: empty.' }
}
catch {
    Write-Output "msExchFedDelegationTrustSL: not in this schema (or not readable: $($_.Exception.Message)); not part of the clean-state criteria."
}

# KB part b: trust objects left behind
$adTrusts = @(Get-ADObject -Server $adServer -SearchBase "CN=Federation Trusts,$adOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged)
Write-Output "msExchFedTrust objects: $($adTrusts.Count)"
$adTrusts | Format-List Name,DistinguishedName,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged
if ($adTrusts.Count -gt 0) { $adStale += "$($adTrusts.Count) msExchFedTrust object(s) remain (expected none before the new trust is created)" }

# KB part c: accepted domains still linked to the federation object
$adLinked = @(Get-ADObject -Server $adServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$adOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink)
Write-Output "Accepted domains with msExchFedAcceptedDomainLink: $($adLinked.Count)"
$adLinked | Format-Table -AutoSize Name,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
if ($adLinked.Count -gt 0) { $adStale += "$($adLinked.Count) accepted domain(s) still carry msExchFedAcceptedDomainLink" }

if ($adStale.Count -gt 0) {
    foreach ($adReason in $adStale) { Write-Output "STALE: $adReason" }
    Write-Output 'RESULT: STALE - the KB2995731 cleanup is needed (or has not replicated / not completed).'
}
else {
    Write-Output 'RESULT: CLEAN - all KB2995731 clean-state criteria are met.'
}
