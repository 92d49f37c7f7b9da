//! Starting a run: a new run's state file with its header and first events, or a record opened
//! by `open.rs` taken up again; then the engine walks it (`Engine::start`, `Engine::resume`).

use std::path::{Path, PathBuf};

use super::open::Resumable;
use super::{Engine, Exec};
use crate::clock::Behind;
use crate::error::{Error, Result, ValueProblem};
use crate::journal::{Event, FORMAT, Header, RunbookRecord};
use crate::loader::Loaded;
use crate::lock::Holder;
use crate::operator::{Notice, Operator, PlanStep, Question, Reply, Stop};
use crate::param::Value;
use crate::platform;
use crate::runbook::{Param, Runbook, Step, StepKind};
use crate::scope::Values;
use crate::session::Session;
use crate::state::{UnitStatus, now};
use crate::store::Store;
use crate::values::Gathered;

/// A new run of `rb` with `values` (secrets are kept in memory only), recorded at `path` (which
/// must not exist) for `holder`. `setup` records what else belongs before the first save.
fn create<'a>(
    rb: &'a Runbook,
    values: Values,
    ticket: Option<String>,
    holder: &Holder,
    path: &Path,
    setup: impl FnOnce(&mut Session<'a>),
) -> Result<(Session<'a>, Store)> {
    let (params, secrets) = values
        .into_iter()
        .partition(|(k, _)| !rb.param(k).is_some_and(|p| p.secret));
    let header = Header {
        format: FORMAT,
        runbook: RunbookRecord::of(rb),
        created_at: now(),
        operator: holder.operator.clone(),
        host: holder.host.clone(),
        params,
        secret_params: rb
            .params
            .iter()
            .filter(|p| p.secret)
            .map(|p| p.name.clone())
            .collect(),
        ticket,
    };
    let (mut session, header_line) = Session::create(rb, header, holder.operator.clone(), secrets);
    session.record(Event::RunStarted {
        host: holder.host.clone(),
        path: Some(place(path)),
    });
    session.begin();
    setup(&mut session);
    let first = format!("{header_line}\n{}", session.take_pending());
    let store = Store::create(path, holder, first.as_bytes())?;
    Ok((session, store))
}

/// Records that `session` was taken up: who and where, the clock, the runbook choice, and where
/// a switched run goes on.
fn take_up(
    session: &mut Session<'_>,
    path: &Path,
    holder: &Holder,
    behind: Option<&Behind>,
    events: Vec<Event>,
    switched: bool,
    notices: &mut Vec<Notice>,
) {
    session.record(Event::Resumed {
        host: holder.host.clone(),
        path: Some(place(path)),
    });
    if let Some(b) = behind {
        // Recorded, so the report explains the out-of-order times; the order of events is
        // the order in the file, not their times.
        session.record(Event::ClockBehind {
            detail: b.describe(),
        });
        notices.push(Notice::Warning(format!(
            "{}; events are kept in the order they happen",
            b.describe()
        )));
    }
    for e in events {
        session.record(e);
    }
    if switched {
        match session.first_unfinished() {
            Some(c) => session.record(Event::Next {
                step: c.step,
                item: c.item,
            }),
            None => session.record(Event::Completed),
        }
    }
}

/// Where a state file is, as the record keeps it: its absolute path, as this platform shows it.
pub(crate) fn place(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    platform::display_path(&absolute)
}

/// Who runs the run, where it is recorded, who answers, and the shell of `--exec`.
pub(crate) struct Launch<'o> {
    /// This process and its operator (for the lock and every event).
    pub holder: Holder,
    /// The state file.
    pub path: PathBuf,
    /// Who answers: scripted answers, a terminal, or both.
    pub operator: &'o mut dyn Operator,
    /// `--exec`.
    pub exec: Option<Exec>,
    /// The command that resumes this run, for the messages that stop it.
    pub resume: String,
}

impl Engine<'_, '_> {
    /// `runbook run`: records a new run of `loaded` with `values` at `launch.path`, asks for the
    /// parameters still missing, shows the plan and walks it.
    pub(crate) fn start(
        loaded: &Loaded,
        gathered: Gathered,
        ticket: Option<String>,
        launch: Launch<'_>,
    ) -> Result<()> {
        let Launch {
            holder,
            path,
            operator,
            exec,
            resume,
        } = launch;
        let rb = &loaded.runbook;
        let Gathered {
            values, origins, ..
        } = gathered;
        // The shell's event belongs to the file's first write: the record says from its first
        // line what ran before every command.
        let (session, store) = create(rb, values, ticket, &holder, &path, |session| {
            if let Some(exec) = &exec {
                let secrets = session.secret_texts();
                session.record(exec.event(&secrets));
            }
        })?;
        let mut engine = Engine::new(session, store, &loaded.renderer, operator, resume, exec);
        engine.origins.clone_from(&origins);
        engine.announce_exec();
        engine.operator.notify(Notice::Info(format!(
            "state file: {}",
            platform::display_path(&path)
        )));
        engine.ask_missing_params()?;
        engine.session.plan_units();
        engine.save()?;
        if origins.values().any(|o| *o == "example") {
            engine.operator.notify(Notice::Warning(
                "--example: the parameters not given are the runbook's examples (such as \
                 contoso.com), not this organisation's values; the plan marks them"
                    .to_owned(),
            ));
        }
        let plan = engine.plan();
        engine.operator.notify(plan);
        engine.begin()?;
        engine.drive()
    }

