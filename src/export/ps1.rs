//! The exported PowerShell script, for Windows PowerShell 5.1: UTF-8 with BOM (5.1 reads a
//! BOM-less script in the ANSI code page) and CRLF line endings.
//!
//! Control flow uses one mechanism for every runbook: each step is `if (Enter-Step ...)`, and a
//! jump sets `$script:Goto`; steps are skipped until the target, and the surrounding loop starts
//! over for a jump backwards. No labelled `break` (the review grammar does not read it).

use std::fmt::Write as _;

use super::Meta;
use super::plan::{Item, Plan, PlannedStep, Unit, literal};
use crate::quote::quote;
use crate::runbook::{StepKind, Target};

const PRELUDE: &str = r#"#Requires -Version 5.1
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Enter-Step {
    param([string]$Id, [string]$Title)
    if ($null -ne $script:Goto) {
        if ($script:Goto -ne $Id) {
            return $false
        }
        $script:Goto = $null
    }
    Write-Host ''
    Write-Host ('=== {0}: {1}' -f $Id, $Title)
    return $true
}

function Confirm-Target {
    param([string]$Expected)
    $typed = Read-Host ('DESTRUCTIVE. Type {0} to go ahead' -f $Expected)
    if ($typed -ne $Expected) {
        throw 'The confirmation did not match; stopping before the destructive command.'
    }
}

function Assert-Passed {
    param([string]$Expect)
    $answer = Read-Host ('Did it pass? Expected: {0} [y/N]' -f $Expect)
    if ($answer -notmatch '^(y|yes)$') {
        throw 'The check did not pass; stopping. Fix the cause, then resume from this step.'
    }
}

function Assert-Captured {
    param([string]$Name, $Value)
    if ($null -eq $Value -or [string]::IsNullOrWhiteSpace([string]$Value)) {
        throw ('The captured value {0} is empty; an empty identity would match every object.' -f $Name)
    }
}

function Wait-Operator {
    param([string]$Prompt)
    [void](Read-Host $Prompt)
}

function Read-Choice {
    param([string]$Question, [string[]]$Choices)
    do {
        $answer = Read-Host ('{0} [{1}]' -f $Question, ($Choices -join '/'))
    } until ($Choices -contains $answer)
    return $answer
}

function Request-Approval {
    param([string]$Approver)
    $name = Read-Host ('Approved by ({0})' -f $Approver)
    if ([string]::IsNullOrWhiteSpace($name)) {
        throw 'No approval recorded; stopping.'
    }
    Write-Host ('Approved by {0}' -f $name)
}
"#;

/// Renders the script bytes.
pub fn render(plan: &Plan<'_>, meta: &Meta) -> Vec<u8> {
    let mut s = String::with_capacity(4096 + plan.steps.len() * 512);
    header(&mut s, plan, meta);
    s.push_str(PRELUDE);
    s.push('\n');
    let captures: Vec<&str> = plan
        .runbook
        .steps
        .iter()
        .filter_map(|st| match &st.kind {
            StepKind::Capture { variable, .. } => Some(variable.as_str()),
            _ => None,
        })
        .collect();
    s.push_str("# Captured values, filled in by the capture steps below.\n");
    for c in &captures {
        let _ = writeln!(s, "${c} = $null");
    }
    s.push_str("$script:Goto = $null\n\ndo {\n");
    for step in &plan.steps {
        render_step(&mut s, plan, step);
    }
    s.push_str("} while ($null -ne $script:Goto -and $script:Goto -ne 'end')\n\nWrite-Host ''\n");
    let _ = writeln!(
        s,
        "Write-Host {}",
        lit(&format!("Runbook {} finished.", plan.runbook.id))
    );
    let mut out = Vec::with_capacity(s.len() + s.len() / 20 + 3);
    out.extend_from_slice("\u{FEFF}".as_bytes());
    for line in s.split_inclusive('\n') {
        match line.strip_suffix('\n') {
            Some(body) => {
                out.extend_from_slice(body.trim_end_matches('\r').as_bytes());
                out.extend_from_slice(b"\r\n");
            }
            None => out.extend_from_slice(line.as_bytes()),
        }
    }
    out
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
            let _ = writeln!(s, "{indent}#");
        } else {
            let _ = writeln!(s, "{indent}# {line}");
        }
    }
}

