//! The scripted operator: answers from a YAML file (`--answers`), for unattended runs and tests.
//! It takes the same engine path as the terminal; a question it has no answer for stops the run
//! (exit 3) instead of waiting for a terminal that is not there.
//!
//! The file is checked against the runbook before anything runs ([`check`]): a step id that is
//! not in the runbook, a `wait:` that is not a duration, or an answer no question of that step
//! takes would otherwise be ignored silently, and an unattended run would "succeed".

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

use crate::error::{Error, Result};
use crate::operator::{Notice, Operator, Outcome, Question, Recovery, Reply, Stop};
use crate::raw::RawValue;
use crate::runbook::{Runbook, Step, StepKind};
use crate::source::{Diagnostic, Source};
use crate::suggest;
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

impl Answer {
    /// The answer's key as written in the file.
    pub fn name(&self) -> &'static str {
        match self {
            Answer::Done => "done",
            Answer::Skip(_) => "skip",
            Answer::Fail(_) => "fail",
            Answer::Value(_) => "value",
            Answer::Choice(_) => "choice",
            Answer::Approve(_) => "approve",
            Answer::Override(_) => "override",
            Answer::Wait(_) => "wait",
            Answer::Overrule(_) => "overrule",
        }
    }
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

/// One entry of `steps:`: the unit it answers (`step` or `step[item]`) and the answer, each
/// with where it was written.
#[derive(Debug, Clone)]
pub struct StepAnswer {
    /// `step` or `step[item]`.
    pub unit: Spanned<String>,
    /// The answer.
    pub answer: Spanned<Answer>,
}

/// An answers file as read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    /// Parameter values.
    #[serde(default)]
    pub params: BTreeMap<String, SpannedValue>,
    /// Answers by `step` or `step[item]`, in file order.
    #[serde(default, deserialize_with = "step_answers")]
    pub steps: Vec<StepAnswer>,
    /// The answer for every unit without one of its own.
    #[serde(default)]
    pub default: Option<Spanned<Answer>>,
    /// The file's name, for [`check`]'s diagnostics.
    #[serde(skip)]
    name: String,
}

/// `steps:` as a mapping, keeping each key's position (a map keyed by the bare id loses it).
fn step_answers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<StepAnswer>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<StepAnswer>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping of step ids to answers")
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
            let mut out = Vec::new();
            while let Some((unit, answer)) = map.next_entry()? {
                out.push(StepAnswer { unit, answer });
            }
            Ok(out)
        }
    }
    d.deserialize_map(Entries)
}

impl AnswersFile {
    /// Parses an answers file (`--answers`); an error gives its position but not the line,
    /// which could hold a secret parameter's value.
    pub fn parse(source: &Source) -> Result<AnswersFile, Diagnostic> {
        let mut file: AnswersFile = yaml::parse_sensitive(source)?;
        file.name.clone_from(&source.name);
        Ok(file)
    }

    /// A problem at `line:col` of this file: the position only, like its parse errors.
    fn diagnostic<T>(&self, at: &Spanned<T>, message: String) -> Diagnostic {
        let (line, column) = yaml::position(at);
        let source = Source {
            name: self.name.clone(),
            text: String::new(),
        };
        source.diagnostic(line, column, message)
    }
}

/// Every way `file` does not fit `runbook`, in file order: a `steps:` key that names no step (or
/// an item of a step without `for_each`), a decision choice that does not exist, and an answer
/// that no question of its step takes (`wait:` on a `check`, `approve:` on a command).
///
/// `default:` answers every unit without its own answer, each kind in its own way, so only its
/// `choice:` is checked: a decision it falls to must offer that choice (else it asks for ever).
pub fn check(file: &AnswersFile, runbook: &Runbook) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(d) = &file.default
        && let Answer::Choice(choice) = &d.value
    {
        let lacking: Vec<String> = runbook
            .steps
            .iter()
            .filter(|s| !answered(file, &s.id))
            .filter(|s| match &s.kind {
                StepKind::Decision { choices, .. } => choices.iter().all(|c| c.id != *choice),
                _ => false,
            })
            .map(|s| format!("`{}`", s.id))
            .collect();
        if !lacking.is_empty() {
            let (decisions, it) = match lacking.len() {
                1 => ("decision", "it"),
                _ => ("decisions", "them"),
            };
            let message = format!(
                "the default choice `{choice}` is not offered by {decisions} {}: answer {it} \
                 under `steps:`",
                lacking.join(", ")
            );
            out.push(file.diagnostic(d, message));
        }
    }
    if let Some(d) = &file.default
        && let Answer::Skip(_) = &d.value
    {
        let gates: Vec<String> = runbook
            .steps
            .iter()
            .filter(|s| s.is_gate() && !answered(file, &s.id))
            .map(|s| format!("`{}`", s.id))
            .collect();
        if !gates.is_empty() {
            let message = format!(
                "the default `skip` would skip the gate {}: a gate passes, fails or is overridden \
                 with a reason; answer it under `steps:`",
                gates.join(", ")
            );
            out.push(file.diagnostic(d, message));
        }
    }
    for entry in &file.steps {
        let key = entry.unit.value.as_str();
        let (id, item) = match key.split_once('[') {
            Some((id, rest)) => (id, Some(rest)),
            None => (key, None),
        };
        let Some(step) = runbook.steps.iter().find(|s| s.id == id) else {
            let hint = suggest::hint(id, runbook.steps.iter().map(|s| s.id.as_str()));
            let message = format!("`{id}` is not a step of `{}`{hint}", runbook.id);
            out.push(file.diagnostic(&entry.unit, message));
            continue;
        };
        match item {
            Some(rest) if !rest.ends_with(']') || rest.len() == 1 => {
                let message =
                    format!("`{key}` names no unit: write `{id}`, or `{id}[ITEM]` for one item");
                out.push(file.diagnostic(&entry.unit, message));
                continue;
            }
            Some(_) if step.for_each.is_none() => {
                let message = format!(
                    "step `{id}` has no `for_each`, so it has no items: answer it as `{id}`"
                );
                out.push(file.diagnostic(&entry.unit, message));
                continue;
            }
            _ => {}
        }
        if let Some(message) = misfit(&entry.answer.value, step) {
            out.push(file.diagnostic(&entry.answer, message));
        }
    }
    out
}

