//! `runbook export`.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::export::{self, Format, Meta};
use crate::loader;
use crate::templates::Templates;
use crate::values::{self, ValueInputs};

/// The header time: `--generated-at`, then `SOURCE_DATE_EPOCH`, then now.
pub(crate) fn generated_at(flag: Option<&str>) -> Result<DateTime<Utc>> {
    if let Some(text) = flag {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                Error::Message(format!(
                    "--generated-at {text:?}: {e}; expected RFC 3339 such as 2026-11-23T08:00:00Z"
                ))
            });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            Error::Message(format!(
                "SOURCE_DATE_EPOCH {epoch:?} is not a number of seconds"
            ))
        })?;
        return DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| Error::Message(format!("SOURCE_DATE_EPOCH {epoch:?} is out of range")));
    }
    Ok(Utc::now())
}

/// Renders the export to `out`.
pub(crate) fn run(
    name: &str,
    inputs: &ValueInputs,
    format: Format,
    generated: Option<&str>,
    templates: &Templates,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let meta = Meta {
        generated_at: generated_at(generated)?,
        generator: format!("runbook {}", env!("CARGO_PKG_VERSION")),
    };
    let loaded = loader::load(name, templates)?;
    let values = values::gather_complete(&loaded.runbook, inputs)?;
    export::export(&loaded, &values, format, &meta, out)
}
