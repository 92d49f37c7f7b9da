//! The runbook file as written: serde types mirroring the YAML, with source positions.
//!
//! Nothing here is trusted yet: `validate` turns a [`RawRunbook`] into a [`crate::runbook::Runbook`].
//! Every struct denies unknown keys, so a typo is an error rather than a silently ignored line.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::runbook::Impact;

/// A value with the line and column it was written at.
pub(crate) type Span<T> = Spanned<T>;

/// A runbook file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "runbook", description = "A runbook for the `runbook` engine")]
pub(crate) struct RawRunbook {
    /// Kebab-case identifier, equal to the file name without `.yaml`.
    #[schemars(with = "String")]
    pub id: Span<String>,
    /// One line saying what the runbook fixes.
    pub title: String,
    /// The runbook's own version (for example `1.0.0`).
    #[schemars(with = "String")]
    pub version: Span<String>,
    /// When to use it, and what it does.
    #[serde(default)]
    pub description: String,
    /// URLs of the KB articles and documentation the steps follow.
    #[serde(default)]
    pub references: Vec<String>,
    /// The values the operator supplies.
    #[serde(default)]
    pub params: Vec<RawParam>,
    /// The steps, in order.
    pub steps: Vec<RawStep>,
    /// What an operator pastes that this runbook fixes (`runbook match`).
    #[serde(default)]
    pub matches: Option<RawMatches>,
    /// PowerShell run once when `--exec` starts its shell (e.g. loading the Exchange
    /// Management Shell).
    #[serde(default)]
    pub preamble: Option<String>,
    /// Default per-command timeout under `--exec` (`30s`, `5m`, `1h`; default 10m).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Span<String>>,
}

/// Anchors, error texts, event ids, error codes and context words that point to a runbook.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatches {
    /// Regular expressions over the pasted text (case-insensitive).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub errors: Vec<Span<String>>,
    /// Event ids with their log.
    #[serde(default)]
    pub events: Vec<RawEventMatch>,
    /// Error codes, matched as whole words (`1007`, `MSIS5009`, `HCW8006`).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Regular expressions (case-insensitive) for names that stay in English in every language
    /// and name exactly this situation: monitoring rule ids, property names (`EventDisplayNumber`
    /// values are found through `events`). The strongest sign.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub anchors: Vec<Span<String>>,
    /// Regular expressions (case-insensitive) that place the text in this runbook's area without
    /// naming the situation (a publisher, a cmdlet shared with sibling runbooks). A weak sign.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub context: Vec<Span<String>>,
}

/// An event id in a log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEventMatch {
    /// The event id.
    pub id: u32,
    /// The log it is written to (`AD FS/Admin`, `Security`).
    pub log: String,
}

/// A parameter declaration.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParam {
    /// Name used in templates: `[a-z][a-z0-9_]*`.
    #[schemars(with = "String")]
    pub name: Span<String>,
    /// The value type.
    #[serde(rename = "type")]
    #[schemars(with = "TypeName")]
    pub type_: Span<TypeName>,
    /// Element type of a `list`.
    #[serde(default)]
    #[schemars(with = "Option<TypeName>")]
    pub items: Option<Span<TypeName>>,
    /// Allowed values of an `enum`.
    #[serde(default)]
    pub values: Vec<String>,
    /// Whether the run needs a value (default: true).
    #[serde(default)]
    pub required: Option<bool>,
    /// The value used when none is given.
    #[serde(default)]
    #[schemars(with = "Option<RawValue>")]
    pub default: Option<Span<RawValue>>,
    /// A realistic value: used by `--example`, the tests and the docs. Required.
    #[serde(default)]
    #[schemars(with = "Option<RawValue>")]
    pub example: Option<Span<RawValue>>,
    /// The question asked when the value is missing.
    #[serde(default)]
    pub prompt: Option<String>,
    /// Where to find the value, shown with the prompt.
    #[serde(default)]
    pub help: Option<String>,
    /// A regular expression the whole value must match.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Span<String>>,
    /// The most characters a text value (or each list item) may have.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub max_length: Option<Span<u32>>,
    /// Masked in exports and never written to a state file.
    #[serde(default)]
    pub secret: bool,
}

