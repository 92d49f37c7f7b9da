//! What the terminal shows, as text: each [`Notice`] (the plan, the resumed summary, a unit,
//! warnings...), what is said before a question's prompt, and the interrupt message.
//!
//! Everything is written into an injected [`Write`] with the [`Styles`] passed in, and nothing
//! here reads the terminal or global state: the operator writes to its terminal, tests write into a
//! `Vec<u8>` and snapshot the text (nextest's reporter takes a writer the same way). The prompts
//! themselves (`screen.rs`) and the progress bar (indicatif) are drawn by the terminal, not here.

use std::io::{self, Write};

use console::{Style, measure_text_width};

use crate::duration::duration_text;
use crate::operator::{History, HistoryLine, Notice, Question, UnitView};
use crate::runbook::Impact;

/// How text is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styles {
    /// ANSI colour, bold and dim; plain text when false.
    pub color: bool,
    /// The terminal's width in columns: rule lines take it, kept between 20 and 72.
    pub width: u16,
}

impl Styles {
    /// `text` in `style`, or as it is without colour.
    pub(super) fn paint(self, text: impl AsRef<str>, style: Style) -> String {
        if !self.color {
            return text.as_ref().to_owned();
        }
        style
            .force_styling(true)
            .apply_to(text.as_ref())
            .to_string()
    }

    /// One line of `text` in `style`.
    fn say(self, out: &mut dyn Write, text: impl AsRef<str>, style: Style) -> io::Result<()> {
        writeln!(out, "{}", self.paint(text, style))
    }
}

/// What the terminal shows for `notice`.
pub fn notice(notice: &Notice, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    match notice {
        Notice::Plan {
            title,
            ticket,
            steps,
            params,
            counts: [read, change, destructive],
            state_path,
        } => {
            styles.say(out, format!("Plan: {title}"), Style::new().bold())?;
            if let Some(ticket) = ticket {
                writeln!(out, "Change ticket: {ticket}")?;
            }
            for (i, step) in steps.iter().enumerate() {
                let mut marks = vec![step.kind.to_owned()];
                if step.gate {
                    marks.push(styles.paint("gate", Style::new().yellow().bold()));
                }
                marks.push(match step.impact {
                    Impact::Destructive => styles.paint("DESTRUCTIVE", Style::new().red().bold()),
                    other => other.name().to_owned(),
                });
                let line = format!(
                    "  {:>2}. {} ({}) [{}]",
                    i + 1,
                    step.title,
                    step.id,
                    marks.join(", ")
                );
                filled(&line, 6, styles, out)?;
                if let Some((item, list, items)) = &step.for_each {
                    let listed = match items.as_deref() {
                        None => format!("known once `{list}` is captured"),
                        Some([]) => "none: the step has nothing to do".to_owned(),
                        Some(items) => items.join(", "),
                    };
                    filled(
                        &format!("      for each {item} in {list}: {listed}"),
                        8,
                        styles,
                        out,
                    )?;
                }
            }
            if !params.is_empty() {
                writeln!(out, "Parameters:")?;
            }
            for (name, value, origin) in params {
                let origin = match *origin {
                    "given" | "asked" => String::new(),
                    "example" => {
                        format!(
                            " {}",
                            styles.paint("(EXAMPLE value)", Style::new().yellow())
                        )
                    }
                    other => format!(" ({other})"),
                };
                filled(&format!("  {name} = {value}{origin}"), 4, styles, out)?;
            }
            let destructive = match destructive {
                0 => "0 destructive".to_owned(),
                n => styles.paint(format!("{n} destructive"), Style::new().red().bold()),
            };
            let n = steps.len();
            writeln!(
                out,
                "{n} steps: {read} read, {change} change, {destructive}"
            )?;
            writeln!(out, "State: {state_path}")
        }
        Notice::History(h) => history(h, styles, out),
        Notice::Unit(view) => {
            writeln!(out)?;
            unit(view, styles, out)
        }
        Notice::SkippedByCondition { unit, condition } => {
            writeln!(out, "skipped {unit}: condition `{condition}` is false")
        }
        Notice::Output(text) => styles.say(out, format!("  │ {text}"), Style::new().dim()),
        Notice::Taken { what, value } => writeln!(
            out,
            "{} {} {} {}",
            styles.paint("✔", Style::new().green()),
            styles.paint(what, Style::new().bold()),
            styles.paint("·", Style::new().dim()),
            styles.paint(value, Style::new().green())
        ),
        Notice::Info(text) => filled(text, 2, styles, out),
        Notice::Warning(text) => {
            let text = styles.paint(format!("warning: {text}"), Style::new().yellow());
            filled(&text, 2, styles, out)
        }
        Notice::Closing {
            complete,
            counts,
            attention,
            report,
        } => {
            if *complete {
                styles.say(out, "Runbook complete.", Style::new().green().bold())?;
            } else {
                styles.say(out, "Run aborted.", Style::new().red().bold())?;
            }
            writeln!(out, "{counts}")?;
            if attention.is_empty() {
                writeln!(out, "Nothing needs attention.")?;
            } else {
                styles.say(out, "Needs attention:", Style::new().yellow().bold())?;
                for (label, what) in attention {
                    let item = format!("- {label}: {what}");
                    for line in wrapped(&item, styles) {
                        writeln!(out, "{line}")?;
                    }
                }
            }
            writeln!(out, "The record for the change ticket: {report}")
        }
    }
}

