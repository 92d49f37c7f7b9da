//! Secrets (issue 5): a `secret` parameter's value never appears in the state file, its lock and
//! holder files, the exports, the reports, the status, or any message, through a whole run with
//! a stop, an abort and two resumes, and through every error path where the secret itself is bad.
//! At the end every file in the run's folder (recursively) and every captured stdout and stderr
//! is searched for each secret value.

use std::path::Path;
use std::process::Output;

use crate::support::Workspace;

/// The secret values: distinctive, so a hit is never a coincidence.
const TOKEN: &str = "Sup3r-S3cret-Zebra-42";
const KEY_A: &str = "Hidden-Key-Alpha-7";
const KEY_B: &str = "Hidden-Key-Beta-8";

/// A runbook that uses its secrets everywhere a value can go: a check, a command with its
/// verification and rollback, a destructive step's rollback, a condition, a notify message.
const RUNBOOK: &str = r#"id: sec
title: Secrets stay secret
version: 1.0.0
params:
  - name: domain
    type: domain
    example: contoso.com
  - name: token
    type: string
    secret: true
    pattern: '[A-Za-z0-9-]+'
    example: example-token
    prompt: The API token
    help: From the vault.
  - name: keys
    type: list
    items: string
    secret: true
    example: [example-key]
steps:
  - id: check-token
    title: Check the token
    kind: check
    command: Test-Token -Domain {{ domain }} -Token {{ token }}
    expect: True
  - id: register
    title: Register the keys
    kind: command
    impact: change
    command: Register-Key -Keys {{ keys }} -Token {{ token }}
    verify:
      command: Get-Key -Token {{ token }}
      expect: Found
    rollback:
      command: Unregister-Key -Token {{ token }}
  - id: when-token
    title: Only for one token
    kind: instruction
    when: token == 'never-this'
  - id: when-keys
    title: Only with keys
    kind: instruction
    when: keys
  - id: rotate
    title: Rotate the token
    kind: command
    impact: destructive
    instructions: Replaces the token.
    confirm: domain
    rollback: {instructions: Restore the old token., command: "Set-Token -Token {{ token }}"}
    command: Set-Token -Domain {{ domain }} -Token {{ token }}
  - id: tell
    title: Tell the owner
    kind: notify
    to: Owner
    message: |
      The token {{ token }} was rotated: Test-Token {{ token | ps }}.
  - id: done
    title: Done
    kind: instruction
"#;

/// Every run of the binary in one workspace, with what it printed.
struct Runs {
    ws: Workspace,
    outputs: Vec<(String, Output)>,
}

impl Runs {
    fn new() -> Runs {
        let ws = Workspace::new();
        std::fs::create_dir(ws.path().join("out")).expect("out/");
        Runs {
            ws,
            outputs: Vec::new(),
        }
    }

    fn path(&self) -> &Path {
        self.ws.path()
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        self.ws.write(name, contents);
    }

    /// Runs the binary with no stdin (no terminal), expecting exit `code`.
    fn run(&mut self, args: &[&str], code: i32) -> &Output {
        let out = self.ws.test().env("NO_COLOR", "1").args(args).go().output;
        let what = args.join(" ");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{what}\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        self.outputs.push((what, out));
        &self.outputs.last().expect("just pushed").1
    }

    fn stderr_of_last(&self) -> String {
        let (_, out) = self.outputs.last().expect("a run");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}

/// The forms a secret could leak in: as typed, as a PowerShell literal, as a JSON string.
fn forms(secret: &str) -> [String; 3] {
    [
        secret.to_owned(),
        format!("'{secret}'"),
        serde_json::to_string(secret).expect("json"),
    ]
}

/// Panics when any secret, in any form, is in `bytes`.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for secret in [TOKEN, KEY_A, KEY_B] {
        for form in forms(secret) {
            assert!(
                !text.contains(&form),
                "{what} contains the secret {form}:\n{}",
                text.chars().take(3000).collect::<String>()
            );
        }
    }
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn answers(steps: &str) -> String {
    format!("params:\n  domain: contoso.com\n  token: {TOKEN}\n  keys: [{KEY_A}, {KEY_B}]\n{steps}")
}

