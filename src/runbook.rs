//! The validated runbook: what the renderer, the exporter and the engine work from.
//!
//! Only `validate` builds these, so everything here already holds: ids are unique, jumps land,
//! templates compile and name only known variables.

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::condition::Condition;
use crate::param::{Value, ValueType};

/// A validated runbook.
#[derive(Debug, Clone)]
pub struct Runbook {
    /// Kebab-case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The runbook's own version.
    pub version: String,
    /// Description.
    pub description: String,
    /// KB / documentation URLs.
    pub references: Vec<String>,
    /// Parameters, in declaration order.
    pub params: Vec<Param>,
    /// Steps, in file order.
    pub steps: Vec<Step>,
    /// What points to this runbook.
    pub matches: Matches,
    /// The file's display name.
    pub source_name: String,
    /// The exact source text.
    pub source_text: String,
    /// Lowercase hex sha256 of the source text.
    pub sha256: String,
    /// The template files it uses (name -> text), so a run can carry them in its state.
    pub template_files: std::collections::BTreeMap<String, String>,
    /// Run once when `--exec` starts its shell.
    pub preamble: Option<String>,
    /// Authoring smells (`runbook validate` prints them; never an error).
    pub warnings: Vec<crate::source::Diagnostic>,
    /// Default `--exec` timeout in seconds.
    pub timeout_secs: u64,
}

/// Anchors, error texts, event ids, codes and context words that point to a runbook.
#[derive(Debug, Clone, Default)]
pub struct Matches {
    /// Case-insensitive regular expressions for language-independent names (checked).
    pub anchors: Vec<String>,
    /// Case-insensitive regular expressions (checked; compiled by `runbook match`).
    pub errors: Vec<String>,
    /// Event ids with their log.
    pub events: Vec<(u32, String)>,
    /// Error codes.
    pub codes: Vec<String>,
    /// Case-insensitive regular expressions for the runbook's area (checked).
    pub context: Vec<String>,
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name used in templates.
    pub name: String,
    /// Declared type.
    pub value_type: ValueType,
    /// Whether a value must be given (false when there is a default).
    pub required: bool,
    /// Default value.
    pub default: Option<Value>,
    /// Example value.
    pub example: Value,
    /// Prompt text.
    pub prompt: Option<String>,
    /// Help text.
    pub help: Option<String>,
    /// Extra pattern.
    pub pattern: Option<Regex>,
    /// The most characters of a text value or list item.
    pub max_length: Option<usize>,
    /// Masked in exports, never stored.
    pub secret: bool,
}

impl Param {
    /// Checks text supplied for this parameter.
    pub fn parse_text(&self, text: &str) -> Result<Value, crate::param::ValueError> {
        let value = self.value_type.parse_text(text, self.pattern.as_ref())?;
        crate::param::check_max_length(&value, self.max_length)?;
        Ok(value)
    }

    /// Checks a list given as separate items for this parameter.
    pub fn parse_items(&self, items: &[String]) -> Result<Value, crate::param::ValueError> {
        let value = self.value_type.parse_items(items, self.pattern.as_ref())?;
        crate::param::check_max_length(&value, self.max_length)?;
        Ok(value)
    }
}

/// A PowerShell (or message) template attached to a step.
#[derive(Debug, Clone)]
pub struct Template {
    /// The Tera template name (unique per runbook).
    pub name: String,
    /// Where it came from, for messages: `templates/x.ps1` or `steps[3].command`.
    pub origin: String,
    /// For an inline template, the runbook's `line:col` of its YAML value (for `runbook
    /// validate`'s PowerShell checks); `None` for a file in `templates/`.
    pub inline_at: Option<(u64, u64)>,
}

/// A step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Unique id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Text for the operator.
    pub instructions: Option<String>,
    /// Read, change or destructive.
    pub impact: Impact,
    /// Skip condition.
    pub when: Option<Condition>,
    /// Loop over a list.
    pub for_each: Option<ForEach>,
    /// How to undo it.
    pub rollback: Option<Rollback>,
    /// Unconditional jump after the step.
    pub next: Option<Target>,
    /// Reaching this step ends the run without a fix (`outcome: unresolved`).
    pub unresolved: bool,
    /// Kind-specific data.
    pub kind: StepKind,
    /// How `--exec` runs and judges it.
    pub exec: StepExec,
}

