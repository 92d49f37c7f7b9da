//! The interactive [`Operator`]: the only code that touches the terminal.
//!
//! Everything (prompts, progress, the unit being worked on) goes to stderr, so stdout stays
//! clean. Prompts are dialoguer's, progress is indicatif's, and Ctrl-C ends the run with the
//! state saved (exit 3): inside a prompt it comes back as [`Stop::Interrupted`]; elsewhere the
//! handler from [`install_interrupt_handler`] prints the resume hint and exits.

use std::io;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use console::{Key, Style, Term};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Input, Password, Select};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::operator::{Notice, Operator, Outcome, Question, Recovery, Reply, Stop, UnitView};
use crate::runbook::{Impact, Param};

/// No prompt is reading the terminal: Ctrl-C exits through the handler.
const IDLE: u8 = 0;
/// A raw-mode prompt is reading: on Unix, console turns Ctrl-C into an `Interrupted` error (and
/// raises SIGINT, which the handler then ignores).
const RAW: u8 = 1;
/// A hidden (cooked-mode, echo off) prompt is reading: the handler restores echo and exits.
const SECRET: u8 = 2;
/// A prompt returned `Interrupted`; the run is stopping, so the raised SIGINT is ignored.
const STOPPING: u8 = 3;

/// What the terminal is doing, for the interrupt handler.
static PROMPT: AtomicU8 = AtomicU8::new(IDLE);

/// Asks the person at the terminal.
pub struct TerminalOperator {
    term: Term,
    color: bool,
    theme: Box<dyn Theme>,
}

impl TerminalOperator {
    /// A terminal operator; `color` turns on ANSI styling (see [`color_wanted`]).
    pub fn new(color: bool) -> TerminalOperator {
        console::set_colors_enabled_stderr(color);
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        TerminalOperator {
            term: Term::stderr(),
            color,
            theme,
        }
    }

    fn line(&self, text: impl AsRef<str>) {
        let _ = self.term.write_line(text.as_ref());
    }

    fn paint(&self, text: impl AsRef<str>, style: Style) -> String {
        if self.color {
            style
                .force_styling(true)
                .apply_to(text.as_ref())
                .to_string()
        } else {
            text.as_ref().to_owned()
        }
    }

    fn rule(&self) {
        let width = usize::from(self.term.size().1).clamp(20, 72);
        self.line(self.paint("─".repeat(width), Style::new().dim()));
    }

    /// A block to copy: a heading, then the text between rule lines, undecorated.
    fn block(&self, heading: &str, text: &str) {
        self.line(self.paint(heading, Style::new().bold()));
        self.rule();
        self.line(text.trim_end());
        self.rule();
    }

    fn error(&self, error: &Option<String>) {
        if let Some(msg) = error {
            self.line(self.paint(format!("error: {msg}"), Style::new().red()));
        }
    }

    /// Runs a prompt, mapping Ctrl-C to [`Stop::Interrupted`] and other failures (no terminal)
    /// to [`Stop::NoAnswer`].
    fn run<T>(&self, mode: u8, f: impl FnOnce(&Term) -> dialoguer::Result<T>) -> Result<T, Stop> {
        PROMPT.store(mode, Ordering::SeqCst);
        let result = f(&self.term).map_err(io::Error::from);
        Self::settle(&self.term, result)
    }

    fn settle<T>(term: &Term, result: io::Result<T>) -> Result<T, Stop> {
        match result {
            Ok(value) => {
                PROMPT.store(IDLE, Ordering::SeqCst);
                Ok(value)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                PROMPT.store(STOPPING, Ordering::SeqCst);
                let _ = term.show_cursor();
                let _ = term.write_line("");
                Err(Stop::Interrupted)
            }
            Err(_) => {
                PROMPT.store(IDLE, Ordering::SeqCst);
                let _ = term.show_cursor();
                Err(Stop::NoAnswer)
            }
        }
    }

