# Keep the configuration before anything is removed: A1, A3, A6, the sharing policies, the
# federation certificates and the section 2.3 AD values. This record is the only copy.
$recordDir = Join-Path {{ record_folder }} ('kb2995731-before-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $recordDir -Force | Out-Null

Get-FederationTrust | Format-List * | Out-File -FilePath (Join-Path $recordDir 'federation-trust.txt') -Encoding UTF8
Get-FederatedOrganizationIdentifier | Format-List * | Out-File -FilePath (Join-Path $recordDir 'federated-organization-identifier.txt') -Encoding UTF8
Get-OrganizationRelationship | Format-List * | Out-File -FilePath (Join-Path $recordDir 'organization-relationships.txt') -Encoding UTF8
Get-SharingPolicy | Format-List * | Out-File -FilePath (Join-Path $recordDir 'sharing-policies.txt') -Encoding UTF8
Get-ExchangeCertificate | Where-Object { $_.Services -match 'Federation' } | Format-List Thumbprint,FriendlyName,Subject,NotAfter,Services | Out-File -FilePath (Join-Path $recordDir 'federation-certificates.txt') -Encoding UTF8

Import-Module ActiveDirectory -ErrorAction Stop
$recordCfg = (Get-ADRootDSE -Server {{ dc_fqdn }}).configurationNamingContext
$recordOrgs = @(Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Microsoft Exchange,CN=Services,$recordCfg" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchOrganizationContainer)')
if ($recordOrgs.Count -ne 1) {
    throw "Expected exactly one Exchange organization container, found $($recordOrgs.Count)."
}
$recordOrgDn = $recordOrgs[0].DistinguishedName
& {
    Get-ADObject -Server {{ dc_fqdn }} -Identity "CN=Federation,$recordOrgDn" -Properties * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Federation Trusts,$recordOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchFedTrust)' -Properties * | Format-List *
    Get-ADObject -Server {{ dc_fqdn }} -SearchBase "CN=Accepted Domains,CN=Transport Settings,$recordOrgDn" -SearchScope OneLevel -LDAPFilter '(objectClass=msExchAcceptedDomain)' -Properties msExchAcceptedDomainName,msExchFedAcceptedDomainLink | Format-List DistinguishedName,msExchAcceptedDomainName,msExchFedAcceptedDomainLink
} | Out-File -FilePath (Join-Path $recordDir 'ad-federation-objects.txt') -Encoding UTF8

Write-Output "Saved the configuration record to $recordDir"
Get-ChildItem -Path $recordDir | Format-Table -AutoSize Name,Length
