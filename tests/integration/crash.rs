//! Crash safety: a long scripted run is killed with SIGKILL again and again. Every time the state
//! must load, no unit recorded as done may be lost, and resume must finish the run.
//!
//! CI runs the small scale (15 kills of a 1,000-domain run: appending to the record made a
//! 150-domain run finish before most kills land). For a longer campaign:
//! `RUNBOOK_CRASH_KILLS=500 RUNBOOK_CRASH_DOMAINS=2000 cargo test --test integration crash`.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use crate::support::{Workspace, has_extension};

/// The units recorded done, once the state file exists (it must always load).
fn done_units(ws: &Workspace) -> Option<BTreeSet<String>> {
    ws.path()
        .join("s.json")
        .exists()
        .then(|| ws.done_units("s.json").into_iter().collect())
}

#[test]
fn sigkill_at_many_points_never_loses_a_done_unit() {
    let scale = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let max_kills = scale("RUNBOOK_CRASH_KILLS", 15);
    let domains: Vec<String> = (0..scale("RUNBOOK_CRASH_DOMAINS", 1000))
        .map(|i| format!("d{i}.contoso.com"))
        .collect();
    let mut params = String::from("additional_domains:\n");
    for d in &domains {
        params.push_str(&format!("  - {d}\n"));
    }
    let ws = Workspace::new()
        .file("p.yaml", params)
        .file("a.yaml", "default: done\n");
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut kills = 0;
    let mut finished = false;
    for round in 0..max_kills * 3 {
        let mut cmd = ws.command(Vec::<&str>::new());
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if ws.path().join("s.json").exists() {
            cmd.args(["resume", "s.json", "--answers", "a.yaml"]);
        } else {
            cmd.args([
                "run",
                "exchange-federation-trust-rebuild",
                "--example",
                "--params",
                "p.yaml",
            ])
            .args(["--answers", "a.yaml", "--state", "s.json"]);
        }
        let mut child = cmd.spawn().expect("spawn");
        // Spread the kills over the run: early (creation, planning) and mid-loop points.
        let delay: u64 = [5, 40, 90, 15, 150, 60, 250, 25, 120, 200][round % 10];
        std::thread::sleep(Duration::from_millis(delay));
        let exited = child.try_wait().expect("try_wait");
        if exited.is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        }
        let status = child.wait().expect("reaped");
        if let Some(done) = done_units(&ws) {
            let lost: Vec<_> = seen.difference(&done).collect();
            assert!(
                lost.is_empty(),
                "round {round}: units recorded done were lost: {lost:?}"
            );
            seen = done;
        }
        if exited.is_some() && status.success() {
            finished = true;
            break;
        }
        if kills >= max_kills {
            break;
        }
    }
    if !finished {
        ws.cmd(["resume", "s.json", "--answers", "a.yaml"])
            .success();
    }
    assert!(
        kills >= 5,
        "only {kills} kills landed: the run was too fast to test anything"
    );
    let done = done_units(&ws).expect("state");
    assert!(seen.is_subset(&done));
    assert_eq!(ws.status("s.json")["complete"], true);
    let leftovers: Vec<_> = ws
        .files()
        .into_iter()
        .filter(|n| has_extension(n, "tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temp files left behind: {leftovers:?}"
    );
}
