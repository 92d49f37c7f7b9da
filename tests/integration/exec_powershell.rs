//! `--exec` with the PowerShell dialect, at the protocol level (issue 11 §4). No PowerShell runs
//! here: `examples/fake_powershell.rs` stands in for `powershell.exe -NoProfile -NonInteractive
//! -Command -`. It accepts only the exact wrapper line `src/host.rs` sends, answers the way that
//! wrapper's PowerShell would (output, an empty line, the marker and the status), writes in code
//! page 852 until `[Console]::OutputEncoding` is set to UTF-8 (a Czech server), and logs what it
//! received, its argument list and its environment. What real PowerShell does with the same
//! lines stays unverified (README.md, "Running the commands").
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::support::record::{events, unit};
use crate::support::{Run, Test, Workspace, root};

/// The stand-in, built when `cargo test` did not build it (`cargo test --test integration`
/// builds no examples) or when it is older than its source.
fn stand_in() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        // target/<profile>/deps/integration-<hash> -> target/<profile>/examples/fake_powershell
        let exe = std::env::current_exe().expect("the test binary");
        let path = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>")
            .join("examples")
            .join(format!("fake_powershell{}", std::env::consts::EXE_SUFFIX));
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let source = root().join("examples/fake_powershell.rs");
        if modified(&path) < modified(&source) {
            let status = std::process::Command::new(env!("CARGO"))
                .args(["build", "--quiet", "--example", "fake_powershell"])
                .current_dir(root())
                .status()
                .expect("cargo runs");
            assert!(status.success(), "cannot build examples/fake_powershell.rs");
        }
        assert!(path.exists(), "{} was not built", path.display());
        path
    })
}

/// `--shell` for the stand-in, logging to `ps.log` in the run's folder.
fn shell() -> String {
    let exe = stand_in().to_str().expect("a UTF-8 path");
    format!(
        "{} --log ps.log -NoProfile -NonInteractive -Command -",
        shlex::try_quote(exe).expect("quotable")
    )
}

const PREAMBLE: &str =
    "$GREETING = 'hello-from-preamble'\nfunction Remove-FederatedDomain { Write-Output 'removed' }";

fn runbook(steps: &str) -> String {
    format!(
        "id: ps\ntitle: PowerShell dialect\nversion: '1'\npreamble: |-\n{}\n\
         params:\n  - name: domain\n    type: domain\n    example: contoso.com\n  \
         - name: token\n    type: string\n    secret: true\n    example: example-token\n\
         steps:\n{steps}",
        PREAMBLE
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

fn exec_args<'a>(shell: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "run",
        "ps.yaml",
        "--example",
        "--state",
        "s.json",
        "--answers",
        "a.yaml",
        "--exec",
        "--shell",
        shell,
        "--shell-dialect",
        "powershell",
        "--auto-read",
    ];
    args.extend_from_slice(extra);
    args
}

fn exec_run(t: Test, answers: &str, extra: &[&str]) -> (Run, Workspace) {
    let shell = shell();
    t.file("a.yaml", answers)
        .args(exec_args(&shell, extra))
        .run()
}

/// The stand-in's log: one JSON object per line.
fn log(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("ps.log"))
        .expect("the stand-in's log")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// The decoded scripts each started shell received, in order, one list per process.
fn scripts_per_shell(log: &[Value]) -> Vec<Vec<String>> {
    let mut shells: Vec<(Value, Vec<String>)> = Vec::new();
    for e in log {
        match e["event"].as_str() {
            Some("start") => shells.push((e["pid"].clone(), Vec::new())),
            Some("command") => {
                let shell = shells
                    .iter_mut()
                    .rev()
                    .find(|(pid, _)| *pid == e["pid"])
                    .expect("a command after its shell's start");
                shell
                    .1
                    .push(e["script"].as_str().expect("script").to_owned());
            }
            Some("unexpected-line" | "bad-base64") => panic!("not the wrapper: {e}"),
            _ => {}
        }
    }
    shells.into_iter().map(|(_, s)| s).collect()
}

