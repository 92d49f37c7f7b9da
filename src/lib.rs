//! `runbook`: guided, crash-safe runbooks for Exchange and AD FS federation remediation.
//!
//! The pipeline, one module per stage: [`loader`] finds and reads a runbook, [`yaml`] parses it
//! into [`raw`] types, [`validate`] turns those into a [`runbook::Runbook`], [`render`] fills its
//! templates with values checked by [`param`] (quoted by [`quote`]), and [`export`] writes the
//! reviewed script and change plan. [`run`] is the command line's entry point.

pub mod cli;
mod cmd;
pub mod condition;
mod embedded;
pub mod error;
pub mod export;
pub mod loader;
pub mod param;
pub mod quote;
pub mod raw;
pub mod render;
pub mod runbook;
pub mod scope;
pub mod source;
pub mod validate;
pub mod values;
pub mod yaml;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

pub use error::{Error, Result};

use cli::{Cli, Command};
use error::exit;
use loader::Templates;

/// Runs the command line `args` and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let templates = Templates {
        dir: cli.templates.clone(),
    };
    match dispatch(cli.command, &templates) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
            e.exit_code()
        }
    }
}

fn emit(bytes: &[u8]) -> Result<i32> {
    cmd::write_stdout(bytes).map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

fn dispatch(command: Command, templates: &Templates) -> Result<i32> {
    match command {
        Command::List { format } => emit(cmd::inspect::list(format, templates)?.as_bytes()),
        Command::Show { runbook, format } => {
            emit(cmd::inspect::show(&runbook, format, templates)?.as_bytes())
        }
        Command::Schema => emit(cmd::inspect::schema()?.as_bytes()),
        Command::Validate { runbooks } => {
            let (out, err, ok) = cmd::validate::validate(&runbooks, templates);
            emit(out.as_bytes())?;
            if !err.is_empty() {
                let _ = std::io::stderr().lock().write_all(err.as_bytes());
            }
            Ok(if ok { exit::OK } else { exit::ERROR })
        }
        Command::Export {
            runbook,
            values,
            format,
            output,
            generated_at,
        } => {
            let inputs = values::ValueInputs {
                example: values.example,
                params_file: values.params,
                sets: values.sets,
            };
            let render = |out: &mut dyn Write| {
                cmd::export::run(
                    &runbook,
                    &inputs,
                    format,
                    generated_at.as_deref(),
                    templates,
                    out,
                )
            };
            match output {
                Some(path) => cmd::export::to_file(&path, render)?,
                None => {
                    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
                    let result = render(&mut out)
                        .and_then(|()| out.flush().map_err(|e| Error::io("<output>", e)));
                    match result {
                        Err(Error::Io { source, .. })
                            if source.kind() == std::io::ErrorKind::BrokenPipe => {}
                        other => other?,
                    }
                }
            }
            Ok(exit::OK)
        }
    }
}
