//! Answers files that do not fit: every file in `tests/fixtures/answers/invalid/` (format in the
//! folder's README) is refused by `run` with exit 1, each problem at its `file:line:col`, and
//! nothing recorded. Before, `wait: 4x` was read as a wait of 0 s when the question came.

use std::path::{Path, PathBuf};

use crate::support::{Test, root};

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/answers")
}

/// The fixture runbook every case is checked against.
fn runbook_path() -> String {
    fixtures().join("runbook.yaml").display().to_string()
}

/// The `file:line:col: message` lines `case` must produce, from its `.expected` file.
fn expected(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.with_extension("expected"))
        .unwrap_or_else(|_| panic!("{} has no .expected file", case.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{}:{l}", case.display()))
        .collect()
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures().join("invalid"))
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 2, "only {} cases", cases.len());
    cases
}

#[test]
fn every_answers_fixture_is_refused_by_run_at_its_position_before_anything_is_recorded() {
    let mut failures = Vec::new();
    for case in cases() {
        let (run, dir) = Test::new()
            .args(["run", &runbook_path(), "--example", "--answers"])
            .args([&case])
            .args(["--state", "s.json"])
            .run();
        let run = run.failure(1);
        let stderr = run.stderr();
        for want in expected(&case) {
            if !stderr.contains(&want) {
                failures.push(format!("want: {want}\n  got:  {stderr}"));
            }
        }
        assert!(
            !dir.path().join("s.json").exists(),
            "{}: a state file was written",
            case.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
