//! Gates, destructive steps, pause and resume keep their promise (issue 13, part 2), in a real
//! terminal where a person answers and with scripted answers where a second operator takes over.
#![cfg(unix)]

use expectrl::Expect as _;
use expectrl::session::OsSession as Session;

use crate::support::Workspace;
use crate::terminal::{RUNBOOK, begin, choose, exit_code, spawn, type_line};

/// The events of the record at `state`, as `(event, unit)` pairs.
fn events(ws: &Workspace, state: &str) -> Vec<(String, String)> {
    ws.status(state)["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            (text("event"), text("unit"))
        })
        .collect()
}

/// The unit `id` of the record at `state`, as `status --format json` shows it.
fn unit(ws: &Workspace, state: &str, id: &str) -> serde_json::Value {
    ws.status(state)["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no unit {id}"))
}

/// The event names of `unit` in the record `s.json`.
fn events_of(ws: &Workspace, unit: &str) -> Vec<String> {
    events(ws, "s.json")
        .into_iter()
        .filter(|(_, u)| u == unit)
        .map(|(e, _)| e)
        .collect()
}

/// Alice's run of the pty runbook, past the gate and the destructive menu, at the typed
/// confirmation.
fn at_the_confirmation() -> (Workspace, Session) {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &run_args());
    begin(&mut s);
    s.expect("What happened?").expect("the gate");
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now?")
        .expect("the menu");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm").expect("confirm");
    (ws, s)
}

fn run_args() -> [&'static str; 8] {
    [
        "run",
        "pty.yaml",
        "--set",
        "domain=contoso.com",
        "--state",
        "s.json",
        "--operator",
        "alice",
    ]
}

#[test]
fn a_gate_has_no_skip_and_an_override_is_recorded_as_overridden() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &run_args());
    begin(&mut s);
    s.expect("What happened?").expect("the gate's menu");
    let menu = String::from_utf8_lossy(
        s.expect("pause (the state is saved; resume later)")
            .expect("every menu ends with pause")
            .before(),
    )
    .into_owned();
    assert!(menu.contains("passed") && menu.contains("failed"), "{menu}");
    assert!(!menu.contains("skip"), "a gate cannot be skipped: {menu}");
    // failed: Down, Enter; the reason, then Enter on its own.
    choose(&mut s, "\x1b[B", "failed");
    s.expect("What went wrong? ›").expect("asks why");
    s.send("offset 412 s").expect("type");
    s.expect("offset 412 s").expect("echoed");
    s.send("\r").expect("enter");
    let after = String::from_utf8_lossy(
        s.expect("pause (the state is saved; resume later)")
            .expect("the failure menu")
            .before(),
    )
    .into_owned();
    assert!(after.contains("override the gate"), "{after}");
    assert!(
        !after.contains("skip"),
        "a failed gate cannot be skipped: {after}"
    );
    choose(&mut s, "\x1b[B", "override the gate (with a reason)");
    s.expect("Why override the gate? ›").expect("asks why");
    s.send("CAB accepted the risk").expect("type");
    s.expect("CAB accepted the risk").expect("echoed");
    s.send("\r").expect("enter");
    s.expect("This step is destructive. What now?")
        .expect("on to the next step");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
    let look = unit(&ws, "s.json", "look");
    assert_eq!(look["status"], "overridden", "{look}");
    assert!(
        events(&ws, "s.json").contains(&("gate-overridden".into(), "look".into())),
        "the override is an event"
    );
    let shown = ws.cmd(["status", "s.json"]).success().stdout();
    assert!(shown.contains("overridden  look"), "{shown}");
}

#[test]
fn pause_saves_prints_the_resume_command_with_the_operator_and_is_no_error() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &run_args());
    begin(&mut s);
    s.expect("What happened?").expect("the gate's menu");
    // Up from the first item wraps to the last: pause.
    choose(&mut s, "\x1b[A", "pause (the state is saved; resume later)");
    let said = String::from_utf8_lossy(
        s.expect("resume with: runbook resume s.json --operator alice")
            .expect("the resume command, with the operator")
            .before(),
    )
    .into_owned();
    assert!(
        said.contains("paused at look; the state is saved"),
        "{said}"
    );
    assert!(!said.contains("error"), "a pause is not an error: {said}");
    assert_eq!(exit_code(s), 3);
    assert!(events(&ws, "s.json").contains(&("paused".into(), "look".into())));
}

