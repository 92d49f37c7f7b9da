//! `exchange-federation-certificate-rollover`: the renewal before expiry renders the EX13-RENEW
//! procedure C in order (checks, stage, proofs, distribution, publish on its own, test) and
//! none of the forms the domain reference forbids, and a scripted run completes.

use super::find_after;
use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::{Test, scripted_run};

const ID: &str = "exchange-federation-certificate-rollover";

#[test]
fn the_rollover_renders_procedure_c_in_order() {
    let text = super::script(ID);
    let code = code_outside_literals_and_comments(&text);
    // A1-A3 and B (read-only) first, then C1..C5, then the test.
    let order = [
        "Get-FederationTrust -DomainController",
        "Get-ExchangeCertificate -Thumbprint $current_thumbprint",
        "Get-FederatedOrganizationIdentifier",
        "w32tm.exe /stripchart",
        "New-ExchangeCertificate",
        "Set-FederationTrust -Identity $trust_name -Thumbprint $new_thumbprint -RefreshMetadata",
        "Get-FederatedDomainProof",
        "Resolve-DnsName -Name $txtDomain -Type TXT -Server $txtResolver -DnsOnly",
        "Test-FederationTrustCertificate",
        "Set-FederationTrust -Identity $trust_name -PublishFederationCertificate",
        "Test-FederationTrust -UserIdentity",
    ];
    let mut at = 0;
    for needle in order {
        at = find_after(&code, needle, at) + needle.len();
    }
    // The second Test-FederationTrust run is the one judged.
    let first = find_after(&code, "Test-FederationTrust -UserIdentity", 0);
    let second = find_after(&code, "Test-FederationTrust -UserIdentity", first + 1);
    assert!(
        code[second..].contains("$testTrustRows"),
        "the second run is captured and judged"
    );
    // The proofs and the TXT wait are per domain: one unit per example domain.
    for domain in ["contoso.com", "fabrikam.com", "sales.contoso.com"] {
        assert!(
            text.contains(&format!("$txtDomain = '{domain}'")),
            "TXT wait for {domain}"
        );
    }
    // The new thumbprint is captured from the created object.
    assert!(
        code.contains("$new_thumbprint = & {"),
        "capture of the thumbprint"
    );
    assert!(code.contains("$c.Thumbprint"), "taken from $c.Thumbprint");
}

#[test]
fn the_rollover_never_renders_what_the_domain_reference_forbids() {
    let code = code_outside_literals_and_comments(&super::script(ID));
    for banned in [
        "UseLegacyProvisioningService",
        "Remove-FederationTrust",
        "New-FederationTrust",
        "Remove-FederatedDomain",
        "RemoveFederatedDomain",
        "Remove-FederatedOrganizationIdentifier",
        "Set-FederatedOrganizationIdentifier",
        "Test-FederationCertificate",
        "-Confirm $false",
    ] {
        assert!(!code.contains(banned), "{banned}");
    }
    // -Thumbprint and -PublishFederationCertificate are different parameter sets: never in one
    // command, and the publish is a command of its own.
    for line in code.lines() {
        if line.contains("-PublishFederationCertificate") {
            assert!(!line.contains("-Thumbprint"), "{line}");
            assert!(
                line.trim_start()
                    .starts_with("Set-FederationTrust -Identity $trust_name"),
                "{line}"
            );
        }
        // Every Set-FederationTrust names the trust; nothing is piped into it.
        if line.contains("Set-FederationTrust") {
            assert!(line.contains("Set-FederationTrust -Identity "), "{line}");
            assert!(!line.contains("| Set-FederationTrust"), "{line}");
        }
    }
    assert_eq!(
        code.matches("-PublishFederationCertificate").count(),
        1,
        "exactly one publish command"
    );
    assert!(
        code.contains("-PrivateKeyExportable $true"),
        "the bool is rendered as $true"
    );
}

#[test]
fn a_scripted_run_with_default_done_completes() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(scripted_run(ID, "a.yaml"))
        .run();
    let run = run.success();
    assert!(run.stderr().contains("complete"), "{}", run.stderr());
    let state = dir.read("s.json");
    assert!(
        state.contains("8A3F0C6D2E9B4F71A5C3D8E2B6F40917C2D5E8A1"),
        "the new thumbprint was captured from the step's example"
    );
}

#[test]
fn a_certificate_about_to_expire_matches_the_rollover_first() {
    let out = Test::new()
        .args([
            "match",
            "The federation certificate of Microsoft Federation Gateway will expire in 21 days.",
        ])
        .go()
        .success()
        .stdout();
    assert!(out.lines().next().is_some_and(|l| l.contains(ID)), "{out}");
    // An already expired certificate is the rebuild's case, never this runbook's.
    let out = Test::new()
        .args(["match", "The federation certificate has expired"])
        .go()
        .stdout();
    assert!(!out.contains(ID), "{out}");
}

/// Review C1 and C3: a 1007 at the publish goes back to a time gate placed right before the
/// publish (never to the certificate creation again), and the new proof is added beside the old
/// one, which is removed only after the test.
#[test]
fn a_1007_at_publish_returns_to_a_time_gate_and_the_old_proof_stays_until_tested() {
    let text = super::script(ID);
    let recheck = find_after(&text, "if (Enter-Step 'recheck-time-skew'", 0);
    let publish = find_after(
        &text,
        "if (Enter-Step 'publish-federation-certificate'",
        recheck,
    );
    let decision = find_after(&text, "if (Enter-Step 'publish-result'", publish);
    let test = find_after(&text, "if (Enter-Step 'test-federation'", decision);
    let remove_old = find_after(&text, "if (Enter-Step 'remove-old-proof-txt'", test);
    let create = find_after(&text, "if (Enter-Step 'create-federation-certificate'", 0);
    assert!(create < recheck);
    let gate = &text[recheck..publish];
    assert!(gate.contains("w32tm.exe /stripchart"), "{gate}");
    assert!(
        gate.contains("Stop-Step -Id 'recheck-time-skew' -ErrorRecord $_"),
        "{gate}"
    );
    assert!(gate.contains(" -Gate\n"), "{gate}");
    let choices = &text[decision..test];
    assert!(
        choices.contains("$script:Goto = 'recheck-time-skew'"),
        "{choices}"
    );
    assert!(
        !choices.contains("$script:Goto = 'check-time-skew'"),
        "{choices}"
    );
    let proofs = &text[find_after(&text, "if (Enter-Step 'show-domain-proofs'", 0)..recheck];
    assert!(proofs.contains("next to the existing one"), "{proofs}");
    assert!(
        text[remove_old..].contains("old"),
        "the old value goes after the test"
    );
}
