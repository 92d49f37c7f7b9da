//! One fixture per validation error kind (`tests/fixtures/invalid/NAME.yaml`), each with the
//! `line:col: message` lines it must produce in `NAME.expected`.

use crate::support::{Test, root};

#[test]
fn every_invalid_fixture_reports_its_error_at_its_position() {
    let dir = root().join("tests/fixtures/invalid");
    let mut fixtures: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for path in &fixtures {
        let expected = std::fs::read_to_string(path.with_extension("expected"))
            .unwrap_or_else(|_| panic!("{} has no .expected file", path.display()));
        let run = Test::new().args(["validate"]).args([path]).go().failure(1);
        let stderr = run.stderr();
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            let want = format!("{}:{line}", path.display());
            if !stderr.contains(&want) {
                failures.push(format!(
                    "{}\n  want: {want}\n  got:  {stderr}",
                    path.display()
                ));
            }
        }
        assert!(
            run.stdout().is_empty(),
            "{}: nothing on stdout",
            path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let path = root().join("tests/fixtures/invalid/several-problems.yaml");
    let stderr = Test::new()
        .args(["validate"])
        .args([&path])
        .go()
        .failure(1)
        .stderr();
    let count = stderr.matches("several-problems.yaml:").count();
    assert!(count >= 2, "{stderr}");
}

#[test]
fn a_diagnostic_shows_the_source_line_and_a_caret() {
    let path = root().join("tests/fixtures/invalid/unknown-kind.yaml");
    let stderr = Test::new()
        .args(["validate"])
        .args([&path])
        .go()
        .failure(1)
        .stderr();
    assert!(
        stderr.contains("  |     kind: comand\n  |           ^"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `command`?"), "{stderr}");
}

#[test]
fn a_directory_binary_junk_and_a_missing_file_are_clear_errors() {
    let t = Test::new()
        .file("dir.yaml/keep", "")
        .file("junk.yaml", [0xff, 0xfe, 0x00, 0x81, 0x10]);
    let (run, _dir) = t
        .args(["validate", "dir.yaml", "junk.yaml", "missing.yaml"])
        .run();
    let run = run.failure(1);
    let stderr = run.stderr();
    assert!(stderr.contains("dir.yaml: is a directory"), "{stderr}");
    assert!(stderr.contains("junk.yaml: is not UTF-8 text"), "{stderr}");
    assert!(stderr.contains("missing.yaml: "), "{stderr}");
}
