# D6: every DC must show the clean state before the trust is recreated, or Exchange may read the
# stale link again from a DC that has not caught up.
Import-Module ActiveDirectory -ErrorAction Stop
$replCfg = (Get-ADRootDSE -Server {{ dc_fqdn }}).configurationNamingContext
$replOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$replCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)')
if ($replOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($replOrgs.Count)."
}
$replOrgDn = $replOrgs[0].DistinguishedName
$replRows = foreach ($replDc in @(Get-ADDomainController -Filter * -Server {{ dc_fqdn }})) {
    try {
        $replFed = Get-ADObject -Server $replDc.HostName -Identity "CN=Federation,$replOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop
        $replTrusts = @(Get-ADObject -Server $replDc.HostName -SearchBase "CN=Federation Trusts,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
        $replLinked = @(Get-ADObject -Server $replDc.HostName -SearchBase "CN=Accepted Domains,CN=Transport Settings,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
        $replClean = (-not $replFed.msExchFedAccountNamespace) -and (-not $replFed.msExchFedDelegationTrust) -and ($replFed.msExchFedIsEnabled -eq $false) -and ($replTrusts.Count -eq 0) -and ($replLinked.Count -eq 0)
        [pscustomobject]@{
            DC = $replDc.HostName
            State = $(if ($replClean) { 'CLEAN' } else { 'NOT YET' })
            Trusts = $replTrusts.Count
            LinkedDomains = $replLinked.Count
            IsEnabled = $replFed.msExchFedIsEnabled
            DelegationTrust = [string]$replFed.msExchFedDelegationTrust
        }
    }
    catch {
        [pscustomobject]@{ DC = $replDc.HostName; State = "UNREACHABLE: $($_.Exception.Message)"; Trusts = $null; LinkedDomains = $null; IsEnabled = $null; DelegationTrust = '' }
    }
}
$replRows | Format-Table -AutoSize DC,State,Trusts,LinkedDomains,IsEnabled,DelegationTrust
if (@($replRows | Where-Object { $_.State -ne 'CLEAN' }).Count -eq 0) {
    Write-Output 'REPLICATED: every domain controller shows the clean state.'
}
else {
    Write-Output 'NOT YET: at least one domain controller still shows old federation data or could not be read.'
}
