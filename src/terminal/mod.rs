//! The interactive [`Operator`]: the person at the terminal, asked with dialoguer's prompts.
//!
//! Everything goes to stderr, so stdout stays clean. What is shown is rendered by `render.rs`
//! (text into any writer, testable without a terminal); this file asks the questions with
//! dialoguer's menus and text prompts and draws indicatif's progress bar and countdown. Ctrl-C
//! ends the run with the state saved: inside a raw-mode prompt (Unix) it comes back as
//! [`Stop::Interrupted`]; anywhere else the handler in `interrupt.rs` prints the resume hint and
//! exits.

mod interrupt;
pub(crate) mod render;

pub(crate) use interrupt::install_interrupt_handler;

use std::io::{self, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use console::{Key, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Input, Password, Select};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::duration::duration_text;
use crate::operator::{Notice, Operator, Outcome, Question, Recovery, Reply, Stop, UnitView};
use crate::runbook::Param;
use interrupt::Prompt;
use render::Styles;

/// The last two items of every menu.
const HISTORY: &str = "show the history (failures, notes, decisions, values so far)";
const PAUSE: &str = "pause (the state is saved; resume later)";

/// Asks the person at the terminal.
pub(crate) struct TerminalOperator {
    term: Term,
    color: bool,
    theme: Box<dyn Theme>,
}

impl TerminalOperator {
    /// A terminal operator. `color` is `--color`: `Some` forces colour on or off; `None` colours
    /// when stderr is a terminal and `NO_COLOR` is not set (non-empty).
    pub(crate) fn new(color: Option<bool>) -> TerminalOperator {
        let term = Term::stderr();
        let color = color.unwrap_or_else(|| {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && term.is_term()
        });
        // dialoguer's themes and indicatif style with console, which reads this switch.
        console::set_colors_enabled_stderr(color);
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        TerminalOperator { term, color, theme }
    }

    /// Writes what `draw` renders to the terminal, in one write.
    fn show(&self, draw: impl FnOnce(Styles, &mut dyn Write) -> io::Result<()>) {
        let styles = Styles {
            color: self.color,
            width: self.term.size().1,
        };
        let mut text = Vec::new();
        if draw(styles, &mut text).is_ok() && !text.is_empty() {
            let _ = (&self.term).write_all(&text);
        }
    }

    /// Runs a prompt in `mode` (see [`Prompt`]).
    fn run<T>(
        &self,
        mode: Prompt,
        f: impl FnOnce(&Term) -> dialoguer::Result<T>,
    ) -> Result<T, Stop> {
        mode.enter();
        settle(&self.term, f(&self.term).map_err(io::Error::from))
    }

    /// A menu; every menu ends with "show the history" and "pause", which stops the run with the
    /// state saved.
    fn select(&self, prompt: &str, items: &[&str], default: usize) -> Result<usize, Stop> {
        let mut all = items.to_vec();
        all.extend([HISTORY, PAUSE]);
        let chosen = self.run(Prompt::Raw, |term| {
            let select = Select::with_theme(&*self.theme).with_prompt(prompt);
            select.items(&all).default(default).interact_on(term)
        })?;
        match chosen.cmp(&items.len()) {
            std::cmp::Ordering::Less => Ok(chosen),
            std::cmp::Ordering::Equal => Err(Stop::ShowHistory),
            std::cmp::Ordering::Greater => Err(Stop::Paused),
        }
    }

    fn text(&self, prompt: &str, allow_empty: bool) -> Result<String, Stop> {
        self.run(Prompt::Raw, |term| {
            let input = Input::<String>::with_theme(&*self.theme).with_prompt(prompt);
            input.allow_empty(allow_empty).interact_text_on(term)
        })
    }

    /// Non-empty text (trimmed), asked again until some is given.
    fn reason(&self, prompt: &str) -> Result<String, Stop> {
        loop {
            let text = self.text(prompt, true)?;
            if !text.trim().is_empty() {
                return Ok(text.trim().to_owned());
            }
            self.show(render::answer_needed);
        }
    }

    fn param(&self, param: &Param) -> Result<String, Stop> {
        let prompt = param.prompt.as_deref().unwrap_or(&param.name);
        if !param.secret {
            return self.text(prompt, !param.required);
        }
        self.run(Prompt::Secret, |term| {
            let password = Password::with_theme(&*self.theme).with_prompt(prompt);
            password
                .allow_empty_password(!param.required)
                .interact_on(term)
        })
    }

    /// What happened? A gate passes or fails; it has no plain skip.
    fn outcome(&self, view: &UnitView) -> Result<Outcome, Stop> {
        #[derive(Clone, Copy)]
        enum Item {
            Done,
            Failed,
            Skip,
            Note,
            Rollback,
        }
        let mut items = vec![
            (if view.gate { "passed" } else { "done" }, Item::Done),
            ("failed", Item::Failed),
        ];
        if !view.gate {
            items.push(("skip (with a reason)", Item::Skip));
        }
        items.push(("add a note", Item::Note));
        if view.rollback.is_some() {
            items.push(("show the rollback", Item::Rollback));
        }
        let labels: Vec<&str> = items.iter().map(|(l, _)| *l).collect();
        loop {
            match items[self.select("What happened?", &labels, 0)?].1 {
                Item::Done => return Ok(Outcome::Done),
                Item::Failed => return self.reason("What went wrong?").map(Outcome::Failed),
                Item::Skip => return self.reason("Why skip it?").map(Outcome::Skip),
                Item::Note => return self.reason("Note").map(Outcome::Note),
                Item::Rollback => self.show_rollback(view),
            }
        }
    }

    fn show_rollback(&self, view: &UnitView) {
        let rollback = view.rollback.as_deref().unwrap_or_default();
        self.show(|s, out| render::block("Rollback:", rollback, s, out));
    }

    /// Before a destructive unit: its rollback can be read, and it can be skipped, before
    /// anything is typed or run.
    fn destructive(&self, view: &UnitView) -> Result<Reply, Stop> {
        let mut items = vec![
            "run it (type its target to confirm)",
            "skip (with a reason)",
            "add a note",
        ];
        if view.rollback.is_some() {
            items.push("show the rollback");
        }
        loop {
            match self.select("This step is destructive. What now?", &items, 0)? {
                0 => return Ok(Reply::Yes(true)),
                1 => return Ok(Reply::Outcome(Outcome::Skip(self.reason("Why skip it?")?))),
                2 => return Ok(Reply::Outcome(Outcome::Note(self.reason("Note")?))),
                _ => self.show_rollback(view),
            }
        }
    }

    /// After a failure: retry, skip (when allowed), override (a gate only), or abort.
    fn after_failure(&self, gate: bool, skip: bool) -> Result<Recovery, Stop> {
        let mut items = vec!["retry"];
        if gate {
            items.push("override the gate (with a reason)");
        } else if skip {
            items.push("skip (with a reason)");
        }
        items.push("abort the run");
        let choice = items[self.select("It failed. What now?", &items, 0)?];
        Ok(match choice {
            "retry" => Recovery::Retry,
            "skip (with a reason)" => Recovery::Skip(self.reason("Why skip it?")?),
            "override the gate (with a reason)" => {
                Recovery::Override(self.reason("Why override the gate?")?)
            }
            _ => Recovery::Abort,
        })
    }

    /// Waiting by hand: done, keep waiting (a countdown), failed (unreachable), or a note.
    fn wait(&self, interval_secs: u64) -> Result<Reply, Stop> {
        let keep = format!(
            "keep waiting (check again in {})",
            duration_text(interval_secs)
        );
        let items = [
            "it is done",
            keep.as_str(),
            "it failed (unreachable, timed out: with a reason)",
            "add a note",
        ];
        loop {
            match self.select("Is it done?", &items, 0)? {
                0 => return Ok(Reply::Yes(true)),
                1 => self.countdown(interval_secs)?,
                2 => {
                    let why = self.reason("What went wrong?")?;
                    return Ok(Reply::Outcome(Outcome::Failed(why)));
                }
                _ => return Ok(Reply::Outcome(Outcome::Note(self.reason("Note")?))),
            }
        }
    }

    /// An approval: given (by whom), refused (who and why: the run stops), or a note.
    fn approval(&self, approver: &str) -> Result<Reply, Stop> {
        let items = [
            "approved (type who approved)",
            "refused (the run stops here)",
            "add a note",
        ];
        match self.select(&format!("Approval of {approver}?"), &items, 0)? {
            0 => Ok(Reply::Text(
                self.reason(&format!("Approved by (name of {approver})"))?,
            )),
            1 => Ok(Reply::Outcome(Outcome::Failed(
                self.reason("Refused by whom, and why?")?,
            ))),
            _ => Ok(Reply::Outcome(Outcome::Note(self.reason("Note")?))),
        }
    }

    /// A spinner counting down the interval until the operator presses Enter (at any time).
    fn countdown(&self, interval_secs: u64) -> Result<(), Stop> {
        if !self.term.is_term() {
            return Err(Stop::NoAnswer);
        }
        Prompt::Raw.enter();
        let (tx, rx) = mpsc::channel();
        let term = self.term.clone();
        std::thread::spawn(move || {
            let key = loop {
                match term.read_key() {
                    Ok(Key::Enter) => break Ok(()),
                    Ok(_) => {}
                    Err(e) => break Err(e),
                }
            };
            let _ = tx.send(key);
        });
        let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        let end = Instant::now() + Duration::from_secs(interval_secs);
        let key = loop {
            let left = end.saturating_duration_since(Instant::now());
            spinner.set_message(match left.as_secs() + u64::from(left.subsec_nanos() > 0) {
                0 => "time to check again: press Enter".to_owned(),
                s => format!("next check in {} (Enter: check now)", duration_text(s)),
            });
            match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(key) => break key,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(_) => break Err(io::ErrorKind::BrokenPipe.into()),
            }
        };
        spinner.finish_and_clear();
        settle(&self.term, key)
    }
}

