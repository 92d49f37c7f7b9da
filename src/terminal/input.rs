//! What keys and pastes mean to a prompt: the line editor, the menu and the countdown's Enter,
//! over any source of events ([`Keys`]), so the rules are tested with scripted input.
//!
//! A person types one key at a time; a paste arrives at once, as one [`Event::Paste`] from a
//! terminal with bracketed paste, or as a burst of keys from one without it (the Windows
//! console). A paste or keys typed ahead must never answer a question on their own, so:
//!
//! 1. What arrived before a prompt is drawn is discarded.
//! 2. A text prompt takes a paste whole, line breaks included; a menu ignores it.
//! 3. An Enter submits only when it comes alone: one that came together with other input is a
//!    line break of the text, and in a menu a burst is discarded whole.
//! 4. An answer's trailing line breaks are dropped; a one-line prompt refuses more lines.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::screen::Screen;

/// A source of terminal events.
pub(super) trait Keys {
    /// The next event, waiting for it.
    fn read(&mut self) -> io::Result<Event>;
    /// Whether an event is there to read now or arrives `within`.
    fn pending(&mut self, within: Duration) -> io::Result<bool>;
}

/// How long nothing may follow an Enter for it to count as pressed on its own. A paste arrives
/// within microseconds, even split over several reads; a person's next key comes far later.
const GRACE: Duration = Duration::from_millis(25);

/// What [`line`] says when an answer has line breaks where one line is needed.
const ONE_LINE: &str = "one line is needed here: Backspace joins the lines, Ctrl-U clears them";

/// What a prompt says when it discarded what was typed or pasted before it was drawn.
const TYPED_AHEAD: &str = "ignored what came before the question";

/// What a menu says when it discarded a paste (or keys that came as fast as one).
const PASTE_IN_MENU: &str = "ignored a paste: a menu is answered with ↑ ↓ and Enter";

/// A key press or a paste: what the prompts act on.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Press {
    Key(KeyCode, KeyModifiers),
    Paste(String),
}

/// The presses from a [`Keys`], each with whether it came together with other input.
///
/// Events that press nothing are dropped on the way: key releases (the Windows console reports
/// each key twice), focus, mouse and resize events.
pub(super) struct Presses<K> {
    keys: K,
    /// A press read to learn that one is pending, not yet handed out.
    ahead: Option<Press>,
    /// Whether another press was already there when the last one was handed out.
    more: bool,
}

impl<K: Keys> Presses<K> {
    pub(super) fn new(keys: K) -> Presses<K> {
        Presses {
            keys,
            ahead: None,
            more: false,
        }
    }

    /// Discards what arrives until nothing has come for `quiet`; whether a press was among it.
    /// A Ctrl-C is not discarded: it is an [`io::ErrorKind::Interrupted`] error.
    fn drain(&mut self, quiet: Duration) -> io::Result<bool> {
        let mut pressed = self.ahead.take();
        let mut any = pressed.is_some();
        loop {
            if let Some(Press::Key(code, modifiers)) = pressed
                && act(code, modifiers) == Act::Interrupt
            {
                return Err(interrupted());
            }
            if !self.keys.pending(quiet)? {
                break;
            }
            pressed = press(self.keys.read()?);
            any |= pressed.is_some();
        }
        self.more = false;
        Ok(any)
    }

    /// Whether a press is there now or arrives `within`.
    fn pending(&mut self, within: Duration) -> io::Result<bool> {
        let end = Instant::now() + within;
        while self.ahead.is_none() {
            if !self
                .keys
                .pending(end.saturating_duration_since(Instant::now()))?
            {
                return Ok(false);
            }
            self.ahead = press(self.keys.read()?);
        }
        Ok(true)
    }

    /// The next press, waiting for it, and whether it came in a burst: together with the press
    /// before it or the one after it.
    fn next(&mut self) -> io::Result<(Press, bool)> {
        let press = loop {
            if let Some(press) = self.ahead.take() {
                break press;
            }
            if let Some(press) = press(self.keys.read()?) {
                break press;
            }
        };
        let with_previous = self.more;
        self.more = self.pending(Duration::ZERO)?;
        Ok((press, with_previous || self.more))
    }
}

/// The press in `event`, if it is one.
fn press(event: Event) -> Option<Press> {
    match event {
        Event::Key(KeyEvent {
            kind: KeyEventKind::Release,
            ..
        }) => None,
        Event::Key(key) => Some(Press::Key(key.code, key.modifiers)),
        Event::Paste(text) => Some(Press::Paste(text)),
        _ => None,
    }
}

