//! `runbook status`: where a run stands, as text for the operator and as JSON for scripts; and
//! the events as both JSON outputs show them.

use std::fmt::Write as _;

use serde_json::json;

use crate::journal::{Entry, Event};
use crate::state::UnitStatus;

use super::Record;
use super::model::EventRecord;

/// An event as the JSON outputs show it: the journal line, without the chain's hash.
pub(super) fn event_json(e: &Entry) -> serde_json::Value {
    let mut v = json!(e);
    if let Some(o) = v.as_object_mut() {
        o.remove("prev");
        if let Event::RunbookSwitched { runbook } = &e.event {
            // The text is in the state file; the outputs name it.
            o.insert(
                "runbook".into(),
                json!({"id": runbook.id, "version": runbook.version, "sha256": runbook.sha256}),
            );
        }
    }
    v
}

/// An event as the report's JSON types it: the entry's own fields, and the event's apart.
pub(super) fn event_record(e: &Entry) -> EventRecord {
    let mut fields = match event_json(e) {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    for own in ["seq", "at", "operator", "event"] {
        fields.remove(own);
    }
    EventRecord {
        seq: e.seq,
        at: e.at.clone(),
        operator: e.operator.clone(),
        event: e.event.name().to_owned(),
        fields,
    }
}

/// `runbook status --format json`.
pub fn status_json(record: &Record) -> serde_json::Value {
    let state = &record.state;
    json!({
        "runbook": {
            "id": state.runbook.id,
            "version": state.runbook.version,
            "sha256": state.runbook.sha256,
        },
        "ticket": state.header.ticket,
        "status": state.status.as_str(),
        "complete": state.status == crate::state::RunStatus::Complete,
        "intact": record.intact,
        "integrity": record.integrity,
        "units": state.units.iter().map(|u| json!({
            "id": u.id,
            "step": u.step,
            "item": u.item,
            "status": u.status.as_str(),
            "started_at": u.started_at,
            "finished_at": u.finished_at,
            "operator": u.operator,
            "note": u.note,
        })).collect::<Vec<_>>(),
        "captured": state.captured,
        "events": state.entries.iter().map(event_json).collect::<Vec<_>>(),
    })
}

/// `runbook status` as text.
pub fn status_text(record: &Record) -> String {
    let state = &record.state;
    let mut s = String::new();
    let count = |st: UnitStatus| state.units.iter().filter(|u| u.status == st).count();
    let _ = writeln!(
        s,
        "{} {} ({}): {}",
        state.runbook.id,
        state.runbook.version,
        &state.runbook.sha256[..12.min(state.runbook.sha256.len())],
        state.status.as_str()
    );
    if let Some(ticket) = &state.header.ticket {
        let _ = writeln!(s, "ticket: {ticket}");
    }
    let _ = writeln!(s, "{}", record.integrity);
    let _ = writeln!(
        s,
        "units: {} done, {} overridden, {} skipped, {} failed, {} in progress, {} pending",
        count(UnitStatus::Done),
        count(UnitStatus::Overridden),
        count(UnitStatus::Skipped),
        count(UnitStatus::Failed),
        count(UnitStatus::InProgress),
        count(UnitStatus::Pending)
    );
    if let Some(next) = state.units.iter().find(|u| !u.status.is_settled()) {
        let _ = writeln!(s, "next: {} ({})", next.id, next.status.as_str());
    }
    for u in &state.units {
        let _ = writeln!(
            s,
            "  {:<11} {}{}",
            u.status.as_str(),
            u.id,
            match (&u.operator, &u.finished_at) {
                (Some(o), Some(t)) => format!("  ({o}, {t})"),
                _ => String::new(),
            }
        );
    }
    s
}
