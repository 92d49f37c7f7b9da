//! What a run looks like now: the fold of its journal's events (units, cursor, captured values,
//! status). Nothing else changes it: `session` records events and this module applies them,
//! the same way when a run is live and when its file is read back.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::journal::{
    self, Entry, Event, ExecutionRecord, Header, Journal, ReadError, RunbookRecord,
};
use crate::param::Value;

/// A run's state, as folded from its journal.
#[derive(Debug, Clone)]
pub struct State {
    pub header: Header,
    /// The runbook the run follows now: the header's, or the last one switched to.
    pub runbook: RunbookRecord,
    /// Parameter values, secrets excluded.
    pub params: BTreeMap<String, Value>,
    pub captured: BTreeMap<String, Value>,
    /// Every unit planned so far, in step order.
    pub units: Vec<Unit>,
    /// Where the run continues; `None` when finished.
    pub cursor: Option<Cursor>,
    pub status: RunStatus,
    /// Every event, in the order recorded (none kept by a live run: its journal has them).
    pub entries: Vec<Entry>,
    /// Where the record was last written: host and absolute path (`None` in records that did
    /// not say).
    pub place: Option<(String, String)>,
    /// `runbook handover` closed this file: to whom, the copy's path, when.
    pub handed_over: Option<(String, String, String)>,
    /// The events the next operator must hear about (failures, notes, skips, overrides,
    /// decisions, approvals, captures, stops), oldest first: kept by every fold, live or read
    /// back, so resume can tell them without reading the journal again.
    pub notable: Vec<Entry>,
    keep_entries: bool,
    /// Changes whenever a parameter or a captured value does (templates see them).
    values_version: u64,
    newest: Option<(DateTime<Utc>, String, String)>,
    by_id: HashMap<String, usize>,
    by_step: HashMap<String, Range<usize>>,
}

/// The next unit to run: a step id and the item index within it (0 for a plain step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub step: String,
    pub item: usize,
}

/// The run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Running,
    Complete,
    /// The operator aborted after a failure.
    Aborted,
}

impl RunStatus {
    /// The name `status` and `report` show.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Complete => "complete",
            RunStatus::Aborted => "aborted",
        }
    }
}

/// A unit's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Not reached yet, or re-opened.
    Pending,
    /// Shown to the operator, outcome not recorded yet.
    InProgress,
    Done,
    /// A gate that did not pass, overridden with a recorded reason: not `done`.
    Overridden,
    /// Skipped, by the operator or by a condition or a jump.
    Skipped,
    Failed,
}

impl UnitStatus {
    /// The name `status` and `report` show.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Pending => "pending",
            UnitStatus::InProgress => "in_progress",
            UnitStatus::Done => "done",
            UnitStatus::Overridden => "overridden",
            UnitStatus::Skipped => "skipped",
            UnitStatus::Failed => "failed",
        }
    }

    /// Done, overridden or skipped: nothing left to do.
    pub fn is_settled(self) -> bool {
        matches!(
            self,
            UnitStatus::Done | UnitStatus::Overridden | UnitStatus::Skipped
        )
    }
}

/// One tracked unit: a step, or one item of a `for_each` step.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// `step` or `step[item]`.
    pub id: String,
    pub step: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    pub status: UnitStatus,
    /// When it was last started (RFC 3339 UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// Who last recorded something about it; for a destructive unit, who typed its
    /// confirmation (and so ran it), even when someone else recorded its completion later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// Who typed the destructive unit's confirmation in its current attempt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    /// The operator's notes, or the skip reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Its last skip was the run's own (a `when:` that is false, or a step a jump passed over),
    /// not an operator's: it had not been started. The closing summary lists only the others.
    #[serde(skip)]
    pub skipped_by_run: bool,
    /// Commands run by `--exec`, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub executions: Vec<ExecutionRecord>,
}

/// Output kept per unit, over all its executions: the newest output is kept first.
pub(crate) const OUTPUT_LIMIT: usize = 64 * 1024;

