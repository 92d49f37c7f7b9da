//! A hand-over cannot fork the run (issue 13, part 4): `runbook handover` closes the original
//! and the run goes on from the copy; a plain copy resumed elsewhere says who wrote it last and
//! where, and is recorded as moved.

use crate::support::Workspace;

/// Two steps: the run stops after the first, as an operator going off shift leaves it.
const RUNBOOK: &str = "id: shift\ntitle: Rotate a certificate\nversion: '1'\nparams:\n  - name: domain\n    \
    type: domain\n    example: contoso.com\nsteps:\n  - id: look\n    title: Look at the trust\n    \
    kind: check\n    command: Get-FederationTrust\n  - id: finish\n    title: Finish\n    kind: instruction\n";

/// A run stopped by its answers after the first step, in `ws`.
fn stopped_run() -> Workspace {
    let ws = Workspace::new()
        .file("shift.yaml", RUNBOOK)
        .file("first.yaml", "steps:\n  look: done\n")
        .file("done.yaml", "default: done\n")
        .file("share/.keep", "")
        .file("other/.keep", "");
    ws.cmd([
        "run",
        "shift.yaml",
        "--example",
        "--answers",
        "first.yaml",
        "--state",
        "s.json",
        "--operator",
        "alice",
    ])
    .failure(3);
    ws
}

fn event_names(ws: &Workspace, state: &str) -> Vec<String> {
    ws.status(state)["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["event"].as_str().expect("name").to_owned())
        .collect()
}

#[test]
fn a_handed_over_run_goes_on_from_the_copy_and_the_original_is_closed() {
    let ws = stopped_run();
    let said = ws
        .cmd([
            "handover",
            "s.json",
            "share/s.json",
            "--to",
            "Bob Jones",
            "--operator",
            "alice",
        ])
        .success()
        .stdout();
    assert!(said.contains("handed over to Bob Jones"), "{said}");
    assert!(
        said.contains("runbook resume share/s.json --operator 'Bob Jones'"),
        "the recipient's resume command: {said}"
    );
    // The original is closed for resume, and says where the run went; status still reads it.
    let before = ws.read("s.json");
    let err = ws
        .cmd(["resume", "s.json", "--answers", "done.yaml"])
        .failure(1)
        .stderr();
    assert!(
        err.contains("this run was handed over to Bob Jones"),
        "{err}"
    );
    assert!(err.contains("share/s.json"), "names the copy: {err}");
    assert_eq!(ws.read("s.json"), before, "nothing recorded");
    ws.cmd(["status", "s.json"]).success();
    assert_eq!(
        event_names(&ws, "s.json").last().map(String::as_str),
        Some("handed-over")
    );
    // A second hand-over of the closed original is refused: one live record only.
    ws.cmd(["handover", "s.json", "other/s.json", "--to", "Carol"])
        .failure(1);
    // Bob goes on from the copy on his own machine: no warning about a moved file (a copy
    // handed over is meant to be taken up elsewhere), and the record says it all.
    let run = ws
        .test()
        .host("bobs-pc")
        .args([
            "resume",
            "share/s.json",
            "--operator",
            "Bob Jones",
            "--answers",
            "done.yaml",
        ])
        .go()
        .success();
    assert!(
        !run.stderr().contains("last written by"),
        "{}",
        run.stderr()
    );
    let names = event_names(&ws, "share/s.json");
    let pos = |n: &str| names.iter().position(|e| e == n).unwrap_or(usize::MAX);
    assert!(pos("handed-over") < pos("received"), "{names:?}");
    assert!(pos("received") < pos("resumed"), "{names:?}");
    assert!(!names.contains(&"moved".to_owned()), "{names:?}");
    assert_eq!(ws.status("share/s.json")["complete"], true);
    let report = ws.report("share/s.json");
    assert!(report.contains("handed-over"), "{report}");
    assert!(report.contains("to Bob Jones"), "{report}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(ws.path().join("share/s.json"))
            .expect("copy")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "a colleague can read the copy");
    }
}

#[test]
fn a_plain_copy_resumed_elsewhere_says_who_wrote_it_last_and_is_recorded_as_moved() {
    let ws = stopped_run();
    std::fs::copy(ws.path().join("s.json"), ws.path().join("other/s.json")).expect("copy");
    let run = ws
        .cmd([
            "resume",
            "other/s.json",
            "--operator",
            "bob",
            "--answers",
            "done.yaml",
        ])
        .success();
    let said = run.stderr();
    assert!(said.contains("last written by alice"), "{said}");
    assert!(said.contains("s.json"), "{said}");
    let names = event_names(&ws, "other/s.json");
    let moved = names
        .iter()
        .position(|e| e == "moved")
        .expect("a moved event");
    assert_eq!(names[moved + 1], "resumed", "{names:?}");
    // Resumed where it was written, nothing is said or recorded.
    let run = ws
        .cmd(["resume", "s.json", "--answers", "done.yaml"])
        .success();
    assert!(
        !run.stderr().contains("last written by"),
        "{}",
        run.stderr()
    );
    assert!(!event_names(&ws, "s.json").contains(&"moved".to_owned()));
}

#[test]
fn a_hand_over_onto_an_existing_file_or_onto_itself_is_refused_and_changes_nothing() {
    let ws = stopped_run();
    ws.write("share/s.json", "someone else's file\n");
    let before = ws.read("s.json");
    let err = ws
        .cmd(["handover", "s.json", "share/s.json", "--to", "Bob"])
        .failure(1)
        .stderr();
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(ws.read("share/s.json"), "someone else's file\n");
    let err = ws
        .cmd(["handover", "s.json", "./s.json", "--to", "Bob"])
        .failure(1)
        .stderr();
    assert!(err.contains("must go somewhere else"), "{err}");
    assert_eq!(ws.read("s.json"), before, "the original is untouched");
}

#[test]
fn a_hand_over_cut_short_after_the_original_was_closed_is_finished_by_handing_over_again() {
    let ws = stopped_run();
    ws.cmd(["handover", "s.json", "share/s.json", "--to", "Bob"])
        .success();
    // As if the process died between closing the original and writing the copy.
    std::fs::remove_file(ws.path().join("share/s.json")).expect("remove the copy");
    ws.cmd(["handover", "s.json", "other/s.json", "--to", "Carol"])
        .failure(1);
    ws.cmd(["handover", "s.json", "share/s.json", "--to", "Bob"])
        .success();
    let names = event_names(&ws, "share/s.json");
    assert_eq!(
        names.iter().filter(|n| *n == "handed-over").count(),
        1,
        "closed once: {names:?}"
    );
    assert_eq!(names.last().map(String::as_str), Some("received"));
    ws.cmd(["resume", "share/s.json", "--answers", "done.yaml"])
        .success();
}
