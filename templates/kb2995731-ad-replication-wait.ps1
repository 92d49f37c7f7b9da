# D6: every DC must show the clean state before the trust is recreated, or Exchange may read the
# stale link again from a DC that has not caught up. The Configuration partition is forest-wide
# and Exchange servers read it from DCs of their own domain, so every DC of every domain of the
# forest is read. Attributes go through Select-Object (empty = $null under StrictMode, B1).
Import-Module ActiveDirectory -ErrorAction Stop
# A transient read error (Get-ADRootDSE, Get-ADForest, an ADWS timeout) prints "NOT YET (read
# failed: ...)" instead of throwing, so one failure does not end an hours-long wait (the exported
# script polls until REPLICATED). No Exchange organization found is a real misconfiguration: throw.
$replReadFailed = ''
$replOrgs = @()
$replForestDomains = @()
try {
    $replCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
    $replOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$replCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
    $replForestDomains = @((Get-ADForest -Server {{ dc_fqdn }} -ErrorAction Stop).Domains)
}
catch {
    $replReadFailed = $_.Exception.Message
}
if (-not $replReadFailed -and $replOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($replOrgs.Count)."
}
if ($replReadFailed) {
    Write-Output ("NOT YET (read failed: $replReadFailed): could not read the forest from " + {{ dc_fqdn }} + '; trying again at the next check.')
}
else {
    $replOrgDn = $replOrgs[0].DistinguishedName
    $replRows = @()
    $replDcNames = @()
    foreach ($replDomain in $replForestDomains) {
        try {
            $replDcNames += @(Get-ADDomainController -Filter * -Server $replDomain -ErrorAction Stop | ForEach-Object { [string]$_.HostName })
        }
        catch {
            $replRows += [pscustomobject]@{ DC = "(domain $replDomain)"; State = "UNREACHABLE: $($_.Exception.Message)"; Trusts = $null; LinkedDomains = $null; IsEnabled = $null; DelegationTrust = '' }
        }
    }
    foreach ($replDc in $replDcNames) {
        try {
            $replFed = Get-ADObject -Server $replDc -Identity "CN=Federation,$replOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled -ErrorAction Stop |
                Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled
            $replTrusts = @(Get-ADObject -Server $replDc -SearchBase "CN=Federation Trusts,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -ErrorAction Stop)
            $replLinked = @(Get-ADObject -Server $replDc -SearchBase "CN=Accepted Domains,CN=Transport Settings,$replOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -ErrorAction Stop)
            $replClean = (-not $replFed.msExchFedAccountNamespace) -and (-not $replFed.msExchFedDelegationTrust) -and ($replFed.msExchFedIsEnabled -eq $false) -and ($replTrusts.Count -eq 0) -and ($replLinked.Count -eq 0)
            $replRows += [pscustomobject]@{
                DC = $replDc
                State = $(if ($replClean) { 'CLEAN' } else { 'NOT YET' })
                Trusts = $replTrusts.Count
                LinkedDomains = $replLinked.Count
                IsEnabled = $replFed.msExchFedIsEnabled
                DelegationTrust = [string]$replFed.msExchFedDelegationTrust
            }
        }
        catch {
            $replRows += [pscustomobject]@{ DC = $replDc; State = "UNREACHABLE: $($_.Exception.Message)"; Trusts = $null; LinkedDomains = $null; IsEnabled = $null; DelegationTrust = '' }
        }
    }
    $replRows | Format-Table -AutoSize DC,State,Trusts,LinkedDomains,IsEnabled,DelegationTrust
    $replCleanCount = @($replRows | Where-Object { $_.State -eq 'CLEAN' }).Count
    if ($replRows.Count -gt 0 -and $replCleanCount -eq $replRows.Count) {
        Write-Output "REPLICATED: every domain controller ($replCleanCount) shows the clean state."
    }
    elseif ($replRows.Count -eq 0) {
        Write-Output 'NOT YET: no domain controller was found to read; check dc_fqdn and the ActiveDirectory module.'
    }
    else {
        Write-Output "NOT YET: $replCleanCount of $($replRows.Count) domain controllers show the clean state; the others still show old federation data or could not be read."
    }
}
