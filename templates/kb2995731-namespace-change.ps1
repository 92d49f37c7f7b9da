# Does the account namespace change with this repair? same / changed / unknown (the old one was
# already empty). Decides whether the partner / Exchange Online notice must be sent.
$nscOld = {{ old_account_namespace }}
$nscNew = {{ "FYDIBOHF25SPDLT." ~ primary_domain }}
if ($nscOld -eq '(none)') {
    Write-Host "The old account namespace is unknown; the new one is $nscNew. Treat it as a change: partners must check their TargetApplicationUri."
    'unknown'
}
elseif ($nscOld -eq $nscNew) {
    Write-Host "The account namespace stays $nscNew."
    'same'
}
else {
    Write-Host "THE ACCOUNT NAMESPACE CHANGES: $nscOld -> $nscNew. Exchange Online and every partner must update TargetApplicationUri."
    'changed'
}
