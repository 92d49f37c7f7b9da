//! The state file's format (2): an append-only journal of JSON lines, each chained to the one
//! before it by sha256.
//!
//! Line 1 is the [`Header`]: the runbook's text and templates with their sha256, the parameter
//! values (secrets absent), when, who and where the run started. Every later line is one
//! [`Entry`]: a sequence number, the sha256 of the line before it (`prev`), the time, the
//! operator, and one typed [`Event`]. Nothing is ever rewritten: a transition appends its lines
//! and fsyncs. What the run looks like now (units, cursor, captures) is a fold of the events,
//! owned by `state`.
//!
//! Reading tells three kinds of damage apart: a torn last line (a crash in the middle of an
//! append: no newline at the end) is dropped with a warning; a chain that breaks in the middle
//! (a line edited, removed or moved) is kept up to the break and reported; a header whose
//! runbook text no longer matches its own sha256 is reported too. The chain detects edits, not
//! forgery: whoever rewrites every line after an edit can make a consistent file, which is why
//! resume also compares the embedded runbook with the shipped one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::param::Value;
use crate::runbook::sha256_hex;

/// The format this build reads and writes. Bump it deliberately, with a migration.
pub(crate) const FORMAT: u32 = 2;

/// Line 1 of a state file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT`] when written by this build.
    pub format: u32,
    pub runbook: RunbookRecord,
    /// When the run started (RFC 3339 UTC).
    pub created_at: String,
    /// Who started it, and on which machine.
    pub operator: String,
    pub host: String,
    /// Parameter values known at the start, secrets excluded.
    pub params: BTreeMap<String, Value>,
    /// Names of secret parameters: asked again on every resume, never written.
    pub secret_params: Vec<String>,
}

/// A runbook as a run follows it: enough to resume anywhere, and to notice an edit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RunbookRecord {
    pub id: String,
    pub version: String,
    /// sha256 of `source`.
    pub sha256: String,
    /// Where it was loaded from (a path, or `runbooks/<id>.yaml` for a shipped one).
    pub source_name: String,
    /// The full YAML text.
    pub source: String,
    /// The template files it uses, by name.
    pub templates: BTreeMap<String, TemplateRecord>,
}

/// One template file's text and its sha256.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TemplateRecord {
    pub sha256: String,
    pub text: String,
}

impl RunbookRecord {
    /// The record of a loaded runbook.
    pub fn of(rb: &crate::runbook::Runbook) -> RunbookRecord {
        RunbookRecord {
            id: rb.id.clone(),
            version: rb.version.clone(),
            sha256: rb.sha256.clone(),
            source_name: rb.source_name.clone(),
            source: rb.source_text.clone(),
            templates: rb
                .template_files
                .iter()
                .map(|(name, text)| {
                    let record = TemplateRecord {
                        sha256: sha256_hex(text),
                        text: text.clone(),
                    };
                    (name.clone(), record)
                })
                .collect(),
        }
    }

    /// Template texts by name, as the template lookup pins them.
    pub fn template_texts(&self) -> BTreeMap<String, String> {
        self.templates
            .iter()
            .map(|(n, t)| (n.clone(), t.text.clone()))
            .collect()
    }

    /// What no longer matches its recorded sha256: the runbook text, or a template by name.
    pub fn edited_parts(&self) -> Vec<String> {
        let mut out = Vec::new();
        if sha256_hex(&self.source) != self.sha256 {
            out.push(format!("the runbook text of `{}`", self.id));
        }
        for (name, t) in &self.templates {
            if sha256_hex(&t.text) != t.sha256 {
                out.push(format!("template `{name}`"));
            }
        }
        out
    }
}

/// One line after the header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// 1 for the first event, then one more per line.
    pub seq: u64,
    /// Lowercase hex sha256 of the previous line's bytes (without its newline).
    pub prev: String,
    /// RFC 3339 UTC.
    pub at: String,
    pub operator: String,
    #[serde(flatten)]
    pub event: Event,
}