    fn select(&self, prompt: &str, items: &[&str], default: usize) -> Result<usize, Stop> {
        self.run(RAW, |term| {
            Select::with_theme(&*self.theme)
                .with_prompt(prompt)
                .items(items)
                .default(default)
                .interact_on(term)
        })
    }

    fn text(&self, prompt: &str, allow_empty: bool) -> Result<String, Stop> {
        self.run(RAW, |term| {
            Input::<String>::with_theme(&*self.theme)
                .with_prompt(prompt)
                .allow_empty(allow_empty)
                .interact_text_on(term)
        })
    }

    /// Non-empty text, asked again (with a word why) until some is given.
    fn reason(&self, prompt: &str) -> Result<String, Stop> {
        loop {
            let text = self.text(prompt, true)?;
            if !text.trim().is_empty() {
                return Ok(text.trim().to_owned());
            }
            self.line(self.paint("an answer is needed", Style::new().yellow()));
        }
    }

    fn param(&self, param: &Param, error: &Option<String>) -> Result<String, Stop> {
        if let Some(help) = &param.help {
            self.line(self.paint(help, Style::new().dim()));
        }
        self.error(error);
        let prompt = param.prompt.as_deref().unwrap_or(&param.name);
        if param.secret {
            self.run(SECRET, |term| {
                Password::with_theme(&*self.theme)
                    .with_prompt(prompt)
                    .allow_empty_password(!param.required)
                    .interact_on(term)
            })
        } else {
            self.text(prompt, !param.required)
        }
    }

    fn progress(&self, view: &UnitView) {
        let bar = ProgressBar::with_draw_target(
            Some(view.step_count as u64),
            ProgressDrawTarget::stderr(),
        );
        let template = if self.color {
            "{bar:30.cyan/blue} step {pos} of {len} {msg}"
        } else {
            "{bar:30} step {pos} of {len} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        if let Some((i, n, _)) = &view.item {
            bar.set_message(format!("· item {i} of {n}"));
        }
        bar.set_position(view.step_number as u64);
        bar.abandon();
    }

    fn unit(&self, view: &UnitView) {
        self.line("");
        self.progress(view);
        let title = format!(
            "Step {} of {}: {}",
            view.step_number, view.step_count, view.title
        );
        self.line(self.paint(title, Style::new().bold()));
        if let Some((i, n, value)) = &view.item {
            self.line(format!("item {i} of {n}: {value}"));
        }
        let impact = match view.impact {
            Impact::Destructive => self.paint("destructive", Style::new().red().bold()),
            other => other.name().to_owned(),
        };
        let gate = if view.gate { " · gate" } else { "" };
        self.line(format!("{} · {impact}{gate}", view.kind));
        if let Some(text) = &view.instructions {
            self.line("");
            self.line(text.trim_end());
        }
        if let Some(command) = &view.command {
            self.line("");
            self.block("Run:", command);
        }
        if let Some(verify) = &view.verify {
            self.line("");
            self.block("Verify with:", verify);
        }
        if let Some(expect) = &view.expect {
            self.line(format!("A pass looks like: {expect}"));
        }
    }

    fn outcome(&self, view: &UnitView) -> Result<Outcome, Stop> {
        let (ok, bad) = if view.gate {
            ("passed", "failed")
        } else {
            ("done", "failed")
        };
        let mut items = vec![ok, bad, "skip (with a reason)", "add a note"];
        if view.rollback.is_some() {
            items.push("show the rollback");
        }
        loop {
            match self.select("What happened?", &items, 0)? {
                0 => return Ok(Outcome::Done),
                1 => return self.reason("What went wrong?").map(Outcome::Failed),
                2 => return self.reason("Why skip it?").map(Outcome::Skip),
                3 => return self.reason("Note").map(Outcome::Note),
                _ => self.block("Rollback:", view.rollback.as_deref().unwrap_or_default()),
            }
        }
    }

