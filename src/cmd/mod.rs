//! One file per subcommand; each returns its exit code and writes only to the writers given.

pub mod export;
pub mod graph;
pub mod inspect;
pub mod new;
pub mod run;
pub mod validate;

use std::io::{self, Write};

/// Writes `bytes` to stdout; a closed pipe (`runbook export | head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
