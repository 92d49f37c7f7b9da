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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread::Scope;

use serde::de::{self, MapAccess, Visitor};
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
    /// The change ticket the run belongs to (`run --ticket`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
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
    /// What a command printed, pasted by the operator (secrets masked, cut as `--exec` output
    /// is); kept with the unit's outputs.
    OutputAdded {
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
            Event::OutputAdded { .. } => "output-added",
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
            | Event::OutputAdded { unit, .. }
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
            Event::OutputAdded { text, .. } => Some(format!("{} lines", text.lines().count())),
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

/// The lines of `bytes`, each with its newline (the last one may have none). Not
/// `split_inclusive`: it compares one byte at a time, nearly a tenth of resuming a long record;
/// `BufRead::skip_until` finds each newline with `memchr`.
fn lines(mut bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let line = bytes;
        // Reading from a slice never fails.
        let len = std::io::BufRead::skip_until(&mut bytes, b'\n').unwrap_or_default();
        (len > 0).then(|| &line[..len])
    })
}

/// Reads a journal's header (line 1) and the length of its line with the newline.
fn read_header(bytes: &[u8]) -> Result<(Header, usize), ReadError> {
    let first = lines(bytes).next().unwrap_or_default();
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

/// Reads one line after the header as an [`Entry`].
///
/// The derived `Deserialize` of [`Entry`] defines the format, but it is slow: a flattened,
/// internally tagged enum makes serde buffer each line into a tree of its own and read that
/// again, twice for a `started` event's command. So a line is first read by [`Fields`], which
/// puts each value straight into its final type, and read again the derived way whenever that
/// gives up: a field it does not know, a field twice, a missing or mistyped one. The derived
/// reader thus decides every line the quick one does not take (its error messages included),
/// and the quick one takes only lines the derived one accepts, as the same entry (the tests
/// compare the two on thousands of changed lines).
fn read_entry(line: &[u8]) -> serde_json::Result<Entry> {
    quick_entry(line).map_or_else(|| serde_json::from_slice(line), Ok)
}

/// The entry on `line` if [`Fields`] can read it; `None` leaves it to the derived reader.
fn quick_entry(line: &[u8]) -> Option<Entry> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let fields = serde::Deserializer::deserialize_map(&mut de, FieldsVisitor).ok()?;
    de.end().ok()?;
    fields.entry()
}

/// A key, or the event's name: borrowed from the line unless it has an escape.
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> Visitor<'de> for NameVisitor {
            type Value = Name<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(NameVisitor)
    }
}

/// Declares [`Fields`] with one slot per field of [`Entry`] and of the [`Event`] variants. A
/// name has one type in every variant that has it; where one variant requires a field that
/// another may leave out, it is read as an `Option` and the first refuses `null` itself.
macro_rules! fields {
    ($($name:ident: $ty:ty,)*) => {
        /// A line's fields, read in any order, each at most once.
        #[derive(Default)]
        struct Fields<'de> {
            event: Option<Name<'de>>,
            $($name: Option<$ty>,)*
        }

        impl<'de> Fields<'de> {
            /// Reads the value of field `key` into its slot; `false` for a field read already,
            /// or one no variant has. The derived reader ignores the latter, but skipping a
            /// value here would not check its strings' UTF-8 as the derived reader does.
            fn read<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
                fn put<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
                    slot: &mut Option<T>,
                    map: &mut A,
                ) -> Result<bool, A::Error> {
                    if slot.is_some() {
                        return Ok(false);
                    }
                    *slot = Some(map.next_value()?);
                    Ok(true)
                }
                match key {
                    "event" => put(&mut self.event, map),
                    $(stringify!($name) => put(&mut self.$name, map),)*
                    _ => Ok(false),
                }
            }
        }
    };
}

fields! {
    seq: u64,
    prev: String,
    at: String,
    operator: String,
    host: String,
    path: Option<String>,
    from: String,
    from_host: String,
    from_path: String,
    detail: String,
    runbook: RunbookRecord,
    name: String,
    value: Option<Value>,
    old: Option<Value>,
    new: Option<Value>,
    step: String,
    position: usize,
    items: Option<Vec<String>>,
    item: usize,
    unit: String,
    command: Option<String>,
    note: Option<String>,
    reason: String,
    text: String,
    variable: String,
    choice: String,
    label: String,
    by: String,
    target: String,
    to: String,
    steps: Vec<String>,
    pid: u32,
    execution: ExecutionRecord,
    passed: bool,
}

