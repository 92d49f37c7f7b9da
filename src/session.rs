//! The run as a state machine: which unit is next, and which events each answer records.
//!
//! Every change to a run is an [`Event`] recorded here: it is queued as a journal line and
//! applied to the [`State`] by the fold, so what is saved and what the run does cannot differ.
//! No prompts and no file I/O (it reads the clock for event times); `engine` asks the operator
//! and writes the queued lines after each transition.

use std::collections::HashMap;
use std::ops::Range;

use crate::backup::Backup;
use crate::journal::{self, Event, Header, Writer};
use crate::param::Value;
use crate::runbook::{Runbook, Step, Target};
use crate::scope::Values;
use crate::state::{Cursor, State, UnitStatus, now};

/// A run in memory.
pub(crate) struct Session<'a> {
    /// The runbook it follows (the state's embedded copy, or the current one).
    pub runbook: &'a Runbook,
    state: State,
    writer: Writer,
    /// Who is running it now.
    pub operator: String,
    /// Secret values: memory only, never recorded.
    pub secrets: Values,
    steps: HashMap<String, usize>,
    /// Every byte of the journal so far: what is written back if the file is deleted or
    /// overwritten behind the run.
    backup: Backup,
    /// The command recorded with the last `started`, for a retry.
    last_command: Option<String>,
}

/// The unit at the cursor.
#[derive(Debug, Clone)]
pub(crate) struct Position {
    /// Step index.
    pub step: usize,
    /// Item index.
    pub item: usize,
    /// Index into the state's units.
    pub unit: usize,
}

/// What comes next in a run.
#[derive(Debug, Clone)]
pub(crate) enum Next {
    /// The run is over.
    Finished,
    /// Step `.0` loops over an empty list: nothing to do there.
    EmptyLoop(usize),
    Unit(Position),
}

fn step_map(rb: &Runbook) -> HashMap<String, usize> {
    rb.steps
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect()
}

impl<'a> Session<'a> {
    /// A new run: its header line (to write first) and the session after it.
    pub(crate) fn create(
        runbook: &'a Runbook,
        header: Header,
        operator: String,
        secrets: Values,
    ) -> (Session<'a>, String) {
        let line = journal::header_line(&header);
        let mut state = State::new(header);
        state.forget_entries();
        let session = Session {
            runbook,
            state,
            writer: Writer::after_header(&line),
            operator,
            secrets,
            steps: step_map(runbook),
            backup: {
                let mut b = Backup::default();
                b.push(format!("{line}\n").as_bytes());
                b
            },
            last_command: None,
        };
        (session, line)
    }

