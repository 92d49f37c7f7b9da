# What the outage will hit (change review "Impact statement", CSS-FBC OrgRelCheck/IntraOrgConCheck,
# KB3137325): organization relationships and sharing policies use the federation trust (DAuth); in a
# hybrid with an ENABLED IntraOrganizationConnector, free/busy with Exchange Online uses OAuth and
# "Exchange doesn't try to use the organization relationship if an intraorganization connector
# exists" (KB3137325), so that path does not depend on this trust. Read-only.
$fbpRel = @(Get-OrganizationRelationship -DomainController {{ dc_fqdn }} -ErrorVariable fbpRelErr)
$fbpIoc = @(Get-IntraOrganizationConnector -DomainController {{ dc_fqdn }} -ErrorVariable fbpIocErr)
$fbpAas = @(Get-AvailabilityAddressSpace -DomainController {{ dc_fqdn }} -ErrorVariable fbpAasErr)
$fbpHybrid = @(Get-HybridConfiguration -DomainController {{ dc_fqdn }} -ErrorAction Continue -ErrorVariable fbpHybridErr)
foreach ($fbpError in @($fbpRelErr) + @($fbpIocErr) + @($fbpAasErr)) { Write-Output "ERROR: $fbpError" }
if ($fbpRelErr -or $fbpIocErr -or $fbpAasErr) { throw 'Reading the free/busy configuration failed (see ERROR above).' }
Write-Output '--- Organization relationships (use the federation trust) ---'
$fbpRel | Format-List Name,DomainNames,TargetApplicationUri,TargetAutodiscoverEpr,Enabled,FreeBusyAccessEnabled
Write-Output '--- Intra-organization connectors (OAuth) ---'
$fbpIoc | Format-List Name,Enabled,TargetAddressDomains,DiscoveryEndpoint
Write-Output '--- Availability address spaces ---'
$fbpAas | Format-List ForestName,AccessMethod,ProxyUrl,TargetAutodiscoverEpr
Write-Output ('--- Hybrid configuration: ' + $(if ($fbpHybridErr) { "could not be read: $($fbpHybridErr[0])" } elseif ($fbpHybrid.Count -gt 0) { 'present (the Hybrid Configuration Wizard was run)' } else { 'none' }) + ' ---')
$fbpRelOn = @($fbpRel | Where-Object { $_.Enabled -eq $true })
$fbpIocOn = @($fbpIoc | Where-Object { $_.Enabled -eq $true })
Write-Output "IMPACT: $($fbpRelOn.Count) enabled organization relationship(s) stop working from remove-additional-domains until test-federation passes (federated sharing, DAuth)."
if ($fbpIocOn.Count -gt 0) {
    Write-Output "IMPACT: $($fbpIocOn.Count) enabled IntraOrganizationConnector(s): free/busy with the domains they list uses OAuth and is NOT expected to stop (KB3137325); organization relationships to partners still stop."
}
else {
    Write-Output 'IMPACT: no enabled IntraOrganizationConnector: free/busy with Exchange Online (if hybrid) uses the organization relationship and stops during the change.'
}
