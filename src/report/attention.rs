//! The closing summary as data: what a careful operator writes at the end of a paper runbook
//! ("gate X waived by Y, domain Z still to re-add"), each with who and why, and how many units
//! ended how. The report opens with it (issue 14); `run` and `resume` are to end with the same
//! summary on screen, so it reads only what a live run keeps too: the units and the notable
//! events (`State::notable`), never the whole journal.

use crate::journal::{Entry, Event};
use crate::runbook::{Runbook, StepKind};
use crate::state::{RunStatus, State, UnitStatus};

use super::model::{AttentionItem, AttentionKind, Counts, Summary};

/// The closing summary of the run in `state`, following `runbook` (for step titles and kinds;
/// `None` when the record's runbook could not be read).
pub(crate) fn closing_summary(state: &State, runbook: Option<&Runbook>) -> Summary {
    let mut counts = Counts::default();
    for u in &state.units {
        match u.status {
            UnitStatus::Done => counts.done += 1,
            UnitStatus::Overridden => counts.overridden += 1,
            UnitStatus::Skipped if u.skipped_by_run => counts.not_run += 1,
            UnitStatus::Skipped => counts.skipped += 1,
            UnitStatus::Failed => counts.failed += 1,
            UnitStatus::InProgress => counts.in_progress += 1,
            UnitStatus::Pending => counts.pending += 1,
        }
    }
    let step = |id: &str| runbook.and_then(|rb| rb.steps.iter().find(|s| s.id == id));
    // The newest notable event about `unit` that `pick` accepts.
    let last = |unit: &str, pick: fn(&Event) -> bool| {
        state
            .notable
            .iter()
            .rev()
            .find(|e| e.event.unit() == Some(unit) && pick(&e.event))
    };
    let mut attention = run_items(state);
    for u in &state.units {
        let (kind, entry) = match u.status {
            UnitStatus::Overridden => (
                AttentionKind::GateOverridden,
                last(&u.id, |e| matches!(e, Event::GateOverridden { .. })),
            ),
            UnitStatus::Skipped if !u.skipped_by_run => (
                AttentionKind::Skipped,
                last(&u.id, |e| matches!(e, Event::Skipped { .. })),
            ),
            UnitStatus::Failed => {
                let approval =
                    step(&u.step).is_some_and(|s| matches!(s.kind, StepKind::Approval { .. }));
                let kind = if approval {
                    AttentionKind::ApprovalRefused
                } else {
                    AttentionKind::Failed
                };
                (kind, last(&u.id, |e| matches!(e, Event::Failed { .. })))
            }
            // One entry per step, however long its list (a 2,000-domain run aborted early).
            UnitStatus::Pending | UnitStatus::InProgress => {
                let Some(item) = &u.item else { continue };
                let same_step = |a: &&mut AttentionItem| {
                    a.kind == AttentionKind::ItemNotCompleted && a.step.as_ref() == Some(&u.step)
                };
                match attention.iter_mut().rev().find(same_step) {
                    Some(a) => a.items.push(item.clone()),
                    None => attention.push(AttentionItem {
                        kind: AttentionKind::ItemNotCompleted,
                        unit: None,
                        step: Some(u.step.clone()),
                        item: None,
                        items: vec![item.clone()],
                        title: step(&u.step).map(|s| s.title.clone()),
                        at: None,
                        operator: None,
                        reason: None,
                    }),
                }
                continue;
            }
            // Passed although `--exec` judged it failed: the operator's word against the
            // command's, in this attempt (not one before a jump back).
            UnitStatus::Done => match last(&u.id, |e| {
                matches!(e, Event::VerdictOverruled { passed: false, .. })
            }) {
                Some(e) if u.started_at.as_deref().is_none_or(|s| e.at.as_str() >= s) => {
                    (AttentionKind::VerdictOverruled, Some(e))
                }
                _ => continue,
            },
            UnitStatus::Skipped => continue,
        };
        let reason = match (kind, entry.map(|e| &e.event)) {
            (_, Some(Event::GateOverridden { reason, .. } | Event::Skipped { reason, .. })) => {
                Some(reason.clone())
            }
            // The engine records a refusal as this unit's failure, "approval refused: <who
            // and why>"; the kind says the first part already.
            (_, Some(Event::Failed { reason, .. })) => Some(
                reason
                    .strip_prefix("approval refused: ")
                    .filter(|_| kind == AttentionKind::ApprovalRefused)
                    .unwrap_or(reason)
                    .to_owned(),
            ),
            (_, Some(Event::VerdictOverruled { reason, .. })) => Some(reason.clone()),
            _ => None,
        };
        attention.push(AttentionItem {
            kind,
            unit: Some(u.id.clone()),
            step: Some(u.step.clone()),
            item: u.item.clone(),
            items: Vec::new(),
            title: step(&u.step).map(|s| s.title.clone()),
            at: entry.map(|e| e.at.clone()),
            operator: entry.map(|e| e.operator.clone()),
            reason,
        });
    }
    Summary { counts, attention }
}

