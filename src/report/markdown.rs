//! The run record as Markdown, to attach to the change ticket without editing (issue 14): the
//! header, the closing summary first, then every unit with its attempts and what was recorded
//! about it, approvals, decisions, changes, hand-overs and the events. Every text that is not
//! ours (operator notes and reasons, values, runbook text) goes through `escape`; the only HTML
//! is ours (`<details>` around commands and output, `<br>` for a line break).

use crate::journal::{Entry, Event};

use super::build::seconds_between;
use super::escape::{cell_code, code, fenced, html, text};
use super::model::{AttemptResult, Handover, Report, RunStatus, UnitReport};

/// `report` as Markdown; `entries` are the record's events, for the full list at the end.
pub(super) fn render(r: &Report, entries: &[Entry]) -> String {
    let mut s = String::new();
    header(&mut s, r);
    summary(&mut s, r);
    parameters(&mut s, r);
    steps(&mut s, r);
    s += "\n## Step details\n";
    for u in &r.units {
        unit(&mut s, r, u);
    }
    lists(&mut s, r);
    shells(&mut s, r);
    events(&mut s, entries);
    s
}

fn header(s: &mut String, r: &Report) {
    let rb = &r.runbook;
    *s += &format!(
        "# Run record: {}\n\n",
        text(rb.title.as_deref().unwrap_or(&rb.id))
    );
    *s += &format!(
        "- **Runbook:** {} version {}, sha256 {}\n",
        code(&rb.id),
        text(&rb.version),
        code(&rb.sha256)
    );
    if let Some(why) = &r.runbook_error {
        *s += &format!(
            "- **Runbook text:** the copy in the record could not be read, so titles, kinds and \
             impacts are not shown: {}\n",
            text(why)
        );
    }
    *s += &format!(
        "- **Change ticket:** {}\n",
        r.ticket
            .as_deref()
            .map_or_else(|| "none given (`run --ticket`)".to_owned(), text)
    );
    *s += &format!(
        "- **Started:** {} by {} on {}\n",
        r.started_at,
        text(&r.started_by),
        text(&r.host)
    );
    if let Some(end) = &r.finished_at {
        *s += &format!("- **Finished:** {end}\n");
        let shown = r.duration_secs.map_or_else(
            || "unknown (a clock was behind)".to_owned(),
            crate::duration::duration_text,
        );
        *s += &format!("- **Duration:** {shown}\n");
    } else {
        let last = r.last_event_at.as_deref().unwrap_or(&r.started_at);
        *s += &format!("- **Finished:** not yet (last event {last})\n");
        if let Some(secs) = seconds_between(&r.started_at, last) {
            *s += &format!(
                "- **Duration:** {} so far\n",
                crate::duration::duration_text(secs)
            );
        }
    }
    let status = match (&r.handed_over, r.status) {
        (Some(h), _) => format!(
            "**handed over** to {} at {}: this file is closed, and the run goes on from {}",
            text(&h.to),
            h.at,
            code(&h.path)
        ),
        (None, RunStatus::Complete) => "**complete**".to_owned(),
        (None, RunStatus::Aborted) => "**aborted** (it can be resumed)".to_owned(),
        (None, RunStatus::Running) => "**not finished** (stopped, to be resumed)".to_owned(),
    };
    *s += &format!("- **Status:** {status}\n");
    let operators: Vec<String> = r.operators.iter().map(|o| text(o)).collect();
    *s += &format!(
        "- **Operators**, in the order they first acted: {}\n",
        operators.join(", ")
    );
    let handovers: Vec<String> = r
        .handovers
        .iter()
        .filter_map(|h| match h {
            Handover::HandedOver {
                at, operator, to, ..
            } => Some(format!("{} to {} at {at}", text(operator), text(to))),
            _ => None,
        })
        .collect();
    *s += &format!(
        "- **Hand-overs:** {}\n",
        if handovers.is_empty() {
            "none".to_owned()
        } else {
            handovers.join("; ")
        }
    );
    let integrity = if r.intact {
        text(&r.integrity)
    } else {
        format!("**{}**", text(&r.integrity))
    };
    *s += &format!("- **Record:** {integrity}\n");
}

fn summary(s: &mut String, r: &Report) {
    *s += "\n## Summary\n\n";
    let items = &r.summary.attention;
    if items.is_empty() && r.intact {
        *s += "Nothing needs attention: no gate was overridden, no unit was skipped by an \
               operator or failed, and the run reached its end.\n";
    } else {
        *s += "Needs attention:\n\n";
        if !r.intact {
            *s += &format!("- **Record damaged:** {}\n", text(&r.integrity));
        }
        for a in items {
            let label = a.kind.label();
            let mut chars = label.chars();
            let label: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default();
            *s += &format!("- **{label}:** {}\n", a.describe(text, code));
        }
    }
    let c = &r.summary.counts;
    *s += &format!(
        "\nUnits: {} done, {} overridden, {} skipped, {} failed, {} not run (a condition was \
         false, or not on the path taken), {} in progress, {} not reached.\n",
        c.done, c.overridden, c.skipped, c.failed, c.not_run, c.in_progress, c.pending
    );
}