/// Appends `e` to `list`, then cuts outputs so the unit keeps at most [`OUTPUT_LIMIT`] bytes:
/// the newest output keeps its end (where errors are), older ones what budget is left.
pub(crate) fn keep_execution(list: &mut Vec<ExecutionRecord>, e: ExecutionRecord) {
    list.push(e);
    let mut budget = OUTPUT_LIMIT;
    for e in list.iter_mut().rev() {
        if e.output.len() <= budget {
            budget -= e.output.len();
            continue;
        }
        e.output = cut_to(&e.output, budget);
        budget = budget.saturating_sub(e.output.len());
    }
}

/// `output` cut to [`OUTPUT_LIMIT`] bytes as the record keeps it: its end, after a marker
/// saying how much was cut.
pub(crate) fn cut_output(output: String) -> String {
    if output.len() <= OUTPUT_LIMIT {
        return output;
    }
    cut_to(&output, OUTPUT_LIMIT)
}

fn cut_to(output: &str, budget: usize) -> String {
    let cut = output.len() - budget;
    let marker = format!("[runbook: {cut} bytes of output cut]\n");
    let mut start = cut + marker.len().min(output.len() - cut);
    while !output.is_char_boundary(start) {
        start += 1;
    }
    format!("{marker}{}", &output[start..])
}

/// The unit id of the `item` of step `step` (`step[item]`), or of a plain step.
pub(crate) fn unit_id(step: &str, item: Option<&str>) -> String {
    match item {
        Some(v) => format!("{step}[{v}]"),
        None => step.to_owned(),
    }
}

/// Now, as stored: RFC 3339 UTC with seconds.
pub fn now() -> String {
    timestamp(Utc::now())
}

/// A time as stored.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn append_note(slot: &mut Option<String>, text: &str) {
    *slot = Some(match slot.take() {
        Some(old) if !old.is_empty() => format!("{old}\n{text}"),
        _ => text.to_owned(),
    });
}

impl State {
    /// A run that has only its header.
    pub fn new(header: Header) -> State {
        State {
            runbook: header.runbook.clone(),
            params: header.params.clone(),
            header,
            captured: BTreeMap::new(),
            units: Vec::new(),
            cursor: None,
            status: RunStatus::Running,
            entries: Vec::new(),
            notable: Vec::new(),
            place: None,
            handed_over: None,
            keep_entries: true,
            values_version: 0,
            newest: None,
            by_id: HashMap::new(),
            by_step: HashMap::new(),
        }
    }

    /// Folds the journal in `bytes`, keeping its events in memory when `keep_entries` (to
    /// show them); the journal says where the record is damaged, if it is.
    pub fn read(bytes: &[u8], keep_entries: bool) -> Result<(State, Journal), ReadError> {
        journal::read_with(
            bytes,
            |header| {
                let mut state = State::new(header);
                state.keep_entries = keep_entries;
                state
            },
            State::apply,
        )
    }

    /// The newest event's time and who recorded it (the newest, not the last: the last may
    /// come from a machine whose clock was behind).
    pub fn newest(&self) -> Option<&(DateTime<Utc>, String, String)> {
        self.newest.as_ref()
    }

    /// Stops keeping the events in memory (a live run: they are in the file and in the
    /// session's copy of its bytes); the fold goes on.
    pub fn forget_entries(&mut self) {
        self.keep_entries = false;
        self.entries = Vec::new();
    }

    /// A number that changes whenever the values templates see (parameters, captures) do.
    pub fn values_version(&self) -> u64 {
        self.values_version
    }

    /// The index of unit `id`.
    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The unit indices of step `step` (empty when not planned yet).
    pub fn step_units(&self, step: &str) -> Range<usize> {
        self.by_step.get(step).cloned().unwrap_or(0..0)
    }

    /// Whether step `step` has its units planned.
    pub fn is_planned(&self, step: &str) -> bool {
        self.by_step.contains_key(step)
    }

