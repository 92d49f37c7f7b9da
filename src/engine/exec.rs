//! `--exec`: the engine runs a unit's command in the shell, streams its output to the operator,
//! proposes a verdict from the exit status and `pass_if`, and records what ran. The operator
//! still has the last word: every verdict can be overruled, with a reason that is recorded.

use std::time::Duration;

use super::Engine;
use crate::error::Result;
use crate::host::{self, Host, HostConfig};
use crate::journal::{Event, ExecutionRecord};
use crate::operator::{Notice, Question, Reply, UnitView, Verdict};
use crate::runbook::{Expectation, Impact, StepKind};
use crate::session::Position;
use crate::state::{self, UnitStatus};

/// The shell of one run, started on first use.
pub(crate) struct Exec {
    /// What to start.
    pub config: HostConfig,
    /// Read-only units run without asking.
    pub auto_read: bool,
    /// Which shell and which preamble, in one line for the operator.
    pub summary: String,
    /// The summary and the preamble's text, for the record.
    pub detail: String,
    host: Option<Host>,
}

impl Exec {
    /// `--exec` with `config`, described by `summary` and `detail`.
    pub(crate) fn new(
        config: HostConfig,
        auto_read: bool,
        summary: String,
        detail: String,
    ) -> Exec {
        Exec {
            config,
            auto_read,
            summary,
            detail,
            host: None,
        }
    }

    /// The `exec-shell` event: the record says what ran before every command. Secret values
    /// that a preamble may contain are masked.
    pub(crate) fn event(&self, secrets: &[String]) -> Event {
        Event::ExecShell {
            detail: mask(&self.detail, secrets),
        }
    }
}

/// `text` with every secret value replaced by `********`, for what is shown and what is kept.
pub(super) fn mask(text: &str, secrets: &[String]) -> String {
    secrets.iter().fold(text.to_owned(), |out, s| {
        out.replace(s.as_str(), "********")
    })
}

/// Judges an execution against what a pass looks like.
pub(crate) fn judge(e: &host::Completed, expect: &Expectation) -> Verdict {
    let fail = |reason: String| Verdict {
        passed: false,
        reason,
    };
    let want = expect.exit_status.unwrap_or(0);
    match e.exit_status {
        _ if e.timed_out || e.host_died => return fail(host::describe_status(e)),
        Some(code) if code != want => {
            return fail(format!("exit status {code}, expected {want}"));
        }
        None => return fail("no exit status".into()),
        Some(_) => {}
    }
    match &expect.pass_if {
        Some(re) if !re.is_match(&e.output) => fail(format!(
            "exit status {want}, but the output did not match `{re}`"
        )),
        Some(re) => Verdict {
            passed: true,
            reason: format!("exit status {want}; the output matched `{re}`"),
        },
        None => Verdict {
            passed: true,
            reason: format!("exit status {want}"),
        },
    }
}

/// What running a unit's command came to.
pub(super) enum Ran {
    /// It ran; the engine's verdict.
    Judged(Verdict),
    /// The operator runs it by hand: ask what happened, as without `--exec`.
    ByHand,
}

impl Engine<'_, '_> {
    fn timeout(&self, pos: &Position) -> Duration {
        let rb = self.session.runbook;
        let secs = rb.steps[pos.step]
            .exec
            .timeout_secs
            .unwrap_or(rb.timeout_secs);
        Duration::from_secs(secs)
    }

    /// Runs `script` in the shell (starting it, with the preamble, when needed), streaming its
    /// output with secrets masked.
    fn execute(&mut self, pos: &Position, script: &str) -> Result<host::Completed> {
        let timeout = self.timeout(pos);
        let Some(exec) = self.exec.as_mut() else {
            return Ok(host::Completed::default());
        };
        if exec.host.as_mut().is_none_or(|h| !h.alive()) {
            exec.host = None;
            let host = Host::start(&exec.config, timeout).map_err(crate::error::Error::Message)?;
            let pid = host.pid();
            exec.host = Some(host);
            let unit = self.session.unit_id(pos.unit).to_owned();
            self.session.record(Event::ShellStarted { unit, pid });
        }
        let secrets = self.session.secret_texts();
        let operator = &mut *self.operator;
        let mut on_line = |line: &str| operator.notify(Notice::Output(mask(line, &secrets)));
        let Some(host) = self.exec.as_mut().and_then(|e| e.host.as_mut()) else {
            return Ok(host::Completed::default());
        };
        let done = host.run(script, timeout, &mut on_line);
        if (done.timed_out || done.host_died)
            && let Some(e) = self.exec.as_mut()
        {
            e.host = None;
        }
        Ok(done)
    }

    fn record(
        &mut self,
        pos: &Position,
        what: &str,
        started_at: String,
        e: &host::Completed,
        v: &Verdict,
    ) {
        let execution = ExecutionRecord {
            what: what.to_owned(),
            started_at,
            duration_ms: u64::try_from(e.duration.as_millis()).unwrap_or(u64::MAX),
            exit_status: e.exit_status,
            verdict: if v.passed {
                "pass".into()
            } else {
                format!("fail: {}", v.reason)
            },
            output: mask(&e.output, &self.session.secret_texts()),
        };
        let unit = self.session.unit_id(pos.unit).to_owned();
        self.session.record(Event::Executed { unit, execution });
    }

