//! The run record for the change ticket (`runbook report`) and the `runbook status` views.

use std::fmt::Write as _;

use serde_json::json;

use crate::state::{RunStatus, State, UnitStatus};

fn status_name(s: UnitStatus) -> &'static str {
    match s {
        UnitStatus::Pending => "pending",
        UnitStatus::InProgress => "in_progress",
        UnitStatus::Done => "done",
        UnitStatus::Skipped => "skipped",
        UnitStatus::Failed => "failed",
    }
}

fn run_status(s: RunStatus) -> &'static str {
    match s {
        RunStatus::Running => "running",
        RunStatus::Complete => "complete",
        RunStatus::Aborted => "aborted",
    }
}

/// `runbook status --format json`.
pub fn status_json(state: &State) -> serde_json::Value {
    json!({
        "runbook": {
            "id": state.runbook.id,
            "version": state.runbook.version,
            "sha256": state.runbook.sha256,
        },
        "status": run_status(state.status),
        "complete": state.status == RunStatus::Complete,
        "units": state.units.iter().map(|u| json!({
            "id": u.id,
            "step": u.step,
            "item": u.item,
            "status": status_name(u.status),
            "started_at": u.started_at,
            "finished_at": u.finished_at,
            "operator": u.operator,
            "note": u.note,
        })).collect::<Vec<_>>(),
        "captured": state.captured,
        "events": state.events,
    })
}

/// `runbook status` as text.
pub fn status_text(state: &State) -> String {
    let mut s = String::new();
    let count = |st: UnitStatus| state.units.iter().filter(|u| u.status == st).count();
    let _ = writeln!(
        s,
        "{} {} ({}): {}",
        state.runbook.id,
        state.runbook.version,
        &state.runbook.sha256[..12.min(state.runbook.sha256.len())],
        run_status(state.status)
    );
    let _ = writeln!(
        s,
        "units: {} done, {} skipped, {} failed, {} in progress, {} pending",
        count(UnitStatus::Done),
        count(UnitStatus::Skipped),
        count(UnitStatus::Failed),
        count(UnitStatus::InProgress),
        count(UnitStatus::Pending)
    );
    if let Some(next) = state
        .units
        .iter()
        .find(|u| !matches!(u.status, UnitStatus::Done | UnitStatus::Skipped))
    {
        let _ = writeln!(s, "next: {} ({})", next.id, status_name(next.status));
    }
    for u in &state.units {
        let _ = writeln!(
            s,
            "  {:<11} {}{}",
            status_name(u.status),
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
pub fn report_json(state: &State) -> serde_json::Value {
    let mut v = status_json(state);
    v["created_at"] = json!(state.created_at);
    v["params"] = json!(state.params);
    v["secret_params"] = json!(state.secret_params);
    // What `--exec` ran, per unit: output, exit status, duration and verdict.
    v["executions"] = state
        .units
        .iter()
        .filter(|u| !u.executions.is_empty())
        .map(|u| (u.id.clone(), json!(u.executions)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    v
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// `runbook report` as Markdown, for the change ticket.
pub fn report_markdown(state: &State) -> String {
    let mut s = String::new();
    let rb = &state.runbook;
    let _ = writeln!(s, "# Run record: {} {}\n", rb.id, rb.version);
    let _ = writeln!(
        s,
        "Runbook sha256 `{}` · started {} · status **{}**\n",
        rb.sha256,
        state.created_at,
        run_status(state.status)
    );
    let operators: std::collections::BTreeSet<&str> =
        state.events.iter().map(|e| e.operator.as_str()).collect();
    let _ = writeln!(
        s,
        "Operators: {}\n",
        operators.into_iter().collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(s, "## Parameters\n\n| parameter | value |\n|---|---|");
    for (k, v) in &state.params {
        let _ = writeln!(s, "| `{k}` | {} |", cell(&v.display()));
    }
    for k in &state.secret_params {
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
            status_name(u.status),
            u.operator.as_deref().unwrap_or(""),
            u.started_at.as_deref().unwrap_or(""),
            u.finished_at.as_deref().unwrap_or(""),
            cell(u.note.as_deref().unwrap_or(""))
        );
    }
    let special = |kinds: &[&str]| {
        state
            .events
            .iter()
            .filter(|e| kinds.contains(&e.event.as_str()))
            .collect::<Vec<_>>()
    };
    for (title, kinds) in [
        ("Approvals", &["approved"][..]),
        ("Overrides", &["gate-overridden"][..]),
        ("Decisions", &["decision"][..]),
        ("Captured values", &["captured"][..]),
        ("Notes", &["note"][..]),
    ] {
        let events = special(kinds);
        if events.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n## {title}\n");
        for e in events {
            let _ = writeln!(
                s,
                "- {} `{}` by {}: {}",
                e.at,
                e.unit.as_deref().unwrap_or("-"),
                e.operator,
                e.detail.as_deref().unwrap_or("")
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
    for e in &state.events {
        let _ = writeln!(
            s,
            "- {} {} {}{}{}",
            e.at,
            e.operator,
            e.event,
            e.unit
                .as_deref()
                .map(|u| format!(" `{u}`"))
                .unwrap_or_default(),
            e.detail
                .as_deref()
                .map(|d| match d.split_once('\n') {
                    // The preamble's text is shown once, under "Shell".
                    Some((first, _)) if e.event == "exec-shell" => format!(": {first}"),
                    _ => format!(": {d}"),
                })
                .unwrap_or_default()
        );
    }
    s
}

/// Which shell `--exec` used and the preamble it ran before the commands (`--preamble` or the
/// runbook's), once per `run`/`resume` with `--exec`.
fn shell_markdown(s: &mut String, state: &State) {
    let shells: Vec<_> = state
        .events
        .iter()
        .filter(|e| e.event == "exec-shell")
        .collect();
    if shells.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n## Shell (`--exec`)\n");
    for e in shells {
        let detail = e.detail.as_deref().unwrap_or("");
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
            let status = e
                .exit_status
                .map_or_else(|| "no exit status".to_owned(), |c| format!("exit {c}"));
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
