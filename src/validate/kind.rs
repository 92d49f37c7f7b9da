//! Checks the keys each step kind needs and builds its [`StepKind`].

use std::collections::HashMap;

use super::Validator;
use super::id_ok;
use super::step::{capture_before, kind_name};
use crate::condition::is_name;
use crate::duration::parse_interval;
use crate::raw::{RawRunbook, RawStep, StepKindName};
use crate::runbook::{Choice, ForEach, Impact, Param, StepKind, Verify};
use crate::templates::Templates;

/// PowerShell automatic variables a capture must not shadow in the exported script.
const RESERVED: &[&str] = &[
    "args",
    "input",
    // The exported script's own variables (notify, decision and wait steps).
    "message",
    "choice",
    "done",
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
    #[allow(clippy::too_many_arguments)]
    pub(super) fn kind(
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
                    let exec = self.expectation(v.pass_if.as_ref(), v.exit_status);
                    Some(Verify {
                        command: command?,
                        expect: v.expect.clone(),
                        exec,
                    })
                });
                let confirm = match (&s.confirm, for_each) {
                    (Some(c), _) => {
                        let known = params.iter().any(|p| p.name == c.value)
                            || for_each.is_some_and(|f| f.item == c.value)
                            || capture_before(raw, index, &c.value).is_some();
                        if !known {
                            self.at(c, format!("`confirm: {}` is not a parameter, loop item or earlier capture", c.value));
                        }
                        if params.iter().any(|p| p.name == c.value && p.secret) {
                            // The operator is shown the value to type, and the run records it.
                            self.at(c, format!("`confirm: {}` is a secret: the operator would be shown it to type, and the confirmation is recorded in the state file; confirm with a value that is not secret", c.value));
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
                let script_param = crate::runbook::script_parameter(&var.value);
                let clash = crate::runbook::RESERVED_PARAMETERS
                    .iter()
                    .find(|r| r.eq_ignore_ascii_case(&script_param))
                    .map(|r| format!("the script's own -{r}"))
                    .or_else(|| {
                        raw.steps[..index]
                            .iter()
                            .filter_map(|s| s.variable.as_ref())
                            .find(|v| {
                                crate::runbook::script_parameter(&v.value)
                                    .eq_ignore_ascii_case(&script_param)
                            })
                            .map(|v| format!("the value `{}` captured earlier", v.value))
                    });
                if let Some(clash) = clash {
                    self.at(
                        var,
                        format!(
                            "capture variable `{}` would be the exported script's parameter -{script_param}, which is already {clash}; choose another name",
                            var.value
                        ),
                    );
                }
                if params.iter().any(|p| p.name == var.value)
                    || capture_before(raw, index, &var.value).is_some()
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
                        if let Some(secs) = parse_interval(&i.value) {
                            secs
                        } else {
                            self.at(
                                i,
                                format!(
                                    "interval `{}` is not a duration such as `30s`, `5m` or `1h`",
                                    i.value
                                ),
                            );
                            60
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
