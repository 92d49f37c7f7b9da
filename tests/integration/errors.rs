//! One fixture per validation error kind (`tests/fixtures/invalid/NAME.yaml`), each with the
//! whole list of `line:col: message` lines it must produce in `NAME.expected`.

use crate::support::diagnostics::{expected, mismatch, refused_by_validate, yaml_files};
use crate::support::{Test, root};

#[test]
fn every_invalid_fixture_reports_exactly_its_errors_at_their_positions() {
    let fixtures = yaml_files(&root().join("tests/fixtures/invalid"));
    assert!(fixtures.len() >= 30, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for path in &fixtures {
        let want = expected(path, &format!("{}:", path.display()));
        failures.extend(mismatch(path, &want, &refused_by_validate(path)));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let stderr = refused_by_validate(&root().join("tests/fixtures/invalid/several-problems.yaml"));
    let count = stderr.matches("several-problems.yaml:").count();
    assert!(count >= 2, "{stderr}");
}

#[test]
fn a_diagnostic_shows_the_source_line_and_a_caret() {
    let stderr = refused_by_validate(&root().join("tests/fixtures/invalid/unknown-kind.yaml"));
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
    assert!(
        stderr.contains("dir.yaml: error: is a directory"),
        "{stderr}"
    );
    assert!(
        stderr.contains("junk.yaml: error: is not UTF-8 text"),
        "{stderr}"
    );
    assert!(stderr.contains("missing.yaml: "), "{stderr}");
}
