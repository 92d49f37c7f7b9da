//! The exported PowerShell script, for Windows PowerShell 5.1: UTF-8 with BOM (5.1 reads a
//! BOM-less script in the ANSI code page) and CRLF line endings.
//!
//! Control flow uses one mechanism for every runbook: each step is `if (Enter-Step ...)`, and a
//! jump sets `$script:Goto`; steps are skipped until the target, and the surrounding loop starts
//! over for a jump backwards. No labelled `break` (the review grammar does not read it).

use std::fmt::Write as _;

/// `writeln!` with the CRLF line ending Windows tools expect, written directly (no second copy).
macro_rules! line {
    ($s:expr, $($arg:tt)*) => {{
        let _ = write!($s, $($arg)*);
        $s.push_str("\r\n");
    }};
}

use super::Meta;
use std::io::Write;

use super::plan::{Item, Plan, PlannedStep, Unit, literal};
use crate::error::{Error, Result};
use crate::quote::quote;
use crate::runbook::{StepKind, Target};

/// The helper functions every exported script starts with (`Enter-Step`, `Confirm-Target`, ...).
const PRELUDE: &str = include_str!("prelude.ps1");

/// Renders the script into `out`, in chunks, so memory stays flat however many items there are.
pub fn render(plan: &Plan<'_>, meta: &Meta, out: &mut dyn Write) -> Result<()> {
    let mut s = String::with_capacity(2 * CHUNK);
    s.push('\u{FEFF}');
    header(&mut s, plan, meta);
    s.push_str(&PRELUDE.replace('\n', "\r\n"));
    s.push_str("\r\n");
    line!(
        s,
        "# Captured values, filled in by the capture steps below."
    );
    for st in &plan.runbook.steps {
        if let StepKind::Capture { variable, .. } = &st.kind {
            line!(s, "${variable} = $null");
        }
    }
    line!(s, "$script:Goto = $null");
    line!(s, "");
    line!(s, "do {{");
    for step in &plan.steps {
        render_step(&mut s, plan, step, out)?;
    }
    line!(
        s,
        "}} while ($null -ne $script:Goto -and $script:Goto -ne 'end')"
    );
    line!(s, "");
    line!(s, "Write-Host ''");
    line!(
        s,
        "Write-Host {}",
        lit(&format!("Runbook {} finished.", plan.runbook.id))
    );
    drain(&mut s, out)
}

/// Output is handed on in chunks of about this size.
const CHUNK: usize = 64 * 1024;

fn drain(s: &mut String, out: &mut dyn Write) -> Result<()> {
    out.write_all(s.as_bytes())
        .map_err(|e| Error::io("<output>", e))?;
    s.clear();
    Ok(())
}

/// A literal for engine-built text (titles, prompts): the runbook's own text, never a value.
fn lit(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    quote(&flat).unwrap_or_else(|_| "''".into())
}

fn comment(s: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            line!(s, "{indent}#");
        } else {
            line!(s, "{indent}# {line}");
        }
    }
}

fn header(s: &mut String, plan: &Plan<'_>, meta: &Meta) {
    let rb = plan.runbook;
    let [read, change, destructive] = rb.impact_counts();
    let rule = "# ".to_owned() + &"=".repeat(78);
    line!(s, "{rule}");
    line!(s, "# {}", rb.title);
    line!(s, "#");
    line!(s, "# Runbook:    {} {}", rb.id, rb.version);
    line!(s, "# Sha256:     {}", rb.sha256);
    line!(
        s,
        "# Generated:  {} by {}",
        meta.generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        meta.generator
    );
    line!(
        s,
        "# Steps:      {} ({read} read, {change} change, {destructive} destructive)",
        rb.steps.len()
    );
    line!(s, "# Parameters:");
    for p in &rb.params {
        line!(s, "#   {} = {}", p.name, plan.shown_value(p));
    }
    line!(s, "#");
    comment(
        s,
        "",
        "Review before running. The script pauses where a person must act or judge;\n\
         destructive steps ask you to type their target. Secret values are masked as\n\
         '********': supply them before running.",
    );
    line!(s, "{rule}");
}

