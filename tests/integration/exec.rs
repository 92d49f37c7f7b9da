//! `--exec`: the engine runs the commands in one long-lived shell. No PowerShell exists here,
//! so these tests take the same code path with `sh` and the POSIX end-marker dialect.
#![cfg(unix)]

use crate::support::record::unit;
use crate::support::{Run, Test, Workspace};

fn runbook(steps: &str) -> String {
    format!(
        "id: ex\ntitle: Exec\nversion: '1'\npreamble: GREETING=hello-from-preamble\n\
         params:\n  - name: token\n    type: string\n    secret: true\n    example: example-token\n\
         steps:\n{steps}"
    )
}

fn exec_run(t: Test, answers: &str) -> (Run, Workspace) {
    t.file("a.yaml", answers)
        .args([
            "run",
            "ex.yaml",
            "--example",
            "--state",
            "s.json",
            "--answers",
            "a.yaml",
            "--exec",
            "--shell-dialect",
            "posix",
            "--auto-read",
        ])
        .run()
}

const CHECK_AND_COMMAND: &str = "  - id: look\n    title: Look\n    kind: check\n    \
    command: |-\n      echo \"state: Enabled\"; echo \"$GREETING\"; echo warn >&2\n    pass_if: 'state: Enabled'\n  \
    - id: change\n    title: Change\n    kind: command\n    impact: change\n    \
    instructions: Changes it.\n    rollback:\n      instructions: Undo it.\n    \
    command: |-\n      echo changed > changed.txt\n    verify:\n      command: |-\n        cat changed.txt\n      pass_if: changed\n";

#[test]
fn commands_run_in_one_shell_with_output_streamed_judged_and_kept() {
    let t = Test::new().file("ex.yaml", runbook(CHECK_AND_COMMAND));
    let (run, dir) = exec_run(t, "default: done\n");
    let run = run.success();
    let err = run.stderr();
    assert!(err.contains("| state: Enabled"), "streamed: {err}");
    assert!(err.contains("| hello-from-preamble"), "preamble ran: {err}");
    assert!(
        err.contains("| warn"),
        "stderr is part of the output: {err}"
    );
    assert!(dir.path().join("changed.txt").exists(), "the command ran");
    let st = dir.record("s.json");
    let look = unit(&st, "look");
    assert_eq!(look["status"], "done");
    let e = &look["executions"][0];
    assert_eq!(e["exit_status"], 0);
    assert_eq!(e["verdict"], "pass");
    assert!(
        e["output"]
            .as_str()
            .expect("output")
            .contains("state: Enabled")
    );
    let change = unit(&st, "change");
    let whats: Vec<_> = change["executions"]
        .as_array()
        .expect("executions")
        .iter()
        .map(|e| e["what"].as_str().expect("what").to_owned())
        .collect();
    assert_eq!(whats, ["command", "verify"]);
    let report = dir.report("s.json");
    assert!(
        report.contains("state: Enabled"),
        "output in the report: {report}"
    );
}

#[test]
fn a_failed_check_is_judged_failed_and_the_operator_can_overrule_with_a_reason() {
    let steps = "  - id: look\n    title: Look\n    kind: check\n    command: echo nope\n    \
                 pass_if: 'state: Enabled'\n  - id: exit\n    title: Exit status\n    kind: check\n    \
                 command: |-\n      sh -c 'exit 3'\n    exit_status: 3\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n");
    let err = run.failure(4).stderr();
    assert!(err.contains("aborted at look"), "{err}");
    let st = dir.record("s.json");
    let e = &unit(&st, "look")["executions"][0];
    assert!(
        e["verdict"]
            .as_str()
            .expect("verdict")
            .contains("did not match"),
        "{e}"
    );

    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(
        t,
        "default: done\nsteps:\n  look: {overrule: the service says Enabled in French}\n",
    );
    run.success();
    let st = dir.record("s.json");
    let look = unit(&st, "look");
    assert_eq!(look["status"], "done");
    assert!(
        look["note"]
            .as_str()
            .expect("note")
            .contains("verdict overruled: the service says")
    );
    assert!(
        st["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["event"] == "verdict-overruled")
    );
    assert_eq!(
        unit(&st, "exit")["executions"][0]["verdict"],
        "pass",
        "expected exit status 3"
    );
}

#[test]
fn a_timeout_fails_the_step_and_keeps_the_output() {
    let steps = "  - id: slow\n    title: Slow\n    kind: check\n    timeout: 1s\n    \
                 command: |-\n      echo started; sleep 20\n  - id: after\n    title: After\n    kind: check\n    \
                 command: echo after\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let started = std::time::Instant::now();
    let (run, dir) = exec_run(
        t,
        "default: done\nsteps:\n  slow: {overrule: slow is fine}\n",
    );
    run.success();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "the timeout held"
    );
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
        "after",
        "a new shell"
    );
}