/// What happened so far: the counts, then what the next operator must know, then where the run
/// goes on, with that unit's own earlier attempts, failures and notes apart.
fn history(h: &History, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    let [done, overridden, skipped, failed] = h.counts;
    let heading = if h.resuming {
        "Resuming. So far"
    } else {
        "The run so far"
    };
    styles.say(
        out,
        format!(
            "{heading}: {done} done, {overridden} overridden, {skipped} skipped, {failed} failed."
        ),
        Style::new().bold(),
    )?;
    let line = |e: &HistoryLine, out: &mut dyn Write| {
        // A pasted, multi-line note stays readable: its lines are indented under the event.
        let detail = e
            .detail
            .as_deref()
            .map(|d| format!(": {}", d.trim_end().replace('\n', "\n      ")))
            .unwrap_or_default();
        let unit = e
            .unit
            .as_deref()
            .map(|u| format!("{u}  "))
            .unwrap_or_default();
        let what = e.what;
        let event = format!("  {}  {unit}{what} ({}){detail}", e.at, e.by);
        match what {
            "failed" | "aborted" | "gate-overridden" | "verdict-overruled" => {
                styles.say(out, event, Style::new().yellow())
            }
            _ => writeln!(out, "{event}"),
        }
    };
    let (here, elsewhere): (Vec<&HistoryLine>, Vec<&HistoryLine>) = h
        .events
        .iter()
        .partition(|e| e.unit.is_some() && e.unit == h.next);
    if h.left_out > 0 {
        writeln!(
            out,
            "  ({} earlier events left out: `runbook status` and `runbook report` show them all)",
            h.left_out
        )?;
    }
    for e in elsewhere {
        line(e, out)?;
    }
    match &h.next {
        Some(next) if !here.is_empty() => {
            styles.say(
                out,
                format!("Continuing at {next}, which before now:"),
                Style::new().bold(),
            )?;
            for e in here {
                line(e, out)?;
            }
            Ok(())
        }
        Some(next) => writeln!(out, "Continuing at {next}."),
        None => writeln!(out, "Nothing is left to do."),
    }
}