#[test]
fn a_destructive_step_can_be_skipped_from_its_menu_without_typing_its_target() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &run_args());
    begin(&mut s);
    s.expect("What happened?").expect("the gate");
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now?")
        .expect("the destructive step's menu");
    choose(&mut s, "\x1b[B", "skip (with a reason)");
    s.expect("Why skip it? ›").expect("asks why");
    s.send("domain stays federated").expect("type");
    s.expect("domain stays federated").expect("echoed");
    s.send("\r").expect("enter");
    s.expect("What happened?").expect("the last step");
    s.send("\r").expect("done");
    assert_eq!(exit_code(s), 0);
    let kinds = events_of(&ws, "remove");
    assert_eq!(kinds, ["started", "skipped"], "no confirmation was asked");
}

#[test]
fn a_wrong_or_empty_confirmation_never_runs_and_empty_goes_back_to_the_menu() {
    let (ws, mut s) = at_the_confirmation();
    type_line(&mut s, "fabrikam.com");
    s.expect("that does not match `contoso.com`")
        .expect("says it does not match");
    s.expect("Type contoso.com to confirm")
        .expect("asked again");
    s.send("\r").expect("an empty line");
    s.expect("This step is destructive. What now?")
        .expect("back to the menu");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
    let remove = events_of(&ws, "remove");
    assert!(!remove.contains(&"confirmed".to_owned()), "{remove:?}");
}

#[test]
fn a_confirmed_destructive_unit_completed_before_a_hand_over_is_credited_to_who_ran_it() {
    let (ws, mut s) = at_the_confirmation();
    type_line(&mut s, "contoso.com");
    s.expect("What happened?")
        .expect("alice runs it, then stops");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);

    // Bob takes over with scripted answers: "did it complete?" yes.
    ws.write("a.yaml", "default: done\n");
    let run = ws
        .cmd([
            "resume",
            "s.json",
            "--operator",
            "bob",
            "--answers",
            "a.yaml",
        ])
        .success();
    assert!(run.stderr().contains("complete"), "{}", run.stderr());
    let remove = unit(&ws, "s.json", "remove");
    assert_eq!(remove["status"], "done");
    assert_eq!(
        remove["operator"], "alice",
        "credited to who confirmed and ran it"
    );
    let note = remove["note"].as_str().expect("note");
    assert!(
        note.contains("confirmed and run by alice; its completion recorded by bob"),
        "{note}"
    );
}

#[test]
fn the_next_operator_sees_the_failures_and_notes_of_the_unit_he_takes_over() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &run_args());
    begin(&mut s);
    s.expect("What happened?").expect("the gate");
    choose(&mut s, "\x1b[B", "failed");
    s.expect("What went wrong? ›").expect("why");
    type_line(&mut s, "offset 412 s");
    s.expect("It failed. What now?").expect("after the failure");
    s.send("\r").expect("retry");
    s.expect("What happened?").expect("the gate again");
    s.send("\x1b[B").expect("down");
    s.expect("❯ failed").expect("highlighted");
    choose(&mut s, "\x1b[B", "add a note");
    s.expect("Note ›").expect("the note");
    type_line(&mut s, "ran w32tm /resync; Proof 0xA1");
    s.expect("What happened?").expect("asked again");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);

    let mut s = spawn(&ws, &["resume", "s.json", "--operator", "bob"]);
    s.expect("Resuming. So far: 0 done").expect("the summary");
    s.expect("Continuing at look, which before now:")
        .expect("the unit bob takes over, apart");
    s.expect("failed (alice): offset 412 s")
        .expect("its failure, with who");
    s.expect("note (alice): ran w32tm /resync; Proof 0xA1")
        .expect("the note");
    s.expect("What happened?").expect("the gate's menu");
    // Up from the first item: pause, change a parameter, then the history.
    s.send("\x1b[A").expect("up");
    s.expect("❯ pause").expect("highlighted");
    s.send("\x1b[A").expect("up");
    s.expect("❯ change a parameter").expect("highlighted");
    choose(&mut s, "\x1b[A", "show the history");
    s.expect("The run so far")
        .expect("the history again, on request");
    s.expect("What happened?").expect("then the same question");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
}