impl Fields<'_> {
    /// The entry, if the fields make one as the derived reader would: each variant takes its
    /// own fields (`?` where one is required). A field of another variant is left unused, as
    /// the derived reader ignores it; having been read into its type, it was valid JSON.
    fn entry(self) -> Option<Entry> {
        let event = match &*self.event?.0 {
            "run-started" => Event::RunStarted {
                host: self.host?,
                path: self.path.flatten(),
            },
            "resumed" => Event::Resumed {
                host: self.host?,
                path: self.path.flatten(),
            },
            "handed-over" => Event::HandedOver {
                to: self.to?,
                path: self.path.flatten()?,
            },
            "received" => Event::Received {
                from: self.from?,
                host: self.host?,
                path: self.path.flatten()?,
            },
            "moved" => Event::Moved {
                from_host: self.from_host?,
                from_path: self.from_path?,
            },
            "clock-behind" => Event::ClockBehind {
                detail: self.detail?,
            },
            "runbook-changed" => Event::RunbookChanged {
                detail: self.detail?,
            },
            "runbook-switched" => Event::RunbookSwitched {
                runbook: self.runbook?,
            },
            "modified-runbook-accepted" => Event::ModifiedRunbookAccepted {
                detail: self.detail?,
            },
            "exec-shell" => Event::ExecShell {
                detail: self.detail?,
            },
            "param-set" => Event::ParamSet {
                name: self.name?,
                value: self.value.flatten(),
            },
            "param-changed" => Event::ParamChanged {
                name: self.name?,
                old: self.old.flatten(),
                new: self.new.flatten(),
            },
            "replanned" => Event::Replanned {
                step: self.step?,
                items: self.items.flatten()?,
            },
            "planned" => Event::Planned {
                step: self.step?,
                position: self.position?,
                items: self.items.flatten(),
            },
            "next" => Event::Next {
                step: self.step?,
                item: self.item?,
            },
            "started" => Event::Started {
                unit: self.unit?,
                command: self.command.flatten(),
            },
            "restarted" => Event::Restarted { unit: self.unit? },
            "done" => Event::Done {
                unit: self.unit?,
                note: self.note.flatten(),
            },
            "skipped" => Event::Skipped {
                unit: self.unit?,
                reason: self.reason?,
            },
            "failed" => Event::Failed {
                unit: self.unit?,
                reason: self.reason?,
            },
            "note" => Event::Note {
                unit: self.unit?,
                text: self.text?,
            },
            "output-added" => Event::OutputAdded {
                unit: self.unit?,
                text: self.text?,
            },
            "captured" => Event::Captured {
                unit: self.unit?,
                variable: self.variable?,
                value: self.value.flatten()?,
            },
            "decision" => Event::Decision {
                unit: self.unit?,
                choice: self.choice?,
                label: self.label?,
            },
            "approved" => Event::Approved {
                unit: self.unit?,
                by: self.by?,
            },
            "confirmed" => Event::Confirmed {
                unit: self.unit?,
                target: self.target?,
            },
            "retry" => Event::Retry { unit: self.unit? },
            "gate-overridden" => Event::GateOverridden {
                unit: self.unit?,
                reason: self.reason?,
            },
            "still-waiting" => Event::StillWaiting { unit: self.unit? },
            "waiting-for-input" => Event::WaitingForInput { unit: self.unit? },
            "interrupted" => Event::Interrupted { unit: self.unit? },
            "paused" => Event::Paused { unit: self.unit? },
            "jumped-back" => Event::JumpedBack {
                to: self.to?,
                steps: self.steps?,
            },
            "completed" => Event::Completed,
            "aborted" => Event::Aborted {
                unit: self.unit?,
                reason: self.reason?,
            },
            "shell-started" => Event::ShellStarted {
                unit: self.unit?,
                pid: self.pid?,
            },
            "executed" => Event::Executed {
                unit: self.unit?,
                execution: self.execution?,
            },
            "run-by-hand" => Event::RunByHand { unit: self.unit? },
            "verdict-overruled" => Event::VerdictOverruled {
                unit: self.unit?,
                passed: self.passed?,
                reason: self.reason?,
            },
            _ => return None,
        };
        Some(Entry {
            seq: self.seq?,
            prev: self.prev?,
            at: self.at?,
            operator: self.operator?,
            event,
        })
    }
}

