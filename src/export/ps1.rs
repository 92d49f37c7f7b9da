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

use super::plan::{Item, Plan, PlannedStep, RenderedUnit, literal};
use crate::error::{Error, Result};
use crate::quote::quote;
use crate::render::{Part, captured_parts, show_captured};
use crate::runbook::{StepKind, Target};

/// The helper functions every exported script starts with (`Enter-Step`, `Confirm-Target`, ...).
const PRELUDE: &str = include_str!("prelude.ps1");

/// Renders the script into `out`, in chunks, so memory stays flat however many items there are.
pub(super) fn render(plan: &Plan<'_>, meta: &Meta, out: &mut dyn Write) -> Result<()> {
    let mut s = String::with_capacity(2 * CHUNK);
    s.push('\u{FEFF}');
    let captures = Captures::of(plan);
    header(&mut s, plan, meta, &captures);
    tables(&mut s, plan, &captures);
    s.push_str(&PRELUDE.replace('\n', "\r\n"));
    line!(s, "");
    line!(s, "try {{");
    line!(
        s,
        "    Initialize-Run -StartAt $StartAt -Override $Override -RecordPath $RecordPath -RunId $RunId"
    );
    if let Some(pre) = &plan.runbook.preamble {
        line!(
            s,
            "    # Preamble (what `runbook run --exec` runs first): makes the cmdlets available. It runs"
        );
        line!(
            s,
            "    # without StrictMode and with errors as PowerShell's default: Exchange's own connect"
        );
        line!(s, "    # functions are not written for either.");
        line!(s, "    Set-StrictMode -Off");
        line!(s, "    $ErrorActionPreference = 'Continue'");
        code(&mut s, "    ", pre);
        line!(s, "    $ErrorActionPreference = 'Stop'");
        line!(s, "    Set-StrictMode -Version Latest");
    }
    line!(s, "    do {{");
    for step in &plan.steps {
        render_step(&mut s, plan, step, &captures, out)?;
    }
    line!(
        s,
        "    }} while ($null -ne $script:Goto -and $script:Goto -ne 'end')"
    );
    line!(s, "    $script:Finished = $true");
    line!(s, "    Write-Host ''");
    // A step with `outcome: unresolved` ended the run: not a success (exit 2).
    line!(s, "    if ($script:Unresolved) {{");
    line!(s, "        $script:ExitCode = 2");
    line!(
        s,
        "        Write-RunRecord ('ended without a fix at {{0}}' -f $script:Unresolved)"
    );
    line!(
        s,
        "        Write-Host ('ENDED WITHOUT A FIX at step {{0}}: see its instructions above.' -f $script:Unresolved) -ForegroundColor Red"
    );
    line!(
        s,
        "        Write-Host 'To go on later from a step of this run (the instructions above name it):'"
    );
    line!(
        s,
        "        Write-Host ('    ' + (Get-ResumeCommand -Id '<step-id>' -Known @($script:Captures | ForEach-Object {{ $_.Name }})))"
    );
    line!(s, "    }}");
    line!(s, "    else {{");
    line!(s, "        Write-RunRecord 'finished'");
    line!(
        s,
        "        Write-Host {}",
        lit(&format!("Runbook {} finished.", plan.runbook.id))
    );
    line!(s, "    }}");
    line!(s, "}}");
    line!(s, "catch {{");
    line!(s, "    $script:ExitCode = 1");
    line!(s, "    if (-not $script:Stopped) {{");
    line!(
        s,
        "        Write-Host ('STOPPED: {{0}}' -f $_) -ForegroundColor Red"
    );
    line!(s, "        if ($script:CurrentStep) {{");
    line!(s, "            $script:Stopped = $true");
    line!(
        s,
        "            Write-Host ('    ' + (Get-ResumeCommand -Id $script:CurrentStep -Known $script:Known[$script:CurrentStep]))"
    );
    line!(s, "        }}");
    line!(s, "    }}");
    line!(s, "}}");
    line!(s, "finally {{");
    line!(s, "    Close-Run");
    line!(s, "}}");
    line!(s, "if ($script:ExitCode -ne 0 -and $PSCommandPath) {{");
    line!(s, "    exit $script:ExitCode");
    line!(s, "}}");
    drain(&mut s, out)
}

/// The captured values of a runbook, in file order, as the script's parameters.
struct Captures {
    /// (variable, parameter name, capturing step index, is a list).
    all: Vec<(String, String, usize, bool)>,
}