fn parameters(s: &mut String, r: &Report) {
    *s += "\n## Parameters\n\n| parameter | value |\n|---|---|\n";
    for (name, value) in &r.params {
        let changed = if r.param_changes.iter().any(|c| &c.name == name) {
            " (changed during the run: see Parameter changes)"
        } else {
            ""
        };
        *s += &format!(
            "| {} | {}{changed} |\n",
            cell_code(name),
            text(&value.0.display())
        );
    }
    for name in &r.secret_params {
        *s += &format!("| {} | (secret, not recorded) |\n", cell_code(name));
    }
}

fn steps(s: &mut String, r: &Report) {
    *s += "\n## Steps\n\n| # | unit | title | kind | impact | outcome | by | finished |\n\
           |---|---|---|---|---|---|---|---|\n";
    for u in &r.units {
        let kind = match (&u.kind, u.gate) {
            (Some(k), true) => format!("{}, **gate**", text(k)),
            (Some(k), false) => text(k),
            (None, _) => String::new(),
        };
        let impact = match &u.impact {
            Some(_) if u.destructive => "**destructive**".to_owned(),
            Some(i) => text(i),
            None => String::new(),
        };
        *s += &format!(
            "| {} | {} | {} | {kind} | {impact} | {} | {} | {} |\n",
            u.number.map(|n| n.to_string()).unwrap_or_default(),
            cell_code(&u.id),
            u.title.as_deref().map(text).unwrap_or_default(),
            text(&u.outcome),
            u.operator.as_deref().map(text).unwrap_or_default(),
            u.finished_at.as_deref().unwrap_or_default(),
        );
    }
}

/// How an attempt ended, in words.
fn result_words(result: AttemptResult) -> &'static str {
    match result {
        AttemptResult::Done => "done",
        AttemptResult::Failed => "failed",
        AttemptResult::Skipped => "skipped",
        AttemptResult::Interrupted => "interrupted",
        AttemptResult::Paused => "paused",
        AttemptResult::NoAnswer => "stopped (nobody could answer)",
        AttemptResult::Restarted => "started over",
        AttemptResult::InProgress => "not finished",
    }
}