/// Reads a line's object into [`Fields`]; an error as soon as it meets what they cannot hold.
struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a journal entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields<'de>, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<Name>()? {
            if !fields.read(&key.0, &mut map)? {
                // Maybe no error in the line: the derived reader will say.
                return Err(de::Error::custom("left to the derived reader"));
            }
        }
        Ok(fields)
    }
}

/// The sha256 of each complete line of a journal's body, in order, computed on a thread of its
/// own while the reader parses: hashing is about a fifth of resuming a long record and needs
/// nothing from the parse. The reader takes one hash per line it accepts, in order, so each is
/// the hash of that line; when it stops early, dropping this stops the hasher at its next line.
struct LineHashes {
    hashes: mpsc::Receiver<String>,
}

impl LineHashes {
    fn spawn<'scope>(scope: &'scope Scope<'scope, '_>, body: &'scope [u8]) -> LineHashes {
        let (send, hashes) = mpsc::channel();
        let hasher = move || {
            for line in lines(body).map_while(|raw| raw.strip_suffix(b"\n")) {
                if send.send(sha256_hex(line)).is_err() {
                    break;
                }
            }
        };
        // Without a thread (the system refused one), `next` hashes each line itself.
        let _ = std::thread::Builder::new().spawn_scoped(scope, hasher);
        LineHashes { hashes }
    }

    /// The hash of `line`, the next complete line.
    fn next(&self, line: &[u8]) -> String {
        self.hashes.recv().unwrap_or_else(|_| sha256_hex(line))
    }
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
    let body = &bytes[header_len..];
    std::thread::scope(|scope| {
        let hashes = LineHashes::spawn(scope, body);
        for (i, raw) in lines(body).enumerate() {
            let number = i + 2;
            let Some(line) = raw.strip_suffix(b"\n") else {
                journal.torn = Some(Torn {
                    line: number,
                    bytes: raw.len(),
                });
                break;
            };
            let broken = |why: String| Some(Break { line: number, why });
            let entry = match read_entry(line) {
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
            journal.last_hash = hashes.next(line);
            journal.good_len += raw.len() as u64;
            journal.last_seq = seq;
        }
    });
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
            ticket: None,
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
            Event::OutputAdded {
                unit: unit(),
                text: "line 1\nline 2".into(),
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

    /// The lines of `every_event()` as this build writes them, without their newlines.
    fn written_lines() -> Vec<String> {
        let line = header_line(&header());
        let mut w = Writer::after_header(&line);
        for e in every_event() {
            w.entry("2026-01-01T00:00:00Z".into(), "alice".into(), e);
        }
        w.take_pending().lines().map(str::to_owned).collect()
    }

    #[test]
    fn the_quick_reader_reads_every_event_as_written() {
        for line in written_lines() {
            let quick = quick_entry(line.as_bytes());
            assert!(
                quick.is_some(),
                "left to the derived reader (a variant or field missing in `Fields`?): {line}"
            );
            let derived: Entry = serde_json::from_slice(line.as_bytes()).expect("derived");
            assert_eq!(quick, Some(derived), "{line}");
        }
    }

    /// A line from its fields, in this order, each value as JSON text.
    fn object(fields: &[(String, String)]) -> String {
        let inner: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).expect("key")))
            .collect();
        format!("{{{}}}", inner.join(","))
    }

    /// Every written line, changed in every way a hand or a bug might: fields reordered,
    /// removed, doubled, retyped, escaped, borrowed from another variant, unknown; text around
    /// the object.
    fn changed_lines() -> Vec<String> {
        const VALUES: &[&str] = &[
            "null",
            "true",
            "0",
            "7",
            "-1",
            "1.5",
            "1e2",
            "4294967296",
            "\"\"",
            "\"x\"",
            "\"\\u00e9\"",
            "\"\\ud800\"",
            "[]",
            "[\"a\"]",
            "[1]",
            "{}",
            "10",
        ];
        let written: Vec<Vec<(String, String)>> = written_lines()
            .iter()
            .map(|l| {
                let map: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(l).expect("object");
                map.into_iter().map(|(k, v)| (k, v.to_string())).collect()
            })
            .collect();
        // One value for each field name any variant has, to lend to the others.
        let mut lent: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in written.iter().flatten() {
            lent.entry(k.clone()).or_insert_with(|| v.clone());
        }
        lent.insert("zzz".into(), "1".into());
        let mut out = Vec::new();
        for fields in &written {
            let whole = object(fields);
            out.extend([
                format!(" {whole}\t"),
                format!("{whole} x"),
                format!("{whole}{{}}"),
                format!("[{whole}]"),
            ]);
            out.push(object(&fields.iter().rev().cloned().collect::<Vec<_>>()));
            for (i, (k, _)) in fields.iter().enumerate() {
                let mut without = fields.clone();
                without.remove(i);
                out.push(object(&without));
                let mut twice = fields.clone();
                twice.push(fields[i].clone());
                out.push(object(&twice));
                for v in VALUES {
                    let mut retyped = fields.clone();
                    retyped[i].1 = (*v).to_owned();
                    out.push(object(&retyped));
                }
                let escaped = format!("\\u{:04x}{}", u32::from(k.as_bytes()[0]), &k[1..]);
                let mut renamed = fields.clone();
                renamed[i].0 = String::new();
                out.push(object(&renamed).replacen("\"\":", &format!("\"{escaped}\":"), 1));
            }
            for (k, v) in &lent {
                if fields.iter().all(|(name, _)| name != k) {
                    let mut more = fields.clone();
                    more.push((k.clone(), v.clone()));
                    out.push(object(&more));
                }
            }
        }
        out
    }

    #[test]
    fn the_quick_reader_accepts_only_what_the_derived_one_does_and_reads_it_the_same() {
        let (mut quick, mut derived_only, mut refused) = (0, 0, 0);
        let mut lines: Vec<Vec<u8>> = changed_lines()
            .into_iter()
            .map(String::into_bytes)
            .collect();
        // Bytes that are not UTF-8: in a field that is read, and in one that is not.
        let done = r#"{"seq":1,"prev":"p","at":"t","operator":"o","event":"done","unit":"u","#;
        lines.push([done.as_bytes(), b"\"note\":\"\xff\"}"].concat());
        lines.push([done.as_bytes(), b"\"zzz\":\"\xff\"}"].concat());
        for line in &lines {
            let derived = serde_json::from_slice::<Entry>(line);
            match (quick_entry(line), &derived) {
                (Some(q), Ok(d)) => {
                    assert_eq!(&q, d, "{}", String::from_utf8_lossy(line));
                    quick += 1;
                }
                (Some(q), Err(e)) => panic!(
                    "accepted as {q:?}, refused by the derived reader ({e}): {}",
                    String::from_utf8_lossy(line)
                ),
                (None, Ok(_)) => derived_only += 1,
                (None, Err(_)) => refused += 1,
            }
            assert_eq!(
                format!("{:?}", read_entry(line)),
                format!("{derived:?}"),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        // Each kind of outcome happens, so the comparison covers them all.
        assert!(
            quick > 1000 && derived_only > 30 && refused > 1000,
            "{quick} {derived_only} {refused}"
        );
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_events_refused_as_before() {
        let line =
            r#"{"seq":1,"prev":"p","at":"t","operator":"o","event":"retry","unit":"u","why":1}"#;
        let entry = read_entry(line.as_bytes()).expect("an unknown field is ignored");
        assert_eq!(entry.event, Event::Retry { unit: "u".into() });
        let line = r#"{"seq":1,"prev":"p","at":"t","operator":"o","event":"retried","unit":"u"}"#;
        let e = read_entry(line.as_bytes()).expect_err("an unknown event is refused");
        assert!(
            e.to_string().starts_with("unknown variant `retried`"),
            "{e}"
        );
    }

    #[test]
    fn format_one_is_named() {
        let e = read(br#"{"format":1,"runbook":{}}"#).expect_err("refused");
        assert_eq!(e, ReadError::FormatOne);
        let e = read(b"{\"format\":7}\n").expect_err("refused");
        assert_eq!(e, ReadError::UnknownFormat(7));
    }
}
