//! One method per kind of step: what the engine asks and records once a unit is shown.

use super::Engine;
use crate::error::{Error, Result};
use crate::journal::Event;
use crate::operator::{Notice, Outcome, Question, Reply, UnitView};
use crate::runbook::{Impact, Runbook, StepKind, Target};
use crate::session::Position;
use crate::state::UnitStatus;

impl Engine<'_, '_> {
    /// Runs the unit at `pos` after it was shown as `view` and recorded as started.
    pub(super) fn step(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let rb = self.session.runbook;
        match &rb.steps[pos.step].kind {
            StepKind::Capture { .. } => self.capture(pos, view),
            StepKind::Decision { .. } => self.decision(pos, view),
            StepKind::Approval { .. } => self.approval(pos, view),
            StepKind::Wait { .. } => self.wait(pos, view),
            StepKind::Instruction
            | StepKind::Command { .. }
            | StepKind::Check { .. }
            | StepKind::Notify { .. } => self.action(pos, view),
        }
    }

    fn capture(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let u = pos.unit;
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Capture {
            variable,
            value_type,
            example,
            pattern,
            ..
        } = &step.kind
        else {
            return Ok(());
        };
        let proposed = match (&self.exec, &view.command) {
            (Some(_), Some(_)) => self.exec_capture(pos, view)?,
            _ => None,
        };
        let mut error = None;
        let value = loop {
            let reply = self.ask(
                &Question::Capture {
                    view,
                    variable,
                    value_type,
                    example: example.display(),
                    proposed: proposed.clone(),
                    error: error.take(),
                },
                u,
            )?;
            let text = match reply {
                Reply::Text(text) => text,
                Reply::Outcome(Outcome::Note(text)) => {
                    self.note(view, text)?;
                    continue;
                }
                // The command threw: retry (asked again) or abort; a capture is not skipped, as
                // later steps need its value.
                Reply::Outcome(Outcome::Failed(why)) => match self.after_failure(pos, view, why)? {
                    None => continue,
                    Some(_) => return self.stop_after_abort(view),
                },
                _ => continue,
            };
            match value_type.parse_text(&text, pattern.as_ref()) {
                Ok(v) => break v,
                Err(e) => error = Some(format!("`{variable}` {e}")),
            }
        };
        self.operator.notify(Notice::Taken {
            what: variable.clone(),
            value: value.display(),
        });
        self.session.record(Event::Captured {
            unit: view.unit.clone(),
            variable: variable.clone(),
            value,
        });
        self.session.finish(u, UnitStatus::Done, None);
        self.session.advance(pos);
        self.save()
    }

    fn decision(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let u = pos.unit;
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Decision { question, choices } = &step.kind else {
            return Ok(());
        };
        let choice = loop {
            let reply = self.ask(
                &Question::Decision {
                    view,
                    question,
                    choices,
                    guards: rb.guards_destructive(pos.step),
                },
                u,
            )?;
            match reply {
                Reply::Choice(id) => {
                    if let Some(c) = choices.iter().find(|c| c.id == id) {
                        break c.clone();
                    }
                }
                Reply::Outcome(Outcome::Note(text)) => self.note(view, text)?,
                _ => {}
            }
        };
        self.session.record(Event::Decision {
            unit: view.unit.clone(),
            choice: choice.id.clone(),
            label: choice.label.clone(),
        });
        self.session.finish(
            u,
            UnitStatus::Done,
            Some(format!("chose `{}`: {}", choice.id, choice.label)),
        );
        if let Some(t) = choice.goto {
            self.operator
                .notify(Notice::Info(jump_text(rb, pos.step, t)));
            self.session.jump(pos.step, t);
        } else {
            self.session.advance(pos);
        }
        self.save()
    }

    fn approval(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let u = pos.unit;
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Approval { approver } = &step.kind else {
            return Ok(());
        };
        let name = loop {
            match self.ask(&Question::Approval { view, approver }, u)? {
                Reply::Text(t) if !t.trim().is_empty() => break t.trim().to_owned(),
                Reply::Outcome(Outcome::Note(text)) => self.note(view, text)?,
                // Refused: on record, and the run stops there (exit 4); resuming asks again.
                Reply::Outcome(Outcome::Failed(why)) => {
                    let why = format!("approval refused: {why}");
                    self.session
                        .finish(u, UnitStatus::Failed, Some(why.clone()));
                    self.session.record(Event::Aborted {
                        unit: view.unit.clone(),
                        reason: why,
                    });
                    self.save()?;
                    return self.stop_after_abort(view);
                }
                _ => {}
            }
        };
        self.session.record(Event::Approved {
            unit: view.unit.clone(),
            by: name.clone(),
        });
        self.session
            .finish(u, UnitStatus::Done, Some(format!("approved by {name}")));
        self.session.advance(pos);
        self.save()
    }

