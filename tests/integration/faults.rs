//! Faults under a run: a full disk, a read-only folder, the state file deleted or replaced, a
//! clock behind the record. Each time the run stops with a clear message, the last good state
//! stays intact and resumable, and nothing already recorded is lost.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::Test;

const TINY: &str = "id: tiny\ntitle: Three steps\nversion: '1'\nsteps:\n  \
    - id: one\n    title: One\n    kind: instruction\n  \
    - id: two\n    title: Two\n    kind: instruction\n  \
    - id: three\n    title: Three\n    kind: instruction\n";

fn bin(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("runbook"));
    cmd.current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .env_remove("RUNBOOK_FAILPOINTS");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited, not killed")
}

fn status(dir: &Path, state: &str) -> serde_json::Value {
    let out = bin(dir, &["status", state, "--format", "json"])
        .output()
        .expect("status");
    assert!(
        out.status.success(),
        "{state} must load: {}",
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn done(dir: &Path, state: &str) -> BTreeSet<String> {
    status(dir, state)["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["status"] == "done")
        .map(|u| u["id"].as_str().expect("id").to_owned())
        .collect()
}

fn temps_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

fn resume_to_the_end(dir: &Path, state: &str) {
    let out = bin(dir, &["resume", state, "--answers", "a.yaml"])
        .output()
        .expect("resume");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(status(dir, state)["complete"], true);
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
        let t = Test::new().file("a.yaml", "default: done\n");
        let dir = t.dir_path();
        let out = bin(
            &dir,
            &[
                "run",
                "exchange-federation-trust-rebuild",
                "--example",
                "--answers",
                "a.yaml",
                "--state",
                "s.json",
            ],
        )
        .env("RUNBOOK_FAILPOINTS", format!("store-write={kind}@12"))
        .output()
        .expect("run");
        let err = text(&out.stderr);
        assert_eq!(code(&out), 1, "{kind}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            err.contains("cannot save s.json: ") && err.contains(says),
            "{err}"
        );
        assert!(
            err.contains("only this last change was not recorded"),
            "{err}"
        );
        assert!(err.contains("resume with: runbook resume s.json"), "{err}");
        assert!(temps_left(&dir).is_empty(), "{kind}: temp files left");
        let before = done(&dir, "s.json");
        assert!(
            !before.is_empty(),
            "{kind}: eleven saves record finished steps"
        );
        resume_to_the_end(&dir, "s.json");
        assert!(
            before.is_subset(&done(&dir, "s.json")),
            "{kind}: lost units"
        );
        drop(t);
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

/// The three-step runbook run with answers for its first step only: stopped (exit 3), saved,
/// with `a.yaml` ready to answer the rest.
fn stopped_after_the_first_step() -> Test {
    let t = Test::new()
        .file("tiny.yaml", TINY)
        .file("first.yaml", "steps:\n  one: done\n")
        .file("a.yaml", "default: done\n");
    let out = bin(
        &t.dir_path(),
        &[
            "run",
            "tiny.yaml",
            "--answers",
            "first.yaml",
            "--state",
            "s.json",
        ],
    )
    .output()
    .expect("run");
    assert_eq!(code(&out), 3, "{}", text(&out.stderr));
    t
}

#[cfg(unix)]
#[test]
fn a_read_only_state_folder_does_not_stop_a_run_that_appends_to_its_file() {
    // A record is only appended to once it exists: the folder's permissions no longer matter.
    let t = stopped_after_the_first_step();
    let dir = t.dir_path();
    {
        let _ro = ReadOnly::make(&dir);
        let out = bin(&dir, &["resume", "s.json", "--answers", "a.yaml"])
            .output()
            .expect("resume");
        assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    }
    assert_eq!(done(&dir, "s.json").len(), 3);
    drop(t);
}

#[cfg(unix)]
#[test]
fn a_read_only_state_file_is_refused_before_anything_is_recorded() {
    let t = stopped_after_the_first_step();
    let dir = t.dir_path();
    let saved = std::fs::read(dir.join("s.json")).expect("state");
    let file = dir.join("s.json");
    {
        let _ro = ReadOnly::make(&file);
        let out = bin(&dir, &["resume", "s.json", "--answers", "a.yaml"])
            .output()
            .expect("resume");
        let err = text(&out.stderr);
        assert_eq!(code(&out), 1, "{err}");
        assert!(err.contains("s.json: "), "{err}");
        assert_eq!(
            std::fs::read(dir.join("s.json")).expect("state"),
            saved,
            "untouched"
        );
    }
    resume_to_the_end(&dir, "s.json");
    assert_eq!(done(&dir, "s.json").len(), 3);
    drop(t);
}

/// A run stopped after its first step, then its newest event moved `ahead` seconds into the
/// future, as if recorded on a machine whose clock runs ahead of this one.
fn stopped_run_recorded_ahead(ahead: i64) -> (Test, Vec<u8>) {
    let t = stopped_after_the_first_step();
    let dir = t.dir_path();
    let path = dir.join("s.json");
    let text = std::fs::read_to_string(&path).expect("state");
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
    let bytes = format!("{before}\n{last}\n").into_bytes();
    std::fs::write(&path, &bytes).expect("write");
    (t, bytes)
}

#[test]
fn a_clock_far_behind_the_record_stops_the_resume_before_anything_is_saved() {
    let (t, bytes) = stopped_run_recorded_ahead(3600);
    let dir = t.dir_path();
    let out = bin(&dir, &["resume", "s.json", "--answers", "a.yaml"])
        .output()
        .expect("resume");
    let err = text(&out.stderr);
    assert_eq!(code(&out), 1, "{err}");
    assert!(
        err.contains("this machine's clock is 59m") || err.contains("this machine's clock is 1h"),
        "{err}"
    );
    assert!(err.contains("behind the newest recorded event"), "{err}");
    assert!(
        err.contains("runbook resume s.json --accept-clock-skew"),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("s.json")).expect("state"), bytes);

    let out = bin(
        &dir,
        &[
            "resume",
            "s.json",
            "--answers",
            "a.yaml",
            "--accept-clock-skew",
        ],
    )
    .output()
    .expect("resume");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let st = status(&dir, "s.json");
    assert_eq!(st["complete"], true);
    let skew = st["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["event"] == "clock-behind")
        .expect("the skew is recorded");
    assert!(skew["detail"].as_str().expect("detail").contains("behind"));
    drop(t);
}

#[test]
fn a_clock_slightly_behind_is_recorded_and_the_run_goes_on() {
    let (t, _) = stopped_run_recorded_ahead(90);
    let dir = t.dir_path();
    let out = bin(&dir, &["resume", "s.json", "--answers", "a.yaml"])
        .output()
        .expect("resume");
    let err = text(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("behind the newest recorded event"), "{err}");
    let st = status(&dir, "s.json");
    assert_eq!(st["complete"], true);
    assert!(
        st["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["event"] == "clock-behind")
    );
    drop(t);
}

/// Mid-run faults at a real prompt: the state is saved, the operator is deciding, and the
/// file or its folder changes under the run.
#[cfg(unix)]
mod at_a_prompt {
    use super::*;
    use crate::terminal::{RUNBOOK, exit_code, spawn};
    use expectrl::Expect;

    fn at_first_prompt(t: &Test) -> expectrl::session::OsSession {
        let mut s = spawn(
            &t.dir_path(),
            &[
                "run",
                "pty.yaml",
                "--set",
                "domain=contoso.com",
                "--state",
                "s.json",
            ],
        );
        s.expect("What happened?").expect("first step's outcome");
        s
    }

    fn pty_test() -> Test {
        Test::new()
            .file("pty.yaml", RUNBOOK)
            .file("a.yaml", "default: done\n")
    }

    #[test]
    fn a_deleted_state_file_is_written_back_with_everything_recorded() {
        let t = pty_test();
        let dir = t.dir_path();
        let mut s = at_first_prompt(&t);
        std::fs::remove_file(dir.join("s.json")).expect("delete");
        s.send("\r").expect("passed");
        s.expect("was deleted while this run was using it")
            .expect("said");
        s.expect("resume with: runbook resume s.json")
            .expect("resume command");
        assert_eq!(exit_code(s), 1);
        assert!(
            done(&dir, "s.json").contains("look"),
            "the answer given after the delete is kept"
        );
        resume_to_the_end(&dir, "s.json");
        drop(t);
    }

    #[test]
    fn a_replaced_state_file_is_left_alone_and_the_run_is_saved_beside_it() {
        let t = pty_test();
        let dir = t.dir_path();
        let mut s = at_first_prompt(&t);
        let path = dir.join("s.json");
        // Another program's copy: the same record, one event shorter.
        let ours = std::fs::read_to_string(&path).expect("state");
        let cut = ours.trim_end().rfind('\n').expect("a header and events");
        let theirs = ours.as_bytes()[..=cut].to_vec();
        std::fs::write(&path, &theirs).expect("replace");
        s.send("\r").expect("passed");
        s.expect("was changed by another program while this run was using it")
            .expect("said");
        s.expect("compare the two").expect("what to do");
        assert_eq!(exit_code(s), 1);
        assert_eq!(std::fs::read(&path).expect("state"), theirs, "left alone");
        let copy = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .find(|n| n.starts_with("s.json.conflict-") && n.ends_with(".json"))
            .expect("this run's record saved beside it");
        assert!(done(&dir, &copy).contains("look"), "nothing recorded lost");
        resume_to_the_end(&dir, &copy);
        drop(t);
    }

    #[test]
    fn a_folder_turned_read_only_at_a_prompt_does_not_stop_the_run() {
        let t = pty_test();
        let dir = t.dir_path();
        let mut s = at_first_prompt(&t);
        {
            let _ro = ReadOnly::make(&dir);
            s.send("\r").expect("passed");
            s.expect("What happened?").expect("the next step is asked");
        }
        drop(s);
        assert!(done(&dir, "s.json").contains("look"), "the answer is kept");
        drop(t);
    }
}
