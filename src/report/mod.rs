//! The run record for the change ticket (`runbook report`, Markdown and JSON) and the
//! `runbook status` views: read-only, from a state file's fold and its events.
//!
//! `build` turns a [`Record`] into the typed [`model::Report`]; the JSON output is that value
//! and `report.schema.json` its schema (`runbook schema --report`), so the two cannot drift;
//! `markdown` renders the same value for a ticket, operator text escaped by `escape`.
//! `attention` is the closing summary as data, which `run` and `resume` can show too.

pub(crate) mod attention;
mod build;
mod escape;
mod markdown;
pub(crate) mod model;
mod status;

use std::path::Path;

use crate::error::{Error, Result};
use crate::state::State;

pub use status::{status_json, status_text};

/// A run record as read for showing: the fold of every event up to where the record is
/// damaged, and what is known of its integrity.
pub struct Record {
    pub state: State,
    /// "record intact: N events, chain verified", or where and how it is damaged.
    pub integrity: String,
    /// Whether the record is whole: an intact chain, and runbook texts matching their sha256.
    pub intact: bool,
}

impl Record {
    /// Reads the state file at `path` without locking it.
    pub fn load(path: &Path) -> Result<Record> {
        let bytes = crate::store::read_bytes(path)?;
        let (state, journal) =
            State::read(&bytes, true).map_err(|e| crate::store::not_a_state(path, e))?;
        Ok(Record {
            state,
            integrity: journal.integrity(),
            intact: journal.broken.is_none() && journal.edited.is_empty(),
        })
    }
}

/// `runbook report --format json`: the whole record except the runbook's text.
pub fn report_json(record: &Record) -> serde_json::Value {
    // Strings, numbers, maps and lists of them: serialising cannot fail.
    serde_json::to_value(build::build(record)).unwrap_or_default()
}

/// `runbook report` as Markdown, for the change ticket.
pub fn report_markdown(record: &Record) -> String {
    markdown::render(&build::build(record), &record.state.entries)
}

/// `runbook schema --report`: the JSON Schema of `runbook report --format json`, as committed
/// in `report.schema.json`.
pub(crate) fn schema() -> Result<String> {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<model::Report>();
    serde_json::to_string_pretty(&schema)
        .map(|s| s + "\n")
        .map_err(|e| Error::Message(e.to_string()))
}