fn header(s: &mut String, plan: &Plan<'_>, meta: &Meta) {
    let rb = plan.runbook;
    let [read, change, destructive] = rb.impact_counts();
    let rule = "# ".to_owned() + &"=".repeat(78);
    let _ = writeln!(s, "{rule}");
    let _ = writeln!(s, "# {}", rb.title);
    let _ = writeln!(s, "#");
    let _ = writeln!(s, "# Runbook:    {} {}", rb.id, rb.version);
    let _ = writeln!(s, "# Sha256:     {}", rb.sha256);
    let _ = writeln!(
        s,
        "# Generated:  {} by {}",
        meta.generated_at.format("%Y-%m-%dT%H:%M:%SZ"),
        meta.generator
    );
    let _ = writeln!(
        s,
        "# Steps:      {} ({read} read, {change} change, {destructive} destructive)",
        rb.steps.len()
    );
    let _ = writeln!(s, "# Parameters:");
    for p in &rb.params {
        let _ = writeln!(s, "#   {} = {}", p.name, plan.shown_value(p));
    }
    let _ = writeln!(s, "#");
    comment(
        s,
        "",
        "Review before running. The script pauses where a person must act or judge;\n\
         destructive steps ask you to type their target. Secret values are masked as\n\
         '********': supply them before running.",
    );
    let _ = writeln!(s, "{rule}");
}

fn render_step(s: &mut String, plan: &Plan<'_>, ps: &PlannedStep<'_>) {
    let step = ps.step;
    let total = plan.steps.len();
    let _ = writeln!(s, "    # {}", "-".repeat(74));
    let mut tags = vec![step.kind.name().to_owned(), step.impact.name().to_owned()];
    if let StepKind::Check { gate: true, .. } = step.kind {
        tags.push("gate".into());
    }
    if let Some(f) = &step.for_each {
        tags.push(format!("for each {} in {}", f.item, f.list));
    }
    let _ = writeln!(
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
        let _ = writeln!(s, "    # When: {c}");
    }
    let _ = writeln!(
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
        let _ = writeln!(
            s,
            "        Write-Host {}",
            lit(&format!(
                "Skipped: the condition `{c}` is false for these parameters."
            ))
        );
    } else {
        let mut indent = "        ".to_owned();
        for c in &ps.uses_captures {
            let _ = writeln!(s, "{indent}Assert-Captured {} ${c}", lit(c));
        }
        if let Some(c) = ps.runtime_condition {
            let _ = writeln!(s, "{indent}if ({}) {{", runtime_condition(c));
            indent.push_str("    ");
        }
        if let Some((list, item)) = &ps.runtime_loop {
            let _ = writeln!(s, "{indent}foreach (${item} in ${list}) {{");
            indent.push_str("    ");
        }
        let many = ps.units.len() > 1;
        for (i, unit) in ps.units.iter().enumerate() {
            if let (true, Some(Item::Known(v))) = (many, &unit.item) {
                let _ = writeln!(
                    s,
                    "{indent}# Item {}/{}: {}",
                    i + 1,
                    ps.units.len(),
                    literal(v)
                );
            }
            body(s, &indent, plan, ps, unit);
        }
        if ps.runtime_loop.is_some() {
            indent.truncate(indent.len() - 4);
            let _ = writeln!(s, "{indent}}}");
        }
        if ps.runtime_condition.is_some() {
            indent.truncate(indent.len() - 4);
            let _ = writeln!(s, "{indent}}}");
        }
    }
    match &step.next {
        Some(Target::Step(i)) => {
            let _ = writeln!(
                s,
                "        $script:Goto = {}",
                lit(&plan.runbook.steps[*i].id)
            );
        }
        Some(Target::End) => {
            let _ = writeln!(s, "        $script:Goto = 'end'");
        }
        None => {}
    }
    let _ = writeln!(s, "    }}");
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
        if here || line.trim().is_empty() {
            let _ = writeln!(s, "{}", line.trim_end());
        } else {
            let _ = writeln!(s, "{indent}{}", line.trim_end());
        }
    }
}