impl Captures {
    fn of(plan: &Plan<'_>) -> Captures {
        let all = plan
            .runbook
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, st)| match &st.kind {
                StepKind::Capture {
                    variable,
                    value_type,
                    ..
                } => Some((
                    variable.clone(),
                    crate::runbook::script_parameter(variable),
                    i,
                    matches!(value_type, crate::param::ValueType::List(_)),
                )),
                _ => None,
            })
            .collect();
        Captures { all }
    }

    /// Captured before step `index` in file order: what a stop there can hand on.
    fn before(&self, index: usize) -> Vec<&str> {
        self.all
            .iter()
            .filter(|c| c.2 < index)
            .map(|c| c.0.as_str())
            .collect()
    }
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

/// Text inside the `<# ... #>` help block, which must not close it early.
fn help_text(s: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let line = line.trim_end().replace("#>", "# >");
        if line.is_empty() {
            line!(s, "");
        } else {
            line!(s, "{indent}{line}");
        }
    }
}

fn header(s: &mut String, plan: &Plan<'_>, meta: &Meta, captures: &Captures) {
    let rb = plan.runbook;
    let [read, change, destructive] = rb.impact_counts();
    // Values go in line comments: a value may hold `#>`, which would end a `<# #>` block.
    let rule = "# ".to_owned() + &"=".repeat(78);
    line!(s, "#Requires -Version 5.1");
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
    line!(s, "# Parameters (fixed when this script was made):");
    for p in &rb.params {
        line!(s, "#   {} = {}", p.name, plan.shown_value(p));
    }
    line!(s, "{rule}");
    line!(s, "<#");
    line!(s, ".SYNOPSIS");
    help_text(s, "    ", &rb.title);
    line!(s, "");
    line!(s, ".DESCRIPTION");
    help_text(
        s,
        "    ",
        &format!(
            "Runbook {} {}; the parameter values it was made with are listed above.",
            rb.id, rb.version
        ),
    );
    line!(s, "");
    help_text(
        s,
        "    ",
        "Review before running. The script pauses where a person must act or judge; destructive\n\
         steps ask you to type their target. Secret values are masked as '********': supply\n\
         them before running. Windows PowerShell 5.1 (WMF 5.1) is required.\n\
         \n\
         The script keeps its own record in the record folder (-RecordPath): a transcript, the\n\
         values it captured (<id>.captured.json), a log of steps, confirmations, approvals and\n\
         overrides (<id>.record.log), and every message to send (<id>.<step>.message.txt).\n\
         \n\
         When a step fails, a gate does not pass, or you stop it, the script prints the exact\n\
         command that runs it again from that step with the values captured so far. A gate can\n\
         be overridden only with a reason, which is recorded, and some failures (marked\n\
         NO OVERRIDE) cannot be overridden at all.\n\
         \n\
         Run it from an interactive PowerShell console (it asks questions with Read-Host), as\n\
         & .\\<script>.ps1 ...; -Override is a hashtable, which powershell.exe -File cannot pass.",
    );
    line!(s, "");
    line!(s, ".PARAMETER StartAt");
    help_text(
        s,
        "    ",
        "The id of the step to start at (the steps before it are not run). Values that earlier\n\
         steps captured must then be passed as parameters; the script refuses to start without\n\
         them and names them.",
    );
    for (var, param, index, _) in &captures.all {
        let st = &rb.steps[*index];
        line!(s, "");
        line!(s, ".PARAMETER {param}");
        help_text(
            s,
            "    ",
            &format!(
                "The value `{var}` captured by step {} ({}): {}. Pass it with -StartAt at a later step.",
                index + 1,
                st.id,
                st.title
            ),
        );
    }
    line!(s, "");
    line!(s, ".PARAMETER Override");
    let gates = gate_ids(plan);
    help_text(
        s,
        "    ",
        &format!(
            "Gates to go past although they did not pass, each with the reason, e.g.\n\
             -StartAt '{0}' -Override @{{ '{0}' = 'reason' }}. Only with -StartAt: a gate at or\n\
             before the start. Each override is printed and recorded. Gates: {1}.",
            gates.first().map_or("gate-id", String::as_str),
            if gates.is_empty() {
                "none".to_owned()
            } else {
                gates.join(", ")
            }
        ),
    );
    line!(s, "");
    line!(s, ".PARAMETER RunId");
    help_text(
        s,
        "    ",
        "The run to resume, as printed by the script when it stopped: its captured values and\n\
         which gates passed are kept in <id>.<run id>.captured.json in the record folder.",
    );
    line!(s, "");
    line!(s, ".PARAMETER RecordPath");
    help_text(
        s,
        "    ",
        &format!(
            "The folder for this run's record (default: {}).",
            default_record_path(plan)
        ),
    );
    line!(s, "");
    line!(s, ".EXAMPLE");
    line!(s, "    .\\{}.ps1", rb.id);
    line!(s, "    Runs every step from the first.");
    if let Some((_, param, index, _)) = captures.all.first()
        && let Some(next) = rb.steps.get(index + 1)
    {
        line!(s, "");
        line!(s, ".EXAMPLE");
        line!(
            s,
            "    .\\{}.ps1 -StartAt {} -{param} '<value>'",
            rb.id,
            lit(&next.id)
        );
        line!(
            s,
            "    Resumes at step {} with the value captured before it.",
            next.id
        );
    }
    line!(s, "#>");
    line!(s, "[CmdletBinding()]");
    line!(s, "param(");
    let ids: Vec<String> = rb.steps.iter().map(|st| lit(&st.id)).collect();
    line!(s, "    [ValidateSet({})]", ids.join(", "));
    line!(s, "    [string]$StartAt,");
    for (_, param, _, list) in &captures.all {
        let ty = if *list { "[string[]]" } else { "[string]" };
        line!(s, "    {ty}${param},");
    }
    line!(s, "    [hashtable]$Override = @{{}},");
    line!(s, "    [string]$RecordPath,");
    line!(s, "    [string]$RunId");
    line!(s, ")");
    line!(s, "");
}

