//! Gathers parameter values from `--example`, a `--params` file and `--set NAME=VALUE`, in that
//! order of precedence (later wins), checking each against its declared type.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result, ValueProblem};
use crate::loader::read_source;
use crate::raw::RawValue;
use crate::runbook::{Param, Runbook};
use crate::scope::Values;
use crate::suggest;
use crate::yaml;

/// Where values come from.
#[derive(Debug, Clone, Default)]
pub struct ValueInputs {
    /// Start from every parameter's `example`.
    pub example: bool,
    /// A YAML file mapping names to values.
    pub params_file: Option<PathBuf>,
    /// `NAME=VALUE` pairs; a list is comma-separated.
    pub sets: Vec<String>,
    /// The `params:` of an answers file (its name, the values), applied before `--set`.
    pub answer_params: Option<(
        String,
        std::collections::BTreeMap<String, yaml::SpannedValue>,
    )>,
}

/// Checked values, and the required parameters still missing (in declaration order).
#[derive(Debug, Clone, Default)]
pub(crate) struct Gathered {
    /// Values by name (defaults included).
    pub values: Values,
    /// Where each value came from: `default`, `example` or `given`.
    pub origins: BTreeMap<String, &'static str>,
    /// Required parameters without a value.
    pub missing: Vec<String>,
}

/// Gathers and checks values; every bad value is reported, not just the first.
pub(crate) fn gather(runbook: &Runbook, inputs: &ValueInputs) -> Result<Gathered> {
    let mut values = Values::new();
    let mut origins = BTreeMap::new();
    let mut problems = Vec::new();
    for p in &runbook.params {
        if let Some(d) = &p.default {
            values.insert(p.name.clone(), d.clone());
            origins.insert(p.name.clone(), "default");
        }
        if inputs.example {
            values.insert(p.name.clone(), p.example.clone());
            origins.insert(p.name.clone(), "example");
        }
    }
    let names: Vec<&str> = runbook.params.iter().map(|p| p.name.as_str()).collect();
    let unknown = |name: &str| {
        let hint = suggest::hint(name, names.iter().copied());
        format!(
            "is not a parameter of `{}`{hint} (parameters: {})",
            runbook.id,
            names.join(", ")
        )
    };
    let mut maps = Vec::new();
    if let Some(path) = &inputs.params_file {
        let source = read_source(path)?;
        let map = yaml::params(&source).map_err(|d| Error::Invalid {
            diagnostics: vec![d],
        })?;
        maps.push((source.name, map));
    }
    if let Some((name, map)) = &inputs.answer_params {
        maps.push((name.clone(), map.clone()));
    }
    for (source_name, map) in maps {
        for (name, raw) in map {
            let Some(param) = runbook.param(&name) else {
                problems.push(ValueProblem {
                    param: name.clone(),
                    value: None,
                    message: format!("{source_name}: {}", unknown(&name)),
                });
                continue;
            };
            let (text, result) = match &raw.value {
                RawValue::Scalar(s) => (s.clone(), param.parse_text(s)),
                RawValue::List(items) => (items.join(","), param.parse_items(items)),
            };
            match result {
                Ok(v) => {
                    origins.insert(name.clone(), "given");
                    values.insert(name, v);
                }
                Err(e) => {
                    let (line, col) = yaml::position(&raw);
                    problems.push(ValueProblem {
                        param: name,
                        value: shown(param, &text),
                        message: format!(
                            "{} ({source_name}:{line}:{col})",
                            e.message(param.secret)
                        ),
                    });
                }
            }
        }
    }
    for (i, set) in inputs.sets.iter().enumerate() {
        let Some((name, text)) = set.split_once('=') else {
            // Named only when it is a parameter's name: the argument may be a mistyped secret.
            let param = match runbook.param(set.trim()) {
                Some(p) => p.name.clone(),
                None => format!("(--set number {})", i + 1),
            };
            problems.push(ValueProblem {
                param,
                value: None,
                message: "`--set` takes NAME=VALUE".into(),
            });
            continue;
        };
        let name = name.trim();
        let Some(param) = runbook.param(name) else {
            problems.push(ValueProblem {
                param: name.to_owned(),
                value: None,
                message: unknown(name),
            });
            continue;
        };
        match param.parse_text(text) {
            Ok(v) => {
                origins.insert(name.to_owned(), "given");
                values.insert(name.to_owned(), v);
            }
            Err(e) => problems.push(ValueProblem {
                param: name.to_owned(),
                value: shown(param, text),
                message: e.message(param.secret),
            }),
        }
    }
    let missing = runbook
        .params
        .iter()
        .filter(|p| p.required && !values.contains_key(&p.name))
        .map(|p| p.name.clone())
        .collect();
    if problems.is_empty() {
        Ok(Gathered {
            values,
            origins,
            missing,
        })
    } else {
        Err(Error::Values { problems })
    }
}

/// The longest value, in characters, an error message repeats.
const SHOWN_CHARS: usize = 200;

/// The value as an error message shows it: never a secret's (issue 5: a secret appears in no
/// error message), and a long value only in part.
fn shown(param: &Param, text: &str) -> Option<String> {
    if param.secret {
        return None;
    }
    Some(match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    })
}

/// Like `gather`, but a missing required value is an error too (for export).
pub fn gather_complete(runbook: &Runbook, inputs: &ValueInputs) -> Result<Values> {
    let gathered = gather(runbook, inputs)?;
    if gathered.missing.is_empty() {
        return Ok(gathered.values);
    }
    Err(Error::Values {
        problems: gathered
            .missing
            .iter()
            .filter_map(|name| runbook.param(name))
            .map(|p| ValueProblem {
                param: p.name.clone(),
                value: None,
                message: format!(
                    "is missing; {} (give it with `--set {}=...`, a `--params` file, or use `--example`)",
                    match &p.value_type {
                        crate::param::ValueType::Scalar(s) => s.expected(),
                        crate::param::ValueType::List(s) =>
                            format!("a comma-separated list, each {}", s.expected()),
                    },
                    p.name
                ),
            })
            .collect(),
    })
}