/// What a key does in a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    Char(char),
    /// Enter, or a carriage return.
    Enter,
    /// A line feed (Ctrl-J): a line break like Enter, except right after one from a carriage
    /// return in the same burst, where it is the second half of a CR LF.
    LineFeed,
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Up,
    Down,
    /// Ctrl-U: the whole answer goes.
    Clear,
    /// Ctrl-D.
    EndOfInput,
    Esc,
    /// Ctrl-C.
    Interrupt,
    Nothing,
}

fn act(code: KeyCode, modifiers: KeyModifiers) -> Act {
    let control = modifiers.contains(KeyModifiers::CONTROL);
    let alt = modifiers.contains(KeyModifiers::ALT);
    match code {
        // AltGr comes as Ctrl+Alt on Windows: with both, it is a character.
        KeyCode::Char(c) if control && !alt => match c.to_ascii_lowercase() {
            'c' => Act::Interrupt,
            'd' => Act::EndOfInput,
            'u' => Act::Clear,
            'j' => Act::LineFeed,
            'm' => Act::Enter,
            'h' => Act::Backspace,
            'a' => Act::Home,
            'e' => Act::End,
            _ => Act::Nothing,
        },
        KeyCode::Char('\r') | KeyCode::Enter => Act::Enter,
        KeyCode::Char('\n') => Act::LineFeed,
        KeyCode::Char(_) if alt && !control => Act::Nothing,
        KeyCode::Char(c) if !c.is_control() => Act::Char(c),
        KeyCode::Backspace => Act::Backspace,
        KeyCode::Delete => Act::Delete,
        KeyCode::Left => Act::Left,
        KeyCode::Right => Act::Right,
        KeyCode::Home => Act::Home,
        KeyCode::End => Act::End,
        KeyCode::Up => Act::Up,
        KeyCode::Down => Act::Down,
        KeyCode::Esc => Act::Esc,
        _ => Act::Nothing,
    }
}

fn interrupted() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "Ctrl-C")
}

/// How many lines a text prompt takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lines {
    /// A value, a name, a typed confirmation.
    One,
    /// A reason or a note: a pasted error message fits whole.
    Many,
}

/// A text prompt.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ask<'a> {
    pub(super) prompt: &'a str,
    pub(super) lines: Lines,
    /// False for secrets: nothing of the answer is shown.
    pub(super) echo: bool,
    /// Whether an empty Enter answers (with nothing, or with `proposed`).
    pub(super) empty: bool,
    /// What an empty Enter takes, shown with the prompt.
    pub(super) proposed: Option<&'a str>,
}

/// How a text prompt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Answer {
    Text(String),
    /// Esc, or Ctrl-D on an empty line: the operator left the prompt without answering.
    Escaped,
}

/// The answer being typed: the text and the cursor in it, always on its last line (earlier
/// lines are changed by deleting back into them, or cleared with Ctrl-U).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Edit {
    pub(super) text: String,
    /// A byte offset into `text`; no line break follows it.
    pub(super) cursor: usize,
}

