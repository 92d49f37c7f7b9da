//! A real terminal: `runbook run` and `resume` driven through a pseudo-terminal with keystrokes,
//! the way an operator uses them (the prompts read the terminal, not stdin).
#![cfg(unix)]

use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect};

use crate::support::Workspace;

pub(crate) const RUNBOOK: &str = "id: pty\ntitle: Remove a domain\nversion: '1'\nparams:\n  - name: domain\n    \
    type: domain\n    example: contoso.com\n    prompt: Domain to remove\n    help: An accepted domain.\n\
    steps:\n  - id: look\n    title: Look at it\n    kind: check\n    gate: true\n    \
    command: Get-AcceptedDomain -Identity {{ domain }}\n  - id: remove\n    title: Remove the domain\n    \
    kind: command\n    impact: destructive\n    instructions: Removes it from federation.\n    confirm: domain\n    \
    rollback:\n      instructions: Add it back with Add-FederatedDomain.\n    \
    command: Remove-FederatedDomain -DomainName {{ domain }} -Force\n  - id: finish\n    title: Finish\n    \
    kind: instruction\n";

/// Spawns the binary in a pseudo-terminal, in `ws`.
pub(crate) fn spawn(ws: &Workspace, args: &[&str]) -> Session {
    let mut cmd = ws.command(args);
    cmd.env("NO_COLOR", "1").env("TERM", "xterm");
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

/// `runbook run` of [`RUNBOOK`] for contoso.com, recorded at `s.json`, in a pseudo-terminal.
pub(crate) fn spawn_pty_run(ws: &Workspace) -> Session {
    spawn(
        ws,
        &[
            "run",
            "pty.yaml",
            "--set",
            "domain=contoso.com",
            "--state",
            "s.json",
        ],
    )
}

/// Types `text` and presses Enter the way a person does: the keys, then, once they are shown,
/// Enter on its own. (Text and its newline in one write arrive as a paste would.)
pub(crate) fn type_line(s: &mut Session, text: &str) {
    s.send(text).expect("type");
    s.expect(format!("› {text}"))
        .expect("the typed text is shown");
    s.send("\r").expect("Enter");
}

/// Moves a menu's highlight with `key` (an arrow key's sequence) onto `item` and chooses it,
/// each key on its own: keys that arrive together are taken for a paste and discarded.
pub(crate) fn choose(s: &mut Session, key: &str, item: &str) {
    s.send(key).expect("arrow key");
    s.expect(format!("❯ {item}")).expect("highlighted");
    s.send("\r").expect("Enter");
}

/// Starts step 1 once the plan has been shown (the run waits for the operator to read it).
pub(crate) fn begin(s: &mut Session) {
    s.expect("start step 1").expect("the plan waits");
    s.send("\r").expect("Enter");
}

/// Waits for the end and returns the exit code.
pub(crate) fn exit_code(mut s: Session) -> i32 {
    s.expect(Eof).expect("the program ends");
    match s.get_process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("did not exit normally: {other:?}"),
    }
}

#[test]
fn an_interactive_run_asks_params_confirms_by_typing_the_target_and_completes() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(
        &ws,
        &[
            "run",
            "pty.yaml",
            "--state",
            "s.json",
            "--operator",
            "alice",
        ],
    );
    s.expect("Domain to remove ›").expect("param prompt");
    type_line(&mut s, "not a domain");
    let refused = String::from_utf8_lossy(
        s.expect("expected a DNS name")
            .expect("re-asked with the expected form")
            .before(),
    )
    .into_owned();
    assert!(
        refused.contains("› Domain to remove · not a domain") && !refused.contains('✔'),
        "a refused value is not echoed with a check mark: {refused}"
    );
    // Keys typed before a prompt is drawn are discarded: wait for it.
    s.expect("Domain to remove ›").expect("the prompt again");
    type_line(&mut s, "Contoso.COM");
    s.expect("✔ domain · contoso.com")
        .expect("taken, and echoed as it is kept");
    s.expect("s.json").expect("the plan names the state file");
    begin(&mut s);
    s.expect("Get-AcceptedDomain -Identity 'contoso.com'")
        .expect("rendered command");
    s.expect("What happened? ›").expect("outcome menu");
    s.send("\r").expect("passed");
    s.expect("Remove-FederatedDomain -DomainName 'contoso.com' -Force")
        .expect("destructive command");
    s.expect("This step is destructive. What now? ›")
        .expect("the menu comes first");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("typed confirmation");
    type_line(&mut s, "y"); // not a confirmation
    s.expect("does not match `contoso.com`")
        .expect("says it does not match");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("asked again");
    type_line(&mut s, "contoso.com");
    s.expect("What happened? ›").expect("outcome menu");
    s.send("\r").expect("done");
    s.expect("What happened? ›").expect("instruction outcome");
    s.send("\r").expect("done");
    s.expect("Runbook complete.").expect("the end");
    s.expect("3 done").expect("the counts");
    s.expect("Nothing needs attention.")
        .expect("the closing summary");
    s.expect("The record for the change ticket: runbook report s.json --output s.report.md")
        .expect("how to write the report");
    assert_eq!(exit_code(s), 0);
    let st = ws.status("s.json");
    assert_eq!(st["complete"], true);
    let confirmed = st["events"]
        .as_array()
        .expect("events")
        .iter()
        .any(|e| e["event"] == "confirmed");
    assert!(confirmed, "the typed confirmation is recorded");
}

