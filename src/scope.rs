//! Which variables a step's templates see: every parameter, the values captured by earlier
//! steps, and the loop item.

use std::collections::BTreeMap;

use crate::param::Value;
use crate::render::{Binding, Bindings};
use crate::runbook::{Runbook, StepKind};

/// Parameter values by name.
pub(crate) type Values = BTreeMap<String, Value>;

/// Where captured values come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Captures<'a> {
    /// A live run: the values the operator captured so far.
    Known(&'a Values),
    /// An export: each capture is a PowerShell variable the script fills in.
    Deferred,
}

/// How secrets are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Secrets {
    /// The real value (a live run, shown to the operator who typed it).
    Reveal,
    /// `'********'` (exports and anything written down).
    Mask,
}

/// The bindings for step `index`, without its loop item.
pub(crate) fn bindings(
    runbook: &Runbook,
    params: &Values,
    captures: Captures<'_>,
    secrets: Secrets,
    index: usize,
) -> Bindings {
    let mut out = Bindings::new();
    for p in &runbook.params {
        let binding = match (p.secret, secrets, params.get(&p.name)) {
            (true, Secrets::Mask, _) => Binding::Masked,
            (_, _, Some(v)) => Binding::Value(v.clone()),
            (_, _, None) => continue,
        };
        out.insert(p.name.clone(), binding);
    }
    for step in &runbook.steps[..index.min(runbook.steps.len())] {
        if let StepKind::Capture { variable, .. } = &step.kind {
            let binding = match captures {
                Captures::Deferred => Binding::Deferred,
                Captures::Known(values) => match values.get(variable) {
                    Some(v) => Binding::Value(v.clone()),
                    None => continue,
                },
            };
            out.insert(variable.clone(), binding);
        }
    }
    out
}

/// The example value of every parameter.
pub(crate) fn example_values(runbook: &Runbook) -> Values {
    runbook
        .params
        .iter()
        .map(|p| (p.name.clone(), p.example.clone()))
        .collect()
}

/// The example value of every capture.
pub(crate) fn example_captures(runbook: &Runbook) -> Values {
    runbook
        .steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Capture {
                variable, example, ..
            } => Some((variable.clone(), example.clone())),
            _ => None,
        })
        .collect()
}
