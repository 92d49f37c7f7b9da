//! Drives a [`Session`]: asks the operator about each unit, applies the answer, saves after every
//! transition. The engine never prints and never prompts itself; it only talks to an
//! [`Operator`].

mod exec;
pub(crate) mod handover;
pub(crate) mod open;
mod outcome;
pub(crate) mod start;
mod step;
mod view;

pub(crate) use exec::Exec;

use crate::error::{Error, Result};
use crate::journal::Event;
use crate::platform;
use std::collections::BTreeMap;

use crate::operator::{Aside, History, HistoryLine, Notice, Operator, Question, Reply, Stop};
use crate::render::Renderer;
use crate::runbook::{Impact, StepKind};
use crate::session::{Next, Position, Session};
use crate::state::{RunStatus, UnitStatus};
use crate::store::Store;

/// How many events a [`History`] shows at most.
const HISTORY_LINES: usize = 40;

/// One run in progress: the session, where it is saved, and who answers.
pub(crate) struct Engine<'a, 'o> {
    /// The session.
    pub session: Session<'a>,
    /// The locked state file.
    pub store: Store,
    /// The compiled templates.
    pub renderer: &'a Renderer,
    /// The operator.
    pub operator: &'o mut dyn Operator,
    /// The command to resume, for messages.
    pub resume_hint: String,
    /// `--exec`: the shell that runs the commands.
    pub exec: Option<Exec>,
    /// Where each parameter's value came from, as the plan says (`given`, `default`, `example`,
    /// `asked`, `changed`); a value recorded before this process has none.
    origins: BTreeMap<String, &'static str>,
    contexts: view::Contexts,
}

impl<'a, 'o> Engine<'a, 'o> {
    /// An engine that drives `session`, saving to `store` and asking `operator`.
    fn new(
        session: Session<'a>,
        store: Store,
        renderer: &'a Renderer,
        operator: &'o mut dyn Operator,
        resume_hint: String,
        exec: Option<Exec>,
    ) -> Engine<'a, 'o> {
        operator.secrets(&session.secret_texts());
        Engine {
            session,
            store,
            renderer,
            operator,
            resume_hint,
            exec,
            origins: BTreeMap::new(),
            contexts: view::Contexts::default(),
        }
    }
}

impl Engine<'_, '_> {
    /// Appends what was recorded since the last save: durable before the next question.
    pub(crate) fn save(&mut self) -> Result<()> {
        if !self.session.has_pending() {
            return Ok(());
        }
        let lines = self.session.take_pending();
        let session = std::cell::RefCell::new(&mut self.session);
        self.store
            .append(lines.as_bytes(), &|| session.borrow_mut().bytes())
    }

    /// Asks for every required parameter still missing; secrets are kept in memory only.
    pub(crate) fn ask_missing_params(&mut self) -> Result<()> {
        let rb = self.session.runbook;
        for p in &rb.params {
            let have = self.session.state().params.contains_key(&p.name)
                || self.session.secrets.contains_key(&p.name);
            if have || !p.required {
                continue;
            }
            let mut error = None;
            let value = loop {
                let reply = self
                    .operator
                    .ask(Question::Param {
                        param: p,
                        error: error.take(),
                    })
                    .map_err(|s| self.stopped(s, &format!("parameter `{}`", p.name)))?;
                let Reply::Text(text) = reply else { continue };
                match p.parse_text(&text) {
                    Ok(v) => break v,
                    Err(e) => error = Some(format!("`{}` {}", p.name, e.message(p.secret))),
                }
            };
            self.origins.insert(p.name.clone(), "asked");
            // Named as the plan and `--set` name it: a long prompt is on screen just above.
            self.operator.notify(Notice::Taken {
                what: p.name.clone(),
                value: if p.secret {
                    "(secret: kept in memory only)".to_owned()
                } else {
                    value.display()
                },
            });
            let recorded = if p.secret {
                self.session.secrets.insert(p.name.clone(), value);
                self.operator.secrets(&self.session.secret_texts());
                None
            } else {
                Some(value)
            };
            self.session.record(Event::ParamSet {
                name: p.name.clone(),
                value: recorded,
            });
            self.save()?;
        }
        Ok(())
    }