fn gate_ids(plan: &Plan<'_>) -> Vec<String> {
    plan.runbook
        .steps
        .iter()
        .filter(|st| st.is_gate())
        .map(|st| st.id.clone())
        .collect()
}

/// The record folder when `-RecordPath` is not given: the runbook's `record_folder` parameter
/// when it has one, else a folder under the user's documents.
fn default_record_path(plan: &Plan<'_>) -> String {
    match (
        plan.runbook.param("record_folder"),
        plan.values.get("record_folder"),
    ) {
        (Some(p), Some(crate::param::Value::Text(v))) if !p.secret => {
            format!("{}\\{}-record", v.trim_end_matches('\\'), plan.runbook.id)
        }
        _ => format!("<Documents>\\runbook-records\\{}", plan.runbook.id),
    }
}

/// The script's tables: steps, gates, captures and what each step needs, then the captured
/// values seeded from the parameters.
fn tables(s: &mut String, plan: &Plan<'_>, captures: &Captures) {
    let rb = plan.runbook;
    line!(s, "$script:RunbookId = {}", lit(&rb.id));
    // A resumed run must be resumed by a script of the same runbook and parameter values: its
    // gates judged those (review round 4, NEW-M1).
    line!(s, "$script:RunbookSha256 = {}", lit(&rb.sha256));
    let mut shown = String::new();
    for p in &rb.params {
        shown.push_str(&format!("{}={}\n", p.name, plan.shown_value(p)));
    }
    line!(
        s,
        "$script:ParametersSha256 = {}",
        lit(&crate::runbook::sha256_hex(&shown))
    );
    line!(
        s,
        "$script:DefaultScriptName = {}",
        lit(&format!(".\\{}.ps1", rb.id))
    );
    match (rb.param("record_folder"), plan.values.get("record_folder")) {
        (Some(p), Some(crate::param::Value::Text(v))) if !p.secret => line!(
            s,
            "$script:DefaultRecordPath = Join-Path -Path {} -ChildPath {}",
            lit(v),
            lit(&format!("{}-record", rb.id))
        ),
        _ => line!(
            s,
            "$script:DefaultRecordPath = Join-Path -Path ([Environment]::GetFolderPath('MyDocuments')) -ChildPath {}",
            lit(&format!("runbook-records\\{}", rb.id))
        ),
    }
    let steps: Vec<String> = rb.steps.iter().map(|st| lit(&st.id)).collect();
    line!(s, "$script:StepIds = @({})", steps.join(", "));
    let gates: Vec<String> = gate_ids(plan).iter().map(|g| lit(g)).collect();
    line!(s, "$script:GateIds = @({})", gates.join(", "));
    // Gates whose template throws `NO OVERRIDE:` can never be skipped by -StartAt unless passed.
    let strict: Vec<String> = plan
        .steps
        .iter()
        .filter(|ps| ps.step.is_gate())
        .filter(|ps| {
            ps.items.iter().any(|item| {
                plan.unit(ps, item.as_ref())
                    .ok()
                    .and_then(|u| u.command)
                    .is_some_and(|c| c.contains("NO OVERRIDE:"))
            })
        })
        .map(|ps| lit(&ps.step.id))
        .collect();
    line!(s, "$script:StrictGates = @({})", strict.join(", "));
    line!(s, "$script:Captures = @(");
    for (var, param, index, _) in &captures.all {
        line!(
            s,
            "    @{{ Name = {}; Parameter = {}; Step = {} }}",
            lit(var),
            lit(param),
            lit(&rb.steps[*index].id)
        );
    }
    line!(s, ")");
    // Needs: for each step, the values captured before it that it or a later step reads.
    let mut used_from: Vec<Vec<&str>> = vec![Vec::new(); plan.steps.len() + 1];
    for i in (0..plan.steps.len()).rev() {
        let mut set = used_from[i + 1].clone();
        for c in &plan.steps[i].uses_captures {
            if !set.contains(&c.as_str()) {
                set.push(c.as_str());
            }
        }
        used_from[i] = set;
    }
    line!(s, "$script:Needs = @{{");
    for (i, st) in rb.steps.iter().enumerate() {
        let before = captures.before(i);
        let needs: Vec<String> = captures
            .all
            .iter()
            .filter(|c| before.contains(&c.0.as_str()) && used_from[i].contains(&c.0.as_str()))
            .map(|c| lit(&c.0))
            .collect();
        if !needs.is_empty() {
            line!(s, "    {} = @({})", lit(&st.id), needs.join(", "));
        }
    }
    line!(s, "}}");
    line!(s, "$script:Known = @{{");
    for (i, st) in rb.steps.iter().enumerate() {
        let known: Vec<String> = captures.before(i).iter().map(|c| lit(c)).collect();
        if !known.is_empty() {
            line!(s, "    {} = @({})", lit(&st.id), known.join(", "));
        }
    }
    line!(s, "}}");
    line!(
        s,
        "$script:Goto = $null; $script:CurrentStep = $null; $script:Stopped = $false; $script:Finished = $false"
    );
    line!(
        s,
        "$script:Transcribing = $false; $script:ExitCode = 0; $script:RecordPath = $null; $script:Override = @{{}}; $script:GateState = @{{}}; $script:Resuming = $false; $script:Unresolved = $null"
    );
    line!(s, "");
    line!(
        s,
        "# Captured values: from the parameters when resuming, else filled in by the capture steps."
    );
    for (var, param, _, _) in &captures.all {
        line!(
            s,
            "${var} = if ($PSBoundParameters.ContainsKey({})) {{ ${param} }} else {{ $null }}",
            lit(param)
        );
    }
    line!(s, "");
}