/// A capture whose command can throw, and an approval that can be refused.
const WAYS_OUT: &str = "id: ways\ntitle: Ways out\nversion: '1'\nsteps:\n  - id: name\n    \
    title: Read the trust name\n    kind: capture\n    variable: trust_name\n    type: string\n    \
    example: Microsoft Federation Gateway\n    command: Get-FederationTrust\n  - id: approve\n    \
    title: Get approval\n    kind: approval\n    approver: the change manager\n  - id: finish\n    \
    title: Finish\n    kind: instruction\n";

#[test]
fn a_capture_can_fail_and_an_approval_can_be_refused_on_record() {
    let ws = Workspace::new().file("ways.yaml", WAYS_OUT);
    let mut s = spawn(&ws, &["run", "ways.yaml", "--state", "s.json"]);
    begin(&mut s);
    s.expect("trust_name (string; empty: other choices)")
        .expect("the capture");
    s.send("\r").expect("an empty line");
    s.expect("No value. What now?").expect("the other choices");
    choose(&mut s, "\x1b[B", "the command failed (with a reason)");
    s.expect("What went wrong?").expect("why");
    type_line(&mut s, "Expected exactly one federation trust, found 2");
    let menu = String::from_utf8_lossy(
        s.expect("pause (the state is saved; resume later)")
            .expect("after the failure")
            .before(),
    )
    .into_owned();
    assert!(!menu.contains("skip"), "a capture is not skipped: {menu}");
    s.send("\r").expect("retry");
    s.expect("trust_name (string; empty: other choices)")
        .expect("asked again");
    type_line(&mut s, "Microsoft Federation Gateway");
    s.expect("Approval of the change manager?")
        .expect("the approval");
    choose(&mut s, "\x1b[B", "refused (the run stops here)");
    s.expect("Refused by whom, and why?").expect("who and why");
    type_line(&mut s, "Carol: not in the change window");
    s.expect("aborted at approve").expect("the run stops");
    assert_eq!(exit_code(s), 4);
    let approve = unit(&ws, "s.json", "approve");
    assert_eq!(approve["status"], "failed");
    assert_eq!(
        approve["note"],
        "approval refused: Carol: not in the change window"
    );
    let names: Vec<(String, String)> = events(&ws, "s.json");
    assert!(
        names.contains(&("failed".into(), "name".into())),
        "{names:?}"
    );
    assert!(
        names.contains(&("retry".into(), "name".into())),
        "{names:?}"
    );
    assert!(
        names.contains(&("aborted".into(), "approve".into())),
        "{names:?}"
    );
}

#[test]
fn a_plain_copy_resumed_at_a_terminal_asks_first_and_stopping_records_nothing() {
    let ws = Workspace::new()
        .file("pty.yaml", RUNBOOK)
        .file("first.yaml", "steps:\n  look: done\n")
        .file("other/.keep", "");
    ws.cmd([
        "run",
        "pty.yaml",
        "--example",
        "--answers",
        "first.yaml",
        "--state",
        "s.json",
        "--operator",
        "alice",
    ])
    .failure(3);
    std::fs::copy(ws.path().join("s.json"), ws.path().join("other/s.json")).expect("copy");
    let before = ws.read("other/s.json");
    let mut s = spawn(&ws, &["resume", "other/s.json", "--operator", "bob"]);
    s.expect("This record was last written by alice")
        .expect("who wrote it last, and where");
    s.expect("Go on?").expect("asked first");
    s.send("\r").expect("the default: stop here");
    s.expect("not resumed").expect("says so");
    assert_eq!(exit_code(s), 1);
    assert_eq!(ws.read("other/s.json"), before, "nothing recorded");
}

/// A decision and a wait, each with its own way out.
const DECIDE_AND_WAIT: &str = "id: later\ntitle: Decide and wait\nversion: '1'\nsteps:\n  - id: pick\n    \
    title: Is the clock off?\n    kind: decision\n    question: Is the clock off?\n    choices:\n      \
    - id: in-sync\n        label: No, in sync\n      - id: off\n        label: Yes, off\n  - id: settle\n    \
    title: Wait for replication\n    kind: wait\n    command: Get-ADReplicationFailure\n    \
    expect: REPLICATED\n    interval: 5m\n  - id: finish\n    title: Finish\n    kind: instruction\n";

