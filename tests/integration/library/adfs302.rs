//! `adfs-event-302-actas`: the `ActAs` sister of event 323 renders procedure F against
//! `DelegationAuthorizationRules` in order (read, correlate, back up, decide, preview with
//! `-WhatIf`, append one SID-scoped permit, verify, no new 302), never the forms the domain
//! reference forbids, each decision branch runs to its end, and `runbook match` sends 302 here,
//! not 323.

use super::{find_after, step_body};
use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::{Test, scripted_run};

const ID: &str = "adfs-event-302-actas";
const SID: &str = "S-1-5-21-1004336348-1177238915-682003330-1105";

#[test]
fn the_procedure_runs_in_the_documented_order() {
    let code = code_outside_literals_and_comments(&super::script(ID));
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
        // The request is repeated against this server.
        "Wait-Operator",
        // F6: no new 302 since the change, without "No events were found" stopping the script,
        // and positive evidence: a token issued (audit 299) since the change.
        "StartTime = $x302Since } -ErrorAction SilentlyContinue",
        "Id = 299; StartTime = $x302Since } -ErrorAction SilentlyContinue",
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
    let text = super::script(ID);
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
    let guard = find_after(
        &text,
        "if ($n302Old.Trim() -cne $n302Saved.Trim()) {",
        backup,
    );
    assert!(guard < change, "the change checks the backup first");
    // The verification: the text after the backed-up rules is exactly the new rule.
    let verify = find_after(&text, "if ($t302AddedFlat -cne $t302RuleFlat) {", change);
    assert!(
        text[verify..].contains("throw 'The DelegationAuthorizationRules are not as intended: roll back from the backup.'"),
        "a wrong result stops the run"
    );
}

/// Comparison operators that PowerShell applies case-insensitively.
const CASE_INSENSITIVE: [&str; 16] = [
    " -eq ",
    " -ne ",
    " -ieq ",
    " -ine ",
    " -like ",
    " -notlike ",
    " -ilike ",
    " -inotlike ",
    " -match ",
    " -notmatch ",
    " -imatch ",
    " -inotmatch ",
    " -contains ",
    " -notcontains ",
    " -in ",
    " -notin ",
];

#[test]
fn rule_text_is_compared_case_sensitively() {
    // The review (D2): claim values are case-sensitive, so a case-only change to a rule must
    // not pass the backup comparisons: -ceq/-cne/-cmatch, never -eq/-ne on rule text.
    let code = code_outside_literals_and_comments(&super::script(ID));
    // Variables that hold rule text (or a backup of it) in the steps.
    let rule_text = regex::Regex::new(
        r"\$[a-z]302(Old|Saved|Rules|Now|Existing|New|Rule|RuleFlat|NowFlat|SavedFlat|AddedFlat|Body|Bodies)\b",
    )
    .expect("regex");
    let mut compared = 0;
    for line in code.lines().filter(|l| rule_text.is_match(l)) {
        for op in CASE_INSENSITIVE {
            assert!(
                !line.contains(op),
                "case-insensitive `{op}` on rule text: {line}"
            );
        }
        if [" -ceq ", " -cne ", " -cmatch "]
            .iter()
            .any(|op| line.contains(op))
        {
            compared += 1;
        }
    }
    for needle in [
        // backup: an existing file is kept only when it holds exactly the current rules
        "if ($b302Existing.Trim() -cne $b302Rules.Trim()) {",
        "if ($v302Saved.Trim() -ceq $v302Now.Trim()) {",
        // preview and change: the rules must still equal the backup
        "if ($w302Old.Trim() -cne $w302Saved.Trim()) {",
        "if ($n302Old.Trim() -cne $n302Saved.Trim()) {",
        // no rule names caller_sid yet
        "if ($s302Rules -cmatch (",
        "if ($w302Old -cmatch $w302SidPattern) {",
        "if ($n302Old -cmatch $n302SidPattern) {",
        // verification: what was appended is exactly the rule
        "if ($t302AddedFlat -cne $t302RuleFlat) {",
        "if (-not $t302NowFlat.StartsWith($t302SavedFlat, [System.StringComparison]::Ordinal)) {",
    ] {
        assert!(code.contains(needle), "{needle}");
    }
    assert!(
        compared >= 8,
        "{compared} case-sensitive comparisons of rule text"
    );
}

