# D6: every DC must see the removed trust and the cleared attributes before the trust is
# recreated, or Exchange may read the old state from a DC that has not caught up yet. The
# Configuration partition is forest-wide and Exchange servers in other domains read their own DCs,
# so every DC of every domain of the forest is read (change review R13). Every Get-ADObject with
# -Properties goes through Select-Object: an empty attribute reads as $null (change review B1).
Import-Module ActiveDirectory -ErrorAction Stop
$replServer = {{ dc_fqdn }}
# A transient read error (Get-ADRootDSE, Get-ADForest, an ADWS timeout) prints "NOT YET (read
# failed: ...)" instead of throwing, so one failure does not end an hours-long wait (the exported
# script polls until REPLICATED). No Exchange organization found is a real misconfiguration: throw.
$replReadFailed = ''
$replOrgs = @()
$replDomains = @()
try {
    $replCfg = (Get-ADRootDSE -Server $replServer -ErrorAction Stop).configurationNamingContext
    $replOrgs = @(Get-ADObject -Server $replServer -SearchBase "CN=Microsoft Exchange,CN=Services,$replCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
    $replDomains = @((Get-ADForest -Server $replServer -ErrorAction Stop).Domains)
}
catch {
    $replReadFailed = $_.Exception.Message
}
if (-not $replReadFailed -and $replOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($replOrgs.Count)."
}
if ($replReadFailed) {
    Write-Output "NOT YET (read failed: $replReadFailed): could not read the forest from $replServer; trying again at the next check."
}
else {
    $replOrgDn = $replOrgs[0].DistinguishedName
    $replRows = @()
    foreach ($replDomain in $replDomains) {
        $replDcs = @()
        try {
            $replDcs = @(Get-ADDomainController -Filter * -Server $replDomain -ErrorAction Stop)
        }
        catch {
            $replRows += [pscustomobject]@{ Domain = $replDomain; DC = '(domain)'; AccountNamespace = ''; DelegationTrust = ''; IsEnabled = $null; Trusts = $null; LinkedDomains = $null; State = "UNREACHABLE: cannot list the DCs of ${replDomain}: $($_.Exception.Message)" }
            continue
        }
        foreach ($replDc in $replDcs) {
            try {
                $replFed = Get-ADObject -Server $replDc.HostName -Identity "CN=Federation,$replOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
                    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
                $replTrusts = @(Get-ADObject -Server $replDc.HostName -SearchBase "CN=Federation Trusts,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
                $replLinked = @(Get-ADObject -Server $replDc.HostName -SearchBase "CN=Accepted Domains,CN=Transport Settings,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
                $replClean = (-not $replFed.msExchFedAccountNamespace) -and (-not $replFed.msExchFedDelegationTrust) -and ($replFed.msExchFedIsEnabled -eq $false) -and ($replTrusts.Count -eq 0) -and ($replLinked.Count -eq 0)
                $replRows += [pscustomobject]@{
                    Domain = $replDomain
                    DC = $replDc.HostName
                    AccountNamespace = [string]$replFed.msExchFedAccountNamespace
                    DelegationTrust = [string]$replFed.msExchFedDelegationTrust
                    IsEnabled = $replFed.msExchFedIsEnabled
                    Trusts = $replTrusts.Count
                    LinkedDomains = $replLinked.Count
                    State = $(if ($replClean) { 'CLEAN' } else { 'NOT YET' })
                }
            }
            catch {
                $replRows += [pscustomobject]@{ Domain = $replDomain; DC = $replDc.HostName; AccountNamespace = ''; DelegationTrust = ''; IsEnabled = $null; Trusts = $null; LinkedDomains = $null; State = "UNREACHABLE: $($_.Exception.Message)" }
            }
        }
    }
    $replRows | Format-Table -AutoSize Domain,DC,State,Trusts,LinkedDomains,IsEnabled,AccountNamespace,DelegationTrust
    $replNotClean = @($replRows | Where-Object { $_.State -ne 'CLEAN' })
    if ($replRows.Count -gt 0 -and $replNotClean.Count -eq 0) {
        Write-Output "REPLICATED: all $($replRows.Count) domain controllers in $($replDomains.Count) domain(s) show the clean state."
    }
    else {
        Write-Output "NOT YET: $($replNotClean.Count) of $($replRows.Count) domain controllers still show old federation data or could not be read."
    }
}