fn unit(s: &mut String, r: &Report, u: &UnitReport) {
    let heading = match (u.number, &u.title) {
        (Some(number), Some(title)) => format!("{number}. {}", text(title)),
        _ => code(&u.id),
    };
    let item = u
        .item
        .as_deref()
        .map(|i| format!(": {}", text(i)))
        .unwrap_or_default();
    *s += &format!("\n### {heading}{item}\n\n");
    let mut facts = vec![code(&u.id)];
    facts.extend(u.kind.as_deref().map(text));
    facts.extend(u.impact.as_deref().map(|i| {
        if u.destructive {
            "**destructive**".to_owned()
        } else {
            text(i)
        }
    }));
    if u.gate {
        facts.push("**gate**".to_owned());
    }
    *s += &format!("{}\n\n", facts.join(" · "));

    // One plain attempt says all in the outcome line; anything else gets the list.
    let plain = match u.attempts.as_slice() {
        [] => true,
        [a] => {
            matches!(a.result, AttemptResult::Done | AttemptResult::Skipped)
                && a.started_at.is_some()
                && !a.by_hand
        }
        _ => false,
    };
    *s += &format!("**Outcome:** {}", text(&u.outcome));
    if plain {
        if let (Some(a), Some(by)) = (u.attempts.first(), &u.operator) {
            *s += &format!(
                ", by {}; started {}, finished {}",
                text(by),
                a.started_at.as_deref().unwrap_or_default(),
                u.finished_at.as_deref().unwrap_or_default()
            );
        }
    } else if let (Some(by), Some(at)) = (&u.operator, &u.finished_at) {
        *s += &format!(", by {} at {at}", text(by));
    }
    *s += "\n";
    let mut lines: Vec<String> = Vec::new();
    if let Some(k) = &u.skipped {
        lines.push(if k.by_run {
            format!("Not run: {}", text(&k.reason))
        } else {
            format!(
                "**Skipped** by {} at {}: {}",
                text(&k.operator),
                k.at,
                text(&k.reason)
            )
        });
    }
    if let Some(o) = &u.overridden {
        lines.push(format!(
            "**Gate overridden** by {} at {}: {}",
            text(&o.operator),
            o.at,
            text(&o.text)
        ));
    }
    for a in r.approvals.iter().filter(|a| a.unit == u.id) {
        let role = a
            .approver_role
            .as_deref()
            .map(|role| format!("; the runbook asks for {}", text(role)))
            .unwrap_or_default();
        lines.push(format!(
            "**Approved**, approver as typed: {}; recorded by {} at {}{role}",
            text(&a.approved_by),
            text(&a.recorded_by),
            a.at
        ));
    }
    for d in r.decisions.iter().filter(|d| d.unit == u.id) {
        lines.push(format!(
            "**Chose** {} ({}), by {} at {}",
            code(&d.choice),
            text(&d.label),
            text(&d.operator),
            d.at
        ));
    }
    for c in r.captures.iter().filter(|c| c.unit == u.id) {
        lines.push(format!(
            "**Captured** {} = {}, by {} at {}",
            code(&c.variable),
            text(&c.value.0.display()),
            text(&c.operator),
            c.at
        ));
    }
    for c in &u.confirmations {
        lines.push(format!(
            "**Confirmed** by typing {}: {} at {}",
            code(&c.target),
            text(&c.operator),
            c.at
        ));
    }
    for v in &u.verdicts_overruled {
        let (judged, recorded) = if v.engine_passed {
            ("passed", "failed")
        } else {
            ("failed", "passed")
        };
        lines.push(format!(
            "**Verdict overruled** by {} at {}: `--exec` judged it {judged}, recorded as \
             {recorded}: {}",
            text(&v.operator),
            v.at,
            text(&v.reason)
        ));
    }
    for line in lines {
        *s += &format!("\n{line}\n");
    }
    if !plain {
        *s += "\nAttempts:\n\n";
        for (i, a) in u.attempts.iter().enumerate() {
            let start = match (&a.started_at, &a.started_by) {
                (Some(at), Some(by)) => format!("started {at} by {}", text(by)),
                _ => "not shown".to_owned(),
            };
            let mut end = result_words(a.result).to_owned();
            if let Some(at) = &a.ended_at {
                end += &format!(" {at}");
            }
            if let Some(by) = a
                .ended_by
                .as_ref()
                .filter(|b| Some(*b) != a.started_by.as_ref())
            {
                end += &format!(" by {}", text(by));
            }
            if let Some(why) = &a.reason {
                end += &format!(": {}", text(why));
            }
            let hand = if a.by_hand { " (run by hand)" } else { "" };
            *s += &format!("{}. {start}{hand}; {end}\n", i + 1);
        }
    } else if let Some(why) = u.attempts.first().and_then(|a| a.reason.as_ref()) {
        // What the run recorded with the outcome, when no line above says it already.
        if u.skipped.is_none()
            && !r.approvals.iter().any(|a| a.unit == u.id)
            && !r.decisions.iter().any(|d| d.unit == u.id)
        {
            *s += &format!("\nRecorded with it: {}\n", text(why));
        }
    }
    if !u.notes.is_empty() {
        *s += "\nNotes:\n\n";
        for n in &u.notes {
            *s += &format!("- {} by {}: {}\n", n.at, text(&n.operator), text(&n.text));
        }
    }
    // The command as each attempt showed it: once, unless a change made attempts differ. A
    // notify step's "command" is its message.
    let (what, language) = if u.kind.as_deref() == Some("notify") {
        ("Message", "text")
    } else {
        ("Command", "powershell")
    };
    let last = u.command.as_deref();
    for (i, a) in u.attempts.iter().enumerate() {
        if let Some(c) = a.command.as_deref().filter(|c| Some(*c) != last) {
            details(
                s,
                &format!("{what} as shown in attempt {}", i + 1),
                &fenced(language, c),
            );
        }
    }
    if let Some(c) = last {
        details(s, &format!("{what} as shown"), &fenced(language, c));
    }
    for e in &u.executions {
        let exit = e
            .exit_status
            .map_or_else(|| "no exit status".to_owned(), |c| format!("exit {c}"));
        // Pasted output ("add output") has no exit status or verdict of the engine's.
        let summary = if e.what == "pasted" {
            format!("Output {} at {}", e.verdict, e.started_at)
        } else {
            format!(
                "Output of the {} run at {}: {exit}, {} ms, verdict {}",
                e.what, e.started_at, e.duration_ms, e.verdict
            )
        };
        let body = if e.output.is_empty() {
            "(no output)\n".to_owned()
        } else {
            fenced("text", &e.output)
        };
        details(s, &html(&summary), &body);
    }
}