    fn unit_mut(&mut self, id: &str) -> Result<&mut Unit, String> {
        let i = self
            .unit_index(id)
            .ok_or_else(|| format!("unit `{id}` was never planned"))?;
        Ok(&mut self.units[i])
    }

    /// Applies one event and keeps it.
    pub fn apply(&mut self, entry: Entry) -> Result<(), String> {
        let at = &entry.at;
        let by = &entry.operator;
        if let Ok(t) = DateTime::parse_from_rfc3339(at) {
            let t = t.with_timezone(&Utc);
            if self.newest.as_ref().is_none_or(|(n, _, _)| t > *n) {
                self.newest = Some((t, at.clone(), by.clone()));
            }
        }
        if matches!(
            entry.event,
            Event::ParamSet { .. }
                | Event::ParamChanged { .. }
                | Event::Captured { .. }
                | Event::RunbookSwitched { .. }
        ) {
            self.values_version += 1;
        }
        match &entry.event {
            Event::Resumed { host, path } => {
                if self.status == RunStatus::Aborted {
                    self.status = RunStatus::Running;
                }
                if let Some(p) = path {
                    self.place = Some((host.clone(), p.clone()));
                }
            }
            Event::RunStarted {
                host,
                path: Some(p),
            } => self.place = Some((host.clone(), p.clone())),
            Event::HandedOver { to, path } => {
                self.handed_over = Some((to.clone(), path.clone(), at.clone()));
            }
            // A copy handed over is meant to be taken up elsewhere (the next operator's
            // machine, the share as it is mounted there): where it is first resumed is its place.
            Event::Received { .. } => {
                self.handed_over = None;
                self.place = None;
            }
            Event::RunbookSwitched { runbook } => self.runbook = runbook.clone(),
            Event::ParamSet {
                name,
                value: Some(v),
            } => {
                self.params.insert(name.clone(), v.clone());
            }
            Event::ParamChanged { name, new, .. } => {
                if let Some(v) = new {
                    self.params.insert(name.clone(), v.clone());
                }
            }
            Event::Replanned { step, items } => self.replan(step, items)?,
            Event::Planned {
                step,
                position,
                items,
            } => self.plan(step, *position, items.as_deref())?,
            Event::Next { step, item } => {
                self.cursor = Some(Cursor {
                    step: step.clone(),
                    item: *item,
                });
            }
            Event::Started { unit, .. } => {
                let u = self.unit_mut(unit)?;
                u.status = UnitStatus::InProgress;
                u.started_at = Some(at.clone());
                u.operator = Some(by.clone());
                u.confirmed_by = None;
            }
            Event::Confirmed { unit, .. } => {
                self.unit_mut(unit)?.confirmed_by = Some(by.clone());
            }
            Event::GateOverridden { unit, reason } => {
                let u = self.unit_mut(unit)?;
                finish(u, UnitStatus::Overridden, at, by, Some(reason));
            }
            Event::Done { unit, note } => {
                let u = self.unit_mut(unit)?;
                finish(u, UnitStatus::Done, at, by, note.as_deref());
            }
            Event::Skipped { unit, reason } => {
                let u = self.unit_mut(unit)?;
                u.skipped_by_run = u.status == UnitStatus::Pending;
                finish(u, UnitStatus::Skipped, at, by, Some(reason));
            }
            Event::Failed { unit, reason } => {
                let u = self.unit_mut(unit)?;
                finish(u, UnitStatus::Failed, at, by, Some(reason));
            }
            Event::Note { unit, text } => append_note(&mut self.unit_mut(unit)?.note, text),
            Event::OutputAdded { unit, text } => {
                let pasted = ExecutionRecord {
                    what: "pasted".to_owned(),
                    started_at: at.clone(),
                    duration_ms: 0,
                    exit_status: None,
                    verdict: format!("pasted by {by}"),
                    output: text.clone(),
                };
                keep_execution(&mut self.unit_mut(unit)?.executions, pasted);
            }
            Event::Captured {
                variable, value, ..
            } => {
                self.captured.insert(variable.clone(), value.clone());
            }
            // Nobody could answer, or the unit is started again (at once, or after a parameter
            // change at the next pass): either way it waits to be started.
            Event::WaitingForInput { unit } | Event::Restarted { unit } => {
                self.unit_mut(unit)?.status = UnitStatus::Pending;
            }
            Event::JumpedBack { steps, .. } => {
                for s in steps {
                    for i in self.step_units(s) {
                        self.units[i].status = UnitStatus::Pending;
                    }
                }
            }
            Event::Completed => {
                self.cursor = None;
                self.status = RunStatus::Complete;
            }
            Event::Aborted { .. } => self.status = RunStatus::Aborted,
            Event::Executed { unit, execution } => {
                let u = self.unit_mut(unit)?;
                keep_execution(&mut u.executions, execution.clone());
            }
            Event::RunStarted { path: None, .. }
            | Event::Moved { .. }
            | Event::ClockBehind { .. }
            | Event::RunbookChanged { .. }
            | Event::ModifiedRunbookAccepted { .. }
            | Event::ExecShell { .. }
            | Event::ParamSet { value: None, .. }
            | Event::Decision { .. }
            | Event::Approved { .. }
            | Event::Retry { .. }
            | Event::StillWaiting { .. }
            | Event::Interrupted { .. }
            | Event::Paused { .. }
            | Event::ShellStarted { .. }
            | Event::RunByHand { .. }
            | Event::VerdictOverruled { .. } => {}
        }
        if is_notable(&entry.event) {
            self.notable.push(entry.clone());
        }
        if self.keep_entries {
            self.entries.push(entry);
        }
        Ok(())
    }