    fn wait(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let u = pos.unit;
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Wait { interval_secs, .. } = &step.kind else {
            return Ok(());
        };
        if self.exec.is_some()
            && let Some(note) = self.exec_wait(pos, view, *interval_secs)?
        {
            self.session.finish(u, UnitStatus::Done, Some(note));
            self.session.advance(pos);
            return self.save();
        }
        loop {
            let reply = self.ask(
                &Question::Wait {
                    view,
                    interval_secs: *interval_secs,
                    poll: false,
                },
                u,
            )?;
            match reply {
                Reply::Yes(true) => break,
                Reply::Outcome(Outcome::Note(text)) => {
                    self.note(view, text)?;
                    continue;
                }
                // The awaited thing cannot be reached: a failure, then retry / skip / abort.
                Reply::Outcome(Outcome::Failed(why)) => {
                    match self.after_failure(pos, view, why)? {
                        None => continue,
                        Some(true) => return self.save(),
                        Some(false) => return self.stop_after_abort(view),
                    }
                }
                _ => {}
            }
            self.session.record(Event::StillWaiting {
                unit: view.unit.clone(),
            });
            self.save()?;
        }
        self.session.finish(u, UnitStatus::Done, None);
        self.session.advance(pos);
        self.save()
    }

    fn action(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        if step.impact == Impact::Destructive && !self.destructive(pos, view)? {
            return self.save();
        }
        let executable = matches!(step.kind, StepKind::Command { .. } | StepKind::Check { .. });
        let ran = match self.exec {
            Some(_) if executable => self.exec_action(pos, view)?,
            _ => None,
        };
        let go_on = match ran {
            Some(go_on) => go_on,
            None => self.outcome(pos, view)?,
        };
        if !go_on {
            let closing = self.closing(false);
            self.operator.notify(closing);
            return Err(Error::Aborted {
                message: format!(
                    "aborted at {} after a failure; the state is saved (resume with: {})",
                    view.unit, self.resume_hint
                ),
            });
        }
        self.save()
    }

    /// Records a note on the unit of `view`.
    pub(super) fn note(&mut self, view: &UnitView, text: String) -> Result<()> {
        self.session.record(Event::Note {
            unit: view.unit.clone(),
            text,
        });
        self.save()
    }

    /// The error that ends the run after an abort (exit 4).
    fn stop_after_abort(&mut self, view: &UnitView) -> Result<()> {
        let closing = self.closing(false);
        self.operator.notify(closing);
        Err(Error::Aborted {
            message: format!(
                "aborted at {}; the state is saved (resume with: {})",
                view.unit, self.resume_hint
            ),
        })
    }
}

/// What a decision's jump from step `from` to `to` means for the walk, in words: where it goes
/// and which steps are not on this path (or are done again).
fn jump_text(rb: &Runbook, from: usize, to: Target) -> String {
    let steps = |r: std::ops::Range<usize>| match (r.start + 1, r.end) {
        (a, b) if a == b => format!("step {a} is"),
        (a, b) => format!("steps {a} to {b} are"),
    };
    match to {
        Target::Step(to) if to <= from => format!(
            "decision: back to step {} ({}); {} done again",
            to + 1,
            rb.steps[to].title,
            steps(to..from + 1)
        ),
        Target::Step(to) if to == from + 1 => {
            format!("decision: on to step {} ({})", to + 1, rb.steps[to].title)
        }
        Target::Step(to) => format!(
            "decision: on to step {} ({}); {} not on this path",
            to + 1,
            rb.steps[to].title,
            steps(from + 1..to)
        ),
        Target::End if from + 1 == rb.steps.len() => "decision: the run ends here".to_owned(),
        Target::End => format!(
            "decision: the run ends here; {} not on this path",
            steps(from + 1..rb.steps.len())
        ),
    }
}
