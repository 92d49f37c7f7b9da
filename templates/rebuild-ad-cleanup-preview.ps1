# PREVIEW ONLY (-WhatIf): shows what the KB2995731 cleanup would change. Nothing is written.
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

# a. Federated organization identifier: clear the namespace and the trust link, disable.
#    Only attributes that still hold a value are touched, so the step can be re-run safely.
$cleanFed = Get-ADObject -Server $cleanServer -Identity $cleanFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop
$cleanAttributes = @()
if ($cleanFed.msExchFedAccountNamespace) { $cleanAttributes += 'msExchFedAccountNamespace' }
if ($cleanFed.msExchFedDelegationTrust) { $cleanAttributes += 'msExchFedDelegationTrust' }
if ($cleanAttributes.Count -gt 0) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Clear $cleanAttributes -WhatIf
}
if ($cleanFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Replace @{msExchFedIsEnabled=$false} -WhatIf
}

# b. Delete the old trust object only if Remove-FederationTrust left it behind.
$cleanTrusts = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)')
foreach ($cleanTrust in $cleanTrusts) {
    if ($cleanTrust.Name -eq $cleanTrustName) {
        Remove-ADObject -Server $cleanServer -Identity $cleanTrust.DistinguishedName -WhatIf
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($cleanTrust.Name)': it is not the trust this run removed. Review it by hand."
    }
}
if ($cleanTrusts.Count -eq 0) { Write-Output 'No msExchFedTrust object remains: nothing to delete (part b).' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
$cleanLinked = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))')
foreach ($cleanDomain in $cleanLinked) {
    Set-ADObject -Server $cleanServer -Identity $cleanDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink -WhatIf
}
Write-Output "Accepted domains with a federation link: $($cleanLinked.Count)"
