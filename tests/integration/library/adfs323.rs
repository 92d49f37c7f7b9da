//! `adfs-event-323-impersonation`: the event 323 fix renders procedure F in order (events,
//! audits, backup, `-WhatIf` preview, one appended SID-scoped permit rule, no new 323), none of the
//! forms the domain reference forbids, refuses values that would break the claim rule, and a
//! scripted run completes on every branch of its decision.

use super::{find_after, step_body};
use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::record::unit;
use crate::support::{Test, scripted_run};

const ID: &str = "adfs-event-323-impersonation";
const SID: &str = "S-1-5-21-1004336348-1177238915-682003330-1164";

#[test]
fn the_323_fix_renders_procedure_f_in_order() {
    let text = super::script(ID);
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
        // F2 is a gate on the caller (see the_caller_check_is_a_gate_before_any_change).
        "$cc323Iid = $instance_id",
        "Get-AdfsRelyingPartyTrust -Identifier",
        "Set-Content -LiteralPath $bk323Path",
        "Read-Choice",
        "New-AdfsClaimRuleSet -ClaimRule $pv323New",
        "-ImpersonationAuthorizationRules $pv323New -WhatIf",
        "Request-Approval",
        "$rule_applied_at = & {",
        "-ImpersonationAuthorizationRules $ap323New\n",
        "$rv323NowFlat.StartsWith($rv323SavedFlat",
        // The request is repeated against this server, then F6 with positive evidence.
        "Wait-Operator",
        "StartTime = $ok323Since",
        "Id = 299; StartTime = $ok323Since",
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
            "#     $rb323Saved = [string](Get-Content -Raw -LiteralPath 'C:\\Change\\adfs323\\orders-api-impersonation-rules-before.txt' -Encoding UTF8)\n"
        ) && text[rollback..].contains(
            "#         Set-AdfsRelyingPartyTrust -TargetIdentifier 'https://orders.contoso.com/api/' -ImpersonationAuthorizationRules $rb323Saved -ErrorAction Stop\n"
        ),
        "rollback from the backup"
    );
    // The change appends to the current rules; it never sets the new rule alone over old ones
    // (the rule alone only when there were no rules), and only while the rules still equal the
    // backup, compared case-sensitively.
    for var in ["$pv323", "$ap323"] {
        assert!(
            code.contains(&format!(
                "{var}New = {var}Old.TrimEnd() + [Environment]::NewLine + {var}Rule\n"
            )),
            "{var}: appended to the existing rules"
        );
        let empty = find_after(&code, &format!("if ({var}Old.Trim().Length -eq 0) {{"), 0);
        let alone = find_after(&code, &format!("{var}New = {var}Rule\n"), empty);
        assert!(
            code[empty..alone].lines().count() == 2,
            "{var}: the rule alone only when there are no rules"
        );
        assert!(
            code.contains(&format!("if ({var}Old -cne {var}Saved) {{"))
                || code.contains(&format!("elseif ({var}Old -cne {var}Saved) {{")),
            "{var}: checks the rules still equal the backup, case-sensitively"
        );
    }
    let guard = find_after(&code, "elseif ($ap323Old -cne $ap323Saved) {", 0);
    let change = find_after(&code, "-ImpersonationAuthorizationRules $ap323New\n", 0);
    assert!(guard < change, "the change checks the backup first");
    // Rule text is compared case-sensitively everywhere: claim values are case-sensitive.
    for line in code.lines() {
        if line.contains("Old") || line.contains("Saved") || line.contains("Flat") {
            for op in [" -eq ", " -ne ", " -ieq ", " -ine "] {
                assert!(
                    !line.contains(op) || line.contains(".Length") || line.contains(".Count"),
                    "case-insensitive comparison of rule text: {line}"
                );
            }
        }
    }
}