    fn after_failure(&self, gate: bool) -> Result<Recovery, Stop> {
        let mut items = vec!["retry", "skip (with a reason)"];
        if gate {
            items.push("override the gate (with a reason)");
        }
        items.push("abort the run");
        let choice = self.select("It failed. What now?", &items, 0)?;
        Ok(match (choice, gate) {
            (0, _) => Recovery::Retry,
            (1, _) => Recovery::Skip(self.reason("Why skip it?")?),
            (2, true) => Recovery::Override(self.reason("Why override the gate?")?),
            _ => Recovery::Abort,
        })
    }

    fn wait(&self, interval_secs: u64) -> Result<bool, Stop> {
        let every = format!(
            "keep waiting (check again in {})",
            duration_text(interval_secs)
        );
        loop {
            if self.select("Is it done?", &["it is done", &every], 0)? == 0 {
                return Ok(true);
            }
            self.wait_for_enter(interval_secs)?;
        }
    }

    /// Shows a countdown spinner until the operator presses Enter (any time; the spinner says
    /// when the interval is up).
    fn wait_for_enter(&self, interval_secs: u64) -> Result<(), Stop> {
        if !self.term.is_term() {
            return Err(Stop::NoAnswer);
        }
        let (tx, rx) = mpsc::channel();
        PROMPT.store(RAW, Ordering::SeqCst);
        let term = self.term.clone();
        std::thread::spawn(move || {
            let result = loop {
                match term.read_key() {
                    Ok(Key::Enter) => break Ok(()),
                    Ok(_) => {}
                    Err(e) => break Err(e),
                }
            };
            let _ = tx.send(result);
        });
        let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
            spinner.set_style(style);
        }
        spinner.enable_steady_tick(Duration::from_millis(120));
        let end = Instant::now() + Duration::from_secs(interval_secs);
        let mut rang = false;
        let result = loop {
            let left = end.saturating_duration_since(Instant::now()).as_secs();
            if left > 0 {
                spinner.set_message(format!(
                    "waiting; next check in {} (Enter: check now)",
                    duration_text(left)
                ));
            } else {
                spinner.set_message("time to check again: press Enter");
                if !rang {
                    rang = true;
                    let _ = self.term.write_str("\x07");
                }
            }
            match rx.recv_timeout(Duration::from_millis(250)) {
                Ok(result) => break result,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    break Err(io::Error::other("the key reader stopped"));
                }
            }
        };
        spinner.finish_and_clear();
        Self::settle(&self.term, result)
    }
}

impl Operator for TerminalOperator {
    fn ask(&mut self, question: Question<'_>) -> Result<Reply, Stop> {
        match question {
            Question::Param { param, error } => self.param(param, &error).map(Reply::Text),
            Question::Outcome(view) => self.outcome(view).map(Reply::Outcome),
            Question::AfterFailure { gate, .. } => self.after_failure(gate).map(Reply::Recovery),
            Question::ConfirmTarget { expected, .. } => {
                self.line(self.paint(
                    "This step is destructive and cannot simply be undone.",
                    Style::new().red().bold(),
                ));
                self.text(&format!("Type {expected} to confirm"), true)
                    .map(Reply::Text)
            }
            Question::Capture {
                variable,
                value_type,
                example,
                error,
                ..
            } => {
                self.line(format!("Record {variable} ({value_type}), e.g. {example}"));
                self.error(&error);
                self.text(&format!("{variable} ({value_type})"), false)
                    .map(Reply::Text)
            }
            Question::Decision {
                question, choices, ..
            } => {
                let labels: Vec<&str> = choices.iter().map(|c| c.label.as_str()).collect();
                let index = self.select(question, &labels, 0)?;
                let choice = choices.get(index).ok_or(Stop::NoAnswer)?;
                Ok(Reply::Choice(choice.id.clone()))
            }
            Question::Approval { approver, .. } => self
                .reason(&format!("Approved by (name of {approver})"))
                .map(Reply::Text),
            Question::Wait { interval_secs, .. } => {
                self.line(format!(
                    "waiting; check again every {}",
                    duration_text(interval_secs)
                ));
                self.wait(interval_secs).map(Reply::Yes)
            }
            Question::CompletedBeforeCrash { view, started } => {
                self.line(format!(
                    "The last run stopped while \"{}\" was shown (started {started}).",
                    view.title
                ));
                let items = ["yes, it completed", "no, show it again"];
                let index = self.select("Did this complete?", &items, 1)?;
                Ok(Reply::Yes(index == 0))
            }
        }
    }