#[test]
fn a_shell_that_dies_is_restarted_with_its_preamble_and_the_step_asked_again() {
    let steps = "  - id: die\n    title: Dies once\n    kind: check\n    \
                 command: |-\n      if [ -f once ]; then echo \"$GREETING\"; else touch once; kill -9 $$; fi\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n");
    let err = run.success().stderr();
    assert!(err.contains("the shell exited while `die` ran"), "{err}");
    let st = dir.record("s.json");
    let runs = unit(&st, "die")["executions"]
        .as_array()
        .expect("executions")
        .clone();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(
        runs[0]["verdict"]
            .as_str()
            .expect("v")
            .contains("the shell exited")
    );
    assert_eq!(runs[1]["output"], "hello-from-preamble");

    let always = "  - id: die\n    title: Dies always\n    kind: check\n    command: kill -9 $$\n";
    let t = Test::new().file("ex.yaml", runbook(always));
    let (run, _dir) = exec_run(t, "default: done\n");
    run.failure(4);
}

#[test]
fn a_capture_proposes_its_value_from_the_output() {
    let steps = "  - id: thumb\n    title: Thumbprint\n    kind: capture\n    variable: thumb\n    \
                 type: thumbprint\n    example: 0123456789ABCDEF0123456789ABCDEF01234567\n    \
                 command: |-\n      echo \"Thumbprint : AAAABBBBCCCCDDDDEEEEFFFF0000111122223333\"\n    \
                 from_output: 'Thumbprint\\s*:\\s*(?P<thumb>[0-9A-F]{40})'\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n");
    run.success();
    assert_eq!(
        dir.record("s.json")["captured"]["thumb"],
        "AAAABBBBCCCCDDDDEEEEFFFF0000111122223333"
    );
}

#[test]
fn a_wait_polls_until_its_check_passes() {
    let steps = "  - id: w\n    title: Wait for it\n    kind: wait\n    interval: 1s\n    \
                 command: |-\n      n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; echo poll $n; [ $n -ge 3 ]\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\nsteps:\n  w: {wait: 1s}\n");
    run.success();
    let st = dir.record("s.json");
    let w = unit(&st, "w");
    assert_eq!(w["executions"].as_array().expect("polls").len(), 3);
    assert!(
        w["note"]
            .as_str()
            .expect("note")
            .starts_with("condition met")
    );
}

#[test]
fn secrets_reach_the_shell_on_stdin_and_are_masked_everywhere_after() {
    let steps = "  - id: use\n    title: Use the token\n    kind: check\n    command: echo token is {{ token }}\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "params:\n  token: S3cret-Value-42\ndefault: done\n");
    let run = run.success();
    assert!(
        run.stderr().contains("| token is ********"),
        "{}",
        run.stderr()
    );
    assert!(!run.stderr().contains("S3cret-Value-42"));
    let st = dir.read("s.json");
    assert!(!st.contains("S3cret-Value-42"), "secret in the state");
    assert!(st.contains("token is ********"), "{st}");
    let report = dir.report("s.json");
    assert!(!report.contains("S3cret-Value-42"));
}

#[test]
fn change_steps_ask_before_running_even_with_auto_read() {
    let t = Test::new().file("ex.yaml", runbook(CHECK_AND_COMMAND));
    // `skip` answers "run it?" with no: the command is not run, and the skip is recorded.
    let (run, dir) = exec_run(
        t,
        "default: done\nsteps:\n  change: {skip: done by hand in EAC}\n",
    );
    run.success();
    assert!(!dir.path().join("changed.txt").exists(), "not run");
    let st = dir.record("s.json");
    assert_eq!(unit(&st, "change")["status"], "skipped");
    assert!(
        st["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["event"] == "run-by-hand")
    );
}

#[test]
fn output_is_kept_up_to_64_kib_per_unit_with_a_marker() {
    let steps = "  - id: big\n    title: Big\n    kind: check\n    command: |-\n      \
                 i=0; while [ $i -lt 2000 ]; do echo \"line $i ................................................\"; i=$((i+1)); done\n";
    let t = Test::new().file("ex.yaml", runbook(steps));
    let (run, dir) = exec_run(t, "default: done\n");
    run.success();
    let st = dir.record("s.json");
    let out = unit(&st, "big")["executions"][0]["output"]
        .as_str()
        .expect("output")
        .to_owned();
    assert!(out.len() <= 64 * 1024, "{} bytes kept", out.len());
    assert!(out.starts_with("[runbook: "), "{}", &out[..80]);
    assert!(out.ends_with("line 1999 ................................................"));
}
