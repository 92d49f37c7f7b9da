//! The scripted operator: answers from a YAML file (`--answers`), for unattended runs and tests.
//! It takes the same engine path as the terminal; a question it has no answer for stops the run
//! (exit 3) instead of waiting for a terminal that is not there.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer};

use crate::operator::{Notice, Operator, Outcome, Question, Recovery, Reply, Stop};
use crate::raw::RawValue;
use crate::source::{Diagnostic, Source};
use crate::yaml::{self, SpannedValue};

/// One scripted answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Done; a gate passes; a decision takes its first choice; a capture takes its example; an
    /// approval is given by the operator.
    Done,
    /// Skip, with why.
    Skip(String),
    /// Fail, with why: the run is then aborted.
    Fail(String),
    /// A captured value.
    Value(RawValue),
    /// A decision's choice id.
    Choice(String),
    /// An approval, by whom.
    Approve(String),
    /// Override a failed gate, with why.
    Override(String),
    /// Keep waiting this long (`30s`, `5m`), then done.
    #[serde(deserialize_with = "interval")]
    Wait(Duration),
    /// Under `--exec`: overrule the engine's verdict, with why.
    Overrule(String),
}

/// `wait: 5m` -> five minutes, read when the file is parsed (an error there has its position).
fn interval<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    crate::duration::parse_interval(&text)
        .map(Duration::from_secs)
        .ok_or_else(|| {
            de::Error::custom(format!(
                "wait `{text}` is not a duration such as `30s`, `5m` or `1h`"
            ))
        })
}

/// An answers file as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// Parameter values.
    #[serde(default)]
    pub params: BTreeMap<String, SpannedValue>,
    /// Answers by `step` or `step[item]`.
    #[serde(default)]
    pub steps: BTreeMap<String, Answer>,
    /// The answer for every unit without one of its own.
    #[serde(default)]
    pub default: Option<Answer>,
}

impl AnswersFile {
    /// Parses an answers file (`--answers`); an error gives its position but not the line,
    /// which could hold a secret parameter's value.
    pub fn parse(source: &Source) -> Result<AnswersFile, Diagnostic> {
        yaml::parse_sensitive(source)
    }
}

/// Answers questions from an [`AnswersFile`].
pub struct ScriptedOperator {
    steps: BTreeMap<String, Answer>,
    default: Option<Answer>,
    operator: String,
    /// Notices, kept for tests and for the stderr log.
    pub log: Vec<String>,
    echo: bool,
}

impl ScriptedOperator {
    /// A scripted operator; `echo` prints notices to stderr.
    pub fn new(file: Option<&AnswersFile>, operator: &str, echo: bool) -> ScriptedOperator {
        ScriptedOperator {
            steps: file.map(|f| f.steps.clone()).unwrap_or_default(),
            default: file.and_then(|f| f.default.clone()),
            operator: operator.to_owned(),
            log: Vec::new(),
            echo,
        }
    }

    fn answer(&self, unit: &str) -> Option<&Answer> {
        let step = unit.split('[').next().unwrap_or(unit);
        self.steps
            .get(unit)
            .or_else(|| self.steps.get(step))
            .or(self.default.as_ref())
    }
}

fn raw_text(v: &RawValue) -> String {
    match v {
        RawValue::Scalar(s) => s.clone(),
        RawValue::List(items) => items.join(","),
    }
}

