//! `runbook run` and `runbook resume`: read the command line's options (values, answers file,
//! `--exec`), pick the operator, and hand over to `Engine::start` / `Engine::resume`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::answers::{AnswersFile, Chain, ScriptedOperator};
use crate::engine::open::{self, ResumeOptions};
use crate::engine::start::Launch;
use crate::engine::{Engine, Exec};
use crate::error::{Error, Result};
use crate::host::{Dialect, HostConfig};
use crate::loader;
use crate::lock::Holder;
use crate::operator::Operator;
use crate::platform;
use crate::runbook::Runbook;
use crate::scope::Values;
use crate::state;
use crate::templates::Templates;
use crate::terminal::{self, TerminalOperator, Transcript};
use crate::values::{self, ValueInputs};

/// Options shared by `run` and `resume`.
pub(crate) struct Common {
    /// `--operator`, else the OS user.
    pub operator: Option<String>,
    /// `--answers FILE`.
    pub answers: Option<PathBuf>,
    /// Templates lookup (`--templates`).
    pub templates: Templates,
    /// `--exec`: the shell and whether read-only steps run without asking.
    pub exec: Option<ExecOptions>,
    /// `--color`: `Some` forces colour on or off, `None` leaves it to the terminal.
    pub color: Option<bool>,
    /// `--transcript FILE`.
    pub transcript: Option<PathBuf>,
}

impl Common {
    /// The options `run` and `resume` share, checked.
    pub(crate) fn new(
        operator: Option<String>,
        answers: Option<PathBuf>,
        templates: &Templates,
        exec: &crate::cli::ExecArgs,
        color: Option<bool>,
    ) -> Result<Common> {
        Ok(Common {
            operator,
            answers,
            templates: templates.clone(),
            exec: exec_options(exec)?,
            color,
            transcript: None,
        })
    }
}

/// What `--exec` was asked for; the runbook adds its preamble unless `--preamble` replaces it.
#[derive(Debug, Clone)]
pub(crate) struct ExecOptions {
    shell: Vec<String>,
    dialect: Dialect,
    auto_read: bool,
    preamble: Option<PreambleFile>,
}

/// `--preamble FILE`, read once when the run starts.
#[derive(Debug, Clone)]
struct PreambleFile {
    /// As the operator gave it.
    path: String,
    text: String,
    sha256: String,
}

impl ExecOptions {
    /// The shell for a run of `rb`, described for the operator and the record: which shell runs
    /// the commands and which preamble it runs first.
    fn start(self, rb: &Runbook) -> Exec {
        let shell = format!(
            "shell `{}` ({} dialect)",
            self.shell.join(" "),
            match self.dialect {
                Dialect::Powershell => "powershell",
                Dialect::Posix => "posix",
            }
        );
        let (summary, text) = match (&self.preamble, &rb.preamble) {
            (Some(file), theirs) => (
                format!(
                    "preamble from --preamble `{}` (sha256 {}){}",
                    file.path,
                    file.sha256,
                    if theirs.is_some() {
                        ", instead of the runbook's"
                    } else {
                        ""
                    }
                ),
                Some(file.text.as_str()),
            ),
            (None, Some(text)) => ("the runbook's preamble".to_owned(), Some(text.as_str())),
            (None, None) => ("no preamble".to_owned(), None),
        };
        let detail = match text {
            Some(t) => format!("{shell}; {summary}:\n{}", t.trim_end()),
            None => format!("{shell}; {summary}"),
        };
        let summary = format!("{shell}; {summary}");
        let preamble = match self.preamble {
            Some(file) => Some(file.text),
            None => rb.preamble.clone(),
        };
        let config = HostConfig {
            command: self.shell,
            dialect: self.dialect,
            preamble,
        };
        Exec::new(config, self.auto_read, summary, detail)
    }
}

