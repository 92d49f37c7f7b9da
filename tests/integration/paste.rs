//! Pastes and typed-ahead keys at a real terminal: a paste is one answer to the text prompt it
//! lands in and answers no menu, and keys that came before a question answer nothing.
//!
//! Pastes are sent as terminals send them: wrapped in paste markers when the program asked for
//! bracketed paste, as one raw burst (line breaks as carriage returns) by a terminal without it.
#![cfg(unix)]

use expectrl::Expect;
use expectrl::session::OsSession as Session;
use serde_json::Value;

use crate::support::Workspace;
use crate::support::record::events;
use crate::terminal::{RUNBOOK, begin, choose, exit_code, spawn, spawn_pty_run, type_line};

/// What an operator pasted in the walk that found the bug: three lines of PowerShell error.
const ERROR: [&str; 3] = [
    "Test-AdfsTime : Time skew check failed.",
    "At C:\\runbooks\\check.ps1:4 char:5",
    "+     throw 'Time skew check failed.'",
];

/// The pasted error as a terminal sends it (carriage returns), with the last line's break.
fn error_paste() -> String {
    ERROR.join("\r") + "\r"
}

/// The pasted error as recorded: one answer, line breaks kept, the trailing one dropped.
fn error_answer() -> String {
    ERROR.join("\n")
}

/// Everything the session printed up to (and including) `until`.
fn output_until(s: &mut Session, until: &str) -> String {
    let found = s.expect(until).expect(until);
    String::from_utf8_lossy(found.before()).into_owned() + until
}

/// Whether the program's output `shown` left bracketed paste switched on.
fn bracketed(shown: &str) -> bool {
    match (shown.rfind("\u{1b}[?2004h"), shown.rfind("\u{1b}[?2004l")) {
        (Some(on), Some(off)) => on > off,
        (on, _) => on.is_some(),
    }
}

/// Pastes `text` as a terminal with bracketed paste does, once the program asked for it.
fn paste_bracketed(s: &mut Session, shown: &str, text: &str) {
    assert!(
        bracketed(shown),
        "bracketed paste is on at the prompt: {shown:?}"
    );
    s.send(format!("\u{1b}[200~{text}\u{1b}[201~"))
        .expect("paste");
}

/// Pastes `text` as a terminal without bracketed paste does (or the Windows console): one burst.
fn paste_raw(s: &mut Session, text: &str) {
    s.send(text).expect("paste");
}

/// `runbook run` on the pty runbook, at the gate's outcome menu; and what it printed so far.
fn at_the_gate(ws: &Workspace) -> (Session, String) {
    let mut s = spawn_pty_run(ws);
    begin(&mut s);
    let shown = output_until(&mut s, "What happened? ›");
    (s, shown)
}

/// Chooses "add a note" in the gate's outcome menu (passed, failed, add a note, ...).
fn add_a_note(s: &mut Session) {
    s.send("\u{1b}[B").expect("Down");
    s.expect("❯ failed").expect("highlighted");
    choose(s, "\u{1b}[B", "add a note");
}

/// Stops the run with Ctrl-C at the prompt it is at; the state is saved.
fn interrupt(mut s: Session) {
    s.send("\x03").expect("Ctrl-C");
    s.expect("resume with: runbook resume s.json")
        .expect("resume command");
    assert_eq!(exit_code(s), 3);
}

/// The events recorded about `unit`, by kind, in order.
fn unit_events(st: &Value, unit: &str) -> Vec<String> {
    st["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["unit"] == unit)
        .map(|e| e["event"].as_str().expect("event").to_owned())
        .collect()
}

#[test]
fn a_bracketed_paste_into_a_note_is_the_note_and_answers_nothing_else() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let (mut s, _) = at_the_gate(&ws);
    add_a_note(&mut s);
    let shown = output_until(&mut s, "Note ›");
    paste_bracketed(&mut s, &shown, &error_paste());
    s.expect(ERROR[2]).expect("the whole paste is shown");
    s.send("\r").expect("Enter");
    s.expect(format!("✔ Note · {} (+2 more lines)", ERROR[0]))
        .expect("one answer of three lines");
    s.expect("What happened? ›")
        .expect("the outcome is asked again");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(unit_events(&st, "look"), ["started", "note", "interrupted"]);
    let note = &events(&st, "note")[0];
    assert_eq!(note["text"], error_answer(), "{note}");
    assert!(unit_events(&st, "remove").is_empty());
}

#[test]
fn a_raw_paste_into_a_note_is_the_note_and_answers_nothing_else() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let (mut s, _) = at_the_gate(&ws);
    add_a_note(&mut s);
    s.expect("Note ›").expect("the note prompt");
    paste_raw(&mut s, &error_paste());
    s.expect(ERROR[2]).expect("the whole paste is shown");
    s.send("\r").expect("Enter");
    s.expect(format!("✔ Note · {} (+2 more lines)", ERROR[0]))
        .expect("one answer of three lines");
    s.expect("What happened? ›")
        .expect("the outcome is asked again");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(unit_events(&st, "look"), ["started", "note", "interrupted"]);
    let note = &events(&st, "note")[0];
    assert_eq!(note["text"], error_answer(), "{note}");
}

