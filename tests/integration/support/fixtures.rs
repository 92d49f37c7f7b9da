//! Runbooks and runs that several feature files start from.

use super::Workspace;

/// Three instruction steps: `one`, `two`, `three`.
pub const TINY: &str = "id: tiny\ntitle: Three steps\nversion: '1'\nsteps:\n  \
    - id: one\n    title: One\n    kind: instruction\n  \
    - id: two\n    title: Two\n    kind: instruction\n  \
    - id: three\n    title: Three\n    kind: instruction\n";

/// `tiny.yaml` run with an answer for its first step only: stopped (exit 3) and recorded in
/// `s.json`, with `a.yaml` (`default: done`) ready to answer the rest.
pub fn stopped_after_the_first_step() -> Workspace {
    let ws = Workspace::new()
        .file("tiny.yaml", TINY)
        .file("first.yaml", "steps:\n  one: done\n")
        .file("a.yaml", "default: done\n");
    ws.cmd([
        "run",
        "tiny.yaml",
        "--answers",
        "first.yaml",
        "--state",
        "s.json",
    ])
    .failure(3);
    ws
}