/// Whether `file` answers step `id` (or one of its items) under `steps:`.
fn answered(file: &AnswersFile, id: &str) -> bool {
    file.steps.iter().any(|e| {
        let key = e.unit.value.as_str();
        key == id || key.strip_prefix(id).is_some_and(|r| r.starts_with('['))
    })
}

/// [`check`] for `run` and `resume`: every problem of the answers file, if there is one, as one
/// error before anything runs.
pub(crate) fn ensure_fits(file: Option<&AnswersFile>, runbook: &Runbook) -> Result<()> {
    let diagnostics = file.map(|f| check(f, runbook)).unwrap_or_default();
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { diagnostics })
    }
}

/// The answers some question of `step` takes, by name (see [`ScriptedOperator::ask`]).
fn takes(step: &Step, name: &str) -> bool {
    let acts = matches!(
        step.kind,
        StepKind::Instruction
            | StepKind::Command { .. }
            | StepKind::Check { .. }
            | StepKind::Notify { .. }
    );
    match name {
        "done" => true,
        // A gate passes, fails or is overridden; it is never skipped.
        "skip" if step.is_gate() => false,
        // A capture answered `skip` or `fail` stops the run there on purpose, so that a person
        // gives the value rather than the example being recorded.
        "skip" | "fail" => acts || matches!(step.kind, StepKind::Capture { .. }),
        "value" => matches!(step.kind, StepKind::Capture { .. }),
        "choice" => matches!(step.kind, StepKind::Decision { .. }),
        "approve" => matches!(step.kind, StepKind::Approval { .. }),
        "override" => step.is_gate(),
        "wait" => matches!(step.kind, StepKind::Wait { .. }),
        "overrule" => matches!(step.kind, StepKind::Command { .. } | StepKind::Check { .. }),
        _ => false,
    }
}

/// Why `answer` fits no question of `step`, if it does not.
fn misfit(answer: &Answer, step: &Step) -> Option<String> {
    const NAMES: [&str; 9] = [
        "done", "skip", "fail", "value", "choice", "approve", "override", "wait", "overrule",
    ];
    if let (Answer::Choice(choice), StepKind::Decision { choices, .. }) = (answer, &step.kind) {
        if choices.iter().any(|c| c.id == *choice) {
            return None;
        }
        let ids: Vec<&str> = choices.iter().map(|c| c.id.as_str()).collect();
        let hint = suggest::hint(choice, ids.iter().copied());
        return Some(format!(
            "decision `{}` has no choice `{choice}`{hint} (choices: {})",
            step.id,
            ids.join(", ")
        ));
    }
    if takes(step, answer.name()) {
        return None;
    }
    let fitting: Vec<String> = NAMES
        .iter()
        .filter(|n| takes(step, n))
        .map(|n| format!("`{n}`"))
        .collect();
    let what = match &step.kind {
        StepKind::Check { gate: false, .. } => "a check that is not a gate",
        StepKind::Check { gate: true, .. } => "a gate check",
        StepKind::Instruction => "an instruction step",
        StepKind::Approval { .. } => "an approval step",
        StepKind::Command { .. } => "a command step",
        StepKind::Capture { .. } => "a capture step",
        StepKind::Decision { .. } => "a decision step",
        StepKind::Wait { .. } => "a wait step",
        StepKind::Notify { .. } => "a notify step",
    };
    let takes = match fitting.split_last() {
        None => "no scripted answer".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    };
    Some(format!(
        "`{}` does not answer `{}`, {what}: it takes {takes}",
        answer.name(),
        step.id
    ))
}

/// Answers questions from an [`AnswersFile`].
pub struct ScriptedOperator {
    steps: BTreeMap<String, Answer>,
    default: Option<Answer>,
    operator: String,
    /// Notices, kept for tests and for the stderr log.
    pub log: Vec<String>,
    /// No terminal is behind this operator: notices go to stderr, and it decides what a person
    /// would (go on with a moved copy).
    echo: bool,
}

