//! `adfs-event-323-impersonation`: the event 323 fix renders procedure F in order (events,
//! audits, backup, -WhatIf preview, one appended SID-scoped permit rule, no new 323), none of the
//! forms the domain reference forbids, refuses values that would break the claim rule, and a
//! scripted run completes on every branch of its decision.

use super::find_after;
use crate::support::powershell::{assert_parses, code_outside_literals_and_comments};
use crate::support::{Test, run_in};

const ID: &str = "adfs-event-323-impersonation";
const SID: &str = "S-1-5-21-1004336348-1177238915-682003330-1164";

fn script() -> String {
    super::script(ID)
}

#[test]
fn the_323_fix_renders_procedure_f_in_order() {
    let text = script();
    let code = code_outside_literals_and_comments(&text);
    // Server check, F1, instance id, auditing (read only), F2, F3 backup, decision, F5 -WhatIf,
    // approval, F5 for real with its verification, F6.
    let order = [
        "Import-Module ADFS",
        "Get-AdfsSyncProperties",
        "Get-WinEvent -FilterHashtable @{ LogName =",
        "$instance_id = & {",
        "Get-AdfsProperties",
        "auditpol.exe /get",
        "$adfs323Iid = $instance_id",
        "Get-AdfsRelyingPartyTrust -Identifier",
        "Set-Content -LiteralPath $adfs323Backup",
        "Read-Choice",
        "New-AdfsClaimRuleSet -ClaimRule $adfs323New",
        "-ImpersonationAuthorizationRules $adfs323New -WhatIf",
        "Request-Approval",
        "-ImpersonationAuthorizationRules $adfs323New\n",
        "$adfs323NowFlat.StartsWith($adfs323SavedFlat",
        "StartTime = $adfs323Since",
    ];
    let mut at = 0;
    for needle in order {
        at = find_after(&code, needle, at) + needle.len();
    }
    // Exactly two Set-AdfsRelyingPartyTrust commands run: the -WhatIf preview first, then the
    // change (the rollback is only shown, as a comment).
    let sets: Vec<&str> = code
        .lines()
        .filter(|l| l.contains("Set-AdfsRelyingPartyTrust"))
        .collect();
    assert_eq!(sets.len(), 2, "{sets:#?}");
    assert!(sets[0].trim_end().ends_with("-WhatIf"), "{}", sets[0]);
    assert!(!sets[1].contains("-WhatIf"), "{}", sets[1]);
    // The rollback restores the backup file.
    let rollback = find_after(&text, "# Rollback:", 0);
    assert!(
        text[rollback..].contains(
            "#     Set-AdfsRelyingPartyTrust -TargetIdentifier 'https://orders.contoso.com/api/' -ImpersonationAuthorizationRules $adfs323Saved"
        ),
        "rollback from the backup"
    );
    // The change appends to the current rules; it never sets the new rule alone over old ones.
    assert!(
        code.contains(
            "$adfs323New = $adfs323Old.TrimEnd() + [Environment]::NewLine + $adfs323Rule"
        ),
        "appended to the existing rules"
    );
}

#[test]
fn the_rule_is_one_sid_scoped_permit_with_http_claim_types() {
    let text = script();
    assert!(
        !text.contains("https://schemas."),
        "claim types use http://"
    );
    // Every permit the script builds is conditioned on the caller's primary SID, issued by AD.
    let condition = format!(
        "'c:[Type == \"http://schemas.microsoft.com/ws/2008/06/identity/claims/primarysid\", \
         Issuer =~ \"^AD AUTHORITY$\", Value == \"' + '{SID}' + '\"]' + [Environment]::NewLine +\n"
    );
    let permits: Vec<usize> = text
        .match_indices("=> issue(Type = \"http://schemas.microsoft.com/authorization/claims/permit\", Value = \"true\");'")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        permits.len(),
        3,
        "preview, change and verification build the rule"
    );
    for at in permits {
        let before = &text[..at];
        let line_start = before.rfind("$adfs323Rule = ").expect("rule assignment");
        let rule = &text[line_start..at];
        assert!(
            rule.starts_with("$adfs323Rule = '@RuleName = \"Permit ' + 'CONTOSO\\svc-orders-web' + ' OnBehalfOf\"' + [Environment]::NewLine +\n"),
            "{rule}"
        );
        assert!(
            rule.contains(&condition),
            "SID-scoped condition in:\n{rule}"
        );
    }
    // Literal values only ever sit inside single-quoted literals.
    let code = code_outside_literals_and_comments(&text);
    assert!(!code.contains(SID));
    assert!(!code.contains("orders.contoso.com"));
}

