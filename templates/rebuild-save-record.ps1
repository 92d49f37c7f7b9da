# Keep the configuration before anything is removed (A1, A2, A3, A6, sharing policies, accepted
# domains, the OAuth/availability configuration and the AD objects of KB2995731). The removal destroys
# the trust's AppID and certificate history; this record is the only copy (change review R12).
# Exchange cmdlets: failures are read from -ErrorVariable, never from try/catch (M1). The trust and
# the organization identifier are essential: without them the record is useless and the step FAILS.
$recDir = Join-Path -Path {{ record_folder }} -ChildPath ('federation-before-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
[void][System.IO.Directory]::CreateDirectory($recDir)
$recWarnings = @()
$recSave = {
    param([string]$FileName, $Objects)
    $Objects | Format-List * | Out-File -LiteralPath (Join-Path -Path $recDir -ChildPath $FileName) -Encoding UTF8 -Width 4096
}

# Exchange: federation trust (A1) and federated organization identifier (A3)
$recTrusts = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable recTrustErr)
if ($recTrustErr -or $recTrusts.Count -eq 0) {
    throw "Get-FederationTrust failed or returned nothing ($($recTrustErr | Select-Object -First 1)). Nothing was removed; fix this before going on."
}
& $recSave 'federation-trust.txt' $recTrusts
$recTrusts | Export-Clixml -LiteralPath (Join-Path -Path $recDir -ChildPath 'federation-trust.xml')
$recTrusts | Where-Object { [string]$_.Name -eq {{ trust_name }} } | Format-List Name,ApplicationIdentifier,ApplicationUri,TokenIssuerUri,TokenIssuerMetadataEpr,TokenIssuerEpr,OrgPrivCertificate,OrgNextPrivCertificate,OrgPrevPrivCertificate | Out-File -LiteralPath (Join-Path -Path $recDir -ChildPath 'federation-trust-a1.txt') -Encoding UTF8 -Width 4096

$recOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable recOrgIdErr)
if ($recOrgIdErr -or $recOrgId.Count -eq 0) {
    throw "Get-FederatedOrganizationIdentifier failed or returned nothing ($($recOrgIdErr | Select-Object -First 1)). Nothing was removed; fix this before going on."
}
& $recSave 'federated-organization-identifier.txt' $recOrgId
$recOrgId | Export-Clixml -LiteralPath (Join-Path -Path $recDir -ChildPath 'federated-organization-identifier.xml')
# -IncludeExtendedDomainInfo asks MFG; with an expired certificate it may fail: recorded as a warning only.
$recOrgIdExt = @(Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable recOrgIdExtErr)
if ($recOrgIdExtErr) { $recWarnings += "Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo failed (expected with an expired certificate): $($recOrgIdExtErr[0])" }
else { & $recSave 'federated-organization-identifier-extended.txt' $recOrgIdExt }

# Exchange: who uses the trust (A6), sharing, accepted domains, OAuth hybrid, availability, certificates
$recOrgRel = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorVariable recOrgRelErr)
if ($recOrgRelErr) { $recWarnings += "Get-OrganizationRelationship: $($recOrgRelErr[0])" }
& $recSave 'organization-relationships.txt' $recOrgRel
$recOrgRel | Export-Clixml -LiteralPath (Join-Path -Path $recDir -ChildPath 'organization-relationships.xml')
$recOrgRel | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,TargetSharingEpr,Enabled,FreeBusyAccessEnabled

$recSharing = @(Get-SharingPolicy -DomainController {{ dc_fqdn }} -ErrorVariable recSharingErr)
if ($recSharingErr) { $recWarnings += "Get-SharingPolicy: $($recSharingErr[0])" }
& $recSave 'sharing-policies.txt' $recSharing

$recAccepted = @(Get-AcceptedDomain -DomainController {{ dc_fqdn }} -ErrorVariable recAcceptedErr)
if ($recAcceptedErr) { $recWarnings += "Get-AcceptedDomain: $($recAcceptedErr[0])" }
& $recSave 'accepted-domains.txt' $recAccepted

$recIoc = @(Get-IntraOrganizationConnector -DomainController {{ dc_fqdn }} -ErrorVariable recIocErr)
if ($recIocErr) { $recWarnings += "Get-IntraOrganizationConnector: $($recIocErr[0])" }
& $recSave 'intra-organization-connectors.txt' $recIoc
$recIoc | Format-List Name,Enabled,TargetAddressDomains,DiscoveryEndpoint

$recAas = @(Get-AvailabilityAddressSpace -DomainController {{ dc_fqdn }} -ErrorVariable recAasErr)
if ($recAasErr) { $recWarnings += "Get-AvailabilityAddressSpace: $($recAasErr[0])" }
& $recSave 'availability-address-spaces.txt' $recAas

$recHybrid = @(Get-HybridConfiguration -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable recHybridErr)
if ($recHybridErr) { $recWarnings += "Get-HybridConfiguration: $($recHybridErr[0])" }
& $recSave 'hybrid-configuration.txt' $recHybrid

