//! The run as a state machine over the state file's data: which unit is next, and what each
//! answer does to it. No I/O, no prompts: `engine` asks the operator and saves after each call.

use crate::param::Value;
use crate::runbook::{Runbook, Step, Target};
use crate::scope::Values;
use crate::state::{Cursor, Event, RunStatus, State, Unit, UnitStatus, now};

/// A run in memory.
pub struct Session<'a> {
    /// The runbook (from the state's embedded source, or the current one).
    pub runbook: &'a Runbook,
    /// The persisted record.
    pub state: State,
    /// Who is running it now.
    pub operator: String,
    /// Secret values: memory only, never in `state`.
    pub secrets: Values,
}

/// The unit at the cursor.
#[derive(Debug, Clone)]
pub struct Position {
    /// Step index.
    pub step: usize,
    /// Item index.
    pub item: usize,
    /// Index into `state.units`.
    pub unit: usize,
}

/// The unit id of `step` for `item`.
pub fn unit_id(step: &Step, item: Option<&Value>) -> String {
    match item {
        Some(v) => format!("{}[{}]", step.id, v.display()),
        None => step.id.clone(),
    }
}

impl<'a> Session<'a> {
    /// Appends an event.
    pub fn event(&mut self, unit: Option<&str>, event: &str, detail: Option<String>) {
        self.state.events.push(Event {
            at: now(),
            operator: self.operator.clone(),
            unit: unit.map(str::to_owned),
            event: event.to_owned(),
            detail,
        });
    }

    /// Every value a template may read: parameters, secrets and captures.
    pub fn values(&self) -> Values {
        let mut v = self.state.params.clone();
        v.extend(self.secrets.clone());
        v
    }

    /// The items of a step (`None` for a plain step), or why they are not known.
    pub fn items(&self, step: &Step) -> Result<Vec<Option<Value>>, String> {
        let Some(f) = &step.for_each else {
            return Ok(vec![None]);
        };
        let list = self
            .state
            .params
            .get(&f.list)
            .or_else(|| self.secrets.get(&f.list))
            .or_else(|| self.state.captured.get(&f.list));
        match list {
            Some(Value::List(items)) => Ok(items.iter().cloned().map(Some).collect()),
            Some(_) => Err(format!("`{}` is not a list", f.list)),
            None => Err(format!(
                "`{}` has no value: the step that captures it was skipped",
                f.list
            )),
        }
    }

    /// Adds pending units for `step` if it has none yet (lists captured at run time).
    pub fn ensure_units(&mut self, index: usize) -> Result<(), String> {
        let step = &self.runbook.steps[index];
        if self.state.units.iter().any(|u| u.step == step.id) {
            return Ok(());
        }
        let items = self.items(step)?;
        let at = self.insert_point(index);
        let new: Vec<Unit> = items
            .iter()
            .map(|item| Unit {
                id: unit_id(step, item.as_ref()),
                step: step.id.clone(),
                item: item.as_ref().map(Value::display),
                status: UnitStatus::Pending,
                started_at: None,
                finished_at: None,
                operator: None,
                note: None,
                command: None,
                executions: Vec::new(),
            })
            .collect();
        self.state.units.splice(at..at, new);
        Ok(())
    }

    /// Units stay in step order: a new step's units go after every earlier step's.
    fn insert_point(&self, index: usize) -> usize {
        let earlier: Vec<&str> = self.runbook.steps[..index]
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        self.state
            .units
            .iter()
            .rposition(|u| earlier.contains(&u.step.as_str()))
            .map_or(0, |i| i + 1)
    }

    /// Plans every unit whose items are known now (at the start of a run).
    pub fn plan_units(&mut self) {
        for i in 0..self.runbook.steps.len() {
            let _ = self.ensure_units(i);
        }
    }

    /// The unit indices of step `index`.
    pub fn step_units(&self, index: usize) -> Vec<usize> {
        let id = &self.runbook.steps[index].id;
        (0..self.state.units.len())
            .filter(|&i| &self.state.units[i].step == id)
            .collect()
    }

