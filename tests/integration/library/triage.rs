//! `exchange-federation-1007-triage`: time skew first (procedure B, the fix only behind the "is the
//! clock off?" decision), then the certificate's expiry (A1-A3), then a hand-over to the rollover
//! or the rebuild with the exact `runbook run` command; nothing that changes federation is
//! rendered, scripted runs take each branch to the end, and `runbook match` sends the KB3107293
//! texts here but the KB3215278 text to the rebuild.

use super::{find_after, step_body};
use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::{Test, scripted_run};

const ID: &str = "exchange-federation-1007-triage";

#[test]
fn the_triage_checks_time_before_the_certificate() {
    let text = super::script(ID);
    let code = code_outside_literals_and_comments(&text);
    // B1, B2/B3, the B4 fix, the test after it, then A1, A2, A3.
    let order = [
        "w32tm.exe /query /status /verbose",
        "w32tm.exe /stripchart",
        "w32tm.exe /config /syncfromflags:domhier /update",
        "Restart-Service -Name W32Time",
        "w32tm.exe /resync /rediscover",
        "Test-FederationTrust -UserIdentity",
        "Get-FederationTrust -DomainController",
        "$trust_name = & {",
        "Get-FederationTrust -Identity $trust_name",
        "Get-ExchangeCertificate -Thumbprint $triageThumbprint",
        "Get-FederatedOrganizationIdentifier",
    ];
    let mut at = 0;
    for needle in order {
        at = find_after(&code, needle, at) + needle.len();
    }
    // Both references are measured, with the documented sample count.
    assert!(
        text.contains("$triageTargets = @('dc01.contoso.com', 'time.windows.com')"),
        "the DC and the external reference"
    );
    assert!(
        code.contains("/samples:5 /dataonly"),
        "five samples, data only"
    );
    // The fix re-runs the stripcharts as its verification, and has a rollback.
    let fix = step_body(&text, "fix-server-time");
    let fix_code = code_outside_literals_and_comments(fix);
    let verify = find_after(fix, "# Verify:", 0);
    assert!(
        fix[verify..].contains("w32tm.exe /stripchart"),
        "verify re-measures"
    );
    assert!(fix.contains("# Rollback:"), "the fix has a rollback");
    assert!(
        fix_code.contains("Assert-Passed"),
        "the verification is judged"
    );
    // The fix is reached only through the decision, which offers the certificate path first.
    let decision = step_body(&text, "clock-off");
    assert!(
        decision
            .contains("Read-Choice 'Is the clock off?' @('in-sync', 'server-off', 'domain-off')")
    );
    assert!(decision.contains("$script:Goto = 'show-federation-trust'"));
    assert!(decision.contains("$script:Goto = 'fix-server-time'"));
    assert!(decision.contains("$script:Goto = 'show-pdc-time-commands'"));
    // The thresholds: the 5-minute limit and the 60 s warning.
    assert!(code.contains("-ge 300"), "5-minute limit");
    assert!(code.contains("-gt 60"), "60 s warning");
}

/// What the script prints for the message lines of a notify step: each line is one PowerShell
/// single-quoted literal (quotes doubled), printed as its text.
fn printed(body: &str) -> String {
    body.lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix('\'')?.strip_suffix('\'')
        })
        .map(|l| l.replace("''", "'") + "\n")
        .collect()
}