    fn stopped(&self, stop: Stop, at: &str) -> Error {
        let path = self.resume_hint.clone();
        match stop {
            Stop::Interrupted => Error::Stopped {
                message: format!("interrupted at {at}; the state is saved\nresume with: {path}"),
            },
            Stop::Paused | Stop::Aside(_) => Error::Stopped {
                message: format!("paused at {at}; the state is saved\nresume with: {path}"),
            },
            Stop::NoAnswer => Error::Stopped {
                message: format!("waiting for operator input at {at}; resume with: {path}"),
            },
        }
    }

    /// Runs units until the end, a stop or an abort.
    pub(crate) fn drive(&mut self) -> Result<()> {
        loop {
            let pos = match self.session.position() {
                Ok(Next::Finished) => {
                    if self.session.state().status == RunStatus::Running {
                        self.session.record(Event::Completed);
                    }
                    self.save()?;
                    let closing = self.closing(true);
                    self.operator.notify(closing);
                    return Ok(());
                }
                Ok(Next::EmptyLoop(step)) => {
                    // A loop over an empty list: nothing to do, and the operator is told so
                    // rather than find the step missing.
                    let s = &self.session.runbook.steps[step];
                    let list = s.for_each.as_ref().map_or("", |f| f.list.as_str());
                    self.operator.notify(Notice::Info(format!(
                        "step {} ({}) has no items: `{list}` is empty; nothing to do",
                        step + 1,
                        s.title
                    )));
                    self.session.pass_over(step);
                    self.save()?;
                    continue;
                }
                Ok(Next::Unit(p)) => p,
                Err(e) => {
                    self.save()?;
                    return Err(Error::Message(e));
                }
            };
            if pos.item == 0 && self.skip_by_condition(&pos)? {
                continue;
            }
            match self.unit(&pos) {
                Err(Error::Restart) => {}
                other => other?,
            }
        }
    }

    fn skip_by_condition(&mut self, pos: &Position) -> Result<bool> {
        let rb = self.session.runbook;
        let Some(c) = &rb.steps[pos.step].when else {
            return Ok(false);
        };
        if self.session.state().units[pos.unit].status != UnitStatus::Pending {
            return Ok(false);
        }
        let values = self.session.values();
        let value = values
            .get(&c.variable)
            .or_else(|| self.session.state().captured.get(&c.variable));
        if value.is_some_and(|v| c.holds(v)) {
            return Ok(false);
        }
        let reason = format!("condition `{c}` is false");
        for u in self.session.step_units(pos.step) {
            let id = self.session.unit_id(u).to_owned();
            self.session
                .finish(u, UnitStatus::Skipped, Some(reason.clone()));
            self.operator.notify(Notice::SkippedByCondition {
                unit: id,
                condition: c.to_string(),
            });
        }
        self.session.pass_over(pos.step);
        self.save()?;
        Ok(true)
    }

    /// The run's closing summary (the report's), and how to write the report.
    pub(super) fn closing(&self, complete: bool) -> Notice {
        let summary = crate::report::attention::closing_summary(
            self.session.state(),
            Some(self.session.runbook),
        );
        let c = summary.counts;
        let mut counts = vec![format!("{} done", c.done)];
        for (n, what) in [
            (c.overridden, "overridden"),
            (c.skipped, "skipped by an operator"),
            (c.not_run, "not run (condition or path)"),
            (c.failed, "failed"),
            (c.in_progress + c.pending, "not finished"),
        ] {
            if n > 0 {
                counts.push(format!("{n} {what}"));
            }
        }
        let attention = summary
            .attention
            .iter()
            .map(|a| {
                (
                    a.kind.label().to_owned(),
                    a.describe(str::to_owned, str::to_owned),
                )
            })
            .collect();
        Notice::Closing {
            complete,
            counts: counts.join(", "),
            attention,
            report: platform::report_command(self.store.path()),
        }
    }