fn render_step(
    s: &mut String,
    plan: &Plan<'_>,
    ps: &PlannedStep<'_>,
    out: &mut dyn Write,
) -> Result<()> {
    let step = ps.step;
    let total = plan.steps.len();
    line!(s, "    # {}", "-".repeat(74));
    let mut tags = vec![step.kind.name().to_owned(), step.impact.name().to_owned()];
    if let StepKind::Check { gate: true, .. } = step.kind {
        tags.push("gate".into());
    }
    if let Some(f) = &step.for_each {
        tags.push(format!("for each {} in {}", f.item, f.list));
    }
    line!(
        s,
        "    # Step {}/{total}: {} [{}]",
        ps.number,
        step.title,
        tags.join(", ")
    );
    if let Some(text) = &step.instructions {
        comment(s, "    ", text);
    }
    if let Some(c) = &step.when {
        line!(s, "    # When: {c}");
    }
    line!(
        s,
        "    if (Enter-Step {} {}) {{",
        lit(&step.id),
        lit(&step.title)
    );
    if !ps.included {
        let c = step
            .when
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        line!(
            s,
            "        Write-Host {}",
            lit(&format!(
                "Skipped: the condition `{c}` is false for these parameters."
            ))
        );
    } else {
        let mut indent = "        ".to_owned();
        for c in &ps.uses_captures {
            line!(s, "{indent}Assert-Captured {} ${c}", lit(c));
        }
        if let Some(c) = ps.runtime_condition {
            line!(s, "{indent}if ({}) {{", runtime_condition(c));
            indent.push_str("    ");
        }
        if let Some((list, item)) = &ps.runtime_loop {
            line!(s, "{indent}foreach (${item} in ${list}) {{");
            indent.push_str("    ");
        }
        let many = ps.items.len() > 1;
        let lits = StepLiterals::new(step);
        for (i, item) in ps.items.iter().enumerate() {
            let unit = plan.unit(ps, item)?;
            let unit = &unit;
            if let (true, Some(Item::Known(v))) = (many, &unit.item) {
                line!(
                    s,
                    "{indent}# Item {}/{}: {}",
                    i + 1,
                    ps.items.len(),
                    literal(v)
                );
            }
            body(s, &indent, plan, ps, unit, &lits);
            if s.len() > CHUNK {
                drain(s, out)?;
            }
        }
        if ps.runtime_loop.is_some() {
            indent.truncate(indent.len() - 4);
            line!(s, "{indent}}}");
        }
        // A step skipped by its condition does not take its `next` jump (as in a live run).
        match &step.next {
            Some(Target::Step(i)) => {
                line!(
                    s,
                    "{indent}$script:Goto = {}",
                    lit(&plan.runbook.steps[*i].id)
                );
            }
            Some(Target::End) => line!(s, "{indent}$script:Goto = 'end'"),
            None => {}
        }
        if ps.runtime_condition.is_some() {
            indent.truncate(indent.len() - 4);
            line!(s, "{indent}}}");
        }
    }
    line!(s, "    }}");
    Ok(())
}

/// Literals a step repeats for every item, quoted once.
struct StepLiterals {
    verify_expect: String,
    check_expect: String,
    wait_prompt: String,
}

impl StepLiterals {
    fn new(step: &crate::runbook::Step) -> StepLiterals {
        let (verify, check) = match &step.kind {
            StepKind::Command { verify, .. } => {
                (verify.as_ref().and_then(|v| v.expect.as_deref()), None)
            }
            StepKind::Check { expect, .. } => (None, expect.as_deref()),
            _ => (None, None),
        };
        let wait_prompt = match &step.kind {
            StepKind::Wait {
                expect,
                interval_secs,
                ..
            } => lit(&format!(
                "Expected: {}. Done? [y = yes, Enter = check again in {interval_secs} s]",
                expect.as_deref().unwrap_or("the condition holds")
            )),
            _ => String::new(),
        };
        StepLiterals {
            verify_expect: lit(verify.unwrap_or("the verification shows the change")),
            check_expect: lit(check.unwrap_or("the check passes")),
            wait_prompt,
        }
    }
}

fn runtime_condition(c: &crate::condition::Condition) -> String {
    use crate::condition::Test;
    let var = format!("${}", c.variable);
    match &c.test {
        Test::Truthy => var,
        Test::Falsy => format!("-not {var}"),
        Test::Equals(v) => format!("{var} -eq {}", lit(v)),
        Test::NotEquals(v) => format!("{var} -ne {}", lit(v)),
    }
}

/// Writes a rendered command, indented unless it holds a here-string (whose terminator must
/// start its line).
fn code(s: &mut String, indent: &str, text: &str) {
    let here = text.contains("@'") || text.contains("@\"");
    for line in text.trim_end().lines() {
        let line = line.trim_end();
        if !here && !line.is_empty() {
            s.push_str(indent);
        }
        s.push_str(line);
        s.push_str("\r\n");
    }
}

