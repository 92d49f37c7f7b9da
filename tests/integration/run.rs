//! Scripted runs: the same engine path as the terminal, driven by an answers file.

use crate::support::record::{events, unit};
use crate::support::{Test, Workspace, scripted_run, shipped_ids};

const RB: &str = "exchange-federation-trust-rebuild";

/// The status of unit `id` in `st`.
fn unit_status<'a>(st: &'a serde_json::Value, id: &str) -> &'a str {
    unit(st, id)["status"].as_str().expect("status")
}

#[test]
fn every_shipped_runbook_runs_to_completion_scripted() {
    for id in shipped_ids() {
        let (run, dir) = Test::new()
            .file("a.yaml", "default: done\n")
            .args(scripted_run(&id, "a.yaml"))
            .run();
        run.success();
        let st = dir.status("s.json");
        assert_eq!(st["complete"], true, "{id}");
        for u in st["units"].as_array().expect("units") {
            assert!(
                u["status"] == "done" || u["status"] == "skipped",
                "{id}: {u}"
            );
        }
    }
}

#[test]
fn a_run_without_an_answer_stops_with_the_resume_command_and_resumes_to_completion() {
    let answers = "steps:\n  check-time-skew: done\n  show-federation-trust: done\n  \
                   capture-trust-name: {value: Azure AD Authentication}\n";
    let (run, dir) = Test::new()
        .file("a.yaml", answers)
        .file("all.yaml", "default: done\n")
        .args([
            "run",
            RB,
            "--example",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
            "--operator",
            "alice",
        ])
        .run();
    let err = run.failure(3).stderr();
    assert!(
        err.contains("waiting for operator input at check-certificate-expired; resume with: runbook resume s.json"),
        "{err}"
    );
    let st = dir.status("s.json");
    assert_eq!(unit_status(&st, "capture-trust-name"), "done");
    assert_eq!(unit_status(&st, "check-certificate-expired"), "pending");
    assert_eq!(st["captured"]["trust_name"], "Azure AD Authentication");
    let before = st["events"].as_array().expect("events").len();

    dir.cmd([
        "resume",
        "s.json",
        "--answers",
        "all.yaml",
        "--operator",
        "bob",
    ])
    .success();
    let st = dir.status("s.json");
    assert_eq!(st["complete"], true);
    assert_eq!(st["captured"]["trust_name"], "Azure AD Authentication");
    let evs = st["events"].as_array().expect("events");
    assert!(evs.len() > before);
    assert_eq!(evs[0]["operator"], "alice");
    assert!(
        evs.iter()
            .any(|e| e["event"] == "resumed" && e["operator"] == "bob")
    );
    // The trust name captured by alice is what bob's commands were rendered with.
    let units = st["units"].as_array().expect("units");
    let removal = units
        .iter()
        .find(|u| u["id"] == "remove-federation-trust")
        .expect("unit");
    assert_eq!(removal["operator"], "bob");
}

#[test]
fn corrupt_foreign_and_unknown_format_states_are_refused_untouched() {
    for (content, message) in [
        ("{\"format\": 2, \"runb", "its first line is incomplete"),
        ("hello\n", "not valid JSON"),
        ("{\"hello\": 1}\n", "no `format` field"),
        ("{\"format\": 99}\n", "state format 99 is unknown"),
        (
            "{\"format\": 2, \"runbook\": 3}\n",
            "line 1 (the header) is damaged",
        ),
        (
            "{\"format\":1,\"runbook\":{\"id\":\"x\"},\"events\":[]}",
            "this is a format 1 state file",
        ),
    ] {
        let (run, dir) = Test::new()
            .file("s.json", content)
            .args(["resume", "s.json"])
            .run();
        let err = run.failure(1).stderr();
        assert!(err.contains(message), "{err}");
        assert_eq!(dir.read("s.json"), content);
        assert!(
            !dir.path().join("s.json.lock").exists(),
            "nothing created beside a bad file"
        );
        dir.cmd(["status", "s.json"]).failure(1);
    }
}