    /// A run read back from its journal (already folded into `state`); `bytes` are the
    /// file's complete lines.
    pub(crate) fn resume(
        runbook: &'a Runbook,
        state: State,
        writer: Writer,
        operator: String,
        bytes: Vec<u8>,
    ) -> Session<'a> {
        Session {
            runbook,
            state,
            writer,
            operator,
            secrets: Values::new(),
            steps: step_map(runbook),
            backup: Backup::starting_with(bytes),
            last_command: None,
        }
    }

    /// The secret values as they would appear in text (a command's output, a preamble), to be
    /// masked there.
    pub(crate) fn secret_texts(&self) -> Vec<String> {
        self.secrets
            .values()
            .map(crate::param::Value::display)
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The run as recorded so far.
    pub(crate) fn state(&self) -> &State {
        &self.state
    }

    /// Records `event`: queued for the next save, and applied to the state.
    pub(crate) fn record(&mut self, event: Event) {
        let entry = self.writer.entry(now(), self.operator.clone(), event);
        let applied = self.state.apply(entry);
        // Events made here always fit the run; a refusal would be a bug in this module.
        debug_assert!(applied.is_ok(), "{applied:?}");
    }

    /// The journal lines recorded since the last call.
    pub(crate) fn take_pending(&mut self) -> String {
        let lines = self.writer.take_pending();
        self.backup.push(lines.as_bytes());
        lines
    }

    /// Whether events wait to be saved.
    pub(crate) fn has_pending(&self) -> bool {
        self.writer.has_pending()
    }

    /// The whole journal as written so far.
    pub(crate) fn bytes(&mut self) -> Vec<u8> {
        self.backup.bytes()
    }

    /// The command recorded when the last unit was started.
    pub(crate) fn last_command(&self) -> Option<&str> {
        self.last_command.as_deref()
    }

    /// The id of unit `unit`.
    pub(crate) fn unit_id(&self, unit: usize) -> &str {
        &self.state.units[unit].id
    }

    /// Every value a template may read: parameters and secrets.
    pub(crate) fn values(&self) -> Values {
        let mut v = self.state.params.clone();
        v.extend(self.secrets.iter().map(|(k, v)| (k.clone(), v.clone())));
        v
    }

    /// The items of a `for_each` step (`None` for a plain step), or why they are not known.
    pub(crate) fn items(&self, step: &Step) -> Result<Option<&[Value]>, String> {
        let Some(f) = &step.for_each else {
            return Ok(None);
        };
        let list = self
            .state
            .params
            .get(&f.list)
            .or_else(|| self.secrets.get(&f.list))
            .or_else(|| self.state.captured.get(&f.list));
        match list {
            Some(Value::List(items)) => Ok(Some(items)),
            Some(_) => Err(format!("`{}` is not a list", f.list)),
            None => Err(format!(
                "`{}` has no value: the step that captures it was skipped",
                f.list
            )),
        }
    }

    /// Plans the units of step `index` if it has none yet (lists captured at run time).
    pub(crate) fn ensure_units(&mut self, index: usize) -> Result<(), String> {
        let rb = self.runbook;
        let step = &rb.steps[index];
        if self.state.is_planned(&step.id) {
            return Ok(());
        }
        let items = self
            .items(step)?
            .map(|items| items.iter().map(Value::display).collect());
        let position = self.insert_point(index);
        self.record(Event::Planned {
            step: step.id.clone(),
            position,
            items,
        });
        Ok(())
    }

    /// Units stay in step order: a new step's units go after every earlier step's.
    fn insert_point(&self, index: usize) -> usize {
        self.runbook.steps[..index]
            .iter()
            .map(|s| self.state.step_units(&s.id).end)
            .max()
            .unwrap_or(0)
    }

    /// Plans every unit whose items are known now (at the start of a run).
    pub(crate) fn plan_units(&mut self) {
        for i in 0..self.runbook.steps.len() {
            // A list captured later is planned when the run gets there.
            let _ = self.ensure_units(i);
        }
    }

    /// The unit indices of step `index`.
    pub(crate) fn step_units(&self, index: usize) -> Range<usize> {
        self.state.step_units(&self.runbook.steps[index].id)
    }

    /// Marks a unit shown, with the command text as shown (secrets masked).
    pub(crate) fn start(&mut self, unit: usize, command: Option<String>) {
        let unit = self.unit_id(unit).to_owned();
        self.last_command.clone_from(&command);
        self.record(Event::Started { unit, command });
    }

    /// Records the final status of a unit; `note` is the reason for a skip or a failure.
    pub(crate) fn finish(&mut self, unit: usize, status: UnitStatus, note: Option<String>) {
        let unit = self.unit_id(unit).to_owned();
        let event = match status {
            UnitStatus::Skipped => Event::Skipped {
                unit,
                reason: note.unwrap_or_default(),
            },
            UnitStatus::Failed => Event::Failed {
                unit,
                reason: note.unwrap_or_default(),
            },
            UnitStatus::Pending => Event::WaitingForInput { unit },
            UnitStatus::InProgress => Event::Started {
                unit,
                command: None,
            },
            UnitStatus::Done => Event::Done { unit, note },
            UnitStatus::Overridden => Event::GateOverridden {
                unit,
                reason: note.unwrap_or_default(),
            },
        };
        self.record(event);
    }

    /// Moves the cursor past the unit at `pos`: the next item, or the step after (or its `next`).
    pub(crate) fn advance(&mut self, pos: &Position) {
        if pos.item + 1 < self.step_units(pos.step).len() {
            let step = self.runbook.steps[pos.step].id.clone();
            self.record(Event::Next {
                step,
                item: pos.item + 1,
            });
            return;
        }
        self.jump(pos.step, self.runbook.successor(pos.step));
    }

    /// Moves past a whole step without running its `next` (a step skipped by its condition).
    pub(crate) fn pass_over(&mut self, step: usize) {
        self.jump(step, Target::Step(step + 1));
    }

    /// Continues at `target` from step `from`. A jump backwards re-opens the units in between,
    /// so that they are asked again; their earlier outcomes stay in the events.
    pub(crate) fn jump(&mut self, from: usize, target: Target) {
        let rb = self.runbook;
        match target {
            Target::Step(to) if to < rb.steps.len() => {
                if to <= from {
                    self.record(Event::JumpedBack {
                        to: rb.steps[to].id.clone(),
                        steps: rb.steps[to..=from].iter().map(|s| s.id.clone()).collect(),
                    });
                } else {
                    self.pass_by(from + 1..to);
                }
                self.record(Event::Next {
                    step: rb.steps[to].id.clone(),
                    item: 0,
                });
            }
            _ => {
                self.pass_by(from + 1..rb.steps.len());
                self.record(Event::Completed);
            }
        }
    }

    /// Steps a jump passes over are skipped, so a finished run has no pending units.
    fn pass_by(&mut self, steps: Range<usize>) {
        let reason = match steps.start.checked_sub(1).map(|i| &self.runbook.steps[i]) {
            Some(s) => format!("not on the path taken after `{}`", s.id),
            None => "not on the path taken".to_owned(),
        };
        for index in steps {
            let _ = self.ensure_units(index);
            for u in self.step_units(index) {
                if matches!(
                    self.state.units[u].status,
                    UnitStatus::Pending | UnitStatus::InProgress
                ) {
                    self.finish(u, UnitStatus::Skipped, Some(reason.clone()));
                }
            }
        }
    }

    /// The run starts at its first step.
    pub(crate) fn begin(&mut self) {
        match self.runbook.steps.first() {
            Some(s) => {
                let step = s.id.clone();
                self.record(Event::Next { step, item: 0 });
            }
            None => self.record(Event::Completed),
        }
    }

    /// What comes next: the unit at the cursor (its step's units planned if needed), or why
    /// the run cannot go on (a list with no value).
    pub(crate) fn position(&mut self) -> Result<Next, String> {
        let Some(cursor) = self.state.cursor.clone() else {
            return Ok(Next::Finished);
        };
        let Some(&step) = self.steps.get(&cursor.step) else {
            return Err(format!(
                "the run is at step `{}`, which this runbook does not have",
                cursor.step
            ));
        };
        self.ensure_units(step)?;
        let units = self.step_units(step);
        if units.is_empty() {
            return Ok(Next::EmptyLoop(step));
        }
        if cursor.item >= units.len() {
            return Err(format!(
                "the run is at item {} of step `{}`, which has {}",
                cursor.item + 1,
                cursor.step,
                units.len()
            ));
        }
        Ok(Next::Unit(Position {
            step,
            item: cursor.item,
            unit: units.start + cursor.item,
        }))
    }

    /// After switching runbooks: the first step with a unit not yet done or skipped.
    pub(crate) fn first_unfinished(&self) -> Option<Cursor> {
        for step in &self.runbook.steps {
            let units = self.state.step_units(&step.id);
            if units.is_empty() {
                return Some(Cursor {
                    step: step.id.clone(),
                    item: 0,
                });
            }
            if let Some(k) = self.state.units[units]
                .iter()
                .position(|u| !u.status.is_settled())
            {
                return Some(Cursor {
                    step: step.id.clone(),
                    item: k,
                });
            }
        }
        None
    }
}
