//! `runbook run` and `runbook resume`: set up the session, the store and the operator, then
//! hand over to the engine.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::answers::{AnswersFile, Chain, ScriptedOperator};
use crate::engine::{Engine, Exec};
use crate::error::{Error, Result};
use crate::host::{Dialect, HostConfig};
use crate::journal::{Event, FORMAT, Header, RunbookRecord, Writer};
use crate::loader::{self, Loaded};
use crate::lock::Holder;
use crate::operator::{Notice, Operator};
use crate::platform;
use crate::session::Session;
use crate::source::Source;
use crate::state::{RunStatus, State, now};
use crate::store::{Store, resume_command};
use crate::templates::Templates;
use crate::terminal::{self, TerminalOperator};
use crate::values::{self, ValueInputs};

/// Options shared by `run` and `resume`.
pub struct Common {
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
pub struct ExecOptions {
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
pub fn exec_options(args: &crate::cli::ExecArgs) -> Result<Option<ExecOptions>> {
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
pub fn run(
    name: &str,
    inputs: &ValueInputs,
    state_path: Option<PathBuf>,
    common: &Common,
) -> Result<()> {
    let loaded = loader::load(name, &common.templates)?;
    let rb = &loaded.runbook;
    let answers = read_answers(common.answers.as_deref())?;
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
    let (params, secrets) = gathered
        .values
        .into_iter()
        .partition(|(k, _)| !rb.param(k).is_some_and(|p| p.secret));
    let holder = Holder::me(&operator_name);
    let header = Header {
        format: FORMAT,
        runbook: RunbookRecord::of(rb),
        created_at: now(),
        operator: operator_name.clone(),
        host: holder.host.clone(),
        params,
        secret_params: rb
            .params
            .iter()
            .filter(|p| p.secret)
            .map(|p| p.name.clone())
            .collect(),
    };
    let hint = format!("resume with: {}", resume_command(&path));
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let (mut session, header_line) = Session::create(rb, header, operator_name.clone(), secrets);
    session.record(Event::RunStarted {
        host: holder.host.clone(),
    });
    session.begin();
    if let Some(exec) = &common.exec {
        exec.record(&mut session, &mut op);
    }
    let first = format!("{header_line}\n{}", session.take_pending());
    let store = Store::create(&path, &holder, first.as_bytes())?;
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

/// The runbook as it is now (shipped or on disk), when it can still be found and differs from
/// the one recorded.
fn current_runbook(record: &RunbookRecord, templates: &Templates) -> Option<Loaded> {
    let name = record
        .source_name
        .strip_prefix("runbooks/")
        .and_then(|f| f.strip_suffix(".yaml"))
        .map(str::to_owned)
        .unwrap_or_else(|| record.source_name.clone());
    let source = loader::source(&name).ok()?;
    // Unchanged text and templates need no second validation (resume stays fast).
    let same_templates = record
        .templates
        .iter()
        .all(|(n, t)| templates.get(n).is_some_and(|(_, text)| text == t.text));
    if same_templates && crate::runbook::sha256_hex(&source.text) == record.sha256 {
        return None;
    }
    loader::load_source(&source, templates).ok()
}

/// What tells two runbook records apart, line by line: each part that differs, with the lines
/// around the change (control characters shown escaped: the text may come from anywhere).
fn difference(recorded: &RunbookRecord, current: &RunbookRecord) -> String {
    let mut out = String::new();
    let mut part = |name: &str, old: &str, new: &str| {
        if old == new {
            return;
        }
        out.push_str(&format!("--- {name} in the state file\n+++ {name} now\n"));
        out.push_str(&crate::source::line_diff(old, new, 40));
    };
    part("runbook", &recorded.source, &current.source);
    let names: std::collections::BTreeSet<&String> = recorded
        .templates
        .keys()
        .chain(current.templates.keys())
        .collect();
    for n in names {
        let text = |r: &RunbookRecord| {
            r.templates
                .get(n)
                .map(|t| t.text.clone())
                .unwrap_or_default()
        };
        part(&format!("template {n}"), &text(recorded), &text(current));
    }
    out
}

/// The options of `runbook resume` that decide about the runbook and the clock.
pub struct ResumeOptions {
    /// `--use-current-runbook`.
    pub use_current: bool,
    /// `--accept-modified-runbook`.
    pub accept_modified: bool,
    /// `--accept-clock-skew`.
    pub accept_clock_skew: bool,
}

/// `runbook resume`.
pub fn resume(path: &Path, options: &ResumeOptions, common: &Common) -> Result<()> {
    let answers = read_answers(common.answers.as_deref())?;
    let operator_name = common
        .operator
        .clone()
        .unwrap_or_else(platform::default_operator);
    let holder = Holder::me(&operator_name);
    let shown = platform::display_path(path);
    let (store, mut bytes) = Store::open(path, &holder)?;
    let (state, journal) =
        State::read(&bytes, false).map_err(|e| crate::store::not_a_state(path, e))?;
    if let Some(b) = &journal.broken {
        return Err(Error::Damaged {
            path: shown,
            why: format!(
                "the record's chain breaks at line {}: {}; a damaged record is not resumed",
                b.line, b.why
            ),
        });
    }
    if !journal.edited.is_empty() {
        return Err(Error::Damaged {
            path: shown,
            why: format!(
                "{} no longer matches its recorded sha256: the runbook in this record was edited",
                journal.edited.join(", ")
            ),
        });
    }
    let torn = journal.torn.clone();
    let writer = Writer::continuing(&journal);
    if state.status == RunStatus::Complete {
        return Err(Error::Message(format!(
            "{shown}: this run is already complete; see `runbook report {shown}`"
        )));
    }
    let behind = crate::clock::behind(state.newest(), chrono::Utc::now());
    if let Some(b) = &behind
        && b.secs > crate::clock::TOLERANCE_SECS
        && !options.accept_clock_skew
    {
        return Err(Error::Message(format!(
            "{}; events recorded now would be out of order, and a skew this large also breaks \
             federation (error 1007)\nthe state file is untouched; fix this clock (w32tm /resync), \
             or go on anyway with: {} --accept-clock-skew",
            b.describe(),
            resume_command(path)
        )));
    }
    let pinned = Templates {
        dir: None,
        pinned: Some(state.runbook.template_texts()),
    };
    let embedded_source = Source {
        name: state.runbook.source_name.clone(),
        text: state.runbook.source.clone(),
    };
    let embedded = loader::load_source(&embedded_source, &pinned)?;
    let current = current_runbook(&state.runbook, &common.templates);
    let recorded = state.runbook.clone();
    let mut notices = Vec::new();
    if let Some(t) = &torn {
        notices.push(Notice::Warning(format!(
            "the last line of the record was incomplete ({} bytes of line {}: a crash while it \
             was written) and was left out; the run goes on from the line before it",
            t.bytes, t.line
        )));
    }
    let mut events = Vec::new();
    // The same id and version with another text: the record's copy or the shipped one was
    // changed. Neither is used without the operator saying which.
    let modified = current
        .as_ref()
        .is_some_and(|c| c.runbook.id == recorded.id && c.runbook.version == recorded.version);
    let loaded = match current {
        Some(cur) if options.use_current => {
            notices.push(Notice::Warning(format!(
                "the runbook changed since this run started; switching to the current one ({} {}) as asked",
                cur.runbook.id, cur.runbook.version
            )));
            events.push(Event::RunbookSwitched {
                runbook: RunbookRecord::of(&cur.runbook),
            });
            cur
        }
        Some(cur) if modified => {
            let diff = difference(&recorded, &RunbookRecord::of(&cur.runbook));
            if !options.accept_modified {
                return Err(Error::Message(format!(
                    "{shown}: the runbook in this record differs from `{}` although both are `{}` {}:\n{diff}\
                     nothing was recorded; to go on with the current runbook: {} --use-current-runbook\n\
                     to go on with the copy in the record (only if you know why it differs): {} --accept-modified-runbook",
                    cur.runbook.source_name,
                    recorded.id,
                    recorded.version,
                    resume_command(path),
                    resume_command(path)
                )));
            }
            notices.push(Notice::Warning(format!(
                "the runbook in this record differs from `{}` of the same version; going on with the record's copy as asked:\n{diff}",
                cur.runbook.source_name
            )));
            events.push(Event::ModifiedRunbookAccepted {
                detail: format!(
                    "differs from {} {}",
                    cur.runbook.source_name, cur.runbook.sha256
                ),
            });
            embedded
        }
        Some(_) => {
            notices.push(Notice::Warning(
                "the runbook changed since this run started; continuing with the copy in the state \
                 file (use --use-current-runbook to switch)"
                    .into(),
            ));
            events.push(Event::RunbookChanged {
                detail: "kept the embedded copy".into(),
            });
            embedded
        }
        None => embedded,
    };
    let rb = &loaded.runbook;
    let switched =
        options.use_current && matches!(events.first(), Some(Event::RunbookSwitched { .. }));
    if torn.is_some() {
        store.cut_to(journal.good_len)?;
        bytes.truncate(usize::try_from(journal.good_len).unwrap_or(usize::MAX));
    }
    let hint = format!("resume with: {}", resume_command(path));
    let mut op = operator(answers.as_ref(), &operator_name, hint, common.color);
    let mut session = Session::resume(rb, state, writer, operator_name.clone(), bytes);
    session.record(Event::Resumed {
        host: holder.host.clone(),
    });
    if let Some(b) = &behind {
        // Recorded, so the report explains the out-of-order times; the order of events is
        // the order in the file, not their times.
        session.record(Event::ClockBehind {
            detail: b.describe(),
        });
        notices.push(Notice::Warning(format!(
            "{}; events are kept in the order they happen",
            b.describe()
        )));
    }
    for e in events {
        session.record(e);
    }
    if switched {
        match session.first_unfinished() {
            Some(c) => session.record(Event::Next {
                step: c.step,
                item: c.item,
            }),
            None => session.record(Event::Completed),
        }
    }
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
