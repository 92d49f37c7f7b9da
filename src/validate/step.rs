//! Checks one step: its kind's keys, impact, condition, loop, rollback and jumps.

use std::collections::HashMap;

use super::{Validator, id_ok};
use crate::condition::{Condition, is_name};
use crate::param::{Scalar, ValueType};
use crate::raw::{RawRunbook, RawStep, StepKindName};
use crate::runbook::{ForEach, Impact, Param, Rollback, Step};
use crate::templates::Templates;

impl Validator<'_> {
    pub(super) fn step(
        &mut self,
        index: usize,
        s: &RawStep,
        raw: &RawRunbook,
        params: &[Param],
        ids: &HashMap<String, usize>,
        templates: &Templates,
    ) -> Option<Step> {
        let id = &s.id.value;
        if !id_ok(id) {
            self.at(
                &s.id,
                format!("step id `{id}` must be kebab-case: lowercase letters, digits and `-`"),
            );
        }
        let kind = s.kind.value;
        self.unused_keys(s);
        let impact = s.impact.as_ref().map_or(Impact::Read, |i| i.value);
        if kind == StepKindName::Command && s.impact.is_none() {
            self.at(
                &s.kind,
                format!(
                    "command step `{id}` must state its `impact` (read, change or destructive)"
                ),
            );
        }
        if impact == Impact::Destructive {
            if s.instructions
                .as_deref()
                .is_none_or(|t| t.trim().is_empty())
            {
                self.at(
                    &s.id,
                    format!("destructive step `{id}` has no `instructions`"),
                );
            }
            if s.rollback.is_none() {
                self.at(&s.id, format!("destructive step `{id}` has no `rollback`"));
            }
        }
        let when = s
            .when
            .as_ref()
            .and_then(|w| match Condition::parse(&w.value) {
                Ok(c) => Some(c),
                Err(e) => {
                    self.at(w, e);
                    None
                }
            });
        if let (Some(c), Some(w)) = (&when, &s.when) {
            let known = params.iter().any(|p| p.name == c.variable)
                || capture_before(raw, index, &c.variable).is_some();
            if !known {
                self.at(w, format!("condition reads `{}`, which is neither a parameter nor a value captured by an earlier step", c.variable));
            }
        }
        let for_each = self.for_each(index, s, raw, params);
        let rollback = s.rollback.as_ref().map(|r| {
            if r.instructions.is_none() && r.command.is_none() && r.template.is_none() {
                self.at(&s.id, format!("the `rollback` of step `{id}` is empty"));
            }
            Rollback {
                instructions: r.instructions.clone(),
                command: self.template(
                    s,
                    "rollback",
                    r.command.as_ref(),
                    r.template.as_ref(),
                    templates,
                    true,
                ),
            }
        });
        let next = s.next.as_ref().and_then(|n| self.target(n, ids));
        let unresolved = match &s.outcome {
            None => false,
            Some(o) if o.value == "unresolved" => {
                if s.next.as_ref().is_none_or(|n| n.value != "end") {
                    self.at(
                        o,
                        format!(
                            "`outcome: unresolved` ends the run: step `{}` needs `next: end`",
                            s.id.value
                        ),
                    );
                }
                true
            }
            Some(o) => {
                self.at(
                    o,
                    format!(
                        "unknown outcome `{}`: the only one is `unresolved`",
                        o.value
                    ),
                );
                false
            }
        };
        let kind = self.kind(
            s,
            ids,
            templates,
            impact,
            for_each.as_ref(),
            params,
            raw,
            index,
        )?;
        Some(Step {
            id: id.clone(),
            title: s.title.clone(),
            instructions: s.instructions.as_ref().map(|t| t.trim_end().to_owned()),
            impact,
            when,
            for_each,
            rollback,
            next,
            unresolved,
            exec: self.step_exec(s),
            kind,
        })
    }

    fn for_each(
        &mut self,
        index: usize,
        s: &RawStep,
        raw: &RawRunbook,
        params: &[Param],
    ) -> Option<ForEach> {
        let Some(fe) = &s.for_each else {
            if let Some(a) = &s.as_ {
                self.at(
                    a,
                    "`as` names the item of a `for_each`, and this step has none",
                );
            }
            return None;
        };
        let item = s
            .as_
            .as_ref()
            .map_or_else(|| "item".to_owned(), |a| a.value.clone());
        if !is_name(&item) {
            self.at(
                s.as_.as_ref().unwrap_or(fe),
                format!("item name `{item}` must match [a-z][a-z0-9_]*"),
            );
        }
        if params.iter().any(|p| p.name == fe.value && p.secret) {
            // Each item names its unit: in the state file, the progress lines and the plan.
            self.at(fe, format!("`for_each: {}` loops over a secret, and each item would name its unit in the state file and the plan; a secret list cannot be looped over", fe.value));
            return None;
        }
        let list_type = params
            .iter()
            .find(|p| p.name == fe.value)
            .map(|p| p.value_type.clone())
            .or_else(|| {
                let cap = capture_before(raw, index, &fe.value)?;
                let t = cap.type_.as_ref()?;
                match (t.value, cap.items.as_ref()) {
                    (crate::raw::TypeName::List, Some(_)) => Some(ValueType::List(Scalar::String)),
                    _ => Some(ValueType::Scalar(Scalar::String)),
                }
            });
        match list_type {
            Some(ValueType::List(_)) => Some(ForEach {
                list: fe.value.clone(),
                item,
            }),
            Some(ValueType::Scalar(_)) => {
                self.at(fe, format!("`for_each: {}` is not a list", fe.value));
                None
            }
            None => {
                self.at(fe, format!("`for_each: {}` is neither a list parameter nor a list captured by an earlier step", fe.value));
                None
            }
        }
    }

    /// Keys that belong to other kinds.
    fn unused_keys(&mut self, s: &RawStep) {
        use StepKindName as K;
        let kind = s.kind.value;
        let checks: [(&str, bool, &[K]); 18] = [
            (
                "command",
                s.command.is_some(),
                &[K::Command, K::Check, K::Capture, K::Wait],
            ),
            (
                "template",
                s.template.is_some(),
                &[K::Command, K::Check, K::Capture, K::Wait, K::Notify],
            ),
            ("verify", s.verify.is_some(), &[K::Command]),
            ("expect", s.expect.is_some(), &[K::Check, K::Wait]),
            ("gate", s.gate.is_some(), &[K::Check]),
            ("confirm", s.confirm.is_some(), &[K::Command]),
            ("variable", s.variable.is_some(), &[K::Capture]),
            ("type", s.type_.is_some(), &[K::Capture]),
            ("example", s.example.is_some(), &[K::Capture]),
            ("question", s.question.is_some(), &[K::Decision]),
            ("choices", s.choices.is_some(), &[K::Decision]),
            ("interval", s.interval.is_some(), &[K::Wait]),
            ("pass_if", s.pass_if.is_some(), &[K::Check, K::Wait]),
            ("exit_status", s.exit_status.is_some(), &[K::Check, K::Wait]),
            (
                "timeout",
                s.timeout.is_some(),
                &[K::Command, K::Check, K::Wait, K::Capture],
            ),
            ("from_output", s.from_output.is_some(), &[K::Capture]),
            ("approver", s.approver.is_some(), &[K::Approval]),
            (
                "message",
                s.message.is_some() || s.to.is_some() || s.subject.is_some(),
                &[K::Notify],
            ),
        ];
        for (key, present, kinds) in checks {
            if present && !kinds.contains(&kind) {
                self.at(
                    &s.kind,
                    format!(
                        "`{key}` is not used by `{}` steps (step `{}`)",
                        kind_name(kind),
                        s.id.value
                    ),
                );
            }
        }
        if (s.items.is_some() || s.pattern.is_some()) && kind != K::Capture {
            self.at(
                &s.kind,
                format!(
                    "`items`/`pattern` are not used by `{}` steps (step `{}`)",
                    kind_name(kind),
                    s.id.value
                ),
            );
        }
        if s.next.is_some() && kind == K::Decision {
            self.at(
                &s.kind,
                format!(
                    "decision `{}` chooses its next step with `goto` in each choice, not `next`",
                    s.id.value
                ),
            );
        }
    }
}

/// The capture step before `index` that defines `variable`, in file order.
pub(super) fn capture_before<'r>(
    raw: &'r RawRunbook,
    index: usize,
    variable: &str,
) -> Option<&'r RawStep> {
    raw.steps[..index].iter().find(|s| {
        s.kind.value == StepKindName::Capture
            && s.variable.as_ref().is_some_and(|v| v.value == variable)
    })
}

pub(super) fn kind_name(k: StepKindName) -> &'static str {
    match k {
        StepKindName::Instruction => "instruction",
        StepKindName::Command => "command",
        StepKindName::Check => "check",
        StepKindName::Capture => "capture",
        StepKindName::Decision => "decision",
        StepKindName::Wait => "wait",
        StepKindName::Approval => "approval",
        StepKindName::Notify => "notify",
    }
}
