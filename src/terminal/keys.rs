//! The real terminal as a source of [`Keys`]: crossterm's events, in raw mode and with bracketed
//! paste on for as long as a prompt reads.

use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::{QueueableCommand, terminal};

use super::input::Keys;
use super::tty::Tty;
use crate::platform;

/// The terminal's keyboard while a prompt reads it. Raw mode: keys come one by one, unechoed,
/// with Ctrl-C as a key rather than a signal. Where terminals have bracketed paste, it is asked
/// for, so a paste comes as one event. Both are undone when this is dropped.
pub(super) struct Terminal(());

impl Terminal {
    pub(super) fn open() -> io::Result<Terminal> {
        terminal::enable_raw_mode()?;
        if platform::BRACKETED_PASTE {
            // Asked of the terminal the prompts draw on: into a piped stderr it would be lost.
            let mut out = Tty::get();
            out.queue(EnableBracketedPaste)?;
            out.flush()?;
        }
        Ok(Terminal(()))
    }
}

impl Keys for Terminal {
    fn read(&mut self) -> io::Result<Event> {
        event::read()
    }

    fn pending(&mut self, within: Duration) -> io::Result<bool> {
        event::poll(within)
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        restore();
    }
}

/// Bracketed paste off and raw mode off; nothing happens where they are off already. For
/// [`Terminal`]'s drop and for the interrupt handler, which may exit while a prompt reads.
pub(super) fn restore() {
    if platform::BRACKETED_PASTE {
        let mut out = Tty::get();
        let _ = out.queue(DisableBracketedPaste).and_then(Write::flush);
    }
    let _ = terminal::disable_raw_mode();
}