#[test]
fn ctrl_c_at_a_prompt_saves_prints_the_resume_command_and_resume_finishes() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn_pty_run(&ws);
    begin(&mut s);
    s.expect("What happened? ›").expect("first step");
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now? ›")
        .expect("destructive step");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("the typed confirmation");
    s.send("\x03").expect("Ctrl-C");
    s.expect("resume with: runbook resume s.json")
        .expect("resume command printed");
    assert_eq!(exit_code(s), 3);
    let st = ws.status("s.json");
    assert_eq!(st["complete"], false);
    assert_eq!(st["units"][0]["status"], "done");

    // The target was never typed, so the command did not run: the unit starts over, without
    // "did it complete?", and nobody can record it done without its confirmation.
    let mut s = spawn(&ws, &["resume", "s.json", "--operator", "bob"]);
    s.expect("Resuming. So far: 1 done")
        .expect("says what was done");
    s.expect("its confirmation was never typed")
        .expect("says why it starts over");
    s.expect("This step is destructive. What now? ›")
        .expect("the unit's menu again");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("asked to confirm again");
    type_line(&mut s, "contoso.com");
    s.expect("What happened? ›").expect("outcome");
    s.send("\r").expect("done");
    s.expect("What happened? ›").expect("last step");
    s.send("\r").expect("done");
    assert_eq!(exit_code(s), 0);
    let st = ws.status("s.json");
    assert_eq!(st["complete"], true);
}

/// Everything the session printed up to (and including) `until`.
fn output_until(s: &mut Session, until: &str) -> String {
    let found = s.expect(until).expect("prompt");
    String::from_utf8_lossy(found.before()).into_owned() + until
}

#[test]
fn color_follows_the_color_flag() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let args = |color: &'static str| {
        [
            "run",
            "pty.yaml",
            "--set",
            "domain=contoso.com",
            "--state",
            color,
            "--color",
            color,
        ]
    };
    // `spawn` sets NO_COLOR: `always` must win over it, `never` must give plain text.
    let mut s = spawn(&ws, &args("always"));
    begin(&mut s);
    let shown = output_until(&mut s, "What happened?");
    assert!(shown.contains("\u{1b}[1m"), "bold step title: {shown:?}");
    drop(s);
    let mut s = spawn(&ws, &args("never"));
    begin(&mut s);
    let shown = output_until(&mut s, "What happened?");
    for sgr in ["\u{1b}[1m", "\u{1b}[31m", "\u{1b}[32m", "\u{1b}[2m"] {
        assert!(!shown.contains(sgr), "{sgr:?} in {shown:?}");
    }
    drop(s);
}

/// A runbook with a secret used in a command.
const SECRET: &str = "id: secret\ntitle: Use a secret\nversion: '1'\nparams:\n  - name: token\n    \
    type: string\n    secret: true\n    example: example-token\n    prompt: Token\nsteps:\n  - id: use\n    \
    title: Use it\n    kind: check\n    command: Test-Token -Token {{ token }}\n";

#[test]
fn the_transcript_keeps_what_was_shown_and_answered_in_plain_text_without_secrets() {
    let ws = Workspace::new().file("secret.yaml", SECRET);
    let mut s = spawn(
        &ws,
        &[
            "run",
            "secret.yaml",
            "--state",
            "s.json",
            "--operator",
            "alice",
            "--transcript",
            "t.txt",
        ],
    );
    s.expect("Token ›").expect("the secret's prompt");
    s.send("hunter2").expect("type");
    // Nothing is echoed for a secret: wait as a person would before pressing Enter alone.
    std::thread::sleep(std::time::Duration::from_millis(200));
    s.send("\r").expect("Enter");
    begin(&mut s);
    s.expect("What happened? ›").expect("the step");
    s.expect("❯ passed").expect("a check passes (gate or not)");
    s.send("\r").expect("passed");
    assert_eq!(exit_code(s), 0);
    let t = ws.read("t.txt");
    assert!(!t.contains("hunter2"), "a secret in the transcript: {t}");
    assert!(
        !t.contains('\u{1b}'),
        "escape codes in the transcript: {t:?}"
    );
    for shown in [
        "=== runbook run secret.yaml by alice at ",
        "? Token · ********",
        "Plan: Use a secret",
        "? Ready? · yes",
        "── step 1 of 1 · Use it (use) · check",
        "Test-Token -Token '********'",
        "? What happened? · passed",
        "=== the run ended ===",
    ] {
        assert!(t.contains(shown), "{shown:?} not in the transcript:\n{t}");
    }
}