#[test]
fn the_323_fix_never_renders_what_the_domain_reference_forbids() {
    let text = script();
    let code = code_outside_literals_and_comments(&text);
    for banned in [
        // 302's fix and the other rule sets are not touched.
        "DelegationAuthorizationRules",
        "IssuanceAuthorizationRules",
        "ImpersonationAuthorizationRulesFile",
        // Enabling auditing is a change of its own: instructions only.
        "Set-AdfsProperties",
        "auditpol.exe /set",
        "Remove-AdfsRelyingPartyTrust",
        "| Set-AdfsRelyingPartyTrust",
        "-TargetName",
        "-Confirm $false",
    ] {
        assert!(!code.contains(banned), "{banned}");
    }
    for line in code.lines() {
        // Get-WinEvent raises "No events were found" otherwise (F6).
        if line.contains("Get-WinEvent") {
            assert!(line.contains("-ErrorAction SilentlyContinue"), "{line}");
        }
        if line.contains("Set-AdfsRelyingPartyTrust") {
            assert!(
                line.trim_start()
                    .starts_with("Set-AdfsRelyingPartyTrust -TargetIdentifier "),
                "{line}"
            );
        }
    }
    // Both the event log and the AD FS 2.0 log name are literals chosen by the enum.
    assert!(text.contains("LogName = 'AD FS/Admin'; Id = 323 }"));
    let v2 = Test::new()
        .args([
            "export",
            ID,
            "--example",
            "--set",
            "admin_log=AD FS 2.0/Admin",
        ])
        .go()
        .success()
        .stdout();
    assert_parses(ID, &v2);
    assert!(v2.contains("LogName = 'AD FS 2.0/Admin'; Id = 323 }"));
    assert!(v2.contains("Add-PSSnapin Microsoft.Adfs.PowerShell"));
    assert!(!v2.contains("Import-Module ADFS"));
}

#[test]
fn values_that_would_break_or_widen_the_rule_are_refused() {
    for (set, name) in [
        ("caller_display=svc\" OnBehalfOf", "caller_display"),
        ("caller_display=a'b", "caller_display"),
        ("caller_sid=S-1-1-0", "caller_sid"),
        ("caller_sid=S-1-5-32-544", "caller_sid"),
        ("caller_sid=S-1-5-21-1-2-3-4\"]", "caller_sid"),
    ] {
        let run = Test::new()
            .args(["export", ID, "--example", "--set", set])
            .go()
            .failure(1);
        assert!(run.stderr().contains(name), "{set}: {}", run.stderr());
    }
}

#[test]
fn a_scripted_run_completes_on_every_branch() {
    // `default: done` takes the first choice: permit, through the change and F6.
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
    let run = run.success();
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let st = status(dir.path());
    assert_eq!(st["complete"], true);
    assert_eq!(unit(&st, "append-impersonation-rule"), "done");
    assert_eq!(unit(&st, "check-no-new-323"), "done");
    assert_eq!(unit(&st, "use-actas-runbook"), "skipped");

    // No: the 323 is correct behaviour, nothing changes. ActAs: pointed at the 302 runbook.
    for (choice, actas) in [("deny", "skipped"), ("actas", "done")] {
        let answers =
            format!("default: done\nsteps:\n  allow-impersonation: {{choice: {choice}}}\n");
        let (run, dir) = Test::new()
            .file("a.yaml", answers)
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
        run.success();
        let st = status(dir.path());
        assert_eq!(st["complete"], true, "{choice}");
        assert_eq!(unit(&st, "use-actas-runbook"), actas, "{choice}");
        for step in [
            "preview-impersonation-rule",
            "append-impersonation-rule",
            "check-no-new-323",
        ] {
            assert_eq!(unit(&st, step), "skipped", "{choice}: {step}");
        }
    }
}

fn status(dir: &std::path::Path) -> serde_json::Value {
    let out = run_in(dir, &["status", "s.json", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("status JSON")
}

fn unit(status: &serde_json::Value, step: &str) -> String {
    let units = status["units"].as_array().expect("units");
    let found = units
        .iter()
        .find(|u| u["step"] == step)
        .unwrap_or_else(|| panic!("no unit {step}"));
    found["status"].as_str().expect("status").to_owned()
}
