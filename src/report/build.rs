//! The run record ([`Report`]) from a record read back: one pass over the journal's events
//! gathers each unit's attempts, notes, confirmations and overruled verdicts, and the run's
//! approvals, decisions, captures, parameter changes and hand-overs; the runbook text the record
//! carries gives each unit its title, kind, impact and gate.

use std::collections::HashMap;

use chrono::DateTime;

use crate::journal::Event;
use crate::runbook::{Impact, Runbook, StepKind};
use crate::state::{self, State, UnitStatus};

use super::Record;
use super::attention::closing_summary;
use super::model::{
    ApprovalRecord, Attempt, AttemptResult, CaptureRecord, Confirmation, DecisionRecord, Execution,
    HandedOver, Handover, Overrule, ParamChange, ParamValue, REPORT_FORMAT, Report, RunStatus,
    RunbookInfo, Said, ShellRecord, Skip, UnitReport,
};

/// Everything recorded about one unit, as the events are read.
#[derive(Default)]
struct UnitLog {
    attempts: Vec<Attempt>,
    /// What stopped the open attempt, if something did (it may still finish after a resume).
    stop: Option<AttemptResult>,
    /// As the state's fold has it: whether a skip now is the operator's or the run's.
    status: Option<UnitStatus>,
    overridden: Option<Said>,
    skipped: Option<Skip>,
    notes: Vec<Said>,
    confirmations: Vec<Confirmation>,
    overrules: Vec<Overrule>,
}

impl UnitLog {
    /// The attempt not finished yet, if any.
    fn open(&mut self) -> Option<&mut Attempt> {
        self.attempts
            .last_mut()
            .filter(|a| a.result == AttemptResult::InProgress)
    }

    /// Ends the open attempt (or records one that was never shown as started).
    fn end(&mut self, result: AttemptResult, at: &str, by: &str, reason: Option<&String>) {
        if self.open().is_none() {
            self.attempts.push(attempt(None, None, None));
        }
        if let Some(a) = self.open() {
            a.result = result;
            a.ended_at = Some(at.to_owned());
            a.ended_by = Some(by.to_owned());
            a.reason = reason.cloned();
        }
        self.stop = None;
    }

    /// Ends the open attempt, if any, as stopped by what last stopped it (else `otherwise`): the
    /// unit is shown again.
    fn interrupt(&mut self, otherwise: AttemptResult, at: &str, by: &str) {
        let result = self.stop.take().unwrap_or(otherwise);
        if let Some(a) = self.open() {
            a.result = result;
            a.ended_at = Some(at.to_owned());
            a.ended_by = Some(by.to_owned());
        }
    }
}

fn attempt(at: Option<&str>, by: Option<&str>, command: Option<&String>) -> Attempt {
    Attempt {
        started_at: at.map(str::to_owned),
        started_by: by.map(str::to_owned),
        command: command.cloned(),
        result: AttemptResult::InProgress,
        ended_at: None,
        ended_by: None,
        reason: None,
        by_hand: false,
    }
}

/// The runbook the run follows now, from the text and templates its record carries.
pub(super) fn runbook_of(state: &State) -> Result<Runbook, String> {
    let pinned = crate::templates::Templates {
        dir: None,
        pinned: Some(state.runbook.template_texts()),
    };
    let source = crate::source::Source {
        name: state.runbook.source_name.clone(),
        text: state.runbook.source.clone(),
    };
    crate::loader::load_source(&source, &pinned)
        .map(|l| l.runbook)
        .map_err(|e| e.to_string())
}