/// Parameter and capture types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TypeName {
    /// Any text without control characters.
    String,
    /// `true` or `false`; renders `$true` / `$false`.
    Bool,
    /// A whole number; renders as digits.
    Int,
    /// One of `values`.
    Enum,
    /// A DNS name such as `contoso.com`.
    Domain,
    /// An e-mail address (SMTP).
    Email,
    /// A certificate thumbprint: 40 hexadecimal digits.
    Thumbprint,
    /// An absolute URI such as `https://...`.
    Uri,
    /// A file-system path.
    Path,
    /// A list of `items`.
    List,
}

/// A step.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawStep {
    /// Unique step id: `[a-z0-9][a-z0-9-]*`.
    #[schemars(with = "String")]
    pub id: Span<String>,
    /// What the step does, in a few words.
    pub title: String,
    /// What kind of step this is.
    #[schemars(with = "StepKindName")]
    pub kind: Span<StepKindName>,
    /// Text for the operator: what to do and why.
    #[serde(default)]
    pub instructions: Option<String>,
    /// What the step does to the system (default: read).
    #[serde(default)]
    #[schemars(with = "Option<Impact>")]
    pub impact: Option<Span<Impact>>,
    /// A condition on parameters and captured values; the step is skipped when it is false.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub when: Option<Span<String>>,
    /// A list parameter or captured list: one tracked unit per item.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub for_each: Option<Span<String>>,
    /// The item variable's name in a `for_each` step (default `item`).
    #[serde(default, rename = "as")]
    #[schemars(with = "Option<String>")]
    pub as_: Option<Span<String>>,
    /// How to undo the step.
    #[serde(default)]
    pub rollback: Option<RawRollback>,
    /// Unconditional jump after this step: a step id or `end`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub next: Option<Span<String>>,
    /// `unresolved`: reaching this step ends the run without a fix (a failure branch, or a
    /// hand-over to another runbook). Needs `next: end`. The exported script then ends with
    /// exit code 2 and says so instead of "finished".
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub outcome: Option<Span<String>>,
    /// Inline PowerShell template (command, check, capture, wait).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub command: Option<Span<String>>,
    /// A file in `templates/` instead of an inline `command` (or `message` for notify).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub template: Option<Span<String>>,
    /// A read-only command proving a `command` step worked.
    #[serde(default)]
    pub verify: Option<RawVerify>,
    /// What a pass looks like (check, wait).
    #[serde(default)]
    pub expect: Option<String>,
    /// A `check` that blocks later steps until it passes or is overridden.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub gate: Option<Span<bool>>,
    /// The variable whose value the operator types to confirm a destructive step.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub confirm: Option<Span<String>>,
    /// The name a `capture` stores its value under.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub variable: Option<Span<String>>,
    /// The captured value's type.
    #[serde(default, rename = "type")]
    #[schemars(with = "Option<TypeName>")]
    pub type_: Option<Span<TypeName>>,
    /// Element type of a captured list.
    #[serde(default)]
    #[schemars(with = "Option<TypeName>")]
    pub items: Option<Span<TypeName>>,
    /// A realistic captured value.
    #[serde(default)]
    #[schemars(with = "Option<RawValue>")]
    pub example: Option<Span<RawValue>>,
    /// A regular expression the captured value must match.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Span<String>>,
    /// The question a `decision` asks.
    #[serde(default)]
    pub question: Option<String>,
    /// A `decision`'s answers.
    #[serde(default)]
    pub choices: Option<Vec<RawChoice>>,
    /// How often to check a `wait` (`30s`, `5m`, `1h`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub interval: Option<Span<String>>,
    /// Under `--exec`: a regular expression the output of a `check` or `wait` must match.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pass_if: Option<Span<String>>,
    /// Under `--exec`: the exit status a `check` or `wait` must end with (default 0).
    #[serde(default)]
    pub exit_status: Option<i32>,
    /// Under `--exec`: this step's command timeout (`30s`, `5m`, `1h`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Span<String>>,
    /// Under `--exec`: a regular expression with a named group (the variable's name, or
    /// `value`) that proposes a capture's value from its command's output.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub from_output: Option<Span<String>>,
    /// Who must approve an `approval`.
    #[serde(default)]
    pub approver: Option<String>,
    /// Who receives a `notify` message.
    #[serde(default)]
    pub to: Option<String>,
    /// A `notify` message's subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// Inline `notify` text template (values are not quoted; use `| ps`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub message: Option<Span<String>>,
}