    /// Runs the unit's command (and a command step's `verify`) after asking as its impact
    /// demands (`asked`: the operator already said yes, as for the next poll of a wait);
    /// restarts a shell that died and asks again before re-running.
    pub(super) fn run_unit(&mut self, pos: &Position, view: &UnitView, asked: bool) -> Result<Ran> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let auto_read = self.exec.as_ref().is_some_and(|e| e.auto_read);
        let Some(command) = view.command.clone() else {
            return Ok(Ran::ByHand);
        };
        let mut note = None;
        // A shell that dies twice on the same unit is a failure, not a loop.
        let mut died_before = false;
        loop {
            // Change and destructive units are always asked; read-only ones unless --auto-read.
            // After a restarted shell, always.
            if note.is_some() || (!asked && (step.impact != Impact::Read || !auto_read)) {
                let reply = self.ask(
                    &Question::Run {
                        view,
                        note: note.take(),
                    },
                    pos.unit,
                )?;
                if reply != Reply::Yes(true) {
                    self.session.record(Event::RunByHand {
                        unit: view.unit.clone(),
                    });
                    return Ok(Ran::ByHand);
                }
            }
            let what = view.kind;
            let started_at = state::now();
            let e = self.execute(pos, &command)?;
            if e.host_died && !died_before {
                died_before = true;
                let v = judge(&e, &Expectation::default());
                self.record(pos, what, started_at, &e, &v);
                self.save()?;
                self.operator.notify(Notice::Warning(format!(
                    "the shell exited while `{}` ran; a new one starts (with the preamble) \
                     if you run it again",
                    view.unit
                )));
                note = Some(
                    "The shell exited during the last attempt; it may have done part of \
                             the work. Check before running it again."
                        .to_owned(),
                );
                continue;
            }
            let expect = match &step.kind {
                StepKind::Check { .. } | StepKind::Wait { .. } => step.exec.expect.clone(),
                _ => Expectation::default(),
            };
            let mut verdict = judge(&e, &expect);
            self.record(pos, what, started_at, &e, &verdict);
            if verdict.passed
                && let (
                    StepKind::Command {
                        verify: Some(v), ..
                    },
                    Some(text),
                ) = (&step.kind, view.verify.clone())
            {
                let started_at = state::now();
                let e = self.execute(pos, &text)?;
                verdict = judge(&e, &v.exec);
                verdict.reason = format!("verify: {}", verdict.reason);
                self.record(pos, "verify", started_at, &e, &verdict);
            }
            self.save()?;
            return Ok(Ran::Judged(verdict));
        }
    }

    /// Asks the operator to accept or overrule `verdict`; true when the unit passed.
    pub(super) fn settle_verdict(
        &mut self,
        pos: &Position,
        view: &UnitView,
        verdict: &Verdict,
    ) -> Result<(bool, String)> {
        let reply = self.ask(&Question::Verdict { view, verdict }, pos.unit)?;
        match reply {
            Reply::Text(why) => {
                self.session.record(Event::VerdictOverruled {
                    unit: view.unit.clone(),
                    passed: verdict.passed,
                    reason: why.clone(),
                });
                Ok((!verdict.passed, format!("verdict overruled: {why}")))
            }
            _ => Ok((verdict.passed, verdict.reason.clone())),
        }
    }

    /// A command or check under `--exec`: run, judge, settle; `None` means by hand.
    pub(super) fn exec_action(&mut self, pos: &Position, view: &UnitView) -> Result<Option<bool>> {
        loop {
            let verdict = match self.run_unit(pos, view, false)? {
                Ran::ByHand => return Ok(None),
                Ran::Judged(v) => v,
            };
            let (passed, why) = self.settle_verdict(pos, view, &verdict)?;
            if passed {
                self.session.finish(pos.unit, UnitStatus::Done, Some(why));
                self.session.advance(pos);
                return Ok(Some(true));
            }
            if let Some(go_on) = self.after_failure(pos, view, why)? {
                return Ok(Some(go_on));
            }
        }
    }

    /// A capture's command under `--exec`: its output, when it ran and passed.
    pub(super) fn exec_capture(
        &mut self,
        pos: &Position,
        view: &UnitView,
    ) -> Result<Option<String>> {
        let rb = self.session.runbook;
        let step = &rb.steps[pos.step];
        let Ran::Judged(verdict) = self.run_unit(pos, view, false)? else {
            return Ok(None);
        };
        let output = self.session.state().units[pos.unit]
            .executions
            .last()
            .map(|e| e.output.clone())
            .unwrap_or_default();
        if !verdict.passed {
            self.operator.notify(Notice::Warning(format!(
                "the command failed ({}); type the value yourself",
                verdict.reason
            )));
            return Ok(None);
        }
        let Some(re) = &step.exec.from_output else {
            return Ok(None);
        };
        let variable = match &step.kind {
            StepKind::Capture { variable, .. } => variable.as_str(),
            _ => "value",
        };
        let found = re.captures(&output).and_then(|c| {
            c.name(variable)
                .or_else(|| c.name("value"))
                .map(|m| m.as_str().trim().to_owned())
        });
        if found.is_none() {
            self.operator.notify(Notice::Warning(
                "`from_output` found nothing in the output; type the value yourself".to_owned(),
            ));
        }
        Ok(found)
    }

    /// A `wait` under `--exec`: poll until the check passes or the operator says it is done.
    pub(super) fn exec_wait(
        &mut self,
        pos: &Position,
        view: &UnitView,
        interval_secs: u64,
    ) -> Result<Option<String>> {
        let mut asked = false;
        loop {
            let verdict = match self.run_unit(pos, view, asked)? {
                Ran::ByHand => return Ok(None),
                Ran::Judged(v) => v,
            };
            // Polling again was the operator's choice: no second "run this command?".
            asked = true;
            if verdict.passed {
                return Ok(Some(format!("condition met: {}", verdict.reason)));
            }
            let reply = self.ask(
                &Question::Wait {
                    view,
                    interval_secs,
                    poll: true,
                },
                pos.unit,
            )?;
            if reply == Reply::Yes(true) {
                return Ok(Some(format!(
                    "done by the operator's word; last poll: {}",
                    verdict.reason
                )));
            }
        }
    }
}
