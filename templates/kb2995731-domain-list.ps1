# A3/D1: every domain still federated must be in the runbook parameters, or the removal would
# leave it behind (and the trust could not go) and the recreate would silently lose it.
# An empty list is fine here: an incomplete earlier removal may already have removed them.
# Exchange cmdlets are implicit-remoting proxies in EMS: failures are detected with
# -ErrorVariable and by what came back, never with try/catch (M1).
$domainsExpected = @({{ primary_domain }}) + {{ additional_domains | ps_array }}
$domainsOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable domainsReadErr)
if ($domainsReadErr -or $domainsOrgId.Count -ne 1) {
    throw ("Expected one federated organization identifier, found $($domainsOrgId.Count). " + (($domainsReadErr | ForEach-Object { [string]$_ }) -join ' | '))
}
$domainsOrgId[0] | Format-List AccountNamespace,Domains,Enabled,DelegationTrustLink
$domainsActual = @($domainsOrgId[0].Domains | ForEach-Object { ([string]$_).Trim() } | Where-Object { $_ })
Write-Output ('Runbook parameters: ' + ($domainsExpected -join ', '))
Write-Output ('Federated now: ' + ($domainsActual -join ', '))

$domainsNamespace = [string]$domainsOrgId[0].AccountNamespace
$domainsNewNamespace = {{ "FYDIBOHF25SPDLT." ~ primary_domain }}
if ($domainsNamespace -and $domainsNamespace -ne $domainsNewNamespace) {
    Write-Warning "AccountNamespace is '$domainsNamespace'; the new trust will use '$domainsNewNamespace'. Exchange Online and every partner must then use that TargetApplicationUri: the runbook prints a notice for them (notify-namespace-change) and the HCW re-run updates the Exchange Online side. Stop and correct primary_domain if this is not intended."
}
if ($domainsActual.Count -eq 0) {
    Write-Output 'No domain is federated any more: the removal steps will find nothing to remove.'
}
$domainsMissing = @($domainsActual | Where-Object { $domainsExpected -notcontains $_ })
if ($domainsMissing.Count -gt 0) {
    throw ('Federated but not in primary_domain + additional_domains: ' + ($domainsMissing -join ', ') + '. Restart the run with every federated domain in the parameters.')
}
Write-Output 'PASS: every federated domain is in primary_domain + additional_domains.'