/// What concerns the run as a whole: a runbook text other than the shipped one, and a run that
/// did not reach its end.
fn run_items(state: &State) -> Vec<AttentionItem> {
    let item = |kind, unit: Option<String>, e: Option<&Entry>, reason: String| AttentionItem {
        kind,
        step: unit.as_deref().map(|u| step_of(u).to_owned()),
        item: None,
        items: Vec::new(),
        unit,
        title: None,
        at: e.map(|e| e.at.clone()),
        operator: e.map(|e| e.operator.clone()),
        reason: Some(reason),
    };
    let mut items = Vec::new();
    for e in &state.notable {
        let reason = match &e.event {
            Event::ModifiedRunbookAccepted { detail } => detail.clone(),
            Event::RunbookSwitched { runbook: r } => format!(
                "switched to the runbook text of {} {} (sha256 {})",
                r.id, r.version, r.sha256
            ),
            _ => continue,
        };
        items.push(item(AttentionKind::RunbookModified, None, Some(e), reason));
    }
    if state.status == RunStatus::Complete {
        return items;
    }
    let next = state.cursor.as_ref().map(|c| {
        state.units[state.step_units(&c.step)]
            .get(c.item)
            .map_or_else(|| c.step.clone(), |u| u.id.clone())
    });
    let (entry, reason) = if let Some((to, path, _)) = &state.handed_over {
        let e = state
            .notable
            .iter()
            .rev()
            .find(|e| matches!(e.event, Event::HandedOver { .. }));
        (
            e,
            format!("handed over to {to}: the run goes on from {path}"),
        )
    } else if state.status == RunStatus::Aborted {
        let e = state
            .notable
            .iter()
            .rev()
            .find(|e| matches!(e.event, Event::Aborted { .. }));
        // The abort's reason is the failure's, listed with the unit that failed.
        (e, "aborted after a failure; it can be resumed".to_owned())
    } else {
        let e = state.notable.iter().rev().find(|e| {
            matches!(
                e.event,
                Event::Interrupted { .. } | Event::Paused { .. } | Event::Resumed { .. }
            )
        });
        let why = match e.map(|e| &e.event) {
            Some(Event::Interrupted { .. }) => "interrupted; to be resumed",
            Some(Event::Paused { .. }) => "paused; to be resumed",
            _ => "stopped before its end; to be resumed",
        };
        (
            e.filter(|e| !matches!(e.event, Event::Resumed { .. })),
            why.to_owned(),
        )
    };
    items.push(item(AttentionKind::RunNotFinished, next, entry, reason));
    items
}

/// The step of unit `unit` (`step` or `step[item]`; step ids have no `[`).
fn step_of(unit: &str) -> &str {
    unit.split('[').next().unwrap_or(unit)
}

impl AttentionKind {
    /// What the summary calls it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            AttentionKind::GateOverridden => "gate overridden",
            AttentionKind::Skipped => "skipped",
            AttentionKind::Failed => "failed",
            AttentionKind::ApprovalRefused => "approval refused",
            AttentionKind::VerdictOverruled => "passed against the --exec verdict",
            AttentionKind::ItemNotCompleted => "list item not completed",
            AttentionKind::RunNotFinished => "run not finished",
            AttentionKind::RunbookModified => "runbook modified",
        }
    }
}

