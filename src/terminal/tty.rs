//! Where the prompts draw: stderr, or the terminal itself when stderr goes elsewhere.
//!
//! `runbook run ... 2>&1 | tee log` keeps a person at the keyboard (stdin is the terminal) while
//! stderr is a pipe, so the questions must still reach the screen (issue 14). They go to the
//! controlling terminal (`platform::open_terminal`: `/dev/tty`, the console's `CONOUT$`), opened
//! once for the process and shared by the prompts, the progress bar and spinner, bracketed paste
//! and the interrupt handler. What ends a run (errors, "paused ...; resume with: ...") stays on
//! stderr, so the log keeps it, and is also shown here (`tell_the_end`).

use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, OnceLock};

use console::Term;
use indicatif::{ProgressDrawTarget, TermLike};

use crate::platform;

/// The terminal the prompts draw on.
#[derive(Debug, Clone)]
pub(super) enum Tty {
    /// Standard error, a terminal or not (not: the first prompt then ends the run, as before).
    Stderr(Term),
    /// The controlling terminal, because stderr is not one.
    Device(Device),
}

impl Tty {
    /// The process's one, chosen at first use: stderr when it is a terminal, else the
    /// controlling terminal when there is one, else stderr.
    pub(super) fn get() -> &'static Tty {
        static TTY: OnceLock<Tty> = OnceLock::new();
        TTY.get_or_init(|| {
            let stderr = Term::stderr();
            if stderr.is_term() {
                return Tty::Stderr(stderr);
            }
            match platform::open_terminal() {
                Ok(file) if file.is_terminal() => Tty::Device(Device(Arc::new(file))),
                _ => Tty::Stderr(stderr),
            }
        })
    }

    /// Whether a person can see what is drawn here.
    pub(super) fn is_term(&self) -> bool {
        match self {
            Tty::Stderr(term) => term.is_term(),
            Tty::Device(_) => true,
        }
    }

    /// Rows and columns, in console's order.
    pub(super) fn size(&self) -> (u16, u16) {
        match self {
            Tty::Stderr(term) => term.size(),
            Tty::Device(device) => (device.height(), device.width()),
        }
    }

    pub(super) fn write_line(&self, line: &str) -> io::Result<()> {
        match self {
            Tty::Stderr(term) => term.write_line(line),
            Tty::Device(device) => TermLike::write_line(device, line),
        }
    }

    pub(super) fn show_cursor(&self) -> io::Result<()> {
        match self {
            Tty::Stderr(term) => term.show_cursor(),
            Tty::Device(device) => device.write_str("\x1b[?25h"),
        }
    }

    pub(super) fn clear_line(&self) -> io::Result<()> {
        match self {
            Tty::Stderr(term) => term.clear_line(),
            Tty::Device(device) => device.clear_line(),
        }
    }

    /// Where indicatif draws a bar or a spinner: here (hidden when this is no terminal).
    pub(super) fn draw_target(&self) -> ProgressDrawTarget {
        match self {
            Tty::Stderr(_) => ProgressDrawTarget::stderr(),
            // stderr()'s rate: at most 20 redraws a second.
            Tty::Device(device) => {
                ProgressDrawTarget::term_like_with_hz(Box::new(device.clone()), 20)
            }
        }
    }
}

impl Write for &Tty {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Tty::Stderr(term) => {
                let mut term: &Term = term;
                term.write(buf)
            }
            Tty::Device(device) => Write::write(&mut &*device.0, buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Tty::Stderr(term) => {
                let mut term: &Term = term;
                Write::flush(&mut term)
            }
            Tty::Device(device) => Write::flush(&mut &*device.0),
        }
    }
}

/// The controlling terminal, opened for writing. indicatif draws on it through [`TermLike`]:
/// console's `Term` cannot wrap a file on Windows.
#[derive(Debug, Clone)]
pub(super) struct Device(Arc<File>);

impl Device {
    fn send(&self, text: &str) -> io::Result<()> {
        let mut file = &*self.0;
        file.write_all(text.as_bytes())?;
        file.flush()
    }

    /// A cursor movement by `n` in the direction `code` (`A` up, `B` down, `C` right, `D` left).
    fn step(&self, n: usize, code: char) -> io::Result<()> {
        if n == 0 {
            // `ESC [ 0 A` moves by one, not zero.
            return Ok(());
        }
        self.send(&format!("\x1b[{n}{code}"))
    }
}

impl Device {
    /// Columns and rows. crossterm asks the controlling terminal itself (`/dev/tty`, `CONOUT$`);
    /// a terminal that does not say (a pty of size 0) gets console's default, as stderr would.
    fn size() -> (u16, u16) {
        crossterm::terminal::size()
            .ok()
            .filter(|&(columns, rows)| columns > 0 && rows > 0)
            .unwrap_or((79, 24))
    }
}

impl TermLike for Device {
    fn width(&self) -> u16 {
        Device::size().0
    }

    fn height(&self) -> u16 {
        Device::size().1
    }

    fn move_cursor_up(&self, n: usize) -> io::Result<()> {
        self.step(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> io::Result<()> {
        self.step(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> io::Result<()> {
        self.step(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> io::Result<()> {
        self.step(n, 'D')
    }

    fn write_line(&self, line: &str) -> io::Result<()> {
        self.send(&format!("{line}\n"))
    }

    fn write_str(&self, text: &str) -> io::Result<()> {
        self.send(text)
    }

    fn clear_line(&self) -> io::Result<()> {
        self.send("\r\x1b[2K")
    }

    fn flush(&self) -> io::Result<()> {
        (&*self.0).flush()
    }
}