#[test]
fn nothing_the_domain_reference_forbids_is_rendered() {
    let text = super::script(ID);
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
    // The review (D1): a primarysid is an account's domain SID; well-known and group SIDs
    // (S-1-5-20 Network Service, S-1-5-11 Authenticated Users, S-1-5-32-544 Administrators,
    // S-1-1-0 Everyone) and a domain SID without a RID are refused, as in the 323 runbook.
    for value in [
        "S-1-5-20",
        "S-1-5-11",
        "S-1-5-18",
        "S-1-5-32-544",
        "S-1-1-0",
        "S-1-5-21-1004336348-1177238915-682003330",
    ] {
        let run = Test::new()
            .args([
                "export",
                ID,
                "--example",
                "--set",
                &format!("caller_sid={value}"),
            ])
            .go()
            .failure(1);
        assert!(
            run.stderr().contains("caller_sid"),
            "{value}: {}",
            run.stderr()
        );
    }
    // A domain account's SID is accepted and lands, as a literal, in the rule.
    let out = Test::new()
        .args([
            "export",
            ID,
            "--example",
            "--set",
            "caller_sid=S-1-5-21-1-2-3-4242",
        ])
        .go()
        .success()
        .stdout();
    assert!(out.contains("Value == \"' + 'S-1-5-21-1-2-3-4242' + '\"]'"));
}

#[test]
fn the_caller_sid_mismatch_and_no_new_302_are_gates_with_positive_evidence() {
    let text = super::script(ID);
    assert!(text.contains(
        "$script:GateIds = @('check-primary-server', 'read-event-302', 'correlate-audit-events', 'show-delegation-rules', 'check-no-new-302')"
    ));
    // The caller in audit 501 must be caller_sid (read 5 minutes either side of the 302).
    let gate = step_body(&text, "correlate-audit-events");
    for needle in [
        &format!("$c302Sid = '{SID}'\n"),
        "$c302From = $c302Event[0].TimeCreated.AddMinutes(-5)\n",
        "StartTime = $c302From; EndTime = $c302To }",
        "if ($c302Primary -cnotcontains $c302Sid) {\n                    throw (",
        "Stop-Step -Id 'correlate-audit-events' -ErrorRecord $_ -Known @('instance_id') -Gate\n",
    ] {
        assert!(gate.contains(needle), "`{needle}` in:\n{gate}");
    }
    assert!(!gate.contains("Wait-Operator"), "{gate}");
    // "No new 302" counts only with a token issued to caller_sid acting as a user since the
    // change (D6): audits 299, 501 and 503 read from rule_applied_at on.
    let check = step_body(&text, "check-no-new-302");
    for needle in [
        "$x302Since = [datetime]::Parse($rule_applied_at, ",
        &format!("$x302Sid = '{SID}'\n"),
        "@{ LogName = 'AD FS/Admin'; Id = 302; StartTime = $x302Since }",
        "@{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 299; StartTime = $x302Since }",
        "@{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 503; StartTime = $x302Since }",
        "if ($x302Primary -ccontains $x302Sid) {",
        "if ($x302Issued.Count -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "if ($x302ForCaller -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "if ($x302Evidence.Count -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "Stop-Step -Id 'check-no-new-302' -ErrorRecord $_ -Known @('instance_id', 'rule_applied_at') -Gate\n",
    ] {
        assert!(check.contains(needle), "`{needle}` in:\n{check}");
    }
    let pass = find_after(check, "Write-Output ('PASS: ", 0);
    assert!(
        check.rfind("throw ").expect("throws") < pass,
        "PASS before the evidence checks"
    );
    // Every Security log read is bounded in time.
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.contains("LogName = 'Security'") {
            assert!(line.contains("; StartTime = $"), "{line}");
        }
    }
}

#[test]
fn a_scripted_run_appends_the_rule_and_checks_for_new_302() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(scripted_run(ID, "a.yaml"))
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
    let json = dir.status("s.json");
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
            .args(scripted_run(ID, "b.yaml"))
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
