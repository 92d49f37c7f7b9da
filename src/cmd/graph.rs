//! `runbook graph`: the flow of a runbook as Mermaid or Graphviz dot.

use crate::cli::GraphFormat;
use crate::error::{Error, Result};
use crate::loader::Templates;

/// Renders the graph of `name`.
pub fn graph(name: &str, format: GraphFormat, templates: &Templates) -> Result<String> {
    let _ = (name, format, templates);
    Err(Error::Message("`runbook graph` is not written yet".into()))
}
