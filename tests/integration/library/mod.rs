//! One module per shipped runbook beyond the rebuild: the rendered procedure holds its cmdlets in
//! the documented order and none of the forms the domain reference forbids.

mod adfs302;
mod adfs323;
mod kb2995731;
mod rollover;
mod triage;

use runbook::Templates;

use crate::support::Test;
use crate::support::powershell::assert_parses;

/// The runbook's exported script with the examples, checked to parse; BOM removed, LF endings.
pub(crate) fn script(id: &str) -> String {
    let out = Test::new()
        .args([
            "export",
            id,
            "--example",
            "--generated-at",
            "2026-11-23T08:00:00Z",
        ])
        .go()
        .success()
        .stdout();
    assert_parses(id, &out);
    out.trim_start_matches('\u{FEFF}').replace("\r\n", "\n")
}

/// The script text of one step, from its `Enter-Step` to the next step's (or the end).
pub(crate) fn step_body<'a>(text: &'a str, id: &str) -> &'a str {
    let start = find_after(text, &format!("if (Enter-Step '{id}' "), 0);
    let end = text[start + 1..]
        .find("if (Enter-Step '")
        .map_or(text.len(), |i| start + 1 + i);
    &text[start..end]
}

/// Byte offset of the first `needle` in `haystack` at or after `from`; panics naming it.
pub(crate) fn find_after(haystack: &str, needle: &str, from: usize) -> usize {
    let i = haystack[from..]
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found after byte {from}"));
    from + i
}
use runbook::{Impact, StepKind};

/// The library's discipline (issue 4): every step says why, every runbook starts by reading, and
/// every step that changes something says how to check it and how to undo it.
#[test]
fn every_runbook_follows_the_library_discipline() {
    let mut problems = Vec::new();
    for id in crate::support::shipped_ids() {
        let rb = runbook::load(&id, &Templates::default())
            .expect("shipped runbooks load")
            .runbook;
        if rb.steps.first().is_none_or(|s| s.impact != Impact::Read) {
            problems.push(format!("{id}: the first step is not read-only"));
        }
        if rb.references.is_empty() {
            problems.push(format!("{id}: no references"));
        }
        for s in &rb.steps {
            if s.instructions
                .as_deref()
                .is_none_or(|t| t.trim().len() < 20)
            {
                problems.push(format!("{id}/{}: no instructions saying why", s.id));
            }
            if s.impact == Impact::Read {
                continue;
            }
            if s.rollback.is_none() {
                problems.push(format!(
                    "{id}/{}: changes something without a rollback",
                    s.id
                ));
            }
            if let StepKind::Command { verify: None, .. } = s.kind {
                problems.push(format!("{id}/{}: changes something without a verify", s.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
