//! The state file's format: everything needed to resume a run anywhere, versioned by `format`.
//!
//! It carries the runbook's full source (so a run resumes on another machine, or after the
//! shipped runbook changed), parameter values except secrets, captured values, every unit's
//! status, and an append-only list of events. Storage (atomic writes, locking) is `store`'s job.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::param::Value;

/// The format version this build reads and writes. Bump it deliberately, with a migration.
pub const FORMAT: u32 = 1;

/// A run's whole record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Always [`FORMAT`] when written by this build.
    pub format: u32,
    /// The runbook the run follows.
    pub runbook: RunbookRecord,
    /// When the run started.
    pub created_at: String,
    /// Parameter values, secrets excluded.
    pub params: BTreeMap<String, Value>,
    /// Names of secret parameters: asked again on every resume.
    pub secret_params: Vec<String>,
    /// Values captured so far.
    pub captured: BTreeMap<String, Value>,
    /// Every unit reached or planned, in run order.
    pub units: Vec<Unit>,
    /// Where the run continues: the step index and item index; `None` when finished.
    pub cursor: Option<Cursor>,
    /// `running`, `complete` or `aborted`.
    pub status: RunStatus,
    /// Append-only history.
    pub events: Vec<Event>,
}

/// The runbook as it was when the run started.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunbookRecord {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// sha256 of `source`.
    pub sha256: String,
    /// Where it was loaded from (a path or `runbooks/<id>.yaml` for a shipped one).
    pub source_name: String,
    /// The full YAML text.
    pub source: String,
    /// The template files it uses, by name.
    pub templates: BTreeMap<String, String>,
}

/// The next unit to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    /// Step index.
    pub step: usize,
    /// Item index within a `for_each` step (0 otherwise).
    pub item: usize,
}

/// The run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Not finished.
    Running,
    /// Every step reached its end.
    Complete,
    /// The operator aborted after a failure.
    Aborted,
}

/// A unit's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Not reached yet.
    Pending,
    /// Shown to the operator, outcome not recorded yet.
    InProgress,
    /// Done (or passed).
    Done,
    /// Skipped, by the operator or by a condition.
    Skipped,
    /// Failed.
    Failed,
}

/// One tracked unit: a step, or one item of a `for_each` step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// `step` or `step[item]`.
    pub id: String,
    /// The step id.
    pub step: String,
    /// The item, for `for_each` steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// Status.
    pub status: UnitStatus,
    /// When it was last started (RFC 3339 UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// When it was finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Who recorded the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Operator's notes, or the skip reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The command exactly as shown (secrets masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Commands run by `--exec`, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub executions: Vec<Execution>,
}

/// Output kept per unit, over all its executions: the newest output is kept first.
pub const OUTPUT_LIMIT: usize = 64 * 1024;

/// One command `--exec` ran for a unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Execution {
    /// `command`, `verify`, `check`, `wait` or `capture`.
    pub what: String,
    /// When it started (RFC 3339 UTC).
    pub started_at: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// The exit status; absent when it timed out or the shell died.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// "pass" or "fail: why" (the engine's verdict; the operator's is in the unit).
    pub verdict: String,
    /// Output (secrets masked), cut to [`OUTPUT_LIMIT`] per unit with a marker.
    pub output: String,
}

/// Appends `e` to `list`, then cuts outputs so the unit keeps at most [`OUTPUT_LIMIT`] bytes:
/// the newest output keeps its end (where errors are), older ones what budget is left.
pub fn keep_execution(list: &mut Vec<Execution>, e: Execution) {
    list.push(e);
    let mut budget = OUTPUT_LIMIT;
    for e in list.iter_mut().rev() {
        if e.output.len() <= budget {
            budget -= e.output.len();
            continue;
        }
        let cut = e.output.len() - budget;
        let marker = format!("[runbook: {cut} bytes of output cut]\n");
        let mut start = cut + marker.len().min(e.output.len() - cut);
        while !e.output.is_char_boundary(start) {
            start += 1;
        }
        e.output = format!("{marker}{}", &e.output[start..]);
        budget = budget.saturating_sub(e.output.len());
    }
}

/// One entry of the history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// RFC 3339 UTC.
    pub at: String,
    /// Who.
    pub operator: String,
    /// Which unit, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What happened (kebab-case).
    pub event: String,
    /// Details: a reason, a value, a choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Now, as stored: RFC 3339 UTC with seconds.
pub fn now() -> String {
    timestamp(Utc::now())
}

/// A time as stored.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> serde::de::Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string, boolean, integer or list")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Text(v.to_owned()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom("integer out of range"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::List(items))
    }
}