#[test]
fn a_secret_reaches_no_file_and_no_output_through_run_stop_resume_report_and_export() {
    let mut r = Runs::new();
    r.write("sec.yaml", RUNBOOK);
    // Stops after the first unit (no answer for the next one, no terminal).
    r.write("a1.yaml", answers("steps:\n  check-token: done\n"));
    // Fails the next one and aborts.
    r.write(
        "a2.yaml",
        answers("steps:\n  register: {fail: the vault was locked}\n"),
    );
    // Finishes.
    r.write("a3.yaml", answers("default: done\n"));
    let state = "state/s.json";
    std::fs::create_dir(r.path().join("state")).expect("state/");

    r.run(
        &[
            "run",
            "sec.yaml",
            "--answers",
            "a1.yaml",
            "--state",
            state,
            "--operator",
            "alice",
        ],
        3,
    );
    assert!(
        r.stderr_of_last().contains("resume with"),
        "{}",
        r.stderr_of_last()
    );
    // A stopped run leaves its lock file (the holder file goes with its process): searched too.
    let mid: Vec<String> = files(&r.path().join("state"))
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(mid.iter().any(|n| n == "s.json.lock"), "{mid:?}");
    assert!(!mid.iter().any(|n| n == "s.json.holder"), "{mid:?}");
    for path in files(&r.path().join("state")) {
        assert_clean(
            &path.display().to_string(),
            &std::fs::read(&path).expect("read"),
        );
    }
    r.run(&["status", state], 0);
    r.run(&["status", state, "--format", "json"], 0);
    // Without a terminal and without answers, nothing can answer: refused, nothing written.
    r.run(&["resume", state], 1);
    assert!(
        r.stderr_of_last().contains("no --answers file was given"),
        "{}",
        r.stderr_of_last()
    );
    // With answers but without the secrets, resume stops at the secret's question.
    std::fs::write(r.path().join("none.yaml"), "default: done\n").expect("write");
    r.run(&["resume", state, "--answers", "none.yaml"], 3);
    assert!(
        r.stderr_of_last().contains("parameter `token`"),
        "{}",
        r.stderr_of_last()
    );
    r.run(
        &["resume", state, "--answers", "a2.yaml", "--operator", "bob"],
        4,
    );
    r.run(
        &[
            "resume",
            state,
            "--answers",
            "a3.yaml",
            "--operator",
            "carol",
        ],
        0,
    );
    for format in ["text", "json"] {
        r.run(&["status", state, "--format", format], 0);
    }
    for (format, file) in [("markdown", "out/report.md"), ("json", "out/report.json")] {
        r.run(&["report", state, "--format", format], 0);
        r.run(&["report", state, "--format", format, "--output", file], 0);
    }
    let sets = [
        "--set",
        "domain=contoso.com",
        "--set",
        &format!("token={TOKEN}"),
        "--set",
        &format!("keys={KEY_A},{KEY_B}"),
    ];
    for (format, file) in [("ps1", "out/plan.ps1"), ("markdown", "out/plan.md")] {
        let mut args = vec!["export", "sec.yaml", "--format", format];
        args.extend(sets);
        r.run(&args, 0);
        args.extend(["--output", file]);
        r.run(&args, 0);
    }
    r.write(
        "p.yaml",
        format!("domain: contoso.com\ntoken: {TOKEN}\nkeys: [{KEY_A}, {KEY_B}]\n"),
    );
    r.run(&["export", "sec.yaml", "--params", "p.yaml"], 0);
    for format in ["text", "json"] {
        r.run(&["show", "sec.yaml", "--format", format], 0);
    }

    // The run really happened and used the masked commands.
    let state_text = std::fs::read_to_string(r.path().join(state)).expect("state");
    assert!(
        state_text.contains("'********'"),
        "commands recorded masked"
    );
    let report = std::fs::read_to_string(r.path().join("out/report.json")).expect("report");
    assert!(report.contains("the vault was locked"), "{report}");
    let plan = std::fs::read_to_string(r.path().join("out/plan.ps1")).expect("plan");
    assert!(plan.contains("Set-Token -Domain 'contoso.com'"), "{plan}");

    let written = files(r.path());
    let inputs = ["a1.yaml", "a2.yaml", "a3.yaml", "p.yaml"];
    let mut searched = 0;
    for path in &written {
        let name = path.file_name().expect("name").to_string_lossy();
        if path.parent() == Some(r.path()) && inputs.contains(&name.as_ref()) {
            continue; // the answers and params files we wrote hold the secrets on purpose
        }
        assert_clean(
            &path.display().to_string(),
            &std::fs::read(path).expect("read"),
        );
        searched += 1;
    }
    // The runbook, the state and its lock, two reports and two plans at least (the holder file
    // goes with its process).
    assert!(searched >= 7, "searched only {searched} files: {written:?}");
    for (what, out) in &r.outputs {
        assert_clean(&format!("stdout of `{what}`"), &out.stdout);
        assert_clean(&format!("stderr of `{what}`"), &out.stderr);
    }
}