/// The run record of `record`.
pub(crate) fn build(record: &Record) -> Report {
    let state = &record.state;
    let header = &state.header;
    let runbook = runbook_of(state);
    let rb = runbook.as_ref().ok();
    let mut logs: HashMap<&str, UnitLog> = HashMap::new();
    let mut report = Report {
        format: REPORT_FORMAT,
        runbook: RunbookInfo {
            id: state.runbook.id.clone(),
            version: state.runbook.version.clone(),
            sha256: state.runbook.sha256.clone(),
            title: rb.map(|r| r.title.clone()),
            source_name: state.runbook.source_name.clone(),
        },
        ticket: header.ticket.clone(),
        status: match state.status {
            state::RunStatus::Running => RunStatus::Running,
            state::RunStatus::Complete => RunStatus::Complete,
            state::RunStatus::Aborted => RunStatus::Aborted,
        },
        complete: state.status == state::RunStatus::Complete,
        handed_over: state.handed_over.as_ref().map(|(to, path, at)| HandedOver {
            to: to.clone(),
            path: path.clone(),
            at: at.clone(),
        }),
        intact: record.intact,
        integrity: record.integrity.clone(),
        created_at: header.created_at.clone(),
        started_at: header.created_at.clone(),
        started_by: header.operator.clone(),
        host: header.host.clone(),
        finished_at: None,
        duration_secs: None,
        last_event_at: state.newest().map(|(_, at, _)| at.clone()),
        operators: vec![header.operator.clone()],
        params: values(&state.params),
        secret_params: header.secret_params.clone(),
        captured: values(&state.captured),
        summary: closing_summary(state, rb),
        units: Vec::new(),
        approvals: Vec::new(),
        decisions: Vec::new(),
        captures: Vec::new(),
        param_changes: Vec::new(),
        handovers: Vec::new(),
        shells: Vec::new(),
        runbook_error: runbook.as_ref().err().cloned(),
        events: state
            .entries
            .iter()
            .map(super::status::event_record)
            .collect(),
    };
    let step_of = |unit: &str| rb.and_then(|rb| rb.steps.iter().find(|s| unit_step(unit) == s.id));
    for e in &state.entries {
        let (at, by) = (e.at.as_str(), e.operator.as_str());
        if !report.operators.iter().any(|o| o == by) {
            report.operators.push(by.to_owned());
        }
        let said = |text: &String| Said {
            at: at.to_owned(),
            operator: by.to_owned(),
            text: text.clone(),
        };
        if let Some(unit) = e.event.unit() {
            let log = logs.entry(unit).or_default();
            match &e.event {
                Event::Started { command, .. } => {
                    log.interrupt(AttemptResult::Interrupted, at, by);
                    log.attempts
                        .push(attempt(Some(at), Some(by), command.as_ref()));
                    log.status = Some(UnitStatus::InProgress);
                    // A new attempt: an override or skip before it no longer stands.
                    log.overridden = None;
                    log.skipped = None;
                }
                Event::Restarted { .. } | Event::WaitingForInput { .. } => {
                    let why = if matches!(e.event, Event::Restarted { .. }) {
                        AttemptResult::Restarted
                    } else {
                        AttemptResult::NoAnswer
                    };
                    log.interrupt(why, at, by);
                    log.status = Some(UnitStatus::Pending);
                }
                Event::Interrupted { .. } => log.stop = Some(AttemptResult::Interrupted),
                Event::Paused { .. } => log.stop = Some(AttemptResult::Paused),
                Event::Done { note, .. } => {
                    log.end(AttemptResult::Done, at, by, note.as_ref());
                    log.status = Some(UnitStatus::Done);
                }
                Event::Failed { reason, .. } => {
                    log.end(AttemptResult::Failed, at, by, Some(reason));
                    log.status = Some(UnitStatus::Failed);
                }
                Event::Skipped { reason, .. } => {
                    let by_run = log.status.is_none_or(|s| s == UnitStatus::Pending);
                    if log.open().is_some() {
                        log.end(AttemptResult::Skipped, at, by, Some(reason));
                    }
                    log.skipped = Some(Skip {
                        at: at.to_owned(),
                        operator: by.to_owned(),
                        reason: reason.clone(),
                        by_run,
                    });
                    log.status = Some(UnitStatus::Skipped);
                }
                Event::GateOverridden { reason, .. } => {
                    if log.open().is_some() {
                        log.end(AttemptResult::Failed, at, by, Some(reason));
                    }
                    log.overridden = Some(said(reason));
                    log.status = Some(UnitStatus::Overridden);
                }
                Event::Note { text, .. } => log.notes.push(said(text)),
                Event::Confirmed { target, .. } => log.confirmations.push(Confirmation {
                    at: at.to_owned(),
                    operator: by.to_owned(),
                    target: target.clone(),
                }),
                Event::VerdictOverruled { passed, reason, .. } => log.overrules.push(Overrule {
                    at: at.to_owned(),
                    operator: by.to_owned(),
                    engine_passed: *passed,
                    reason: reason.clone(),
                }),
                Event::RunByHand { .. } => {
                    if let Some(a) = log.open() {
                        a.by_hand = true;
                    }
                }
                Event::Captured {
                    unit,
                    variable,
                    value,
                } => report.captures.push(CaptureRecord {
                    unit: unit.clone(),
                    variable: variable.clone(),
                    value: ParamValue(value.clone()),
                    operator: by.to_owned(),
                    at: at.to_owned(),
                }),
                Event::Decision {
                    unit,
                    choice,
                    label,
                } => report.decisions.push(DecisionRecord {
                    unit: unit.clone(),
                    question: step_of(unit).and_then(|s| match &s.kind {
                        StepKind::Decision { question, .. } => Some(question.clone()),
                        _ => None,
                    }),
                    choice: choice.clone(),
                    label: label.clone(),
                    operator: by.to_owned(),
                    at: at.to_owned(),
                }),
                Event::Approved { unit, by: approver } => {
                    report.approvals.push(ApprovalRecord {
                        unit: unit.clone(),
                        approver_role: step_of(unit).and_then(|s| match &s.kind {
                            StepKind::Approval { approver } => Some(approver.clone()),
                            _ => None,
                        }),
                        approved_by: approver.clone(),
                        recorded_by: by.to_owned(),
                        at: at.to_owned(),
                    });
                }
                _ => {}
            }
            continue;
        }
        match &e.event {
            Event::Completed | Event::Aborted { .. } => report.finished_at = Some(at.to_owned()),
            Event::Resumed { .. } => report.finished_at = None,
            Event::JumpedBack { steps, .. } => {
                for (unit, log) in &mut logs {
                    if steps.iter().any(|s| s == unit_step(unit)) {
                        log.status = Some(UnitStatus::Pending);
                    }
                }
            }
            Event::ParamChanged { name, old, new } => report.param_changes.push(ParamChange {
                name: name.clone(),
                old: old.clone().map(ParamValue),
                new: new.clone().map(ParamValue),
                secret: new.is_none(),
                operator: by.to_owned(),
                at: at.to_owned(),
            }),
            Event::HandedOver { to, path } => report.handovers.push(Handover::HandedOver {
                at: at.to_owned(),
                operator: by.to_owned(),
                to: to.clone(),
                path: path.clone(),
            }),
            Event::Received { from, host, path } => report.handovers.push(Handover::Received {
                at: at.to_owned(),
                operator: by.to_owned(),
                from: from.clone(),
                host: host.clone(),
                path: path.clone(),
            }),
            Event::Moved {
                from_host,
                from_path,
            } => report.handovers.push(Handover::Moved {
                at: at.to_owned(),
                operator: by.to_owned(),
                from_host: from_host.clone(),
                from_path: from_path.clone(),
            }),
            Event::ExecShell { detail } => {
                let (shell, preamble) = detail.split_once('\n').unwrap_or((detail, ""));
                report.shells.push(ShellRecord {
                    at: at.to_owned(),
                    operator: by.to_owned(),
                    shell: shell.to_owned(),
                    preamble: (!preamble.is_empty()).then(|| preamble.to_owned()),
                });
            }
            _ => {}
        }
    }
    // Aborted, then resumed and stopped: not finished. (Aborted comes after the abort's events.)
    if state.status == state::RunStatus::Running {
        report.finished_at = None;
    }
    report.duration_secs = report
        .finished_at
        .as_deref()
        .and_then(|end| seconds_between(&header.created_at, end));
    for u in &state.units {
        let log = logs.remove(u.id.as_str()).unwrap_or_default();
        let step = rb.and_then(|rb| rb.steps.iter().position(|s| s.id == u.step));
        let st = step.and_then(|i| rb.map(|rb| &rb.steps[i]));
        let failed_attempts = log
            .attempts
            .iter()
            .filter(|a| a.result == AttemptResult::Failed)
            .count();
        report.units.push(UnitReport {
            number: step.map(|i| i + 1),
            id: u.id.clone(),
            step: u.step.clone(),
            item: u.item.clone(),
            title: st.map(|s| s.title.clone()),
            kind: st.map(|s| s.kind.name().to_owned()),
            impact: st.map(|s| s.impact.name().to_owned()),
            destructive: st.is_some_and(|s| s.impact == Impact::Destructive),
            gate: st.is_some_and(crate::runbook::Step::is_gate),
            status: u.status.as_str().to_owned(),
            outcome: outcome(u.status, u.skipped_by_run, failed_attempts),
            started_at: u.started_at.clone(),
            finished_at: u.finished_at.clone(),
            operator: u.operator.clone(),
            note: u.note.clone(),
            failed_attempts,
            command: log.attempts.iter().rev().find_map(|a| a.command.clone()),
            attempts: log.attempts,
            overridden: log.overridden,
            skipped: log.skipped,
            notes: log.notes,
            confirmations: log.confirmations,
            verdicts_overruled: log.overrules,
            executions: u
                .executions
                .iter()
                .map(|x| Execution {
                    what: x.what.clone(),
                    started_at: x.started_at.clone(),
                    duration_ms: x.duration_ms,
                    exit_status: x.exit_status,
                    verdict: x.verdict.clone(),
                    output: x.output.clone(),
                })
                .collect(),
        });
    }
    report
}

