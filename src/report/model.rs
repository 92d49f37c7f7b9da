//! The run record as data: what `runbook report --format json` prints, and what the Markdown
//! record is rendered from. The types are the contract: `report.schema.json` is generated from
//! them (`runbook schema --report`), so the schema cannot drift from the output. Every field is
//! always present (`null` or empty when there is nothing to say), so a script never has to
//! guess whether a field was left out or renamed; the one exception is an execution's
//! `exit_status`, left out as the state file leaves it out (scripts already read it so).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

use crate::param::Value;

/// Bumped when a field changes meaning or goes away; new fields do not bump it.
pub(crate) const REPORT_FORMAT: u32 = 1;

/// A run's record for its change ticket (`runbook report --format json`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields, title = "runbook report")]
pub(crate) struct Report {
    /// The report format: 1.
    pub format: u32,
    pub runbook: RunbookInfo,
    /// The change ticket the run belongs to (`run --ticket`).
    pub ticket: Option<String>,
    /// `running` (stopped, to be resumed, or going on), `complete` or `aborted`.
    pub status: RunStatus,
    /// Whether the run reached its end.
    pub complete: bool,
    /// Set when `runbook handover` closed this file: the run goes on from the copy.
    pub handed_over: Option<HandedOver>,
    /// Whether the record is whole: an intact chain, and runbook texts matching their sha256.
    pub intact: bool,
    /// `record intact: N events, chain verified`, or where and how the record is damaged.
    pub integrity: String,
    /// When the run started (RFC 3339 UTC); the same as `started_at`.
    pub created_at: String,
    /// When the run started (RFC 3339 UTC).
    pub started_at: String,
    /// Who started it.
    pub started_by: String,
    /// The machine it started on.
    pub host: String,
    /// When it reached its end, or was aborted (the last abort, if it was not resumed since).
    pub finished_at: Option<String>,
    /// From `started_at` to `finished_at`, in seconds.
    pub duration_secs: Option<u64>,
    /// The newest event's time.
    pub last_event_at: Option<String>,
    /// Everyone who recorded something, in the order they first acted.
    pub operators: Vec<String>,
    /// Parameter values as the run ended (secrets are never recorded).
    pub params: BTreeMap<String, ParamValue>,
    /// Names of the secret parameters.
    pub secret_params: Vec<String>,
    /// Values captured during the run, by variable.
    pub captured: BTreeMap<String, ParamValue>,
    /// The closing summary: what needs attention, and the counts.
    pub summary: Summary,
    /// Every unit (a step, or one item of a `for_each` step), in plan order.
    pub units: Vec<UnitReport>,
    /// Approvals given: the approver as typed, and who recorded it.
    pub approvals: Vec<ApprovalRecord>,
    /// Decisions taken.
    pub decisions: Vec<DecisionRecord>,
    /// Values captured, with who captured them and when.
    pub captures: Vec<CaptureRecord>,
    /// Parameters changed during the run (`resume --set`, or the menu).
    pub param_changes: Vec<ParamChange>,
    /// Hand-overs (`runbook handover`) and plain copies taken up elsewhere.
    pub handovers: Vec<Handover>,
    /// The shells `--exec` started the commands in.
    pub shells: Vec<ShellRecord>,
    /// Why the runbook text in the record could not be read (then titles, kinds and impacts are
    /// unknown: `null`).
    pub runbook_error: Option<String>,
    /// Every event of the journal, in order, without the chain's hashes.
    pub events: Vec<EventRecord>,
}

/// Which runbook the run followed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct RunbookInfo {
    pub id: String,
    pub version: String,
    /// Lowercase hex sha256 of the runbook text the run followed.
    pub sha256: String,
    pub title: Option<String>,
    /// Where it was loaded from (a path, or `runbooks/<id>.yaml` for a shipped one).
    pub source_name: String,
}

/// The run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RunStatus {
    Running,
    Complete,
    Aborted,
}

/// `runbook handover` closed this file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct HandedOver {
    pub to: String,
    /// Where the run goes on from.
    pub path: String,
    pub at: String,
}

/// A parameter or captured value: text, a boolean, a whole number, or a list of them.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub(crate) struct ParamValue(pub Value);

impl JsonSchema for ParamValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ParamValue".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A parameter or captured value: text, a boolean, a whole number, or a list of them.",
            "type": ["string", "boolean", "integer", "array"],
            "items": {"type": ["string", "boolean", "integer"]}
        })
    }
}

