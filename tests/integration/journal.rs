//! The state file as a hash-chained journal: a crash in the middle of an append, an edited,
//! removed or moved line, and a runbook changed inside the record, each as the file really
//! looks after it happened.

use crate::support::fixtures::{TINY, stopped_after_the_first_step};
use crate::support::record::events;
use crate::support::{Test, Workspace};

fn lines(ws: &Workspace) -> Vec<String> {
    ws.read("s.json").lines().map(str::to_owned).collect()
}

fn write_lines(ws: &Workspace, lines: &[String]) {
    ws.write("s.json", format!("{}\n", lines.join("\n")));
}

#[test]
fn a_record_cut_at_every_byte_of_its_last_line_resumes_from_the_line_before() {
    let whole = stopped_after_the_first_step().read("s.json").into_bytes();
    let body = &whole[..whole.len() - 1];
    let last_start = body.iter().rposition(|&b| b == b'\n').expect("two lines") + 1;
    for cut in last_start + 1..whole.len() {
        let work = Workspace::new()
            .file("tiny.yaml", TINY)
            .file("a.yaml", "default: done\n")
            .file("s.json", &whole[..cut]);
        let shown = work.cmd(["status", "s.json"]).success().stdout();
        assert!(
            shown.contains("an incomplete last line") && shown.contains("was left out"),
            "cut {cut}: {shown}"
        );
        let err = work
            .cmd(["resume", "s.json", "--answers", "a.yaml"])
            .success()
            .stderr();
        assert!(
            err.contains("the last line of the record was incomplete"),
            "cut {cut}: {err}"
        );
        let st = work.record("s.json");
        assert_eq!(st["intact"], true, "cut {cut}: {}", st["integrity"]);
        assert_eq!(st["complete"], true, "cut {cut}");
    }
}

/// Resume refuses the damaged record, naming the line, and leaves it as it was; status still
/// shows it up to the break.
fn refused_at(ws: &Workspace, line: usize) {
    let before = ws.read("s.json");
    let err = ws
        .cmd(["resume", "s.json", "--answers", "a.yaml"])
        .failure(1)
        .stderr();
    assert!(
        err.contains(&format!("the record's chain breaks at line {line}:")),
        "{err}"
    );
    assert!(err.contains("the file was not changed"), "{err}");
    assert_eq!(ws.read("s.json"), before);
    let shown = ws.cmd(["status", "s.json"]).success().stdout();
    assert!(
        shown.contains(&format!(
            "record NOT intact: the chain breaks at line {line}"
        )),
        "{shown}"
    );
    let report = ws.report("s.json");
    assert!(
        report.contains(&format!("the chain breaks at line {line}")),
        "{report}"
    );
}

#[test]
fn an_event_edited_in_the_middle_is_refused_for_resume_and_shown_up_to_the_edit() {
    let ws = stopped_after_the_first_step();
    let mut l = lines(&ws);
    let i = l
        .iter()
        .position(|x| x.contains("\"event\":\"done\",\"unit\":\"one\""))
        .expect("the done line");
    assert!(i + 1 < l.len(), "not the last line");
    l[i] = l[i].replace("\"operator\":\"", "\"operator\":\"mallory-");
    write_lines(&ws, &l);
    refused_at(&ws, i + 2);
}

#[test]
fn a_removed_line_is_refused_for_resume() {
    let ws = stopped_after_the_first_step();
    let mut l = lines(&ws);
    let i = l
        .iter()
        .position(|x| x.contains("\"event\":\"started\""))
        .expect("a started line");
    l.remove(i);
    write_lines(&ws, &l);
    refused_at(&ws, i + 1);
}

#[test]
fn two_lines_swapped_are_refused_for_resume() {
    let ws = stopped_after_the_first_step();
    let mut l = lines(&ws);
    l.swap(2, 3);
    write_lines(&ws, &l);
    refused_at(&ws, 3);
}