impl Operator for ScriptedOperator {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        let unit = match &question {
            Question::Param { .. } => return Err(Stop::NoAnswer),
            Question::Outcome(v)
            | Question::AfterFailure { view: v, .. }
            | Question::ConfirmTarget { view: v, .. }
            | Question::Capture { view: v, .. }
            | Question::Decision { view: v, .. }
            | Question::Approval { view: v, .. }
            | Question::Wait { view: v, .. }
            | Question::Run { view: v, .. }
            | Question::Verdict { view: v, .. }
            | Question::CompletedBeforeCrash { view: v, .. } => v.unit.clone(),
        };
        let answer = self.answer(&unit).cloned().ok_or(Stop::NoAnswer)?;
        let reply = match (question, answer) {
            (Question::Capture { error: Some(_), .. }, _) => return Err(Stop::NoAnswer),
            // A capture cannot be skipped or failed: taking the example instead would record a
            // value nobody gave. Stop there, so a person answers it.
            (Question::Capture { .. }, Answer::Skip(_) | Answer::Fail(_)) => {
                return Err(Stop::NoAnswer);
            }
            (Question::ConfirmTarget { expected, .. }, _) => Reply::Text(expected.to_owned()),
            (Question::Outcome(_), Answer::Skip(r)) => Reply::Outcome(Outcome::Skip(r)),
            (Question::Outcome(_), Answer::Fail(r) | Answer::Override(r)) => {
                Reply::Outcome(Outcome::Failed(r))
            }
            (Question::Outcome(_), _) => Reply::Outcome(Outcome::Done),
            (Question::AfterFailure { gate: true, .. }, Answer::Override(r)) => {
                Reply::Recovery(Recovery::Override(r))
            }
            (Question::AfterFailure { .. }, _) => Reply::Recovery(Recovery::Abort),
            (Question::Capture { .. }, Answer::Value(v)) => Reply::Text(raw_text(&v)),
            (
                Question::Capture {
                    proposed, example, ..
                },
                _,
            ) => Reply::Text(proposed.unwrap_or(example)),
            // Skip or fail: the command is not run; the outcome question records why.
            (Question::Run { .. }, Answer::Skip(_) | Answer::Fail(_)) => Reply::Yes(false),
            (Question::Run { .. }, _) => Reply::Yes(true),
            (Question::Verdict { .. }, Answer::Overrule(r)) => Reply::Text(r),
            (Question::Verdict { .. }, _) => Reply::Yes(true),
            (Question::Decision { .. }, Answer::Choice(c)) => Reply::Choice(c),
            (Question::Decision { choices, .. }, _) => Reply::Choice(
                choices
                    .first()
                    .map(|c| c.id.clone())
                    .ok_or(Stop::NoAnswer)?,
            ),
            (Question::Approval { .. }, Answer::Approve(name)) => Reply::Text(name),
            (Question::Approval { .. }, _) => Reply::Text(self.operator.clone()),
            (Question::Wait { poll, .. }, Answer::Wait(d)) => {
                std::thread::sleep(d);
                // Polling under --exec: wait, then check again; otherwise the wait is over.
                Reply::Yes(!poll)
            }
            (Question::Wait { .. }, _) => Reply::Yes(true),
            (Question::CompletedBeforeCrash { .. }, Answer::Fail(_) | Answer::Skip(_)) => {
                Reply::Yes(false)
            }
            (Question::CompletedBeforeCrash { .. }, _) => Reply::Yes(true),
            (Question::Param { .. }, _) => return Err(Stop::NoAnswer),
        };
        Ok(reply)
    }

    fn can_answer(&self, unit: &str) -> bool {
        self.answer(unit).is_some()
    }

    fn notify(&mut self, notice: Notice) {
        let line = match notice {
            Notice::Plan { title, steps, .. } => format!("plan: {title} ({} steps)", steps.len()),
            Notice::Resumed { done, next } => format!(
                "resumed: {} units finished earlier; next: {}",
                done.len(),
                next.unwrap_or_else(|| "nothing".into())
            ),
            Notice::Unit(v) => format!("unit: {} ({})", v.unit, v.title),
            Notice::SkippedByCondition { unit, condition } => {
                format!("skipped: {unit} (condition `{condition}` is false)")
            }
            Notice::Output(t) => format!("  | {t}"),
            Notice::Info(t) => t,
            Notice::Warning(t) => format!("warning: {t}"),
            Notice::Complete => "complete".into(),
        };
        if self.echo {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
        self.log.push(line);
    }
}

/// Scripted answers first; when there is none, a second operator (the terminal) if present.
pub struct Chain {
    scripted: ScriptedOperator,
    then: Option<Box<dyn Operator>>,
}

impl Chain {
    /// Chains `scripted` before `then`.
    pub fn new(scripted: ScriptedOperator, then: Option<Box<dyn Operator>>) -> Chain {
        Chain { scripted, then }
    }
}

impl Operator for Chain {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        match (self.scripted.ask(question.clone()), &mut self.then) {
            (Err(Stop::NoAnswer), Some(t)) => t.ask(question),
            (result, _) => result,
        }
    }

    fn can_answer(&self, unit: &str) -> bool {
        self.scripted.can_answer(unit) || self.then.as_ref().is_some_and(|t| t.can_answer(unit))
    }

    fn notify(&mut self, notice: Notice) {
        match &mut self.then {
            Some(t) => t.notify(notice),
            None => self.scripted.notify(notice),
        }
    }
}