impl Step {
    /// A check that gates the run: later steps wait until it passes or is overridden.
    pub fn is_gate(&self) -> bool {
        matches!(self.kind, StepKind::Check { gate: true, .. })
    }

    /// The step's templates, in display order: command, verify, message, rollback command.
    pub fn templates(&self) -> Vec<&Template> {
        let mut out = Vec::new();
        match &self.kind {
            StepKind::Command {
                command, verify, ..
            } => {
                out.push(command);
                if let Some(v) = verify {
                    out.push(&v.command);
                }
            }
            StepKind::Check { command, .. } | StepKind::Wait { command, .. } => out.push(command),
            StepKind::Capture {
                command: Some(c), ..
            } => out.push(c),
            StepKind::Notify { message, .. } => out.push(message),
            _ => {}
        }
        if let Some(c) = self.rollback.as_ref().and_then(|r| r.command.as_ref()) {
            out.push(c);
        }
        out
    }
}

/// How `--exec` judges a command's result.
#[derive(Debug, Clone, Default)]
pub struct Expectation {
    /// A pattern the output must match.
    pub pass_if: Option<Regex>,
    /// The exit status it must end with (default 0).
    pub exit_status: Option<i32>,
}

/// What `--exec` needs of a step.
#[derive(Debug, Clone, Default)]
pub struct StepExec {
    /// How a `check` or `wait` is judged.
    pub expect: Expectation,
    /// This step's timeout, overriding the runbook's.
    pub timeout_secs: Option<u64>,
    /// For a capture: proposes the value from the output (named group).
    pub from_output: Option<Regex>,
}

/// The list a step loops over.
#[derive(Debug, Clone)]
pub struct ForEach {
    /// A list param or captured list.
    pub list: String,
    /// The item variable's name.
    pub item: String,
}

/// How to undo a step.
#[derive(Debug, Clone)]
pub struct Rollback {
    /// Text.
    pub instructions: Option<String>,
    /// Command.
    pub command: Option<Template>,
}

impl Runbook {
    /// Whether the decision at step `decision` decides if a destructive step runs: the
    /// destructive steps reachable after one of its choices are not those after another.
    pub(crate) fn guards_destructive(&self, decision: usize) -> bool {
        let StepKind::Decision { choices, .. } = &self.steps[decision].kind else {
            return false;
        };
        let mut seen: Option<Vec<usize>> = None;
        for c in choices {
            let start = match c.goto {
                Some(Target::Step(to)) => Some(to),
                Some(Target::End) => None,
                None => Some(decision + 1),
            };
            let destructive: Vec<usize> = self
                .reachable(start)
                .into_iter()
                .filter(|&i| self.steps[i].impact == Impact::Destructive)
                .collect();
            match &seen {
                Some(other) if *other != destructive => return true,
                _ => seen = Some(destructive),
            }
        }
        false
    }

    /// Every step index the walk can reach from `start` (none for the end), decisions taking
    /// any of their choices.
    fn reachable(&self, start: Option<usize>) -> std::collections::BTreeSet<usize> {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<usize> = start.into_iter().collect();
        while let Some(i) = todo.pop() {
            if i >= self.steps.len() || !seen.insert(i) {
                continue;
            }
            match &self.steps[i].kind {
                StepKind::Decision { choices, .. } => {
                    for c in choices {
                        match c.goto {
                            Some(Target::Step(to)) => todo.push(to),
                            Some(Target::End) => {}
                            None => todo.push(i + 1),
                        }
                    }
                }
                _ => todo.push(i + 1),
            }
        }
        seen
    }
}

/// Where a jump goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Step index.
    Step(usize),
    /// End of the run.
    End,
}

/// A verification command.
#[derive(Debug, Clone)]
pub struct Verify {
    /// The read-only command.
    pub command: Template,
    /// What a pass looks like.
    pub expect: Option<String>,
    /// How `--exec` judges it.
    pub exec: Expectation,
}

/// A decision's answer.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Choice id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Where it goes; `None` continues with the next step.
    pub goto: Option<Target>,
}