/// The step kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum StepKindName {
    /// A manual action without a command.
    Instruction,
    /// A PowerShell command, optionally with a verification.
    Command,
    /// A read-only verification, optionally a gate.
    Check,
    /// A value copied from output into the run.
    Capture,
    /// A question whose answer chooses the next step.
    Decision,
    /// Waiting for something outside, such as DNS propagation.
    Wait,
    /// A named person confirms before the run goes on.
    Approval,
    /// A message for the operator to send.
    Notify,
}

/// A `verify:` block.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVerify {
    /// Inline read-only PowerShell template.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub command: Option<Span<String>>,
    /// A file in `templates/`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub template: Option<Span<String>>,
    /// What a pass looks like.
    #[serde(default)]
    pub expect: Option<String>,
    /// Under `--exec`: a regular expression the output must match.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub pass_if: Option<Span<String>>,
    /// Under `--exec`: the exit status it must end with (default 0).
    #[serde(default)]
    pub exit_status: Option<i32>,
}

/// A `rollback:` block.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRollback {
    /// How to undo the step.
    #[serde(default)]
    pub instructions: Option<String>,
    /// Inline PowerShell template that undoes it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub command: Option<Span<String>>,
    /// A file in `templates/`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub template: Option<Span<String>>,
}

/// One answer of a `decision`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawChoice {
    /// Choice id: `[a-z0-9][a-z0-9-]*`.
    #[schemars(with = "String")]
    pub id: Span<String>,
    /// What the operator reads.
    pub label: String,
    /// The step to continue with, or `end`; the next step when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub goto: Option<Span<String>>,
}

/// A scalar or list as written in YAML, before it is checked against a type.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// A string, number or boolean, as text.
    Scalar(String),
    /// A sequence of scalars.
    List(Vec<String>),
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawValueVisitor { nested: false })
    }
}

/// Reads a scalar as text, or one level of sequence; a hand-written visitor rather than
/// `#[serde(untagged)]`, whose errors say nothing useful.
struct RawValueVisitor {
    nested: bool,
}

impl<'de> serde::de::Visitor<'de> for RawValueVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.nested {
            f.write_str("a string, number or boolean")
        } else {
            f.write_str("a string, number, boolean or a list of them")
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(v.to_owned()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(v.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(v.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(v.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Scalar(v.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        if self.nested {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Seq,
                &self,
            ));
        }
        let mut items = Vec::new();
        while let Some(RawValue::Scalar(item)) = seq.next_element_seed(NestedSeed)? {
            items.push(item);
        }
        Ok(RawValue::List(items))
    }
}

struct NestedSeed;

impl<'de> serde::de::DeserializeSeed<'de> for NestedSeed {
    type Value = RawValue;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        d.deserialize_any(RawValueVisitor { nested: true })
    }
}

impl JsonSchema for RawValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Value".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A string, number or boolean, or a list of them",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                { "type": "array", "items": { "type": ["string", "number", "boolean"] } }
            ]
        })
    }
}
