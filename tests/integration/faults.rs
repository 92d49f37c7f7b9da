//! Faults under a run: a full disk, a read-only folder, the state file deleted or replaced, a
//! clock behind the record. Each time the run stops with a clear message, the last good state
//! stays intact and resumable, and nothing already recorded is lost.

#[cfg(unix)]
use std::path::Path;
#[cfg(unix)]
use std::process::Command;

use crate::support::fixtures::stopped_after_the_first_step;
use crate::support::record::events;
use crate::support::{Workspace, has_extension, scripted_run};

fn temps_left(ws: &Workspace) -> Vec<String> {
    let mut names = ws.files();
    names.retain(|n| has_extension(n, "tmp"));
    names
}

fn resume_to_the_end(ws: &Workspace, state: &str) {
    ws.cmd(["resume", state, "--answers", "a.yaml"]).success();
    assert_eq!(ws.status(state)["complete"], true);
}

#[test]
fn a_disk_that_fills_or_turns_read_only_mid_run_stops_it_and_the_saved_state_resumes() {
    for (kind, says) in [
        (
            "full",
            if cfg!(unix) {
                "No space left on device"
            } else {
                ""
            },
        ),
        ("readonly", "permission denied"),
    ] {
        let ws = Workspace::new().file("a.yaml", "default: done\n");
        let err = ws
            .test()
            .args(scripted_run("exchange-federation-trust-rebuild", "a.yaml"))
            .env("RUNBOOK_FAILPOINTS", format!("store-write={kind}@12"))
            .go()
            .failure(1)
            .stderr();
        assert!(
            err.contains("cannot save s.json: ") && err.contains(says),
            "{err}"
        );
        assert!(
            err.contains("only this last change was not recorded"),
            "{err}"
        );
        assert!(err.contains("resume with: runbook resume s.json"), "{err}");
        assert!(temps_left(&ws).is_empty(), "{kind}: temp files left");
        let before = ws.done_units("s.json");
        assert!(
            !before.is_empty(),
            "{kind}: eleven saves record finished steps"
        );
        resume_to_the_end(&ws, "s.json");
        let after = ws.done_units("s.json");
        assert!(
            before.iter().all(|u| after.contains(u)),
            "{kind}: lost units"
        );
    }
}

/// Makes a folder read-only for this process, even as root (where mode bits do not bind):
/// mode 0555 first, and the immutable attribute when a probe write still succeeds.
#[cfg(unix)]
struct ReadOnly<'a> {
    /// A folder or a file.
    dir: &'a Path,
    immutable: bool,
}

#[cfg(unix)]
impl<'a> ReadOnly<'a> {
    fn make(dir: &'a Path) -> ReadOnly<'a> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        let probe = if dir.is_dir() {
            dir.join("probe")
        } else {
            dir.to_owned()
        };
        let writable = || {
            std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&probe)
                .is_ok()
        };
        let immutable = writable();
        if immutable {
            if dir.is_dir() {
                std::fs::remove_file(&probe).expect("remove probe");
            }
            let ok = Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "running as root: `chattr +i` is needed to make a folder read-only"
            );
        }
        assert!(!writable(), "still writable");
        ReadOnly { dir, immutable }
    }
}

#[cfg(unix)]
impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(self.dir).status();
        }
        let mode = if self.dir.is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(mode));
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_state_folder_does_not_stop_a_run_that_appends_to_its_file() {
    // A record is only appended to once it exists: the folder's permissions no longer matter.
    let ws = stopped_after_the_first_step();
    {
        let _ro = ReadOnly::make(ws.path());
        ws.cmd(["resume", "s.json", "--answers", "a.yaml"])
            .success();
    }
    assert_eq!(ws.done_units("s.json").len(), 3);
}

#[cfg(unix)]
#[test]
fn a_read_only_state_file_is_refused_before_anything_is_recorded() {
    let ws = stopped_after_the_first_step();
    let saved = ws.read("s.json");
    let file = ws.path().join("s.json");
    {
        let _ro = ReadOnly::make(&file);
        let err = ws
            .cmd(["resume", "s.json", "--answers", "a.yaml"])
            .failure(1)
            .stderr();
        assert!(err.contains("s.json: "), "{err}");
        assert_eq!(ws.read("s.json"), saved, "untouched");
    }
    resume_to_the_end(&ws, "s.json");
    assert_eq!(ws.done_units("s.json").len(), 3);
}

/// A run stopped after its first step, then its newest event moved `ahead` seconds into the
/// future, as if recorded on a machine whose clock runs ahead of this one.
fn stopped_run_recorded_ahead(ahead: i64) -> (Workspace, String) {
    let ws = stopped_after_the_first_step();
    let text = ws.read("s.json");
    let (before, last) = text
        .trim_end()
        .rsplit_once('\n')
        .expect("a header and events");
    let mut last: serde_json::Value = serde_json::from_str(last).expect("json");
    let at = (chrono::Utc::now() + chrono::Duration::seconds(ahead))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    // The newest line is not chained to by any other yet: its time can differ unnoticed, as
    // when it was written by a machine whose clock runs ahead.
    last["at"] = serde_json::Value::String(at);
    let text = format!("{before}\n{last}\n");
    ws.write("s.json", &text);
    (ws, text)
}

