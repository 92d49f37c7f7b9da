# KB2995731 section 2.3, read-only: is this the "Deleted Objects ... DEL:" state? Every read goes
# to one DC (-Server) so that this step, the cleanup and its verification see the same copy.
# Exchange cmdlets do not show a link to a deleted trust; these LDAP reads do.
# The ActiveDirectory module leaves attributes without a value out of its result, so every read
# goes through Select-Object: an empty attribute then reads as $null, also under StrictMode (B1).
Import-Module ActiveDirectory -ErrorAction Stop
$diagCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
$diagOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$diagCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($diagOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($diagOrgs.Count). Stop: the DNs below would be wrong."
}
$diagOrgDn = $diagOrgs[0].DistinguishedName
Write-Output "Exchange organization: $diagOrgDn (read from the domain controller given as dc_fqdn)"
$diagSymptoms = @()

# KB part a: the federated organization identifier and its link to the trust.
$diagFed = Get-ADObject -Server {{ dc_fqdn }} -Identity "CN=Federation,$diagOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
$diagFed | Format-List DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
$diagLink = [string]$diagFed.msExchFedDelegationTrust

# KB part b: the trust objects that exist.
$diagTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$diagOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged)
Write-Output "msExchFedTrust objects: $($diagTrusts.Count)"
$diagTrusts | Format-List Name,DistinguishedName,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged

# KB part c: accepted domains still linked to the federation object.
$diagLinked = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$diagOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink)
Write-Output "Accepted domains with msExchFedAcceptedDomainLink: $($diagLinked.Count)"
$diagLinked | Format-Table -AutoSize Name,msExchAcceptedDomainName,msExchFedAcceptedDomainLink

# The entry criterion of procedure E.
if ($diagLink -match 'DEL:|CN=Deleted Objects') {
    $diagSymptoms += 'msExchFedDelegationTrust points at a deleted trust (Deleted Objects / DEL:)'
}
elseif ($diagLink -and @($diagTrusts | Where-Object { [string]$_.DistinguishedName -eq $diagLink }).Count -eq 0) {
    $diagSymptoms += "msExchFedDelegationTrust points at '$diagLink', which is not an existing msExchFedTrust object"
}
if ($diagLinked.Count -gt 0 -and $diagTrusts.Count -eq 0) {
    $diagSymptoms += "$($diagLinked.Count) accepted domain(s) still carry msExchFedAcceptedDomainLink while no trust exists"
}

if ($diagSymptoms.Count -eq 0) {
    Write-Output 'RESULT: NOT FOUND - The KB2995731 state was not found: msExchFedDelegationTrust is empty or links an existing trust, and no accepted domain is linked without a trust.'
    Write-Output 'Do not run this cleanup for another HCW error; compare the error text with the KB first (1007 AccessDenied: time, KB3107293; "Proof of domain ownership has failed": DNS, KB3068837).'
    throw 'The KB2995731 state was not found (see above). Nothing was changed.'
}
foreach ($diagSymptom in $diagSymptoms) { Write-Output "SYMPTOM: $diagSymptom" }
Write-Output 'PASS: the KB2995731 state is present; the cleanup procedure applies.'
