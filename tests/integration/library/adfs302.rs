//! `adfs-event-302-actas`: the ActAs sister of event 323 renders procedure F against
//! DelegationAuthorizationRules in order (read, correlate, back up, decide, preview with -WhatIf,
//! append one SID-scoped permit, verify, no new 302), never the forms the domain reference
//! forbids, each decision branch runs to its end, and `runbook match` sends 302 here, not 323.

use super::find_after;
use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::{Test, run_in};

const ID: &str = "adfs-event-302-actas";
const SID: &str = "S-1-5-21-1004336348-1177238915-682003330-1105";

fn script() -> String {
    super::script(ID)
}

#[test]
fn the_procedure_runs_in_the_documented_order() {
    let code = code_outside_literals_and_comments(&script());
    let order = [
        // Primary server of a WID farm first.
        "Get-AdfsSyncProperties",
        // F1: event 302 in the Admin log (the log name is a literal, blanked here).
        "Id = 302 }",
        "$instance_id = & {",
        // Auditing prerequisite, read only.
        "Get-AdfsProperties",
        // F2: Security audits 501 (caller) / 503 (ActAs) by instance id.
        "$c302Iid = $instance_id",
        "Id = 501, 502, 503",
        // F3: show, then back up, the delegation rules.
        "$s302Rps[0].DelegationAuthorizationRules",
        "Set-Content -LiteralPath $b302Path",
        // F4: the decision.
        "Read-Choice",
        // F5: preview with -WhatIf, approval, then for real.
        "New-AdfsClaimRuleSet -ClaimRule $w302New",
        "Set-AdfsRelyingPartyTrust -TargetIdentifier   -DelegationAuthorizationRules $w302New -WhatIf",
        "Request-Approval",
        "$rule_applied_at = & {",
        "New-AdfsClaimRuleSet -ClaimRule $n302New",
        "Set-AdfsRelyingPartyTrust -TargetIdentifier   -DelegationAuthorizationRules $n302New\n",
        // Verification of the change.
        "$t302Hits = [regex]::Matches($t302Now",
        // F6: no new 302 since the change, without "No events were found" stopping the script.
        "StartTime = $x302Since } -ErrorAction SilentlyContinue",
    ];
    let mut at = 0;
    for needle in order {
        at = find_after(&code, needle, at) + needle.len();
    }
    // Exactly two Set-AdfsRelyingPartyTrust run: the preview and the change. The rollback is
    // shown as a comment only.
    assert_eq!(
        code.matches("Set-AdfsRelyingPartyTrust").count(),
        2,
        "{code}"
    );
    assert_eq!(code.matches("-WhatIf").count(), 1, "one preview");
}

#[test]
fn the_rule_is_appended_scoped_to_the_caller_sid_with_http_claim_types() {
    let text = script();
    for var in ["$w302", "$n302"] {
        // The rule string is built from single-quoted pieces, the SID a literal of its own.
        let start = find_after(&text, &format!("{var}Rule = '@RuleName = \"Permit '"), 0);
        let tail = "Value = \"true\");'";
        let end = find_after(&text, tail, start) + tail.len();
        let rule = &text[start..end];
        assert!(
            rule.contains("+ 'CONTOSO\\svc-webfront' + ' ActAs\"'"),
            "{rule}"
        );
        assert!(
            rule.contains(
                "'c:[Type == \"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid\", Issuer =~ \"^AD AUTHORITY$\", Value == \"' + "
            ),
            "the permit has a condition on the primary SID: {rule}"
        );
        assert!(
            rule.contains(&format!("Value == \"' + '{SID}' + '\"]'")),
            "{rule}"
        );
        assert!(
            rule.contains(
                "' => issue(Type = \"http://schemas.microsoft.com/authorization/claims/permit\", Value = "
            ),
            "{rule}"
        );
        // Appended to the current rules, never replacing them.
        assert!(
            text.contains(&format!(
                "{var}New = {var}Old + [Environment]::NewLine + {var}Rule"
            )),
            "{var}: append"
        );
    }
    // The old rules must match the backup before anything is set.
    let backup = find_after(&text, "Set-Content -LiteralPath $b302Path", 0);
    let change = find_after(&text, "-DelegationAuthorizationRules $n302New\n", backup);
    let guard = find_after(&text, "if ($n302Old.Trim() -ne $n302Saved.Trim())", backup);
    assert!(guard < change, "the change checks the backup first");
}

#[test]
fn nothing_the_domain_reference_forbids_is_rendered() {
    let text = script();
    let code = code_outside_literals_and_comments(&text);
    // OnBehalfOf (323) rules are another runbook's business; claim types are http://.
    for banned in [
        "ImpersonationAuthorizationRules",
        "IssuanceAuthorizationRules",
        "-Confirm $false",
        "| Set-AdfsRelyingPartyTrust",
        "Set-AdfsRelyingPartyTrust -TargetName",
    ] {
        assert!(!code.contains(banned), "{banned}");
    }
    for banned in [
        "https://schemas.microsoft.com/ws/",
        "https://schemas.microsoft.com/authorization/",
    ] {
        assert!(!text.contains(banned), "{banned}");
    }
    // No unconditional permit: every "=> issue" piece follows a condition on the SID.
    for (i, _) in text.match_indices("=> issue(") {
        let before = &text[text[..i].rfind("Rule = ").expect("inside a rule")..i];
        assert!(before.contains(SID), "unconditional permit: {before}");
    }
    // Every Set- names its relying party by identifier.
    for line in code.lines() {
        if line.contains("Set-AdfsRelyingPartyTrust") {
            assert!(line.contains("-TargetIdentifier "), "{line}");
        }
    }
}