/// A unit from its "Step N of M" line on. [`notice`] puts an empty line before it; the terminal
/// draws its progress bar in between.
pub(super) fn unit(view: &UnitView, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    let (n, count, title) = (view.step_number, view.step_count, &view.title);
    styles.say(
        out,
        format!("Step {n} of {count}: {title}"),
        Style::new().bold(),
    )?;
    if let Some((i, n, value)) = &view.item {
        writeln!(out, "item {i} of {n}: {value}")?;
    }
    let impact = match view.impact {
        Impact::Destructive => styles.paint("destructive", Style::new().red().bold()),
        other => other.name().to_owned(),
    };
    let gate = if view.gate { " · gate" } else { "" };
    writeln!(out, "{} · {impact}{gate}", view.kind)?;
    if let Some(text) = &view.instructions {
        writeln!(out)?;
        prose(text, styles, out)?;
    }
    if let Some(command) = &view.command {
        block("Run:", command, styles, out)?;
    }
    if let Some(verify) = &view.verify {
        block("Verify with:", verify, styles, out)?;
    }
    if let Some(expect) = &view.expect {
        prose(&format!("A pass looks like: {expect}"), styles, out)?;
    }
    Ok(())
}

/// What is said before `question`'s prompt: a parameter's help, why the last answer was
/// refused, a warning, the verdict. Most questions need nothing.
pub(super) fn question(
    question: &Question<'_>,
    styles: Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    match question {
        Question::Param { param, error } | Question::NewValue { param, error, .. } => {
            // Asked again after a refusal, the help is still on screen: only what was wrong.
            if let Some(help) = param.help.as_ref().filter(|_| error.is_none()) {
                for line in wrapped(help, styles) {
                    styles.say(out, line, Style::new().dim())?;
                }
            }
            refused(error.as_deref(), styles, out)
        }
        Question::Destructive(_) => styles.say(
            out,
            "This step is destructive and cannot simply be undone.",
            Style::new().red().bold(),
        ),
        Question::Capture {
            variable,
            value_type,
            example,
            error,
            ..
        } => {
            writeln!(out, "Record {variable} ({value_type}), e.g. {example}")?;
            refused(error.as_deref(), styles, out)
        }
        Question::Run { note, .. } => match note {
            Some(note) => styles.say(out, note, Style::new().yellow()),
            None => Ok(()),
        },
        Question::Verdict { verdict, .. } => {
            let (word, style) = if verdict.passed {
                ("pass", Style::new().green())
            } else {
                ("fail", Style::new().red())
            };
            styles.say(out, format!("verdict: {word} ({})", verdict.reason), style)
        }
        Question::Wait {
            interval_secs,
            poll: false,
            ..
        } => {
            let every = duration_text(*interval_secs);
            writeln!(out, "waiting; check again every {every}")
        }
        Question::Moved { by, host, path } => styles.say(
            out,
            format!(
                "This record was last written by {by} on {host} at {path}, not here: it is a \
                 copy. If that one is still in use, two people now hold one change; agree who \
                 goes on before going on (`runbook handover` passes a run on and closes the \
                 original)."
            ),
            Style::new().yellow().bold(),
        ),
        Question::CompletedBeforeCrash { view, started } => {
            writeln!(out, "The run stopped at \"{}\" ({started}).", view.title)
        }
        Question::ChangeWhich { .. } => writeln!(
            out,
            "A parameter changes while no finished step has used it; the current step is then \
             shown again with the new value."
        ),
        Question::Outcome(_)
        | Question::Begin { .. }
        | Question::ConfirmTarget { .. }
        | Question::AfterFailure { .. }
        | Question::Decision { .. }
        | Question::Approval { .. }
        | Question::Wait { .. } => Ok(()),
    }
}

/// The one line before every question about a unit, so the operator knows where they are
/// even when the step's text has scrolled away: step N of M, title, id, kind, markers, item.
pub(super) fn header(view: &UnitView, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    let head = format!("── step {} of {} · ", view.step_number, view.step_count);
    let mut marks = vec![view.kind.to_owned()];
    if view.gate {
        marks.push(styles.paint("gate", Style::new().yellow().bold()));
    }
    if view.impact == Impact::Destructive {
        marks.push(styles.paint("DESTRUCTIVE", Style::new().red().bold()));
    }
    if let Some((i, n, _)) = &view.item {
        marks.push(format!("item {i} of {n}"));
    }
    let tail = format!(" · {}", marks.join(" · "));
    // A long title gives way first: the markers matter more on a narrow terminal.
    let width = usize::from(styles.width).max(20);
    let room = width.saturating_sub(measure_text_width(&head) + measure_text_width(&tail));
    let title = format!("{} ({})", view.title, view.unit);
    let title = console::truncate_str(&title, room.max(12), "…");
    let line = format!("{head}{title}{tail}");
    writeln!(out, "{}", console::truncate_str(&line, width, "…"))
}

