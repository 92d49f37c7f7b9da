//! The run record for the change ticket (`runbook report`) and the `runbook status` views.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::json;

use crate::error::Result;
use crate::journal::{Entry, Event};
use crate::state::{State, UnitStatus};

/// A run record as read for showing: the fold of every event up to where the record is
/// damaged, and what is known of its integrity.
pub struct Record {
    pub state: State,
    /// "record intact: N events, chain verified", or where and how it is damaged.
    pub integrity: String,
    /// Whether the record is whole: an intact chain, and runbook texts matching their sha256.
    pub intact: bool,
}

impl Record {
    /// Reads the state file at `path` without locking it.
    pub fn load(path: &Path) -> Result<Record> {
        let bytes = crate::store::read_bytes(path)?;
        let (state, journal) =
            State::read(&bytes, true).map_err(|e| crate::store::not_a_state(path, e))?;
        Ok(Record {
            state,
            integrity: journal.integrity(),
            intact: journal.broken.is_none() && journal.edited.is_empty(),
        })
    }
}

/// An event as the JSON outputs show it: the journal line, without the chain's hash.
fn event_json(e: &Entry) -> serde_json::Value {
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

/// `runbook status --format json`.
pub fn status_json(record: &Record) -> serde_json::Value {
    let state = &record.state;
    json!({
        "runbook": {
            "id": state.runbook.id,
            "version": state.runbook.version,
            "sha256": state.runbook.sha256,
        },
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

/// `runbook report --format json`: the whole record except the runbook source.
pub fn report_json(record: &Record) -> serde_json::Value {
    let state = &record.state;
    let mut v = status_json(record);
    v["created_at"] = json!(state.header.created_at);
    v["params"] = json!(state.params);
    v["secret_params"] = json!(state.header.secret_params);
    // What `--exec` ran, in each unit: output, exit status, duration and verdict.
    if let Some(units) = v["units"].as_array_mut() {
        for (json, u) in units.iter_mut().zip(&state.units) {
            if !u.executions.is_empty() {
                json["executions"] = json!(u.executions);
            }
        }
    }
    v
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// Which events a section of the report lists.
type Pick = fn(&Event) -> bool;

/// `runbook report` as Markdown, for the change ticket.
pub fn report_markdown(record: &Record) -> String {
    let state = &record.state;
    let mut s = String::new();
    let rb = &state.runbook;
    let _ = writeln!(s, "# Run record: {} {}\n", rb.id, rb.version);
    let _ = writeln!(
        s,
        "Runbook sha256 `{}` · started {} · status **{}**\n",
        rb.sha256,
        state.header.created_at,
        state.status.as_str()
    );
    let _ = writeln!(s, "{}\n", record.integrity);
    let operators: std::collections::BTreeSet<&str> = std::iter::once(&state.header.operator)
        .chain(state.entries.iter().map(|e| &e.operator))
        .map(String::as_str)
        .collect();
    let _ = writeln!(
        s,
        "Operators: {}\n",
        operators.into_iter().collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(s, "## Parameters\n\n| parameter | value |\n|---|---|");
    for (k, v) in &state.params {
        let _ = writeln!(s, "| `{k}` | {} |", cell(&v.display()));
    }
    for k in &state.header.secret_params {
        let _ = writeln!(s, "| `{k}` | (secret, not recorded) |");
    }
    let _ = writeln!(
        s,
        "\n## Steps\n\n| unit | outcome | operator | started | finished | note |\n|---|---|---|---|---|---|"
    );
    for u in &state.units {
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} |",
            u.id,
            u.status.as_str(),
            u.operator.as_deref().unwrap_or(""),
            u.started_at.as_deref().unwrap_or(""),
            u.finished_at.as_deref().unwrap_or(""),
            cell(u.note.as_deref().unwrap_or(""))
        );
    }
    let sections: [(&str, Pick); 5] = [
        ("Approvals", |e| matches!(e, Event::Approved { .. })),
        ("Overrides", |e| matches!(e, Event::GateOverridden { .. })),
        ("Decisions", |e| matches!(e, Event::Decision { .. })),
        ("Captured values", |e| matches!(e, Event::Captured { .. })),
        ("Notes", |e| matches!(e, Event::Note { .. })),
    ];
    for (title, pick) in sections {
        let mut events = state.entries.iter().filter(|e| pick(&e.event)).peekable();
        if events.peek().is_none() {
            continue;
        }
        let _ = writeln!(s, "\n## {title}\n");
        for e in events {
            let _ = writeln!(
                s,
                "- {} `{}` by {}: {}",
                e.at,
                e.event.unit().unwrap_or("-"),
                e.operator,
                e.event.detail().unwrap_or_default()
            );
        }
    }
    shell_markdown(&mut s, state);
    executions_markdown(&mut s, state);
    let skipped: Vec<_> = state
        .units
        .iter()
        .filter(|u| u.status == UnitStatus::Skipped)
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(s, "\n## Skipped\n");
        for u in skipped {
            let _ = writeln!(
                s,
                "- `{}`: {}",
                u.id,
                u.note.as_deref().unwrap_or("no reason given")
            );
        }
    }
    let _ = writeln!(s, "\n## Events\n");
    // Planning units and moving the cursor are how the engine keeps its place: the table
    // above shows their result, and a long loop would bury the events a reviewer needs.
    let shown = state
        .entries
        .iter()
        .filter(|e| !matches!(e.event, Event::Planned { .. } | Event::Next { .. }));
    for e in shown {
        let detail = e.event.detail().map(|d| match &e.event {
            // The preamble's text is shown once, under "Shell".
            Event::ExecShell { .. } => d.lines().next().unwrap_or("").to_owned(),
            _ => d,
        });
        let _ = writeln!(
            s,
            "- {} {} {}{}{}",
            e.at,
            e.operator,
            e.event.name(),
            e.event
                .unit()
                .map(|u| format!(" `{u}`"))
                .unwrap_or_default(),
            detail.map(|d| format!(": {d}")).unwrap_or_default()
        );
    }
    s
}

/// Which shell `--exec` used and the preamble it ran before the commands (`--preamble` or the
/// runbook's), once per `run`/`resume` with `--exec`.
fn shell_markdown(s: &mut String, state: &State) {
    let shells: Vec<(&Entry, &str)> = state
        .entries
        .iter()
        .filter_map(|e| match &e.event {
            Event::ExecShell { detail } => Some((e, detail.as_str())),
            _ => None,
        })
        .collect();
    if shells.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Shell (`--exec`)\n");
    for (e, detail) in shells {
        let (first, preamble) = detail.split_once('\n').unwrap_or((detail, ""));
        let _ = writeln!(s, "- {} by {}: {first}", e.at, e.operator);
        if !preamble.is_empty() {
            let longest = preamble
                .split(|c| c != '`')
                .map(str::len)
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            let _ = writeln!(s, "\n{fence}powershell\n{preamble}\n{fence}\n");
        }
    }
}

/// What `--exec` ran: each command's status, duration, verdict and output.
fn executions_markdown(s: &mut String, state: &State) {
    let ran: Vec<_> = state
        .units
        .iter()
        .filter(|u| !u.executions.is_empty())
        .collect();
    if ran.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Commands run\n");
    for u in ran {
        for e in &u.executions {
            let status = e.status_text();
            let _ = writeln!(
                s,
                "- `{}` {} at {}: {status}, {} ms, verdict {}",
                u.id, e.what, e.started_at, e.duration_ms, e.verdict
            );
            if !e.output.is_empty() {
                // A fence longer than any backtick run in the output keeps it one block.
                let longest = e
                    .output
                    .split(|c| c != '`')
                    .map(str::len)
                    .max()
                    .unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                let _ = writeln!(s, "\n{fence}text\n{}\n{fence}\n", e.output.trim_end());
            }
        }
    }
}