#[test]
fn the_caller_values_are_checked_before_they_reach_a_claim_rule() {
    // A double quote would end the claim-rule string; a non-SID would not be the caller.
    for (name, value) in [
        ("caller_display", "svc\" => issue(x)"),
        ("caller_display", "svc\u{201C}x"),
        ("caller_sid", "S-1-5-21-1-2-3-4\"]"),
        ("caller_sid", "contoso\\svc-webfront"),
    ] {
        let run = Test::new()
            .args([
                "export",
                ID,
                "--example",
                "--set",
                &format!("{name}={value}"),
            ])
            .go()
            .failure(1);
        assert!(run.stderr().contains(name), "{}", run.stderr());
    }
    // A well-known SID is accepted.
    Test::new()
        .args(["export", ID, "--example", "--set", "caller_sid=S-1-5-20"])
        .go()
        .success();
}

#[test]
fn a_scripted_run_appends_the_rule_and_checks_for_new_302() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args([
            "run",
            ID,
            "--example",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
        ])
        .run();
    let err = run.success().stderr();
    let mut at = 0;
    for unit in [
        "unit: check-primary-server",
        "unit: read-event-302",
        "unit: correlate-audit-events",
        "unit: backup-delegation-rules",
        "unit: decide-actas",
        "unit: preview-append-rule",
        "unit: approve-delegation-rule",
        "unit: append-delegation-rule",
        "unit: check-no-new-302",
    ] {
        at = find_after(&err, unit, at) + unit.len();
    }
    assert!(!err.contains("unit: use-323-runbook"), "{err}");
    let status = run_in(dir.path(), &["status", "s.json", "--format", "json"]);
    assert!(status.status.success());
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).expect("json");
    assert_eq!(json["complete"], serde_json::Value::Bool(true), "{json}");
}

#[test]
fn no_and_onbehalfof_end_the_run_before_any_change() {
    for (choice, handover) in [("deny", false), ("onbehalfof", true)] {
        let (run, _dir) = Test::new()
            .file(
                "b.yaml",
                format!("steps:\n  decide-actas: {{choice: {choice}}}\ndefault: done\n"),
            )
            .args([
                "run",
                ID,
                "--example",
                "--answers",
                "b.yaml",
                "--state",
                "s.json",
            ])
            .run();
        let err = run.success().stderr();
        assert!(err.contains("unit: backup-delegation-rules"), "{err}");
        assert_eq!(err.contains("unit: use-323-runbook"), handover, "{err}");
        for unit in ["unit: preview-append-rule", "unit: append-delegation-rule"] {
            assert!(
                !err.contains(unit),
                "{choice}: {unit} must be skipped:\n{err}"
            );
        }
    }
}

/// The first runbook `runbook match` lists for `text`.
fn best_match(text: &str) -> String {
    let out = Test::new().args(["match", text]).go().success().stdout();
    out.lines().next().unwrap_or_default().to_owned()
}

#[test]
fn match_ranks_this_first_for_302_and_not_for_323() {
    for text in [
        "Log Name: AD FS/Admin\nEvent ID: 302\nToken issuance failed for the caller 'CONTOSO\\svc-webfront' as subject 'CONTOSO\\alice' to the relying party trust 'https://webapi.contoso.com/'.",
        "SCOM alert: Act As Authorization Error",
        "Event ID: 302. See event 501 and event 503 with the same instance id for the caller identity and the ActAs identity.",
    ] {
        let best = best_match(text);
        assert!(best.starts_with(&format!("1. {ID} ")), "{best} for {text}");
    }
    let event_323 = "Log Name: AD FS/Admin\nEvent ID: 323\nThe Federation Service could not authorize token issuance for the caller 'CONTOSO\\svc' on behalf of the subject 'adamcar@adatum.com' to the relying party 'https://claimapp1.treyresearch.net'. Please see event 501 with the same instance id for caller identity. Please see event 502 with the same instance id for OnBehalfOf identity, if any.\nInstance id: 9ef56e0a-ce36-4fc2-be30-887f39d5f4e8\nMicrosoft.IdentityServer.Service.IssuancePipeline.OnBehalfOfAuthorizationException: MSIS5009: The impersonation authorization failed for caller identity and delegate for relying party trust https://claimapp1.treyresearch.net.";
    let out = Test::new()
        .args(["match", event_323])
        .go()
        .success()
        .stdout();
    assert!(!out.contains(ID), "323 must not point here:\n{out}");
}