#[test]
fn a_decision_takes_a_note_and_a_wait_can_fail_as_unreachable() {
    let ws = Workspace::new().file("later.yaml", DECIDE_AND_WAIT);
    let mut s = spawn(&ws, &["run", "later.yaml", "--state", "s.json"]);
    begin(&mut s);
    s.expect("Is the clock off? ›").expect("the decision");
    // One arrow at a time, as a person presses them (a burst of keys is discarded).
    s.send("\x1b[B").expect("down");
    s.expect("❯ Yes, off").expect("highlighted");
    choose(&mut s, "\x1b[B", "add a note");
    s.expect("Note ›").expect("the note");
    type_line(&mut s, "offset 412 s on ex01");
    s.expect("Is the clock off? ›").expect("asked again");
    s.send("\r").expect("no, in sync");
    s.expect("Is it done? ›").expect("the wait");
    s.send("\x1b[B").expect("down");
    s.expect("❯ keep waiting").expect("highlighted");
    choose(
        &mut s,
        "\x1b[B",
        "it failed (unreachable, timed out: with a reason)",
    );
    s.expect("What went wrong? ›").expect("why");
    type_line(&mut s, "dc02 UNREACHABLE");
    s.expect("It failed. What now? ›")
        .expect("after the failure");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
    assert!(events(&ws, "s.json").contains(&("note".into(), "pick".into())));
    assert_eq!(unit(&ws, "s.json", "settle")["status"], "failed");
}

/// A decision that decides whether a destructive step runs, a loop over a list that may be
/// empty, and a jump over a step.
const GUARDED: &str = "id: guarded\ntitle: Guarded\nversion: '1'\nparams:\n  - name: sites\n    \
    type: list\n    items: string\n    example: [a]\n    default: []\n  - name: trust\n    \
    type: string\n    example: Microsoft Federation Gateway\n    \
    default: Microsoft Federation Gateway\nsteps:\n  - id: per-site\n    \
    title: Look at each site\n    kind: instruction\n    for_each: sites\n    as: site\n  - id: pick\n    \
    title: Is the trust broken?\n    kind: decision\n    question: Is the trust broken?\n    choices:\n      \
    - id: broken\n        label: Yes, rebuild it\n        goto: remove\n      - id: fine\n        \
    label: No, leave it\n        goto: end\n  - id: note\n    title: Write it down\n    kind: instruction\n  \
    - id: remove\n    title: Remove the trust\n    kind: command\n    impact: destructive\n    \
    instructions: Removes the trust.\n    confirm: trust\n    rollback:\n      \
    instructions: Create it again with New-FederationTrust.\n    \
    command: Remove-FederationTrust -Identity {{ trust }} -Confirm:$false\n";

#[test]
fn the_plan_waits_can_be_shown_again_and_the_walk_says_where_it_goes() {
    let ws = Workspace::new().file("guarded.yaml", GUARDED);
    let mut s = spawn(&ws, &["run", "guarded.yaml", "--state", "s.json"]);
    let plan = String::from_utf8_lossy(
        s.expect("Ready?")
            .expect("the plan waits for the operator")
            .before(),
    )
    .into_owned();
    assert!(
        plan.contains("for each site in sites: none: the step has nothing to do"),
        "{plan}"
    );
    // start step 1, show the step again, show the plan.
    s.send("\x1b[B").expect("down");
    s.expect("❯ show the step again").expect("highlighted");
    choose(&mut s, "\x1b[B", "show the plan");
    s.expect("Plan: Guarded").expect("the plan again");
    s.expect("Ready?").expect("then the same question");
    begin(&mut s);
    s.expect("step 1 (Look at each site) has no items: `sites` is empty; nothing to do")
        .expect("an empty loop is announced");
    s.expect("── step 2 of 4 · Is the trust broken? (pick) · decision")
        .expect("the header before the question");
    s.expect("Is the trust broken? ›").expect("the decision");
    let menu = String::from_utf8_lossy(s.expect("pause").expect("the menu").before()).into_owned();
    assert!(
        !menu.contains('❯'),
        "a decision guarding a destructive step has no answer pre-selected: {menu}"
    );
    s.send("\r").expect("an Enter out of habit");
    s.expect("nothing is chosen yet").expect("chooses nothing");
    choose(&mut s, "\x1b[B", "Yes, rebuild it");
    s.expect("decision: on to step 4 (Remove the trust); step 3 is not on this path")
        .expect("the jump is announced");
    s.expect("── step 4 of 4 · Remove the trust (remove) · command · DESTRUCTIVE")
        .expect("the destructive step's header");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
    let kinds = events_of(&ws, "pick");
    assert_eq!(
        kinds,
        ["started", "decision", "done"],
        "one answer, the chosen one"
    );
}
