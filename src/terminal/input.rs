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
/// Said when Enter is pressed in a menu with nothing highlighted yet.
const NOTHING_CHOSEN: &str = "nothing is chosen yet: move to an answer with ↑ ↓, then Enter";

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
    /// The engine checks the answer (a value): it is left behind without a check mark, which
    /// the engine's [`Notice::Taken`](crate::operator::Notice::Taken) gives once it is taken.
    pub(super) checked: bool,
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
                let shown = if ask.echo { answer } else { "********" };
                if ask.checked {
                    screen.typed(ask.prompt, shown)?;
                } else {
                    screen.answered(ask.prompt, shown)?;
                }
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

/// Asks `prompt` with a menu of `items`, `default` highlighted (with none, Enter chooses
/// nothing until an item is moved to); the index chosen. Up/Down (or k/j) move, a lone Enter
/// chooses. Ctrl-C is an [`io::ErrorKind::Interrupted`] error.
pub(super) fn select<K: Keys>(
    keys: &mut Presses<K>,
    screen: &mut Screen<'_>,
    prompt: &str,
    items: &[&str],
    default: Option<usize>,
) -> io::Result<usize> {
    let last = items
        .len()
        .checked_sub(1)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "a menu without items"))?;
    let mut hint = keys.drain(Duration::ZERO)?.then_some(TYPED_AHEAD);
    let mut at = default.map(|d| d.min(last));
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
        at = Some(match (act, at) {
            (Act::Up | Act::Char('k'), Some(at)) => at.checked_sub(1).unwrap_or(last),
            (Act::Up | Act::Char('k') | Act::End, _) => last,
            (Act::Down | Act::Char('j'), Some(at)) if at < last => at + 1,
            (Act::Down | Act::Char('j') | Act::Home, _) => 0,
            (Act::Enter, Some(at)) => {
                screen.answered(prompt, items[at])?;
                return Ok(at);
            }
            (Act::Enter, None) => {
                hint = Some(NOTHING_CHOSEN);
                screen.menu(prompt, items, at, hint)?;
                continue;
            }
            _ => continue,
        });
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

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use crossterm::event::KeyEventState;

    use super::*;
    use crate::terminal::render::Styles;

    /// Scripted input. The events of a batch arrive together (a paste, keys typed ahead); each
    /// batch arrives after the one before it is read, later than any grace, sooner than a tick.
    struct Script {
        now: VecDeque<Event>,
        later: VecDeque<Vec<Event>>,
    }

    impl Script {
        /// `ahead` is there before the prompt is drawn; `later` comes batch by batch.
        fn new(ahead: Vec<Event>, later: Vec<Vec<Event>>) -> Script {
            Script {
                now: ahead.into(),
                later: later.into(),
            }
        }

        /// The next batch arrives.
        fn arrive(&mut self) -> io::Result<()> {
            let batch = self.later.pop_front().ok_or(io::ErrorKind::UnexpectedEof)?;
            self.now = batch.into();
            Ok(())
        }
    }

    impl Keys for Script {
        fn read(&mut self) -> io::Result<Event> {
            if self.now.is_empty() {
                self.arrive()?;
            }
            self.now
                .pop_front()
                .ok_or_else(|| io::ErrorKind::UnexpectedEof.into())
        }

        fn pending(&mut self, within: Duration) -> io::Result<bool> {
            if self.now.is_empty() && within > GRACE {
                self.arrive()?;
            }
            Ok(!self.now.is_empty())
        }
    }

    fn key_with(code: KeyCode, modifiers: KeyModifiers, kind: KeyEventKind) -> Event {
        Event::Key(KeyEvent {
            code,
            modifiers,
            kind,
            state: KeyEventState::NONE,
        })
    }

    fn key(code: KeyCode) -> Event {
        key_with(code, KeyModifiers::NONE, KeyEventKind::Press)
    }

    fn ctrl(c: char) -> Event {
        key_with(KeyCode::Char(c), KeyModifiers::CONTROL, KeyEventKind::Press)
    }

    fn enter_key() -> Event {
        key(KeyCode::Enter)
    }

    /// The key events of `text` as a Unix terminal sends them (`\n` as Enter).
    fn keys(text: &str) -> Vec<Event> {
        text.chars()
            .map(|c| match c {
                '\n' => enter_key(),
                c => key(KeyCode::Char(c)),
            })
            .collect()
    }

    /// `text` typed by a person: one key at a time.
    fn typed(text: &str) -> Vec<Vec<Event>> {
        keys(text).into_iter().map(|k| vec![k]).collect()
    }

    /// The events of `text` as the Windows console gives them: a press and a release per key.
    fn windows(text: &str) -> Vec<Event> {
        let mut events = Vec::new();
        for event in keys(text) {
            if let Event::Key(press) = event {
                let release = KeyEvent {
                    kind: KeyEventKind::Release,
                    ..press
                };
                events.extend([Event::Key(press), Event::Key(release)]);
            }
        }
        events
    }

    fn ask(lines: Lines) -> Ask<'static> {
        Ask {
            prompt: "Note",
            lines,
            echo: true,
            empty: false,
            proposed: None,
            checked: false,
        }
    }

    const PLAIN: Styles = Styles {
        color: false,
        width: 80,
    };

    /// Runs `prompt` on `script`; its result and what it drew.
    fn on<T>(
        script: Script,
        prompt: impl FnOnce(&mut Presses<Script>, &mut Screen<'_>) -> io::Result<T>,
    ) -> (io::Result<T>, String) {
        let mut out = Vec::new();
        let mut keys = Presses::new(script);
        let result = prompt(&mut keys, &mut Screen::new(&mut out, PLAIN));
        (result, String::from_utf8(out).expect("UTF-8"))
    }

    fn line_on(script: Script, ask: &Ask<'_>) -> (io::Result<Answer>, String) {
        on(script, |keys, screen| line(keys, screen, ask))
    }

    fn text(answer: io::Result<Answer>) -> String {
        match answer.expect("answered") {
            Answer::Text(text) => text,
            Answer::Escaped => panic!("escaped"),
        }
    }

    const ITEMS: [&str; 4] = ["passed", "failed", "skip (with a reason)", "add a note"];

    fn select_on(script: Script) -> (io::Result<usize>, String) {
        on(script, |keys, screen| {
            select(keys, screen, "What happened?", &ITEMS, Some(0))
        })
    }

    #[test]
    fn typed_text_and_a_lone_enter_answer() {
        let mut later = typed("contoso.com");
        later.push(vec![enter_key()]);
        let (answer, shown) = line_on(Script::new(vec![], later), &ask(Lines::One));
        assert_eq!(text(answer), "contoso.com");
        assert!(shown.ends_with("✔ Note · contoso.com\r\n"), "{shown:?}");
    }

    #[test]
    fn a_bracketed_paste_is_one_answer_with_its_line_breaks() {
        let later = vec![
            vec![Event::Paste(
                "Time skew check failed.\r\nAt line:1\rthrow 'x'\n".into(),
            )],
            vec![enter_key()],
        ];
        let (answer, shown) = line_on(Script::new(vec![], later), &ask(Lines::Many));
        assert_eq!(
            text(answer),
            "Time skew check failed.\nAt line:1\nthrow 'x'"
        );
        assert!(
            shown.contains("✔ Note · Time skew check failed. (+2 more lines)"),
            "{shown:?}"
        );
    }

    #[test]
    fn a_raw_paste_burst_is_one_answer_and_its_enters_are_line_breaks() {
        let later = vec![keys("one\ntwo\nthree\n"), vec![enter_key()]];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::Many));
        assert_eq!(text(answer), "one\ntwo\nthree");
    }

    #[test]
    fn a_windows_paste_burst_is_one_answer_and_key_releases_count_for_nothing() {
        // The console reports each key pressed and released; the lone Enter too.
        let later = vec![windows("one\ntwo\n"), windows("\n")];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::Many));
        assert_eq!(text(answer), "one\ntwo");
    }

    #[test]
    fn a_carriage_return_and_line_feed_in_a_burst_are_one_line_break() {
        let mut burst = keys("one\n");
        burst.push(ctrl('j'));
        burst.extend(keys("\ntwo"));
        let later = vec![burst, vec![enter_key()]];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::Many));
        assert_eq!(text(answer), "one\n\ntwo", "an empty line between, not two");
    }

    #[test]
    fn keys_typed_ahead_of_a_text_prompt_are_discarded() {
        let mut later = typed("ok");
        later.push(vec![enter_key()]);
        let (answer, shown) = line_on(Script::new(keys("oops\n"), later), &ask(Lines::One));
        assert_eq!(text(answer), "ok");
        assert!(shown.contains(TYPED_AHEAD), "{shown:?}");
    }

    #[test]
    fn an_empty_enter_answers_only_where_an_empty_answer_is_allowed() {
        let later = vec![
            vec![enter_key()],
            vec![key(KeyCode::Char('x'))],
            vec![enter_key()],
        ];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::One));
        assert_eq!(text(answer), "x");
        let allowed = Ask {
            empty: true,
            ..ask(Lines::One)
        };
        let (answer, _) = line_on(Script::new(vec![], vec![vec![enter_key()]]), &allowed);
        assert_eq!(text(answer), "");
    }

    #[test]
    fn an_empty_enter_takes_the_proposed_value() {
        let capture = Ask {
            empty: true,
            proposed: Some("Microsoft Federation Gateway"),
            ..ask(Lines::One)
        };
        let (answer, shown) = line_on(Script::new(vec![], vec![vec![enter_key()]]), &capture);
        assert_eq!(text(answer), "Microsoft Federation Gateway");
        assert!(
            shown.contains("? Note (Microsoft Federation Gateway) › "),
            "{shown:?}"
        );
    }

    #[test]
    fn a_one_line_prompt_refuses_several_lines_and_trailing_line_breaks_are_dropped() {
        let later = vec![
            vec![Event::Paste("contoso.com\nfabrikam.com".into())],
            vec![enter_key()],
            vec![ctrl('u')],
            vec![Event::Paste("contoso.com\n\n".into())],
            vec![enter_key()],
        ];
        let (answer, shown) = line_on(Script::new(vec![], later), &ask(Lines::One));
        assert_eq!(text(answer), "contoso.com");
        assert!(shown.contains(ONE_LINE), "{shown:?}");
    }

    #[test]
    fn esc_and_ctrl_d_on_an_empty_line_leave_the_prompt() {
        for leave in [key(KeyCode::Esc), ctrl('d')] {
            let (answer, shown) = line_on(Script::new(vec![], vec![vec![leave]]), &ask(Lines::One));
            assert_eq!(answer.expect("left"), Answer::Escaped);
            assert!(shown.ends_with("✘ Note\r\n"), "{shown:?}");
        }
        // With text, Ctrl-D deletes the character under the cursor, as in a shell.
        let mut later = typed("abc");
        later.extend([vec![key(KeyCode::Left)], vec![ctrl('d')], vec![enter_key()]]);
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::One));
        assert_eq!(text(answer), "ab");
    }

    #[test]
    fn the_cursor_moves_and_edits_within_the_last_line() {
        let later = vec![
            vec![Event::Paste("one\nacd".into())],
            vec![key(KeyCode::Left)],
            vec![key(KeyCode::Left)],
            vec![key(KeyCode::Char('b'))],
            vec![key(KeyCode::Home)],
            // Left stops at the start of the line; Backspace joins it to the one above.
            vec![key(KeyCode::Left)],
            vec![key(KeyCode::Backspace)],
            vec![key(KeyCode::End)],
            vec![key(KeyCode::Char('!'))],
            vec![enter_key()],
        ];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::Many));
        assert_eq!(text(answer), "oneabcd!");
    }

    #[test]
    fn altgr_characters_are_typed_and_other_control_keys_are_not() {
        let altgr = KeyModifiers::CONTROL | KeyModifiers::ALT;
        let later = vec![
            vec![key_with(KeyCode::Char('@'), altgr, KeyEventKind::Press)],
            vec![key_with(
                KeyCode::Char('x'),
                KeyModifiers::ALT,
                KeyEventKind::Press,
            )],
            vec![ctrl('w')],
            vec![key(KeyCode::Tab)],
            vec![enter_key()],
        ];
        let (answer, _) = line_on(Script::new(vec![], later), &ask(Lines::One));
        assert_eq!(text(answer), "@");
    }

    #[test]
    fn a_secret_is_not_shown() {
        let secret = Ask {
            echo: false,
            ..ask(Lines::One)
        };
        let later = vec![vec![Event::Paste("hunter2\n".into())], vec![enter_key()]];
        let (answer, shown) = line_on(Script::new(vec![], later), &secret);
        assert_eq!(text(answer), "hunter2");
        assert!(!shown.contains("hunter2"), "{shown:?}");
        assert!(shown.contains("✔ Note · ********"), "{shown:?}");
    }

    #[test]
    fn ctrl_c_interrupts_a_text_prompt_even_inside_a_burst_or_typed_ahead() {
        let scripts = [
            Script::new(vec![], vec![vec![key(KeyCode::Char('a'))], vec![ctrl('c')]]),
            Script::new(vec![], vec![vec![key(KeyCode::Char('a')), ctrl('c')]]),
            Script::new(vec![key(KeyCode::Char('a')), ctrl('c')], vec![]),
        ];
        for script in scripts {
            let (answer, _) = line_on(script, &ask(Lines::Many));
            let err = answer.expect_err("interrupted");
            assert_eq!(err.kind(), io::ErrorKind::Interrupted);
        }
    }

    #[test]
    fn a_menu_moves_with_arrows_and_vi_keys_and_chooses_with_a_lone_enter() {
        let later = vec![
            vec![key(KeyCode::Down)],
            vec![key(KeyCode::Char('j'))],
            vec![key(KeyCode::Char('k'))],
            vec![key(KeyCode::Down)],
            vec![enter_key()],
        ];
        let (chosen, shown) = select_on(Script::new(vec![], later));
        assert_eq!(chosen.expect("chosen"), 2);
        assert!(
            shown.contains("✔ What happened? · skip (with a reason)\r\n"),
            "{shown:?}"
        );
        // Up from the first item wraps to the last.
        let later = vec![vec![key(KeyCode::Up)], vec![enter_key()]];
        assert_eq!(select_on(Script::new(vec![], later)).0.expect("chosen"), 3);
    }

    #[test]
    fn keys_typed_ahead_of_a_menu_are_discarded() {
        let ahead = vec![key(KeyCode::Down), enter_key()];
        let (chosen, shown) = select_on(Script::new(ahead, vec![vec![enter_key()]]));
        assert_eq!(
            chosen.expect("chosen"),
            0,
            "the Enter typed ahead chose nothing"
        );
        assert!(shown.contains(TYPED_AHEAD), "{shown:?}");
    }

    #[test]
    fn a_paste_into_a_menu_chooses_nothing() {
        // Bracketed, a raw burst (Unix without bracketed paste) and the Windows console's.
        for paste in [
            vec![Event::Paste("kkk\n".into())],
            keys("throw 'Time skew check failed.'\n"),
            windows("jj\n"),
        ] {
            let (chosen, shown) = select_on(Script::new(vec![], vec![paste, vec![enter_key()]]));
            assert_eq!(chosen.expect("chosen"), 0, "{shown:?}");
            assert!(shown.contains(PASTE_IN_MENU), "{shown:?}");
        }
    }

    #[test]
    fn an_enter_followed_at_once_by_more_input_chooses_nothing() {
        let later = vec![keys("\njj"), vec![key(KeyCode::Down)], vec![enter_key()]];
        let (chosen, _) = select_on(Script::new(vec![], later));
        assert_eq!(chosen.expect("chosen"), 1);
    }

    #[test]
    fn ctrl_c_interrupts_a_menu_even_inside_a_burst() {
        for later in [
            vec![vec![ctrl('c')]],
            vec![keys("jj"), vec![ctrl('c')]],
            vec![vec![key(KeyCode::Char('j')), ctrl('c')]],
        ] {
            let (chosen, _) = select_on(Script::new(vec![], later));
            assert_eq!(
                chosen.expect_err("interrupted").kind(),
                io::ErrorKind::Interrupted
            );
        }
    }

    #[test]
    fn the_countdown_waits_for_a_lone_enter_and_ticks_meanwhile() {
        let mut ticks = 0;
        let later = vec![
            windows("x"),
            keys("pasted\nlines\n"),
            vec![Event::Paste("\n".into())],
            windows("\n"),
        ];
        let mut presses = Presses::new(Script::new(keys("\n"), later));
        enter(&mut presses, Duration::from_millis(250), || ticks += 1).expect("Enter");
        assert_eq!(ticks, 4, "one for each batch that arrived");
        let later = vec![keys("ab"), vec![ctrl('c')]];
        let mut presses = Presses::new(Script::new(vec![], later));
        let err = enter(&mut presses, Duration::from_millis(250), || {}).expect_err("Ctrl-C");
        assert_eq!(err.kind(), io::ErrorKind::Interrupted);
    }
}