$recCerts = @(Get-ExchangeCertificate -DomainController {{ dc_fqdn }} -ErrorVariable recCertsErr | Where-Object { [string]$_.Services -match 'Federation' })
if ($recCertsErr) { $recWarnings += "Get-ExchangeCertificate: $($recCertsErr[0])" }
$recCerts | Format-List Thumbprint,FriendlyName,Subject,NotBefore,NotAfter,Services | Out-File -LiteralPath (Join-Path -Path $recDir -ChildPath 'federation-certificates.txt') -Encoding UTF8 -Width 4096

# Active Directory: the KB2995731 objects as they are BEFORE the Exchange removals (ActiveDirectory
# module: a real cmdlet, so -ErrorAction Stop and try/catch are fine). Every Get-ADObject with
# -Properties goes through Select-Object, so an attribute without a value reads as $null (B1).
# msExchFedDelegationTrustSL is recorded only (change review R18): no source says to clear it.
Import-Module ActiveDirectory -ErrorAction Stop
$recAdServer = {{ dc_fqdn }}
$recAdCfg = (Get-ADRootDSE -Server $recAdServer -ErrorAction Stop).configurationNamingContext
$recAdOrgs = @(Get-ADObject -Server $recAdServer -SearchBase "CN=Microsoft Exchange,CN=Services,$recAdCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)' -ErrorAction Stop)
if ($recAdOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($recAdOrgs.Count). Nothing was removed."
}
$recAdOrgDn = $recAdOrgs[0].DistinguishedName
$recAdFed = @(Get-ADObject -Server $recAdServer -Identity "CN=Federation,$recAdOrgDn" -Properties msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL,whenChanged -ErrorAction Stop |
    Select-Object DistinguishedName,Name,msExchFedAccountNamespace,msExchFedDelegationTrust,msExchFedIsEnabled,msExchFedAcceptedDomainBL,whenChanged)
# msExchFedDelegationTrustSL came with a later Exchange schema update; an older schema rejects it in
# -Properties, so it is read on its own and a failure is recorded, not fatal (second review N13).
$recAdFedSL = 'not in this schema'
try {
    $recAdFedSL = (Get-ADObject -Server $recAdServer -Identity "CN=Federation,$recAdOrgDn" -Properties msExchFedDelegationTrustSL -ErrorAction Stop |
        Select-Object DistinguishedName,msExchFedDelegationTrustSL).msExchFedDelegationTrustSL
}
catch {
    $recAdFedSL = "not in this schema (or not readable: $($_.Exception.Message))"
}
Write-Output "msExchFedDelegationTrustSL: $recAdFedSL"
$recAdTrusts = @(Get-ADObject -Server $recAdServer -SearchBase "CN=Federation Trusts,$recAdOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties msExchFedApplicationId,msExchFedApplicationUri,msExchFedOrgPrivCertificate,msExchFedOrgNextPrivCertificate,msExchFedOrgPrevPrivCertificate,whenChanged -ErrorAction Stop |
    Select-Object DistinguishedName,Name,msExchFedApplicationId,msExchFedApplicationUri,msExchFedOrgPrivCertificate,msExchFedOrgNextPrivCertificate,msExchFedOrgPrevPrivCertificate,whenChanged)
$recAdLinked = @(Get-ADObject -Server $recAdServer -SearchBase "CN=Accepted Domains,CN=Transport Settings,$recAdOrgDn" -SearchScope OneLevel -LDAPFilter '(&(objectClass=msExchAcceptedDomain)(msExchFedAcceptedDomainLink=*))' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink -ErrorAction Stop |
    Select-Object DistinguishedName,Name,msExchAcceptedDomainName,msExchFedAcceptedDomainLink)
& $recSave 'ad-federation-before-removal.txt' (@($recAdFed) + @([pscustomobject]@{ msExchFedDelegationTrustSL = $recAdFedSL }) + @($recAdTrusts) + @($recAdLinked))
[pscustomobject]@{ Federation = $recAdFed; FederationDelegationTrustSL = $recAdFedSL; Trusts = $recAdTrusts; LinkedAcceptedDomains = $recAdLinked } | Export-Clixml -LiteralPath (Join-Path -Path $recDir -ChildPath 'ad-federation-before-removal.xml')
Write-Output "AD before the removal: CN=Federation read from $recAdServer, $($recAdTrusts.Count) msExchFedTrust object(s), $($recAdLinked.Count) linked accepted domain(s)."

if ($recWarnings.Count -gt 0) {
    $recWarnings | Out-File -LiteralPath (Join-Path -Path $recDir -ChildPath 'record-warnings.txt') -Encoding UTF8 -Width 4096
    foreach ($recWarning in $recWarnings) { Write-Warning $recWarning }
}
Write-Output "Saved the configuration record to $recDir"
Get-ChildItem -LiteralPath $recDir | Format-Table -AutoSize Name,Length
