//! Turns a parsed [`RawRunbook`] into a validated [`Runbook`], collecting every problem.
//!
//! The checks: names and ids, per-kind keys, parameter types with their examples and defaults,
//! jumps that land, cycles that no decision breaks, `for_each` over lists, templates that compile
//! and read only variables that exist at that point, captured values used only after the step
//! that captures them, and destructive steps that say how to undo them. Finally every template
//! is rendered once with the examples, so a runbook that validates also exports.

mod exec;
mod flow;
mod kind;
mod params;
mod step;
mod template;
mod warnings;

use std::collections::{HashMap, HashSet};

use crate::raw::{RawRunbook, Span};
use crate::render::Renderer;
use crate::runbook::{Runbook, Target};
use crate::source::{Diagnostic, Source};
use crate::suggest;
use crate::templates::Templates;
use crate::yaml::position;

/// Validates `raw` (parsed from `source`); templates named by `template:` come from `templates`.
pub(crate) fn validate(
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
    let mut runbook = v.runbook(raw, templates);
    runbook.warnings = warnings;
    let renderer = match Renderer::new(v.texts.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        Ok(r) => Some(r),
        Err((name, message)) => {
            let (line, col) = v.template_spans.get(&name).copied().unwrap_or((1, 1));
            v.diag(line, col, message);
            None
        }
    };
    if let Some(r) = &renderer {
        if v.diags.is_empty() {
            v.check_variables(&runbook, r);
        }
        if v.diags.is_empty() {
            v.render_examples(&runbook, r);
        }
    }
    v.diags.sort_by_key(|d| (d.line, d.column));
    match renderer {
        Some(r) if v.diags.is_empty() => Ok((runbook, r)),
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

    fn runbook(&mut self, raw: RawRunbook, templates: &Templates) -> Runbook {
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
        let timeout_secs = self
            .timeout(raw.timeout.as_ref())
            .unwrap_or(exec::DEFAULT_TIMEOUT_SECS);
        Runbook {
            id: raw.id.value,
            title: raw.title,
            version: raw.version.value,
            description: raw.description.trim_end().to_owned(),
            references: raw.references,
            params,
            steps,
            source_name: self.source.name.clone(),
            source_text: self.source.text.clone(),
            sha256,
            template_files: std::mem::take(&mut self.files),
            matches,
            preamble: raw.preamble,
            warnings: Vec::new(),
            timeout_secs,
        }
    }

    fn matches(&mut self, raw: Option<&crate::raw::RawMatches>) -> crate::runbook::Matches {
        let mut m = crate::runbook::Matches::default();
        let Some(raw) = raw else { return m };
        m.anchors = self.match_patterns(&raw.anchors, "anchor");
        m.errors = self.match_patterns(&raw.errors, "error");
        m.context = self.match_patterns(&raw.context, "context");
        m.events = raw.events.iter().map(|e| (e.id, e.log.clone())).collect();
        m.codes.clone_from(&raw.codes);
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

    fn target(&mut self, span: &Span<String>, ids: &HashMap<String, usize>) -> Option<Target> {
        if span.value == "end" {
            return Some(Target::End);
        }
        if let Some(i) = ids.get(&span.value) {
            Some(Target::Step(*i))
        } else {
            let hint = suggest::hint(&span.value, ids.keys().map(String::as_str));
            self.at(span, format!("jump to unknown step `{}`{hint}", span.value));
            None
        }
    }
}