#[test]
fn the_caller_check_is_a_gate_that_stops_on_mismatch_and_actas_before_any_change() {
    let text = super::script(ID);
    // The review (M6/A1): a MISMATCH between caller_sid and the primarysid in audit 501, or an
    // ActAs request, stops the run; it is not only printed before "press Enter".
    assert!(
        text.contains(
            "$script:GateIds = @('check-server', 'show-caller-claims', 'check-no-new-323')"
        ),
        "show-caller-claims and check-no-new-323 are gates"
    );
    let gate = step_body(&text, "show-caller-claims");
    assert!(
        gate.contains(&format!("$cc323Sid = '{SID}'\n")),
        "compares with caller_sid: {gate}"
    );
    assert!(
        !gate.contains("Wait-Operator"),
        "a gate, not a pause: {gate}"
    );
    for needle in [
        // Nothing found, nothing to compare: stop (only an override with a reason goes on).
        "if ($cc323Audits.Count -eq 0) {\n                    throw 'NOT FOUND: ",
        // ActAs (503 and no 502) is event 302's case: stop.
        "if ($cc323Ids -contains 503 -and $cc323Ids -notcontains 502) {\n                    throw 'NO OVERRIDE: ACTAS: ",
        "if ($cc323Primary.Count -eq 0) {\n                    throw 'NO PRIMARYSID: ",
        // The SID comparison is case-sensitive and anything but a match throws.
        "if ($cc323Primary -ccontains $cc323Sid) {\n                    Write-Output ('MATCH: ",
        "}\n                else {\n                    throw ('NO OVERRIDE: MISMATCH: event 501 shows primarysid ",
        "Assert-Passed ",
        "Stop-Step -Id 'show-caller-claims' -ErrorRecord $_ -Known @('instance_id') -Gate\n",
    ] {
        assert!(gate.contains(needle), "`{needle}` in:\n{gate}");
    }
    // The gate and the decision come before the preview, the approval and the change.
    let mut at = 0;
    for id in [
        "show-caller-claims",
        "backup-impersonation-rules",
        "allow-impersonation",
        "preview-impersonation-rule",
        "approve-impersonation-rule",
        "capture-change-time",
        "append-impersonation-rule",
        "reproduce-request",
        "check-no-new-323",
    ] {
        at = find_after(&text, &format!("if (Enter-Step '{id}' "), at) + 1;
    }
}

#[test]
fn no_new_323_counts_only_with_a_success_audit_after_the_change() {
    let text = super::script(ID);
    // The review (A2): "no new 323" alone passes when nobody repeated the request; the check
    // needs a token issued (audit 299) to caller_sid (501) on behalf of a user (502), all logged
    // after rule_applied_at, which is captured before the change.
    let capture = step_body(&text, "capture-change-time");
    assert!(
        capture.contains("$rule_applied_at = & {\n                    (Get-Date).ToString('o')\n")
    );
    let check = step_body(&text, "check-no-new-323");
    for needle in [
        "Assert-Captured 'rule_applied_at' $rule_applied_at\n",
        &format!("$ok323Sid = '{SID}'\n"),
        "$ok323Since = [datetime]::Parse($rule_applied_at, ",
        "@{ LogName = 'AD FS/Admin'; Id = 323; StartTime = $ok323Since }",
        "@{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 299; StartTime = $ok323Since }",
        "@{ LogName = 'Security'; ProviderName = 'AD FS Auditing'; Id = 501, 502; StartTime = $ok323Since }",
        "if ($ok323Primary -ccontains $ok323Sid) {",
        "$_.Id -eq 502 -and [string]$_.Properties[0].Value -eq $ok323Iid",
        "if ($ok323Failed.Count -gt 0) {\n                    throw ('FAIL: ",
        "if ($ok323Issued.Count -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "if ($ok323ForCaller -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "if ($ok323Evidence.Count -eq 0) {\n                    throw 'NO EVIDENCE: ",
        "Write-Output ('PASS: no new event 323 for ",
        "Stop-Step -Id 'check-no-new-323' -ErrorRecord $_ -Known @('instance_id', 'rule_applied_at') -Gate\n",
    ] {
        assert!(check.contains(needle), "`{needle}` in:\n{check}");
    }
    // PASS is written only after every way to fail or to lack evidence has thrown.
    let pass = find_after(check, "Write-Output ('PASS: ", 0);
    let last_throw = check.rfind("throw ").expect("throws");
    assert!(last_throw < pass, "PASS before the evidence checks");
}

#[test]
fn security_log_reads_are_bounded_in_time() {
    let text = super::script(ID);
    let code = code_outside_literals_and_comments(&text);
    // The review (A3): a whole Security log is slow to read; every read has a StartTime.
    let mut security = 0;
    for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
        if line.contains("LogName = 'Security'") {
            security += 1;
            assert!(line.contains("; StartTime = $"), "{line}");
        }
    }
    assert_eq!(
        security, 3,
        "501-503 around the 323, then 299 and 501/502 after the change"
    );
    // The caller check reads 5 minutes either side of the 323's own time.
    let gate = step_body(&text, "show-caller-claims");
    for needle in [
        "$cc323From = $cc323Event[0].TimeCreated.AddMinutes(-5)\n",
        "$cc323To = $cc323Event[0].TimeCreated.AddMinutes(5)\n",
        "StartTime = $cc323From; EndTime = $cc323To }",
    ] {
        assert!(gate.contains(needle), "{needle}");
    }
    // Every event read is a filter hashtable; the Admin-log reads without a StartTime are capped.
    for line in code.lines().filter(|l| l.contains("Get-WinEvent")) {
        assert!(
            line.contains("Get-WinEvent -FilterHashtable @{ LogName = "),
            "{line}"
        );
        assert!(
            line.contains("StartTime = $") || line.contains("-MaxEvents "),
            "unbounded read: {line}"
        );
    }
}

