# The ApplicationUri of the new trust is what Exchange Online and partners must use as
# TargetApplicationUri (the original request; Set-OrganizationRelationship -TargetApplicationUri).
# It is read from Get-FederationTrust, checked against FYDIBOHF25SPDLT.<the namespace domain actually
# set> (Get-FederatedOrganizationIdentifier), and compared with the namespace before the change: when
# they differ the namespace CHANGED and every partner must update (change review M4/R4).
# Only the value is written to the output (it becomes the captured value); messages go to the host.
$auName = {{ trust_name }}
$auTrust = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable auTrustErr | Where-Object { [string]$_.Name -eq $auName })
$auOrgId = @(Get-FederatedOrganizationIdentifier -DomainController {{ dc_fqdn }} -ErrorVariable auOrgIdErr)
if ($auTrustErr -or $auOrgIdErr) { throw "Reading the trust or the organization identifier failed: $(@($auTrustErr) + @($auOrgIdErr) | Select-Object -First 1)" }
if ($auTrust.Count -ne 1 -or [string]::IsNullOrWhiteSpace([string]$auTrust[0].ApplicationUri)) {
    throw "Expected one trust named '$auName' with an ApplicationUri, found $($auTrust.Count) trust(s) (an empty ApplicationUri means the organization identifier is not set on it). Investigate with Get-FederationTrust and Get-FederatedOrganizationIdentifier."
}
if ($auOrgId.Count -ne 1 -or [string]::IsNullOrWhiteSpace([string]$auOrgId[0].AccountNamespace)) {
    throw 'The organization identifier has no AccountNamespace: set-organization-identifier did not take effect. RESUME AT: set-organization-identifier'
}
$auUri = [string]$auTrust[0].ApplicationUri
$auNamespace = [string]$auOrgId[0].AccountNamespace
$auBefore = {{ account_namespace }}
Write-Host "ApplicationUri of the new trust: $auUri"
Write-Host "AccountNamespace now set:        $auNamespace"
Write-Host "AccountNamespace before:         $auBefore"
if ($auNamespace -notmatch '^FYDIBOHF25SPDLT\.') { throw "AccountNamespace '$auNamespace' does not start with FYDIBOHF25SPDLT.: investigate before telling anyone a URI." }
if ($auUri -ne $auNamespace) {
    throw "ApplicationUri '$auUri' is not FYDIBOHF25SPDLT.<the namespace domain set> ('$auNamespace'). Do not send it to anyone; investigate (Get-FederationTrust, Get-FederatedOrganizationIdentifier)."
}
if ($auUri -ne $auBefore) {
    Write-Host ''
    Write-Host '################################################################################' -ForegroundColor Red
    Write-Host "# THE ACCOUNT NAMESPACE CHANGED: $auBefore -> $auUri" -ForegroundColor Red
    Write-Host '# Exchange Online and EVERY partner organization MUST set TargetApplicationUri' -ForegroundColor Red
    Write-Host "# to $auUri, or free/busy with them stays broken. The notification says so." -ForegroundColor Red
    Write-Host '################################################################################' -ForegroundColor Red
    Write-Warning "The account namespace changed from $auBefore to $auUri."
}
else {
    Write-Host "Unchanged: the ApplicationUri is the same as before the change ($auUri)."
}
$auUri