#[test]
fn the_setup_sets_utf8_output_first_then_the_preamble_and_each_script_is_the_rendered_command() {
    let steps = "  - id: look\n    title: Look\n    kind: check\n    \
        command: |-\n      Write-Output 'state: Enabled'; Write-Output $GREETING\n    pass_if: 'state: Enabled'\n  \
        - id: quoted\n    title: A value as a literal\n    kind: check\n    \
        command: \"Write-Output {{ domain }} # it's\"\n    pass_if: '^contoso\\.com$'\n";
    let t = Test::new().file("ps.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n", &[]);
    let err = run.success().stderr();
    assert!(err.contains("| hello-from-preamble"), "{err}");
    let log = log(dir.path());
    let shells = scripts_per_shell(&log);
    assert_eq!(shells.len(), 1, "one shell for the run: {shells:?}");
    let scripts = &shells[0];
    assert_eq!(
        scripts[0],
        runbook::testing::POWERSHELL_SETUP,
        "the setup comes first"
    );
    assert!(
        scripts[0]
            .starts_with("[Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false;"),
        "UTF-8 output before anything else: {}",
        scripts[0]
    );
    assert!(scripts[0].contains("$OutputEncoding = [Console]::OutputEncoding;"));
    assert!(scripts[0].contains("$ErrorActionPreference = 'Stop'"));
    assert_eq!(scripts[1], PREAMBLE, "then the preamble, as written");
    assert_eq!(
        scripts[2..],
        [
            "Write-Output 'state: Enabled'; Write-Output $GREETING",
            "Write-Output 'contoso.com' # it's",
        ],
        "each base64 script decodes to the rendered command, byte for byte"
    );
    // Every line sent is the wrapper (the stand-in refuses anything else) with the script only
    // in base64: what the command says never appears in the line itself.
    for e in log.iter().filter(|e| e["event"] == "command") {
        let line = e["line"].as_str().expect("line");
        assert!(line.is_ascii(), "{line}");
        assert!(!line.contains("Write-Output"), "{line}");
    }
    let st = dir.record("s.json");
    assert_eq!(
        unit(&st, "look")["executions"][0]["output"],
        "state: Enabled\nhello-from-preamble",
        "the wrapper's empty line before the marker is not output"
    );
    assert_eq!(unit(&st, "quoted")["executions"][0]["verdict"], "pass");
}

const CZECH: &str = "Chyba v zastoupení ověření: účet ŽLUŤOUČKÝ kůň nemá oprávnění";

#[test]
fn czech_event_text_reaches_pass_if_and_the_record_intact() {
    let steps = format!(
        "  - id: event\n    title: The AD FS event\n    kind: check\n    \
         command: |-\n      Write-Output '{CZECH}'\n    pass_if: 'zastoupení ověření: účet ŽLUŤOUČKÝ kůň'\n  \
         - id: oem\n    title: Without the setup's encoding (control)\n    kind: check\n    \
         command: |-\n      [Console]::OutputEncoding = [Text.Encoding]::GetEncoding(852); Write-Output '{CZECH}'\n    \
         pass_if: 'zastoupení ověření'\n"
    );
    let t = Test::new().file("ps.yaml", runbook(&steps));
    let (run, dir) = exec_run(
        t,
        "default: done\nsteps:\n  oem: {overrule: the control is expected to fail}\n",
        &[],
    );
    let err = run.success().stderr();
    assert!(
        err.contains(&format!("| {CZECH}")),
        "streamed intact: {err}"
    );
    let st = dir.record("s.json");
    let e = &unit(&st, "event")["executions"][0];
    assert_eq!(e["output"], CZECH);
    assert_eq!(e["verdict"], "pass");
    // The control: the same text in the OEM code page is garbled and fails `pass_if`, so the
    // pass above is the setup's doing, not the stand-in's.
    let control = &unit(&st, "oem")["executions"][0];
    assert!(
        control["verdict"]
            .as_str()
            .expect("verdict")
            .contains("did not match"),
        "{control}"
    );
    assert_ne!(control["output"], CZECH);
    let report = dir.report("s.json");
    assert!(report.contains(CZECH), "{report}");
}