#[test]
fn the_rule_is_one_sid_scoped_permit_with_http_claim_types() {
    let text = super::script(ID);
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
    let mut vars = Vec::new();
    for at in permits {
        let before = &text[..at];
        let name = before
            .rfind("323Rule = '@RuleName")
            .expect("rule assignment");
        let line_start = before[..name].rfind('$').expect("rule variable");
        let rule = &text[line_start..at];
        let (var, rest) = rule.split_once(" = ").expect("assignment");
        vars.push(var.to_owned());
        assert!(
            rest.starts_with("'@RuleName = \"Permit ' + 'CONTOSO\\svc-orders-web' + ' OnBehalfOf\"' + [Environment]::NewLine +\n"),
            "{rule}"
        );
        // Name line, condition line, issue: nothing else in between.
        assert_eq!(rule.matches('\n').count(), 2, "{rule}");
        assert!(
            rule.contains(&condition),
            "SID-scoped condition in:\n{rule}"
        );
    }
    // Preview, change and verification each build it.
    assert_eq!(vars, ["$pv323Rule", "$ap323Rule", "$rv323Rule"]);
    // Literal values only ever sit inside single-quoted literals.
    let code = code_outside_literals_and_comments(&text);
    assert!(!code.contains(SID));
    assert!(!code.contains("orders.contoso.com"));
}

#[test]
fn the_323_fix_never_renders_what_the_domain_reference_forbids() {
    let text = super::script(ID);
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
    // The review (A4): AD FS 2.0 (snap-in, PowerShell 2.0, "AD FS 2.0/Admin") is no longer
    // offered, since the script needs PowerShell 5.1: the log name is a fixed literal, the
    // cmdlets come from the ADFS module only, and the old parameter is refused.
    assert!(text.starts_with("#Requires -Version 5.1\n"));
    assert!(text.contains("LogName = 'AD FS/Admin'; Id = 323 }"));
    assert!(!text.contains("AD FS 2.0/Admin"));
    assert!(!code.contains("Add-PSSnapin"));
    assert!(code.contains("Import-Module ADFS -ErrorAction Stop"));
    let v2 = Test::new()
        .args([
            "export",
            ID,
            "--example",
            "--set",
            "admin_log=AD FS 2.0/Admin",
        ])
        .go()
        .failure(1);
    assert!(v2.stderr().contains("admin_log"), "{}", v2.stderr());
}

#[test]
fn values_that_would_break_or_widen_the_rule_are_refused() {
    for (set, name) in [
        ("caller_display=svc\" OnBehalfOf", "caller_display"),
        ("caller_display=a'b", "caller_display"),
        ("caller_sid=S-1-1-0", "caller_sid"),
        ("caller_sid=S-1-5-32-544", "caller_sid"),
        // Well-known (S-1-5-20 Network Service, S-1-5-11 Authenticated Users) and domain SIDs
        // without a RID are not an account's primarysid.
        ("caller_sid=S-1-5-20", "caller_sid"),
        ("caller_sid=S-1-5-11", "caller_sid"),
        (
            "caller_sid=S-1-5-21-1004336348-1177238915-682003330",
            "caller_sid",
        ),
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
        .args(scripted_run(ID, "a.yaml"))
        .run();
    let run = run.success();
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
    let st = dir.status("s.json");
    assert_eq!(st["complete"], true);
    assert_eq!(unit(&st, "append-impersonation-rule")["status"], "done");
    assert_eq!(unit(&st, "check-no-new-323")["status"], "done");
    assert_eq!(unit(&st, "use-actas-runbook")["status"], "skipped");

    // No: the 323 is correct behaviour, nothing changes. ActAs: pointed at the 302 runbook.
    for (choice, actas) in [("deny", "skipped"), ("actas", "done")] {
        let answers =
            format!("default: done\nsteps:\n  allow-impersonation: {{choice: {choice}}}\n");
        let (run, dir) = Test::new()
            .file("a.yaml", answers)
            .args(scripted_run(ID, "a.yaml"))
            .run();
        run.success();
        let st = dir.status("s.json");
        assert_eq!(st["complete"], true, "{choice}");
        assert_eq!(unit(&st, "use-actas-runbook")["status"], actas, "{choice}");
        for step in [
            "preview-impersonation-rule",
            "append-impersonation-rule",
            "check-no-new-323",
        ] {
            assert_eq!(unit(&st, step)["status"], "skipped", "{choice}: {step}");
        }
    }
}
