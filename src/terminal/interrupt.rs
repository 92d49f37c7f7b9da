//! Ctrl-C outside a raw-mode prompt: put the terminal back, say the state is saved, print the
//! resume command and exit with [`exit::STOPPED`].
//!
//! The handler runs on its own thread, at any moment, and has to know what the terminal is doing
//! then: the prompts record it in [`PROMPT`].

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use super::tty::Tty;
use super::{keys, render};
use crate::error::exit;

/// What the terminal is doing, for the handler: a [`Prompt`] as its `u8`.
static PROMPT: AtomicU8 = AtomicU8::new(Prompt::Idle as u8);

/// What the terminal is doing when Ctrl-C comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Prompt {
    /// Nothing reads the terminal: Ctrl-C exits through the handler.
    Idle,
    /// A prompt reads in raw mode, where Ctrl-C is a key that the prompt returns as
    /// `Interrupted`, not a signal.
    Raw,
    /// A prompt returned `Interrupted` and the engine is stopping: SIGINT is ignored.
    Stopping,
}

impl Prompt {
    /// Records that the terminal is now doing this.
    pub(super) fn enter(self) {
        PROMPT.store(self as u8, Ordering::SeqCst);
    }

    fn now() -> Prompt {
        match PROMPT.load(Ordering::SeqCst) {
            1 => Prompt::Raw,
            2 => Prompt::Stopping,
            _ => Prompt::Idle,
        }
    }
}

/// Installs the Ctrl-C handler for interrupts outside a raw-mode prompt: it shows the cursor,
/// prints "interrupted; the state is saved" and `resume_hint`, and exits with
/// [`exit::STOPPED`]. The state is saved after every transition, so nothing is lost. A handler
/// already installed is kept.
pub(crate) fn install_interrupt_handler(resume_hint: String) {
    let _ = ctrlc::set_handler(move || {
        match Prompt::now() {
            Prompt::Stopping => return,
            Prompt::Raw => {
                // A Ctrl-C typed in the instant before the prompt switched to raw mode arrives
                // as a signal and the prompt keeps waiting for a key. The prompt may be ending
                // anyway (another Ctrl-C, now a key): give it a moment, then stop here.
                std::thread::sleep(Duration::from_millis(300));
                if Prompt::now() != Prompt::Raw {
                    return;
                }
                keys::restore();
            }
            Prompt::Idle => {}
        }
        let mut tty = Tty::get();
        if tty.is_term() {
            let _ = tty.show_cursor();
            let _ = tty.clear_line(); // a spinner may be on this line
        }
        let _ = render::interrupted(&resume_hint, &mut tty);
        if let Tty::Device(_) = tty {
            // stderr goes to a log too. The signal reached the pipe's reader as well (`tee` ends
            // with it), so the message may be lost there: the screen has it first.
            let _ = render::interrupted(&resume_hint, &mut std::io::stderr());
        }
        std::process::exit(exit::STOPPED);
    });
}
