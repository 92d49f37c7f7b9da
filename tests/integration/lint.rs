//! The PowerShell checks of `runbook validate` (issue 11 §3): one fixture per check in
//! `tests/fixtures/lint/NAME.yaml` (templates beside it in `templates/`) with the whole list of
//! `FILE:line:col: message` lines it must produce in `NAME.expected`, and its safe form in
//! `tests/fixtures/lint/clean/NAME.yaml`, which must validate without a finding.

use crate::support::diagnostics::{expected, mismatch, refused_by_validate, yaml_files};
use crate::support::{Test, root};

/// Every check, by the name its messages start with.
const CHECKS: &[&str] = &[
    "ad-attribute-strictmode",
    "exchange-try-catch",
    "exchange-erroraction-stop",
    "exchange-silently-continue",
    "nslookup",
    "literal-path",
    "confirm-after-typed-confirmation",
    "confirm-colon",
    "strictmode-count",
    "security-log-unbounded",
    "case-insensitive-rule-compare",
    "resume-at",
];

/// The checks named by the findings in `stderr`, in order, with their `file:line:col`.
pub(crate) fn findings(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": `")?;
            let (check, _) = rest.split_once("`:")?;
            CHECKS
                .contains(&check)
                .then(|| (place.to_owned(), check.to_owned()))
        })
        .collect()
}

#[test]
fn lint_every_fixture_reports_exactly_its_findings_at_their_positions() {
    let dir = root().join("tests/fixtures/lint");
    let mut failures = Vec::new();
    for path in yaml_files(&dir) {
        let want = expected(&path, &format!("{}/", dir.display()));
        let stderr = refused_by_validate(&path);
        failures.extend(mismatch(&path, &want, &stderr));
        assert_eq!(
            findings(&stderr).len(),
            want.len(),
            "{}: every line is a finding of a known check:\n{stderr}",
            path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lint_every_clean_fixture_validates_without_a_finding() {
    for path in yaml_files(&root().join("tests/fixtures/lint/clean")) {
        let run = Test::new().args(["validate"]).args([&path]).go().success();
        assert_eq!(run.stderr(), "", "{}", path.display());
        assert!(run.stdout().contains(": ok ("), "{}", path.display());
    }
}

#[test]
fn lint_every_check_has_a_firing_fixture_and_a_clean_counterpart() {
    let dir = root().join("tests/fixtures/lint");
    let expected: String = yaml_files(&dir)
        .iter()
        .map(|p| std::fs::read_to_string(p.with_extension("expected")).expect("expected"))
        .collect();
    for check in CHECKS {
        assert!(
            expected.contains(&format!(": `{check}`:")),
            "no fixture fires `{check}`"
        );
    }
    for path in yaml_files(&dir) {
        let clean = dir.join("clean").join(path.file_name().expect("name"));
        assert!(
            clean.is_file(),
            "{} has no clean counterpart",
            path.display()
        );
    }
}

#[test]
fn lint_messages_cite_their_source_and_show_the_line() {
    for path in yaml_files(&root().join("tests/fixtures/lint")) {
        let stderr = refused_by_validate(&path);
        for line in stderr.lines().filter(|l| l.contains(": `")) {
            // A review finding id, or the domain reference section with a Microsoft source.
            let cited = line.contains("(review ")
                || (line.contains("domain reference §") && line.contains("EX-SYNTAX"));
            assert!(cited, "no source: {line}");
        }
    }
    let stderr =
        refused_by_validate(&root().join("tests/fixtures/lint/exchange-error-handling.yaml"));
    // The inline command's own line of the runbook, with a caret under the cmdlet.
    assert!(
        stderr.contains(
            "  |           $exTrust = Get-FederationTrust -ErrorAction Stop\n  |                      ^"
        ),
        "{stderr}"
    );
}

#[test]
fn lint_findings_do_not_stop_a_run_or_an_export() {
    // The checks belong to `validate`: a runbook with a finding still loads (what it runs is
    // the operator's decision; CI's `validate` keeps the shipped ones clean).
    let path = root().join("tests/fixtures/lint/nslookup.yaml");
    let run = Test::new()
        .args(["export"])
        .args([&path])
        .args(["--example", "--format", "ps1"])
        .go()
        .success();
    assert!(run.stdout().contains("nslookup"));
}

#[test]
fn lint_every_shipped_runbook_passes_every_check() {
    for id in crate::support::shipped_ids() {
        let run = Test::new().args(["validate", id.as_str()]).go();
        let stderr = String::from_utf8_lossy(&run.output.stderr).into_owned();
        assert!(run.output.status.success(), "{id}:\n{stderr}");
        assert!(findings(&stderr).is_empty(), "{id}:\n{stderr}");
    }
}