fn body(
    s: &mut String,
    indent: &str,
    plan: &Plan<'_>,
    ps: &PlannedStep<'_>,
    unit: &Unit,
    lits: &StepLiterals,
) {
    let step_id = |i: usize| plan.runbook.steps[i].id.clone();
    let step = ps.step;
    match &step.kind {
        StepKind::Instruction => {
            line!(
                s,
                "{indent}Wait-Operator 'Do the manual action described above, then press Enter'"
            );
        }
        StepKind::Command { .. } => {
            if let Some(c) = &unit.confirm {
                line!(s, "{indent}Confirm-Target {c}");
            }
            if let Some(c) = &unit.command {
                code(s, indent, c);
            }
            if let Some(v) = &unit.verify {
                line!(s, "{indent}# Verify:");
                code(s, indent, v);
                line!(s, "{indent}Assert-Passed {}", lits.verify_expect);
            }
        }
        StepKind::Check { expect, gate, .. } => {
            if let Some(e) = expect {
                comment(s, indent, &format!("Expect: {e}"));
            }
            if let Some(c) = &unit.command {
                code(s, indent, c);
            }
            if *gate {
                line!(s, "{indent}Assert-Passed {}", lits.check_expect);
            } else {
                line!(
                    s,
                    "{indent}Wait-Operator 'Review the output above, then press Enter'"
                );
            }
        }
        StepKind::Capture {
            variable,
            value_type,
            example,
            ..
        } => match &unit.command {
            Some(c) => {
                line!(s, "{indent}${variable} = & {{");
                code(s, &format!("{indent}    "), c);
                line!(s, "{indent}}}");
                line!(s, "{indent}Assert-Captured {} ${variable}", lit(variable));
                line!(
                    s,
                    "{indent}Write-Host ('{variable} = {{0}}' -f ${variable})"
                );
            }
            None => {
                let prompt = format!(
                    "Enter {variable} ({value_type}, for example {})",
                    example.display()
                );
                line!(s, "{indent}${variable} = Read-Host {}", lit(&prompt));
                line!(s, "{indent}Assert-Captured {} ${variable}", lit(variable));
            }
        },
        StepKind::Decision { question, choices } => {
            comment(s, indent, &format!("Question: {question}"));
            for c in choices {
                let target = match &c.goto {
                    Some(Target::Step(i)) => format!("go to step `{}`", step_id(*i)),
                    Some(Target::End) => "end the run".into(),
                    None => "continue with the next step".into(),
                };
                comment(s, indent, &format!("  {}: {} -> {target}", c.id, c.label));
            }
            let ids: Vec<String> = choices.iter().map(|c| lit(&c.id)).collect();
            line!(
                s,
                "{indent}$choice = Read-Choice {} @({})",
                lit(question),
                ids.join(", ")
            );
            for c in choices {
                let goto = match &c.goto {
                    Some(Target::Step(i)) => lit(&step_id(*i)),
                    Some(Target::End) => "'end'".into(),
                    None => continue,
                };
                line!(s, "{indent}if ($choice -eq {}) {{", lit(&c.id));
                line!(s, "{indent}    $script:Goto = {goto}");
                line!(s, "{indent}}}");
            }
        }
        StepKind::Wait { interval_secs, .. } => {
            line!(s, "{indent}do {{");
            if let Some(c) = &unit.command {
                code(s, &format!("{indent}    "), c);
            }
            line!(s, "{indent}    $done = Read-Host {}", lits.wait_prompt);
            line!(s, "{indent}    if ($done -notmatch '^(y|yes)$') {{");
            line!(s, "{indent}        Start-Sleep -Seconds {interval_secs}");
            line!(s, "{indent}    }}");
            line!(s, "{indent}}} until ($done -match '^(y|yes)$')");
        }
        StepKind::Approval { approver } => {
            line!(s, "{indent}Request-Approval {}", lit(approver));
        }
        StepKind::Notify { to, subject, .. } => {
            comment(s, indent, &format!("Send to: {to}"));
            if let Some(sub) = subject {
                comment(s, indent, &format!("Subject: {sub}"));
            }
            if let Some(m) = &unit.command {
                comment(s, indent, &format!("Message:\n{m}"));
            }
            line!(
                s,
                "{indent}Wait-Operator 'Send the message above, then press Enter'"
            );
        }
    }
    if let Some(rb) = &step.rollback {
        let mut text = String::from("Rollback:");
        if let Some(i) = &rb.instructions {
            text.push('\n');
            text.push_str(i);
        }
        if let Some(c) = &unit.rollback {
            text.push('\n');
            for line in c.lines() {
                text.push_str("    ");
                text.push_str(line);
                text.push('\n');
            }
        }
        comment(s, indent, &text);
    }
}