#[test]
fn a_failure_aborts_with_exit_4_and_resume_retries_it() {
    let (run, dir) = Test::new()
        .file(
            "a.yaml",
            "default: done\nsteps:\n  save-configuration-record: {fail: disk full}\n",
        )
        .file("all.yaml", "default: done\n")
        .args(scripted_run(RB, "a.yaml"))
        .run();
    run.failure(4);
    let st = dir.status("s.json");
    assert_eq!(st["status"], "aborted");
    assert_eq!(unit_status(&st, "save-configuration-record"), "failed");
    dir.cmd(["resume", "s.json", "--answers", "all.yaml"])
        .success();
    let st = dir.status("s.json");
    assert_eq!(unit_status(&st, "save-configuration-record"), "done");
}

#[test]
fn overrides_approvals_decisions_and_skips_are_recorded_and_reported() {
    let answers = "default: done\nsteps:\n  check-time-skew: {override: \"PDC fixed, offset now 2 s\"}\n  \
                   approve-removal: {approve: Carol (change manager)}\n  ad-attributes-clean: {choice: stale}\n  \
                   harden-federation-trust: {skip: tracked in CHG0012399}\n";
    let (run, dir) = Test::new()
        .file("a.yaml", answers)
        .args(scripted_run(RB, "a.yaml"))
        .run();
    run.success();
    let st = dir.status("s.json");
    assert_eq!(
        events(&st, "gate-overridden")[0]["reason"],
        "PDC fixed, offset now 2 s"
    );
    assert_eq!(events(&st, "approved")[0]["by"], "Carol (change manager)");
    assert_eq!(events(&st, "decision")[0]["choice"], "stale");
    assert_eq!(
        unit_status(&st, "ad-cleanup"),
        "done",
        "the stale path runs the cleanup"
    );
    assert_eq!(unit_status(&st, "harden-federation-trust"), "skipped");
    let md = dir.report("s.json");
    for needle in [
        "## Approvals",
        "Carol (change manager)",
        "- **Gate overridden:** `check-time-skew`",
        "PDC fixed",
        "- **Skipped:** `harden-federation-trust`",
        "tracked in CHG0012399",
    ] {
        assert!(md.contains(needle), "{needle}\n{md}");
    }
}

#[test]
fn the_clean_path_skips_the_cleanup_with_a_reason() {
    let (run, dir) = Test::new()
        .file(
            "a.yaml",
            "default: done\nsteps:\n  ad-attributes-clean: {choice: clean}\n",
        )
        .args(scripted_run(RB, "a.yaml"))
        .run();
    run.success();
    let st = dir.status("s.json");
    assert_eq!(unit_status(&st, "ad-cleanup"), "skipped");
}

#[test]
fn a_capture_is_checked_by_type() {
    let (run, dir) = Test::new()
        .file(
            "a.yaml",
            "default: done\nsteps:\n  create-federation-certificate: {value: not-a-thumbprint}\n",
        )
        .args(scripted_run(RB, "a.yaml"))
        .run();
    let err = run.failure(3).stderr();
    assert!(
        err.contains("waiting for operator input at create-federation-certificate"),
        "{err}"
    );
    let st = dir.status("s.json");
    assert!(st["captured"].get("new_thumbprint").is_none());
}

