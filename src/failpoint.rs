//! Fault injection for tests: `RUNBOOK_FAILPOINTS=name[,name...]` makes the named operation fail
//! with an I/O error, so tests can prove what a full disk or a read-only folder does to a run.

/// Fails when `name` is listed in `RUNBOOK_FAILPOINTS`.
pub fn check(name: &str) -> std::io::Result<()> {
    match std::env::var("RUNBOOK_FAILPOINTS") {
        Ok(list) if list.split(',').any(|n| n.trim() == name) => Err(std::io::Error::other(
            format!("injected failure `{name}` (RUNBOOK_FAILPOINTS)"),
        )),
        _ => Ok(()),
    }
}