#[test]
fn a_bad_secret_is_refused_without_being_repeated() {
    let mut r = Runs::new();
    r.write("sec.yaml", RUNBOOK);
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "sec.yaml", "--example"];
        args.extend(extra);
        args.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<String>>()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "refused by the pattern",
            export(&["--set", &format!("token={TOKEN}!")]),
        ),
        (
            "a bidirectional control",
            export(&["--set", &format!("token={TOKEN}\u{202E}")]),
        ),
        (
            "a zero-width space",
            export(&["--set", &format!("token=\u{200B}{TOKEN}")]),
        ),
        (
            "a list item with a control character",
            export(&["--set", &format!("keys={KEY_A},{KEY_B}\u{1b}")]),
        ),
        (
            "a list item given twice",
            export(&["--set", &format!("keys={KEY_A},{KEY_A}")]),
        ),
        (
            "a misspelt parameter name",
            export(&["--set", &format!("tokn={TOKEN}")]),
        ),
    ];
    for (what, args) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        r.run(&args, 1);
        let stderr = r.stderr_of_last();
        assert!(stderr.contains("parameter `"), "{what}: {stderr}");
    }
    // Through a params file: a NUL (argv cannot carry one), a type error, a syntax error on
    // the secret's line, a bad list.
    let files: [(&str, String); 5] = [
        ("nul", format!("token: \"{TOKEN}\\0\"\n")),
        ("control", format!("token: \"{TOKEN}\\x07\"\n")),
        ("mapping", format!("token: {{value: {TOKEN}}}\n")),
        ("unclosed quote", format!("token: \"{TOKEN}\n")),
        ("list", format!("keys: [{KEY_A}, \"{KEY_B}\\t\"]\n")),
    ];
    for (what, text) in files {
        r.write("bad.yaml", text);
        r.run(
            &["export", "sec.yaml", "--example", "--params", "bad.yaml"],
            1,
        );
        assert!(
            r.stderr_of_last().contains("bad.yaml"),
            "{what}: {}",
            r.stderr_of_last()
        );
    }
    // Through an answers file, for run and for resume.
    r.write("good.yaml", answers("steps:\n  check-token: done\n"));
    r.run(
        &[
            "run",
            "sec.yaml",
            "--answers",
            "good.yaml",
            "--state",
            "s.json",
        ],
        3,
    );
    for (what, text) in [
        (
            "pattern",
            format!("params:\n  domain: contoso.com\n  token: \"{TOKEN}$\"\n  keys: [{KEY_A}]\n"),
        ),
        (
            "unclosed quote",
            format!("params:\n  token: '{TOKEN}\ndefault: done\n"),
        ),
        (
            "wrong type",
            format!("params:\n  token: [[{TOKEN}]]\ndefault: done\n"),
        ),
    ] {
        r.write("bad-answers.yaml", text);
        r.run(
            &[
                "run",
                "sec.yaml",
                "--answers",
                "bad-answers.yaml",
                "--state",
                "other.json",
            ],
            1,
        );
        r.run(&["resume", "s.json", "--answers", "bad-answers.yaml"], 1);
        assert!(
            r.stderr_of_last().contains("bad-answers.yaml"),
            "{what}: {}",
            r.stderr_of_last()
        );
    }
    for path in files_except_inputs(r.path()) {
        assert_clean(
            &path.display().to_string(),
            &std::fs::read(&path).expect("read"),
        );
    }
    for (what, out) in &r.outputs {
        assert_clean(&format!("stdout of `{what}`"), &out.stdout);
        assert_clean(&format!("stderr of `{what}`"), &out.stderr);
    }
}

/// Every file the runs wrote: all but the `.yaml` inputs the test wrote itself.
fn files_except_inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    files(dir)
        .into_iter()
        .filter(|p| p.extension().is_none_or(|e| e != "yaml"))
        .collect()
}

/// A secret cannot be looped over or be the typed confirmation: both would show it and record it.
#[test]
fn a_secret_cannot_be_looped_over_or_confirmed() {
    let mut r = Runs::new();
    r.write(
        "loop.yaml",
        RUNBOOK.replace(
            "    command: Register-Key -Keys {{ keys }} -Token {{ token }}\n",
            "    for_each: keys\n    command: Register-Key -Key {{ item }} -Token {{ token }}\n",
        ),
    );
    r.write(
        "confirm.yaml",
        RUNBOOK.replace("    confirm: domain\n", "    confirm: token\n"),
    );
    r.run(&["validate", "loop.yaml"], 1);
    let stderr = r.stderr_of_last();
    assert!(
        stderr.contains("`for_each: keys` loops over a secret"),
        "{stderr}"
    );
    r.run(&["validate", "confirm.yaml"], 1);
    let stderr = r.stderr_of_last();
    assert!(stderr.contains("`confirm: token` is a secret"), "{stderr}");
}

#[test]
fn a_set_without_equals_is_not_echoed_unless_it_names_a_parameter() {
    let run = crate::support::Test::new()
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--set",
            "Hunter2-Typed-Alone",
            "--set",
            "primary_domain",
        ])
        .go()
        .failure(1);
    let err = run.stderr();
    assert!(!err.contains("Hunter2-Typed-Alone"), "{err}");
    assert!(err.contains("(--set number 1)"), "{err}");
    assert!(
        err.contains("parameter `primary_domain`: `--set` takes NAME=VALUE"),
        "{err}"
    );
}
