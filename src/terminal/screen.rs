//! Drawing a prompt in place: a text prompt or a menu is drawn again after each key over the
//! rows it took, and left behind as one `✔ prompt · answer` line once answered.
//!
//! Frames are written into an injected [`Write`]: the operator's terminal (stderr, or the
//! terminal itself when stderr is piped), or a `Vec<u8>` in tests. Lines end in `\r\n`
//! because the terminal is in raw mode while a prompt reads.

use std::fmt::Write as _;
use std::io::{self, Write};

use console::{Style, measure_text_width};

use super::input::{Ask, Edit};
use super::render::Styles;

/// How many lines of a long answer are shown while it is typed: the first, a count of those
/// left out, and the last ones (the cursor is on the last line).
const SHOWN_LINES: usize = 8;

/// Where the cursor goes once a frame is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cursor {
    /// On a line, at a column (in display width): where the answer is typed.
    At(usize, usize),
    /// Hidden: a menu.
    Hidden,
    /// Left after the frame's last character.
    End,
}

/// A prompt's frame on the terminal.
pub(super) struct Screen<'a> {
    out: &'a mut dyn Write,
    styles: Styles,
    /// Rows from the top of the frame down to the cursor's row.
    up: usize,
    /// Whether the cursor is hidden (in a menu).
    hidden: bool,
}

