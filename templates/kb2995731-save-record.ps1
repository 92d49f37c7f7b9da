# Keep the configuration before anything is removed: A1, A3, A6, the accepted domains, the
# sharing policies, the OAuth/hybrid objects (IntraOrganizationConnector, availability address
# spaces, hybrid configuration), the federation certificates and the section 2.3 AD values.
# This record is the only copy. Exchange reads are pinned to dc_fqdn and checked with
# -ErrorVariable (M1); AD attributes go through Select-Object (B1); paths are literal.
$recordDir = Join-Path -Path {{ record_folder }} -ChildPath ('kb2995731-before-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
[void][System.IO.Directory]::CreateDirectory($recordDir)
$recordProblems = @()

# Exchange: the objects this change removes and recreates (a failed read stops the step).
$recordTrust = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable recordTrustErr)
& { if ($recordTrust.Count -eq 0) { '(no federation trust)' } else { $recordTrust | Format-List * } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'federation-trust.txt') -Encoding UTF8
$recordTrust | Export-Clixml -LiteralPath (Join-Path -Path $recordDir -ChildPath 'federation-trust.xml')
if ($recordTrustErr) { $recordProblems += 'Get-FederationTrust: ' + (($recordTrustErr | ForEach-Object { [string]$_ }) -join ' | ') }

$recordOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable recordOrgIdErr)
& { if ($recordOrgId.Count -eq 0) { '(no federated organization identifier)' } else { $recordOrgId | Format-List * } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'federated-organization-identifier.txt') -Encoding UTF8
$recordOrgId | Export-Clixml -LiteralPath (Join-Path -Path $recordDir -ChildPath 'federated-organization-identifier.xml')
if ($recordOrgIdErr -or $recordOrgId.Count -ne 1) { $recordProblems += "Get-FederatedOrganizationIdentifier returned $($recordOrgId.Count) object(s): " + (($recordOrgIdErr | ForEach-Object { [string]$_ }) -join ' | ') }

$recordOrgRel = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorVariable recordOrgRelErr)
& { if ($recordOrgRel.Count -eq 0) { '(no organization relationship)' } else { $recordOrgRel | Format-List * } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'organization-relationships.txt') -Encoding UTF8
$recordOrgRel | Export-Clixml -LiteralPath (Join-Path -Path $recordDir -ChildPath 'organization-relationships.xml')
if ($recordOrgRelErr) { $recordProblems += 'Get-OrganizationRelationship: ' + (($recordOrgRelErr | ForEach-Object { [string]$_ }) -join ' | ') }

$recordSharing = @(Get-SharingPolicy -DomainController {{ dc_fqdn }} -ErrorVariable recordSharingErr)
& { if ($recordSharing.Count -eq 0) { '(no sharing policy)' } else { $recordSharing | Format-List * } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'sharing-policies.txt') -Encoding UTF8
if ($recordSharingErr) { $recordProblems += 'Get-SharingPolicy: ' + (($recordSharingErr | ForEach-Object { [string]$_ }) -join ' | ') }

$recordAccepted = @(Get-AcceptedDomain -DomainController {{ dc_fqdn }} -ErrorVariable recordAcceptedErr)
& { if ($recordAccepted.Count -eq 0) { '(no accepted domain)' } else { $recordAccepted | Format-List * } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'accepted-domains.txt') -Encoding UTF8
if ($recordAcceptedErr -or $recordAccepted.Count -eq 0) { $recordProblems += "Get-AcceptedDomain returned $($recordAccepted.Count) domain(s): " + (($recordAcceptedErr | ForEach-Object { [string]$_ }) -join ' | ') }

$recordCerts = @(Get-ExchangeCertificate -DomainController {{ dc_fqdn }} -ErrorVariable recordCertsErr | Where-Object { [string]$_.Services -match 'Federation' })
& { if ($recordCerts.Count -eq 0) { '(no certificate with the Federation service on this server)' } else { $recordCerts | Format-List Thumbprint,FriendlyName,Subject,NotBefore,NotAfter,Services } } | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'federation-certificates.txt') -Encoding UTF8
if ($recordCertsErr) { $recordProblems += 'Get-ExchangeCertificate: ' + (($recordCertsErr | ForEach-Object { [string]$_ }) -join ' | ') }

# Exchange: OAuth and hybrid objects (what else carries free/busy; not changed by this runbook).
# An empty result is normal where there is no hybrid; a failed read is only noted in the file.
$recordIoc = @(Get-IntraOrganizationConnector -DomainController {{ dc_fqdn }} -ErrorVariable recordIocErr)
& {
    if ($recordIoc.Count -eq 0) { '(no IntraOrganizationConnector)' }
    $recordIoc | Format-List Name,Enabled,TargetAddressDomains,DiscoveryEndpoint,TargetSharingEpr
    if ($recordIocErr) { 'Get-IntraOrganizationConnector failed: ' + (($recordIocErr | ForEach-Object { [string]$_ }) -join ' | ') }
} | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'intra-organization-connectors.txt') -Encoding UTF8
$recordAas = @(Get-AvailabilityAddressSpace -DomainController {{ dc_fqdn }} -ErrorVariable recordAasErr)
& {
    if ($recordAas.Count -eq 0) { '(no availability address space)' }
    $recordAas | Format-List *
    if ($recordAasErr) { 'Get-AvailabilityAddressSpace failed: ' + (($recordAasErr | ForEach-Object { [string]$_ }) -join ' | ') }
} | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'availability-address-spaces.txt') -Encoding UTF8
$recordHybrid = @(Get-HybridConfiguration -DomainController {{ dc_fqdn }} -ErrorVariable recordHybridErr)
& {
    if ($recordHybrid.Count -eq 0) { '(no hybrid configuration)' }
    $recordHybrid | Format-List *
    if ($recordHybridErr) { 'Get-HybridConfiguration failed: ' + (($recordHybridErr | ForEach-Object { [string]$_ }) -join ' | ') }
} | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'hybrid-configuration.txt') -Encoding UTF8

# Active Directory: the KB2995731 objects as they are now (section 2.3).
Import-Module ActiveDirectory -ErrorAction Stop
$recordCfg = (Get-ADRootDSE -Server {{ dc_fqdn }} -ErrorAction Stop).configurationNamingContext
$recordOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$recordCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($recordOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($recordOrgs.Count)."
}
$recordOrgDn = $recordOrgs[0].DistinguishedName
& {
    Get-ADObject -Server {{ dc_fqdn }} -Identity "CN=Federation,$recordOrgDn" -Properties * -ErrorAction Stop | Select-Object -Property * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$recordOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties * -ErrorAction Stop | Select-Object -Property * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$recordOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchAcceptedDomain)' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
        Select-Object DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink | Format-List DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
} | Out-File -LiteralPath (Join-Path -Path $recordDir -ChildPath 'ad-federation-objects.txt') -Encoding UTF8

Write-Output "Saved the configuration record to $recordDir"
Get-ChildItem -LiteralPath $recordDir | Format-Table -AutoSize Name,Length
if ($recordProblems.Count -gt 0) {
    foreach ($recordProblem in $recordProblems) { Write-Output "FAIL: $recordProblem" }
    throw 'The configuration record is incomplete (see above). Nothing was changed; fix the cause and run this step again (it writes a new folder).'
}
Write-Output 'RECORD COMPLETE: every Exchange and AD read succeeded.'
