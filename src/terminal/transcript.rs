//! `--transcript FILE`: a plain-text copy of everything the run showed and every answer it
//! took, kept beside the state file for the ticket or a post-mortem. It wraps whichever
//! operator answers (the terminal, scripted answers or both), so it sees the questions and
//! notices the engine sends, not the prompts' redrawn frames; secrets are never written.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use super::render::{self, Styles};
use crate::operator::{
    Aside, Notice, Operator, Outcome, Question, Recovery, Reply, Stop, UnitView,
};

/// How wide the transcript's text is set.
const WIDTH: u16 = 100;

/// An operator whose questions, answers and notices are also written, as plain text, to a
/// transcript file.
pub(crate) struct Transcript<'o> {
    inner: &'o mut dyn Operator,
    file: File,
    /// What is masked in everything written: each secret's value, as typed and as quoted in a
    /// rendered command (its single quotes doubled), longest first.
    masked: Vec<String>,
}

impl<'o> Transcript<'o> {
    /// Appends to the transcript at `path` (a resume goes on in the same file), after a line
    /// saying who started what, when.
    pub(crate) fn open(
        path: &Path,
        inner: &'o mut dyn Operator,
        heading: &str,
    ) -> io::Result<Transcript<'o>> {
        let mut file = File::options().create(true).append(true).open(path)?;
        writeln!(file, "\n=== {heading} ===")?;
        Ok(Transcript {
            inner,
            file,
            masked: Vec::new(),
        })
    }

    /// Writes what `draw` renders, without colour, to the transcript. A transcript that cannot
    /// be written does not stop the run: the state file is the record.
    fn write(&mut self, draw: impl FnOnce(Styles, &mut dyn Write) -> io::Result<()>) {
        let styles = Styles {
            color: false,
            width: WIDTH,
        };
        let mut text = Vec::new();
        if draw(styles, &mut text).is_ok() {
            let text = String::from_utf8_lossy(&text);
            let text = self
                .masked
                .iter()
                .fold(text.into_owned(), |t, s| t.replace(s.as_str(), "********"));
            let _ = self.file.write_all(text.as_bytes());
        }
    }

    /// Writes `line` (the run's end: a stop, an error) to the transcript.
    pub(crate) fn close(&mut self, line: &str) {
        let _ = writeln!(self.file, "{line}");
    }
}

impl Operator for Transcript<'_> {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        if let Some(view) = question.view() {
            self.write(|s, out| render::header(view, s, out));
        }
        self.write(|s, out| render::question(&question, s, out));
        let reply = self.inner.ask(question.clone());
        let answered = match &reply {
            Ok(r) => answer(&question, r),
            Err(Stop::Aside(aside)) => format!("({})", aside_text(*aside)),
            Err(Stop::Paused) => "(paused)".to_owned(),
            Err(Stop::Interrupted) => "(interrupted: Ctrl-C)".to_owned(),
            Err(Stop::NoAnswer) => "(no answer)".to_owned(),
        };
        self.write(|_, out| {
            let mut lines = answered.lines();
            writeln!(
                out,
                "? {} · {}",
                asked(&question),
                lines.next().unwrap_or_default()
            )?;
            for line in lines {
                writeln!(out, "    {line}")?;
            }
            Ok(())
        });
        reply
    }

    fn notify(&mut self, notice: Notice) {
        match &notice {
            Notice::Unit(view) => {
                self.write(|s, out| {
                    writeln!(out)?;
                    render::unit(view, s, out)
                });
            }
            other => self.write(|s, out| render::notice(other, s, out)),
        }
        self.inner.notify(notice);
    }

    fn secrets(&mut self, values: &[String]) {
        let mut masked: Vec<String> = values
            .iter()
            .flat_map(|v| {
                let quoted = crate::quote::SINGLE_QUOTES
                    .iter()
                    .fold(v.clone(), |t, q| t.replace(*q, &format!("{q}{q}")));
                [v.clone(), quoted]
            })
            .collect();
        masked.sort_by_key(|s| std::cmp::Reverse(s.len()));
        masked.dedup();
        self.masked = masked;
        self.inner.secrets(values);
    }

    fn can_answer(&self, unit: &str) -> bool {
        self.inner.can_answer(unit)
    }
}

/// The question, as a prompt would say it.
fn asked(q: &Question<'_>) -> String {
    match q {
        Question::Param { param, .. } => param.prompt.clone().unwrap_or(param.name.clone()),
        Question::Outcome(_) => "What happened?".to_owned(),
        Question::AfterFailure { .. } => "It failed. What now?".to_owned(),
        Question::Destructive(_) => "This step is destructive. What now?".to_owned(),
        Question::ConfirmTarget { expected, .. } => format!("Type {expected} to confirm"),
        Question::Capture { variable, .. } => variable.to_string(),
        Question::Decision { question, .. } => (*question).to_owned(),
        Question::Approval { approver, .. } => format!("Approval of {approver}?"),
        Question::Wait { .. } => "Is it done?".to_owned(),
        Question::Run { .. } => "Run this command?".to_owned(),
        Question::Verdict { .. } => "The verdict?".to_owned(),
        Question::Moved { .. } => "Go on with this copy?".to_owned(),
        Question::ChangeWhich { .. } => "Change which parameter?".to_owned(),
        Question::NewValue { param, .. } => format!("New value of {}", param.name),
        Question::Begin { .. } => "Ready?".to_owned(),
        Question::CompletedBeforeCrash { .. } => "Did this complete?".to_owned(),
    }
}

/// The answer as the transcript keeps it: a secret's value never.
fn answer(q: &Question<'_>, reply: &Reply) -> String {
    let secret = matches!(
        q,
        Question::Param { param, .. } | Question::NewValue { param, .. } if param.secret
    );
    match reply {
        Reply::Text(_) if secret => "********".to_owned(),
        Reply::Text(t) if t.is_empty() => "(empty)".to_owned(),
        Reply::Text(t) => t.clone(),
        Reply::Outcome(o) => match o {
            Outcome::Done => q.view().map_or("done", UnitView::success_word).to_owned(),
            Outcome::Failed(why) => format!("failed: {why}"),
            Outcome::Skip(why) => format!("skip: {why}"),
            Outcome::Note(text) => format!("note: {text}"),
            Outcome::Output(text) => format!("output:\n{text}"),
        },
        Reply::Recovery(r) => match r {
            Recovery::Retry => "retry".to_owned(),
            Recovery::Skip(why) => format!("skip: {why}"),
            Recovery::Override(why) => format!("override the gate: {why}"),
            Recovery::Abort => "abort the run".to_owned(),
        },
        Reply::Choice(id) => match q {
            Question::Decision { choices, .. } => choices
                .iter()
                .find(|c| c.id == *id)
                .map_or_else(|| id.clone(), |c| format!("{} ({id})", c.label)),
            _ => id.clone(),
        },
        Reply::Yes(true) => "yes".to_owned(),
        Reply::Yes(false) => "no".to_owned(),
    }
}

fn aside_text(aside: Aside) -> &'static str {
    match aside {
        Aside::Step => "show the step again",
        Aside::Plan => "show the plan",
        Aside::History => "show the history",
        Aside::ChangeParam => "change a parameter",
    }
}