/// Everything that happens in a run. The kebab-case variant name is the `event` field.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// The run was created on `host`.
    RunStarted {
        host: String,
        /// The state file's absolute path on `host`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
    /// Someone took the run up again.
    Resumed {
        host: String,
        /// The state file's absolute path on `host`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
    /// `runbook handover`: the run goes on from a copy at `path`, for `to`; this file is closed.
    HandedOver {
        to: String,
        path: String,
    },
    /// The first line of a handed-over copy: it came from `from` (the original's path).
    Received {
        from: String,
        host: String,
        path: String,
    },
    /// The record was taken up somewhere other than where it was last written (a plain copy):
    /// the operator was told who wrote it last and where.
    Moved {
        from_host: String,
        from_path: String,
    },
    /// This machine's clock was behind the newest recorded event.
    ClockBehind {
        detail: String,
    },
    /// The runbook changed since the run started and the run kept its own copy.
    RunbookChanged {
        detail: String,
    },
    /// The run switched to another runbook text (`--use-current-runbook`).
    RunbookSwitched {
        runbook: RunbookRecord,
    },
    /// The run went on with an embedded runbook that differs from the shipped one of the same
    /// id and version, because the operator said so.
    ModifiedRunbookAccepted {
        detail: String,
    },
    /// `--exec`: which shell and which preamble.
    ExecShell {
        detail: String,
    },
    /// A parameter was given during the run; `value` is absent for a secret.
    ParamSet {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<Value>,
    },
    /// A parameter was changed on resume (`--set`), while no finished unit had used it; the
    /// values are absent for a secret.
    ParamChanged {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old: Option<Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<Value>,
    },
    /// A planned `for_each` step follows its changed list: units of items still listed keep
    /// their record, pending units of items no longer listed are dropped, new items added.
    Replanned {
        step: String,
        items: Vec<String>,
    },
    /// A step's units were planned: one, or one per item, inserted at unit index `position`.
    Planned {
        step: String,
        position: usize,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        items: Option<Vec<String>>,
    },
    /// The run continues at this step and item.
    Next {
        step: String,
        item: usize,
    },
    /// A unit was shown; `command` as shown, secrets masked.
    Started {
        unit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        command: Option<String>,
    },
    /// A unit left in progress by a crash was started again.
    Restarted {
        unit: String,
    },
    Done {
        unit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    Skipped {
        unit: String,
        reason: String,
    },
    Failed {
        unit: String,
        reason: String,
    },
    Note {
        unit: String,
        text: String,
    },
    Captured {
        unit: String,
        variable: String,
        value: Value,
    },
    Decision {
        unit: String,
        choice: String,
        label: String,
    },
    Approved {
        unit: String,
        by: String,
    },
    /// The operator typed the target of a destructive step.
    Confirmed {
        unit: String,
        target: String,
    },
    Retry {
        unit: String,
    },
    GateOverridden {
        unit: String,
        reason: String,
    },
    StillWaiting {
        unit: String,
    },
    /// Nobody could answer (no terminal, no scripted answer): the unit is pending again.
    WaitingForInput {
        unit: String,
    },
    Interrupted {
        unit: String,
    },
    /// The operator chose "pause": the run stops here, to be resumed.
    Paused {
        unit: String,
    },
    /// A decision went back: the units of `steps` are pending again.
    JumpedBack {
        to: String,
        steps: Vec<String>,
    },
    Completed,
    Aborted {
        unit: String,
        reason: String,
    },
    /// `--exec` started a shell.
    ShellStarted {
        unit: String,
        pid: u32,
    },
    /// `--exec` ran a command for a unit.
    Executed {
        unit: String,
        execution: ExecutionRecord,
    },
    /// Under `--exec`, the operator ran this unit by hand.
    RunByHand {
        unit: String,
    },
    VerdictOverruled {
        unit: String,
        passed: bool,
        reason: String,
    },
}

impl Event {
    /// The `event` field's value.
    pub fn name(&self) -> &'static str {
        match self {
            Event::RunStarted { .. } => "run-started",
            Event::Resumed { .. } => "resumed",
            Event::HandedOver { .. } => "handed-over",
            Event::Received { .. } => "received",
            Event::Moved { .. } => "moved",
            Event::ClockBehind { .. } => "clock-behind",
            Event::RunbookChanged { .. } => "runbook-changed",
            Event::RunbookSwitched { .. } => "runbook-switched",
            Event::ModifiedRunbookAccepted { .. } => "modified-runbook-accepted",
            Event::ExecShell { .. } => "exec-shell",
            Event::ParamSet { .. } => "param-set",
            Event::ParamChanged { .. } => "param-changed",
            Event::Replanned { .. } => "replanned",
            Event::Planned { .. } => "planned",
            Event::Next { .. } => "next",
            Event::Started { .. } => "started",
            Event::Restarted { .. } => "restarted",
            Event::Done { .. } => "done",
            Event::Skipped { .. } => "skipped",
            Event::Failed { .. } => "failed",
            Event::Note { .. } => "note",
            Event::Captured { .. } => "captured",
            Event::Decision { .. } => "decision",
            Event::Approved { .. } => "approved",
            Event::Confirmed { .. } => "confirmed",
            Event::Retry { .. } => "retry",
            Event::GateOverridden { .. } => "gate-overridden",
            Event::StillWaiting { .. } => "still-waiting",
            Event::WaitingForInput { .. } => "waiting-for-input",
            Event::Interrupted { .. } => "interrupted",
            Event::Paused { .. } => "paused",
            Event::JumpedBack { .. } => "jumped-back",
            Event::Completed => "completed",
            Event::Aborted { .. } => "aborted",
            Event::ShellStarted { .. } => "shell-started",
            Event::Executed { .. } => "executed",
            Event::RunByHand { .. } => "run-by-hand",
            Event::VerdictOverruled { .. } => "verdict-overruled",
        }
    }

    /// The unit it concerns, if any.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Event::Started { unit, .. }
            | Event::Restarted { unit }
            | Event::Done { unit, .. }
            | Event::Skipped { unit, .. }
            | Event::Failed { unit, .. }
            | Event::Note { unit, .. }
            | Event::Captured { unit, .. }
            | Event::Decision { unit, .. }
            | Event::Approved { unit, .. }
            | Event::Confirmed { unit, .. }
            | Event::Retry { unit }
            | Event::GateOverridden { unit, .. }
            | Event::StillWaiting { unit }
            | Event::WaitingForInput { unit }
            | Event::Interrupted { unit }
            | Event::Paused { unit }
            | Event::Aborted { unit, .. }
            | Event::ShellStarted { unit, .. }
            | Event::Executed { unit, .. }
            | Event::RunByHand { unit }
            | Event::VerdictOverruled { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// Its details in one line of text, for the report (`None` when the name says it all).
    pub fn detail(&self) -> Option<String> {
        match self {
            Event::RunStarted { host, path } | Event::Resumed { host, path } => Some(match path {
                Some(p) => format!("on {host} at {p}"),
                None => format!("on {host}"),
            }),
            Event::HandedOver { to, path } => Some(format!("to {to}, at {path}")),
            Event::Received { from, host, path } => {
                Some(format!("from {from}, now on {host} at {path}"))
            }
            Event::Moved {
                from_host,
                from_path,
            } => Some(format!("last written on {from_host} at {from_path}")),
            Event::ClockBehind { detail }
            | Event::RunbookChanged { detail }
            | Event::ModifiedRunbookAccepted { detail }
            | Event::ExecShell { detail } => Some(detail.clone()),
            Event::RunbookSwitched { runbook: r } => {
                Some(format!("{} {} {}", r.id, r.version, r.sha256))
            }
            Event::ParamSet { name, value } => Some(match value {
                Some(v) => format!("{name} = {}", v.display()),
                None => format!("{name} (secret)"),
            }),
            Event::ParamChanged { name, old, new } => {
                let shown = |v: &Option<Value>| {
                    v.as_ref()
                        .map_or_else(|| "********".to_owned(), Value::display)
                };
                Some(format!("{name}: {} -> {}", shown(old), shown(new)))
            }
            Event::Replanned { step, items } => Some(format!("{step}: {} items", items.len())),
            Event::Planned { step, items, .. } => Some(match items {
                Some(items) => format!("{step}: {} items", items.len()),
                None => step.clone(),
            }),
            Event::Next { step, item } => Some(format!("{step} item {}", item + 1)),
            Event::Done { note, .. } => note.clone(),
            Event::Skipped { reason, .. }
            | Event::Failed { reason, .. }
            | Event::GateOverridden { reason, .. }
            | Event::Aborted { reason, .. } => Some(reason.clone()),
            Event::Note { text, .. } => Some(text.clone()),
            Event::Captured {
                variable, value, ..
            } => Some(format!("{variable} = {}", value.display())),
            Event::Decision { choice, label, .. } => Some(format!("{choice}: {label}")),
            Event::Approved { by, .. } => Some(by.clone()),
            Event::Confirmed { target, .. } => Some(target.clone()),
            Event::JumpedBack { to, .. } => Some(to.clone()),
            Event::ShellStarted { pid, .. } => Some(format!("pid {pid}; setup and preamble done")),
            Event::Executed { execution: e, .. } => Some(format!(
                "{}: {} in {} ms; {}",
                e.what,
                e.status_text(),
                e.duration_ms,
                if e.verdict == "pass" { "pass" } else { "fail" }
            )),
            Event::VerdictOverruled { passed, reason, .. } => Some(format!(
                "{} -> {}: {reason}",
                if *passed { "pass" } else { "fail" },
                if *passed { "fail" } else { "pass" }
            )),
            Event::Started { .. }
            | Event::Restarted { .. }
            | Event::Retry { .. }
            | Event::StillWaiting { .. }
            | Event::WaitingForInput { .. }
            | Event::Interrupted { .. }
            | Event::Paused { .. }
            | Event::Completed
            | Event::RunByHand { .. } => None,
        }
    }
}

/// One command `--exec` ran for a unit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ExecutionRecord {
    /// `command`, `verify`, `check`, `wait` or `capture`.
    pub what: String,
    /// When it started (RFC 3339 UTC).
    pub started_at: String,
    pub duration_ms: u64,
    /// Absent when it timed out or the shell died.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// "pass" or "fail: why" (the engine's verdict; the operator's is in the unit).
    pub verdict: String,
    /// Output, secrets masked, cut to `state::OUTPUT_LIMIT` per unit.
    pub output: String,
}

impl ExecutionRecord {
    /// `exit 0`, or `no exit status` (it timed out or the shell died).
    pub fn status_text(&self) -> String {
        self.exit_status
            .map_or_else(|| "no exit status".to_owned(), |c| format!("exit {c}"))
    }
}

/// Appends entries as lines: keeps the sequence number and the chain's last hash, and the
/// lines not yet written.
#[derive(Debug)]
pub struct Writer {
    next_seq: u64,
    last_hash: String,
    pending: String,
}

impl Writer {
    /// A writer for a new journal whose header line is `header_line`.
    pub fn after_header(header_line: &str) -> Writer {
        Writer {
            next_seq: 1,
            last_hash: sha256_hex(header_line.as_bytes()),
            pending: String::new(),
        }
    }

    /// A writer that continues a journal read from disk.
    pub fn continuing(read: &Journal) -> Writer {
        Writer {
            next_seq: read.last_seq + 1,
            last_hash: read.last_hash.clone(),
            pending: String::new(),
        }
    }

    /// The next entry for `event`, its line queued for writing.
    pub fn entry(&mut self, at: String, operator: String, event: Event) -> Entry {
        let entry = Entry {
            seq: self.next_seq,
            prev: std::mem::take(&mut self.last_hash),
            at,
            operator,
            event,
        };
        // A struct of strings, numbers and maps always serialises.
        let line = serde_json::to_string(&entry).unwrap_or_default();
        self.last_hash = sha256_hex(line.as_bytes());
        self.next_seq += 1;
        self.pending.push_str(&line);
        self.pending.push('\n');
        entry
    }

    /// The lines queued since the last call, to be written in one append.
    pub fn take_pending(&mut self) -> String {
        std::mem::take(&mut self.pending)
    }

    /// Whether lines are waiting to be written.
    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }
}