/// Maps a prompt's result: Ctrl-C (`Interrupted`) to [`Stop::Interrupted`], any other failure
/// (no terminal, end of input) to [`Stop::NoAnswer`]. The cursor is shown again either way.
fn settle<T>(term: &Term, result: io::Result<T>) -> Result<T, Stop> {
    let interrupted = matches!(&result, Err(e) if e.kind() == io::ErrorKind::Interrupted);
    if interrupted {
        Prompt::Stopping.enter();
    } else {
        Prompt::Idle.enter();
    }
    result.map_err(|_| {
        show_cursor(term);
        if !interrupted {
            return Stop::NoAnswer;
        }
        let _ = term.write_line("");
        Stop::Interrupted
    })
}

/// Dialoguer hides the cursor in menus and does not show it again when a read fails.
fn show_cursor(term: &Term) {
    if term.is_term() {
        let _ = term.show_cursor();
    }
}

/// A one-off bar for "step N of M" (hidden by indicatif when stderr is no terminal).
fn progress(view: &UnitView) {
    let bar = ProgressBar::hidden();
    bar.set_length(view.step_count as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} step {pos} of {len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    if let Some((i, n, _)) = &view.item {
        bar.set_message(format!("· item {i} of {n}"));
    }
    bar.set_position(view.step_number as u64);
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.abandon();
}

impl Operator for TerminalOperator {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        self.show(|s, out| render::question(&question, s, out));
        match question {
            Question::Param { param, .. } => self.param(param).map(Reply::Text),
            Question::Outcome(view) => self.outcome(view).map(Reply::Outcome),
            Question::AfterFailure { gate, skip, .. } => {
                self.after_failure(gate, skip).map(Reply::Recovery)
            }
            Question::Destructive(view) => self.destructive(view),
            Question::ConfirmTarget { expected, .. } => {
                let prompt = format!("Type {expected} to confirm (empty: back to the menu)");
                Ok(Reply::Text(self.text(&prompt, true)?))
            }
            Question::Capture {
                variable,
                value_type,
                proposed,
                ..
            } => {
                let prompt = format!("{variable} ({value_type}; empty: other choices)");
                let text = match proposed {
                    // Read from the output: Enter takes it, or type over it.
                    Some(p) => self.run(Prompt::Raw, |term| {
                        Input::<String>::with_theme(&*self.theme)
                            .with_prompt(&prompt)
                            .default(p)
                            .interact_text_on(term)
                    })?,
                    None => self.text(&prompt, true)?,
                };
                if !text.trim().is_empty() {
                    return Ok(Reply::Text(text));
                }
                // No value: the command threw, or there is something to note first.
                let items = [
                    "type the value",
                    "the command failed (with a reason)",
                    "add a note",
                ];
                Ok(match self.select("No value. What now?", &items, 0)? {
                    0 => Reply::Text(String::new()),
                    1 => Reply::Outcome(Outcome::Failed(self.reason("What went wrong?")?)),
                    _ => Reply::Outcome(Outcome::Note(self.reason("Note")?)),
                })
            }
            Question::Run { .. } => {
                let items = ["run it now", "no, I run it myself"];
                Ok(Reply::Yes(
                    self.select("Run this command?", &items, 0)? == 0,
                ))
            }
            Question::Verdict { .. } => {
                let items = ["accept the verdict", "overrule it (with a reason)"];
                match self.select("The verdict?", &items, 0)? {
                    0 => Ok(Reply::Yes(true)),
                    _ => self.reason("Why overrule it?").map(Reply::Text),
                }
            }
            Question::Decision {
                question, choices, ..
            } => {
                let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
                let index = self.select(question, &labels, 0)?;
                let choice = choices.get(index).ok_or(Stop::NoAnswer)?;
                Ok(Reply::Choice(choice.id.clone()))
            }
            Question::Approval { approver, .. } => self.approval(approver),
            Question::Wait {
                interval_secs,
                poll: true,
                ..
            } => {
                let again = format!("check again in {}", duration_text(interval_secs));
                if self.select("Is it done?", &["it is done", &again], 1)? == 0 {
                    return Ok(Reply::Yes(true));
                }
                self.countdown(interval_secs)?;
                Ok(Reply::Yes(false))
            }
            Question::Wait { interval_secs, .. } => self.wait(interval_secs),
            Question::Moved { .. } => {
                let items = ["go on with this copy", "stop here (nothing is recorded)"];
                Ok(Reply::Yes(self.select("Go on?", &items, 1)? == 0))
            }
            Question::CompletedBeforeCrash { .. } => {
                let items = ["yes, it completed", "no, show it again"];
                let index = self.select("Did this complete?", &items, 1)?;
                Ok(Reply::Yes(index == 0))
            }
        }
    }

    fn notify(&mut self, notice: Notice) {
        match &notice {
            // The bar sits between the empty line and the step: drawn here, on a terminal only.
            Notice::Unit(view) => {
                self.show(|_, out| writeln!(out));
                progress(view);
                self.show(|s, out| render::unit(view, s, out));
            }
            other => self.show(|s, out| render::notice(other, s, out)),
        }
    }
}