/// Waits until the run in `ws` has recorded the start of `unit` (its lock is then held).
fn until_started(ws: &Workspace, unit: &str) {
    let started = format!("\"event\":\"started\",\"unit\":\"{unit}\"");
    for _ in 0..400 {
        let state = std::fs::read_to_string(ws.path().join("s.json")).unwrap_or_default();
        if state.contains(&started) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("`{unit}` did not start");
}

/// The lock is held while a run waits at a prompt; a pseudo-terminal keeps the first run there
/// for as long as the test needs (a scripted `wait:` would really sleep).
#[cfg(unix)]
#[test]
fn a_second_run_on_the_same_state_is_refused_naming_the_holder() {
    use crate::support::fixtures::TINY;
    use crate::terminal::{begin, exit_code, spawn};
    use expectrl::Expect as _;
    let ws = Workspace::new()
        .file("tiny.yaml", TINY)
        .file("a.yaml", "default: done\n");
    let mut first = spawn(
        &ws,
        &[
            "run",
            "tiny.yaml",
            "--state",
            "s.json",
            "--operator",
            "alice",
        ],
    );
    begin(&mut first);
    first
        .expect("What happened?")
        .expect("the first run asks at `one`, holding the lock");
    let err = ws
        .cmd(["resume", "s.json", "--operator", "bob"])
        .failure(1)
        .stderr();
    assert!(
        err.contains("s.json is in use by alice on ") && err.contains("(pid "),
        "{err}"
    );
    // The first run is not disturbed: interrupted, it stops saved and resumable.
    first.send("\x03").expect("Ctrl-C");
    first
        .expect("resume with: runbook resume s.json")
        .expect("resume command printed");
    assert_eq!(exit_code(first), 3);
    ws.cmd(["resume", "s.json", "--answers", "a.yaml"])
        .success();
}

#[test]
fn a_lock_left_by_a_killed_process_does_not_block() {
    let runbook = "id: hold\ntitle: Hold\nversion: '1'\nsteps:\n  - id: dns\n    title: Wait\n    \
                   kind: wait\n    command: Get-Date\n";
    let ws = Workspace::new()
        .file("hold.yaml", runbook)
        .file("a.yaml", "steps:\n  dns: {wait: 30s}\n")
        .file("done.yaml", "default: done\n");
    let mut first = ws
        .command([
            "run",
            "hold.yaml",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
        ])
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it while it waits inside the `dns` step (state saved, lock held).
    until_started(&ws, "dns");
    first.kill().expect("kill");
    first.wait().expect("reaped");
    ws.cmd(["resume", "s.json", "--answers", "done.yaml"])
        .success();
}

#[test]
fn a_changed_runbook_is_noticed_and_only_used_when_asked() {
    let v1 = "id: chg\ntitle: Change\nversion: '1'\nsteps:\n  - id: one\n    title: One\n    kind: instruction\n  \
              - id: two\n    title: Two\n    kind: instruction\n";
    let v2 = v1
        .replace("title: Two", "title: Two (revised)")
        .replace("version: '1'", "version: '2'");
    let (run, dir) = Test::new()
        .file("chg.yaml", v1)
        .file("a.yaml", "steps:\n  one: done\n")
        .file("all.yaml", "default: done\n")
        .args([
            "run",
            "chg.yaml",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
        ])
        .run();
    run.failure(3);
    dir.write("chg.yaml", &v2);
    dir.write("copy.json", dir.read("s.json"));
    let resume = |file: &str, extra: &[&str]| {
        dir.test()
            .args(["resume", file, "--answers", "all.yaml"])
            .args(extra)
            .go()
            .success()
    };
    let err = resume("s.json", &[]).stderr();
    assert!(
        err.contains(
            "the runbook changed since this run started; continuing with the copy in the state file"
        ),
        "{err}"
    );
    let st = dir.status("s.json");
    assert_eq!(st["runbook"]["version"], "1");
    assert_eq!(events(&st, "runbook-changed").len(), 1);

    resume("copy.json", &["--use-current-runbook"]);
    let st = dir.status("copy.json");
    assert_eq!(st["runbook"]["version"], "2");
    assert_eq!(events(&st, "runbook-switched").len(), 1);
}

#[test]
fn secrets_never_reach_the_state_or_the_report_and_are_asked_again() {
    let rb = "id: sec\ntitle: Secret\nversion: '1'\nparams:\n  - name: token\n    type: string\n    secret: true\n    \
              example: example-token\nsteps:\n  - id: use\n    title: Use\n    kind: check\n    command: Test-It -Token {{ token }}\n  \
              - id: two\n    title: Two\n    kind: instruction\n";
    let (run, dir) = Test::new()
        .file("sec.yaml", rb)
        .file(
            "a.yaml",
            "params:\n  token: Sup3r-Secret-Value\nsteps:\n  use: done\n",
        )
        .file(
            "b.yaml",
            "params:\n  token: Sup3r-Secret-Value\ndefault: done\n",
        )
        .args([
            "run",
            "sec.yaml",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
        ])
        .run();
    run.failure(3);
    let raw = dir.read("s.json");
    assert!(!raw.contains("Sup3r-Secret-Value"), "secret in state");
    assert!(raw.contains("'********'"), "command recorded masked");
    // With answers but without the secret, and without a terminal, resume waits for it.
    dir.write("none.yaml", "default: done\n");
    let err = dir
        .cmd(["resume", "s.json", "--answers", "none.yaml"])
        .failure(3)
        .stderr();
    assert!(err.contains("parameter `token`"), "{err}");
    dir.cmd(["resume", "s.json", "--answers", "b.yaml"])
        .success();
    assert!(
        !dir.read("s.json").contains("Sup3r-Secret-Value"),
        "secret in the state file"
    );
    assert!(
        !dir.path().join("s.json.holder").exists(),
        "no holder file outlives its process"
    );
    let record = dir.record("s.json").to_string();
    assert!(
        !record.contains("Sup3r-Secret-Value"),
        "secret in the report"
    );
}

#[test]
fn the_default_state_path_is_printed_and_used() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(["run", RB, "--example", "--answers", "a.yaml"])
        .run();
    let err = run.success().stderr();
    let name = dir
        .files()
        .into_iter()
        .find(|n| n.starts_with(&format!("{RB}-")) && n.ends_with("Z.state.json"))
        .expect("default state file");
    assert!(err.contains(&format!("state file: {name}")), "{err}");
}

