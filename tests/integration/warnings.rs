//! Validation warnings: each smell named at its position with its source line, exit 0, none for
//! an invalid runbook (its errors come first), none for the shipped runbooks.

use crate::support::{Test, root, shipped_ids};

/// The fixture with one smell of each kind.
fn smells() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/warnings/smells.yaml"))
        .expect("the fixture")
}

#[test]
fn warnings_name_each_smell_at_its_position_with_its_line_and_exit_0() {
    let run = Test::new()
        .file("smells.yaml", smells())
        .args(["validate", "smells.yaml"])
        .go()
        .success();
    assert_eq!(
        run.stdout(),
        "smells.yaml: ok (smells 1.0.0, 2 steps: 1 read, 1 change, 0 destructive)\n"
    );
    insta::assert_snapshot!(run.stderr(), @"
    smells.yaml:7:11: warning: parameter `server` has no `help`: say where the operator finds the value
      |   - name: server
      |           ^
    smells.yaml:12:9: warning: check step `look` has no `instructions`: say what to do and why
      |   - id: look
      |         ^
    smells.yaml:20:13: warning: step `change-it` has `impact: change` but no `verify`: add a read-only command that proves the change worked
      |     impact: change
      |             ^
    ");
}

#[test]
fn warnings_are_not_shown_for_an_invalid_runbook() {
    let text = smells().replace("id: smells", "id: Smells");
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