    /// `runbook resume`: takes up the run `opened` (checked by [`open`]) with the secret
    /// `secrets` (never stored; from an answers file), tells the operator what was done, and walks
    /// on from where it stopped.
    pub(crate) fn resume(
        opened: Resumable,
        secrets: Values,
        sets: &[String],
        launch: Launch<'_>,
    ) -> Result<()> {
        let Resumable {
            store,
            state,
            writer,
            bytes,
            loaded,
            mut notices,
            events,
            switched,
            behind,
        } = opened;
        let Launch {
            holder,
            path,
            operator,
            exec,
            resume,
        } = launch;
        let rb = &loaded.runbook;
        // A plain copy (another host or folder) may have a twin still in use: say who wrote it
        // last and where, and let the operator stop before anything is recorded.
        let here = place(&path);
        let moved = state
            .place
            .clone()
            .filter(|(host, at)| *host != holder.host || *at != here);
        if let Some((host, at)) = &moved {
            let last_by = state.newest().map_or("?", |(_, _, by)| by).to_owned();
            let question = Question::Moved {
                by: &last_by,
                host,
                path: at,
            };
            match operator.ask(question) {
                Ok(Reply::Yes(true)) => {}
                Ok(_) => {
                    return Err(Error::Message(format!(
                        "not resumed: this copy was left as it was; the run was last written by \
                         {last_by} on {host} at {at}"
                    )));
                }
                Err(_) => {
                    return Err(Error::Stopped {
                        message: "not resumed: nothing was recorded".to_owned(),
                    });
                }
            }
        }
        let mut session = Session::resume(rb, state, writer, holder.operator.clone(), bytes);
        if let Some((from_host, from_path)) = moved {
            session.record(Event::Moved {
                from_host,
                from_path,
            });
        }
        take_up(
            &mut session,
            &path,
            &holder,
            behind.as_ref(),
            events,
            switched,
            &mut notices,
        );
        session.secrets.extend(secrets);
        if let Some(exec) = &exec {
            let secrets = session.secret_texts();
            session.record(exec.event(&secrets));
        }
        let mut engine = Engine::new(session, store, &loaded.renderer, operator, resume, exec);
        engine.announce_exec();
        for n in notices {
            engine.operator.notify(n);
        }
        engine.change_params(sets)?;
        let history = engine.history(true);
        engine.operator.notify(Notice::History(history));
        // The `resumed` event is saved with the first unit's start (or a secret's answer):
        // nothing waits for a person in between, so no transition can be lost.
        engine.ask_missing_params()?;
        engine.session.plan_units();
        engine.drive()
    }

    /// Waits until the operator has read the plan (they may look at it again, change a
    /// parameter or pause first).
    fn begin(&mut self) -> Result<()> {
        let rb = self.session.runbook;
        let Some(step) = (self.session.state().cursor.as_ref())
            .and_then(|c| rb.steps.iter().position(|s| s.id == c.step))
        else {
            return Ok(());
        };
        let first = format!("step {}: {}", step + 1, rb.steps[step].title);
        let q = Question::Begin { first: &first };
        loop {
            match self.operator.ask(q.clone()) {
                Ok(_) => return Ok(()),
                Err(Stop::Aside(aside)) => self.aside(aside, &q, None)?,
                // Nothing was shown of a step yet, and the record is saved: nothing to add.
                Err(stop) => return Err(self.stopped(stop, "the start")),
            }
        }
    }

    /// Tells the operator which shell runs the commands (`--exec`).
    fn announce_exec(&mut self) {
        if let Some(exec) = &self.exec {
            self.operator
                .notify(Notice::Info(format!("--exec: {}", exec.summary)));
        }
    }
}

/// A parameter's value as the operator is shown it (the plan, "change a parameter"): a
/// secret's never.
pub(super) fn shown_value(param: &Param, value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(_) if param.secret => "(secret: kept in memory only)".to_owned(),
        Some(v) => match v.display() {
            s if s.is_empty() => "(empty)".to_owned(),
            s => s,
        },
    }
}

impl Engine<'_, '_> {
    /// The plan: every step, and every parameter with its value as shown (never a secret's)
    /// and where it came from.
    pub(super) fn plan(&self) -> Notice {
        let rb = self.session.runbook;
        let values = self.session.values();
        let params = rb
            .params
            .iter()
            .map(|p| {
                let origin = match values.get(&p.name) {
                    None => "not given",
                    Some(_) if p.secret => "given",
                    Some(_) => self.origins.get(&p.name).copied().unwrap_or("recorded"),
                };
                (p.name.clone(), shown_value(p, values.get(&p.name)), origin)
            })
            .collect();
        Notice::Plan {
            title: rb.title.clone(),
            ticket: self.session.state().header.ticket.clone(),
            steps: rb
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| PlanStep {
                    title: s.title.clone(),
                    id: s.id.clone(),
                    kind: s.kind.name(),
                    impact: s.impact,
                    gate: s.is_gate(),
                    for_each: s.for_each.as_ref().map(|f| {
                        let state = self.session.state();
                        let items = state.is_planned(&s.id).then(|| {
                            state.units[self.session.step_units(i)]
                                .iter()
                                .filter_map(|u| u.item.clone())
                                .collect()
                        });
                        (f.item.clone(), f.list.clone(), items)
                    }),
                })
                .collect(),
            params,
            counts: rb.impact_counts(),
            state_path: platform::display_path(self.store.path()),
        }
    }
}