/// The closing summary: what needs attention first, then how many units ended how.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Summary {
    pub counts: Counts,
    /// Gates overridden, units skipped by an operator or failed, approvals refused, verdicts
    /// overruled, list items not completed, and the run itself when it did not end or followed a
    /// runbook text other than its own: each with who and why.
    pub attention: Vec<AttentionItem>,
}

/// How many units ended how.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Counts {
    pub done: usize,
    pub overridden: usize,
    /// Skipped by an operator.
    pub skipped: usize,
    /// Skipped by the run: a `when:` that was false, or not on the path a decision took.
    pub not_run: usize,
    pub failed: usize,
    pub in_progress: usize,
    pub pending: usize,
}

/// One thing the closing summary asks a reader to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct AttentionItem {
    pub kind: AttentionKind,
    /// The unit (`step` or `step[item]`); `null` for the run as a whole.
    pub unit: Option<String>,
    pub step: Option<String>,
    pub item: Option<String>,
    /// For `item-not-completed`: the items of the step not completed, in plan order (one entry
    /// per step, however long its list).
    pub items: Vec<String>,
    /// The step's title, when the runbook is known.
    pub title: Option<String>,
    /// When it was recorded.
    pub at: Option<String>,
    /// Who recorded it.
    pub operator: Option<String>,
    /// Why, as the operator gave it (or as the run recorded it).
    pub reason: Option<String>,
}

/// What an [`AttentionItem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AttentionKind {
    /// A gate that did not pass, overridden with a reason.
    GateOverridden,
    /// A unit an operator skipped.
    Skipped,
    /// A unit whose last attempt failed.
    Failed,
    /// An approval refused (the run stopped there).
    ApprovalRefused,
    /// `--exec` judged a command failed and the operator passed it.
    VerdictOverruled,
    /// Items of a `for_each` step not reached or not finished (one entry per step).
    ItemNotCompleted,
    /// The run did not reach its end: stopped, aborted, or handed over.
    RunNotFinished,
    /// The run followed a runbook text other than the shipped one of its id and version.
    RunbookModified,
}

/// One unit and everything recorded about it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct UnitReport {
    /// The step's number in the runbook (as the plan numbers it), when the runbook is known.
    pub number: Option<usize>,
    /// `step`, or `step[item]` for an item of a `for_each` step.
    pub id: String,
    pub step: String,
    pub item: Option<String>,
    pub title: Option<String>,
    /// `instruction`, `command`, `check`, `capture`, `decision`, `wait`, `approval`, `notify`.
    pub kind: Option<String>,
    /// `read`, `change` or `destructive`.
    pub impact: Option<String>,
    pub destructive: bool,
    /// A check that later steps wait for.
    pub gate: bool,
    /// `pending`, `in_progress`, `done`, `overridden`, `skipped` or `failed`.
    pub status: String,
    /// The outcome in words: `done`, `done after 2 failed attempts`, `overridden`, `skipped`,
    /// `not run` (skipped by the run), `failed`, `in progress`, `not reached`.
    pub outcome: String,
    /// When it was last started.
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    /// Who last recorded its outcome (for a destructive unit, who confirmed and ran it).
    pub operator: Option<String>,
    /// Every text recorded on the unit, one per line, as `status` shows it: notes, reasons and
    /// what the run recorded. The fields below keep them apart.
    pub note: Option<String>,
    /// How many of its attempts failed.
    pub failed_attempts: usize,
    /// Each time it was shown to an operator, oldest first.
    pub attempts: Vec<Attempt>,
    /// The gate's override: who and why.
    pub overridden: Option<Said>,
    /// Its skip: who and why, and whether the run skipped it rather than an operator.
    pub skipped: Option<Skip>,
    /// The operators' notes (not failure or skip reasons).
    pub notes: Vec<Said>,
    /// A destructive unit's typed confirmations.
    pub confirmations: Vec<Confirmation>,
    /// `--exec` verdicts the operator overruled.
    pub verdicts_overruled: Vec<Overrule>,
    /// The command as last shown (secrets masked).
    pub command: Option<String>,
    /// What `--exec` ran and what the operator pasted, with the output kept, oldest first.
    pub executions: Vec<Execution>,
}

