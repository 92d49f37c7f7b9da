//! `runbook new`: scaffolds a runbook and a template that validate as they are.

use std::path::Path;

use crate::error::{Error, Result};

/// Writes `<dir>/<id>.yaml` and its template; returns what was written, for stdout.
pub fn new(id: &str, dir: &Path) -> Result<String> {
    let _ = (id, dir);
    Err(Error::Message("`runbook new` is not written yet".into()))
}
