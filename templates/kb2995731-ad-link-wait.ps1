# After D11/D12: the symptom of KB2995731 must be gone on the DC that the reads use:
# msExchFedDelegationTrust now links the new, live trust object (no Deleted Objects, no DEL:).
# Attributes go through Select-Object (empty = $null under StrictMode, B1).
Import-Module ActiveDirectory -ErrorAction Stop
$linkTrustName = {{ trust_name }}
# A transient read error (Get-ADRootDSE, an ADWS timeout) prints "NOT YET (read failed: ...)"
# instead of throwing, so one failure does not end the wait (the exported script polls until
# LINKED). No Exchange organization found is a real misconfiguration: throw.
$linkReadFailed = ''
$linkOrgs = @()
try {
    $linkCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
    $linkOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$linkCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
}
catch {
    $linkReadFailed = $_.Exception.Message
}
if (-not $linkReadFailed -and $linkOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($linkOrgs.Count)."
}
$linkFed = $null
$linkTrusts = @()
$linkDomains = @()
if (-not $linkReadFailed) {
    $linkOrgDn = $linkOrgs[0].DistinguishedName
    try {
        $linkFed = Get-ADObject -Server {{ dc_fqdn }} -Identity "CN=Federation,$linkOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
            Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
        $linkTrusts = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$linkOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
        $linkDomains = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$linkOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName -ErrorAction Stop |
            Select-Object Name,DistinguishedName,msExchAcceptedDomainName)
    }
    catch {
        $linkReadFailed = $_.Exception.Message
    }
}
if ($linkReadFailed) {
    Write-Output ("NOT YET (read failed: $linkReadFailed): could not read the federation objects from " + {{ dc_fqdn }} + '; trying again at the next check.')
}
else {
    $linkFed | Format-List msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
    $linkTrusts | Format-Table -AutoSize Name,DistinguishedName
    Write-Output "Accepted domains linked to the federation: $($linkDomains.Count)"
    $linkDomains | Format-Table -AutoSize Name,msExchAcceptedDomainName

    $linkValue = [string]$linkFed.msExchFedDelegationTrust
    $linkLive = @($linkTrusts | Where-Object { [string]$_.Name -eq $linkTrustName -and [string]$_.DistinguishedName -eq $linkValue })
    if ($linkValue -match 'DEL:|CN=Deleted Objects') {
        Write-Output 'NOT YET: msExchFedDelegationTrust still points at a deleted trust. Stop and run the cleanup again if it stays so.'
    }
    elseif ($linkTrusts.Count -eq 1 -and $linkLive.Count -eq 1 -and $linkFed.msExchFedIsEnabled -eq $true -and $linkDomains.Count -gt 0) {
        Write-Output 'LINKED: msExchFedDelegationTrust links the new trust and federation is enabled.'
    }
    else {
        Write-Output 'NOT YET: this DC does not show exactly one trust named trust_name, linked from msExchFedDelegationTrust, with msExchFedIsEnabled True and at least one linked accepted domain.'
    }
}