impl Edit {
    fn insert(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    fn backspace(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    /// Where the cursor's line starts.
    pub(super) fn line_start(&self) -> usize {
        self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1)
    }

    fn left(&mut self) {
        if self.cursor > self.line_start()
            && let Some(c) = self.text[..self.cursor].chars().next_back()
        {
            self.cursor -= c.len_utf8();
        }
    }

    fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    /// The answer: the text without its trailing line breaks.
    fn answer(&self) -> &str {
        self.text.trim_end_matches('\n')
    }
}

/// A paste as answer text: line breaks as `\n` whatever the clipboard had, a tab as a space,
/// other control characters dropped (they would move the cursor when the answer is shown).
fn pasted(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Asks `ask` and reads the answer: typed text, pastes with their line breaks, and a lone Enter
/// to submit. Ctrl-C is an [`io::ErrorKind::Interrupted`] error.
pub(super) fn line<K: Keys>(
    keys: &mut Presses<K>,
    screen: &mut Screen<'_>,
    ask: &Ask<'_>,
) -> io::Result<Answer> {
    let mut hint = keys.drain(Duration::ZERO)?.then_some(TYPED_AHEAD);
    let mut edit = Edit::default();
    // The last press was a line break from a carriage return inside a burst.
    let mut after_cr = false;
    screen.text_prompt(ask, &edit, hint)?;
    loop {
        let (press, burst) = keys.next()?;
        let was_after_cr = std::mem::take(&mut after_cr);
        // Whatever is pressed next, the refusal shown has been read.
        hint = None;
        let act = match press {
            Press::Paste(text) => {
                edit.insert(&pasted(&text));
                Act::Nothing
            }
            Press::Key(code, modifiers) => act(code, modifiers),
        };
        match act {
            Act::Interrupt => return Err(interrupted()),
            Act::LineFeed if burst && was_after_cr => {}
            Act::Enter | Act::LineFeed if burst || keys.pending(GRACE)? => {
                edit.insert("\n");
                after_cr = act == Act::Enter;
            }
            Act::Enter | Act::LineFeed => {
                let answer = edit.answer();
                let answer = match ask.proposed {
                    Some(proposed) if answer.is_empty() => proposed,
                    _ => answer,
                };
                if answer.is_empty() && !ask.empty {
                    continue;
                }
                if ask.lines == Lines::One && answer.contains('\n') {
                    hint = Some(ONE_LINE);
                    screen.text_prompt(ask, &edit, hint)?;
                    continue;
                }
                screen.answered(ask.prompt, if ask.echo { answer } else { "********" })?;
                return Ok(Answer::Text(answer.to_owned()));
            }
            Act::Esc => {
                screen.left(ask.prompt)?;
                return Ok(Answer::Escaped);
            }
            Act::EndOfInput if edit.text.is_empty() => {
                screen.left(ask.prompt)?;
                return Ok(Answer::Escaped);
            }
            Act::EndOfInput | Act::Delete => edit.delete(),
            Act::Char(c) => edit.insert(c.encode_utf8(&mut [0; 4])),
            Act::Backspace => edit.backspace(),
            Act::Left => edit.left(),
            Act::Right => edit.right(),
            Act::Home => edit.cursor = edit.line_start(),
            Act::End => edit.cursor = edit.text.len(),
            Act::Clear => edit = Edit::default(),
            Act::Up | Act::Down | Act::Nothing => {}
        }
        // Drawn once a burst is read, not for each of its keys.
        if !keys.more {
            screen.text_prompt(ask, &edit, hint)?;
        }
    }
}

/// Asks `prompt` with a menu of `items`, `default` highlighted; the index chosen. Up/Down (or
/// k/j) move, a lone Enter chooses. Ctrl-C is an [`io::ErrorKind::Interrupted`] error.
pub(super) fn select<K: Keys>(
    keys: &mut Presses<K>,
    screen: &mut Screen<'_>,
    prompt: &str,
    items: &[&str],
    default: usize,
) -> io::Result<usize> {
    let last = items
        .len()
        .checked_sub(1)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a menu without items"))?;
    let mut hint = keys.drain(Duration::ZERO)?.then_some(TYPED_AHEAD);
    let mut at = default.min(last);
    screen.menu(prompt, items, at, hint)?;
    loop {
        let (press, burst) = keys.next()?;
        let act = match press {
            Press::Key(code, modifiers) => act(code, modifiers),
            Press::Paste(_) => Act::Nothing,
        };
        if act == Act::Interrupt {
            return Err(interrupted());
        }
        let pasted = matches!(press, Press::Paste(_))
            || burst
            || (act == Act::Enter && keys.pending(GRACE)?);
        if pasted {
            keys.drain(GRACE)?;
            hint = Some(PASTE_IN_MENU);
            screen.menu(prompt, items, at, hint)?;
            continue;
        }
        at = match act {
            Act::Up | Act::Char('k') => at.checked_sub(1).unwrap_or(last),
            Act::Down | Act::Char('j') => {
                if at == last {
                    0
                } else {
                    at + 1
                }
            }
            Act::Home => 0,
            Act::End => last,
            Act::Enter => {
                screen.answered(prompt, items[at])?;
                return Ok(at);
            }
            _ => continue,
        };
        hint = None;
        screen.menu(prompt, items, at, hint)?;
    }
}

/// Waits for a lone Enter, calling `tick` at least every `every` meanwhile. Ctrl-C is an
/// [`io::ErrorKind::Interrupted`] error.
pub(super) fn enter<K: Keys>(
    keys: &mut Presses<K>,
    every: Duration,
    mut tick: impl FnMut(),
) -> io::Result<()> {
    keys.drain(Duration::ZERO)?;
    loop {
        tick();
        if !keys.pending(every)? {
            continue;
        }
        let (press, burst) = keys.next()?;
        let Press::Key(code, modifiers) = press else {
            continue;
        };
        match act(code, modifiers) {
            Act::Interrupt => return Err(interrupted()),
            Act::Enter if !burst && !keys.pending(GRACE)? => return Ok(()),
            _ if burst || keys.ahead.is_some() => {
                keys.drain(GRACE)?;
            }
            _ => {}
        }
    }
}
