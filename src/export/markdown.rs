//! The Markdown change plan: what a reviewer attaches to the change ticket.

use std::fmt::Write as _;

use super::Meta;
use super::plan::{Item, Plan, literal};
use crate::error::Result;
use crate::runbook::{StepKind, Target};

/// An inline code span that survives backticks in the text.
fn code_span(text: &str) -> String {
    let mut run = 0;
    let mut max_run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            max_run = max_run.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(max_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn fenced(s: &mut String, text: &str) {
    let _ = writeln!(s, "```powershell\n{}\n```\n", text.trim_end());
}

/// Renders the change plan.
pub(super) fn render(plan: &Plan<'_>, meta: &Meta) -> Result<String> {
    let rb = plan.runbook;
    let mut s = String::with_capacity(8192);
    let [read, change, destructive] = rb.impact_counts();
    let _ = writeln!(s, "# Change plan: {}\n", rb.title);
    let _ = writeln!(
        s,
        "Runbook {} version {} (sha256 {}), generated {} by {}.\n",
        code_span(&rb.id),
        code_span(&rb.version),
        code_span(&rb.sha256),
        meta.generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        meta.generator
    );
    let _ = writeln!(s, "## Purpose\n\n{}\n", rb.description.trim());
    let _ = writeln!(
        s,
        "## Parameters\n\n| parameter | type | value |\n|---|---|---|"
    );
    for p in &rb.params {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            code_span(&p.name),
            p.value_type,
            cell(&code_span(&plan.shown_value(p)))
        );
    }
    let gates = rb.steps.iter().filter(|st| st.is_gate()).count();
    let decisions = rb
        .steps
        .iter()
        .filter(|st| matches!(st.kind, StepKind::Decision { .. }))
        .count();
    let _ = writeln!(
        s,
        "\n## Summary\n\n{} steps: {read} read, {change} change, {destructive} destructive; {gates} gates, {decisions} decisions.\n",
        rb.steps.len()
    );
    let _ = writeln!(
        s,
        "## Flow\n\n```mermaid\n{}```\n",
        crate::graph::build(rb).mermaid()
    );
    let _ = writeln!(s, "## Steps\n");
    for ps in &plan.steps {
        let st = ps.step;
        let _ = writeln!(
            s,
            "### {}. {}\n\n{} · impact **{}**{}{}\n",
            ps.number,
            st.title,
            code_span(&st.id),
            st.impact.name(),
            match &st.kind {
                StepKind::Check { gate: true, .. } => " · gate".to_owned(),
                k => format!(" · {}", k.name()),
            },
            st.for_each
                .as_ref()
                .map(|f| format!(
                    " · for each {} in {}",
                    code_span(&f.item),
                    code_span(&f.list)
                ))
                .unwrap_or_default()
        );
        if let Some(c) = &st.when {
            let verdict = if ps.included {
                ""
            } else {
                " (false for these parameters: skipped)"
            };
            let _ = writeln!(s, "Only when {}{verdict}.\n", code_span(&c.to_string()));
        }
        if let Some(i) = &st.instructions {
            let _ = writeln!(s, "{}\n", i.trim());
        }
        if st.unresolved {
            let _ = writeln!(
                s,
                "**Ends the run without a fix** (the exported script exits with 2).\n"
            );
        }
        if !ps.included {
            continue;
        }
        let units = ps
            .items
            .iter()
            .map(|item| plan.unit(ps, item.as_ref()).map(placeholders))
            .collect::<Result<Vec<_>>>()?;
        match &st.kind {
            StepKind::Decision { question, choices } => {
                let _ = writeln!(s, "**Decision:** {question}\n");
                for c in choices {
                    let target = match &c.goto {
                        Some(Target::Step(i)) => format!("go to {}", code_span(&rb.steps[*i].id)),
                        Some(Target::End) => "end the run".into(),
                        None => "continue".into(),
                    };
                    let _ = writeln!(s, "- {} {}: {target}", code_span(&c.id), c.label);
                }
                s.push('\n');
            }
            StepKind::Approval { approver } => {
                let _ = writeln!(s, "**Approval by:** {approver}\n");
            }
            StepKind::Capture {
                variable,
                value_type,
                ..
            } => {
                let _ = writeln!(
                    s,
                    "**Captures** {} ({value_type}); later steps show it as {}, and the script takes it as {} when resuming.\n",
                    code_span(variable),
                    code_span(&format!("<captured: {variable}>")),
                    code_span(&format!("-{}", crate::runbook::script_parameter(variable)))
                );
            }
            StepKind::Wait { interval_secs, .. } => {
                let _ = writeln!(s, "**Wait**, checking every {interval_secs} s.\n");
            }
            StepKind::Notify { to, subject, .. } => {
                let _ = writeln!(
                    s,
                    "**Notify:** {to}{}\n",
                    subject
                        .as_ref()
                        .map(|x| format!(" — {x}"))
                        .unwrap_or_default()
                );
            }
            _ => {}
        }
        let commands: Vec<String> = units
            .iter()
            .filter_map(|u| {
                let c = u.command.as_ref()?;
                Some(match &u.item {
                    Some(Item::Known(v)) if units.len() > 1 => {
                        format!("# {}\n{}", literal(v), c.trim_end())
                    }
                    _ => c.trim_end().to_owned(),
                })
            })
            .collect();
        if !commands.is_empty() {
            if let StepKind::Notify { .. } = st.kind {
                let _ = writeln!(s, "```text\n{}\n```\n", commands.join("\n\n"));
            } else {
                if let Some((list, item)) = &ps.runtime_loop {
                    let _ = writeln!(s, "Run for each `${item}` in `${list}`:\n");
                }
                fenced(&mut s, &commands.join("\n\n"));
            }
        }
        let expect = match &st.kind {
            StepKind::Command {
                verify: Some(v), ..
            } => {
                let verifies: Vec<&str> =
                    units.iter().filter_map(|u| u.verify.as_deref()).collect();
                let _ = writeln!(s, "**Verify:**\n");
                fenced(&mut s, &verifies.join("\n\n"));
                v.expect.as_deref()
            }
            StepKind::Check { expect, .. } | StepKind::Wait { expect, .. } => expect.as_deref(),
            _ => None,
        };
        if let Some(e) = expect {
            let _ = writeln!(s, "**Pass:** {}\n", e.trim());
        }
        if let Some(r) = &st.rollback {
            let _ = writeln!(
                s,
                "**Rollback:** {}\n",
                r.instructions.as_deref().unwrap_or("").trim()
            );
            let rollbacks: Vec<&str> = units.iter().filter_map(|u| u.rollback.as_deref()).collect();
            if !rollbacks.is_empty() {
                fenced(&mut s, &rollbacks.join("\n\n"));
            }
        }
    }
    let _ = writeln!(s, "## Rollback notes\n");
    for st in rb.steps.iter().filter(|st| st.rollback.is_some()) {
        let text = st
            .rollback
            .as_ref()
            .and_then(|r| r.instructions.as_deref())
            .unwrap_or("see the step");
        // The whole text on one list line: a cut-off rollback is worse than a long one.
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            s,
            "- {} ({}): {joined}",
            code_span(&st.id),
            st.impact.name()
        );
    }
    let _ = writeln!(s, "\n## References\n");
    for r in &rb.references {
        let _ = writeln!(s, "- <{r}>");
    }
    Ok(s)
}

/// A unit with each captured value written `<captured: name>`: the plan is read before any
/// value is known, and a bare `$name` reads like a value that was forgotten.
fn placeholders(mut unit: super::RenderedUnit) -> super::RenderedUnit {
    let show = |t: &mut Option<String>| {
        if let Some(text) = t {
            *text = crate::render::show_captured(text, |name| format!("<captured: {name}>"))
                .into_owned();
        }
    };
    show(&mut unit.command);
    show(&mut unit.verify);
    show(&mut unit.rollback);
    if let Some(name) = unit.confirm.as_deref().and_then(|c| c.strip_prefix('$')) {
        unit.confirm = Some(format!("<captured: {name}>"));
    }
    unit
}
