# KB2995731 / KB3215261 cleanup (section 2.4), run against one DC. Changes AD directly.
Import-Module ActiveDirectory -ErrorAction Stop
$cleanServer = {{ dc_fqdn }}
$cleanTrustName = {{ trust_name }}
$cleanCfg = (Get-ADRootDSE -Server $cleanServer).configurationNamingContext
$cleanOrgs = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Microsoft Exchange,CN=Services,$cleanCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)')
if ($cleanOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($cleanOrgs.Count). Nothing was changed."
}
$cleanOrgDn = $cleanOrgs[0].DistinguishedName
$cleanFedDn = "CN=Federation,$cleanOrgDn"

# Save every value this step is about to change (for the change record and any manual rollback).
New-Item -ItemType Directory -Path {{ record_folder }} -Force | Out-Null
$cleanBackup = Join-Path {{ record_folder }} ('ad-federation-before-cleanup-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.txt')
& {
    Get-ADObject -Server $cleanServer -Identity $cleanFedDn -Properties * | Format-List *
    Get-ADObject -Server $cleanServer -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties * | Format-List *
    Get-ADObject -Server $cleanServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink | Format-List DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
} | Out-File -FilePath $cleanBackup -Encoding UTF8
Write-Output "Saved the current AD values to $cleanBackup"

# a. Federated organization identifier: clear the namespace and the trust link, disable.
#    Only attributes that still hold a value are touched, so the step can be re-run safely.
$cleanFed = Get-ADObject -Server $cleanServer -Identity $cleanFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop
$cleanAttributes = @()
if ($cleanFed.msExchFedAccountNamespace) { $cleanAttributes += 'msExchFedAccountNamespace' }
if ($cleanFed.msExchFedDelegationTrust) { $cleanAttributes += 'msExchFedDelegationTrust' }
if ($cleanAttributes.Count -gt 0) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Clear $cleanAttributes
}
if ($cleanFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Replace @{msExchFedIsEnabled=$false}
}

# b. Delete the old trust object only if Remove-FederationTrust left it behind.
$cleanTrusts = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)')
foreach ($cleanTrust in $cleanTrusts) {
    if ($cleanTrust.Name -eq $cleanTrustName) {
        Remove-ADObject -Server $cleanServer -Identity $cleanTrust.DistinguishedName
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($cleanTrust.Name)': it is not the trust this run removed. Review it by hand."
    }
}
if ($cleanTrusts.Count -eq 0) { Write-Output 'No msExchFedTrust object remains: nothing to delete (part b).' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
$cleanLinked = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))')
foreach ($cleanDomain in $cleanLinked) {
    Set-ADObject -Server $cleanServer -Identity $cleanDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink
}
Write-Output "Accepted domains with a federation link: $($cleanLinked.Count)"
