# PREVIEW ONLY: every write of the KB2995731 cleanup with -WhatIf. Nothing is changed.
# Attributes are read through Select-Object: an empty one reads as $null, also under StrictMode (B1).
Import-Module ActiveDirectory -ErrorAction Stop
$previewTrustName = {{ trust_name }}
$previewCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
$previewOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$previewCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($previewOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($previewOrgs.Count). Nothing was changed."
}
$previewOrgDn = $previewOrgs[0].DistinguishedName
$previewFedDn = "CN=Federation,$previewOrgDn"
$previewWrites = 0

# a. CN=Federation: clear the namespace and the link to the (deleted) trust, disable federation.
$previewFed = Get-ADObject -Server {{ dc_fqdn }} -Identity $previewFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
$previewClear = @()
if ($previewFed.msExchFedAccountNamespace) { $previewClear += 'msExchFedAccountNamespace' }
if ($previewFed.msExchFedDelegationTrust) { $previewClear += 'msExchFedDelegationTrust' }
if ($previewClear.Count -gt 0) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $previewFedDn -Clear $previewClear -WhatIf
    $previewWrites++
}
else {
    Write-Output 'msExchFedAccountNamespace and msExchFedDelegationTrust are already empty (part a).'
}
if ($previewFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $previewFedDn -Replace @{msExchFedIsEnabled=$false} -WhatIf
    $previewWrites++
}
else {
    Write-Output 'msExchFedIsEnabled is already False (part a).'
}

# b. The trust object, only if Remove-FederationTrust left it behind.
$previewTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$previewOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
foreach ($previewTrust in $previewTrusts) {
    if ([string]$previewTrust.Name -eq $previewTrustName) {
        Remove-ADObject -Server {{ dc_fqdn }} -Identity $previewTrust.DistinguishedName -WhatIf
        $previewWrites++
    }
    else {
        Write-Warning "Would NOT touch msExchFedTrust '$($previewTrust.Name)': it is not trust_name. Review it with ADSI Edit before going on."
    }
}
if ($previewTrusts.Count -eq 0) { Write-Output 'No msExchFedTrust object remains: nothing to delete (part b).' }

# c. Every accepted domain that still carries msExchFedAcceptedDomainLink.
$previewLinked = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$previewOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
foreach ($previewDomain in $previewLinked) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $previewDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink -WhatIf
    $previewWrites++
}
Write-Output "Accepted domains with a federation link (part c): $($previewLinked.Count)"
if ($previewWrites -eq 0) {
    Write-Output 'PREVIEW DONE: nothing was written. The objects are already clean: the cleanup step will change nothing.'
}
else {
    Write-Output "PREVIEW DONE: nothing was written. The cleanup step would make the $previewWrites change(s) shown above."
}
