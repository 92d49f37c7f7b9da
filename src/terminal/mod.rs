//! The interactive [`Operator`]: the person at the terminal, asked with our own prompts.
//!
//! Everything goes to stderr, so stdout stays clean. What is shown is rendered by `render.rs`
//! (text into any writer, testable without a terminal); the prompts are `input.rs` (what keys
//! and pastes mean), `screen.rs` (drawing them) and `keys.rs` (the terminal in raw mode); this
//! file asks the questions with them and draws indicatif's progress bar and countdown. Ctrl-C
//! ends the run with the state saved: inside a prompt it comes back as [`Stop::Interrupted`];
//! anywhere else the handler in `interrupt.rs` prints the resume hint and exits.
//!
//! When stderr is not a terminal but a person is at the keyboard (`2>&1 | tee log`), "stderr"
//! above is the terminal itself: see `tty.rs`.

mod input;
mod interrupt;
mod keys;
pub(crate) mod render;
mod screen;
mod transcript;
mod tty;

pub(crate) use interrupt::install_interrupt_handler;
pub(crate) use transcript::Transcript;

use std::io::{self, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::duration::duration_text;
use crate::operator::{
    Aside, Notice, Operator, Outcome, Question, Recovery, Reply, Stop, UnitView,
};
use crate::runbook::Param;
use input::{Answer, Ask, Lines, Presses};
use interrupt::Prompt;
use keys::Terminal;
use render::Styles;
use screen::Screen;
use tty::Tty;

/// The last items of every menu of a run: what can be asked for before answering, and pause.
const ASIDES: [(&str, Aside); 4] = [
    ("show the step again", Aside::Step),
    ("show the plan", Aside::Plan),
    (
        "show the history (failures, notes, decisions, values so far)",
        Aside::History,
    ),
    ("change a parameter", Aside::ChangeParam),
];
const PAUSE: &str = "pause (the state is saved; resume later)";

/// Asks the person at the terminal.
pub(crate) struct TerminalOperator {
    term: Tty,
    color: bool,
}

impl TerminalOperator {
    /// A terminal operator. `color` is `--color`: `Some` forces colour on or off; `None` colours
    /// when the prompts draw on a terminal and `NO_COLOR` is not set (non-empty).
    pub(crate) fn new(color: Option<bool>) -> TerminalOperator {
        let term = Tty::get().clone();
        let color = color.unwrap_or_else(|| {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            !no_color && term.is_term()
        });
        // indicatif styles with console, which reads this switch.
        console::set_colors_enabled_stderr(color);
        TerminalOperator { term, color }
    }

    fn styles(&self) -> Styles {
        Styles {
            color: self.color,
            width: self.term.size().1,
        }
    }

    /// Writes what `draw` renders to the terminal, in one write.
    fn show(&self, draw: impl FnOnce(Styles, &mut dyn Write) -> io::Result<()>) {
        let mut text = Vec::new();
        if draw(self.styles(), &mut text).is_ok() && !text.is_empty() {
            let _ = (&self.term).write_all(&text);
        }
    }

    /// Reads the terminal in raw mode with `prompt`, drawing on [`Tty`].
    fn read<T>(
        &self,
        prompt: impl FnOnce(&mut Presses<Terminal>, &mut Screen<'_>) -> io::Result<T>,
    ) -> io::Result<T> {
        Prompt::Raw.enter();
        let mut keys = Presses::new(Terminal::open()?);
        let mut out = &self.term;
        prompt(&mut keys, &mut Screen::new(&mut out, self.styles()))
    }

    /// A menu of a run: it ends with the [`ASIDES`] (the engine deals with them and asks again)
    /// and "pause", which stops the run with the state saved.
    fn select(
        &self,
        prompt: &str,
        items: &[&str],
        default: impl Into<Option<usize>>,
    ) -> Result<usize, Stop> {
        let mut all = items.to_vec();
        all.extend(ASIDES.iter().map(|(label, _)| *label));
        all.push(PAUSE);
        let chosen = self.choose(prompt, &all, default)?;
        if chosen < items.len() {
            return Ok(chosen);
        }
        match ASIDES.get(chosen - items.len()) {
            Some((_, aside)) => Err(Stop::Aside(*aside)),
            None => Err(Stop::Paused),
        }
    }

    /// A menu of `items` only; with no `default`, nothing is highlighted until the operator
    /// moves to an item.
    fn choose(
        &self,
        prompt: &str,
        items: &[&str],
        default: impl Into<Option<usize>>,
    ) -> Result<usize, Stop> {
        let default = default.into();
        settle(
            &self.term,
            self.read(|keys, screen| input::select(keys, screen, prompt, items, default)),
        )
    }

    /// Text for `ask`; Esc (for now) is an empty answer where one is allowed, and asks again
    /// where not.
    fn line(&self, ask: &Ask<'_>) -> Result<String, Stop> {
        loop {
            let answer = self.read(|keys, screen| input::line(keys, screen, ask));
            match settle(&self.term, answer)? {
                Answer::Text(text) => return Ok(text),
                Answer::Escaped if ask.empty => {
                    return Ok(ask.proposed.unwrap_or_default().to_owned());
                }
                Answer::Escaped => {}
            }
        }
    }

    /// One line of text that the engine checks (a typed confirmation).
    fn text(&self, prompt: &str, allow_empty: bool) -> Result<String, Stop> {
        self.line(&Ask {
            prompt,
            lines: Lines::One,
            echo: true,
            empty: allow_empty,
            proposed: None,
            checked: true,
        })
    }

    /// Non-empty text (trimmed), asked again until some is given; `lines` says whether a
    /// pasted message of several lines is taken whole.
    fn reason(&self, prompt: &str, lines: Lines) -> Result<String, Stop> {
        loop {
            let text = self.line(&Ask {
                prompt,
                lines,
                echo: true,
                empty: true,
                proposed: None,
                checked: false,
            })?;
            if !text.trim().is_empty() {
                return Ok(text.trim().to_owned());
            }
            self.show(render::answer_needed);
        }
    }

    fn param(&self, param: &Param) -> Result<String, Stop> {
        self.line(&Ask {
            prompt: param.prompt.as_deref().unwrap_or(&param.name),
            lines: Lines::One,
            echo: !param.secret,
            empty: !param.required,
            proposed: None,
            checked: true,
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
            Output,
            Rollback,
        }
        let mut items = vec![(view.success_word(), Item::Done), ("failed", Item::Failed)];
        if !view.gate {
            items.push(("skip (with a reason)", Item::Skip));
        }
        items.push(("add a note", Item::Note));
        if view.command.is_some() {
            items.push(("add output (paste what the command printed)", Item::Output));
        }
        if has_rollback(view) {
            items.push(("show the rollback", Item::Rollback));
        }
        let labels: Vec<&str> = items.iter().map(|(l, _)| *l).collect();
        loop {
            match items[self.select("What happened?", &labels, 0)?].1 {
                Item::Done => return Ok(Outcome::Done),
                Item::Failed => {
                    return self
                        .reason("What went wrong?", Lines::Many)
                        .map(Outcome::Failed);
                }
                Item::Skip => return self.reason("Why skip it?", Lines::Many).map(Outcome::Skip),
                Item::Note => return self.reason("Note", Lines::Many).map(Outcome::Note),
                Item::Output => {
                    return self
                        .reason("Output (paste it, then Enter)", Lines::Many)
                        .map(Outcome::Output);
                }
                Item::Rollback => self.show_rollback(view),
            }
        }
    }

    fn show_rollback(&self, view: &UnitView) {
        self.show(|s, out| render::rollback(view, s, out));
    }

    /// Before a destructive unit: its rollback can be read, and it can be skipped, before
    /// anything is typed or run.
    fn destructive(&self, view: &UnitView) -> Result<Reply, Stop> {
        let mut items = vec![
            "run it (type its target to confirm)",
            "skip (with a reason)",
            "add a note",
        ];
        if has_rollback(view) {
            items.push("show the rollback");
        }
        loop {
            match self.select("This step is destructive. What now?", &items, 0)? {
                0 => return Ok(Reply::Yes(true)),
                1 => {
                    let why = self.reason("Why skip it?", Lines::Many)?;
                    return Ok(Reply::Outcome(Outcome::Skip(why)));
                }
                2 => {
                    return Ok(Reply::Outcome(Outcome::Note(
                        self.reason("Note", Lines::Many)?,
                    )));
                }
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
            "skip (with a reason)" => Recovery::Skip(self.reason("Why skip it?", Lines::Many)?),
            "override the gate (with a reason)" => {
                Recovery::Override(self.reason("Why override the gate?", Lines::Many)?)
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
                    let why = self.reason("What went wrong?", Lines::Many)?;
                    return Ok(Reply::Outcome(Outcome::Failed(why)));
                }
                _ => {
                    return Ok(Reply::Outcome(Outcome::Note(
                        self.reason("Note", Lines::Many)?,
                    )));
                }
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
            0 => Ok(Reply::Text(self.reason(
                &format!("Approved by (name of {approver})"),
                Lines::One,
            )?)),
            1 => Ok(Reply::Outcome(Outcome::Failed(
                self.reason("Refused by whom, and why?", Lines::Many)?,
            ))),
            _ => Ok(Reply::Outcome(Outcome::Note(
                self.reason("Note", Lines::Many)?,
            ))),
        }
    }

    /// A spinner counting down the interval until the operator presses Enter (at any time).
    fn countdown(&self, interval_secs: u64) -> Result<(), Stop> {
        if !self.term.is_term() {
            return Err(Stop::NoAnswer);
        }
        let spinner = ProgressBar::with_draw_target(None, self.term.draw_target());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        let end = Instant::now() + Duration::from_secs(interval_secs);
        let tick = || {
            let left = end.saturating_duration_since(Instant::now());
            spinner.set_message(match left.as_secs() + u64::from(left.subsec_nanos() > 0) {
                0 => "time to check again: press Enter".to_owned(),
                s => format!("next check in {} (Enter: check now)", duration_text(s)),
            });
        };
        let pressed = self.read(|keys, _| input::enter(keys, Duration::from_millis(250), tick));
        spinner.finish_and_clear();
        settle(&self.term, pressed)
    }
}

fn has_rollback(view: &UnitView) -> bool {
    view.rollback.is_some() || view.rollback_command.is_some()
}

/// Shows how an interactive run ended (an error, or "paused ...; resume with: ...") on the
/// terminal the prompts drew on, when that is not stderr: stderr keeps it for the log, and the
/// person at the keyboard needs the resume command too.
pub(crate) fn tell_the_end(text: &str) {
    let tty = Tty::get();
    if matches!(tty, Tty::Device(_)) {
        let _ = tty.write_line(text);
    }
}

/// Maps a prompt's result: Ctrl-C (`Interrupted`) to [`Stop::Interrupted`], any other failure
/// (no terminal, end of input) to [`Stop::NoAnswer`]. The cursor is shown again either way.
fn settle<T>(term: &Tty, result: io::Result<T>) -> Result<T, Stop> {
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

/// A menu hides the cursor until it is answered; a prompt that failed did not show it again.
fn show_cursor(term: &Tty) {
    if term.is_term() {
        let _ = term.show_cursor();
    }
}

/// A one-off bar for "step N of M" (hidden by indicatif when the prompts draw on no terminal).
fn progress(view: &UnitView) {
    let bar = ProgressBar::hidden();
    bar.set_length(view.step_count as u64);
    if let Ok(style) = ProgressStyle::with_template("[{bar:30}] step {pos} of {len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    if let Some((i, n, _)) = &view.item {
        bar.set_message(format!("· item {i} of {n}"));
    }
    bar.set_position(view.step_number as u64);
    bar.set_draw_target(Tty::get().draw_target());
    bar.abandon();
}

impl Operator for TerminalOperator {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        if let Some(view) = question.view() {
            self.show(|s, out| render::header(view, s, out));
        }
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
                // Read from the output: Enter takes it, or type over it.
                let text = self.line(&Ask {
                    prompt: &prompt,
                    lines: Lines::One,
                    echo: true,
                    empty: true,
                    proposed: proposed.as_deref(),
                    checked: true,
                })?;
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
                    1 => Reply::Outcome(Outcome::Failed(
                        self.reason("What went wrong?", Lines::Many)?,
                    )),
                    _ => Reply::Outcome(Outcome::Note(self.reason("Note", Lines::Many)?)),
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
                    _ => self
                        .reason("Why overrule it?", Lines::Many)
                        .map(Reply::Text),
                }
            }
            Question::Decision {
                question,
                choices,
                guards,
                ..
            } => {
                let mut labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
                labels.push("add a note");
                // Where one answer leads to a destructive step, none is offered by default:
                // an Enter pressed out of habit must not choose the path.
                let index = self.select(question, &labels, (!guards).then_some(0))?;
                match choices.get(index) {
                    Some(choice) => Ok(Reply::Choice(choice.id.clone())),
                    None => Ok(Reply::Outcome(Outcome::Note(
                        self.reason("Note", Lines::Many)?,
                    ))),
                }
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
                Ok(Reply::Yes(self.choose("Go on?", &items, 1)? == 0))
            }
            Question::ChangeWhich { params } => {
                let mut items: Vec<String> =
                    params.iter().map(|(n, v)| format!("{n} = {v}")).collect();
                items.push("back (change nothing)".to_owned());
                let labels: Vec<&str> = items.iter().map(String::as_str).collect();
                let chosen = self.choose("Change which parameter?", &labels, params.len())?;
                Ok(match params.get(chosen) {
                    Some((name, _)) => Reply::Choice(name.clone()),
                    None => Reply::Yes(false),
                })
            }
            Question::NewValue { param, current, .. } => {
                let prompt = format!("New value of {} (empty: keep {current})", param.name);
                self.line(&Ask {
                    prompt: &prompt,
                    lines: Lines::One,
                    echo: !param.secret,
                    empty: true,
                    proposed: None,
                    checked: true,
                })
                .map(Reply::Text)
            }
            Question::Begin { first } => {
                let start = format!("start {first}");
                self.select("Ready?", &[start.as_str()], 0)?;
                Ok(Reply::Yes(true))
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