#[test]
fn errors_and_exit_codes_map_to_the_status_as_the_wrapper_does() {
    let steps = "  - id: native\n    title: A native exit code\n    kind: check\n    \
        command: Write-Output 'ran'; cmd /c exit 3\n    exit_status: 3\n  \
        - id: thrown\n    title: A thrown error\n    kind: check\n    \
        command: Write-Output 'before'; throw 'boom'; Write-Output 'after'\n    exit_status: 1\n    \
        pass_if: '(?s)^before\\nboom\\nAt line'\n  \
        - id: write-error\n    title: A non-terminating error under the setup's Stop\n    kind: check\n    \
        command: Write-Error 'bad thing'\n    exit_status: 1\n    pass_if: 'bad thing'\n  \
        - id: unknown\n    title: An unknown cmdlet\n    kind: check\n    \
        command: Get-FederationTrust\n    exit_status: 1\n    pass_if: \"The term 'Get-FederationTrust' is not recognized\"\n  \
        - id: cleared\n    title: The exit code does not leak into the next command\n    kind: check\n    \
        command: Write-Output 'fine'\n";
    let t = Test::new().file("ps.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n", &[]);
    run.success();
    let st = dir.record("s.json");
    let statuses: Vec<(String, Value, Value)> =
        ["native", "thrown", "write-error", "unknown", "cleared"]
            .iter()
            .map(|id| {
                let e = &unit(&st, id)["executions"][0];
                (
                    id.to_string(),
                    e["exit_status"].clone(),
                    e["verdict"].clone(),
                )
            })
            .collect();
    let want = |id: &str, code: i32| (id.to_owned(), Value::from(code), Value::from("pass"));
    assert_eq!(
        statuses,
        [
            want("native", 3),
            want("thrown", 1),
            want("write-error", 1),
            want("unknown", 1),
            want("cleared", 0)
        ]
    );
    assert_eq!(
        scripts_per_shell(&log(dir.path())).len(),
        1,
        "errors do not end the shell"
    );
}

