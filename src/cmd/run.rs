//! `runbook run` and `runbook resume`: set up the session, the store and the operator, then
//! hand over to the engine.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::answers::{AnswersFile, Chain, ScriptedOperator};
use crate::engine::start::{self, Resumable};
use crate::engine::{Engine, Exec};
use crate::error::{Error, Result};
use crate::host::{Dialect, HostConfig};
use crate::journal::Event;
use crate::loader::{self, Loaded};
use crate::lock::Holder;
use crate::operator::{Notice, Operator};
use crate::platform;
use crate::session::Session;
use crate::store::resume_command;
use crate::templates::Templates;
use crate::terminal::{self, TerminalOperator};
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
    fn start(self, rb: &crate::runbook::Runbook) -> Exec {
        let preamble = match self.preamble {
            Some(file) => Some(file.text),
            None => rb.preamble.clone(),
        };
        let config = HostConfig {
            command: self.shell,
            dialect: self.dialect,
            preamble,
        };
        Exec::new(config, self.auto_read)
    }

    /// Records (and shows) which shell runs the commands and which preamble it runs first, so
    /// the run record says what ran before every command.
    fn record(&self, session: &mut Session<'_>, op: &mut dyn Operator) {
        let rb = session.runbook;
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
        op.notify(Notice::Info(format!("--exec: {shell}; {summary}")));
        let secrets: Vec<String> = session
            .secrets
            .values()
            .map(crate::param::Value::display)
            .filter(|s| !s.is_empty())
            .collect();
        let detail = match text {
            Some(t) => format!("{shell}; {summary}:\n{}", t.trim_end()),
            None => format!("{shell}; {summary}"),
        };
        let detail = secrets
            .iter()
            .fold(detail, |d, s| d.replace(s.as_str(), "********"));
        session.record(Event::ExecShell { detail });
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
    common: &Common,
) -> Result<()> {
    let loaded = loader::load(name, &common.templates)?;
    let rb = &loaded.runbook;
    let answers = read_answers(common.answers.as_deref())?;
    crate::answers::ensure_fits(answers.as_ref(), rb)?;
    let mut inputs = inputs.clone();
    if let (Some(a), Some(path)) = (&answers, &common.answers) {
        inputs.answer_params = Some((path.display().to_string(), a.params.clone()));
    }
    let gathered = values::gather(rb, &inputs)?;
    let operator_name = common
        .operator
        .clone()
        .unwrap_or_else(platform::default_operator);
    let path = state_path.unwrap_or_else(|| {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        PathBuf::from(format!("{}-{stamp}.state.json", rb.id))
    });
    let holder = Holder::me(&operator_name);
    let hint = format!("resume with: {}", resume_command(&path));
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let (session, store) = start::create(rb, gathered.values, &holder, &path, |session| {
        if let Some(exec) = &common.exec {
            exec.record(session, &mut op);
        }
    })?;
    let mut engine = Engine::new(
        session,
        store,
        &loaded.renderer,
        &mut op,
        resume_command(&path),
        common.exec.clone().map(|e| e.start(rb)),
    );
    engine.operator.notify(Notice::Info(format!(
        "state file: {}",
        platform::display_path(&path)
    )));
    engine.ask_missing_params()?;
    engine.session.plan_units();
    engine.save()?;
    engine.operator.notify(plan_notice(&loaded, &path));
    engine.drive()
}

fn plan_notice(loaded: &Loaded, path: &Path) -> Notice {
    let rb = &loaded.runbook;
    Notice::Plan {
        title: rb.title.clone(),
        steps: rb
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "{:>2}. {} [{}, {}]",
                    i + 1,
                    s.title,
                    s.kind.name(),
                    s.impact.name()
                )
            })
            .collect(),
        counts: rb.impact_counts(),
        state_path: platform::display_path(path),
    }
}

pub(crate) use crate::engine::start::ResumeOptions;

/// `runbook resume`.
pub(crate) fn resume(path: &Path, options: &ResumeOptions, common: &Common) -> Result<()> {
    let answers = read_answers(common.answers.as_deref())?;
    let operator_name = common
        .operator
        .clone()
        .unwrap_or_else(platform::default_operator);
    let holder = Holder::me(&operator_name);
    let Resumable {
        store,
        state,
        writer,
        bytes,
        loaded,
        mut notices,
        events,
        switched,
        behind,
    } = start::open(path, options, &common.templates, &holder)?;
    let rb = &loaded.runbook;
    crate::answers::ensure_fits(answers.as_ref(), rb)?;
    let hint = format!("resume with: {}", resume_command(path));
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let mut session = Session::resume(rb, state, writer, operator_name.clone(), bytes);
    start::take_up(
        &mut session,
        &holder,
        behind.as_ref(),
        events,
        switched,
        &mut notices,
    );
    // Secrets are never stored: take them from the answers file, or ask again.
    if let (Some(a), Some(p)) = (&answers, &common.answers) {
        let inputs = ValueInputs {
            answer_params: Some((p.display().to_string(), a.params.clone())),
            ..Default::default()
        };
        let gathered = values::gather(rb, &inputs)?;
        for (k, v) in gathered.values {
            if rb.param(&k).is_some_and(|p| p.secret) {
                session.secrets.insert(k, v);
            }
        }
    }
    if let Some(exec) = &common.exec {
        exec.record(&mut session, &mut op);
    }
    let done: Vec<String> = session
        .state()
        .units
        .iter()
        .filter(|u| u.status.is_settled())
        .map(|u| {
            format!(
                "{} {} by {} at {}",
                u.id,
                u.status.as_str(),
                u.operator.as_deref().unwrap_or("?"),
                u.finished_at.as_deref().unwrap_or("?")
            )
        })
        .collect();
    let next = session.state().cursor.as_ref().map(|c| c.step.clone());
    let mut engine = Engine::new(
        session,
        store,
        &loaded.renderer,
        &mut op,
        resume_command(path),
        common.exec.clone().map(|e| e.start(rb)),
    );
    for n in notices {
        engine.operator.notify(n);
    }
    engine.operator.notify(Notice::Resumed { done, next });
    // The `resumed` event is saved with the first unit's start (or a secret's answer): nothing
    // waits for a person in between, so no transition can be lost.
    engine.ask_missing_params()?;
    engine.session.plan_units();
    engine.drive()
}