/// The step of unit `unit` (`step` or `step[item]`; step ids have no `[`).
fn unit_step(unit: &str) -> &str {
    unit.split('[').next().unwrap_or(unit)
}

fn values(
    map: &std::collections::BTreeMap<String, crate::param::Value>,
) -> std::collections::BTreeMap<String, ParamValue> {
    map.iter()
        .map(|(k, v)| (k.clone(), ParamValue(v.clone())))
        .collect()
}

/// Seconds from `start` to `end` (RFC 3339); `None` when either does not parse or `end` is
/// earlier (clocks of two machines).
pub(super) fn seconds_between(start: &str, end: &str) -> Option<u64> {
    let start = DateTime::parse_from_rfc3339(start).ok()?;
    let end = DateTime::parse_from_rfc3339(end).ok()?;
    u64::try_from((end - start).num_seconds()).ok()
}

/// The outcome in words: `done`, `done after 2 failed attempts`, `overridden`, `skipped`, ...
fn outcome(status: UnitStatus, by_run: bool, failed: usize) -> String {
    let after = |word: &str| match failed {
        0 => word.to_owned(),
        1 => format!("{word} after 1 failed attempt"),
        n => format!("{word} after {n} failed attempts"),
    };
    match status {
        UnitStatus::Done => after("done"),
        // An override always follows a failure; more than one is worth saying.
        UnitStatus::Overridden if failed > 1 => after("overridden"),
        UnitStatus::Overridden => "overridden".to_owned(),
        UnitStatus::Skipped if by_run => "not run".to_owned(),
        UnitStatus::Skipped => after("skipped"),
        UnitStatus::Failed if failed > 1 => format!("failed {failed} times"),
        UnitStatus::Failed => "failed".to_owned(),
        UnitStatus::InProgress => "in progress".to_owned(),
        UnitStatus::Pending => "not reached".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_as_words() {
        assert_eq!(outcome(UnitStatus::Done, false, 0), "done");
        assert_eq!(
            outcome(UnitStatus::Done, false, 2),
            "done after 2 failed attempts"
        );
        assert_eq!(
            outcome(UnitStatus::Done, false, 1),
            "done after 1 failed attempt"
        );
        assert_eq!(outcome(UnitStatus::Overridden, false, 1), "overridden");
        assert_eq!(
            outcome(UnitStatus::Overridden, false, 3),
            "overridden after 3 failed attempts"
        );
        assert_eq!(outcome(UnitStatus::Skipped, false, 0), "skipped");
        assert_eq!(outcome(UnitStatus::Skipped, true, 0), "not run");
        assert_eq!(outcome(UnitStatus::Failed, false, 1), "failed");
        assert_eq!(outcome(UnitStatus::Failed, false, 2), "failed 2 times");
        assert_eq!(outcome(UnitStatus::Pending, false, 0), "not reached");
    }

    #[test]
    fn a_duration_needs_two_times_in_order() {
        assert_eq!(
            seconds_between("2026-01-01T00:00:00Z", "2026-01-01T01:02:03Z"),
            Some(3723)
        );
        assert_eq!(
            seconds_between("2026-01-01T01:00:00Z", "2026-01-01T00:00:00Z"),
            None
        );
        assert_eq!(seconds_between("then", "2026-01-01T00:00:00Z"), None);
    }
}