/// The header's line as written.
pub fn header_line(header: &Header) -> String {
    serde_json::to_string(header).unwrap_or_default()
}

/// What reading a journal found besides its events: where its good part ends, and whatever
/// was wrong with its end or its chain.
#[derive(Debug)]
pub struct Journal {
    /// The last good event's sequence number: the count of events read and applied (0 when
    /// there is none), since the chain checks they run 1, 2, 3...
    pub last_seq: u64,
    /// sha256 of the last good line.
    pub last_hash: String,
    /// Bytes up to and including the last good line's newline.
    pub good_len: u64,
    /// A last line without its newline: the crash of an append. It is not part of the record.
    pub torn: Option<Torn>,
    /// Where the chain breaks, or the first event that does not fit the run before it; nothing
    /// from there on was applied.
    pub broken: Option<Break>,
    /// Parts of the embedded runbook(s) whose text no longer matches its recorded sha256.
    pub edited: Vec<String>,
}

/// An incomplete last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Torn {
    /// Its line number (1-based).
    pub line: usize,
    /// How many bytes of it are in the file.
    pub bytes: usize,
}

/// The first line that does not continue the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// Its line number (1-based; the header is line 1).
    pub line: usize,
    pub why: String,
}

/// Why bytes are not a state file this build can read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("not a runbook state file: {0}")]
    NotAState(String),
    #[error(
        "this is a format 1 state file, written by an earlier runbook; this build reads format {FORMAT} only: finish that run with the build that started it"
    )]
    FormatOne,
    #[error("state format {0} is unknown; this runbook {version} reads format {FORMAT}", version = env!("CARGO_PKG_VERSION"))]
    UnknownFormat(u64),
    #[error("line 1 (the header) is damaged: {0}")]
    Header(String),
}