/// The run's header line, with the embedded runbook text changed by `edit` (and its sha256
/// made to match when `rehash`), then every line's `prev` recomputed: a consistent file, as a
/// careful forger would make it.
fn forge(ws: &Workspace, edit: impl Fn(&str) -> String, rehash: bool) {
    let mut l = lines(ws);
    let mut header: serde_json::Value = serde_json::from_str(&l[0]).expect("header");
    let source = edit(header["runbook"]["source"].as_str().expect("source"));
    if rehash {
        header["runbook"]["sha256"] = runbook::testing::sha256_hex(&source).into();
    }
    header["runbook"]["source"] = source.into();
    l[0] = serde_json::to_string(&header).expect("json");
    for i in 1..l.len() {
        let mut e: serde_json::Value = serde_json::from_str(&l[i]).expect("entry");
        e["prev"] = runbook::testing::sha256_hex(&l[i - 1]).into();
        l[i] = serde_json::to_string(&e).expect("json");
    }
    write_lines(ws, &l);
}

/// A shipped runbook's run, stopped after its first step.
fn shipped_stopped_after_the_first_step() -> Workspace {
    let (run, ws) = Test::new()
        .file("first.yaml", "steps:\n  show-time-source: done\n")
        .file("a.yaml", "default: done\n")
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
    ws
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
    let ws = shipped_stopped_after_the_first_step();
    forge(&ws, insert_stop_computer, true);
    assert_eq!(ws.record("s.json")["intact"], true, "a consistent forgery");
    let before = ws.read("s.json");
    for extra in [
        &[][..],
        &["--exec", "--shell-dialect", "posix", "--shell", "sh"][..],
    ] {
        let mut args = vec!["resume", "s.json", "--answers", "a.yaml"];
        args.extend_from_slice(extra);
        let err = ws.cmd(&args).failure(1).stderr();
        assert!(
            err.contains("the runbook in this record differs from `runbooks/exchange-federation-1007-triage.yaml` although both are `exchange-federation-1007-triage`"),
            "{err}"
        );
        assert!(
            err.contains("+ ") && err.contains("Stop-Computer -Force; "),
            "{err}"
        );
        assert!(err.contains("--accept-modified-runbook"), "{err}");
        assert_eq!(ws.read("s.json"), before, "nothing recorded");
    }
    let err = ws
        .cmd([
            "resume",
            "s.json",
            "--answers",
            "a.yaml",
            "--accept-modified-runbook",
        ])
        .success()
        .stderr();
    assert!(
        err.contains("going on with the record's copy as asked"),
        "{err}"
    );
    let st = ws.record("s.json");
    assert!(
        !events(&st, "modified-runbook-accepted").is_empty(),
        "recorded"
    );
}

#[test]
fn an_embedded_runbook_edited_without_its_hash_is_refused_by_name() {
    let ws = shipped_stopped_after_the_first_step();
    forge(&ws, insert_stop_computer, false);
    let err = ws
        .cmd(["resume", "s.json", "--answers", "a.yaml"])
        .failure(1)
        .stderr();
    assert!(
        err.contains("the runbook text of `exchange-federation-1007-triage` no longer matches its recorded sha256"),
        "{err}"
    );
    let shown = ws.cmd(["status", "s.json"]).stdout();
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
    let ws = stopped_after_the_first_step();
    ws.cmd(["resume", "s.json", "--answers", "a.yaml"])
        .success();
    let l = lines(&ws);
    for (i, pair) in l.windows(2).enumerate() {
        let e: serde_json::Value = serde_json::from_str(&pair[1]).expect("entry");
        assert_eq!(e["seq"], i + 1);
        assert_eq!(e["prev"], runbook::testing::sha256_hex(&pair[0]));
    }
    assert_eq!(ws.done_units("s.json"), ["one", "two", "three"]);
    let status = ws.cmd(["status", "s.json"]).stdout();
    assert!(
        status.contains(&format!(
            "record intact: {} events, chain verified",
            l.len() - 1
        )),
        "{status}"
    );
}