    fn notify(&mut self, notice: Notice) {
        match notice {
            Notice::Plan {
                title,
                steps,
                counts: [read, change, destructive],
                state_path,
            } => {
                self.line(self.paint(format!("Plan: {title}"), Style::new().bold()));
                for (i, step) in steps.iter().enumerate() {
                    self.line(format!("  {:>2}. {step}", i + 1));
                }
                let destructive = format!("{destructive} destructive");
                let destructive = if destructive.starts_with('0') {
                    destructive
                } else {
                    self.paint(destructive, Style::new().red().bold())
                };
                self.line(format!(
                    "{} steps: {read} read, {change} change, {destructive}",
                    steps.len()
                ));
                self.line(format!("State: {state_path}"));
            }
            Notice::Resumed { done, next } => {
                self.line(self.paint("Resuming. Already done:", Style::new().bold()));
                for line in &done {
                    self.line(format!("  {line}"));
                }
                match next {
                    Some(next) => self.line(format!("Continuing at: {next}")),
                    None => self.line("Nothing is left to do."),
                }
            }
            Notice::Unit(view) => self.unit(&view),
            Notice::SkippedByCondition { unit, condition } => {
                self.line(format!("skipped {unit}: condition `{condition}` is false"));
            }
            Notice::Info(text) => self.line(text),
            Notice::Warning(text) => {
                self.line(self.paint(format!("warning: {text}"), Style::new().yellow()));
            }
            Notice::Complete => self.line(self.paint("Runbook complete.", Style::new().green())),
        }
    }
}

/// Whether to colour stderr: not when `NO_COLOR` is set (non-empty) or stderr is no terminal.
pub fn color_wanted() -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    !no_color && Term::stderr().is_term()
}

/// Installs the Ctrl-C handler for interrupts outside a raw-mode prompt: it shows the cursor,
/// prints "interrupted; the state is saved" and `resume_hint` (if set), and exits with 3.
/// Does nothing if a handler is already installed.
pub fn install_interrupt_handler(resume_hint: Arc<Mutex<Option<String>>>) {
    let _ = ctrlc::set_handler(move || {
        match PROMPT.load(Ordering::SeqCst) {
            // On Unix the prompt itself returns `Interrupted`; the engine stops the run.
            RAW | STOPPING if cfg!(unix) => return,
            SECRET => restore_echo(),
            _ => {}
        }
        let term = Term::stderr();
        let _ = term.show_cursor();
        let _ = term.clear_line();
        let _ = term.write_line("interrupted; the state is saved");
        if let Some(hint) = resume_hint.lock().ok().and_then(|h| h.clone()) {
            let _ = term.write_line(&hint);
        }
        std::process::exit(3);
    });
}

/// Turns echo back on after Ctrl-C in a hidden prompt (console leaves it off when the process
/// exits mid-read).
#[cfg(unix)]
fn restore_echo() {
    if let Ok(tty) = std::fs::File::open("/dev/tty") {
        let _ = std::process::Command::new("stty")
            .arg("echo")
            .stdin(tty)
            .stderr(std::process::Stdio::null())
            .status();
    }
}

#[cfg(not(unix))]
fn restore_echo() {}

/// `90` -> `1m30s`, `900` -> `15m`, `3600` -> `1h`.
fn duration_text(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let parts = [(h, "h"), (m, "m"), (s, "s")];
    let text: String = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if text.is_empty() { "0s".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::duration_text;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(0), "0s");
        assert_eq!(duration_text(90), "1m30s");
        assert_eq!(duration_text(900), "15m");
        assert_eq!(duration_text(3661), "1h1m1s");
    }
}