fn body(s: &mut String, indent: &str, plan: &Plan<'_>, ps: &PlannedStep<'_>, unit: &Unit) {
    let step_id = |i: usize| plan.runbook.steps[i].id.clone();
    let step = ps.step;
    match &step.kind {
        StepKind::Instruction => {
            let _ = writeln!(
                s,
                "{indent}Wait-Operator 'Do the manual action described above, then press Enter'"
            );
        }
        StepKind::Command { verify, .. } => {
            if let Some(c) = &unit.confirm {
                let _ = writeln!(s, "{indent}Confirm-Target {c}");
            }
            if let Some(c) = &unit.command {
                code(s, indent, c);
            }
            if let Some(v) = &unit.verify {
                let _ = writeln!(s, "{indent}# Verify:");
                code(s, indent, v);
                let expect = verify
                    .as_ref()
                    .and_then(|v| v.expect.as_deref())
                    .unwrap_or("the verification shows the change");
                let _ = writeln!(s, "{indent}Assert-Passed {}", lit(expect));
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
                let _ = writeln!(
                    s,
                    "{indent}Assert-Passed {}",
                    lit(expect.as_deref().unwrap_or("the check passes"))
                );
            } else {
                let _ = writeln!(
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
                let _ = writeln!(s, "{indent}${variable} = & {{");
                code(s, &format!("{indent}    "), c);
                let _ = writeln!(s, "{indent}}}");
                let _ = writeln!(s, "{indent}Assert-Captured {} ${variable}", lit(variable));
                let _ = writeln!(
                    s,
                    "{indent}Write-Host ('{variable} = {{0}}' -f ${variable})"
                );
            }
            None => {
                let prompt = format!(
                    "Enter {variable} ({value_type}, for example {})",
                    example.display()
                );
                let _ = writeln!(s, "{indent}${variable} = Read-Host {}", lit(&prompt));
                let _ = writeln!(s, "{indent}Assert-Captured {} ${variable}", lit(variable));
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
            let _ = writeln!(
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
                let _ = writeln!(s, "{indent}if ($choice -eq {}) {{", lit(&c.id));
                let _ = writeln!(s, "{indent}    $script:Goto = {goto}");
                let _ = writeln!(s, "{indent}}}");
            }
        }
        StepKind::Wait {
            expect,
            interval_secs,
            ..
        } => {
            let expect = expect.as_deref().unwrap_or("the condition holds");
            let _ = writeln!(s, "{indent}do {{");
            if let Some(c) = &unit.command {
                code(s, &format!("{indent}    "), c);
            }
            let _ = writeln!(
                s,
                "{indent}    $done = Read-Host {}",
                lit(&format!(
                    "Expected: {expect}. Done? [y = yes, Enter = check again in {interval_secs} s]"
                ))
            );
            let _ = writeln!(s, "{indent}    if ($done -notmatch '^(y|yes)$') {{");
            let _ = writeln!(s, "{indent}        Start-Sleep -Seconds {interval_secs}");
            let _ = writeln!(s, "{indent}    }}");
            let _ = writeln!(s, "{indent}}} until ($done -match '^(y|yes)$')");
        }
        StepKind::Approval { approver } => {
            let _ = writeln!(s, "{indent}Request-Approval {}", lit(approver));
        }
        StepKind::Notify { to, subject, .. } => {
            comment(s, indent, &format!("Send to: {to}"));
            if let Some(sub) = subject {
                comment(s, indent, &format!("Subject: {sub}"));
            }
            if let Some(m) = &unit.command {
                comment(s, indent, &format!("Message:\n{m}"));
            }
            let _ = writeln!(
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
