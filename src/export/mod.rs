//! Renders a whole runbook for review: the PowerShell script (`ps1`) and the change plan
//! (`markdown`). Both are pure functions of the runbook, the values and the time given, so the
//! same inputs give the same bytes.

mod markdown;
mod plan;
mod ps1;

pub(crate) use plan::{Plan, RenderedUnit};

use chrono::{DateTime, Utc};

use crate::error::Result;
use crate::loader::Loaded;
use crate::scope::Values;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A Windows PowerShell 5.1 script: UTF-8 with BOM, CRLF.
    Ps1,
    /// A Markdown change plan for the ticket.
    Markdown,
}

/// What goes into the header.
#[derive(Debug, Clone)]
pub struct Meta {
    /// When the export was made.
    pub generated_at: DateTime<Utc>,
    /// `runbook <version>`.
    pub generator: String,
}

/// Renders `loaded` with `values` in `format` into `out`.
pub fn export(
    loaded: &Loaded,
    values: &Values,
    format: Format,
    meta: &Meta,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    let plan = Plan::build(loaded, values);
    match format {
        Format::Ps1 => ps1::render(&plan, meta, out),
        Format::Markdown => {
            let text = markdown::render(&plan, meta)?;
            out.write_all(text.as_bytes())
                .map_err(|e| crate::error::Error::io("<output>", e))
        }
    }
}