#[test]
fn a_paste_into_a_reason_is_the_reason_and_answers_nothing_else() {
    for bracketed_paste in [true, false] {
        let ws = Workspace::new().file("pty.yaml", RUNBOOK);
        let (mut s, _) = at_the_gate(&ws);
        choose(&mut s, "\u{1b}[B", "failed");
        let shown = output_until(&mut s, "What went wrong? ›");
        if bracketed_paste {
            paste_bracketed(&mut s, &shown, &error_paste());
        } else {
            paste_raw(&mut s, &error_paste());
        }
        s.expect(ERROR[2]).expect("the whole paste is shown");
        s.send("\r").expect("Enter");
        s.expect("It failed. What now?")
            .expect("then the recovery menu");
        interrupt(s);
        let st = ws.status("s.json");
        assert_eq!(
            unit_events(&st, "look"),
            ["started", "failed", "interrupted"]
        );
        let failed = &events(&st, "failed")[0];
        assert_eq!(failed["reason"], error_answer(), "{failed}");
        assert!(unit_events(&st, "remove").is_empty());
    }
}

#[test]
fn a_paste_into_a_menu_answers_nothing() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let (mut s, shown) = at_the_gate(&ws);
    paste_bracketed(&mut s, &shown, &error_paste());
    s.expect("ignored a paste").expect("said");
    paste_raw(&mut s, &error_paste());
    s.expect("ignored a paste").expect("said again");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(unit_events(&st, "look"), ["started", "interrupted"]);
}

#[test]
fn keys_typed_or_pasted_before_a_menu_answer_nothing() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn_pty_run(&ws);
    begin(&mut s);
    // Printed just before the menu: what is sent now comes before it, or as a burst with it.
    s.expect("Get-AcceptedDomain -Identity 'contoso.com'")
        .expect("the gate's command");
    paste_raw(&mut s, &(error_paste() + "\u{1b}[B\r"));
    s.expect("ignored").expect("said");
    s.send("\r").expect("Enter: passed");
    s.expect("✔ What happened? · passed")
        .expect("the gate passed");
    s.expect("This step is destructive. What now? ›")
        .expect("the next step");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(unit_events(&st, "look"), ["started", "done"]);
    assert_eq!(unit_events(&st, "remove"), ["started", "interrupted"]);
    assert!(events(&st, "note").is_empty());
}

#[test]
fn a_value_prompt_refuses_a_pasted_answer_of_several_lines() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(&ws, &["run", "pty.yaml", "--state", "s.json"]);
    let shown = output_until(&mut s, "Domain to remove ›");
    paste_bracketed(&mut s, &shown, "contoso.com\rfabrikam.com\r");
    s.expect("fabrikam.com").expect("shown");
    s.send("\r").expect("Enter");
    s.expect("one line is needed here").expect("refused");
    s.send("\x15").expect("Ctrl-U clears it");
    type_line(&mut s, "contoso.com");
    s.expect("✔ domain · contoso.com").expect("one line taken");
    begin(&mut s);
    s.expect("What happened? ›").expect("the run goes on");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(unit_events(&st, "look"), ["started", "interrupted"]);
}

#[test]
fn output_pasted_into_the_record_is_kept_whole_with_the_unit_and_answers_nothing_else() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let (mut s, _) = at_the_gate(&ws);
    // passed, failed, add a note, add output.
    s.send("\u{1b}[B").expect("Down");
    s.expect("❯ failed").expect("highlighted");
    s.send("\u{1b}[B").expect("Down");
    s.expect("❯ add a note").expect("highlighted");
    choose(
        &mut s,
        "\u{1b}[B",
        "add output (paste what the command printed)",
    );
    let shown = output_until(&mut s, "Output (paste it, then Enter) ›");
    let table = [
        "Name        DomainType",
        "----        ----------",
        "contoso.com Authoritative",
    ];
    paste_bracketed(&mut s, &shown, &(table.join("\r") + "\r"));
    s.expect(table[2]).expect("the whole paste is shown");
    s.send("\r").expect("Enter");
    s.expect("output kept with look (3 lines)")
        .expect("kept, as one answer");
    s.expect("What happened? ›")
        .expect("the outcome is asked again");
    interrupt(s);
    let st = ws.status("s.json");
    assert_eq!(
        unit_events(&st, "look"),
        ["started", "output-added", "interrupted"]
    );
    assert_eq!(events(&st, "output-added")[0]["text"], table.join("\n"));
}
