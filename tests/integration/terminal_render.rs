//! What the terminal shows for each notice, rendered in-process into a buffer (no pseudo-terminal)
//! and compared whole with inline snapshots, plain and in colour. The pty tests in `terminal.rs`
//! check the wiring: prompts, keystrokes, Ctrl-C.
//!
//! Escape characters are shown as `␛`, so a colour code reads as `␛[1m` in a snapshot. After a
//! deliberate change: `cargo insta test --review -- terminal_render` (or copy the new text from
//! the failure).

use insta::assert_snapshot;
use runbook::Impact;
use runbook::testing::{History, HistoryLine, Notice, PlanStep, Styles, UnitView, render_notice};

/// What `notice` shows on a 40-column terminal, with escape characters made visible.
fn shown(notice: &Notice, color: bool) -> String {
    shown_at(notice, color, 40)
}

fn shown_at(notice: &Notice, color: bool, width: u16) -> String {
    let mut out = Vec::new();
    render_notice(notice, Styles { color, width }, &mut out).expect("written");
    let text = String::from_utf8(out).expect("UTF-8");
    // Snapshots do not see empty lines at either end, so: every notice ends its last line, once,
    // and only a unit starts with an empty line (setting it apart from what came before).
    assert!(text.ends_with('\n') && !text.ends_with("\n\n"), "{text:?}");
    let unit = matches!(notice, Notice::Unit(_));
    assert_eq!(text.starts_with('\n'), unit, "{text:?}");
    assert!(!text.starts_with("\n\n"), "{text:?}");
    text.replace('\u{1b}', "␛")
}

/// A destructive command in a `for_each` step, with everything a unit can show.
fn full_unit() -> UnitView {
    UnitView {
        unit: "remove[contoso.com]".into(),
        step_number: 2,
        step_count: 3,
        item: Some((1, 2, "contoso.com".into())),
        title: "Remove the domain".into(),
        kind: "command",
        impact: Impact::Destructive,
        instructions: Some("Removes it from federation.\n".into()),
        command: Some("Remove-FederatedDomain -DomainName 'contoso.com' -Force\n".into()),
        verify: Some("Get-FederatedOrganizationIdentifier".into()),
        expect: Some("the domain is no longer listed".into()),
        rollback: Some("Add it back with Add-FederatedDomain.".into()),
        rollback_command: None,
        gate: false,
    }
}

/// An instruction step: nothing but its title.
fn bare_unit() -> UnitView {
    UnitView {
        unit: "finish".into(),
        step_number: 3,
        step_count: 3,
        item: None,
        title: "Finish".into(),
        kind: "instruction",
        impact: Impact::Read,
        instructions: None,
        command: None,
        verify: None,
        expect: None,
        rollback: None,
        rollback_command: None,
        gate: false,
    }
}

fn step(title: &str, id: &str, kind: &'static str, impact: Impact, gate: bool) -> PlanStep {
    PlanStep {
        title: title.into(),
        id: id.into(),
        kind,
        impact,
        gate,
        for_each: None,
    }
}

/// The plan of the pty runbook: one numbering, titles and ids, gates and impact marked, every
/// parameter with where its value came from.
fn plan_notice(destructive: usize) -> Notice {
    Notice::Plan {
        title: "Remove a domain".into(),
        ticket: Some("CHG0042".into()),
        steps: vec![
            step("Look at it", "look", "check", Impact::Read, true),
            PlanStep {
                for_each: Some((
                    "domain".into(),
                    "domains".into(),
                    Some(vec!["contoso.com".into(), "fabrikam.com".into()]),
                )),
                ..step(
                    "Remove the domain",
                    "remove",
                    "command",
                    Impact::Destructive,
                    false,
                )
            },
            PlanStep {
                for_each: Some(("user".into(), "users".into(), None)),
                ..step("Tell the users", "tell", "instruction", Impact::Read, false)
            },
            PlanStep {
                for_each: Some(("site".into(), "sites".into(), Some(Vec::new()))),
                ..step("Finish", "finish", "instruction", Impact::Read, false)
            },
        ],
        params: vec![
            ("domain".into(), "contoso.com".into(), "example"),
            ("record_folder".into(), "C:\\Change".into(), "default"),
            ("operator_note".into(), "(none)".into(), "not given"),
            (
                "token".into(),
                "(secret: kept in memory only)".into(),
                "given",
            ),
        ],
        counts: [2, 0, destructive],
        state_path: "s.json".into(),
    }
}

