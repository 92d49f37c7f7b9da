# KB2995731 workaround step 2 (also KB3215261), with the ActiveDirectory module instead of
# ADSI Edit, against one DC (-Server). Writes AD. Only values still set are touched, so the
# step can safely be run again ("already done" when nothing is left).
# The operator typed dc_fqdn to confirm this step, so the writes carry -Confirm:$false (M8): the
# same command then behaves the same pasted, exported or run by --exec (-NonInteractive).
# Attributes are read through Select-Object: an empty one reads as $null, also under StrictMode (B1).
Import-Module ActiveDirectory -ErrorAction Stop
$cleanTrustName = {{ trust_name }}
$cleanCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
$cleanOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$cleanCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($cleanOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($cleanOrgs.Count). Nothing was changed."
}
$cleanOrgDn = $cleanOrgs[0].DistinguishedName
$cleanFedDn = "CN=Federation,$cleanOrgDn"

# Keep every value this step may change, for the change record (a new file on every run).
$cleanDir = {{ record_folder }}
[void][System.IO.Directory]::CreateDirectory($cleanDir)
$cleanBackup = Join-Path -Path $cleanDir -ChildPath ('ad-federation-before-cleanup-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.txt')
& {
    Get-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Properties * -ErrorAction Stop | Select-Object -Property * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties * -ErrorAction Stop | Select-Object -Property * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
        Select-Object DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink | Format-List DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
} | Out-File -LiteralPath $cleanBackup -Encoding UTF8
Write-Output "Saved the current AD values to $cleanBackup"
$cleanWrites = 0

# a. CN=Federation: clear the namespace and the link to the (deleted) trust, disable federation.
$cleanFed = Get-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
$cleanClear = @()
if ($cleanFed.msExchFedAccountNamespace) { $cleanClear += 'msExchFedAccountNamespace' }
if ($cleanFed.msExchFedDelegationTrust) { $cleanClear += 'msExchFedDelegationTrust' }
if ($cleanClear.Count -gt 0) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Clear $cleanClear -Confirm:$false -ErrorAction Stop
    Write-Output ('Cleared on CN=Federation: ' + ($cleanClear -join ', '))
    $cleanWrites++
}
if ($cleanFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanFedDn -Replace @{msExchFedIsEnabled=$false} -Confirm:$false -ErrorAction Stop
    Write-Output 'Set msExchFedIsEnabled to False on CN=Federation.'
    $cleanWrites++
}

# b. Delete the trust object only if Remove-FederationTrust left it behind.
$cleanTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
foreach ($cleanTrust in $cleanTrusts) {
    if ([string]$cleanTrust.Name -eq $cleanTrustName) {
        Remove-ADObject -Server {{ dc_fqdn }} -Identity $cleanTrust.DistinguishedName -Confirm:$false -ErrorAction Stop
        Write-Output "Deleted the trust object $($cleanTrust.DistinguishedName)"
        $cleanWrites++
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($cleanTrust.Name)': it is not trust_name. Review it by hand."
    }
}
if ($cleanTrusts.Count -eq 0) { Write-Output 'No msExchFedTrust object remains: nothing to delete (part b).' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
$cleanLinked = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
foreach ($cleanDomain in $cleanLinked) {
    Set-ADObject -Server {{ dc_fqdn }} -Identity $cleanDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink -Confirm:$false -ErrorAction Stop
    $cleanWrites++
}
Write-Output "Cleared msExchFedAcceptedDomainLink on $($cleanLinked.Count) accepted domain(s)."
if ($cleanWrites -eq 0) {
    Write-Output 'Already done: the KB2995731 objects on this DC were already clean; nothing was written.'
}
else {
    Write-Output "CLEANUP DONE: $cleanWrites write(s) on the DC given as dc_fqdn."
}
