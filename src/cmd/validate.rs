//! `runbook validate`: every problem in every runbook named, as `path:line:col`.

use std::fmt::Write as _;

use crate::error::Error;
use crate::loader::{self, Templates};

/// Validates each runbook; returns (stdout text, stderr text, all valid).
pub fn validate(names: &[String], templates: &Templates) -> (String, String, bool) {
    let (mut out, mut err, mut ok) = (String::new(), String::new(), true);
    for name in names {
        match loader::load(name, templates) {
            Ok(l) => {
                let [r, c, d] = l.runbook.impact_counts();
                let _ = writeln!(
                    out,
                    "{}: ok ({} {}, {} steps: {r} read, {c} change, {d} destructive)",
                    l.runbook.source_name,
                    l.runbook.id,
                    l.runbook.version,
                    l.runbook.steps.len()
                );
            }
            Err(e) => {
                ok = false;
                let _ = writeln!(err, "{}", describe(&e));
            }
        }
    }
    (out, err, ok)
}

fn describe(e: &Error) -> String {
    e.to_string()
}