    /// Marks a unit shown, with the command text as shown (secrets masked).
    pub fn start(&mut self, unit: usize, command: Option<String>) {
        let u = &mut self.state.units[unit];
        u.status = UnitStatus::InProgress;
        u.started_at = Some(now());
        u.operator = Some(self.operator.clone());
        u.command = command;
        let id = u.id.clone();
        self.event(Some(&id), "started", None);
    }

    /// Records the final status of a unit.
    pub fn finish(&mut self, unit: usize, status: UnitStatus, note: Option<String>) {
        let u = &mut self.state.units[unit];
        u.status = status;
        u.finished_at = Some(now());
        u.operator = Some(self.operator.clone());
        if let Some(n) = &note {
            u.note = Some(match u.note.take() {
                Some(old) if !old.is_empty() => format!("{old}\n{n}"),
                _ => n.clone(),
            });
        }
        let id = u.id.clone();
        let event = match status {
            UnitStatus::Done => "done",
            UnitStatus::Skipped => "skipped",
            UnitStatus::Failed => "failed",
            UnitStatus::InProgress => "started",
            UnitStatus::Pending => "reset",
        };
        self.event(Some(&id), event, note);
    }

    /// Adds an operator note to a unit.
    pub fn note(&mut self, unit: usize, text: String) {
        let u = &mut self.state.units[unit];
        u.note = Some(match u.note.take() {
            Some(old) if !old.is_empty() => format!("{old}\n{text}"),
            _ => text.clone(),
        });
        let id = u.id.clone();
        self.event(Some(&id), "note", Some(text));
    }

    /// Moves the cursor past the unit at `pos`: the next item, or the step after (or its `next`).
    pub fn advance(&mut self, pos: &Position) {
        let units = self.step_units(pos.step);
        if pos.item + 1 < units.len() {
            self.state.cursor = Some(Cursor {
                step: pos.step,
                item: pos.item + 1,
            });
            return;
        }
        let step = &self.runbook.steps[pos.step];
        match &step.next {
            Some(t) => self.jump(pos.step, t.clone()),
            None => self.jump(pos.step, Target::Step(pos.step + 1)),
        }
    }

    /// Moves past a whole step without running its `next` (a step skipped by its condition).
    pub fn pass_over(&mut self, step: usize) {
        self.jump(step, Target::Step(step + 1));
    }

    /// Continues at `target` from step `from`. A jump backwards re-opens the units in between,
    /// so that they are asked again; their earlier outcomes stay in the events.
    pub fn jump(&mut self, from: usize, target: Target) {
        match target {
            Target::Step(to) if to < self.runbook.steps.len() => {
                if to <= from {
                    let ids: Vec<String> = self.runbook.steps[to..=from]
                        .iter()
                        .map(|s| s.id.clone())
                        .collect();
                    for u in self
                        .state
                        .units
                        .iter_mut()
                        .filter(|u| ids.contains(&u.step))
                    {
                        u.status = UnitStatus::Pending;
                    }
                    let step_id = self.runbook.steps[to].id.clone();
                    self.event(None, "jumped-back", Some(step_id));
                } else {
                    self.pass_by(from + 1..to);
                }
                self.state.cursor = Some(Cursor { step: to, item: 0 });
            }
            _ => {
                self.pass_by(from + 1..self.runbook.steps.len());
                self.complete();
            }
        }
    }

    /// Steps a jump passes over are skipped, so a finished run has no pending units.
    fn pass_by(&mut self, steps: std::ops::Range<usize>) {
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

    /// The run reached its end.
    pub fn complete(&mut self) {
        self.state.cursor = None;
        self.state.status = RunStatus::Complete;
        self.event(None, "completed", None);
    }

    /// The operator aborted.
    pub fn abort(&mut self, unit: &str, why: &str) {
        self.state.status = RunStatus::Aborted;
        self.event(Some(unit), "aborted", Some(why.to_owned()));
    }

    /// The unit at the cursor, planning the step's units if needed.
    pub fn position(&mut self) -> Option<Result<Position, String>> {
        let cursor = self.state.cursor?;
        if let Err(e) = self.ensure_units(cursor.step) {
            return Some(Err(e));
        }
        let units = self.step_units(cursor.step);
        Some(Ok(Position {
            step: cursor.step,
            item: cursor.item,
            unit: units.get(cursor.item).copied().unwrap_or(usize::MAX),
        }))
    }
}