#[test]
fn status_json_has_the_documented_shape() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(scripted_run(RB, "a.yaml"))
        .run();
    run.success();
    let st = dir.status("s.json");
    for key in ["id", "version", "sha256"] {
        assert!(st["runbook"][key].is_string(), "{key}");
    }
    assert!(st["complete"].is_boolean() && st["captured"].is_object() && st["events"].is_array());
    let u = &st["units"][0];
    for key in [
        "id",
        "step",
        "item",
        "status",
        "started_at",
        "finished_at",
        "operator",
        "note",
    ] {
        assert!(u.get(key).is_some(), "unit {key}");
    }
    let item_unit = st["units"]
        .as_array()
        .expect("units")
        .iter()
        .find(|u| u["id"] == "remove-additional-domains[fabrikam.com]")
        .expect("item unit");
    assert_eq!(item_unit["item"], "fabrikam.com");
    assert_eq!(item_unit["step"], "remove-additional-domains");
}

#[test]
fn the_readme_answers_example_is_a_valid_answers_file() {
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).expect("README");
    let answers = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .find(|block| block.starts_with("params:"))
        .expect("an answers example in the README");
    let (run, dir) = Test::new()
        .file("a.yaml", answers)
        .args(scripted_run(RB, "a.yaml"))
        .run();
    // Its `fail:` answer aborts the run at save-configuration-record, after the override.
    run.failure(4);
    let st = dir.status("s.json");
    assert_eq!(events(&st, "gate-overridden").len(), 1);
    assert_eq!(st["captured"]["trust_name"], "Microsoft Federation Gateway");
    assert_eq!(unit_status(&st, "save-configuration-record"), "failed");
}

