//! `runbook`: guided, crash-safe runbooks for Exchange and AD FS federation remediation.
//!
//! The pipeline, one private module per stage: `loader` finds and reads a runbook, `yaml` parses
//! it into `raw` types, `validate` turns those into a [`Runbook`], `render` fills its templates
//! with values checked by `param` (quoted by [`quote()`]), and `export` writes the reviewed script
//! and change plan. A guided run is a `session` over the `journal`, driven by the `engine`, which
//! asks an `operator` (the `terminal`, or an answers file). [`run`] is the command line's entry
//! point; `ARCHITECTURE.md` draws the module graph.

mod answers;
mod backup;
mod cli;
mod clock;
mod cmd;
mod condition;
mod duration;
mod embedded;
mod engine;
mod error;
mod export;
mod failpoint;
mod graph;
mod host;
mod journal;
mod lint;
mod loader;
mod lock;
mod matcher;
mod operator;
mod output;
mod param;
mod platform;
mod quote;
mod raw;
mod render;
mod report;
mod runbook;
mod scope;
mod session;
mod source;
mod state;
mod store;
mod suggest;
mod templates;
mod terminal;
mod validate;
mod values;
mod yaml;

// The public surface: what the fuzz targets, benches and integration tests use. Everything else
// is private to the crate (`unreachable_pub` is denied), so dead code cannot hide behind `pub`.
pub use answers::{AnswersFile, ScriptedOperator, check as check_answers};
pub use error::{Error, Result};
pub use export::{Format as ExportFormat, Meta as ExportMeta, export};
pub use graph::{dot_text, mermaid_text};
pub use loader::{load, load_source, read_source, shipped_ids};
pub use param::{Scalar, Value, ValueType};
pub use quote::{QuoteError, SINGLE_QUOTES, quote};
pub use report::{Record, report_json, report_markdown, status_json, status_text};
pub use runbook::{Impact, Runbook, StepKind, script_parameter};
pub use source::{Diagnostic, Source};
pub use state::State;
pub use templates::Templates;
pub use values::{ValueInputs, gather_complete};

/// For the integration tests, benches and fuzz targets only, not an API: internals they check
/// directly (the journal's writer and reader, the store, what the terminal shows).
#[doc(hidden)]
pub mod testing {
    pub use crate::host::POWERSHELL_SETUP;
    pub use crate::journal::{Event, Writer, header_line, read as read_journal};
    pub use crate::lock::Holder;
    pub use crate::operator::{History, HistoryLine, Notice, PlanStep, UnitView};
    pub use crate::param::item_shown;
    pub use crate::runbook::sha256_hex;
    pub use crate::state::now;
    pub use crate::store::{Store, not_a_state, read_bytes};
    pub use crate::terminal::render::{Styles, notice as render_notice};
}

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

use cli::Cli;
use error::exit;

/// Runs the command line `args` and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let color = cli.color.forced();
    let templates = templates::Templates {
        dir: cli.templates.clone(),
        pinned: None,
    };
    match cmd::execute(cli.command, &templates, color) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "{}", e.report());
            e.exit_code()
        }
    }
}
