# PREVIEW ONLY (-WhatIf): shows what the KB2995731 cleanup would change. Nothing is written.
# Every Get-ADObject with -Properties goes through Select-Object (change review B1).
Import-Module ActiveDirectory -ErrorAction Stop
$prevServer = {{ dc_fqdn }}
$prevTrustName = {{ trust_name }}
$prevCfg = (Get-ADRootDSE -Server $prevServer -ErrorAction Stop).configurationNamingContext
$prevOrgs = @(Get-ADObject -Server $prevServer -SearchBase "CN=Microsoft Exchange,CN=Services,$prevCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($prevOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($prevOrgs.Count). Nothing was changed."
}
$prevOrgDn = $prevOrgs[0].DistinguishedName
$prevFedDn = "CN=Federation,$prevOrgDn"

# a. Federated organization identifier: clear the namespace and the trust link, disable.
#    Only attributes that still hold a value are touched. msExchFedDelegationTrustSL is never touched.
$prevFed = Get-ADObject -Server $prevServer -Identity $prevFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
$prevAttributes = @()
if ($prevFed.msExchFedAccountNamespace) { $prevAttributes += 'msExchFedAccountNamespace' }
if ($prevFed.msExchFedDelegationTrust) { $prevAttributes += 'msExchFedDelegationTrust' }
if ($prevAttributes.Count -gt 0) {
    Set-ADObject -Server $prevServer -Identity $prevFedDn -Clear $prevAttributes -WhatIf
}
else { Write-Output 'Part a: msExchFedAccountNamespace and msExchFedDelegationTrust are already empty.' }
if ($prevFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server $prevServer -Identity $prevFedDn -Replace @{msExchFedIsEnabled=$false} -WhatIf
}
else { Write-Output 'Part a: msExchFedIsEnabled is already False.' }

# b. Delete the old trust object only if Remove-FederationTrust left it behind.
$prevTrusts = @(Get-ADObject -Server $prevServer -SearchBase "CN=Federation Trusts,$prevOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
foreach ($prevTrust in $prevTrusts) {
    if ($prevTrust.Name -eq $prevTrustName) {
        Remove-ADObject -Server $prevServer -Identity $prevTrust.DistinguishedName -WhatIf
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($prevTrust.Name)': it is not the trust this run removed. Review it by hand."
    }
}
if ($prevTrusts.Count -eq 0) { Write-Output 'Part b: no msExchFedTrust object remains: nothing to delete.' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
$prevLinked = @(Get-ADObject -Server $prevServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$prevOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
foreach ($prevDomain in $prevLinked) {
    Set-ADObject -Server $prevServer -Identity $prevDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink -WhatIf
}
Write-Output "Part c: accepted domains with a federation link: $($prevLinked.Count)"
