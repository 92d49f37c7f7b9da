//! `runbook`: guided, crash-safe runbooks for Exchange and AD FS federation remediation.
//!
//! The pipeline, one module per stage: [`loader`] finds and reads a runbook, [`yaml`] parses it
//! into [`raw`] types, [`validate`] turns those into a [`runbook::Runbook`], [`render`] fills its
//! templates with values checked by [`param`] (quoted by [`quote`]), and [`export`] writes the
//! reviewed script and change plan. [`run`] is the command line's entry point.

pub mod answers;
mod backup;
pub mod cli;
pub mod clock;
mod cmd;
pub mod condition;
pub mod duration;
mod embedded;
pub mod engine;
pub mod error;
pub mod export;
mod failpoint;
pub mod graph;
pub mod host;
pub mod journal;
mod lint;
pub mod loader;
pub mod lock;
pub mod matcher;
pub mod operator;
mod output;
pub mod param;
pub mod platform;
pub mod quote;
pub mod raw;
pub mod render;
pub mod report;
pub mod runbook;
pub mod scope;
pub mod session;
pub mod source;
pub mod state;
pub mod store;
pub mod suggest;
pub mod templates;
pub mod terminal;
pub mod validate;
pub mod values;
pub mod yaml;

/// For the integration tests only, not an API: what the terminal shows, rendered into a writer
/// without a terminal (`tests/integration/terminal_render.rs`).
#[doc(hidden)]
pub mod testing {
    pub use crate::terminal::render::{Styles, notice as render_notice};
}

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

pub use error::{Error, Result};

use cli::{Cli, Command};
use error::exit;
use templates::Templates;

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
    let color = cli.color.forced();
    let templates = Templates {
        dir: cli.templates.clone(),
        pinned: None,
    };
    match dispatch(cli.command, &templates, color) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "error: {e}");
            e.exit_code()
        }
    }
}

fn json_text(value: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Message(e.to_string()))
}

fn emit(bytes: &[u8]) -> Result<i32> {
    cmd::write_stdout(bytes).map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

fn dispatch(command: Command, templates: &Templates, color: Option<bool>) -> Result<i32> {
    match command {
        Command::List { format } => emit(cmd::inspect::list(format, templates)?.as_bytes()),
        Command::Show { runbook, format } => {
            emit(cmd::inspect::show(&runbook, format, templates)?.as_bytes())
        }
        Command::Schema => emit(cmd::inspect::schema()?.as_bytes()),
        Command::Graph { runbook, format } => {
            emit(cmd::graph::graph(&runbook, format, templates)?.as_bytes())
        }
        Command::New { id, dir } => {
            let written = cmd::new::new(&id, &dir)?;
            emit(written.as_bytes())
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "runbook",
                &mut out,
            );
            emit(&out)
        }
        Command::Match { text, format } => {
            let text = match text {
                Some(t) if t != "-" => t,
                _ => {
                    let mut buf = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut buf)
                        .map_err(|e| Error::io("<stdin>", e))?;
                    buf
                }
            };
            let (out, found) = cmd::inspect::match_text(&text, format, templates)?;
            emit(out.as_bytes())?;
            Ok(if found { exit::OK } else { exit::ERROR })
        }
        Command::Validate { runbooks } => {
            let (out, err, ok) = cmd::validate::validate(&runbooks, templates);
            emit(out.as_bytes())?;
            if !err.is_empty() {
                let _ = std::io::stderr().lock().write_all(err.as_bytes());
            }
            Ok(if ok { exit::OK } else { exit::ERROR })
        }
        Command::Run {
            runbook,
            values,
            state,
            operator,
            answers,
            exec,
        } => {
            let inputs = values::ValueInputs::from(values);
            let common = cmd::run::Common {
                operator,
                answers,
                templates: templates.clone(),
                exec: cmd::run::exec_options(&exec)?,
                color,
            };
            cmd::run::run(&runbook, &inputs, state, &common)?;
            Ok(exit::OK)
        }
        Command::Resume {
            state,
            answers,
            operator,
            use_current_runbook,
            accept_modified_runbook,
            accept_clock_skew,
            exec,
        } => {
            let common = cmd::run::Common {
                operator,
                answers,
                templates: templates.clone(),
                exec: cmd::run::exec_options(&exec)?,
                color,
            };
            let options = cmd::run::ResumeOptions {
                use_current: use_current_runbook,
                accept_modified: accept_modified_runbook,
                accept_clock_skew,
            };
            cmd::run::resume(&state, &options, &common)?;
            Ok(exit::OK)
        }
        Command::Status { state, format } => {
            let record = report::Record::load(&state)?;
            let text = match format {
                cli::TextFormat::Text => report::status_text(&record),
                cli::TextFormat::Json => json_text(&report::status_json(&record))?,
            };
            emit(text.as_bytes())
        }
        Command::Report {
            state,
            format,
            output,
        } => {
            let record = report::Record::load(&state)?;
            let text = match format {
                cli::ReportFormat::Markdown => report::report_markdown(&record),
                cli::ReportFormat::Json => json_text(&report::report_json(&record))?,
            };
            match output {
                Some(path) => {
                    output::write_file(&path, |w| {
                        w.write_all(text.as_bytes())
                            .map_err(|e| Error::io(&path, e))
                    })?;
                    Ok(exit::OK)
                }
                None => emit(text.as_bytes()),
            }
        }
        Command::Export {
            runbook,
            values,
            format,
            output,
            generated_at,
        } => {
            let inputs = values::ValueInputs::from(values);
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
                Some(path) => output::write_file(&path, render)?,
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