impl Engine<'_, '_> {
    /// `resume --set NAME=VALUE`: each parameter changes while no finished unit has used it
    /// (else the change is refused, naming the steps that did); a planned `for_each` step over
    /// it follows the new list. Checked in full before anything is recorded.
    fn change_params(&mut self, sets: &[String]) -> Result<()> {
        let rb = self.session.runbook;
        let mut changes = Vec::new();
        for set in sets {
            let Some((name, text)) = set.split_once('=') else {
                return Err(Error::Message(format!(
                    "--set {set:?}: expected NAME=VALUE"
                )));
            };
            let name = name.trim();
            let Some(param) = rb.param(name) else {
                let hint = crate::suggest::hint(name, rb.params.iter().map(|p| p.name.as_str()));
                return Err(Error::Message(format!(
                    "--set: `{name}` is not a parameter of `{}`{hint}",
                    rb.id
                )));
            };
            let value = param.parse_text(text).map_err(|e| Error::Values {
                problems: vec![ValueProblem {
                    param: name.to_owned(),
                    value: (!param.secret).then(|| text.to_owned()),
                    message: e.message(param.secret),
                }],
            })?;
            if let Some(why) = self.unchangeable(name) {
                return Err(Error::Message(format!("--set {name}: refused: {why}")));
            }
            changes.push((param, value));
        }
        for (param, value) in changes {
            self.change_param(param, &value);
        }
        Ok(())
    }

    /// Why the parameter `name` cannot change now, if it cannot: the finished steps that used
    /// its value.
    pub(super) fn unchangeable(&self, name: &str) -> Option<String> {
        let rb = self.session.runbook;
        let used: Vec<String> = rb
            .steps
            .iter()
            .enumerate()
            .filter(|(_, s)| self.uses(s, name))
            .filter(|(i, _)| {
                let units = self.session.step_units(*i);
                self.session.state().units[units]
                    .iter()
                    .any(|u| matches!(u.status, UnitStatus::Done | UnitStatus::Overridden))
            })
            .map(|(_, s)| format!("`{}`", s.id))
            .collect();
        (!used.is_empty()).then(|| {
            format!(
                "the finished step{} {} used its value; a changed value would make the record \
                 say what did not happen (start a new run for the new value)",
                if used.len() == 1 { "" } else { "s" },
                used.join(", ")
            )
        })
    }

    /// Records `param`'s new `value` (a secret's is kept in memory only and masked in the
    /// record); a planned `for_each` step over it follows the new list.
    pub(super) fn change_param(&mut self, param: &Param, value: &Value) {
        let rb = self.session.runbook;
        let name = param.name.clone();
        let shown = |v: Option<&Value>| v.map_or_else(|| "(none)".to_owned(), Value::display);
        if param.secret {
            self.session.secrets.insert(name.clone(), value.clone());
            self.operator.secrets(&self.session.secret_texts());
            self.session.record(Event::ParamChanged {
                name: name.clone(),
                old: None,
                new: None,
            });
            self.operator
                .notify(Notice::Info(format!("parameter `{name}` changed (secret)")));
        } else {
            let old = self.session.state().params.get(&name).cloned();
            self.operator.notify(Notice::Info(format!(
                "parameter `{name}` changed: {} -> {}",
                shown(old.as_ref()),
                shown(Some(value))
            )));
            self.session.record(Event::ParamChanged {
                name: name.clone(),
                old,
                new: Some(value.clone()),
            });
        }
        self.origins.insert(name.clone(), "changed");
        for step in &rb.steps {
            let follows = step.for_each.as_ref().is_some_and(|f| f.list == name);
            if follows && self.session.state().is_planned(&step.id) {
                let items = match value {
                    Value::List(items) => items.iter().map(Value::display).collect(),
                    other => vec![other.display()],
                };
                self.session.record(Event::Replanned {
                    step: step.id.clone(),
                    items,
                });
            }
        }
    }

    /// Whether `step` reads the parameter `name`: in a template, as its list, its condition or
    /// its confirmation target.
    pub(super) fn uses(&self, step: &Step, name: &str) -> bool {
        step.templates()
            .iter()
            .any(|t| self.renderer.variables(&t.name).iter().any(|v| v == name))
            || step.for_each.as_ref().is_some_and(|f| f.list == name)
            || step.when.as_ref().is_some_and(|c| c.variable == name)
            || matches!(&step.kind, StepKind::Command { confirm: Some(c), .. } if c == name)
    }
}