#[test]
fn a_skip_or_fail_answer_for_a_capture_stops_instead_of_taking_the_example() {
    let rb = "id: cap\ntitle: Capture\nversion: '1'\nsteps:\n  - id: grab\n    title: Grab\n    \
              kind: capture\n    variable: thing\n    type: string\n    example: Thing One\n";
    for answer in ["{fail: disk full}", "{skip: not needed}"] {
        let (run, dir) = Test::new()
            .file("cap.yaml", rb)
            .file(
                "a.yaml",
                format!("default: done\nsteps:\n  grab: {answer}\n"),
            )
            .args([
                "run",
                "cap.yaml",
                "--answers",
                "a.yaml",
                "--state",
                "s.json",
            ])
            .run();
        let err = run.failure(3).stderr();
        assert!(err.contains("waiting for operator input at grab"), "{err}");
        let st = dir.record("s.json");
        assert!(
            st["captured"].get("thing").is_none(),
            "the example was not captured"
        );
    }
}

#[test]
fn without_a_terminal_and_without_answers_nothing_is_created_and_it_says_how_to_answer() {
    let ws = Workspace::new();
    let err = ws
        .cmd(["run", "exchange-federation-trust-rebuild", "--example"])
        .failure(1)
        .stderr();
    assert!(err.contains("stdin is not a terminal"), "{err}");
    assert!(
        err.contains("`runbook run exchange-federation-trust-rebuild --answers FILE`"),
        "{err}"
    );
    assert!(err.contains("--set NAME=VALUE"), "{err}");
    assert_eq!(
        ws.files(),
        Vec::<String>::new(),
        "no state, lock or holder file"
    );
}

#[test]
fn the_change_ticket_is_recorded_in_the_header_and_a_malformed_one_is_refused() {
    let ws = Workspace::new().file("done.yaml", "default: done\n");
    let mut args = scripted_run("exchange-federation-1007-triage", "done.yaml").to_vec();
    args.extend(["--ticket", " CHG0042 "]);
    ws.cmd(args.clone()).success();
    let header: serde_json::Value =
        serde_json::from_str(ws.read("s.json").lines().next().expect("a header"))
            .expect("the header is JSON");
    assert_eq!(header["ticket"], "CHG0042", "{header}");

    for (ticket, says) in [
        (
            "",
            "--ticket is empty; expected the change ticket's id, such as CHG0042",
        ),
        (
            "CHG\u{202E}0042",
            "--ticket contains a bidirectional control character",
        ),
    ] {
        let mut args = scripted_run("exchange-federation-1007-triage", "done.yaml").to_vec();
        args[6] = "t.json";
        args.extend(["--ticket", ticket]);
        let said = ws.cmd(args).failure(1).stderr();
        assert!(said.contains(says), "{said}");
        assert!(!ws.path().join("t.json").exists(), "nothing is written");
    }
}

#[test]
fn a_scripted_run_and_its_resume_append_to_one_transcript() {
    let ws = Workspace::new()
        .file("stop.yaml", "steps:\n  show-time-source: done\n")
        .file("done.yaml", "default: done\n");
    let mut args = scripted_run("exchange-federation-1007-triage", "stop.yaml").to_vec();
    args.extend(["--transcript", "t.txt"]);
    ws.cmd(args).failure(3);
    ws.cmd([
        "resume",
        "s.json",
        "--answers",
        "done.yaml",
        "--transcript",
        "t.txt",
    ])
    .success();
    let t = ws.read("t.txt");
    let starts: Vec<&str> = t.lines().filter(|l| l.starts_with("=== runbook")).collect();
    assert_eq!(starts.len(), 2, "{t}");
    assert!(starts[0].starts_with("=== runbook run exchange-federation-1007-triage by "));
    assert!(starts[1].starts_with("=== runbook resume "));
    assert!(t.contains("? What happened? · passed") || t.contains("? What happened? · done"));
    assert!(
        t.contains("waiting for operator input at"),
        "the stop is kept: {t}"
    );
    assert!(t.contains("=== the run ended ==="), "{t}");
}