fn read_preamble(path: &Path) -> Result<PreambleFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Message(format!(
            "--preamble {}: not UTF-8 text (save it as UTF-8)",
            platform::display_path(path)
        ))
    })?;
    // Notepad and PowerShell 5.1's `Out-File -Encoding utf8` write a byte order mark.
    let text = text.trim_start_matches('\u{feff}').to_owned();
    if text.trim().is_empty() {
        return Err(Error::Message(format!(
            "--preamble {}: the file is empty",
            platform::display_path(path)
        )));
    }
    Ok(PreambleFile {
        path: platform::display_path(path),
        sha256: crate::runbook::sha256_hex(&text),
        text,
    })
}

/// Checks `--exec`'s options; `None` without `--exec`.
pub(crate) fn exec_options(args: &crate::cli::ExecArgs) -> Result<Option<ExecOptions>> {
    if !args.exec {
        return Ok(None);
    }
    let shell = match &args.shell {
        Some(text) => shlex::split(text)
            .filter(|words| !words.is_empty())
            .ok_or_else(|| {
                Error::Message(format!(
                    "--shell {text:?}: expected a program and its arguments, such as \"pwsh -NoProfile -Command -\""
                ))
            })?,
        None if args.shell_dialect == Dialect::Posix => vec!["sh".to_owned()],
        None => HostConfig::default_command(),
    };
    let preamble = args.preamble.as_deref().map(read_preamble).transpose()?;
    Ok(Some(ExecOptions {
        shell,
        dialect: args.shell_dialect,
        auto_read: args.auto_read,
        preamble,
    }))
}

fn read_answers(path: Option<&Path>) -> Result<Option<AnswersFile>> {
    let Some(path) = path else { return Ok(None) };
    let source = loader::read_source(path)?;
    AnswersFile::parse(&source)
        .map(Some)
        .map_err(|d| Error::Invalid {
            diagnostics: vec![d],
        })
}

/// Without a terminal only an answers file can answer: say so before anything is created or
/// locked, rather than leave a state file that stops at its first question.
fn ensure_answerable(answers: Option<&AnswersFile>, command: &str, params: &str) -> Result<()> {
    if answers.is_some() || std::io::stdin().is_terminal() {
        return Ok(());
    }
    Err(Error::Message(format!(
        "stdin is not a terminal and no --answers file was given, so nothing can answer the run's \
         questions; nothing was written. Run it in a terminal, or answer from a file: \
         `{command} --answers FILE`{params}"
    )))
}

/// The operator: scripted answers first; a terminal for the rest when stdin is one.
fn operator(answers: Option<&AnswersFile>, name: &str, hint: String, color: Option<bool>) -> Chain {
    let interactive = std::io::stdin().is_terminal();
    let terminal = interactive.then(|| {
        terminal::install_interrupt_handler(hint);
        Box::new(TerminalOperator::new(color)) as Box<dyn Operator>
    });
    let scripted = ScriptedOperator::new(answers, name, terminal.is_none());
    Chain::new(scripted, terminal)
}

/// `runbook run`.
pub(crate) fn run(
    name: &str,
    inputs: &ValueInputs,
    state_path: Option<PathBuf>,
    ticket: Option<String>,
    common: &Common,
) -> Result<()> {
    let ticket = ticket.map(|t| check_ticket(&t)).transpose()?;
    let loaded = loader::load(name, &common.templates)?;
    let rb = &loaded.runbook;
    let answers = read_answers(common.answers.as_deref())?;
    crate::answers::ensure_fits(answers.as_ref(), rb)?;
    let mut inputs = inputs.clone();
    if let (Some(a), Some(path)) = (&answers, &common.answers) {
        inputs.answer_params = Some((path.display().to_string(), a.params.clone()));
    }
    let gathered = values::gather(rb, &inputs)?;
    ensure_answerable(
        answers.as_ref(),
        &format!("runbook run {name}"),
        " (parameters with --set NAME=VALUE or --params FILE)",
    )?;
    let operator_name = common
        .operator
        .clone()
        .unwrap_or_else(platform::default_operator);
    let path = state_path.unwrap_or_else(|| {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        PathBuf::from(format!("{}-{stamp}.state.json", rb.id))
    });
    let resume = platform::resume_command(&path, common.operator.as_deref());
    let hint = format!("resume with: {resume}");
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let heading = format!("runbook run {name} by {operator_name} at {}", state::now());
    transcribed(common, &mut op, &heading, |operator| {
        let launch = Launch {
            holder: Holder::me(&operator_name),
            path,
            operator,
            exec: common.exec.clone().map(|e| e.start(rb)),
            resume,
        };
        Engine::start(&loaded, gathered, ticket, launch)
    })
}

