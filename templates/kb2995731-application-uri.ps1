# The ApplicationUri of the new trust, read from Get-FederationTrust (what Exchange Online and
# partners must use as TargetApplicationUri), checked against FYDIBOHF25SPDLT.<primary_domain>
# (CSS-FBC FedTrustCheck). Only the value is written to the output: it becomes the captured value.
# Exchange cmdlets: -ErrorVariable and the returned objects, never try/catch (M1); pinned (K7).
$appTrustName = {{ trust_name }}
$appExpected = {{ "FYDIBOHF25SPDLT." ~ primary_domain }}
$appTrusts = @(Get-FederationTrust -DomainController {{ dc_fqdn }} -ErrorVariable appReadErr | Where-Object { [string]$_.Name -eq $appTrustName })
if ($appReadErr -or $appTrusts.Count -ne 1) {
    throw ("Expected one federation trust named $appTrustName, found $($appTrusts.Count). " + (($appReadErr | ForEach-Object { [string]$_ }) -join ' | '))
}
$appValue = ([string]$appTrusts[0].ApplicationUri).Trim()
Write-Host "ApplicationUri of the new trust: '$appValue' (expected $appExpected)"
if ($appValue -ne $appExpected) {
    throw "The new trust's ApplicationUri is '$appValue', not $appExpected. Do not send any notice: check set-organization-identifier (AccountNamespace) first."
}
$appValue