/// A collapsible block: `summary` (HTML, already escaped) and a Markdown `body`.
fn details(s: &mut String, summary: &str, body: &str) {
    *s += &format!("\n<details><summary>{summary}</summary>\n\n{body}\n</details>\n");
}

fn lists(s: &mut String, r: &Report) {
    if !r.approvals.is_empty() {
        *s += "\n## Approvals\n\n";
        for a in &r.approvals {
            let role = a
                .approver_role
                .as_deref()
                .map(|role| format!("; the runbook asks for {}", text(role)))
                .unwrap_or_default();
            *s += &format!(
                "- {}: approver as typed: {}; recorded by {} at {}{role}\n",
                code(&a.unit),
                text(&a.approved_by),
                text(&a.recorded_by),
                a.at
            );
        }
    }
    if !r.decisions.is_empty() {
        *s += "\n## Decisions\n\n";
        for d in &r.decisions {
            let question = d
                .question
                .as_deref()
                .map(|q| format!(" {}", text(q)))
                .unwrap_or_default();
            *s += &format!(
                "- {}:{question} chose {} ({}), by {} at {}\n",
                code(&d.unit),
                code(&d.choice),
                text(&d.label),
                text(&d.operator),
                d.at
            );
        }
    }
    if !r.captures.is_empty() {
        *s += "\n## Captured values\n\n";
        for c in &r.captures {
            *s += &format!(
                "- {}: {} = {}, by {} at {}\n",
                code(&c.unit),
                code(&c.variable),
                text(&c.value.0.display()),
                text(&c.operator),
                c.at
            );
        }
    }
    if !r.param_changes.is_empty() {
        *s += "\n## Parameter changes\n\n";
        for c in &r.param_changes {
            let change = match (&c.old, &c.new) {
                (Some(old), Some(new)) => {
                    format!("{} → {}", text(&old.0.display()), text(&new.0.display()))
                }
                _ => "changed (secret: the values are not recorded)".to_owned(),
            };
            *s += &format!(
                "- {}: {change}; by {} at {}\n",
                code(&c.name),
                text(&c.operator),
                c.at
            );
        }
    }
    if !r.handovers.is_empty() {
        *s += "\n## Hand-overs\n\n";
        for h in &r.handovers {
            *s += &match h {
                Handover::HandedOver {
                    at,
                    operator,
                    to,
                    path,
                } => format!(
                    "- {at}: {} handed the run over to {}; it goes on from {}\n",
                    text(operator),
                    text(to),
                    code(path)
                ),
                Handover::Received {
                    at,
                    operator,
                    from,
                    host,
                    path,
                } => format!(
                    "- {at}: the copy was made by {} on {} at {}, from {}\n",
                    text(operator),
                    text(host),
                    code(path),
                    code(from)
                ),
                Handover::Moved {
                    at,
                    operator,
                    from_host,
                    from_path,
                } => format!(
                    "- {at}: taken up by {} away from where it was last written (on {} at {})\n",
                    text(operator),
                    text(from_host),
                    code(from_path)
                ),
            };
        }
    }
}

/// Which shell `--exec` used and the preamble it ran before the commands (`--preamble` or the
/// runbook's), once per `run`/`resume` with `--exec`.
fn shells(s: &mut String, r: &Report) {
    if r.shells.is_empty() {
        return;
    }
    *s += "\n## Shell (`--exec`)\n\n";
    for sh in &r.shells {
        *s += &format!(
            "- {} by {}: {}\n",
            sh.at,
            text(&sh.operator),
            text(&sh.shell)
        );
        if let Some(p) = &sh.preamble {
            *s += &format!("\n{}\n", fenced("powershell", p));
        }
    }
}

fn events(s: &mut String, entries: &[Entry]) {
    *s += "\n## Events\n\n";
    // Planning units and moving the cursor are how the engine keeps its place: the tables
    // above show their result, and a long loop would bury the events a reviewer needs.
    let shown = entries
        .iter()
        .filter(|e| !matches!(e.event, Event::Planned { .. } | Event::Next { .. }));
    for e in shown {
        let detail = e.event.detail().map(|d| match &e.event {
            // The preamble's text is shown once, under "Shell".
            Event::ExecShell { .. } => d.lines().next().unwrap_or("").to_owned(),
            _ => d,
        });
        *s += &format!(
            "- {} {} {}{}{}\n",
            e.at,
            text(&e.operator),
            e.event.name(),
            e.event
                .unit()
                .map(|u| format!(" {}", code(u)))
                .unwrap_or_default(),
            detail
                .map(|d| format!(": {}", text(&d)))
                .unwrap_or_default()
        );
    }
}