/// What a step is.
#[derive(Debug, Clone)]
pub enum StepKind {
    /// A manual action.
    Instruction,
    /// A command.
    Command {
        /// The command.
        command: Template,
        /// Its verification.
        verify: Option<Verify>,
        /// For destructive steps: the variable to type to confirm.
        confirm: Option<String>,
    },
    /// A read-only check.
    Check {
        /// The command.
        command: Template,
        /// What a pass looks like.
        expect: Option<String>,
        /// Whether later steps wait for it.
        gate: bool,
    },
    /// A captured value.
    Capture {
        /// Variable name.
        variable: String,
        /// Type.
        value_type: ValueType,
        /// Example value.
        example: Value,
        /// Extra pattern.
        pattern: Option<Regex>,
        /// A command producing the value.
        command: Option<Template>,
    },
    /// A question.
    Decision {
        /// The question.
        question: String,
        /// The answers.
        choices: Vec<Choice>,
    },
    /// Waiting for the outside world.
    Wait {
        /// The check command.
        command: Template,
        /// What a pass looks like.
        expect: Option<String>,
        /// Suggested interval in seconds.
        interval_secs: u64,
    },
    /// A named approval.
    Approval {
        /// Who approves.
        approver: String,
    },
    /// A message to send.
    Notify {
        /// Recipient.
        to: String,
        /// Subject.
        subject: Option<String>,
        /// The message template.
        message: Template,
    },
}

impl StepKind {
    /// The kind's name as written in YAML.
    pub fn name(&self) -> &'static str {
        match self {
            StepKind::Instruction => "instruction",
            StepKind::Command { .. } => "command",
            StepKind::Check { .. } => "check",
            StepKind::Capture { .. } => "capture",
            StepKind::Decision { .. } => "decision",
            StepKind::Wait { .. } => "wait",
            StepKind::Approval { .. } => "approval",
            StepKind::Notify { .. } => "notify",
        }
    }
}

// Deserialize and JsonSchema: `raw` reads it from the YAML as it is (its doc is the schema's).
/// What a step does to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    /// Reads only.
    Read,
    /// Changes configuration that can be changed back.
    Change,
    /// Removes or replaces something that cannot simply be put back.
    Destructive,
}

impl Impact {
    /// The impact's name as written in YAML.
    pub fn name(self) -> &'static str {
        match self {
            Impact::Read => "read",
            Impact::Change => "change",
            Impact::Destructive => "destructive",
        }
    }
}

impl Runbook {
    /// Where a run goes after step `index` when no answer decides: its `next:`, or the step
    /// after it.
    pub fn successor(&self, index: usize) -> Target {
        self.steps[index].next.unwrap_or(Target::Step(index + 1))
    }

    /// The capture step that defines `variable`, if any.
    pub fn capture(&self, variable: &str) -> Option<(usize, &ValueType)> {
        self.steps
            .iter()
            .enumerate()
            .find_map(|(i, s)| match &s.kind {
                StepKind::Capture {
                    variable: v,
                    value_type,
                    ..
                } if v == variable => Some((i, value_type)),
                _ => None,
            })
    }

    /// The parameter named `name`, if any.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// Counts of read, change and destructive steps.
    pub fn impact_counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for s in &self.steps {
            counts[s.impact as usize] += 1;
        }
        counts
    }
}

/// `trust_name` -> `TrustName`: the script parameter for a captured value.
pub fn script_parameter(variable: &str) -> String {
    variable
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Parameter names the exported script already uses for its own parameters, or PowerShell for its common ones.
pub(crate) const RESERVED_PARAMETERS: &[&str] = &[
    "StartAt",
    "Override",
    "RecordPath",
    "Verbose",
    "Debug",
    "ErrorAction",
    "WarningAction",
    "InformationAction",
    "ErrorVariable",
    "WarningVariable",
    "InformationVariable",
    "OutVariable",
    "OutBuffer",
    "PipelineVariable",
    "WhatIf",
    "Confirm",
];

/// Lowercase hex sha256 of `data`, as runbooks and state files record it.
pub fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    use sha2::{Digest, Sha256};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(data.as_ref()) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}
