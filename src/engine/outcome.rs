//! The operator's answers about an action: the typed confirmation of a destructive unit, and
//! what happened (done, failed and then retry / skip / override / abort, skipped, a note).

use super::Engine;
use crate::error::{Error, Result};
use crate::journal::Event;
use crate::operator::{Outcome, Question, Recovery, Reply, UnitView};
use crate::param::Value;
use crate::runbook::StepKind;
use crate::session::Position;
use crate::state::UnitStatus;

impl Engine<'_, '_> {
    /// Destructive units: the operator types the target before running the command.
    pub(super) fn confirm(&mut self, pos: &Position, view: &UnitView) -> Result<()> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let StepKind::Command {
            confirm: Some(name),
            ..
        } = &step.kind
        else {
            return Ok(());
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
                Question::ConfirmTarget {
                    view,
                    expected: &expected,
                },
                pos.unit,
            )?;
            if let Reply::Text(t) = reply
                && t.trim().eq_ignore_ascii_case(expected.trim())
            {
                self.session.record(Event::Confirmed {
                    unit: view.unit.clone(),
                    target: expected.clone(),
                });
                return self.save();
            }
        }
    }

    /// Asks what happened until a final outcome; false when the operator aborts.
    pub(super) fn outcome(&mut self, pos: &Position, view: &UnitView) -> Result<bool> {
        let u = pos.unit;
        loop {
            let reply = self.ask(Question::Outcome(view), u)?;
            match reply {
                Reply::Outcome(Outcome::Done) => {
                    self.session.finish(u, UnitStatus::Done, None);
                    self.session.advance(pos);
                    return Ok(true);
                }
                Reply::Outcome(Outcome::Skip(why)) => {
                    self.session.finish(u, UnitStatus::Skipped, Some(why));
                    self.session.advance(pos);
                    return Ok(true);
                }
                Reply::Outcome(Outcome::Note(text)) => {
                    self.session.record(Event::Note {
                        unit: view.unit.clone(),
                        text,
                    });
                    self.save()?;
                }
                Reply::Outcome(Outcome::Failed(why)) => {
                    if let Some(go_on) = self.after_failure(pos, view, why)? {
                        return Ok(go_on);
                    }
                }
                _ => {}
            }
        }
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
        let reply = self.ask(
            Question::AfterFailure {
                view,
                gate: view.gate,
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
                Ok(None)
            }
            Reply::Recovery(Recovery::Skip(r)) => {
                self.session.finish(u, UnitStatus::Skipped, Some(r));
                self.session.advance(pos);
                Ok(Some(true))
            }
            Reply::Recovery(Recovery::Override(r)) if view.gate => {
                self.session.record(Event::GateOverridden {
                    unit: view.unit.clone(),
                    reason: r.clone(),
                });
                self.session
                    .finish(u, UnitStatus::Done, Some(format!("gate overridden: {r}")));
                self.session.advance(pos);
                Ok(Some(true))
            }
            _ => {
                self.session.record(Event::Aborted {
                    unit: view.unit.clone(),
                    reason: why,
                });
                self.save()?;
                Ok(Some(false))
            }
        }
    }
}