#[test]
fn secrets_reach_the_powershell_stand_in_only_on_stdin() {
    const SECRET: &str = "S3cret-Value-42";
    let steps = "  - id: use\n    title: Use the token\n    kind: check\n    \
                 command: Write-Output {{ token }}\n";
    let t = Test::new().file("ps.yaml", runbook(steps));
    let (run, dir) = exec_run(
        t,
        &format!("params:\n  token: {SECRET}\ndefault: done\n"),
        &[],
    );
    let run = run.success();
    assert!(!run.stderr().contains(SECRET), "{}", run.stderr());
    assert!(run.stderr().contains("| ********"), "{}", run.stderr());
    let log = log(dir.path());
    let start = log.iter().find(|e| e["event"] == "start").expect("started");
    for what in ["argv", "env", "proc_cmdline", "proc_environ"] {
        assert!(
            !start[what].to_string().contains(SECRET),
            "the secret is in the stand-in's {what}: {}",
            start[what]
        );
    }
    assert!(
        start["proc_environ"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "/proc was read: {start}"
    );
    // It did reach the shell: on standard input, inside the base64 script.
    let scripts = scripts_per_shell(&log);
    assert_eq!(
        scripts[0].last().map(String::as_str),
        Some("Write-Output 'S3cret-Value-42'")
    );
    for e in log.iter().filter(|e| e["event"] == "command") {
        assert!(!e["line"].as_str().expect("line").contains(SECRET));
    }
    let st = dir.read("s.json");
    assert!(!st.contains(SECRET), "secret in the state");
}

#[test]
fn a_powershell_timeout_stops_the_shell_and_the_next_command_gets_a_new_one_set_up_again() {
    let steps = "  - id: slow\n    title: Slow\n    kind: check\n    timeout: 1s\n    \
                 command: Write-Output 'started'; Start-Sleep -Seconds 20\n  \
                 - id: after\n    title: After\n    kind: check\n    command: Write-Output $GREETING\n";
    let t = Test::new().file("ps.yaml", runbook(steps));
    let started = std::time::Instant::now();
    let (run, dir) = exec_run(
        t,
        "default: done\nsteps:\n  slow: {overrule: slow is fine}\n",
        &[],
    );
    run.success();
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    let st = dir.record("s.json");
    let e = &unit(&st, "slow")["executions"][0];
    assert!(
        e["verdict"]
            .as_str()
            .expect("verdict")
            .contains("timed out"),
        "{e}"
    );
    assert!(e.get("exit_status").is_none());
    assert_eq!(e["output"], "started");
    assert_eq!(
        unit(&st, "after")["executions"][0]["output"],
        "hello-from-preamble"
    );
    let shells = scripts_per_shell(&log(dir.path()));
    assert_eq!(shells.len(), 2, "{shells:?}");
    for s in &shells {
        assert_eq!(s[0], runbook::testing::POWERSHELL_SETUP);
        assert_eq!(s[1], PREAMBLE);
    }
    assert_eq!(events(&st, "shell-started").len(), 2);
}

#[test]
fn a_powershell_that_dies_is_restarted_set_up_again_and_exit_ends_the_shell() {
    // `exit` in a command ends `powershell -Command -` itself (it is not a status): the
    // stand-in does the same, and the engine sees a shell that died.
    for command in ["Stop-Process -Id $PID -Force", "exit 5"] {
        let steps =
            format!("  - id: die\n    title: Dies\n    kind: check\n    command: {command}\n");
        let t = Test::new().file("ps.yaml", runbook(&steps));
        let (run, dir) = exec_run(t, "default: done\n", &[]);
        let err = run.failure(4).stderr();
        assert!(err.contains("the shell exited while `die` ran"), "{err}");
        let st = dir.record("s.json");
        let runs = unit(&st, "die")["executions"]
            .as_array()
            .expect("executions")
            .clone();
        assert_eq!(runs.len(), 2, "asked again once, then failed: {runs:?}");
        for r in &runs {
            assert!(
                r["verdict"]
                    .as_str()
                    .expect("verdict")
                    .contains("the shell exited"),
                "{r}"
            );
            assert!(r.get("exit_status").is_none(), "{r}");
        }
        let shells = scripts_per_shell(&log(dir.path()));
        assert_eq!(shells.len(), 2, "{command}: {shells:?}");
        for s in &shells {
            assert_eq!(s[..2], [runbook::testing::POWERSHELL_SETUP, PREAMBLE]);
            assert_eq!(s[2], command);
        }
    }
}

#[test]
fn a_preamble_file_replaces_the_runbooks_on_run_and_resume_and_is_recorded() {
    // Saved by Notepad: a byte order mark and CRLF line ends.
    let remote = "\u{feff}$GREETING = 'hello-from-remote'\r\nfunction Get-FederationTrust { Write-Output 'ApplicationUri : FYDIBOHF25SPDLT.contoso.com' }\r\n";
    let other = "$GREETING = 'hello-from-second-workstation'\n";
    let steps = "  - id: trust\n    title: The trust\n    kind: check\n    \
        command: Get-FederationTrust; Write-Output $GREETING\n    pass_if: 'FYDIBOHF25SPDLT'\n  \
        - id: pause\n    title: A pause\n    kind: instruction\n    instructions: Wait.\n  \
        - id: again\n    title: Again\n    kind: check\n    command: Write-Output $GREETING\n";
    let t = Test::new()
        .file("ps.yaml", runbook(steps))
        .file("remote.ps1", remote)
        .file("other.ps1", other);
    // The answers cover `trust` only: the run stops at `pause`.
    let (run, dir) = exec_run(t, "steps:\n  trust: done\n", &["--preamble", "remote.ps1"]);
    let err = run.failure(3).stderr();
    assert!(
        err.contains("--exec: shell `") && err.contains("preamble from --preamble `remote.ps1`"),
        "shown: {err}"
    );
    let st = dir.record("s.json");
    let e = &unit(&st, "trust")["executions"][0];
    assert_eq!(e["verdict"], "pass", "{e}");
    assert_eq!(
        e["output"],
        "ApplicationUri : FYDIBOHF25SPDLT.contoso.com\nhello-from-remote"
    );
    let shells = scripts_per_shell(&log(dir.path()));
    let text = remote.trim_start_matches('\u{feff}');
    assert_eq!(shells[0][1], text, "the file, without its byte order mark");
    assert!(
        !shells
            .iter()
            .flatten()
            .any(|s| s.contains("hello-from-preamble")),
        "the runbook's preamble is not run"
    );
    let recorded = events(&st, "exec-shell");
    assert_eq!(recorded.len(), 1);
    let detail = recorded[0]["detail"].as_str().expect("detail");
    let sha = runbook::testing::sha256_hex(text);
    assert!(
        detail.contains(&format!(
            "preamble from --preamble `remote.ps1` (sha256 {sha}), instead of the runbook's:\n"
        )) && detail.contains("function Get-FederationTrust"),
        "{detail}"
    );

    let shell = shell();
    dir.write(
        "a2.yaml",
        "params:\n  token: example-token\ndefault: done\n",
    );
    // The stand-in's log is relative to the working directory: run the resume in the run's.
    dir.test()
        .args([
            "resume",
            "s.json",
            "--answers",
            "a2.yaml",
            "--exec",
            "--shell",
        ])
        .args([
            shell.as_str(),
            "--shell-dialect",
            "powershell",
            "--auto-read",
        ])
        .args(["--preamble", "other.ps1"])
        .go()
        .success();
    let st = dir.record("s.json");
    assert_eq!(
        unit(&st, "again")["executions"][0]["output"],
        "hello-from-second-workstation"
    );
    let recorded = events(&st, "exec-shell");
    assert_eq!(recorded.len(), 2, "run and resume each record theirs");
    assert!(
        recorded[1]["detail"]
            .as_str()
            .expect("detail")
            .contains("--preamble `other.ps1`")
    );
    let report = dir.report("s.json");
    assert!(report.contains("## Shell (`--exec`)"), "{report}");
    assert!(
        report.contains("```powershell\n$GREETING = 'hello-from-remote'"),
        "{report}"
    );
}

#[test]
fn a_remove_cmdlet_without_confirm_false_fails_in_a_noninteractive_shell() {
    // Why the templates render `-Confirm:$false` after the typed confirmation (domain
    // reference §7.3); the stand-in fails as a `-NonInteractive` PowerShell does.
    let steps = "  - id: remove\n    title: Remove\n    kind: command\n    impact: destructive\n    \
        instructions: Removes it.\n    confirm: domain\n    rollback:\n      instructions: Add it back.\n    \
        command: Remove-FederatedDomain -DomainName {{ domain }} -Force\n";
    let t = Test::new().file("ps.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n", &[]);
    run.failure(4);
    let st = dir.record("s.json");
    let e = &unit(&st, "remove")["executions"][0];
    assert_eq!(e["exit_status"], 1);
    assert!(
        e["output"]
            .as_str()
            .expect("output")
            .contains("NonInteractive mode. Read and Prompt functionality is not available"),
        "{e}"
    );
}

#[test]
fn a_destructive_command_reaches_the_shell_only_after_the_typed_confirmation() {
    use crate::terminal::{begin, exit_code, spawn, type_line};
    use expectrl::Expect as _;
    let steps = "  - id: look\n    title: Look\n    kind: check\n    command: Write-Output 'Enabled'\n  \
        - id: remove\n    title: Remove the domain\n    kind: command\n    impact: destructive\n    \
        instructions: Removes it.\n    confirm: domain\n    rollback:\n      instructions: Add it back.\n    \
        command: Remove-FederatedDomain -DomainName {{ domain }} -Force -Confirm:$false\n";
    let ws = Workspace::new().file("ps.yaml", runbook(steps));
    let dir = ws.path().to_owned();
    let shell = shell();
    let sent = |dir: &Path| -> Vec<String> {
        scripts_per_shell(&log(dir))
            .into_iter()
            .flatten()
            .filter(|s| s.contains("-DomainName"))
            .collect()
    };
    let mut s = spawn(
        &ws,
        &[
            "run",
            "ps.yaml",
            "--example",
            "--state",
            "s.json",
            "--exec",
            "--shell",
            &shell,
            "--shell-dialect",
            "powershell",
            "--auto-read",
        ],
    );
    begin(&mut s);
    s.expect("The verdict?").expect("the read-only check ran");
    s.send("\r").expect("accept");
    s.expect("This step is destructive. What now? ›")
        .expect("the destructive step's menu first");
    s.send("\r").expect("run it");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("then the typed confirmation");
    assert!(sent(&dir).is_empty(), "sent before the confirmation");
    type_line(&mut s, "y"); // not a confirmation
    s.expect("does not match `contoso.com`")
        .expect("told that it does not match");
    s.expect("Type contoso.com to confirm (empty: back to the menu) ›")
        .expect("asked again");
    assert!(sent(&dir).is_empty(), "sent after a wrong confirmation");
    type_line(&mut s, "contoso.com");
    s.expect("Run this command?").expect("then: run it?");
    assert!(sent(&dir).is_empty(), "sent before `run it now`");
    s.send("\r").expect("run it now");
    s.expect("removed").expect("the stand-in ran it");
    s.expect("The verdict?").expect("verdict");
    s.send("\r").expect("accept");
    assert_eq!(exit_code(s), 0);
    assert_eq!(
        sent(&dir),
        ["Remove-FederatedDomain -DomainName 'contoso.com' -Force -Confirm:$false"]
    );
    let st = ws.record("s.json");
    let kinds: Vec<&str> = st["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["unit"] == "remove")
        .map(|e| e["event"].as_str().expect("event"))
        .collect();
    let at = |k: &str| kinds.iter().position(|e| *e == k);
    assert!(
        at("confirmed").is_some() && at("confirmed") < at("executed"),
        "{kinds:?}"
    );
}