    /// What happened so far, for the operator who takes the run over or asks for it. At most
    /// the newest [`HISTORY_LINES`] events: a long run's whole story is `status`'s and `report`'s.
    pub(crate) fn history(&self, resuming: bool) -> History {
        let state = self.session.state();
        let count = |s: UnitStatus| state.units.iter().filter(|u| u.status == s).count();
        let notable = &state.notable;
        let left_out = notable.len().saturating_sub(HISTORY_LINES);
        let events = notable[left_out..]
            .iter()
            .map(|e| HistoryLine {
                at: e.at.clone(),
                by: e.operator.clone(),
                unit: e.event.unit().map(str::to_owned),
                what: e.event.name(),
                detail: e.event.detail(),
            })
            .collect();
        let next = state.cursor.as_ref().map(|c| {
            let units = state.step_units(&c.step);
            state.units[units]
                .get(c.item)
                .map_or_else(|| c.step.clone(), |u| u.id.clone())
        });
        History {
            resuming,
            counts: [
                count(UnitStatus::Done),
                count(UnitStatus::Overridden),
                count(UnitStatus::Skipped),
                count(UnitStatus::Failed),
            ],
            events,
            left_out,
            next,
        }
    }

    /// Asks `q` about `unit`; a stop is recorded and saved and becomes the error that ends the
    /// run (exit 3). What the operator asks for first (the step, the plan, the history, a
    /// parameter change) is dealt with, and `q` is asked again.
    pub(crate) fn ask(&mut self, q: &Question<'_>, unit: usize) -> Result<Reply> {
        let answer = loop {
            match self.operator.ask(q.clone()) {
                Err(Stop::Aside(aside)) => self.aside(aside, q, Some(unit))?,
                other => break other,
            }
        };
        answer.map_err(|stop| self.halt(stop, unit))
    }

    /// Records and saves that the run stopped at `unit`; the error that ends the run (exit 3).
    fn halt(&mut self, stop: Stop, unit: usize) -> Error {
        let id = self.session.unit_id(unit).to_owned();
        let unit = id.clone();
        self.session.record(match stop {
            // Nobody saw this unit: it is pending again, not half-done.
            Stop::NoAnswer => Event::WaitingForInput { unit },
            Stop::Interrupted => Event::Interrupted { unit },
            Stop::Paused | Stop::Aside(_) => Event::Paused { unit },
        });
        match self.save() {
            Ok(()) => self.stopped(stop, &id),
            Err(e) => e,
        }
    }

    /// Deals with what the operator asked for at `q` (about `unit`, if a unit is current).
    pub(super) fn aside(
        &mut self,
        aside: Aside,
        q: &Question<'_>,
        unit: Option<usize>,
    ) -> Result<()> {
        match aside {
            Aside::Step => {
                if let Some(view) = q.view() {
                    self.operator.notify(Notice::Unit(view.clone()));
                }
            }
            Aside::Plan => {
                let plan = self.plan();
                self.operator.notify(plan);
            }
            Aside::History => {
                let history = self.history(false);
                self.operator.notify(Notice::History(history));
            }
            // Whether the step completed is a fact about what was shown; a new value would
            // show something else.
            Aside::ChangeParam if matches!(q, Question::CompletedBeforeCrash { .. }) => {
                self.operator.notify(Notice::Warning(
                    "first say whether this step completed; parameters can change after".to_owned(),
                ));
            }
            Aside::ChangeParam => self.change_by_menu(unit)?,
        }
        Ok(())
    }