    /// Step `step`'s units for its changed list `items`: a listed item keeps its unit (and its
    /// record), a new one gets a pending unit, and an item no longer listed loses its unit unless
    /// something was recorded about it (then it stays, after the listed ones). The cursor, if in
    /// this step, goes to its first unit not yet settled.
    fn replan(&mut self, step: &str, items: &[String]) -> Result<(), String> {
        let Some(range) = self.by_step.get(step).cloned() else {
            return Err(format!("step `{step}` was replanned before it was planned"));
        };
        let old: Vec<Unit> = self.units[range.clone()].to_vec();
        let mut new: Vec<Unit> = items
            .iter()
            .map(|item| {
                old.iter()
                    .find(|u| u.item.as_deref() == Some(item.as_str()))
                    .cloned()
                    .unwrap_or_else(|| pending_unit(step, Some(item)))
            })
            .collect();
        new.extend(
            old.iter()
                .filter(|u| {
                    u.status != UnitStatus::Pending
                        && !items.iter().any(|i| u.item.as_deref() == Some(i.as_str()))
                })
                .cloned(),
        );
        let (start, count) = (range.start, new.len());
        self.units.splice(range.clone(), new);
        self.reindex(step)?;
        for r in self.by_step.values_mut() {
            if r.start > start {
                r.start = r.start - range.len() + count;
                r.end = r.end - range.len() + count;
            }
        }
        self.by_step.insert(step.to_owned(), start..start + count);
        if let Some(c) = self.cursor.as_mut().filter(|c| c.step == step) {
            c.item = self.units[start..start + count]
                .iter()
                .position(|u| !u.status.is_settled())
                .unwrap_or(0);
        }
        Ok(())
    }

    /// Rebuilds the unit index after units moved; two units of `step` with one id are refused.
    fn reindex(&mut self, step: &str) -> Result<(), String> {
        self.by_id = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        if self.by_id.len() == self.units.len() {
            Ok(())
        } else {
            Err(format!("step `{step}` has two items with the same name"))
        }
    }

