//! The state file as a hash-chained journal: a crash in the middle of an append, an edited,
//! removed or moved line, and a runbook changed inside the record, each as the file really
//! looks after it happened.

use std::path::Path;

use crate::support::{Test, record, run_in};

const TINY: &str = "id: tiny\ntitle: Three steps\nversion: '1'\nsteps:\n  \
    - id: one\n    title: One\n    kind: instruction\n  \
    - id: two\n    title: Two\n    kind: instruction\n  \
    - id: three\n    title: Three\n    kind: instruction\n";

/// The tiny runbook stopped after its first step (exit 3), with `all.yaml` to finish it.
fn stopped() -> (Test, tempfile::TempDir) {
    let (run, dir) = Test::new()
        .file("tiny.yaml", TINY)
        .file("first.yaml", "steps:\n  one: done\n")
        .file("all.yaml", "default: done\n")
        .args([
            "run",
            "tiny.yaml",
            "--answers",
            "first.yaml",
            "--state",
            "s.json",
        ])
        .run();
    run.failure(3);
    (Test::new(), dir)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("s.json"))
        .expect("state")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(dir: &Path, lines: &[String]) {
    std::fs::write(dir.join("s.json"), format!("{}\n", lines.join("\n"))).expect("write");
}

fn done_units(dir: &Path) -> Vec<String> {
    record(dir, "s.json")["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["status"] == "done")
        .map(|u| u["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn a_record_cut_at_every_byte_of_its_last_line_resumes_from_the_line_before() {
    let (_t, dir) = stopped();
    let whole = std::fs::read(dir.path().join("s.json")).expect("state");
    let body = &whole[..whole.len() - 1];
    let last_start = body.iter().rposition(|&b| b == b'\n').expect("two lines") + 1;
    for cut in last_start + 1..whole.len() {
        let work = tempfile::tempdir().expect("temp");
        std::fs::write(work.path().join("tiny.yaml"), TINY).expect("runbook");
        std::fs::write(work.path().join("all.yaml"), "default: done\n").expect("answers");
        std::fs::write(work.path().join("s.json"), &whole[..cut]).expect("cut");
        let status = run_in(work.path(), &["status", "s.json"]);
        let shown = text(&status.stdout);
        assert!(
            status.status.success(),
            "cut {cut}: {}",
            text(&status.stderr)
        );
        assert!(
            shown.contains("an incomplete last line") && shown.contains("was left out"),
            "cut {cut}: {shown}"
        );
        let out = run_in(work.path(), &["resume", "s.json", "--answers", "all.yaml"]);
        let err = text(&out.stderr);
        assert!(out.status.success(), "cut {cut}: {err}");
        assert!(
            err.contains("the last line of the record was incomplete"),
            "{err}"
        );
        let st = record(work.path(), "s.json");
        assert_eq!(st["intact"], true, "cut {cut}: {}", st["integrity"]);
        assert_eq!(st["complete"], true, "cut {cut}");
    }
}

/// Resume refuses the damaged record, naming the line, and leaves it as it was; status still
/// shows it up to the break.
fn refused_at(dir: &Path, line: usize) {
    let before = std::fs::read(dir.join("s.json")).expect("state");
    let out = run_in(dir, &["resume", "s.json", "--answers", "all.yaml"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("the record's chain breaks at line {line}:")),
        "{err}"
    );
    assert!(err.contains("the file was not changed"), "{err}");
    assert_eq!(std::fs::read(dir.join("s.json")).expect("state"), before);
    let status = run_in(dir, &["status", "s.json"]);
    assert!(status.status.success(), "{}", text(&status.stderr));
    let shown = text(&status.stdout);
    assert!(
        shown.contains(&format!(
            "record NOT intact: the chain breaks at line {line}"
        )),
        "{shown}"
    );
    let report = run_in(dir, &["report", "s.json"]);
    assert!(
        text(&report.stdout).contains(&format!("the chain breaks at line {line}")),
        "{}",
        text(&report.stdout)
    );
}

#[test]
fn an_event_edited_in_the_middle_is_refused_for_resume_and_shown_up_to_the_edit() {
    let (_t, dir) = stopped();
    let mut l = lines(dir.path());
    let i = l
        .iter()
        .position(|x| x.contains("\"event\":\"done\",\"unit\":\"one\""))
        .expect("the done line");
    assert!(i + 1 < l.len(), "not the last line");
    l[i] = l[i].replace("\"operator\":\"", "\"operator\":\"mallory-");
    write_lines(dir.path(), &l);
    refused_at(dir.path(), i + 2);
}

#[test]
fn a_removed_line_is_refused_for_resume() {
    let (_t, dir) = stopped();
    let mut l = lines(dir.path());
    let i = l
        .iter()
        .position(|x| x.contains("\"event\":\"started\""))
        .expect("a started line");
    l.remove(i);
    write_lines(dir.path(), &l);
    refused_at(dir.path(), i + 1);
}

#[test]
fn two_lines_swapped_are_refused_for_resume() {
    let (_t, dir) = stopped();
    let mut l = lines(dir.path());
    l.swap(2, 3);
    write_lines(dir.path(), &l);
    refused_at(dir.path(), 3);
}

/// The run's header line, with the embedded runbook text changed by `edit` (and its sha256
/// made to match when `rehash`), then every line's `prev` recomputed: a consistent file, as a
/// careful forger would make it.
fn forge(dir: &Path, edit: impl Fn(&str) -> String, rehash: bool) {
    let mut l = lines(dir);
    let mut header: serde_json::Value = serde_json::from_str(&l[0]).expect("header");
    let source = edit(header["runbook"]["source"].as_str().expect("source"));
    if rehash {
        header["runbook"]["sha256"] = runbook::runbook::sha256_hex(&source).into();
    }
    header["runbook"]["source"] = source.into();
    l[0] = serde_json::to_string(&header).expect("json");
    for i in 1..l.len() {
        let mut e: serde_json::Value = serde_json::from_str(&l[i]).expect("entry");
        e["prev"] = runbook::runbook::sha256_hex(&l[i - 1]).into();
        l[i] = serde_json::to_string(&e).expect("json");
    }
    write_lines(dir, &l);
}

/// A shipped runbook's run, stopped after its first step.
fn shipped_stopped() -> tempfile::TempDir {
    let (run, dir) = Test::new()
        .file("first.yaml", "steps:\n  show-time-source: done\n")
        .file("all.yaml", "default: done\n")
        .args([
            "run",
            "exchange-federation-1007-triage",
            "--example",
            "--answers",
            "first.yaml",
            "--state",
            "s.json",
        ])
        .run();
    run.failure(3);
    dir
}

fn insert_stop_computer(source: &str) -> String {
    // Before the first line of the second command block: a step the operator has not seen yet.
    let mut starts = source.match_indices("command: |").map(|(i, _)| i);
    let block = starts.nth(1).expect("two command blocks");
    let line = block + source[block..].find('\n').expect("newline") + 1;
    let indent = source[line..].len() - source[line..].trim_start().len();
    format!(
        "{}Stop-Computer -Force; {}",
        &source[..line + indent],
        &source[line + indent..]
    )
}

#[test]
fn an_embedded_runbook_edited_with_its_hash_is_shown_and_refused_unless_accepted() {
    let dir = shipped_stopped();
    forge(dir.path(), insert_stop_computer, true);
    assert_eq!(
        record(dir.path(), "s.json")["intact"],
        true,
        "a consistent forgery"
    );
    let before = std::fs::read(dir.path().join("s.json")).expect("state");
    for extra in [
        &[][..],
        &["--exec", "--shell-dialect", "posix", "--shell", "sh"][..],
    ] {
        let mut args = vec!["resume", "s.json", "--answers", "all.yaml"];
        args.extend_from_slice(extra);
        let out = run_in(dir.path(), &args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{extra:?}: {err}");
        assert!(
            err.contains("the runbook in this record differs from `runbooks/exchange-federation-1007-triage.yaml` although both are `exchange-federation-1007-triage`"),
            "{err}"
        );
        assert!(
            err.contains("+ ") && err.contains("Stop-Computer -Force; "),
            "{err}"
        );
        assert!(err.contains("--accept-modified-runbook"), "{err}");
        assert_eq!(
            std::fs::read(dir.path().join("s.json")).expect("state"),
            before,
            "nothing recorded"
        );
    }
    let out = run_in(
        dir.path(),
        &[
            "resume",
            "s.json",
            "--answers",
            "all.yaml",
            "--accept-modified-runbook",
        ],
    );
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("going on with the record's copy as asked"),
        "{err}"
    );
    let st = record(dir.path(), "s.json");
    assert!(
        st["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["event"] == "modified-runbook-accepted"),
        "recorded"
    );
}

#[test]
fn an_embedded_runbook_edited_without_its_hash_is_refused_by_name() {
    let dir = shipped_stopped();
    forge(dir.path(), insert_stop_computer, false);
    let out = run_in(dir.path(), &["resume", "s.json", "--answers", "all.yaml"]);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the runbook text of `exchange-federation-1007-triage` no longer matches its recorded sha256"),
        "{err}"
    );
    let shown = text(&run_in(dir.path(), &["status", "s.json"]).stdout);
    assert!(shown.contains("record NOT intact"), "{shown}");
}

#[test]
fn a_format_1_state_file_is_refused_by_name() {
    let (run, _dir) = Test::new()
        .file(
            "old.json",
            "{\"format\":1,\"runbook\":{\"id\":\"x\"},\"units\":[],\"events\":[]}",
        )
        .args(["resume", "old.json"])
        .run();
    let err = run.failure(1).stderr();
    assert!(err.contains("this is a format 1 state file"), "{err}");
}

#[test]
fn a_run_records_one_line_per_event_each_chained_to_the_one_before() {
    let (_t, dir) = stopped();
    let out = run_in(dir.path(), &["resume", "s.json", "--answers", "all.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let l = lines(dir.path());
    for (i, pair) in l.windows(2).enumerate() {
        let e: serde_json::Value = serde_json::from_str(&pair[1]).expect("entry");
        assert_eq!(e["seq"], i + 1);
        assert_eq!(e["prev"], runbook::runbook::sha256_hex(&pair[0]));
    }
    assert_eq!(done_units(dir.path()), ["one", "two", "three"]);
    let status = text(&run_in(dir.path(), &["status", "s.json"]).stdout);
    assert!(
        status.contains(&format!(
            "record intact: {} events, chain verified",
            l.len() - 1
        )),
        "{status}"
    );
}
