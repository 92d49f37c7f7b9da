//! The operator's answers about an action: a destructive unit's menu and typed confirmation, and
//! what happened (done, failed and then retry / skip / override / abort, skipped, a note). A gate
//! has no plain skip: it passes, fails, or is overridden with a reason.

use super::Engine;
use crate::error::{Error, Result};
use crate::journal::Event;
use crate::operator::{Notice, Outcome, Question, Recovery, Reply, UnitView};
use crate::param::Value;
use crate::runbook::StepKind;
use crate::session::Position;
use crate::state::UnitStatus;

/// How a typed confirmation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Confirmation {
    /// The target was typed (or the step has none to type).
    Confirmed,
    /// An empty answer: back to the unit's menu.
    Back,
}

/// An answer no operator gives to this question: a bug in an operator, refused rather than
/// guessed at.
fn unexpected(view: &UnitView, reply: &Reply) -> Error {
    Error::Message(format!(
        "unit `{}`: the answer {reply:?} does not fit this question",
        view.unit
    ))
}

impl Engine<'_, '_> {
    /// Destructive units: the operator types the target before running the command.
    pub(super) fn confirm(&mut self, pos: &Position, view: &UnitView) -> Result<Confirmation> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Command {
            confirm: Some(name),
            ..
        } = &step.kind
        else {
            return Ok(Confirmation::Confirmed);
        };
        let expected = if step.for_each.as_ref().is_some_and(|f| &f.item == name) {
            view.item.as_ref().map(|(_, _, v)| v.clone())
        } else {
            self.session
                .values()
                .get(name)
                .or_else(|| self.session.state().captured.get(name))
                .map(Value::display)
        };
        let Some(expected) = expected else {
            return Err(Error::Message(format!(
                "step `{}`: `{name}` has no value to confirm against",
                step.id
            )));
        };
        loop {
            let reply = self.ask(
                &Question::ConfirmTarget {
                    view,
                    expected: &expected,
                },
                pos.unit,
            )?;
            let Reply::Text(typed) = reply else {
                return Ok(Confirmation::Back);
            };
            let typed = typed.trim();
            if typed.is_empty() {
                return Ok(Confirmation::Back);
            }
            if typed.eq_ignore_ascii_case(expected.trim()) {
                self.session.record(Event::Confirmed {
                    unit: view.unit.clone(),
                    target: expected.clone(),
                });
                self.save()?;
                self.operator.notify(Notice::Taken {
                    what: "confirmed".to_owned(),
                    value: expected.clone(),
                });
                return Ok(Confirmation::Confirmed);
            }
            self.operator.notify(Notice::Warning(format!(
                "that does not match `{expected}`: type it exactly, or press Enter on an empty \
                 line to go back"
            )));
        }
    }

    /// A destructive unit's menu, before anything runs: run it (with its typed confirmation),
    /// skip it with a reason, or add a note. `Ok(true)` goes on to run it; `Ok(false)` means the
    /// unit was skipped.
    pub(super) fn destructive(&mut self, pos: &Position, view: &UnitView) -> Result<bool> {
        loop {
            match self.ask(&Question::Destructive(view), pos.unit)? {
                Reply::Yes(true) => {
                    if self.confirm(pos, view)? == Confirmation::Confirmed {
                        return Ok(true);
                    }
                }
                Reply::Outcome(Outcome::Skip(why)) => {
                    self.session
                        .finish(pos.unit, UnitStatus::Skipped, Some(why));
                    self.session.advance(pos);
                    return Ok(false);
                }
                Reply::Outcome(Outcome::Note(text)) => self.note(view, text)?,
                other => return Err(unexpected(view, &other)),
            }
        }
    }

    /// Asks what happened until a final outcome; false when the operator aborts.
    pub(super) fn outcome(&mut self, pos: &Position, view: &UnitView) -> Result<bool> {
        let u = pos.unit;
        loop {
            let reply = self.ask(&Question::Outcome(view), u)?;
            match reply {
                Reply::Outcome(Outcome::Done) => {
                    self.session.finish(u, UnitStatus::Done, None);
                    self.session.advance(pos);
                    return Ok(true);
                }
                Reply::Outcome(Outcome::Skip(why)) if !view.gate => {
                    self.session.finish(u, UnitStatus::Skipped, Some(why));
                    self.session.advance(pos);
                    return Ok(true);
                }
                Reply::Outcome(Outcome::Note(text)) => self.note(view, text)?,
                Reply::Outcome(Outcome::Output(text)) => self.keep_output(view, &text)?,
                Reply::Outcome(Outcome::Failed(why)) => {
                    if let Some(go_on) = self.after_failure(pos, view, why)? {
                        return Ok(go_on);
                    }
                }
                other => return Err(unexpected(view, &other)),
            }
        }
    }

    /// Keeps what the operator pasted of a command's output with the unit: secrets masked, and
    /// cut to the unit's output limit (its end kept) as `--exec` output is.
    fn keep_output(&mut self, view: &UnitView, text: &str) -> Result<()> {
        let masked = super::exec::mask(text, &self.session.secret_texts());
        let cut = crate::state::cut_output(masked);
        let lines = cut.lines().count();
        self.session.record(Event::OutputAdded {
            unit: view.unit.clone(),
            text: cut,
        });
        self.save()?;
        self.operator.notify(Notice::Info(format!(
            "output kept with {} ({lines} line{})",
            view.unit,
            if lines == 1 { "" } else { "s" }
        )));
        Ok(())
    }

    /// Records a failure and asks what now: `Some(true)` goes on (skipped, gate overridden),
    /// `Some(false)` aborts, `None` retries (the unit is started again).
    pub(super) fn after_failure(
        &mut self,
        pos: &Position,
        view: &UnitView,
        why: String,
    ) -> Result<Option<bool>> {
        let u = pos.unit;
        self.session
            .finish(u, UnitStatus::Failed, Some(why.clone()));
        self.save()?;
        let capture = matches!(
            self.session.runbook.steps[pos.step].kind,
            StepKind::Capture { .. }
        );
        let skip = !view.gate && !capture;
        let reply = self.ask(
            &Question::AfterFailure {
                view,
                gate: view.gate,
                skip,
            },
            u,
        )?;
        match reply {
            Reply::Recovery(Recovery::Retry) => {
                self.session.record(Event::Retry {
                    unit: view.unit.clone(),
                });
                let command = self.session.last_command().map(str::to_owned);
                self.session.start(u, command);
                self.save()?;
                // The retry starts from the step as shown: its instructions and command again.
                self.operator.notify(Notice::Unit(view.clone()));
                Ok(None)
            }
            Reply::Recovery(Recovery::Skip(r)) if skip => {
                self.session.finish(u, UnitStatus::Skipped, Some(r));
                self.session.advance(pos);
                Ok(Some(true))
            }
            Reply::Recovery(Recovery::Override(r)) if view.gate => {
                self.session.finish(u, UnitStatus::Overridden, Some(r));
                self.session.advance(pos);
                Ok(Some(true))
            }
            Reply::Recovery(Recovery::Abort) => {
                self.session.record(Event::Aborted {
                    unit: view.unit.clone(),
                    reason: why,
                });
                self.save()?;
                Ok(Some(false))
            }
            other => Err(unexpected(view, &other)),
        }
    }
}