/// Runs `go` with `op`, or with `op` wrapped in a transcript when `--transcript` asks for one;
/// the transcript ends with how the run ended.
fn transcribed(
    common: &Common,
    op: &mut dyn Operator,
    heading: &str,
    go: impl FnOnce(&mut dyn Operator) -> Result<()>,
) -> Result<()> {
    let result = match &common.transcript {
        None => go(op),
        Some(path) => {
            let mut transcript =
                Transcript::open(path, op, heading).map_err(|e| Error::io(path, e))?;
            let result = go(&mut transcript);
            transcript.close(&match &result {
                Ok(()) => "=== the run ended ===".to_owned(),
                Err(e) => e.report(),
            });
            result
        }
    };
    if let Err(e) = &result
        && std::io::stdin().is_terminal()
    {
        terminal::tell_the_end(&e.report());
    }
    result
}

/// A change ticket's id as given, trimmed: visible text on one line, at most 100 characters.
fn check_ticket(ticket: &str) -> Result<String> {
    let t = ticket.trim();
    let problem = if t.is_empty() {
        Err("is empty".to_owned())
    } else if t.chars().count() > 100 {
        Err("is longer than 100 characters".to_owned())
    } else {
        crate::param::check_visible(t)
    };
    problem.map(|()| t.to_owned()).map_err(|p| {
        Error::Message(format!(
            "--ticket {p}; expected the change ticket's id, such as CHG0042"
        ))
    })
}

/// `runbook resume`.
pub(crate) fn resume(
    path: &Path,
    options: &ResumeOptions,
    sets: &[String],
    common: &Common,
) -> Result<()> {
    let answers = read_answers(common.answers.as_deref())?;
    let operator_name = common
        .operator
        .clone()
        .unwrap_or_else(platform::default_operator);
    let holder = Holder::me(&operator_name);
    // A damaged, complete or locked record is said first: it matters more.
    let opened = open::open(path, options, &common.templates, &holder)?;
    ensure_answerable(
        answers.as_ref(),
        &platform::resume_command(path, common.operator.as_deref()),
        "",
    )?;
    let rb = &opened.loaded.runbook;
    crate::answers::ensure_fits(answers.as_ref(), rb)?;
    // Secrets are never stored: take them from the answers file, or ask again.
    let mut secrets = Values::new();
    if let (Some(a), Some(p)) = (&answers, &common.answers) {
        let inputs = ValueInputs {
            answer_params: Some((p.display().to_string(), a.params.clone())),
            ..Default::default()
        };
        let gathered = values::gather(rb, &inputs)?;
        secrets.extend(
            gathered
                .values
                .into_iter()
                .filter(|(k, _)| rb.param(k).is_some_and(|p| p.secret)),
        );
    }
    let exec = common.exec.clone().map(|e| e.start(rb));
    let resume = platform::resume_command(path, common.operator.as_deref());
    let hint = format!("resume with: {resume}");
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let heading = format!(
        "runbook resume {} by {operator_name} at {}",
        platform::display_path(path),
        state::now()
    );
    transcribed(common, &mut op, &heading, |operator| {
        let launch = Launch {
            holder,
            path: path.to_owned(),
            operator,
            exec,
            resume,
        };
        Engine::resume(opened, secrets, sets, launch)
    })
}
