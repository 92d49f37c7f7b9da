//! Validation warnings: each smell named at its position with its source line, exit 0, none for
//! an invalid runbook (its errors come first), none for the shipped runbooks.

use crate::support::{Test, root, shipped_ids};

#[test]
fn warnings_name_each_smell_at_its_position_and_exit_0() {
    let fixture = root().join("tests/fixtures/warnings/smells.yaml");
    let shown = fixture.display().to_string();
    let run = Test::new().args(["validate", &shown]).go().success();
    assert_eq!(
        run.stdout(),
        format!("{shown}: ok (smells 1.0.0, 2 steps: 1 read, 1 change, 0 destructive)\n")
    );
    let warnings: Vec<String> = run
        .stderr()
        .lines()
        .filter(|l| !l.starts_with("  |"))
        .map(|l| l.strip_prefix(&format!("{shown}:")).unwrap_or(l).to_owned())
        .collect();
    assert_eq!(
        warnings,
        [
            "7:11: warning: parameter `server` has no `help`: say where the operator finds the value",
            "12:9: warning: check step `look` has no `instructions`: say what to do and why",
            "20:13: warning: step `change-it` has `impact: change` but no `verify`: add a read-only command that proves the change worked",
        ],
        "{}",
        run.stderr()
    );
    // Each warning shows its line with a caret, as errors do.
    assert!(
        run.stderr()
            .contains("  |     impact: change\n  |             ^\n")
    );
}

#[test]
fn warnings_are_not_shown_for_an_invalid_runbook() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/warnings/smells.yaml"))
        .expect("the fixture")
        .replace("id: smells", "id: Smells");
    let run = Test::new()
        .file("smells.yaml", text)
        .args(["validate", "smells.yaml"])
        .go()
        .failure(1);
    assert!(!run.stderr().contains("warning:"), "{}", run.stderr());
}

#[test]
fn shipped_runbooks_have_no_warnings() {
    let run = Test::new().args(["validate"]).args(shipped_ids()).go();
    let stderr = String::from_utf8_lossy(&run.output.stderr).into_owned();
    assert!(
        !stderr.contains(": warning: "),
        "shipped runbooks warn:\n{stderr}"
    );
    assert!(run.output.status.success(), "{stderr}");
    assert_eq!(stderr, "", "shipped runbooks warn");
}
