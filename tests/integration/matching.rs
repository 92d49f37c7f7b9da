//! `runbook match`: pasting the error blocks of the domain reference's error table (section 1.3)
//! and the AD FS events (section 3.1) puts the right runbook first.

use crate::support::Test;

fn first(text: &str) -> String {
    let out = Test::new()
        .args(["match", "--format", "json", text])
        .go()
        .success()
        .stdout();
    let fits: serde_json::Value = serde_json::from_str(&out).expect("json");
    fits[0]["id"].as_str().expect("a first runbook").to_owned()
}

const CASES: &[(&str, &str)] = &[
    (
        "exchange-federation-1007-triage",
        "Execution of the Set-FederatedOrganizationIdentifier cmdlet has thrown an exception. This may \
         indicate invalid parameters in your Hybrid Configuration settings. An unexpected result was \
         received from Windows Live. Detailed information: \"1007 AccessDenied: Access Denied.\"",
    ),
    (
        "exchange-federation-1007-triage",
        "Unable to federate your domain, your system time appears to be more than five minutes out of \
         sync. Please ensure your system time is correct.",
    ),
    (
        "exchange-federation-trust-rebuild",
        "Remove-FederatedDomain -DomainName contoso.com\nThe URI \"contoso.com\" for domain \"contoso.com\" \
         on application identifier \"0000000040123ABC\" couldn't be released. Detailed information: \
         \"1007 AccessDenied: Access Denied.\"",
    ),
    (
        "exchange-federation-trust-rebuild",
        "Federation certificate with the thumbprint \"8A7C...\" cannot be found. \
         FederationCertificateInvalidException",
    ),
    (
        "exchange-federation-trust-rebuild",
        "MaxUriReached: Same URI cannot be attached to different AppId on a single day",
    ),
    (
        "exchange-hybrid-kb2995731-repair",
        "Subtask Configure execution failed: Configure Organization Relationship\nExecution of the \
         Set-FederatedOrganizationIdentifier cmdlet has thrown an exception. Federation trust \
         \"contoso.com/Configuration/Deleted Objects/Microsoft Federation Gateway\nDEL:5d0f2a1c-...\" \
         wasn't found. HCW8006",
    ),
    (
        "adfs-event-323-impersonation",
        "Log Name: AD FS/Admin\nSource: AD FS\nEvent ID: 323\nThe Federation Service could not authorize \
         token issuance for the caller 'CONTOSO\\svc-sp' on behalf of the subject 'CONTOSO\\alice' to the \
         relying party 'urn:sharepoint:portal'. Please see event 501 with the same instance id for caller \
         identity.\nMicrosoft.IdentityServer.Service.IssuancePipeline.OnBehalfOfAuthorizationException: \
         MSIS5009: The impersonation authorization failed for caller identity",
    ),
    (
        "adfs-event-323-impersonation",
        "Chyba v zastoupení ověření\nProtokol: AD FS/Admin\nID události: 323",
    ),
    (
        "adfs-event-302-actas",
        "Log Name: AD FS/Admin\nEvent ID: 302\nAct As Authorization Error: the caller is not authorized \
         to act as the subject for the relying party. See event 501 and 503 with the same instance id.",
    ),
];

#[test]
fn each_error_block_puts_the_right_runbook_first() {
    let mut wrong = Vec::new();
    for (want, text) in CASES {
        let got = first(text);
        if got != *want {
            wrong.push(format!("{want} expected, {got} first for:\n{text}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn match_reads_a_pasted_block_from_stdin_and_gives_reasons() {
    let mut cmd = assert_cmd::Command::cargo_bin("runbook").expect("bin");
    let out = cmd
        .args(["match"])
        .write_stdin("Event ID: 323\nMSIS5009: The impersonation authorization failed\n")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("1. adfs-event-323-impersonation"),
        "{text}"
    );
    assert!(
        text.contains("event 323") && text.contains("error code MSIS5009"),
        "{text}"
    );
}

#[test]
fn unrelated_text_matches_nothing_and_says_so() {
    let run = Test::new()
        .args(["match", "The printer is out of paper"])
        .go()
        .failure(1);
    assert!(
        run.stdout().contains("no shipped runbook matches"),
        "{}",
        run.stdout()
    );
}
