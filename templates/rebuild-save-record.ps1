# Keep the configuration before anything is removed (A1, A2, A3, A6 and the sharing policies).
# The removal destroys the trust's AppID and certificate history; this record is the only copy.
$recordDir = Join-Path {{ record_folder }} ('federation-before-' + (Get-Date -Format 'yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $recordDir -Force | Out-Null

Get-FederationTrust | Format-List * | Out-File -FilePath (Join-Path $recordDir 'federation-trust.txt') -Encoding UTF8
Get-FederationTrust | Export-Clixml -Path (Join-Path $recordDir 'federation-trust.xml')
Get-FederationTrust -Identity {{ trust_name }} | Format-List Name,ApplicationIdentifier,ApplicationUri,TokenIssuerUri,TokenIssuerMetadataEpr,TokenIssuerEpr,OrgPrivCertificate,OrgNextPrivCertificate,OrgPrevPrivCertificate | Out-File -FilePath (Join-Path $recordDir 'federation-trust-a1.txt') -Encoding UTF8

Get-FederatedOrganizationIdentifier | Format-List * | Out-File -FilePath (Join-Path $recordDir 'federated-organization-identifier.txt') -Encoding UTF8
try {
    # -IncludeExtendedDomainInfo asks MFG; with an expired certificate this may fail, which is fine.
    Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo -ErrorAction Stop | Format-List AccountNamespace,Domains,Enabled,DelegationTrustLink | Out-File -FilePath (Join-Path $recordDir 'federated-organization-identifier-extended.txt') -Encoding UTF8
}
catch {
    Write-Warning "Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo failed: $($_.Exception.Message)"
}

Get-OrganizationRelationship | Format-List * | Out-File -FilePath (Join-Path $recordDir 'organization-relationships.txt') -Encoding UTF8
Get-OrganizationRelationship | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,TargetSharingEpr,Enabled,FreeBusyAccessEnabled
Get-SharingPolicy | Format-List * | Out-File -FilePath (Join-Path $recordDir 'sharing-policies.txt') -Encoding UTF8
Get-ExchangeCertificate | Where-Object { $_.Services -match 'Federation' } | Format-List Thumbprint,FriendlyName,Subject,NotAfter,Services | Out-File -FilePath (Join-Path $recordDir 'federation-certificates.txt') -Encoding UTF8

Write-Output "Saved the configuration record to $recordDir"
Get-ChildItem -Path $recordDir | Format-Table -AutoSize Name,Length