impl ScriptedOperator {
    /// A scripted operator; `echo` prints notices to stderr.
    pub fn new(file: Option<&AnswersFile>, operator: &str, echo: bool) -> ScriptedOperator {
        ScriptedOperator {
            steps: file
                .map(|f| {
                    f.steps
                        .iter()
                        .map(|e| (e.unit.value.clone(), e.answer.value.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            default: file.and_then(|f| f.default.as_ref().map(|d| d.value.clone())),
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
        if let Question::Moved { by, host, path } = question {
            // A person at a terminal decides (the chain asks the terminal next).
            if !self.echo {
                return Err(Stop::NoAnswer);
            }
            // Unattended, nobody can be asked: go on, and say so where the log is read.
            self.notify(Notice::Warning(format!(
                "this record was last written by {by} on {host} at {path}: going on with this \
                 copy; if that one is still in use, two people now hold one change"
            )));
            return Ok(Reply::Yes(true));
        }
        if let Question::Begin { .. } = question {
            // A scripted run starts at once; with no answers, the person at the terminal has
            // the plan to read.
            let scripted = self.echo || self.default.is_some() || !self.steps.is_empty();
            return if scripted {
                Ok(Reply::Yes(true))
            } else {
                Err(Stop::NoAnswer)
            };
        }
        let Some(unit) = question.view().map(|v| v.unit.clone()) else {
            return Err(Stop::NoAnswer);
        };
        let answer = self.answer(&unit).cloned().ok_or(Stop::NoAnswer)?;
        let reply = match (question, answer) {
            // A capture cannot be skipped or failed: taking the example instead would record a
            // value nobody gave. Stop there, so a person answers it, as when the answer given
            // was refused.
            (
                Question::Param { .. }
                | Question::Moved { .. }
                | Question::ChangeWhich { .. }
                | Question::NewValue { .. }
                | Question::Begin { .. }
                | Question::Capture { error: Some(_), .. },
                _,
            )
            | (Question::Capture { .. }, Answer::Skip(_) | Answer::Fail(_)) => {
                return Err(Stop::NoAnswer);
            }
            (Question::ConfirmTarget { expected, .. }, _) => Reply::Text(expected.to_owned()),
            // A gate is never skipped: `check` refuses such a file; stop, should one slip by.
            (Question::Outcome(v), Answer::Skip(_)) if v.gate => return Err(Stop::NoAnswer),
            (Question::Destructive(_) | Question::Outcome(_), Answer::Skip(r)) => {
                Reply::Outcome(Outcome::Skip(r))
            }
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
            (Question::Verdict { .. }, Answer::Overrule(r)) => Reply::Text(r),
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
            (Question::CompletedBeforeCrash { .. }, Answer::Fail(_) | Answer::Skip(_)) => {
                Reply::Yes(false)
            }
            // A destructive unit is run (the outcome question that follows records a failure).
            (
                Question::Destructive(_)
                | Question::Run { .. }
                | Question::Verdict { .. }
                | Question::Wait { .. }
                | Question::CompletedBeforeCrash { .. },
                _,
            ) => Reply::Yes(true),
        };
        Ok(reply)
    }

    fn can_answer(&self, unit: &str) -> bool {
        self.answer(unit).is_some()
    }

    fn notify(&mut self, notice: Notice) {
        let line = match notice {
            Notice::Plan { title, steps, .. } => format!("plan: {title} ({} steps)", steps.len()),
            Notice::History(h) => {
                let [done, overridden, skipped, failed] = h.counts;
                format!(
                    "{}: {done} done, {overridden} overridden, {skipped} skipped, {failed} failed; \
                     next: {}",
                    if h.resuming { "resumed" } else { "history" },
                    h.next.unwrap_or_else(|| "nothing".into())
                )
            }
            Notice::Unit(v) => format!("unit: {} ({})", v.unit, v.title),
            Notice::SkippedByCondition { unit, condition } => {
                format!("skipped: {unit} (condition `{condition}` is false)")
            }
            Notice::Output(t) => format!("  | {t}"),
            // The answers file says what was given; the record says what was kept.
            Notice::Taken { .. } => return,
            Notice::Info(t) => t,
            Notice::Warning(t) => format!("warning: {t}"),
            Notice::Closing {
                complete,
                counts,
                attention,
                report,
            } => {
                let mut line = format!(
                    "{}: {counts}; report: {report}",
                    if complete { "complete" } else { "aborted" }
                );
                for (label, what) in attention {
                    line.push_str(&format!("\n  attention: {label}: {what}"));
                }
                line
            }
        };
        if self.echo {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        }
        self.log.push(line);
    }
}

/// Scripted answers first; when there is none, a second operator (the terminal) if present.
pub(crate) struct Chain {
    scripted: ScriptedOperator,
    then: Option<Box<dyn Operator>>,
}

impl Chain {
    /// Chains `scripted` before `then`.
    pub(crate) fn new(scripted: ScriptedOperator, then: Option<Box<dyn Operator>>) -> Chain {
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