/// How wide prose is set: the terminal's width, but never so wide that lines are hard to read.
fn prose_width(styles: Styles) -> usize {
    usize::from(styles.width).clamp(20, 100)
}

/// `text` reflowed to the terminal. Runbook prose comes pre-wrapped (YAML block text at about
/// 90 columns), so the lines of a paragraph are joined and filled again to the width, broken
/// only between words (a word wider than the line stays whole). A list item's continuation
/// lines (indented under its text) join the item and keep its hanging indent. Any other
/// indented line is taken as verbatim (a command, an example) and left as it is.
fn wrapped(text: &str, styles: Styles) -> Vec<String> {
    /// A paragraph: its first line's indent, its continuation lines' indent, its words, and
    /// whether it is filled (prose) or kept as it is.
    struct Para {
        indent: String,
        hanging: String,
        text: String,
        fill: bool,
    }
    let mut paras: Vec<Option<Para>> = Vec::new();
    for line in text.trim_end().lines() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        if body.is_empty() {
            paras.push(None);
            continue;
        }
        let marker = list_marker(body);
        if let Some(Some(p)) = paras.last_mut()
            && p.fill
            && marker == 0
            && indent == p.hanging
        {
            p.text.push(' ');
            p.text.push_str(body);
            continue;
        }
        paras.push(Some(Para {
            indent: indent.to_owned(),
            hanging: format!("{indent}{}", " ".repeat(marker)),
            text: body.to_owned(),
            fill: indent.is_empty() || marker > 0,
        }));
    }
    let width = prose_width(styles);
    let mut lines = Vec::new();
    for p in paras {
        match p {
            None => lines.push(String::new()),
            Some(p) if !p.fill => lines.push(format!("{}{}", p.indent, p.text)),
            Some(p) => {
                let options = textwrap::Options::new(width)
                    .break_words(false)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation)
                    .initial_indent(&p.indent)
                    .subsequent_indent(&p.hanging);
                lines.extend(
                    textwrap::wrap(&p.text, options)
                        .into_iter()
                        .map(std::borrow::Cow::into_owned),
                );
            }
        }
    }
    lines
}

