//! One file per subcommand; each returns its exit code and writes only to the writers given.

pub(crate) mod export;
pub(crate) mod graph;
pub(crate) mod inspect;
pub(crate) mod new;
pub(crate) mod run;
pub(crate) mod validate;

use std::io::{self, Write};

use crate::cli::{self, Cli, Command};
use crate::error::{Error, Result, exit};
use crate::templates::Templates;
use crate::{output, report, values};

/// Writes `bytes` to stdout; a closed pipe (`runbook export | head`) is not an error.
pub(crate) fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn json_text(value: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Message(e.to_string()))
}

fn emit(bytes: &[u8]) -> Result<i32> {
    write_stdout(bytes).map_err(|e| Error::io("<stdout>", e))?;
    Ok(exit::OK)
}

/// Runs one parsed subcommand and returns its exit code.
pub(crate) fn execute(command: Command, templates: &Templates, color: Option<bool>) -> Result<i32> {
    match command {
        Command::List { format } => emit(inspect::list(format, templates)?.as_bytes()),
        Command::Show { runbook, format } => {
            emit(inspect::show(&runbook, format, templates)?.as_bytes())
        }
        Command::Schema { report: false } => emit(inspect::schema()?.as_bytes()),
        Command::Schema { report: true } => emit(report::schema()?.as_bytes()),
        Command::Graph { runbook, format } => {
            emit(graph::graph(&runbook, format, templates)?.as_bytes())
        }
        Command::New { id, dir } => {
            let written = new::new(&id, &dir)?;
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
            let (out, found) = inspect::match_text(&text, format, templates)?;
            emit(out.as_bytes())?;
            Ok(if found { exit::OK } else { exit::ERROR })
        }
        Command::Validate { runbooks } => {
            let (out, err, ok) = validate::validate(&runbooks, templates);
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
            ticket,
            transcript,
            exec,
        } => {
            let inputs = values::ValueInputs::from(values);
            let mut common = run::Common::new(operator, answers, templates, &exec, color)?;
            common.transcript = transcript;
            run::run(&runbook, &inputs, state, ticket, &common)?;
            Ok(exit::OK)
        }
        Command::Resume {
            state,
            answers,
            operator,
            use_current_runbook,
            accept_modified_runbook,
            accept_clock_skew,
            sets,
            transcript,
            exec,
        } => {
            let mut common = run::Common::new(operator, answers, templates, &exec, color)?;
            common.transcript = transcript;
            let options = crate::engine::open::ResumeOptions {
                use_current: use_current_runbook,
                accept_modified: accept_modified_runbook,
                accept_clock_skew,
            };
            run::resume(&state, &options, &sets, &common)?;
            Ok(exit::OK)
        }
        Command::Handover {
            state,
            new_path,
            to,
            operator,
        } => {
            let me = operator.unwrap_or_else(crate::platform::default_operator);
            let holder = crate::lock::Holder::me(&me);
            let resume =
                crate::engine::handover::hand_over(&state, &new_path, &to, &holder, templates)?;
            let closed = crate::platform::display_path(&state);
            emit(
                format!(
                    "handed over to {to}: the run goes on from {}\n{to} resumes it with: {resume}\n\
                     {closed} is closed; `runbook status` and `runbook report` still read it\n",
                    crate::platform::display_path(&new_path)
                )
                .as_bytes(),
            )
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
                export::run(
                    &runbook,
                    &inputs,
                    format,
                    generated_at.as_deref(),
                    templates,
                    out,
                )
            };
            if let Some(path) = output {
                output::write_file(&path, render)?;
            } else {
                let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout());
                let result = render(&mut out)
                    .and_then(|()| out.flush().map_err(|e| Error::io("<output>", e)));
                match result {
                    Err(Error::Io { source, .. })
                        if source.kind() == std::io::ErrorKind::BrokenPipe => {}
                    other => other?,
                }
            }
            Ok(exit::OK)
        }
    }
}
