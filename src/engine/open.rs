//! Taking a run up again: the record is locked, read and checked (damage, completion, clock) and
//! the runbook to go on with is chosen (the record's copy, or the current one when asked), all
//! before anything is recorded.

use std::path::Path;

use crate::clock::Behind;
use crate::error::{Error, Result};
use crate::journal::{Event, RunbookRecord, Writer};
use crate::loader::{self, Loaded};
use crate::lock::Holder;
use crate::operator::Notice;
use crate::platform;
use crate::source::Source;
use crate::state::{RunStatus, State};
use crate::store::Store;
use crate::templates::Templates;

/// A record opened for resume, checked, with what to tell and record when it is taken up.
pub(crate) struct Resumable {
    pub store: Store,
    pub state: State,
    pub writer: Writer,
    /// The file's complete lines.
    pub bytes: Vec<u8>,
    /// The runbook the run goes on with.
    pub loaded: Loaded,
    pub notices: Vec<Notice>,
    /// Events about the runbook choice, recorded after `resumed`.
    pub events: Vec<Event>,
    /// The run switched to the current runbook: it goes on at the first unfinished unit.
    pub switched: bool,
    /// This machine's clock is behind the record (within what is accepted).
    pub behind: Option<Behind>,
}

/// The runbook as it is now (shipped or on disk), when it can still be found and differs from
/// the one recorded.
fn current_runbook(record: &RunbookRecord, templates: &Templates) -> Option<Loaded> {
    let name = record
        .source_name
        .strip_prefix("runbooks/")
        .and_then(|f| f.strip_suffix(".yaml"))
        .map_or_else(|| record.source_name.clone(), str::to_owned);
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
pub(crate) struct ResumeOptions {
    /// `--use-current-runbook`.
    pub use_current: bool,
    /// `--accept-modified-runbook`.
    pub accept_modified: bool,
    /// `--accept-clock-skew`.
    pub accept_clock_skew: bool,
}

/// Locks and reads the record at `path` for `holder` and checks it can go on: a damaged record,
/// a complete run, a clock far behind the record, or a runbook changed without a word are
/// refused before anything is recorded.
pub(crate) fn open(
    path: &Path,
    options: &ResumeOptions,
    templates: &Templates,
    holder: &Holder,
) -> Result<Resumable> {
    open_checked(path, options, templates, holder, None)
}

/// [`open`] for `runbook handover` to the copy at `copy`: a record already handed over to that
/// same path is opened again when the copy is missing (a crash after the original was closed).
pub(crate) fn open_for_handover(
    path: &Path,
    options: &ResumeOptions,
    templates: &Templates,
    holder: &Holder,
    copy: &str,
) -> Result<Resumable> {
    open_checked(path, options, templates, holder, Some(copy))
}

fn open_checked(
    path: &Path,
    options: &ResumeOptions,
    templates: &Templates,
    holder: &Holder,
    handover_to: Option<&str>,
) -> Result<Resumable> {
    let shown = platform::display_path(path);
    let (store, mut bytes) = Store::open(path, holder)?;
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
    if let Some((to, copy, at)) = &state.handed_over {
        let redo = handover_to == Some(copy.as_str()) && !Path::new(copy).exists();
        if !redo {
            return Err(Error::Message(format!(
                "{shown}: this run was handed over to {to} on {at}; it goes on from {copy} \
                 (`runbook resume {copy}`). This file is closed; `runbook status` and `runbook \
                 report` still read it"
            )));
        }
    }
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
            platform::resume_command(path, None)
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
    let current = current_runbook(&state.runbook, templates);
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
                    platform::resume_command(path, None),
                    platform::resume_command(path, None)
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
    let switched =
        options.use_current && matches!(events.first(), Some(Event::RunbookSwitched { .. }));
    if torn.is_some() {
        store.cut_to(journal.good_len)?;
        bytes.truncate(usize::try_from(journal.good_len).unwrap_or(usize::MAX));
    }
    Ok(Resumable {
        store,
        state,
        writer,
        bytes,
        loaded,
        notices,
        events,
        switched,
        behind,
    })
}
