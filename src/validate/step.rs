//! Checks one step: its kind's keys, impact, condition, loop, rollback and jumps.

use std::collections::HashMap;

use super::{Validator, id_ok};
use crate::condition::{Condition, is_name};
use crate::loader::Templates;
use crate::param::{Scalar, ValueType};
use crate::raw::{Impact, RawRunbook, RawStep, StepKindName};
use crate::runbook::{Choice, ForEach, Param, Rollback, Step, StepKind, Verify};

/// PowerShell automatic variables a capture must not shadow in the exported script.
const RESERVED: &[&str] = &[
    "args",
    "input",
    "host",
    "error",
    "true",
    "false",
    "null",
    "this",
    "home",
    "pid",
    "pwd",
    "profile",
    "matches",
    "foreach",
    "switch",
    "event",
    "sender",
    "psitem",
    "lastexitcode",
    "myinvocation",
    "executioncontext",
    "ofs",
    "shellid",
    "stacktrace",
    "psboundparameters",
    "goto",
    "item",
    "c",
    "ski",
    "rp",
    "rule",
];

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
        if let Some(c) = &when {
            let known = params.iter().any(|p| p.name == c.variable)
                || self.capture_before(raw, index, &c.variable).is_some();
            if !known {
                let w = s.when.as_ref().expect("parsed from it");
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
            kind,
        })
    }

    /// The capture step before `index` that defines `variable`, in file order.
    pub(super) fn capture_before<'r>(
        &self,
        raw: &'r RawRunbook,
        index: usize,
        variable: &str,
    ) -> Option<&'r RawStep> {
        raw.steps[..index].iter().find(|s| {
            s.kind.value == StepKindName::Capture
                && s.variable.as_ref().is_some_and(|v| v.value == variable)
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
        let list_type = params
            .iter()
            .find(|p| p.name == fe.value)
            .map(|p| p.value_type.clone())
            .or_else(|| {
                let cap = self.capture_before(raw, index, &fe.value)?;
                let t = cap.type_.as_ref()?;
                match (t.value, cap.items.as_ref()) {
                    (crate::raw::TypeName::List, Some(_)) => Some(ValueType::List(Scalar::String)),
                    _ => Some(ValueType::Scalar(Scalar::String)),
                }
            });
        match list_type {
            Some(ValueType::List(item_type)) => Some(ForEach {
                list: fe.value.clone(),
                item,
                item_type,
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
        let checks: [(&str, bool, &[K]); 14] = [
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

    #[allow(clippy::too_many_arguments)]
    fn kind(
        &mut self,
        s: &RawStep,
        ids: &HashMap<String, usize>,
        templates: &Templates,
        impact: Impact,
        for_each: Option<&ForEach>,
        params: &[Param],
        raw: &RawRunbook,
        index: usize,
    ) -> Option<StepKind> {
        let id = &s.id.value;
        let required_command = |v: &mut Self, field: &str| {
            let t = v.template(
                s,
                field,
                s.command.as_ref(),
                s.template.as_ref(),
                templates,
                true,
            );
            if t.is_none() && s.command.is_none() && s.template.is_none() {
                v.at(
                    &s.kind,
                    format!(
                        "{} step `{id}` needs `command` or `template`",
                        kind_name(s.kind.value)
                    ),
                );
            }
            t
        };
        Some(match s.kind.value {
            StepKindName::Instruction => StepKind::Instruction,
            StepKindName::Command => {
                let command = required_command(self, "command");
                let verify = s.verify.as_ref().and_then(|v| {
                    let command = self.template(
                        s,
                        "verify",
                        v.command.as_ref(),
                        v.template.as_ref(),
                        templates,
                        true,
                    );
                    if command.is_none() && v.command.is_none() && v.template.is_none() {
                        self.at(
                            &s.id,
                            format!("the `verify` of step `{id}` needs `command` or `template`"),
                        );
                    }
                    Some(Verify {
                        command: command?,
                        expect: v.expect.clone(),
                    })
                });
                let confirm = match (&s.confirm, for_each) {
                    (Some(c), _) => {
                        let known = params.iter().any(|p| p.name == c.value)
                            || for_each.is_some_and(|f| f.item == c.value)
                            || self.capture_before(raw, index, &c.value).is_some();
                        if !known {
                            self.at(c, format!("`confirm: {}` is not a parameter, loop item or earlier capture", c.value));
                        }
                        Some(c.value.clone())
                    }
                    (None, Some(f)) if impact == Impact::Destructive => Some(f.item.clone()),
                    (None, _) if impact == Impact::Destructive => {
                        self.at(&s.id, format!("destructive step `{id}` needs `confirm:` (the variable whose value the operator types, e.g. the domain)"));
                        None
                    }
                    (None, _) => None,
                };
                StepKind::Command {
                    command: command?,
                    verify,
                    confirm,
                }
            }
            StepKindName::Check => StepKind::Check {
                command: required_command(self, "command")?,
                expect: s.expect.clone(),
                gate: s.gate.as_ref().is_some_and(|g| g.value),
            },
            StepKindName::Capture => {
                let Some(var) = &s.variable else {
                    self.at(&s.kind, format!("capture step `{id}` needs `variable`"));
                    return None;
                };
                if !is_name(&var.value) || RESERVED.contains(&var.value.as_str()) {
                    self.at(var, format!("capture variable `{}` must match [a-z][a-z0-9_]* and not be a PowerShell automatic variable", var.value));
                }
                if params.iter().any(|p| p.name == var.value)
                    || self.capture_before(raw, index, &var.value).is_some()
                {
                    self.at(
                        var,
                        format!(
                            "`{}` is already a parameter or captured by an earlier step",
                            var.value
                        ),
                    );
                }
                let Some(t) = &s.type_ else {
                    self.at(&s.kind, format!("capture step `{id}` needs `type`"));
                    return None;
                };
                let value_type = self.value_type(
                    t,
                    s.items.as_ref(),
                    &[],
                    &format!("capture `{}`", var.value),
                )?;
                let pattern = self.pattern(s.pattern.as_ref());
                let Some(ex) = &s.example else {
                    self.at(&s.kind, format!("capture step `{id}` needs an `example`"));
                    return None;
                };
                let example = self.typed_value(
                    ex,
                    &value_type,
                    pattern.as_ref(),
                    &format!("the example of capture `{}`:", var.value),
                )?;
                StepKind::Capture {
                    variable: var.value.clone(),
                    command: self.template(
                        s,
                        "command",
                        s.command.as_ref(),
                        s.template.as_ref(),
                        templates,
                        true,
                    ),
                    value_type,
                    example,
                    pattern,
                }
            }
            StepKindName::Decision => {
                let question = s.question.clone().unwrap_or_default();
                if question.trim().is_empty() {
                    self.at(&s.kind, format!("decision `{id}` needs a `question`"));
                }
                let raw_choices = s.choices.as_deref().unwrap_or_default();
                if raw_choices.len() < 2 {
                    self.at(
                        &s.kind,
                        format!("decision `{id}` needs at least two `choices`"),
                    );
                }
                let mut choices: Vec<Choice> = Vec::new();
                for c in raw_choices {
                    if !id_ok(&c.id.value) {
                        self.at(
                            &c.id,
                            format!("choice id `{}` must be kebab-case", c.id.value),
                        );
                    }
                    if choices.iter().any(|d| d.id == c.id.value) {
                        self.at(&c.id, format!("duplicate choice `{}`", c.id.value));
                    }
                    choices.push(Choice {
                        id: c.id.value.clone(),
                        label: c.label.clone(),
                        goto: c.goto.as_ref().and_then(|g| self.target(g, ids)),
                    });
                }
                StepKind::Decision { question, choices }
            }
            StepKindName::Wait => {
                let interval_secs = match &s.interval {
                    Some(i) => {
                        match parse_interval(&i.value) {
                            Some(secs) => secs,
                            None => {
                                self.at(i, format!("interval `{}` is not a duration such as `30s`, `5m` or `1h`", i.value));
                                60
                            }
                        }
                    }
                    None => 60,
                };
                StepKind::Wait {
                    command: required_command(self, "command")?,
                    expect: s.expect.clone(),
                    interval_secs,
                }
            }
            StepKindName::Approval => {
                let approver = s.approver.clone().unwrap_or_default();
                if approver.trim().is_empty() {
                    self.at(
                        &s.kind,
                        format!("approval `{id}` needs an `approver` (who must approve)"),
                    );
                }
                StepKind::Approval { approver }
            }
            StepKindName::Notify => {
                let to = s.to.clone().unwrap_or_default();
                if to.trim().is_empty() {
                    self.at(
                        &s.kind,
                        format!("notify step `{id}` needs `to` (who receives the message)"),
                    );
                }
                let message = self.template(
                    s,
                    "message",
                    s.message.as_ref(),
                    s.template.as_ref(),
                    templates,
                    false,
                );
                if s.message.is_none() && s.template.is_none() {
                    self.at(
                        &s.kind,
                        format!("notify step `{id}` needs `message` or `template`"),
                    );
                }
                StepKind::Notify {
                    to,
                    subject: s.subject.clone(),
                    message: message?,
                }
            }
        })
    }
}

fn kind_name(k: StepKindName) -> &'static str {
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

/// `30s`, `5m`, `1h` -> seconds.
pub fn parse_interval(text: &str) -> Option<u64> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = digits.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    (secs > 0).then_some(secs)
}
