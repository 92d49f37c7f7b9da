# What depends on the trust (A6) and what does not (OAuth), shown before the approval so that the
# impact statement is based on this organization, not on a general rule. Read only.
# In a hybrid with an enabled IntraOrganizationConnector, Exchange uses OAuth for free/busy with
# Exchange Online and does not use the organization relationship (KB3137325; CSS-FBC OrgRelCheck).
$shRels = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorVariable shRelErr)
if ($shRelErr) {
    throw ('Get-OrganizationRelationship failed: ' + (($shRelErr | ForEach-Object { [string]$_ }) -join ' | '))
}
Write-Output "--- Organization relationships: $($shRels.Count) ---"
$shRels | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,TargetSharingEpr,Enabled,FreeBusyAccessEnabled,FreeBusyAccessLevel
$shIoc = @(Get-IntraOrganizationConnector -DomainController {{ dc_fqdn }} -ErrorVariable shIocErr)
if ($shIocErr) {
    Write-Warning ('Get-IntraOrganizationConnector failed: ' + (($shIocErr | ForEach-Object { [string]$_ }) -join ' | '))
}
Write-Output "--- IntraOrganizationConnectors (OAuth): $($shIoc.Count) ---"
$shIoc | Format-List Name,Enabled,TargetAddressDomains,DiscoveryEndpoint
$shOnline = @($shRels | Where-Object { [string]$_.TargetApplicationUri -eq 'outlook.com' })
$shPartners = @($shRels | Where-Object { [string]$_.TargetApplicationUri -ne 'outlook.com' })
$shOauth = @($shIoc | Where-Object { $_.Enabled -eq $true })
if ($shOauth.Count -gt 0) {
    Write-Output 'IMPACT: an IntraOrganizationConnector is enabled: free/busy between on-premises and Exchange Online uses OAuth and may keep working during the outage. The Hybrid Configuration Wizard, the organization relationships and federated sharing still need the trust.'
}
elseif ($shOnline.Count -gt 0) {
    Write-Output 'IMPACT: no enabled IntraOrganizationConnector: free/busy with Exchange Online uses the federation trust and stops from the removal until the new trust works.'
}
else {
    Write-Output 'IMPACT: no relationship to Exchange Online (TargetApplicationUri outlook.com) and no enabled IntraOrganizationConnector on this side.'
}
Write-Output "Relationships to other organizations (partners), which stop during the outage: $($shPartners.Count)"
