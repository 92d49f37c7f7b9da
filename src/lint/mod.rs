//! PowerShell checks of `runbook validate` (issue 11 §3): every command template of a valid
//! runbook (inline `command`, `verify.command`, `rollback.command`, the `preamble`, and `.ps1`
//! files in `templates/`) is rendered as the exported script renders it (examples for the
//! parameters, `$name` for captured values), parsed with the tree-sitter-powershell grammar and
//! searched for the classes of bug of the change review of 2026-11-29 (domain reference §7).
//!
//! This module owns which text is checked and where a finding is reported: `path:line:col` of
//! the template file, or of the runbook line an inline command is written on. `rules` owns the
//! checks, `syntax` the view of the syntax tree, `position` the mapping back to the source,
//! `cmdlets` the cmdlet lists. Findings are errors; there is no way to silence one line.
//!
//! Only `runbook validate` runs them: loading a runbook to run or export it does not pay for the
//! parse (validation stays what makes a runbook loadable; these checks are what makes it fit
//! to ship).

mod cmdlets;
mod position;
mod rules;
mod syntax;

use std::collections::{BTreeSet, HashSet};

use crate::param::Value;
use crate::render::{Binding, Renderer, is_powershell};
use crate::runbook::{Runbook, StepKind, Template};
use crate::scope::{self, Captures, Secrets};
use crate::source::{Diagnostic, Source};

/// Every finding in `runbook`'s command templates, in file order.
pub(crate) fn check(runbook: &Runbook, renderer: &Renderer) -> Vec<Diagnostic> {
    let mut grammar = syntax::Grammar::new();
    let yaml = Source {
        name: runbook.source_name.clone(),
        text: runbook.source_text.clone(),
    };
    let params = scope::example_values(runbook);
    let mut seen = BTreeSet::new();
    let mut checked = HashSet::new();
    let mut out = Vec::new();
    if let Some(preamble) = &runbook.preamble {
        let at = preamble_position(&yaml.text);
        for f in findings(&mut grammar, preamble, None) {
            let (line, col) = line_col(preamble, f.at);
            let (l, c) = position::in_yaml(&yaml.text, at, preamble, line, col);
            out.push(yaml.diagnostic(l, c, f.message));
        }
    }
    for (index, step) in runbook.steps.iter().enumerate() {
        let mut bindings =
            scope::bindings(runbook, &params, Captures::Deferred, Secrets::Mask, index);
        if let Some(f) = &step.for_each {
            let item = match params.get(&f.list) {
                Some(Value::List(items)) if !items.is_empty() => Binding::Value(items[0].clone()),
                _ => Binding::Deferred,
            };
            bindings.insert(f.item.clone(), item);
        }
        let ctx = Renderer::context(&bindings);
        let confirmed_command = match &step.kind {
            StepKind::Command {
                command,
                confirm: Some(_),
                ..
            } => Some(command),
            _ => None,
        };
        for t in step.templates() {
            if !is_powershell(&t.name) {
                continue;
            }
            // A template the validator rendered renders again; if not, validation reported it.
            let Ok(rendered) = renderer.render(t, &ctx) else {
                continue;
            };
            let typed = confirmed_command
                .is_some_and(|c| std::ptr::eq(c, t))
                .then_some(step.id.as_str());
            // A template file used by several steps usually renders the same each time: its
            // findings would be the same too (parsing is most of the cost of these checks).
            if !checked.insert((t.origin.clone(), typed.is_some(), rendered.clone())) {
                continue;
            }
            let mut found = findings(&mut grammar, &rendered, typed);
            found.extend(resume_targets(runbook, &rendered));
            for f in found {
                let d = locate(runbook, &yaml, t, &rendered, f);
                if seen.insert((d.file.clone(), d.line, d.column, d.message.clone())) {
                    out.push(d);
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    out
}

fn findings(grammar: &mut syntax::Grammar, text: &str, typed: Option<&str>) -> Vec<rules::Finding> {
    let Some(tree) = grammar.parse(text) else {
        return Vec::new();
    };
    let script = grammar.index(text, &tree);
    rules::check(
        &script,
        &rules::Context {
            typed_confirmation: typed,
        },
    )
}

/// `RESUME AT: <step-id>` in an error message sends the exported script's resume command to
/// that step, so it must name one of this runbook's steps.
fn resume_targets(runbook: &Runbook, text: &str) -> Vec<rules::Finding> {
    const MARK: &str = "RESUME AT:";
    let mut out = Vec::new();
    for (at, _) in text.match_indices(MARK) {
        let rest = text[at + MARK.len()..].trim_start();
        let target: String = rest
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
            .collect();
        if !runbook.steps.iter().any(|s| s.id == target) {
            out.push(rules::Finding {
                at,
                message: format!(
                    "`resume-at`: `RESUME AT: {target}` names no step of this runbook: the \
                     exported script would print a resume command for a step that does not \
                     exist (review N5, second change review; domain reference §7.4)"
                ),
            });
        }
    }
    out
}

/// The diagnostic for finding `f` of template `t` (rendered as `rendered`).
fn locate(
    runbook: &Runbook,
    yaml: &Source,
    t: &Template,
    rendered: &str,
    f: rules::Finding,
) -> Diagnostic {
    let (line, col) = line_col(rendered, f.at);
    let file_name = t.name.rsplit('/').next().unwrap_or(&t.name);
    match (t.inline_at, runbook.template_files.get(file_name)) {
        (Some(at), _) => {
            let raw = inline_text(yaml, at);
            let (tl, tc) = position::in_template(&raw, rendered, line, col);
            let (l, c) = position::in_yaml(&yaml.text, at, &raw, tl, tc);
            yaml.diagnostic(l, c, f.message)
        }
        (None, Some(text)) => {
            let (tl, tc) = position::in_template(text, rendered, line, col);
            let file = Source {
                name: t.origin.clone(),
                text: text.clone(),
            };
            file.diagnostic(to_u64(tl + 1), to_u64(tc + 1), f.message)
        }
        (None, None) => yaml.diagnostic(0, 0, f.message),
    }
}

/// The text of the inline YAML value at `at`, as the template was written (a literal block's
/// lines without their indentation; a one-line scalar as it is).
fn inline_text(yaml: &Source, at: (u64, u64)) -> String {
    let lines: Vec<&str> = yaml.text.lines().collect();
    let Some((first, indent)) = position::block(&lines, at) else {
        let start = usize::try_from(at.0).unwrap_or(1).saturating_sub(1);
        let skip = usize::try_from(at.1).unwrap_or(1).saturating_sub(1);
        return lines
            .get(start)
            .map(|l| l.chars().skip(skip).collect())
            .unwrap_or_default();
    };
    let mut out = String::new();
    for l in lines.iter().skip(first) {
        let lead = l.chars().take_while(|c| *c == ' ').count();
        if !l.trim().is_empty() && lead < indent {
            break;
        }
        out.push_str(l.get(indent.min(l.len())..).unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Where the top-level `preamble:` value starts (its block indicator).
fn preamble_position(yaml: &str) -> (u64, u64) {
    for (i, line) in yaml.lines().enumerate() {
        if let Some(rest) = line.strip_prefix("preamble:") {
            let pad = rest.chars().take_while(|c| *c == ' ').count();
            return (to_u64(i + 1), to_u64("preamble:".len() + pad + 1));
        }
    }
    (1, 1)
}

/// 0-based line and character column of byte `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count())
}

fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}
