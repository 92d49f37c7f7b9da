# KB2995731 workaround step 2 (also KB3215261), with the ActiveDirectory module instead of
# ADSI Edit, against one DC (-Server). Writes AD. Only values still set are touched, so the
# step can safely be run again.
Import-Module ActiveDirectory -ErrorAction Stop
$cleanTrustName = {{ trust_name }}
$cleanCfg = (Get-ADRootDSE -Server {{ dc_fqdn }}).configurationNamingContext
$cleanOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$cleanCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)')
if ($cleanOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($cleanOrgs.Count). Nothing was changed."
}
$cleanOrgDn = $cleanOrgs[0].DistinguishedName
$cleanFedDn = "CN=Federation,$cleanOrgDn"

# Keep every value this step changes, for the change record.
New-Item -ItemType Directory -Path {{ record_folder }} -Force | Out-Null
$cleanBackup = Join-Path {{ record_folder }} ('ad-federation-before-cleanup-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.txt')
& {
    Get-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Properties * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink | Format-List DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
} | Out-File -FilePath $cleanBackup -Encoding UTF8
Write-Output "Saved the current AD values to $cleanBackup"

# a. CN=Federation: clear the namespace and the link to the (deleted) trust, disable federation.
$cleanFed = Get-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop
$cleanClear = @()
if ($cleanFed.msExchFedAccountNamespace) { $cleanClear += 'msExchFedAccountNamespace' }
if ($cleanFed.msExchFedDelegationTrust) { $cleanClear += 'msExchFedDelegationTrust' }
if ($cleanClear.Count -gt 0) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Clear $cleanClear
}
if ($cleanFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Replace @{msExchFedIsEnabled=$false}
}

# b. Delete the trust object only if Remove-FederationTrust left it behind (asks to confirm).
$cleanTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)')
foreach ($cleanTrust in $cleanTrusts) {
    if ([string]$cleanTrust.Name -eq $cleanTrustName) {
        Remove-ADObject -Server {{ dc_fqdn }} -Identity $cleanTrust.DistinguishedName
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($cleanTrust.Name)': it is not trust_name. Review it by hand."
    }
}
if ($cleanTrusts.Count -eq 0) { Write-Output 'No msExchFedTrust object remains: nothing to delete (part b).' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
$cleanLinked = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))')
foreach ($cleanDomain in $cleanLinked) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink
}
Write-Output "Cleared msExchFedAcceptedDomainLink on $($cleanLinked.Count) accepted domain(s)."
