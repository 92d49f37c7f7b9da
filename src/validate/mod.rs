//! Turns a parsed [`RawRunbook`] into a validated [`Runbook`], collecting every problem.
//!
//! The checks: names and ids, per-kind keys, parameter types with their examples and defaults,
//! jumps that land, cycles that no decision breaks, `for_each` over lists, templates that compile
//! and read only variables that exist at that point, captured values used only after the step
//! that captures them, and destructive steps that say how to undo them. Finally every template
//! is rendered once with the examples, so a runbook that validates also exports.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use crate::condition::is_name;
use crate::param::{Scalar, Value, ValueType};
use crate::raw::{RawRunbook, RawStep, RawValue, Span, TypeName};
use crate::render::Renderer;
use crate::runbook::{Param, Runbook, Target, Template};
use crate::source::{Diagnostic, Source};
use crate::suggest;
use crate::templates::Templates;
use crate::yaml::position;

/// Validates `raw` (parsed from `source`); templates named by `template:` come from `templates`.
pub fn validate(
    source: &Source,
    raw: RawRunbook,
    templates: &Templates,
) -> Result<(Runbook, Renderer), Vec<Diagnostic>> {
    let mut v = Validator {
        source,
        diags: Vec::new(),
        texts: Vec::new(),
        template_spans: HashMap::new(),
        files: std::collections::BTreeMap::new(),
    };
    // Computed from the same parse: parsing again for them doubled YAML's share of validation.
    let warnings = warnings::check(source, &raw);
    let runbook = v.runbook(raw, templates).map(|mut rb| {
        rb.warnings = warnings;
        rb
    });
    let renderer = match Renderer::new(v.texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        Ok(r) => Some(r),
        Err((name, message)) => {
            let (line, col) = v.template_spans.get(&name).copied().unwrap_or((1, 1));
            v.diag(line, col, message);
            None
        }
    };
    if let (Some(rb), Some(r)) = (&runbook, &renderer) {
        if v.diags.is_empty() {
            v.check_variables(rb, r);
        }
        if v.diags.is_empty() {
            v.render_examples(rb, r);
        }
    }
    v.diags.sort_by_key(|d| (d.line, d.column));
    match (runbook, renderer) {
        (Some(rb), Some(r)) if v.diags.is_empty() => Ok((rb, r)),
        _ => Err(v.diags),
    }
}

struct Validator<'a> {
    source: &'a Source,
    diags: Vec<Diagnostic>,
    /// Tera template name -> text, for every template the runbook uses.
    texts: Vec<(String, String)>,
    template_spans: HashMap<String, (u64, u64)>,
    /// Template files used, by file name.
    files: std::collections::BTreeMap<String, String>,
}

