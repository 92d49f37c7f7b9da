# KB2995731 / KB3215261 cleanup (section 2.4), run against one DC. Changes AD directly.
# The runbook's typed confirmation (the trust name) replaces PowerShell's prompts, so the writes
# carry -Confirm:$false (a -NonInteractive host cannot answer a prompt; change review M8).
# Safe to run again: only values that are still set are touched; "already clean" is printed otherwise.
Import-Module ActiveDirectory -ErrorAction Stop
$cleanServer = {{ dc_fqdn }}
$cleanTrustName = {{ trust_name }}
$cleanCfg = (Get-ADRootDSE -Server $cleanServer -ErrorAction Stop).configurationNamingContext
$cleanOrgs = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Microsoft Exchange,CN=Services,$cleanCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($cleanOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($cleanOrgs.Count). Nothing was changed."
}
$cleanOrgDn = $cleanOrgs[0].DistinguishedName
$cleanFedDn = "CN=Federation,$cleanOrgDn"

# Save every value this step is about to change (for the change record and any manual rollback).
# Every Get-ADObject with -Properties goes through Select-Object (change review B1).
$cleanFed = Get-ADObject -Server $cleanServer -Identity $cleanFedDn -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL -ErrorAction Stop |
    Select-Object DistinguishedName,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL
# msExchFedDelegationTrustSL (recorded only, never changed) came with a later Exchange schema update; an
# older schema rejects it in -Properties, so it is read on its own (second review N13).
$cleanFedSL = 'not in this schema'
try {
    $cleanFedSL = (Get-ADObject -Server $cleanServer -Identity $cleanFedDn -Properties msExchFedDelegationTrustSL -ErrorAction Stop |
        Select-Object DistinguishedName,msExchFedDelegationTrustSL).msExchFedDelegationTrustSL
}
catch {
    $cleanFedSL = "not in this schema (or not readable: $($_.Exception.Message))"
}
$cleanTrusts = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Federation Trusts,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties msExchFedApplicationId,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchFedApplicationId,msExchFedApplicationUri,msExchFedOrgPrivCertificate,whenChanged)
$cleanLinked = @(Get-ADObject -Server $cleanServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$cleanOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
    Select-Object Name,DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink)
[void][System.IO.Directory]::CreateDirectory({{ record_folder }})
$cleanBackup = Join-Path -Path {{ record_folder }} -ChildPath ('ad-federation-before-cleanup-' + (Get-Date -Format 'yyyyMMdd-HHmmss') + '.txt')
(@($cleanFed) + @([pscustomobject]@{ msExchFedDelegationTrustSL = $cleanFedSL }) + $cleanTrusts + $cleanLinked) | Format-List * | Out-File -LiteralPath $cleanBackup -Encoding UTF8 -Width 4096
Write-Output "Saved the current AD values to $cleanBackup"

# a. Federated organization identifier: clear the namespace and the trust link, disable.
#    msExchFedDelegationTrustSL is never touched (no source says to clear it; change review R18).
$cleanAttributes = @()
if ($cleanFed.msExchFedAccountNamespace) { $cleanAttributes += 'msExchFedAccountNamespace' }
if ($cleanFed.msExchFedDelegationTrust) { $cleanAttributes += 'msExchFedDelegationTrust' }
if ($cleanAttributes.Count -gt 0) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Clear $cleanAttributes -Confirm:$false -ErrorAction Stop
    Write-Output ('Part a: cleared ' + ($cleanAttributes -join ', '))
}
else { Write-Output 'Part a: already done: msExchFedAccountNamespace and msExchFedDelegationTrust are empty.' }
if ($cleanFed.msExchFedIsEnabled -ne $false) {
    Set-ADObject -Server $cleanServer -Identity $cleanFedDn -Replace @{msExchFedIsEnabled=$false} -Confirm:$false -ErrorAction Stop
    Write-Output 'Part a: set msExchFedIsEnabled to False.'
}
else { Write-Output 'Part a: already done: msExchFedIsEnabled is False.' }

# b. Delete the old trust object only if Remove-FederationTrust left it behind.
foreach ($cleanTrust in $cleanTrusts) {
    if ($cleanTrust.Name -eq $cleanTrustName) {
        Remove-ADObject -Server $cleanServer -Identity $cleanTrust.DistinguishedName -Confirm:$false -ErrorAction Stop
        Write-Output "Part b: deleted $($cleanTrust.DistinguishedName)"
    }
    else {
        Write-Warning "Not touching msExchFedTrust '$($cleanTrust.Name)': it is not the trust this run removed. Review it by hand."
    }
}
if ($cleanTrusts.Count -eq 0) { Write-Output 'Part b: already done: no msExchFedTrust object remains.' }

# c. Clear msExchFedAcceptedDomainLink on every accepted domain that still has it.
foreach ($cleanDomain in $cleanLinked) {
    Set-ADObject -Server $cleanServer -Identity $cleanDomain.DistinguishedName -Clear msExchFedAcceptedDomainLink -Confirm:$false -ErrorAction Stop
    Write-Output "Part c: cleared msExchFedAcceptedDomainLink on $($cleanDomain.Name)"
}
if ($cleanLinked.Count -eq 0) { Write-Output 'Part c: already done: no accepted domain carries msExchFedAcceptedDomainLink.' }