#[test]
fn a_clock_far_behind_the_record_stops_the_resume_before_anything_is_saved() {
    let (ws, text) = stopped_run_recorded_ahead(3600);
    let err = ws
        .cmd(["resume", "s.json", "--answers", "a.yaml"])
        .failure(1)
        .stderr();
    assert!(
        err.contains("this machine's clock is 59m") || err.contains("this machine's clock is 1h"),
        "{err}"
    );
    assert!(err.contains("behind the newest recorded event"), "{err}");
    assert!(
        err.contains("runbook resume s.json --accept-clock-skew"),
        "{err}"
    );
    assert_eq!(ws.read("s.json"), text);

    ws.cmd([
        "resume",
        "s.json",
        "--answers",
        "a.yaml",
        "--accept-clock-skew",
    ])
    .success();
    let st = ws.status("s.json");
    assert_eq!(st["complete"], true);
    let skew = *events(&st, "clock-behind")
        .first()
        .expect("the skew is recorded");
    assert!(skew["detail"].as_str().expect("detail").contains("behind"));
}

#[test]
fn a_clock_slightly_behind_is_recorded_and_the_run_goes_on() {
    let (ws, _) = stopped_run_recorded_ahead(90);
    let err = ws
        .cmd(["resume", "s.json", "--answers", "a.yaml"])
        .success()
        .stderr();
    assert!(err.contains("behind the newest recorded event"), "{err}");
    let st = ws.status("s.json");
    assert_eq!(st["complete"], true);
    assert!(!events(&st, "clock-behind").is_empty());
}

/// Mid-run faults at a real prompt: the state is saved, the operator is deciding, and the
/// file or its folder changes under the run.
#[cfg(unix)]
mod at_a_prompt {
    use super::*;
    use crate::terminal::{RUNBOOK, begin, exit_code, spawn_pty_run};
    use expectrl::Expect;

    fn at_first_prompt(ws: &Workspace) -> expectrl::session::OsSession {
        let mut s = spawn_pty_run(ws);
        begin(&mut s);
        s.expect("What happened?").expect("first step's outcome");
        s
    }

    fn pty_workspace() -> Workspace {
        Workspace::new()
            .file("pty.yaml", RUNBOOK)
            .file("a.yaml", "default: done\n")
    }

    /// Whether `unit` is done in the record `state`.
    fn done(ws: &Workspace, state: &str, unit: &str) -> bool {
        ws.done_units(state).iter().any(|u| u == unit)
    }

    #[test]
    fn a_deleted_state_file_is_written_back_with_everything_recorded() {
        let ws = pty_workspace();
        let mut s = at_first_prompt(&ws);
        std::fs::remove_file(ws.path().join("s.json")).expect("delete");
        s.send("\r").expect("passed");
        s.expect("was deleted while this run was using it")
            .expect("said");
        s.expect("resume with: runbook resume s.json")
            .expect("resume command");
        assert_eq!(exit_code(s), 1);
        assert!(
            done(&ws, "s.json", "look"),
            "the answer given after the delete is kept"
        );
        resume_to_the_end(&ws, "s.json");
    }

    #[test]
    fn a_replaced_state_file_is_left_alone_and_the_run_is_saved_beside_it() {
        let ws = pty_workspace();
        let mut s = at_first_prompt(&ws);
        // Another program's copy: the same record, one event shorter.
        let ours = ws.read("s.json");
        let cut = ours.trim_end().rfind('\n').expect("a header and events");
        let theirs = &ours[..=cut];
        ws.write("s.json", theirs);
        s.send("\r").expect("passed");
        s.expect("was changed by another program while this run was using it")
            .expect("said");
        s.expect("compare the two").expect("what to do");
        assert_eq!(exit_code(s), 1);
        assert_eq!(ws.read("s.json"), theirs, "left alone");
        let copy = ws
            .files()
            .into_iter()
            .find(|n| n.starts_with("s.json.conflict-") && has_extension(n, "json"))
            .expect("this run's record saved beside it");
        assert!(done(&ws, &copy, "look"), "nothing recorded lost");
        resume_to_the_end(&ws, &copy);
    }

    #[test]
    fn a_folder_turned_read_only_at_a_prompt_does_not_stop_the_run() {
        let ws = pty_workspace();
        let mut s = at_first_prompt(&ws);
        {
            let _ro = ReadOnly::make(ws.path());
            s.send("\r").expect("passed");
            s.expect("What happened?").expect("the next step is asked");
        }
        drop(s);
        assert!(done(&ws, "s.json", "look"), "the answer is kept");
    }
}