impl<'a> Screen<'a> {
    /// A screen whose first frame starts at the beginning of the current line.
    pub(super) fn new(out: &'a mut dyn Write, styles: Styles) -> Screen<'a> {
        Screen {
            out,
            styles,
            up: 0,
            hidden: false,
        }
    }

    fn paint(&self, text: &str, style: Style) -> String {
        self.styles.paint(text, style)
    }

    /// `? prompt ›`, with what an empty Enter takes.
    fn head(&self, prompt: &str, proposed: Option<&str>) -> String {
        let mut head = format!(
            "{} {}",
            self.paint("?", Style::new().yellow().bold()),
            self.paint(prompt, Style::new().bold())
        );
        if let Some(proposed) = proposed {
            let _ = write!(head, " ({proposed})");
        }
        head + " " + &self.paint("›", Style::new().dim()) + " "
    }

    /// A text prompt with `edit` typed so far and a refusal below it, if there is one.
    pub(super) fn text_prompt(
        &mut self,
        ask: &Ask<'_>,
        edit: &Edit,
        hint: Option<&str>,
    ) -> io::Result<()> {
        let head = self.head(ask.prompt, ask.proposed);
        let mut column = measure_text_width(&head);
        let mut lines = vec![head];
        if ask.echo {
            // The first line after the prompt, the others below it; of a long answer, the first
            // and the last ones (the cursor is on the last).
            let mut typed = edit.text.split('\n');
            lines[0].push_str(typed.next().unwrap_or_default());
            let rest: Vec<&str> = typed.collect();
            let left_out = if rest.len() < SHOWN_LINES {
                0
            } else {
                rest.len() + 2 - SHOWN_LINES
            };
            if left_out > 0 {
                let more = format!("… {left_out} more lines");
                lines.push(format!("  {}", self.paint(&more, Style::new().dim())));
            }
            lines.extend(rest[left_out..].iter().map(|line| format!("  {line}")));
            if edit.line_start() > 0 {
                column = 2;
            }
            column += measure_text_width(&edit.text[edit.line_start()..edit.cursor]);
        }
        let cursor = Cursor::At(lines.len() - 1, column);
        if let Some(hint) = hint {
            lines.push(format!("  {}", self.paint(hint, Style::new().yellow())));
        }
        self.frame(&lines, cursor)
    }

    /// A menu with `items[at]` highlighted (or none), and a note below it if there is one.
    pub(super) fn menu(
        &mut self,
        prompt: &str,
        items: &[&str],
        at: Option<usize>,
        hint: Option<&str>,
    ) -> io::Result<()> {
        let mut lines = vec![self.head(prompt, None).trim_end().to_owned()];
        for (i, item) in items.iter().enumerate() {
            lines.push(if Some(i) == at {
                format!(
                    "{} {}",
                    self.paint("❯", Style::new().green()),
                    self.paint(item, Style::new().cyan())
                )
            } else {
                format!("  {item}")
            });
        }
        if let Some(hint) = hint {
            lines.push(format!("  {}", self.paint(hint, Style::new().yellow())));
        }
        self.frame(&lines, Cursor::Hidden)
    }

    /// A value typed, before the engine has checked it: `› prompt · answer`, plain.
    pub(super) fn typed(&mut self, prompt: &str, answer: &str) -> io::Result<()> {
        let line = format!(
            "{} {prompt} {} {answer}",
            self.paint("›", Style::new().dim()),
            self.paint("·", Style::new().dim()),
        );
        self.close(line.trim_end())
    }

    /// The prompt answered: `✔ prompt · answer`, with the first line of a longer answer and how
    /// many more it has.
    pub(super) fn answered(&mut self, prompt: &str, answer: &str) -> io::Result<()> {
        let mut lines = answer.lines();
        let first = lines.next().unwrap_or_default();
        let mut shown = self.paint(first, Style::new().green());
        match lines.count() {
            0 => {}
            1 => shown.push_str(&self.paint(" (+1 more line)", Style::new().dim())),
            n => shown.push_str(&self.paint(&format!(" (+{n} more lines)"), Style::new().dim())),
        }
        let line = format!(
            "{} {} {} {shown}",
            self.paint("✔", Style::new().green()),
            self.paint(prompt, Style::new().bold()),
            self.paint("·", Style::new().dim()),
        );
        self.close(line.trim_end())
    }

    /// The prompt left without an answer (Esc): `✘ prompt`.
    pub(super) fn left(&mut self, prompt: &str) -> io::Result<()> {
        let line = format!(
            "{} {}",
            self.paint("✘", Style::new().red()),
            self.paint(prompt, Style::new().bold())
        );
        self.close(&line)
    }

    /// Draws `line` over the frame and moves below it, the cursor shown.
    fn close(&mut self, line: &str) -> io::Result<()> {
        self.frame(&[line.to_owned()], Cursor::End)?;
        self.out.write_all(b"\r\n")?;
        if self.hidden {
            self.out.write_all(b"\x1b[?25h")?;
            self.hidden = false;
        }
        self.up = 0;
        self.out.flush()
    }

    /// Draws `lines` over the last frame, in one write, and puts the cursor where it goes.
    fn frame(&mut self, lines: &[String], cursor: Cursor) -> io::Result<()> {
        let width = usize::from(self.styles.width).max(1);
        // The rows a line takes on the terminal, wrapped at its width.
        let rows = |line: &String| measure_text_width(line).max(1).div_ceil(width);
        let above = |i: usize| lines[..i].iter().map(rows).sum::<usize>();
        let mut text = String::new();
        if self.up > 0 {
            let _ = write!(text, "\x1b[{}A", self.up);
        }
        text.push_str("\r\x1b[J");
        text.push_str(&lines.join("\r\n"));
        let last = lines.len().saturating_sub(1);
        let end = above(last) + rows(&lines[last]) - 1;
        self.up = end;
        match cursor {
            Cursor::At(line, column) => {
                let row = above(line) + column / width;
                // At the frame's end the cursor is where it goes already; moving it there would
                // go a row too low where the last line fills its last row.
                if row <= end && (line, column) != (last, measure_text_width(&lines[last])) {
                    if row < end {
                        let _ = write!(text, "\x1b[{}A", end - row);
                    }
                    text.push('\r');
                    if column % width > 0 {
                        let _ = write!(text, "\x1b[{}C", column % width);
                    }
                    self.up = row;
                }
                if self.hidden {
                    text.push_str("\x1b[?25h");
                    self.hidden = false;
                }
            }
            Cursor::Hidden if !self.hidden => {
                text.push_str("\x1b[?25l");
                self.hidden = true;
            }
            Cursor::Hidden | Cursor::End => {}
        }
        self.out.write_all(text.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::input::Lines;

    fn note() -> Ask<'static> {
        Ask {
            prompt: "Note",
            lines: Lines::Many,
            echo: true,
            empty: false,
            proposed: None,
            checked: false,
        }
    }

    fn typed(text: &str) -> Edit {
        Edit {
            text: text.to_owned(),
            cursor: text.len(),
        }
    }

    /// What `draw` writes on a screen `width` columns wide, in colour or not.
    fn drawn(color: bool, width: u16, draw: impl FnOnce(&mut Screen<'_>)) -> String {
        let mut out = Vec::new();
        draw(&mut Screen::new(&mut out, Styles { color, width }));
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn a_frame_is_drawn_again_from_its_first_row_where_the_answer_wrapped() {
        let shown = drawn(false, 20, |screen| {
            // "? Note › " and 30 characters: two rows of 20 columns.
            let edit = typed(&"x".repeat(30));
            screen.text_prompt(&note(), &edit, None).expect("drawn");
            screen.text_prompt(&note(), &edit, None).expect("drawn");
        });
        let frames: Vec<&str> = shown.split("\r\x1b[J").collect();
        assert_eq!(frames[0], "", "the first frame starts where the cursor is");
        assert!(frames[1].ends_with("\x1b[1A"), "back up one row: {shown:?}");
    }

    #[test]
    fn the_cursor_is_put_back_inside_the_answer() {
        let edit = Edit {
            text: "abcd".into(),
            cursor: 1,
        };
        let shown = drawn(false, 80, |screen| {
            screen
                .text_prompt(&note(), &edit, Some("a hint"))
                .expect("drawn");
        });
        // Up from the hint's row to the answer's, then to column 10: "? Note › a".
        assert!(
            shown.ends_with("? Note › abcd\r\n  a hint\x1b[1A\r\x1b[10C"),
            "{shown:?}"
        );
    }

    #[test]
    fn a_long_answer_shows_its_first_and_last_lines_while_typed() {
        let text: Vec<String> = (1..=20).map(|i| format!("line {i}")).collect();
        let shown = drawn(false, 80, |screen| {
            let edit = typed(&text.join("\n"));
            screen.text_prompt(&note(), &edit, None).expect("drawn");
        });
        let expected = "? Note › line 1\r\n  … 13 more lines\r\n  line 15\r\n  line 16\r\n  \
                        line 17\r\n  line 18\r\n  line 19\r\n  line 20";
        assert!(shown.ends_with(expected), "{shown:?}");
    }

    #[test]
    fn an_answer_of_several_lines_is_left_as_its_first_line_and_a_count() {
        let shown = drawn(false, 80, |screen| {
            screen.answered("Note", "one\ntwo\nthree").expect("drawn");
            screen.answered("Note", "one\ntwo").expect("drawn");
        });
        assert!(
            shown.contains("✔ Note · one (+2 more lines)\r\n"),
            "{shown:?}"
        );
        assert!(
            shown.contains("✔ Note · one (+1 more line)\r\n"),
            "{shown:?}"
        );
    }

    #[test]
    fn colour_only_when_asked_for() {
        let draw = |screen: &mut Screen<'_>| {
            screen
                .menu(
                    "What happened?",
                    &["done", "failed"],
                    Some(1),
                    Some("a hint"),
                )
                .expect("drawn");
            screen.answered("What happened?", "failed").expect("drawn");
        };
        let plain = drawn(false, 80, draw);
        for sgr in ["\x1b[1m", "\x1b[2m", "\x1b[32m", "\x1b[33m", "\x1b[36m"] {
            assert!(!plain.contains(sgr), "{sgr:?} in {plain:?}");
        }
        let colour = drawn(true, 80, draw);
        for sgr in ["\x1b[1m", "\x1b[2m", "\x1b[32m", "\x1b[33m", "\x1b[36m"] {
            assert!(colour.contains(sgr), "{sgr:?} not in {colour:?}");
        }
    }
}