/// Only the `format` field: read first, so another format gets its own message.
#[derive(Deserialize)]
struct FormatOnly {
    format: Option<u64>,
}

/// What a line that is not a readable header says its format is.
enum FormatField {
    /// Nothing: it is not a JSON object with a numeric or absent `format`.
    Unreadable,
    /// A JSON object without `format`.
    Missing,
    /// The format it names.
    Is(u64),
}

fn format_of(bytes: &[u8]) -> FormatField {
    match serde_json::from_slice::<FormatOnly>(bytes) {
        Ok(FormatOnly { format: Some(f) }) => FormatField::Is(f),
        Ok(FormatOnly { format: None }) => FormatField::Missing,
        Err(_) => FormatField::Unreadable,
    }
}

/// Reads a journal's header (line 1) and the length of its line with the newline.
fn read_header(bytes: &[u8]) -> Result<(Header, usize), ReadError> {
    let first = bytes
        .split_inclusive(|&b| b == b'\n')
        .next()
        .unwrap_or_default();
    let Some(header_bytes) = first.strip_suffix(b"\n") else {
        return Err(match format_of(first) {
            FormatField::Is(1) => ReadError::FormatOne,
            FormatField::Is(f) if f != u64::from(FORMAT) => ReadError::UnknownFormat(f),
            _ if first.is_empty() => ReadError::NotAState("the file is empty".into()),
            _ => ReadError::NotAState("its first line is incomplete".into()),
        });
    };
    let header: Header = match serde_json::from_slice(header_bytes) {
        Ok(h) => h,
        Err(e) => {
            let format = match format_of(header_bytes) {
                FormatField::Unreadable => format_of(bytes),
                f => f,
            };
            return Err(match format {
                FormatField::Is(1) => ReadError::FormatOne,
                FormatField::Is(f) if f != u64::from(FORMAT) => ReadError::UnknownFormat(f),
                FormatField::Is(_) => ReadError::Header(e.to_string()),
                FormatField::Missing => ReadError::NotAState("no `format` field".into()),
                FormatField::Unreadable if e.is_data() => {
                    ReadError::NotAState("it is not a JSON object".into())
                }
                FormatField::Unreadable => {
                    ReadError::NotAState(format!("it is not valid JSON ({e})"))
                }
            });
        }
    };
    if header.format != FORMAT {
        return Err(if header.format == 1 {
            ReadError::FormatOne
        } else {
            ReadError::UnknownFormat(u64::from(header.format))
        });
    }
    Ok((header, first.len()))
}