#[test]
fn both_branches_end_the_run_with_the_exact_next_command() {
    let text = super::script(ID);
    let decision = step_body(&text, "certificate-expired");
    assert!(decision.contains("$script:Goto = 'handover-rollover'"));
    assert!(decision.contains("$script:Goto = 'handover-rebuild'"));

    let rollover = step_body(&text, "handover-rollover");
    assert!(
        printed(rollover).contains(
            "runbook run exchange-federation-certificate-rollover --set 'federated_domains=contoso.com,fabrikam.com,sales.contoso.com' --set 'user_smtp=admin@contoso.com' --set dc_fqdn=dc01.contoso.com --set ntp_reference=time.windows.com\n"
        ),
        "{rollover}"
    );
    assert!(rollover.contains("$script:Goto = 'end'"), "{rollover}");

    let rebuild = step_body(&text, "handover-rebuild");
    assert!(
        printed(rebuild).contains(
            "runbook run exchange-federation-trust-rebuild --set primary_domain=contoso.com --set 'additional_domains=fabrikam.com,sales.contoso.com' --set 'user_smtp=admin@contoso.com' --set dc_fqdn=dc01.contoso.com --set ntp_reference=time.windows.com\n"
        ),
        "{rebuild}"
    );
    assert!(rebuild.contains("$script:Goto = 'end'"), "{rebuild}");

    // With no additional domains the list is left out of the rebuild command, not sent empty.
    let single = Test::new()
        .args([
            "export",
            ID,
            "--example",
            "--set",
            "additional_domains=",
            "--generated-at",
            "2026-11-23T08:00:00Z",
        ])
        .go()
        .success()
        .stdout()
        .replace("\r\n", "\n");
    let single = printed(&single);
    assert!(single.contains(
        "runbook run exchange-federation-trust-rebuild --set primary_domain=contoso.com --set 'user_smtp=admin@contoso.com' "
    ));
    assert!(single.contains(
        "runbook run exchange-federation-certificate-rollover --set 'federated_domains=contoso.com' "
    ));
}

#[test]
fn the_triage_never_renders_what_changes_federation_or_the_reference_forbids() {
    let code = code_outside_literals_and_comments(&super::script(ID));
    for forbidden in [
        // Triage changes no federation object: those belong to the rollover and the rebuild.
        "Set-FederationTrust",
        "New-FederationTrust",
        "Remove-FederationTrust",
        "Remove-FederatedDomain",
        "Add-FederatedDomain",
        "Set-FederatedOrganizationIdentifier",
        "New-ExchangeCertificate",
        "Set-ADObject",
        // Cmdlets and forms the domain reference says do not exist or must not be used.
        "Remove-FederatedOrganizationIdentifier",
        "RemoveFederatedDomain",
        "Test-FederationCertificate",
        "-UseLegacyProvisioningService",
        // The PDC emulator's time source is changed by hand on the PDC, never on this server.
        "/manualpeerlist",
        "/reliable:yes",
    ] {
        assert!(
            !code.contains(forbidden),
            "`{forbidden}` must not be rendered"
        );
    }
    // Get-ExchangeCertificate only ever with a thumbprint (without one it lists every certificate).
    for (i, _) in code.match_indices("Get-ExchangeCertificate") {
        assert!(
            code[i..].starts_with("Get-ExchangeCertificate -Thumbprint $"),
            "Get-ExchangeCertificate without -Thumbprint at byte {i}"
        );
    }
    // The trust is always addressed by its captured name after the capture.
    for (i, _) in code.match_indices("Get-FederationTrust -Identity") {
        assert!(code[i..].starts_with("Get-FederationTrust -Identity $trust_name"));
    }
}