fn render_step(
    s: &mut String,
    plan: &Plan<'_>,
    ps: &PlannedStep<'_>,
    captures: &Captures,
    out: &mut dyn Write,
) -> Result<()> {
    let step = ps.step;
    let total = plan.steps.len();
    let gate = step.is_gate();
    line!(s, "        # {}", "-".repeat(70));
    let mut tags = vec![step.kind.name().to_owned(), step.impact.name().to_owned()];
    if gate {
        tags.push("gate".into());
    }
    if let Some(f) = &step.for_each {
        tags.push(format!("for each {} in {}", f.item, f.list));
    }
    line!(
        s,
        "        # Step {}/{total}: {} [{}]",
        ps.number,
        step.title,
        tags.join(", ")
    );
    if let Some(text) = &step.instructions {
        comment(s, "        ", text);
    }
    if let Some(c) = &step.when {
        line!(s, "        # When: {c}");
    }
    line!(
        s,
        "        if (Enter-Step {} {}) {{",
        lit(&step.id),
        lit(&step.title)
    );
    line!(s, "            try {{");
    if ps.included {
        let mut indent = " ".repeat(16);
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
            let unit = plan.unit(ps, item.as_ref())?;
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
        if step.unresolved {
            line!(s, "{indent}$script:Unresolved = {}", lit(&step.id));
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
    } else {
        let c = step
            .when
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        line!(
            s,
            "                Write-Host {}",
            lit(&format!(
                "Skipped: the condition `{c}` is false for these parameters."
            ))
        );
    }
    let known: Vec<String> = captures
        .before(ps.number - 1)
        .iter()
        .map(|c| lit(c))
        .collect();
    if gate {
        line!(
            s,
            "                Complete-Gate -Id {} -State {}",
            lit(&step.id),
            if ps.included {
                "'passed'"
            } else {
                "'not applicable'"
            }
        );
    }
    line!(s, "            }}");
    line!(s, "            catch {{");
    line!(
        s,
        "                Stop-Step -Id {} -ErrorRecord $_ -Known @({}){}",
        lit(&step.id),
        known.join(", "),
        if gate { " -Gate" } else { "" }
    );
    line!(s, "            }}");
    line!(s, "        }}");
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
    let text = &show_captured(text, |name| format!("${name}"));
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
    unit: &RenderedUnit,
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
        } => {
            if let Some(c) = &unit.command {
                line!(s, "{indent}${variable} = & {{");
                code(s, &format!("{indent}    "), c);
                line!(s, "{indent}}}");
                line!(s, "{indent}Complete-Capture {} ${variable}", lit(variable));
            } else {
                let prompt = format!(
                    "Enter {variable} ({value_type}, for example {})",
                    example.display()
                );
                // A value passed as a parameter (resuming) is not asked for again.
                line!(s, "{indent}if ($null -eq ${variable}) {{");
                line!(s, "{indent}    ${variable} = Read-Host {}", lit(&prompt));
                line!(s, "{indent}}}");
                line!(s, "{indent}Complete-Capture {} ${variable}", lit(variable));
            }
        }
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
            // The runbook says what "done" prints: poll until it does (review N10: a "y" typed
            // over a NOT YET was taken as done).
            if let Some(pattern) = &step.exec.expect.pass_if {
                line!(s, "{indent}do {{");
                line!(s, "{indent}    $waitOut = @(& {{");
                if let Some(c) = &unit.command {
                    code(s, &format!("{indent}        "), c);
                }
                line!(s, "{indent}    }})");
                line!(s, "{indent}    $waitOut | Out-Host");
                line!(
                    s,
                    "{indent}    $done = Test-Done $waitOut {}",
                    lit(pattern.as_str())
                );
                line!(s, "{indent}    if (-not $done) {{");
                line!(
                    s,
                    "{indent}        Write-Host {}",
                    lit(&format!(
                        "Not done yet (no line matches `{}`): checking again in {interval_secs} s. Ctrl+C stops and prints the command to resume.",
                        pattern.as_str()
                    ))
                );
                line!(s, "{indent}        Start-Sleep -Seconds {interval_secs}");
                line!(s, "{indent}    }}");
                line!(s, "{indent}}} until ($done)");
            } else {
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
        }
        StepKind::Approval { approver } => {
            line!(s, "{indent}Request-Approval {}", lit(approver));
        }
        StepKind::Notify { to, subject, .. } => {
            let message = unit.command.as_deref().unwrap_or_default();
            line!(s, "{indent}$message = @(");
            for text in message.trim_end().lines() {
                line!(s, "{indent}    {}", message_line(text));
            }
            line!(s, "{indent}) -join \"`r`n\"");
            line!(
                s,
                "{indent}Show-Message -Id {} -To {} -Subject {} -Message $message",
                lit(&step.id),
                lit(to),
                lit(subject.as_deref().unwrap_or(&step.title))
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
            for line in show_captured(c, |name| format!("${name}")).lines() {
                text.push_str("    ");
                text.push_str(line);
                text.push('\n');
            }
        }
        comment(s, indent, &text);
    }
}

/// One line of a message to send, as a PowerShell expression: literals for the text known now,
/// the captured variables joined in at run time.
fn message_line(text: &str) -> String {
    let parts: Vec<String> = captured_parts(text.trim_end())
        .into_iter()
        .map(|p| match p {
            Part::Text(t) => lit(t),
            Part::Captured(name) => format!("[string]${name}"),
        })
        .collect();
    match parts.len() {
        0 => "''".into(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => format!("({})", parts.join(" + ")),
    }
}
