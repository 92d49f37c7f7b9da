//! `runbook list`, `runbook show`, `runbook schema` and `runbook match`: read-only views of the
//! runbooks.

use std::fmt::Write as _;

use serde_json::json;

use crate::cli::TextFormat;
use crate::error::{Error, Result};
use crate::loader;
use crate::param::ValueType;
use crate::runbook::{Runbook, StepKind};
use crate::templates::Templates;

fn json_text(value: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Message(e.to_string()))
}

/// `runbook list`.
pub(crate) fn list(format: TextFormat, templates: &Templates) -> Result<String> {
    let mut rows = Vec::new();
    for id in loader::shipped_ids() {
        let loaded = loader::load(id, templates)?;
        rows.push(loaded.runbook);
    }
    match format {
        TextFormat::Json => json_text(&serde_json::Value::Array(
            rows.iter()
                .map(|r| json!({"id": r.id, "title": r.title, "version": r.version}))
                .collect(),
        )),
        TextFormat::Text => {
            let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in &rows {
                let _ = writeln!(s, "{:width$}  {:8}  {}", r.id, r.version, r.title);
            }
            Ok(s)
        }
    }
}

fn type_name(t: &ValueType) -> String {
    t.to_string()
}

/// `runbook show`.
pub(crate) fn show(name: &str, format: TextFormat, templates: &Templates) -> Result<String> {
    let rb = loader::load(name, templates)?.runbook;
    match format {
        TextFormat::Json => json_text(&show_json(&rb)),
        TextFormat::Text => Ok(show_text(&rb)),
    }
}

fn show_json(rb: &Runbook) -> serde_json::Value {
    json!({
        "id": rb.id,
        "title": rb.title,
        "version": rb.version,
        "description": rb.description,
        "references": rb.references,
        "params": rb.params.iter().map(|p| json!({
            "name": p.name,
            "type": type_name(&p.value_type),
            "required": p.required,
            "default": p.default,
            "example": if p.secret { json!("********") } else { json!(p.example) },
            "secret": p.secret,
            "prompt": p.prompt,
            "help": p.help,
        })).collect::<Vec<_>>(),
        "steps": rb.steps.iter().map(|s| json!({
            "id": s.id,
            "title": s.title,
            "kind": s.kind.name(),
            "impact": s.impact.name(),
            "for_each": s.for_each.as_ref().map(|f| &f.list),
            "when": s.when.as_ref().map(ToString::to_string),
        })).collect::<Vec<_>>(),
    })
}

fn show_text(rb: &Runbook) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {}: {}\n", rb.id, rb.version, rb.title);
    if !rb.description.is_empty() {
        let _ = writeln!(s, "{}\n", rb.description.trim());
    }
    let _ = writeln!(s, "Parameters:");
    for p in &rb.params {
        let req = if p.required { "required" } else { "optional" };
        let secret = if p.secret { ", secret" } else { "" };
        let example = if p.secret {
            "********".into()
        } else {
            p.example.display()
        };
        let _ = writeln!(
            s,
            "  {} ({}, {req}{secret}), e.g. {example}",
            p.name,
            type_name(&p.value_type)
        );
        if let Some(h) = &p.help {
            let _ = writeln!(s, "      {}", h.trim());
        }
    }
    let _ = writeln!(s, "\nSteps:");
    for (i, st) in rb.steps.iter().enumerate() {
        let mut extra = String::new();
        if let StepKind::Check { gate: true, .. } = st.kind {
            extra.push_str(", gate");
        }
        if let Some(f) = &st.for_each {
            let _ = write!(extra, ", for each in {}", f.list);
        }
        if let Some(c) = &st.when {
            let _ = write!(extra, ", when {c}");
        }
        let _ = writeln!(
            s,
            "  {:>2}. {:<40} {} [{}{extra}]",
            i + 1,
            st.id,
            st.kind.name(),
            st.impact.name()
        );
    }
    if !rb.references.is_empty() {
        let _ = writeln!(s, "\nReferences:");
        for r in &rb.references {
            let _ = writeln!(s, "  {r}");
        }
    }
    s
}

/// `runbook schema`.
pub(crate) fn schema() -> Result<String> {
    let schema = schemars::schema_for!(crate::raw::RawRunbook);
    serde_json::to_string_pretty(&schema)
        .map(|s| s + "\n")
        .map_err(|e| Error::Message(e.to_string()))
}

/// A hit as `match --format json` gives it: the fit, and the command that starts it.
#[derive(serde::Serialize)]
struct Hit<'a> {
    #[serde(flatten)]
    fit: &'a crate::matcher::Fit,
    run: String,
}

/// The command that starts a run of the shipped runbook `id`.
fn run_command(id: &str) -> String {
    format!("runbook run {id}")
}

/// `runbook match`: (output, whether any runbook fits). The first hit ends with the command that
/// starts it, so the operator copies one line rather than composing it from the id.
pub(crate) fn match_text(
    text: &str,
    format: TextFormat,
    templates: &Templates,
) -> Result<(String, bool)> {
    let runbooks = loader::shipped_ids()
        .into_iter()
        .map(|id| loader::load(id, templates).map(|l| l.runbook))
        .collect::<Result<Vec<_>>>()?;
    let fits = crate::matcher::rank(&runbooks, text);
    let found = !fits.is_empty();
    let out = match format {
        TextFormat::Json => {
            let hits: Vec<Hit<'_>> = fits
                .iter()
                .map(|fit| Hit {
                    fit,
                    run: run_command(&fit.id),
                })
                .collect();
            json_text(&serde_json::to_value(&hits).map_err(|e| Error::Message(e.to_string()))?)?
        }
        TextFormat::Text => match fits.first() {
            None => "no shipped runbook matches this text\n".to_owned(),
            Some(first) => {
                let mut s = String::new();
                for (i, f) in fits.iter().enumerate() {
                    let _ = writeln!(s, "{}. {} (score {}): {}", i + 1, f.id, f.score, f.title);
                    for r in &f.reasons {
                        let _ = writeln!(s, "     - {r}");
                    }
                }
                let _ = writeln!(s, "\nstart it with: {}", run_command(&first.id));
                s
            }
        },
    };
    Ok((out, found))
}