/// One line of ours (a plan line, a notice) filled to the terminal's width between words, its
/// continuation lines indented by `hanging` columns. Escape codes take no width.
fn filled(line: &str, hanging: usize, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    let indent = " ".repeat(hanging);
    let options = textwrap::Options::new(usize::from(styles.width).max(20))
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .subsequent_indent(&indent);
    for l in textwrap::wrap(line, options) {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

/// The width of a list item's marker (`- `, `* `, `1. `, `a) `), or 0.
fn list_marker(line: &str) -> usize {
    if line.starts_with("- ") || line.starts_with("* ") {
        return 2;
    }
    let label = line
        .find(['.', ')'])
        .filter(|&i| i > 0 && i <= 3 && line[..i].chars().all(|c| c.is_ascii_alphanumeric()));
    match label {
        Some(i) if line[i + 1..].starts_with(' ') => i + 2,
        _ => 0,
    }
}

/// Prose (instructions, what a pass looks like, the rollback's words), reflowed.
fn prose(text: &str, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    for line in wrapped(text, styles) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A unit's rollback: its words reflowed, its command as text to copy.
pub(super) fn rollback(view: &UnitView, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    styles.say(out, "Rollback:", Style::new().bold())?;
    if let Some(text) = &view.rollback {
        prose(text, styles, out)?;
    }
    if let Some(command) = &view.rollback_command {
        block("Rollback command:", command, styles, out)?;
    }
    Ok(())
}

/// Why the previous answer was refused, if it was.
fn refused(error: Option<&str>, styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    match error {
        Some(msg) => styles.say(out, format!("error: {msg}"), Style::new().red()),
        None => Ok(()),
    }
}

/// Text to copy (a command, its verification, the rollback): a heading, then the text between
/// rule lines and otherwise undecorated.
pub(super) fn block(
    heading: &str,
    text: &str,
    styles: Styles,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out)?;
    let rule = "─".repeat(usize::from(styles.width).clamp(20, 72));
    styles.say(out, heading, Style::new().bold())?;
    styles.say(out, &rule, Style::new().dim())?;
    writeln!(out, "{}", text.trim_end())?;
    styles.say(out, &rule, Style::new().dim())
}

/// An empty answer where one is needed; the prompt comes again.
pub(super) fn answer_needed(styles: Styles, out: &mut dyn Write) -> io::Result<()> {
    styles.say(out, "an answer is needed", Style::new().yellow())
}

/// What Ctrl-C outside a prompt says before the program exits.
pub(super) fn interrupted(resume_hint: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "interrupted; the state is saved")?;
    writeln!(out, "{resume_hint}")
}

#[cfg(test)]
mod tests {
    use insta::assert_snapshot;

    use super::*;
    use crate::operator::Verdict;
    use crate::param::{Scalar, Value, ValueType};
    use crate::runbook::{Choice, Param};

    fn view() -> UnitView {
        UnitView {
            unit: "remove".into(),
            step_number: 2,
            step_count: 3,
            item: None,
            title: "Remove the domain".into(),
            kind: "command",
            impact: Impact::Destructive,
            instructions: None,
            command: None,
            verify: None,
            expect: None,
            rollback: None,
            rollback_command: None,
            gate: false,
        }
    }

    /// What is said before each kind of question, one after the other under a label.
    fn said_before_each(color: bool) -> String {
        let view = view();
        let param = Param {
            name: "domain".into(),
            value_type: ValueType::Scalar(Scalar::Domain),
            required: true,
            default: None,
            example: Value::Text("contoso.com".into()),
            prompt: Some("Domain to remove".into()),
            help: Some("An accepted domain.".into()),
            pattern: None,
            max_length: None,
            secret: false,
        };
        let text = ValueType::Scalar(Scalar::String);
        let pass = Verdict {
            passed: true,
            reason: "exit status 0".into(),
        };
        let fail = Verdict {
            passed: false,
            reason: "exit status 1, expected 0".into(),
        };
        let choices = [Choice {
            id: "yes".into(),
            label: "Yes".into(),
            goto: None,
        }];
        let questions = [
            (
                "param",
                Question::Param {
                    param: &param,
                    error: Some("expected a DNS name such as `contoso.com`".into()),
                },
            ),
            ("outcome", Question::Outcome(&view)),
            (
                "after failure",
                Question::AfterFailure {
                    view: &view,
                    gate: true,
                    skip: false,
                },
            ),
            ("destructive", Question::Destructive(&view)),
            (
                "confirm target",
                Question::ConfirmTarget {
                    view: &view,
                    expected: "contoso.com",
                },
            ),
            (
                "capture",
                Question::Capture {
                    view: &view,
                    variable: "trust_name",
                    value_type: &text,
                    example: "Microsoft Federation Gateway".into(),
                    proposed: None,
                    error: Some("not a string".into()),
                },
            ),
            (
                "decision",
                Question::Decision {
                    view: &view,
                    question: "Proceed?",
                    choices: &choices,
                    guards: false,
                },
            ),
            (
                "approval",
                Question::Approval {
                    view: &view,
                    approver: "the change manager",
                },
            ),
            (
                "wait",
                Question::Wait {
                    view: &view,
                    interval_secs: 300,
                    poll: false,
                },
            ),
            (
                "wait (--exec polls)",
                Question::Wait {
                    view: &view,
                    interval_secs: 300,
                    poll: true,
                },
            ),
            (
                "run",
                Question::Run {
                    view: &view,
                    note: Some("The shell exited during the last attempt.".into()),
                },
            ),
            (
                "verdict (pass)",
                Question::Verdict {
                    view: &view,
                    verdict: &pass,
                },
            ),
            (
                "verdict (fail)",
                Question::Verdict {
                    view: &view,
                    verdict: &fail,
                },
            ),
            (
                "completed before crash",
                Question::CompletedBeforeCrash {
                    view: &view,
                    started: "alice, 2026-11-29T10:00:00Z".into(),
                },
            ),
        ];
        let styles = Styles { color, width: 40 };
        let mut out = Vec::new();
        for (kind, q) in &questions {
            writeln!(out, "[{kind}]").expect("written");
            question(q, styles, &mut out).expect("written");
        }
        String::from_utf8(out)
            .expect("UTF-8")
            .replace('\u{1b}', "␛")
    }

    #[test]
    fn what_is_said_before_each_prompt() {
        assert_snapshot!(said_before_each(false), @r#"
        [param]
        error: expected a DNS name such as `contoso.com`
        [outcome]
        [after failure]
        [destructive]
        This step is destructive and cannot simply be undone.
        [confirm target]
        [capture]
        Record trust_name (string), e.g. Microsoft Federation Gateway
        error: not a string
        [decision]
        [approval]
        [wait]
        waiting; check again every 5m
        [wait (--exec polls)]
        [run]
        The shell exited during the last attempt.
        [verdict (pass)]
        verdict: pass (exit status 0)
        [verdict (fail)]
        verdict: fail (exit status 1, expected 0)
        [completed before crash]
        The run stopped at "Remove the domain" (alice, 2026-11-29T10:00:00Z).
        "#);
    }

    #[test]
    fn what_is_said_before_each_prompt_in_colour() {
        assert_snapshot!(said_before_each(true), @r#"
        [param]
        ␛[31merror: expected a DNS name such as `contoso.com`␛[0m
        [outcome]
        [after failure]
        [destructive]
        ␛[31m␛[1mThis step is destructive and cannot simply be undone.␛[0m
        [confirm target]
        [capture]
        Record trust_name (string), e.g. Microsoft Federation Gateway
        ␛[31merror: not a string␛[0m
        [decision]
        [approval]
        [wait]
        waiting; check again every 5m
        [wait (--exec polls)]
        [run]
        ␛[33mThe shell exited during the last attempt.␛[0m
        [verdict (pass)]
        ␛[32mverdict: pass (exit status 0)␛[0m
        [verdict (fail)]
        ␛[31mverdict: fail (exit status 1, expected 0)␛[0m
        [completed before crash]
        The run stopped at "Remove the domain" (alice, 2026-11-29T10:00:00Z).
        "#);
    }

    #[test]
    fn the_interrupt_message_ends_with_the_resume_command() {
        let mut out = Vec::new();
        interrupted("resume with: runbook resume s.json", &mut out).expect("written");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            "interrupted; the state is saved\nresume with: runbook resume s.json\n"
        );
    }

    fn drawn(draw: impl FnOnce(Styles, &mut dyn Write) -> io::Result<()>, color: bool) -> String {
        drawn_at(draw, color, 40)
    }

    fn drawn_at(
        draw: impl FnOnce(Styles, &mut dyn Write) -> io::Result<()>,
        color: bool,
        width: u16,
    ) -> String {
        let mut out = Vec::new();
        draw(Styles { color, width }, &mut out).expect("written");
        String::from_utf8(out)
            .expect("UTF-8")
            .replace('\u{1b}', "␛")
    }

    #[test]
    fn the_header_names_the_step_its_markers_and_the_item_and_fits_the_width() {
        let mut item = view();
        item.item = Some((1, 2, "contoso.com".into()));
        item.title = "Remove".into();
        assert_snapshot!(drawn_at(|s, out| header(&item, s, out), false, 80), @"── step 2 of 3 · Remove (remove) · command · DESTRUCTIVE · item 1 of 2");
        let mut gate = view();
        gate.title = "Look".into();
        gate.impact = Impact::Read;
        gate.gate = true;
        assert_snapshot!(drawn_at(|s, out| header(&gate, s, out), true, 80), @"── step 2 of 3 · Look (remove) · command · ␛[33m␛[1mgate␛[0m");
        // On a narrow terminal the title gives way, the markers stay.
        let narrow = drawn_at(|s, out| header(&view(), s, out), true, 56);
        assert_snapshot!(narrow, @"── step 2 of 3 · Remove the dom… · command · ␛[31m␛[1mDESTRUCTIVE␛[0m");
    }

    #[test]
    fn prose_is_filled_to_the_width_between_words_keeping_indents_and_list_markers() {
        let text = "Remove the domain from the federation trust first,\n\
                    then check that it is gone.\n\
                    \n\
                    - a list item that is long enough\n  \
                    to need a second line, pre-wrapped by its author\n\
                    - a second item\n    \
                    Get-FederationTrust | Format-List Name, ApplicationUri, TokenIssuerUri\n\
                    https://learn.microsoft.com/en-us/exchange/a-very-long-unbreakable-address";
        let styles = Styles {
            color: false,
            width: 40,
        };
        assert_snapshot!(wrapped(text, styles).join("\n"), @"
        Remove the domain from the federation
        trust first, then check that it is gone.

        - a list item that is long enough to
          need a second line, pre-wrapped by its
          author
        - a second item
            Get-FederationTrust | Format-List Name, ApplicationUri, TokenIssuerUri
        https://learn.microsoft.com/en-us/exchange/a-very-long-unbreakable-address
        ");
        assert_eq!(list_marker("12. twelfth"), 4);
        assert_eq!(list_marker("a) first"), 3);
        assert_eq!(list_marker("Note: no list"), 0);
        assert_eq!(list_marker("e.g. not a list"), 0);
    }

    #[test]
    fn a_rollback_shows_its_words_reflowed_and_its_command_as_a_block() {
        let mut v = view();
        v.rollback = Some("Add the domain back to the federation trust.".into());
        v.rollback_command = Some("Add-FederatedDomain -DomainName 'contoso.com'".into());
        assert_snapshot!(drawn(|s, out| rollback(&v, s, out), false), @"
        Rollback:
        Add the domain back to the federation
        trust.

        Rollback command:
        ────────────────────────────────────────
        Add-FederatedDomain -DomainName 'contoso.com'
        ────────────────────────────────────────
        ");
    }

    /// Every shipped runbook's prose, at 80 and 60 columns: no filled line is wider than the
    /// terminal unless it is one word, and no word is broken (the text's words, in order, are
    /// the reflowed text's words).
    #[test]
    fn every_shipped_runbooks_prose_fits_the_width_without_breaking_a_word() {
        let mut wider = 0;
        for id in crate::loader::shipped_ids() {
            let loaded = crate::loader::load(id, &crate::templates::Templates::default())
                .expect("a shipped runbook loads");
            for step in &loaded.runbook.steps {
                let texts = [
                    step.instructions.as_deref(),
                    step.rollback
                        .as_ref()
                        .and_then(|r| r.instructions.as_deref()),
                ];
                for text in texts.into_iter().flatten() {
                    wider += text.lines().filter(|l| l.len() > 60).count();
                    for width in [80, 60] {
                        let styles = Styles {
                            color: false,
                            width,
                        };
                        let lines = wrapped(text, styles);
                        for line in &lines {
                            let verbatim = line.starts_with(char::is_whitespace)
                                && list_marker(line.trim_start()) == 0
                                && text.lines().any(|l| l == line);
                            assert!(
                                verbatim
                                    || measure_text_width(line) <= usize::from(width)
                                    || line.split_whitespace().count() == 1,
                                "{id}/{}: {line:?} is wider than {width}",
                                step.id
                            );
                        }
                        let words =
                            |t: &str| t.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
                        assert_eq!(words(&lines.join("\n")), words(text), "{id}/{}", step.id);
                    }
                }
            }
        }
        // Not vacuous: the shipped prose has lines a 60-column terminal would have to break.
        assert!(wider > 100, "{wider}");
    }
}