#[test]
fn a_scripted_run_takes_the_rollover_branch_by_default() {
    let (run, _dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(scripted_run(ID, "a.yaml"))
        .run();
    let run = run.success();
    let err = run.stderr();
    for unit in [
        "unit: show-time-source",
        "unit: measure-time-offsets",
        "unit: clock-off",
        "unit: show-certificate-expiry",
        "unit: check-federated-domains",
        "unit: handover-rollover",
    ] {
        assert!(err.contains(unit), "{unit} missing:\n{err}");
    }
    for unit in [
        "unit: fix-server-time",
        "unit: fix-domain-time",
        "unit: handover-rebuild",
    ] {
        assert!(!err.contains(unit), "{unit} must be skipped:\n{err}");
    }
}

#[test]
fn a_scripted_run_fixes_the_time_then_hands_over_to_the_rebuild() {
    let answers = "steps:\n  clock-off: {choice: domain-off}\n  retry-after-time-fix: {choice: still-failing}\n  certificate-expired: {choice: expired}\ndefault: done\n";
    let (run, _dir) = Test::new()
        .file("b.yaml", answers)
        .args(scripted_run(ID, "b.yaml"))
        .run();
    let run = run.success();
    let err = run.stderr();
    let mut at = 0;
    for unit in [
        "unit: fix-domain-time",
        "unit: fix-server-time",
        "unit: test-federation-after-time-fix",
        "unit: retry-after-time-fix",
        "unit: show-federation-trust",
        "unit: certificate-expired",
        "unit: handover-rebuild",
    ] {
        at = find_after(&err, unit, at) + unit.len();
    }
    assert!(!err.contains("unit: handover-rollover"), "{err}");

    // A clock that was the only cause ends the run right after the retry.
    let (run, _dir) = Test::new()
        .file(
            "c.yaml",
            "steps:\n  clock-off: {choice: server-off}\n  retry-after-time-fix: {choice: resolved}\ndefault: done\n",
        )
        .args(scripted_run(ID, "c.yaml"))
        .run();
    let err = run.success().stderr();
    assert!(err.contains("unit: retry-after-time-fix"), "{err}");
    assert!(!err.contains("unit: show-federation-trust"), "{err}");
}

/// The first runbook `runbook match` lists for `text`.
fn best_match(text: &str) -> String {
    let out = Test::new().args(["match", text]).go().success().stdout();
    out.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn match_ranks_the_triage_first_for_kb3107293_but_not_for_kb3215278() {
    for text in [
        "Set-FederatedOrganizationIdentifier': An error occurred while attempting to provision Exchange to the Partner STS. Detailed Information \"An unexpected result was received from Windows Live. Detailed information: \"1007 AccessDenied: Access Denied.\".\".",
        "Unable to federate your domain, your system time appears to be more than five minutes out of sync with the time on our federation servers. Ensure your system time is correct and retry the Hybrid Configuration Wizard.",
        "Set-FederationTrust -Identity 'Microsoft Federation Gateway' -PublishFederationCertificate\nAn unexpected result was received from Windows Live. Detailed information: \"1007 AccessDenied: Access Denied.\".\n    + CategoryInfo          : NotSpecified: (:) [Set-FederationTrust], LiveDomainServicesException",
    ] {
        let best = best_match(text);
        assert!(best.starts_with(&format!("1. {ID} ")), "{best} for {text}");
    }
    let kb3215278 = "The URI \"contoso.com\" for domain \"contoso.com\" on application identifier \"0000000040012345\" couldn't be released.\nDetailed information: \"An unexpected result was received from Windows Live. Detailed information: \"1007 AccessDenied: Access Denied.\".\".";
    let best = best_match(kb3215278);
    assert!(
        best.starts_with("1. exchange-federation-trust-rebuild "),
        "{best}"
    );
}

/// Review T2, T3, T4: the PDC commands use `ntp_reference`, the resync after a restart of the
/// time service is retried, and a clock set by the Hyper-V host is named as a cause.
#[test]
fn the_time_fixes_use_the_reference_retry_the_resync_and_name_the_vm_provider() {
    let text = Test::new()
        .args([
            "export",
            ID,
            "--example",
            "--set",
            "ntp_reference=ntp.example.org",
            "--generated-at",
            "2026-11-23T08:00:00Z",
        ])
        .go()
        .success()
        .stdout()
        .replace("\r\n", "\n");
    let pdc = step_body(&text, "show-pdc-time-commands");
    assert!(pdc.contains("$pdcPeer = 'ntp.example.org'"), "{pdc}");
    assert!(pdc.contains("/manualpeerlist:\"{0}\""), "{pdc}");
    assert!(!text.contains("manualpeerlist:\"time.windows.com\""));
    let fix = step_body(&text, "fix-server-time");
    let restart = find_after(fix, "Restart-Service -Name W32Time", 0);
    let sleep = find_after(fix, "Start-Sleep -Seconds", restart);
    find_after(fix, "w32tm.exe /resync /rediscover", sleep);
    assert!(
        step_body(&text, "show-time-source").contains("VM IC Time Synchronization Provider"),
        "the Hyper-V time provider is recognised"
    );
}