impl AttentionItem {
    /// The item after its label, in one line: the unit and its title, who and when, and why.
    /// `text` shows operator and runbook text, `code` an id (Markdown escapes both; a terminal
    /// shows them as they are).
    pub(crate) fn describe(&self, text: fn(&str) -> String, code: fn(&str) -> String) -> String {
        /// The most item names one line lists; the JSON has them all.
        const NAMED: usize = 10;
        let mut s = String::new();
        match (&self.unit, &self.step, self.kind) {
            (Some(unit), _, AttentionKind::RunNotFinished) => {
                s += &format!("next: {}", code(unit));
            }
            (Some(unit), _, _) | (None, Some(unit), _) => s += &code(unit),
            (None, None, _) => s += "the run",
        }
        if let Some(title) = &self.title {
            s += &format!(" ({})", text(title));
        }
        match (&self.operator, &self.at) {
            (Some(by), Some(at)) => s += &format!(", by {} at {at}", text(by)),
            (Some(by), None) => s += &format!(", by {}", text(by)),
            (None, Some(at)) => s += &format!(", at {at}"),
            (None, None) => {}
        }
        if let Some(why) = &self.reason {
            s += &format!(": {}", text(why));
        }
        if !self.items.is_empty() {
            let named: Vec<String> = self.items.iter().take(NAMED).map(|i| text(i)).collect();
            let more = self.items.len().saturating_sub(NAMED);
            s += &format!(
                ": {} {} not completed: {}{}",
                self.items.len(),
                if self.items.len() == 1 {
                    "item"
                } else {
                    "items"
                },
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::journal::{Header, RunbookRecord};

    const RUNBOOK: &str = "id: t\ntitle: T\nversion: '1'\nparams:\n  - name: domains\n    \
        type: list\n    items: domain\n    example: [a.com, b.com]\nsteps:\n  \
        - id: gate\n    title: The gate\n    kind: check\n    gate: true\n    command: Get-Thing\n  \
        - id: ok\n    title: Approve\n    kind: approval\n    approver: the change manager\n  \
        - id: each\n    title: Each domain\n    kind: instruction\n    for_each: domains\n    as: d\n";

    fn runbook() -> Runbook {
        let source = crate::source::Source {
            name: "t.yaml".into(),
            text: RUNBOOK.into(),
        };
        crate::loader::load_source(&source, &crate::templates::Templates::default())
            .expect("valid")
            .runbook
    }

    /// The state after `events`, each recorded by `alice` at a second of its own.
    fn state(events: Vec<Event>) -> State {
        let rb = runbook();
        let mut state = State::new(Header {
            format: 2,
            runbook: RunbookRecord::of(&rb),
            created_at: "2026-01-01T00:00:00Z".into(),
            operator: "alice".into(),
            host: "h".into(),
            params: BTreeMap::new(),
            secret_params: Vec::new(),
            ticket: None,
        });
        let plan = [
            Event::Planned {
                step: "gate".into(),
                position: 0,
                items: None,
            },
            Event::Planned {
                step: "ok".into(),
                position: 1,
                items: None,
            },
            Event::Planned {
                step: "each".into(),
                position: 2,
                items: Some(vec!["a.com".into(), "b.com".into()]),
            },
        ];
        for (i, event) in plan.into_iter().chain(events).enumerate() {
            let entry = Entry {
                seq: i as u64 + 1,
                prev: String::new(),
                at: format!("2026-01-01T00:00:{:02}Z", i + 1),
                operator: "alice".into(),
                event,
            };
            state.apply(entry).expect("applies");
        }
        state
    }

    fn started(unit: &str) -> Event {
        Event::Started {
            unit: unit.into(),
            command: None,
        }
    }

    #[test]
    fn an_override_a_refusal_and_the_items_left_are_listed_with_who_and_why() {
        let st = state(vec![
            started("gate"),
            Event::Failed {
                unit: "gate".into(),
                reason: "offset 412 s".into(),
            },
            Event::GateOverridden {
                unit: "gate".into(),
                reason: "CAB accepted the risk".into(),
            },
            started("ok"),
            Event::Failed {
                unit: "ok".into(),
                reason: "approval refused: Carol, not before Monday".into(),
            },
            Event::Aborted {
                unit: "ok".into(),
                reason: "approval refused: Carol, not before Monday".into(),
            },
        ]);
        let rb = runbook();
        let summary = closing_summary(&st, Some(&rb));
        let kinds: Vec<_> = summary.attention.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                AttentionKind::RunNotFinished,
                AttentionKind::GateOverridden,
                AttentionKind::ApprovalRefused,
                AttentionKind::ItemNotCompleted,
            ]
        );
        let plain = |s: &str| s.to_owned();
        let lines: Vec<String> = summary
            .attention
            .iter()
            .map(|a| format!("{}: {}", a.kind.label(), a.describe(plain, plain)))
            .collect();
        assert_eq!(
            lines,
            [
                "run not finished: the run, by alice at 2026-01-01T00:00:09Z: aborted after a \
                 failure; it can be resumed",
                "gate overridden: gate (The gate), by alice at 2026-01-01T00:00:06Z: CAB \
                 accepted the risk",
                "approval refused: ok (Approve), by alice at 2026-01-01T00:00:08Z: Carol, not \
                 before Monday",
                "list item not completed: each (Each domain): 2 items not completed: a.com, \
                 b.com",
            ]
        );
        assert_eq!(
            summary.counts,
            Counts {
                overridden: 1,
                failed: 1,
                pending: 2,
                ..Counts::default()
            }
        );
    }

    #[test]
    fn a_skip_by_the_run_is_counted_apart_and_needs_no_attention() {
        let st = state(vec![
            started("gate"),
            Event::Done {
                unit: "gate".into(),
                note: None,
            },
            started("ok"),
            Event::Done {
                unit: "ok".into(),
                note: Some("approved by Carol".into()),
            },
            started("each[a.com]"),
            Event::Skipped {
                unit: "each[a.com]".into(),
                reason: "removed by hand".into(),
            },
            Event::Skipped {
                unit: "each[b.com]".into(),
                reason: "condition `x` is false".into(),
            },
            Event::Completed,
        ]);
        let summary = closing_summary(&st, None);
        assert_eq!(summary.attention.len(), 1, "{:?}", summary.attention);
        let a = &summary.attention[0];
        assert_eq!(a.kind, AttentionKind::Skipped);
        assert_eq!(a.unit.as_deref(), Some("each[a.com]"));
        assert_eq!(a.item.as_deref(), Some("a.com"));
        assert_eq!(a.reason.as_deref(), Some("removed by hand"));
        assert_eq!(a.title, None, "no runbook, no title");
        assert_eq!((summary.counts.skipped, summary.counts.not_run), (1, 1));
    }
}