/// Checks that `bytes` start with a header this build reads.
pub(crate) fn check_header(bytes: &[u8]) -> Result<(), ReadError> {
    read_header(bytes).map(|_| ())
}

/// Reads a journal from its bytes, one event at a time: `start` makes the reader's state from
/// the header, `apply` takes each event in order. The header must be sound; the events are
/// read up to a torn last line, a break in the chain, or an event `apply` refuses, which are
/// reported in the [`Journal`], not fatal.
pub(crate) fn read_with<S>(
    bytes: &[u8],
    start: impl FnOnce(Header) -> S,
    mut apply: impl FnMut(&mut S, Entry) -> Result<(), String>,
) -> Result<(S, Journal), ReadError> {
    let (header, header_len) = read_header(bytes)?;
    let mut edited = header.runbook.edited_parts();
    let mut journal = Journal {
        last_seq: 0,
        last_hash: sha256_hex(&bytes[..header_len - 1]),
        good_len: header_len as u64,
        torn: None,
        broken: None,
        edited: Vec::new(),
    };
    let mut state = start(header);
    for (i, raw) in bytes[header_len..]
        .split_inclusive(|&b| b == b'\n')
        .enumerate()
    {
        let number = i + 2;
        let Some(line) = raw.strip_suffix(b"\n") else {
            journal.torn = Some(Torn {
                line: number,
                bytes: raw.len(),
            });
            break;
        };
        let broken = |why: String| Some(Break { line: number, why });
        let entry = match serde_json::from_slice::<Entry>(line) {
            Ok(e) => e,
            Err(e) => {
                journal.broken = broken(format!("it is not a journal entry ({e})"));
                break;
            }
        };
        if entry.prev != journal.last_hash {
            journal.broken = broken(format!(
                "it does not follow line {}: that line was changed, or lines were removed or moved",
                number - 1
            ));
            break;
        }
        if entry.seq != journal.last_seq + 1 {
            journal.broken = broken(format!(
                "its sequence number is {}, not {}",
                entry.seq,
                journal.last_seq + 1
            ));
            break;
        }
        if let Event::RunbookSwitched { runbook } = &entry.event {
            edited.extend(runbook.edited_parts());
        }
        let seq = entry.seq;
        if let Err(why) = apply(&mut state, entry) {
            journal.broken = broken(format!("its event does not fit the run before it: {why}"));
            break;
        }
        journal.last_hash = sha256_hex(line);
        journal.good_len += raw.len() as u64;
        journal.last_seq = seq;
    }
    journal.edited = edited;
    Ok((state, journal))
}