    /// "Change a parameter": which one, its new value, then the change; the current unit starts
    /// over when it uses that parameter (its command was shown with the old value).
    fn change_by_menu(&mut self, unit: Option<usize>) -> Result<()> {
        let rb = self.session.runbook;
        let values = self.session.values();
        let params: Vec<(String, String)> = rb
            .params
            .iter()
            .map(|p| (p.name.clone(), start::shown_value(p, values.get(&p.name))))
            .collect();
        let halt = |engine: &mut Self, stop| match unit {
            Some(u) => engine.halt(stop, u),
            None => engine.stopped(stop, "the start"),
        };
        let reply = self
            .operator
            .ask(Question::ChangeWhich { params: &params })
            .map_err(|s| halt(self, s))?;
        let Reply::Choice(name) = reply else {
            return Ok(());
        };
        let Some((param, (_, current))) = rb.param(&name).zip(params.iter().find(|p| p.0 == name))
        else {
            return Ok(());
        };
        if let Some(why) = self.unchangeable(&name) {
            self.operator
                .notify(Notice::Warning(format!("`{name}` cannot change: {why}")));
            return Ok(());
        }
        let mut error = None;
        let value = loop {
            let reply = self
                .operator
                .ask(Question::NewValue {
                    param,
                    current,
                    error: error.take(),
                })
                .map_err(|s| halt(self, s))?;
            let Reply::Text(text) = reply else { continue };
            if text.is_empty() {
                self.operator
                    .notify(Notice::Info(format!("`{name}` is unchanged")));
                return Ok(());
            }
            match param.parse_text(&text) {
                Ok(v) => break v,
                Err(e) => error = Some(format!("`{name}` {}", e.message(param.secret))),
            }
        };
        // Only a unit already shown (started) has a command with the old value on screen.
        let restart = unit.filter(|&u| {
            let current = &self.session.state().units[u];
            current.status == UnitStatus::InProgress
                && rb
                    .steps
                    .iter()
                    .find(|s| s.id == current.step)
                    .is_some_and(|s| self.uses(s, &name))
        });
        let Some(unit) = restart else {
            self.change_param(param, &value);
            self.save()?;
            return Ok(());
        };
        let at = self.session.unit_id(unit).to_owned();
        // The command shown used the old value; the operator changed it instead of running it.
        // The unit is pending again before its step follows a changed list, so an item no
        // longer listed is dropped with the others, not kept as if something had happened.
        self.session.record(Event::Restarted { unit: at.clone() });
        self.change_param(param, &value);
        self.save()?;
        self.operator.notify(Notice::Info(format!(
            "{at} uses `{name}`: it starts over with the new value"
        )));
        Err(Error::Restart)
    }

    fn unit(&mut self, pos: &Position) -> Result<()> {
        let u = pos.unit;
        let id = self.session.unit_id(u).to_owned();
        if !self.operator.can_answer(&id) {
            // Nobody can answer: stop before the unit is shown or started. Nothing happened
            // since the last save, so there is nothing to record.
            return Err(self.stopped(Stop::NoAnswer, &id));
        }
        let rendered = self.render(pos)?;
        let view = rendered.view;
        // A question to the operator (capture, decision, approval) left open by a crash is simply
        // asked again: nothing outside happened. An action may have run, so ask about it.
        let acts = matches!(
            view::step_kind(self.session.runbook, pos),
            StepKind::Instruction
                | StepKind::Command { .. }
                | StepKind::Check { .. }
                | StepKind::Wait { .. }
                | StepKind::Notify { .. }
        );
        if acts && self.session.state().units[u].status == UnitStatus::InProgress {
            let step = &self.session.runbook.steps[pos.step];
            let unit = &self.session.state().units[u];
            let confirmed_by = unit.confirmed_by.clone();
            let unconfirmed = matches!(
                step.kind,
                StepKind::Command {
                    confirm: Some(_),
                    ..
                }
            ) && confirmed_by.is_none();
            if unconfirmed || step.impact == Impact::Read {
                // Nothing can have changed: a destructive unit whose target was never typed
                // did not run, and a read-only one is simply shown again.
                if unconfirmed {
                    self.operator.notify(Notice::Info(format!(
                        "{}: its confirmation was never typed, so it did not run; it starts over",
                        view.unit
                    )));
                }
            } else {
                let started = format!(
                    "started by {} at {}",
                    unit.operator.as_deref().unwrap_or("?"),
                    unit.started_at.as_deref().unwrap_or("?")
                );
                self.operator.notify(Notice::Unit(view.clone()));
                let reply = self.ask(
                    &Question::CompletedBeforeCrash {
                        view: &view,
                        started,
                    },
                    u,
                )?;
                if reply == Reply::Yes(true) {
                    let me = self.session.operator.clone();
                    let note = match confirmed_by {
                        Some(by) if by != me => format!(
                            "completed before an interruption: confirmed and run by {by}; \
                             its completion recorded by {me}"
                        ),
                        _ => format!(
                            "completed before an interruption; its completion recorded by {me}"
                        ),
                    };
                    self.session.finish(u, UnitStatus::Done, Some(note));
                    self.session.advance(pos);
                    return self.save();
                }
            }
            self.session.record(Event::Restarted {
                unit: view.unit.clone(),
            });
        }
        self.session.start(u, rendered.recorded_command);
        self.save()?;
        self.operator.notify(Notice::Unit(view.clone()));
        self.step(pos, &view)
    }
}
