//! Authoring smells: things a runbook may do, but that leave the operator or the reviewer
//! guessing. A separate pass over the raw runbook (it needs the positions), run by
//! `runbook validate` only after the runbook validated; warnings never fail validation.
//!
//! - a `command` step with `impact: change` or `destructive` and no `verify`: nothing proves
//!   the change worked;
//! - a step without `instructions` where the operator has nothing else to go on: `instruction`,
//!   `command`, `check`, `wait` and `approval` steps, and a `capture` without a `command` (a
//!   capture with a command says where its value comes from; a `decision` has its `question`,
//!   a `notify` its message; a destructive step without instructions is already an error);
//! - a parameter without `help`: the prompt cannot say where to find the value.

use crate::raw::{RawRunbook, RawStep, StepKindName};
use crate::runbook::Impact;
use crate::source::{Diagnostic, Source};
use crate::yaml::position;

/// Every warning for `raw` (parsed from `source`), in file order.
pub(super) fn check(source: &Source, raw: &RawRunbook) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut at = |(line, column): (u64, u64), message: String| {
        out.push(source.diagnostic(line, column, message).warning());
    };
    for p in &raw.params {
        if blank(p.help.as_deref()) {
            at(
                position(&p.name),
                format!(
                    "parameter `{}` has no `help`: say where the operator finds the value",
                    p.name.value
                ),
            );
        }
    }
    for s in &raw.steps {
        let id = &s.id.value;
        let impact = s.impact.as_ref().map(|i| i.value);
        if s.kind.value == StepKindName::Command
            && matches!(impact, Some(Impact::Change | Impact::Destructive))
            && s.verify.is_none()
        {
            let impact = impact.map_or("change", Impact::name);
            at(
                s.impact.as_ref().map_or_else(|| position(&s.id), position),
                format!(
                    "step `{id}` has `impact: {impact}` but no `verify`: add a read-only command that proves the change worked"
                ),
            );
        }
        if needs_instructions(s) && blank(s.instructions.as_deref()) {
            at(
                position(&s.id),
                format!(
                    "{} step `{id}` has no `instructions`: say what to do and why",
                    super::step::kind_name(s.kind.value)
                ),
            );
        }
    }
    out.sort_by_key(|d| (d.line, d.column));
    out
}

fn blank(text: Option<&str>) -> bool {
    text.is_none_or(|t| t.trim().is_empty())
}

/// Whether the operator has nothing but the title without `instructions`.
fn needs_instructions(s: &RawStep) -> bool {
    use StepKindName as K;
    match s.kind.value {
        K::Instruction | K::Command | K::Check | K::Wait | K::Approval => {
            // A destructive step without instructions is already an error.
            s.impact.as_ref().map(|i| i.value) != Some(Impact::Destructive)
        }
        K::Capture => s.command.is_none() && s.template.is_none(),
        K::Decision | K::Notify => false,
    }
}