/// Reads a whole journal into its header and events.
pub fn read(bytes: &[u8]) -> Result<(Header, Vec<Entry>, Journal), ReadError> {
    let ((header, entries), journal) = read_with(
        bytes,
        |h| (h, Vec::new()),
        |(_, entries), e| {
            entries.push(e);
            Ok(())
        },
    )?;
    Ok((header, entries, journal))
}

impl Journal {
    /// "record intact: N events, chain verified", or what is wrong with it.
    pub fn integrity(&self) -> String {
        let n = self.last_seq;
        let mut out = match &self.broken {
            None if self.edited.is_empty() => {
                format!("record intact: {n} events, chain verified")
            }
            None => format!(
                "record NOT intact: {} no longer matches its recorded sha256 ({n} events, chain verified)",
                self.edited.join(", ")
            ),
            Some(b) => format!(
                "record NOT intact: the chain breaks at line {}: {}; shown up to line {} ({n} events)",
                b.line,
                b.why,
                b.line - 1
            ),
        };
        if let Some(t) = &self.torn {
            out.push_str(&format!(
                "; an incomplete last line ({} bytes of line {}, a crash while it was written) was left out",
                t.bytes, t.line
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        let source = "id: x\n".to_owned();
        Header {
            format: FORMAT,
            runbook: RunbookRecord {
                id: "x".into(),
                version: "1".into(),
                sha256: sha256_hex(&source),
                source_name: "x.yaml".into(),
                source,
                templates: BTreeMap::new(),
            },
            created_at: "2026-01-01T00:00:00Z".into(),
            operator: "alice".into(),
            host: "h".into(),
            params: BTreeMap::new(),
            secret_params: Vec::new(),
        }
    }

    fn journal(events: usize) -> Vec<u8> {
        let h = header();
        let line = header_line(&h);
        let mut w = Writer::after_header(&line);
        let mut bytes = format!("{line}\n").into_bytes();
        for i in 0..events {
            w.entry(
                "2026-01-01T00:00:00Z".into(),
                "alice".into(),
                Event::Note {
                    unit: "u".into(),
                    text: format!("n{i}"),
                },
            );
        }
        bytes.extend_from_slice(w.take_pending().as_bytes());
        bytes
    }

    #[test]
    fn a_written_journal_reads_back_intact() {
        let bytes = journal(3);
        let (_, entries, j) = read(&bytes).expect("reads");
        assert_eq!(entries.len(), 3);
        assert!(j.broken.is_none() && j.torn.is_none() && j.edited.is_empty());
        assert_eq!(j.good_len, bytes.len() as u64);
        assert_eq!(j.integrity(), "record intact: 3 events, chain verified");
    }

    #[test]
    fn an_edited_middle_line_breaks_the_chain_at_the_next_one() {
        let text = String::from_utf8(journal(3)).expect("utf-8");
        let edited = text.replacen("\"n1\"", "\"nX\"", 1);
        let (_, entries, j) = read(edited.as_bytes()).expect("reads");
        assert_eq!(entries.len(), 2);
        assert_eq!(j.broken.as_ref().map(|b| b.line), Some(4));
    }

    #[test]
    fn a_torn_last_line_is_left_out() {
        let bytes = journal(2);
        let cut = &bytes[..bytes.len() - 5];
        let (_, entries, j) = read(cut).expect("reads");
        assert_eq!(entries.len(), 1);
        assert_eq!(j.torn.as_ref().map(|t| t.line), Some(3));
        assert!(j.broken.is_none());
    }

    /// One of every variant: each must come back from its line unchanged (a field named like
    /// one of the entry's own, such as `at`, would not).
    fn every_event() -> Vec<Event> {
        let unit = || "u".to_owned();
        let execution = ExecutionRecord {
            what: "check".into(),
            started_at: "t".into(),
            duration_ms: 1,
            exit_status: Some(0),
            verdict: "pass".into(),
            output: "o".into(),
        };
        vec![
            Event::RunStarted {
                host: "h".into(),
                path: Some("/runs/s.json".into()),
            },
            Event::Resumed {
                host: "h".into(),
                path: None,
            },
            Event::ClockBehind { detail: "d".into() },
            Event::RunbookChanged { detail: "d".into() },
            Event::RunbookSwitched {
                runbook: header().runbook,
            },
            Event::ModifiedRunbookAccepted { detail: "d".into() },
            Event::ExecShell { detail: "d".into() },
            Event::ParamSet {
                name: "n".into(),
                value: Some(Value::List(vec![Value::Int(1), Value::Bool(true)])),
            },
            Event::ParamSet {
                name: "n".into(),
                value: None,
            },
            Event::Planned {
                step: "s".into(),
                position: 3,
                items: Some(vec!["a".into()]),
            },
            Event::Next {
                step: "s".into(),
                item: 2,
            },
            Event::Started {
                unit: unit(),
                command: Some("c".into()),
            },
            Event::Restarted { unit: unit() },
            Event::Done {
                unit: unit(),
                note: Some("n".into()),
            },
            Event::Skipped {
                unit: unit(),
                reason: "r".into(),
            },
            Event::Failed {
                unit: unit(),
                reason: "r".into(),
            },
            Event::Note {
                unit: unit(),
                text: "t".into(),
            },
            Event::Captured {
                unit: unit(),
                variable: "v".into(),
                value: Value::Text("x".into()),
            },
            Event::Decision {
                unit: unit(),
                choice: "c".into(),
                label: "l".into(),
            },
            Event::Approved {
                unit: unit(),
                by: "b".into(),
            },
            Event::Confirmed {
                unit: unit(),
                target: "t".into(),
            },
            Event::Retry { unit: unit() },
            Event::GateOverridden {
                unit: unit(),
                reason: "r".into(),
            },
            Event::StillWaiting { unit: unit() },
            Event::WaitingForInput { unit: unit() },
            Event::Interrupted { unit: unit() },
            Event::Paused { unit: unit() },
            Event::HandedOver {
                to: "Bob".into(),
                path: "/share/s.json".into(),
            },
            Event::Received {
                from: "/home/alice/s.json".into(),
                host: "ex01".into(),
                path: "/share/s.json".into(),
            },
            Event::Moved {
                from_host: "ex01".into(),
                from_path: "/home/alice/s.json".into(),
            },
            Event::ParamChanged {
                name: "p".into(),
                old: Some(Value::Text("a".into())),
                new: Some(Value::List(vec![Value::Text("b".into())])),
            },
            Event::ParamChanged {
                name: "secret".into(),
                old: None,
                new: None,
            },
            Event::Replanned {
                step: "s".into(),
                items: vec!["a".into(), "b".into()],
            },
            Event::JumpedBack {
                to: "s".into(),
                steps: vec!["s".into()],
            },
            Event::Completed,
            Event::Aborted {
                unit: unit(),
                reason: "r".into(),
            },
            Event::ShellStarted {
                unit: unit(),
                pid: 7,
            },
            Event::Executed {
                unit: unit(),
                execution,
            },
            Event::RunByHand { unit: unit() },
            Event::VerdictOverruled {
                unit: unit(),
                passed: true,
                reason: "r".into(),
            },
        ]
    }

    #[test]
    fn every_event_comes_back_from_its_line_with_its_name() {
        let events = every_event();
        let mut names: Vec<&str> = events.iter().map(Event::name).collect();
        names.dedup();
        // `name()` matches every variant (the compiler sees to it): one arm per variant.
        let source = include_str!("journal.rs");
        let name_fn = &source[source.find("pub fn name(&self)").expect("fn name")..];
        let name_fn = &name_fn[..name_fn.find("\n    }\n").expect("its end")];
        let variants = name_fn.matches("=> \"").count();
        assert_eq!(
            names.len(),
            variants,
            "a variant is missing from every_event()"
        );
        let line = header_line(&header());
        let mut w = Writer::after_header(&line);
        let mut bytes = format!("{line}\n").into_bytes();
        for e in &events {
            w.entry("2026-01-01T00:00:00Z".into(), "alice".into(), e.clone());
        }
        bytes.extend_from_slice(w.take_pending().as_bytes());
        let (_, entries, j) = read(&bytes).expect("reads");
        assert!(j.broken.is_none(), "{:?}", j.broken);
        let back: Vec<Event> = entries.into_iter().map(|e| e.event).collect();
        assert_eq!(back, events);
        for (line, e) in String::from_utf8(bytes)
            .expect("utf-8")
            .lines()
            .skip(1)
            .zip(&events)
        {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            assert_eq!(v["event"], e.name(), "{line}");
        }
    }

    #[test]
    fn format_one_is_named() {
        let e = read(br#"{"format":1,"runbook":{}}"#).expect_err("refused");
        assert_eq!(e, ReadError::FormatOne);
        let e = read(b"{\"format\":7}\n").expect_err("refused");
        assert_eq!(e, ReadError::UnknownFormat(7));
    }
}
