//! Data-driven error tests: a folder of `NAME.yaml` cases, each with a `NAME.expected` file that
//! lists, one a line, the `line:col: message` diagnostics the case must produce, all of them and
//! nothing else.

use std::path::{Path, PathBuf};

use super::Test;

/// The `*.yaml` files in `dir`, sorted.
pub(crate) fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The lines of `case`'s `.expected` file (blank lines left out), each after `prefix`: the
/// file the positions are in, as the binary names it.
pub(crate) fn expected(case: &Path, prefix: &str) -> Vec<String> {
    let path = case.with_extension("expected");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} has no .expected file", case.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{prefix}{l}"))
        .collect()
}

/// The diagnostic lines of `stderr`: every line but the source lines shown under each (`  |`),
/// each `file:line:col: severity: message`.
pub(crate) fn diagnostics(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| !l.starts_with("  |"))
        .map(ToOwned::to_owned)
        .collect()
}

/// `None` when the diagnostics in `stderr` are exactly `want`, in order; otherwise a message
/// naming `case`, with both lists.
pub(crate) fn mismatch(case: &Path, want: &[String], stderr: &str) -> Option<String> {
    let got = diagnostics(stderr);
    (got != want).then(|| {
        format!(
            "{}\n  want:\n    {}\n  got:\n    {}\n  stderr:\n{stderr}",
            case.display(),
            want.join("\n    "),
            got.join("\n    ")
        )
    })
}

/// `runbook validate <case>`, which must refuse it (exit 1) with nothing on stdout: its stderr.
pub(crate) fn refused_by_validate(case: &Path) -> String {
    let run = Test::new().args(["validate"]).args([case]).go().failure(1);
    assert!(
        run.stdout().is_empty(),
        "{}: nothing on stdout",
        case.display()
    );
    run.stderr()
}