#[test]
fn plan() {
    assert_snapshot!(shown_at(&plan_notice(1), false, 80), @r"
    Plan: Remove a domain
    Change ticket: CHG0042
       1. Look at it (look) [check, gate, read]
       2. Remove the domain (remove) [command, DESTRUCTIVE]
          for each domain in domains: contoso.com, fabrikam.com
       3. Tell the users (tell) [instruction, read]
          for each user in users: known once `users` is captured
       4. Finish (finish) [instruction, read]
          for each site in sites: none: the step has nothing to do
    Parameters:
      domain = contoso.com (EXAMPLE value)
      record_folder = C:\Change (default)
      operator_note = (none) (not given)
      token = (secret: kept in memory only)
    4 steps: 2 read, 0 change, 1 destructive
    State: s.json
    ");
}

#[test]
fn plan_in_colour() {
    assert_snapshot!(shown(&plan_notice(1), true), @r"
    ␛[1mPlan: Remove a domain␛[0m
    Change ticket: CHG0042
       1. Look at it (look) [check, ␛[33m␛[1mgate␛[0m,
          read]
       2. Remove the domain (remove)
          [command, ␛[31m␛[1mDESTRUCTIVE␛[0m]
          for each domain in domains:
            contoso.com, fabrikam.com
       3. Tell the users (tell)
          [instruction, read]
          for each user in users: known once
            `users` is captured
       4. Finish (finish) [instruction,
          read]
          for each site in sites: none: the
            step has nothing to do
    Parameters:
      domain = contoso.com ␛[33m(EXAMPLE value)␛[0m
      record_folder = C:\Change (default)
      operator_note = (none) (not given)
      token = (secret: kept in memory only)
    4 steps: 2 read, 0 change, ␛[31m␛[1m1 destructive␛[0m
    State: s.json
    ");
}

#[test]
fn plan_without_destructive_steps_in_colour_leaves_the_count_plain() {
    let shown = shown_at(&plan_notice(0), true, 80);
    assert!(
        shown.contains("\n4 steps: 2 read, 0 change, 0 destructive\n"),
        "{shown}"
    );
}

fn line(at: &str, by: &str, unit: &str, what: &'static str, detail: Option<&str>) -> HistoryLine {
    HistoryLine {
        at: at.into(),
        by: by.into(),
        unit: Some(unit.into()),
        what,
        detail: detail.map(Into::into),
    }
}

#[test]
fn resumed() {
    let notice = Notice::History(History {
        resuming: true,
        counts: [1, 1, 0, 0],
        events: vec![
            line(
                "2026-11-29T10:00:00Z",
                "alice",
                "look",
                "failed",
                Some("offset 412 s"),
            ),
            line(
                "2026-11-29T10:01:00Z",
                "alice",
                "look",
                "gate-overridden",
                Some("CAB"),
            ),
            line(
                "2026-11-29T10:02:00Z",
                "alice",
                "remove",
                "failed",
                Some("1007 AccessDenied"),
            ),
            line("2026-11-29T10:03:00Z", "alice", "remove", "retry", None),
            line(
                "2026-11-29T10:04:00Z",
                "alice",
                "remove",
                "note",
                Some("Proof: 0xA1"),
            ),
        ],
        left_out: 0,
        next: Some("remove".into()),
    });
    assert_snapshot!(shown(&notice, false), @"
    Resuming. So far: 1 done, 1 overridden, 0 skipped, 0 failed.
      2026-11-29T10:00:00Z  look  failed (alice): offset 412 s
      2026-11-29T10:01:00Z  look  gate-overridden (alice): CAB
    Continuing at remove, which before now:
      2026-11-29T10:02:00Z  remove  failed (alice): 1007 AccessDenied
      2026-11-29T10:03:00Z  remove  retry (alice)
      2026-11-29T10:04:00Z  remove  note (alice): Proof: 0xA1
    ");
    assert_snapshot!(shown(&notice, true), @"
    ␛[1mResuming. So far: 1 done, 1 overridden, 0 skipped, 0 failed.␛[0m
    ␛[33m  2026-11-29T10:00:00Z  look  failed (alice): offset 412 s␛[0m
    ␛[33m  2026-11-29T10:01:00Z  look  gate-overridden (alice): CAB␛[0m
    ␛[1mContinuing at remove, which before now:␛[0m
    ␛[33m  2026-11-29T10:02:00Z  remove  failed (alice): 1007 AccessDenied␛[0m
      2026-11-29T10:03:00Z  remove  retry (alice)
      2026-11-29T10:04:00Z  remove  note (alice): Proof: 0xA1
    ");
}

#[test]
fn resumed_with_nothing_left_and_older_events_left_out() {
    let notice = Notice::History(History {
        resuming: false,
        counts: [3, 0, 1, 0],
        events: vec![line(
            "2026-11-29T10:04:00Z",
            "bob",
            "finish",
            "note",
            Some("done"),
        )],
        left_out: 60,
        next: None,
    });
    assert_snapshot!(shown(&notice, false), @"
    The run so far: 3 done, 0 overridden, 1 skipped, 0 failed.
      (60 earlier events left out: `runbook status` and `runbook report` show them all)
      2026-11-29T10:04:00Z  finish  note (bob): done
    Nothing is left to do.
    ");
}

#[test]
fn full_unit_plain() {
    assert_snapshot!(shown(&Notice::Unit(full_unit()), false), @"

    Step 2 of 3: Remove the domain
    item 1 of 2: contoso.com
    command · destructive

    Removes it from federation.

    Run:
    ────────────────────────────────────────
    Remove-FederatedDomain -DomainName 'contoso.com' -Force
    ────────────────────────────────────────

    Verify with:
    ────────────────────────────────────────
    Get-FederatedOrganizationIdentifier
    ────────────────────────────────────────
    A pass looks like: the domain is no
    longer listed
    ");
}

#[test]
fn full_unit_in_colour() {
    assert_snapshot!(shown(&Notice::Unit(full_unit()), true), @"

    ␛[1mStep 2 of 3: Remove the domain␛[0m
    item 1 of 2: contoso.com
    command · ␛[31m␛[1mdestructive␛[0m

    Removes it from federation.

    ␛[1mRun:␛[0m
    ␛[2m────────────────────────────────────────␛[0m
    Remove-FederatedDomain -DomainName 'contoso.com' -Force
    ␛[2m────────────────────────────────────────␛[0m

    ␛[1mVerify with:␛[0m
    ␛[2m────────────────────────────────────────␛[0m
    Get-FederatedOrganizationIdentifier
    ␛[2m────────────────────────────────────────␛[0m
    A pass looks like: the domain is no
    longer listed
    ");
}

#[test]
fn gate_unit() {
    let view = UnitView {
        unit: "look".into(),
        step_number: 1,
        step_count: 3,
        item: None,
        title: "Look at it".into(),
        kind: "check",
        impact: Impact::Read,
        instructions: None,
        command: Some("Get-AcceptedDomain -Identity 'contoso.com'".into()),
        verify: None,
        expect: Some("Enabled".into()),
        rollback: None,
        rollback_command: None,
        gate: true,
    };
    assert_snapshot!(shown(&Notice::Unit(view), false), @"

    Step 1 of 3: Look at it
    check · read · gate

    Run:
    ────────────────────────────────────────
    Get-AcceptedDomain -Identity 'contoso.com'
    ────────────────────────────────────────
    A pass looks like: Enabled
    ");
}

#[test]
fn bare_unit_in_and_out_of_colour() {
    assert_snapshot!(shown(&Notice::Unit(bare_unit()), false), @"

    Step 3 of 3: Finish
    instruction · read
    ");
    assert_snapshot!(shown(&Notice::Unit(bare_unit()), true), @"

    ␛[1mStep 3 of 3: Finish␛[0m
    instruction · read
    ");
}

#[test]
fn rule_lines_take_the_terminal_width_between_20_and_72_columns() {
    let notice = Notice::Unit(full_unit());
    for (width, rule) in [(10, 20), (40, 40), (100, 72)] {
        let text = shown_at(&notice, false, width);
        let rules: Vec<&str> = text.lines().filter(|l| l.starts_with('─')).collect();
        assert_eq!(
            rules.len(),
            4,
            "two around the command, two around the check"
        );
        for line in rules {
            assert_eq!(line, "─".repeat(rule), "at width {width}");
        }
    }
}

#[test]
fn skipped_by_condition() {
    let notice = Notice::SkippedByCondition {
        unit: "never".into(),
        condition: "trust_name == 'nope'".into(),
    };
    assert_snapshot!(shown(&notice, false), @"skipped never: condition `trust_name == 'nope'` is false");
    assert_eq!(
        shown(&notice, true),
        shown(&notice, false),
        "never coloured"
    );
}

#[test]
fn output() {
    let notice = Notice::Output("Enabled : True".into());
    assert_snapshot!(shown(&notice, false), @"  │ Enabled : True");
    assert_snapshot!(shown(&notice, true), @"␛[2m  │ Enabled : True␛[0m");
}

#[test]
fn info() {
    let notice = Notice::Info("state file: s.json".into());
    assert_snapshot!(shown(&notice, false), @"state file: s.json");
    assert_eq!(
        shown(&notice, true),
        shown(&notice, false),
        "never coloured"
    );
}

#[test]
fn warning() {
    let notice = Notice::Warning("the runbook changed since this run started".into());
    assert_snapshot!(shown(&notice, false), @"
    warning: the runbook changed since this
      run started
    ");
    assert_snapshot!(shown(&notice, true), @"
    ␛[33mwarning: the runbook changed since this
      run started␛[0m
    ");
}

#[test]
fn closing() {
    let clean = Notice::Closing {
        complete: true,
        counts: "12 done, 3 not run (condition or path)".into(),
        attention: Vec::new(),
        report: "runbook report s.json --output s.report.md".into(),
    };
    assert_snapshot!(shown(&clean, false), @"
    Runbook complete.
    12 done, 3 not run (condition or path)
    Nothing needs attention.
    The record for the change ticket: runbook report s.json --output s.report.md
    ");
    let open = Notice::Closing {
        complete: false,
        counts: "9 done, 1 overridden, 1 failed, 4 not finished".into(),
        attention: vec![
            (
                "gate overridden".into(),
                "check-time-skew (Check the clock), by alice at 2026-11-29T05:40:00Z: CAB accepted the risk".into(),
            ),
            ("failed".into(), "remove-additional-domains[fabrikam.com] (Remove each additional domain), by bob: MFG refused".into()),
        ],
        report: "runbook report s.json --output s.report.md".into(),
    };
    assert_snapshot!(shown(&open, false), @"
    Run aborted.
    9 done, 1 overridden, 1 failed, 4 not finished
    Needs attention:
    - gate overridden: check-time-skew
      (Check the clock), by alice at
      2026-11-29T05:40:00Z: CAB accepted the
      risk
    - failed:
      remove-additional-domains[fabrikam.com]
      (Remove each additional domain), by
      bob: MFG refused
    The record for the change ticket: runbook report s.json --output s.report.md
    ");
    assert_snapshot!(shown(&open, true), @"
    ␛[31m␛[1mRun aborted.␛[0m
    9 done, 1 overridden, 1 failed, 4 not finished
    ␛[33m␛[1mNeeds attention:␛[0m
    - gate overridden: check-time-skew
      (Check the clock), by alice at
      2026-11-29T05:40:00Z: CAB accepted the
      risk
    - failed:
      remove-additional-domains[fabrikam.com]
      (Remove each additional domain), by
      bob: MFG refused
    The record for the change ticket: runbook report s.json --output s.report.md
    ");
}