    fn plan(&mut self, step: &str, at: usize, items: Option<&[String]>) -> Result<(), String> {
        if self.is_planned(step) {
            return Err(format!("step `{step}` was planned twice"));
        }
        if at > self.units.len() {
            return Err(format!(
                "step `{step}` planned at unit {at} of {}",
                self.units.len()
            ));
        }
        // Units of one step stay together: a plan may not split another step's units.
        if at > 0 && at < self.units.len() && self.units[at - 1].step == self.units[at].step {
            return Err(format!(
                "step `{step}` planned inside step `{}`",
                self.units[at].step
            ));
        }
        let unit = |item: Option<&String>| pending_unit(step, item);
        let new: Vec<Unit> = match items {
            Some(items) => items.iter().map(|i| unit(Some(i))).collect(),
            None => vec![unit(None)],
        };
        if let Some(dup) = new
            .iter()
            .map(|u| &u.id)
            .find(|id| self.by_id.contains_key(*id))
        {
            return Err(format!("unit `{dup}` planned twice"));
        }
        let count = new.len();
        self.units.splice(at..at, new);
        // Indices after the insertion point moved: rebuild (one pass per planned step).
        if at + count == self.units.len() {
            for i in at..self.units.len() {
                self.by_id.insert(self.units[i].id.clone(), i);
            }
        } else {
            self.reindex(step)?;
        }
        if self.by_id.len() != self.units.len() {
            return Err(format!("step `{step}` has two items with the same name"));
        }
        for r in self.by_step.values_mut() {
            if r.start >= at {
                r.start += count;
                r.end += count;
            }
        }
        self.by_step.insert(step.to_owned(), at..at + count);
        Ok(())
    }
}

/// A new, pending unit of `step` (for `item`).
fn pending_unit(step: &str, item: Option<&String>) -> Unit {
    Unit {
        id: unit_id(step, item.map(String::as_str)),
        step: step.to_owned(),
        item: item.cloned(),
        status: UnitStatus::Pending,
        started_at: None,
        finished_at: None,
        operator: None,
        confirmed_by: None,
        note: None,
        skipped_by_run: false,
        executions: Vec::new(),
    }
}

/// Whether the next operator must hear about `event` when taking the run over.
fn is_notable(event: &Event) -> bool {
    matches!(
        event,
        Event::Failed { .. }
            | Event::Note { .. }
            | Event::Skipped { .. }
            | Event::GateOverridden { .. }
            | Event::Decision { .. }
            | Event::Approved { .. }
            | Event::Captured { .. }
            | Event::Retry { .. }
            | Event::Confirmed { .. }
            | Event::VerdictOverruled { .. }
            | Event::Aborted { .. }
            | Event::Interrupted { .. }
            | Event::Paused { .. }
            | Event::Resumed { .. }
            | Event::ModifiedRunbookAccepted { .. }
            | Event::RunbookSwitched { .. }
            | Event::ParamChanged { .. }
            | Event::HandedOver { .. }
            | Event::Received { .. }
            | Event::Moved { .. }
    )
}

fn finish(u: &mut Unit, status: UnitStatus, at: &str, by: &str, note: Option<&str>) {
    u.status = status;
    u.finished_at = Some(at.to_owned());
    // A destructive unit is credited to whoever confirmed and ran it, not to a later operator
    // who only recorded that it had completed.
    u.operator = Some(u.confirmed_by.clone().unwrap_or_else(|| by.to_owned()));
    if let Some(n) = note {
        append_note(&mut u.note, n);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_output_is_cut_to_the_limit_keeping_its_end_after_the_marker() {
        let short = "a few lines\nof output".to_owned();
        assert_eq!(cut_output(short.clone()), short);
        let long = format!("{}THE END", "é".repeat(40 * 1024));
        let cut = cut_output(long.clone());
        assert!(cut.len() <= OUTPUT_LIMIT, "{}", cut.len());
        assert!(cut.starts_with("[runbook: "), "{}", &cut[..40]);
        assert!(cut.contains(" bytes of output cut]\n"));
        assert!(cut.ends_with("THE END"));
    }
}
