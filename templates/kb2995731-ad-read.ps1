# KB2995731 section 2.3, read-only: the clean-state criteria, read from one DC (-Server).
# Attributes are read through Select-Object: after a successful cleanup they are empty, and an
# empty attribute must read as $null, also under StrictMode (B1).
Import-Module ActiveDirectory -ErrorAction Stop
$readCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
$readOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$readCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($readOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($readOrgs.Count)."
}
$readOrgDn = $readOrgs[0].DistinguishedName
$readStale = @()

# KB part a
$readFed = Get-ADObject -Server {{ dc_fqdn }} -Identity "CN=Federation,$readOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
$readFed | Format-List DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
if ($readFed.msExchFedAccountNamespace) { $readStale += 'msExchFedAccountNamespace is not empty' }
if ($readFed.msExchFedDelegationTrust) { $readStale += "msExchFedDelegationTrust is not empty: $($readFed.msExchFedDelegationTrust)" }
if ($readFed.msExchFedIsEnabled -ne $false) { $readStale += "msExchFedIsEnabled is '$($readFed.msExchFedIsEnabled)', not False" }

# KB part b
$readTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$readOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties msExchFedApplicationUri,whenChanged -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchFedApplicationUri,whenChanged)
Write-Output "msExchFedTrust objects: $($readTrusts.Count)"
$readTrusts | Format-List Name,DistinguishedName,msExchFedApplicationUri,whenChanged
if ($readTrusts.Count -gt 0) { $readStale += "$($readTrusts.Count) msExchFedTrust object(s) remain (none expected before the new trust is created)" }

# KB part c
$readLinked = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$readOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink)
Write-Output "Accepted domains with msExchFedAcceptedDomainLink: $($readLinked.Count)"
$readLinked | Format-Table -AutoSize Name,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
if ($readLinked.Count -gt 0) { $readStale += "$($readLinked.Count) accepted domain(s) still carry msExchFedAcceptedDomainLink" }

if ($readStale.Count -gt 0) {
    foreach ($readReason in $readStale) { Write-Output "STALE: $readReason" }
    Write-Output 'RESULT: STALE - at least one clean-state criterion is not met.'
}
else {
    Write-Output 'RESULT: CLEAN - all KB2995731 clean-state criteria are met.'
}