/// Spawns `sh -c 'runbook ARGS 2>&1 | cat > log'` in a pseudo-terminal, in `ws`: a person at the
/// keyboard (stdin is the terminal) keeping a log, so stdout and stderr are a pipe. The program's
/// exit status is written into the log after its output. `NO_COLOR` is set when `plain`, else
/// colour is the program's choice.
fn spawn_logged(ws: &Workspace, args: &str, plain: bool) -> Session {
    let mut cmd = std::process::Command::new("sh");
    cmd.current_dir(ws.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RUNBOOK_FAILPOINTS")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .arg("-c")
        .arg(format!(
            "{{ \"$0\" {args}; echo \"exit status $?\"; }} 2>&1 | cat > log"
        ))
        .arg(crate::support::binary());
    if plain {
        cmd.env("NO_COLOR", "1");
    }
    let mut s = Session::spawn(cmd).expect("spawn in a pty");
    s.set_expect_timeout(Some(Duration::from_secs(20)));
    s
}

/// What the program wrote into the pipe of [`spawn_logged`].
fn log(ws: &Workspace) -> String {
    std::fs::read_to_string(ws.path().join("log")).expect("the log is written")
}

#[test]
fn with_stdout_and_stderr_piped_into_a_log_the_questions_still_go_to_the_terminal() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn_logged(
        &ws,
        "run pty.yaml --set domain=contoso.com --state s.json",
        true,
    );
    begin(&mut s);
    let shown = output_until(&mut s, "What happened? ›");
    assert!(
        shown.contains("Get-AcceptedDomain -Identity 'contoso.com'"),
        "the step is shown on the terminal: {shown:?}"
    );
    // Bracketed paste is asked of the terminal too, not of the pipe.
    assert!(
        shown.contains("\u{1b}[?2004h"),
        "bracketed paste: {shown:?}"
    );
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now? ›")
        .expect("destructive step");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("typed confirmation");
    type_line(&mut s, "contoso.com");
    s.expect("What happened? ›").expect("outcome");
    s.send("\r").expect("done");
    s.expect("What happened? ›").expect("last step");
    s.send("\r").expect("done");
    s.expect("Runbook complete.").expect("said on the terminal");
    assert_eq!(exit_code(s), 0);
    assert_eq!(ws.status("s.json")["complete"], true);
    // Nothing of the walk went into the pipe: through `tee` it would be drawn twice.
    assert_eq!(log(&ws), "exit status 0\n");
}

#[test]
fn with_stderr_piped_into_a_log_colour_follows_the_terminal_and_the_log_keeps_the_stop() {
    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn_logged(
        &ws,
        "run pty.yaml --set domain=contoso.com --state s.json",
        false,
    );
    // Coloured: the prompts draw on a terminal, whatever stderr is.
    let shown = output_until(&mut s, "start step 1");
    assert!(shown.contains("\u{1b}[1m"), "bold plan title: {shown:?}");
    s.send("\r").expect("Enter");
    s.expect("What happened?").expect("the first step");
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now?")
        .expect("destructive step");
    s.send("\x03").expect("Ctrl-C, a key in the prompt");
    s.expect("resume with: runbook resume s.json")
        .expect("the operator sees the resume command too");
    assert_eq!(exit_code(s), 0, "sh's status is the log's");
    let log = log(&ws);
    assert!(
        log.starts_with("interrupted at ") && log.contains("the state is saved"),
        "{log:?}"
    );
    assert!(
        log.ends_with("\nresume with: runbook resume s.json\nexit status 3\n"),
        "{log:?}"
    );
    for drawn in ["What happened?", "Get-AcceptedDomain", "\u{1b}["] {
        assert!(!log.contains(drawn), "{drawn:?} in the log: {log:?}");
    }
    assert_eq!(ws.status("s.json")["complete"], false);
}

#[test]
fn with_stderr_piped_ctrl_c_outside_a_prompt_is_still_answered_on_the_terminal() {
    let slow = "id: slow\ntitle: Slow\nversion: '1'\nsteps:\n  - id: look\n    title: Look\n    \
                kind: check\n    command: sleep 5\n";
    let ws = Workspace::new().file("slow.yaml", slow);
    let mut s = spawn_logged(
        &ws,
        "run slow.yaml --state s.json --exec --shell-dialect posix --auto-read",
        true,
    );
    begin(&mut s);
    s.expect("sleep 5").expect("the command is shown, then run");
    // No prompt reads while it runs: Ctrl-C is a signal, which ends the log's reader as well.
    s.send("\x03").expect("Ctrl-C");
    s.expect("interrupted; the state is saved")
        .expect("said on the terminal");
    s.expect("resume with: runbook resume s.json")
        .expect("the resume command on the terminal");
    s.expect(Eof).expect("the program ends");
    assert_eq!(ws.status("s.json")["complete"], false);
}
