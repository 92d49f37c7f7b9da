//! `runbook graph`: the flow of a runbook as Mermaid or Graphviz dot (built by [`crate::graph`]).

use crate::cli::GraphFormat;
use crate::error::Result;
use crate::graph;
use crate::loader;
use crate::templates::Templates;

/// Renders the graph of `name`: only a runbook that validates is drawn.
pub(crate) fn graph(name: &str, format: GraphFormat, templates: &Templates) -> Result<String> {
    let loaded = loader::load(name, templates)?;
    let g = graph::build(&loaded.runbook);
    Ok(match format {
        GraphFormat::Mermaid => g.mermaid(),
        GraphFormat::Dot => g.dot(),
    })
}