/// One showing of a unit to an operator, and how it ended.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Attempt {
    /// `null` when the unit was settled without being shown (a journal that says so).
    pub started_at: Option<String>,
    pub started_by: Option<String>,
    /// The command as shown in this attempt (secrets masked).
    pub command: Option<String>,
    pub result: AttemptResult,
    pub ended_at: Option<String>,
    pub ended_by: Option<String>,
    /// Why it failed or was skipped; or what the run recorded with it (`approved by ...`).
    pub reason: Option<String>,
    /// Under `--exec`, the operator ran it by hand.
    pub by_hand: bool,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AttemptResult {
    Done,
    Failed,
    Skipped,
    /// Interrupted (Ctrl-C, a crash), then shown again.
    Interrupted,
    /// The operator paused the run here, and it was shown again on resume.
    Paused,
    /// Nobody could answer (no terminal, no scripted answer); shown again on resume.
    NoAnswer,
    /// Started over (a parameter it uses changed, or it was left in progress).
    Restarted,
    /// Not finished yet.
    InProgress,
}

/// Something an operator recorded: when, who, and the text.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Said {
    pub at: String,
    pub operator: String,
    pub text: String,
}

/// A unit's skip.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Skip {
    pub at: String,
    pub operator: String,
    pub reason: String,
    /// Skipped by the run (a `when:` that was false, or not on the path taken), not an operator.
    pub by_run: bool,
}

/// A destructive unit's target, typed to confirm it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Confirmation {
    pub at: String,
    pub operator: String,
    pub target: String,
}

/// An `--exec` verdict the operator overruled.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Overrule {
    pub at: String,
    pub operator: String,
    /// What the engine judged: true for pass (the operator said it failed), false for fail
    /// (the operator passed it).
    pub engine_passed: bool,
    pub reason: String,
}

/// One command `--exec` ran for a unit, or output the operator pasted.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct Execution {
    /// `command`, `verify`, `check`, `wait` or `capture`; `pasted` for output the operator
    /// pasted ("add output": no exit status, a duration of 0, `verdict` names who pasted it).
    pub what: String,
    pub started_at: String,
    pub duration_ms: u64,
    /// Left out when it timed out or the shell died (as in the state file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// `pass`, or `fail: why` (the engine's verdict).
    pub verdict: String,
    /// Its output, secrets masked, cut to 64 KiB per unit (newest kept).
    pub output: String,
}

/// An approval, as recorded.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ApprovalRecord {
    pub unit: String,
    /// Who the runbook says approves (`the change manager`).
    pub approver_role: Option<String>,
    /// The approver's name as the operator typed it.
    pub approved_by: String,
    /// The operator who recorded the approval.
    pub recorded_by: String,
    pub at: String,
}

/// A decision, as taken.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct DecisionRecord {
    pub unit: String,
    /// The decision's question, when the runbook is known.
    pub question: Option<String>,
    pub choice: String,
    pub label: String,
    pub operator: String,
    pub at: String,
}

/// A value captured.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct CaptureRecord {
    pub unit: String,
    pub variable: String,
    pub value: ParamValue,
    pub operator: String,
    pub at: String,
}

/// A parameter changed during the run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ParamChange {
    pub name: String,
    /// `null` for a secret.
    pub old: Option<ParamValue>,
    /// `null` for a secret.
    pub new: Option<ParamValue>,
    pub secret: bool,
    pub operator: String,
    pub at: String,
}

/// A hand-over, or a copy taken up elsewhere.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "event", rename_all = "kebab-case")]
#[schemars(deny_unknown_fields)]
pub(crate) enum Handover {
    /// `runbook handover` closed the file for `to`, who goes on from `path`.
    HandedOver {
        at: String,
        operator: String,
        to: String,
        path: String,
    },
    /// The first line of a handed-over copy: it came from `from`.
    Received {
        at: String,
        operator: String,
        from: String,
        host: String,
        path: String,
    },
    /// The record was taken up somewhere other than where it was last written (a plain copy).
    Moved {
        at: String,
        operator: String,
        from_host: String,
        from_path: String,
    },
}

/// A shell `--exec` used, and the preamble it ran first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub(crate) struct ShellRecord {
    pub at: String,
    pub operator: String,
    /// Which shell, in one line.
    pub shell: String,
    /// The preamble's text, if any.
    pub preamble: Option<String>,
}

/// One journal event: its sequence number, time, operator and name, and the event's own fields
/// as the state file has them (`FORMAT.md`), without the chain's hash.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub(crate) struct EventRecord {
    pub seq: u64,
    pub at: String,
    pub operator: String,
    /// The event's name (`started`, `done`, `failed`, `gate-overridden`, ...).
    pub event: String,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}