fn id_ok(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl Validator<'_> {
    fn diag(&mut self, line: u64, column: u64, message: impl Into<String>) {
        self.diags
            .push(self.source.diagnostic(line, column, message.into()));
    }

    fn at<T>(&mut self, span: &Span<T>, message: impl Into<String>) {
        let (l, c) = position(span);
        self.diag(l, c, message);
    }

    fn runbook(&mut self, raw: RawRunbook, templates: &Templates) -> Option<Runbook> {
        if !id_ok(&raw.id.value) {
            self.at(
                &raw.id,
                format!(
                    "runbook id `{}` must be kebab-case: lowercase letters, digits and `-`",
                    raw.id.value
                ),
            );
        }
        if raw.version.value.trim().is_empty() {
            self.at(&raw.version, "`version` is empty");
        }
        if raw.title.trim().is_empty() {
            self.diag(1, 1, "`title` is empty");
        }
        for r in &raw.references {
            if !(r.starts_with("https://") || r.starts_with("http://")) {
                self.diag(1, 1, format!("reference `{r}` is not an http(s) URL"));
            }
        }
        let params = self.params(&raw);
        let matches = self.matches(raw.matches.as_ref());
        let ids: HashMap<String, usize> = raw
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.value.clone(), i))
            .collect();
        let mut seen = HashSet::new();
        let mut steps = Vec::new();
        for (index, step) in raw.steps.iter().enumerate() {
            if !seen.insert(step.id.value.clone()) {
                self.at(&step.id, format!("duplicate step id `{}`", step.id.value));
            }
            if let Some(s) = self.step(index, step, &raw, &params, &ids, templates) {
                steps.push(s);
            }
        }
        if raw.steps.is_empty() {
            self.diag(1, 1, "the runbook has no steps");
        }
        if steps.len() == raw.steps.len() {
            self.check_cycles(&raw, &steps);
        }
        let sha256 = crate::runbook::sha256_hex(&self.source.text);
        Some(Runbook {
            id: raw.id.value.clone(),
            title: raw.title.clone(),
            version: raw.version.value.clone(),
            description: raw.description.trim_end().to_owned(),
            references: raw.references.clone(),
            params,
            steps,
            source_name: self.source.name.clone(),
            source_text: self.source.text.clone(),
            sha256,
            template_files: std::mem::take(&mut self.files),
            matches,
            preamble: raw.preamble.clone(),
            warnings: Vec::new(),
            timeout_secs: self
                .timeout(raw.timeout.as_ref())
                .unwrap_or(exec::DEFAULT_TIMEOUT_SECS),
        })
    }

    fn value_type(
        &mut self,
        type_: &Span<TypeName>,
        items: Option<&Span<TypeName>>,
        values: &[String],
        what: &str,
    ) -> Option<ValueType> {
        let scalar = |t: TypeName| -> Option<Scalar> {
            Some(match t {
                TypeName::String => Scalar::String,
                TypeName::Bool => Scalar::Bool,
                TypeName::Int => Scalar::Int,
                TypeName::Enum => Scalar::Enum(values.to_vec()),
                TypeName::Domain => Scalar::Domain,
                TypeName::Email => Scalar::Email,
                TypeName::Thumbprint => Scalar::Thumbprint,
                TypeName::Uri => Scalar::Uri,
                TypeName::Path => Scalar::Path,
                TypeName::List => return None,
            })
        };
        let uses_enum =
            type_.value == TypeName::Enum || items.is_some_and(|i| i.value == TypeName::Enum);
        if uses_enum && values.is_empty() {
            self.at(type_, format!("{what} is an `enum` without `values`"));
            return None;
        }
        if !uses_enum && !values.is_empty() {
            self.at(type_, format!("{what} has `values` but is not an `enum`"));
        }
        match (type_.value, items) {
            (TypeName::List, Some(i)) => match scalar(i.value) {
                Some(s) => Some(ValueType::List(s)),
                None => {
                    self.at(i, format!("{what}: a list of lists is not supported"));
                    None
                }
            },
            (TypeName::List, None) => {
                self.at(
                    type_,
                    format!("{what} is a `list` without `items` (the element type)"),
                );
                None
            }
            (t, Some(i)) => {
                self.at(i, format!("{what} has `items` but is not a `list`"));
                scalar(t).map(ValueType::Scalar)
            }
            (t, None) => scalar(t).map(ValueType::Scalar),
        }
    }

    fn matches(&mut self, raw: Option<&crate::raw::RawMatches>) -> crate::runbook::Matches {
        let mut m = crate::runbook::Matches::default();
        let Some(raw) = raw else { return m };
        m.anchors = self.match_patterns(&raw.anchors, "anchor");
        m.errors = self.match_patterns(&raw.errors, "error");
        m.context = self.match_patterns(&raw.context, "context");
        m.events = raw.events.iter().map(|e| (e.id, e.log.clone())).collect();
        m.codes = raw.codes.clone();
        m
    }

    fn match_patterns(&mut self, raw: &[Span<String>], what: &str) -> Vec<String> {
        let mut ok = Vec::new();
        for e in raw {
            // Only parsed here: compiling waits for `runbook match`, so loading a runbook to
            // run or export it does not pay for automata it never uses. Parsed case-sensitively
            // although `match` ignores case: case folding finds no other errors, and folding
            // Unicode classes was a third of validating every shipped runbook.
            let parsed = regex_syntax::ParserBuilder::new().build().parse(&e.value);
            match parsed {
                Ok(_) => ok.push(e.value.clone()),
                Err(err) => {
                    let first = err
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or_default()
                        .to_owned();
                    self.at(e, format!("invalid {what} pattern in `matches`: {first}"));
                }
            }
        }
        ok
    }

    fn pattern(&mut self, pattern: Option<&Span<String>>) -> Option<Regex> {
        let p = pattern?;
        match Regex::new(&format!("^(?:{})$", p.value)) {
            Ok(re) => Some(re),
            Err(e) => {
                let first = e.to_string().lines().last().unwrap_or_default().to_owned();
                self.at(p, format!("invalid `pattern`: {first}"));
                None
            }
        }
    }

    /// `value` if it respects `max_length`, else a diagnostic at `raw`.
    fn within<T>(
        &mut self,
        raw: &Span<T>,
        value: Value,
        max_length: Option<usize>,
        what: &str,
    ) -> Option<Value> {
        match crate::param::check_max_length(&value, max_length) {
            Ok(()) => Some(value),
            Err(e) => {
                self.at(raw, format!("{what} {e}"));
                None
            }
        }
    }

    fn typed_value(
        &mut self,
        raw: &Span<RawValue>,
        ty: &ValueType,
        pattern: Option<&Regex>,
        what: &str,
    ) -> Option<Value> {
        let result = match &raw.value {
            RawValue::Scalar(s) => ty.parse_text(s, pattern),
            RawValue::List(items) => ty.parse_items(items, pattern),
        };
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.at(raw, format!("{what} {e}"));
                None
            }
        }
    }

    fn params(&mut self, raw: &RawRunbook) -> Vec<Param> {
        let mut out: Vec<Param> = Vec::new();
        for p in &raw.params {
            let name = &p.name.value;
            if !is_name(name) {
                self.at(
                    &p.name,
                    format!("parameter name `{name}` must match [a-z][a-z0-9_]*"),
                );
            }
            if out.iter().any(|q| &q.name == name) {
                self.at(&p.name, format!("duplicate parameter `{name}`"));
            }
            let what = format!("parameter `{name}`");
            let Some(value_type) = self.value_type(&p.type_, p.items.as_ref(), &p.values, &what)
            else {
                continue;
            };
            let pattern = self.pattern(p.pattern.as_ref());
            let max_length = p.max_length.as_ref().and_then(|m| {
                if m.value == 0 {
                    self.at(m, format!("`max_length` of {what} must be at least 1"));
                }
                usize::try_from(m.value).ok().filter(|&n| n > 0)
            });
            let example = match &p.example {
                Some(e) => self
                    .typed_value(
                        e,
                        &value_type,
                        pattern.as_ref(),
                        &format!("the example of {what}:"),
                    )
                    .and_then(|v| self.within(e, v, max_length, &format!("the example of {what}"))),
                None => {
                    self.at(
                        &p.name,
                        format!("{what} has no `example` (every parameter needs one)"),
                    );
                    None
                }
            };
            let default = p.default.as_ref().and_then(|d| {
                self.typed_value(
                    d,
                    &value_type,
                    pattern.as_ref(),
                    &format!("the default of {what}:"),
                )
                .and_then(|v| self.within(d, v, max_length, &format!("the default of {what}")))
            });
            if p.default.is_some() && default.is_none() {
                continue;
            }
            let Some(example) = example else { continue };
            out.push(Param {
                name: name.clone(),
                required: p.required.unwrap_or(true) && default.is_none(),
                value_type,
                default,
                example,
                prompt: p.prompt.clone(),
                help: p.help.clone(),
                pattern,
                max_length,
                secret: p.secret,
            });
        }
        out
    }

    fn template(
        &mut self,
        step: &RawStep,
        field: &str,
        inline: Option<&Span<String>>,
        file: Option<&Span<String>>,
        templates: &Templates,
        ps1: bool,
    ) -> Option<Template> {
        let id = &step.id.value;
        match (inline, file) {
            (Some(c), Some(_)) => {
                self.at(
                    c,
                    format!("step `{id}` has both an inline {field} and `template`; keep one"),
                );
                None
            }
            (Some(c), None) => {
                let ext = if ps1 { "ps1" } else { "txt" };
                let name = format!("{id}/{field}.{ext}");
                self.template_spans.insert(name.clone(), position(c));
                self.texts.push((name.clone(), c.value.clone()));
                Some(Template {
                    name,
                    origin: format!("step `{id}` {field}"),
                    inline_at: Some(position(c)),
                })
            }
            (None, Some(f)) => {
                let file_name = &f.value;
                let ok_ext = if ps1 {
                    file_name.ends_with(".ps1")
                } else {
                    file_name.ends_with(".txt") || file_name.ends_with(".md")
                };
                if !ok_ext {
                    let want = if ps1 {
                        "`.ps1` (PowerShell, quoted)"
                    } else {
                        "`.txt` or `.md` (a message)"
                    };
                    self.at(f, format!("template `{file_name}` must end in {want}"));
                    return None;
                }
                let Some((origin, text)) = templates.get(file_name) else {
                    let known = templates.names();
                    let hint = suggest::hint(file_name, known.iter().map(String::as_str));
                    self.at(f, format!("unknown template `{file_name}`{hint}"));
                    return None;
                };
                self.files.insert(file_name.clone(), text.clone());
                let name = format!("{id}/{field}/{file_name}");
                self.template_spans.insert(name.clone(), position(f));
                self.texts.push((name.clone(), text));
                Some(Template {
                    name,
                    origin,
                    inline_at: None,
                })
            }
            (None, None) => None,
        }
    }

    fn target(&mut self, span: &Span<String>, ids: &HashMap<String, usize>) -> Option<Target> {
        if span.value == "end" {
            return Some(Target::End);
        }
        match ids.get(&span.value) {
            Some(i) => Some(Target::Step(*i)),
            None => {
                let hint = suggest::hint(&span.value, ids.keys().map(String::as_str));
                self.at(span, format!("jump to unknown step `{}`{hint}", span.value));
                None
            }
        }
    }
}

mod exec;
mod flow;
mod kind;
mod step;
mod warnings;
