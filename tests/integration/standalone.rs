//! The exported script as a standalone tool (issue 11 §2): a `param()` block with `-StartAt`,
//! one parameter per captured value, `-Override` and `-RecordPath`; every step stops with the
//! command that resumes it with every value captured before it; starting at a step refuses to
//! go without the values it needs; messages to send are printed and saved, never only comments.
//!
//! No PowerShell runs here: the script is parsed with a real PowerShell grammar and its tables
//! and calls are checked against the runbook, so what the prelude prints follows from them.

use runbook::Templates;
use runbook::{Runbook, StepKind, script_parameter};

use crate::library::script;
use crate::support::shipped_ids;

fn shipped(id: &str) -> Runbook {
    runbook::load(
        id,
        &Templates {
            dir: None,
            pinned: None,
        },
    )
    .expect("shipped runbook loads")
    .runbook
}

/// (variable, capturing step index) in file order.
fn captures(rb: &Runbook) -> Vec<(String, usize)> {
    rb.steps
        .iter()
        .enumerate()
        .filter_map(|(i, st)| match &st.kind {
            StepKind::Capture { variable, .. } => Some((variable.clone(), i)),
            _ => None,
        })
        .collect()
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found"));
    let rest = &text[from + start.len()..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn every_export_has_a_documented_parameter_block() {
    for id in shipped_ids() {
        let rb = shipped(&id);
        let text = script(&id);
        let params = between(&text, "[CmdletBinding()]\nparam(\n", "\n)\n");
        assert!(params.contains("    [string]$StartAt,"), "{id}: {params}");
        let ids: Vec<&str> = rb.steps.iter().map(|s| s.id.as_str()).collect();
        assert!(
            params.contains(&format!("[ValidateSet({})]", quoted(&ids))),
            "{id}: -StartAt accepts exactly the step ids"
        );
        assert!(params.contains("[hashtable]$Override = @{},"), "{id}");
        assert!(params.contains("[string]$RecordPath,"), "{id}");
        assert!(params.contains("[string]$RunId"), "{id}");
        let help = between(&text, "<#\n", "\n#>\n");
        for p in ["StartAt", "Override", "RecordPath", "RunId"] {
            assert!(help.contains(&format!(".PARAMETER {p}\n")), "{id}: {p}");
        }
        for (var, index) in captures(&rb) {
            let p = script_parameter(&var);
            assert!(params.contains(&format!("${p},")), "{id}: -{p} for {var}");
            assert!(
                help.contains(&format!(".PARAMETER {p}\n")),
                "{id}: -{p} documented"
            );
            assert!(
                text.contains(&format!(
                    "${var} = if ($PSBoundParameters.ContainsKey('{p}')) {{ ${p} }} else {{ $null }}"
                )),
                "{id}: ${var} seeded from -{p}"
            );
            assert!(
                text.contains(&format!(
                    "@{{ Name = '{var}'; Parameter = '{p}'; Step = '{}' }}",
                    rb.steps[index].id
                )),
                "{id}: {var} in the capture table"
            );
        }
        let gates: Vec<&str> = rb
            .steps
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Check { gate: true, .. }))
            .map(|s| s.id.as_str())
            .collect();
        assert!(
            text.contains(&format!("$script:GateIds = @({})\n", quoted(&gates))),
            "{id}: -Override accepts exactly the gates"
        );
        for g in &gates {
            assert!(help.contains(g), "{id}: gate {g} named in the help");
        }
    }
}

#[test]
fn every_step_stops_with_a_resume_line_naming_it_and_every_value_captured_before_it() {
    let mut gates_seen = 0;
    for id in shipped_ids() {
        let rb = shipped(&id);
        let text = script(&id);
        let caps = captures(&rb);
        for (i, st) in rb.steps.iter().enumerate() {
            let before: Vec<&str> = caps
                .iter()
                .filter(|(_, at)| *at < i)
                .map(|(v, _)| v.as_str())
                .collect();
            let gate = matches!(st.kind, StepKind::Check { gate: true, .. });
            gates_seen += usize::from(gate);
            let call = format!(
                "Stop-Step -Id '{}' -ErrorRecord $_ -Known @({}){}\n",
                st.id,
                quoted(&before),
                if gate { " -Gate" } else { "" }
            );
            let body = between(
                &text,
                &format!("if (Enter-Step '{}' ", st.id),
                "\n        if (Enter-Step ",
            );
            assert!(
                body.contains(&call),
                "{id}: step {} must stop with `{call}`:\n{body}",
                st.id
            );
            if gate {
                let passed = body
                    .find(&format!("Complete-Gate -Id '{}' -State ", st.id))
                    .unwrap_or_else(|| panic!("{id}: gate {} records its pass", st.id));
                assert!(
                    passed < body.find("catch {").unwrap_or(0),
                    "{id}: {}",
                    st.id
                );
            }
            if before.is_empty() {
                assert!(!text.contains(&format!("\n    '{}' = @(", st.id)) || i == 0);
            } else {
                assert!(
                    text.contains(&format!("    '{}' = @({})\n", st.id, quoted(&before))),
                    "{id}: the interrupted-run table knows what {} can hand on",
                    st.id
                );
            }
        }
    }
    assert!(gates_seen >= 12, "the shipped runbooks have gates");
}

#[test]
fn starting_at_a_step_names_the_captured_values_it_needs() {
    let rb = shipped("exchange-federation-trust-rebuild");
    let text = script("exchange-federation-trust-rebuild");
    let needs = between(&text, "$script:Needs = @{\n", "\n}\n");
    // The trust is removed by name: starting there needs the name captured at the start.
    let removal = rb
        .steps
        .iter()
        .find(|s| s.id == "remove-federation-trust")
        .expect("the rebuild removes the trust");
    let line = needs
        .lines()
        .find(|l| l.starts_with(&format!("    '{}' = @(", removal.id)))
        .unwrap_or_else(|| panic!("no needs for {}: {needs}", removal.id));
    assert!(line.contains("'trust_name'"), "{line}");
    // A value captured later is never required up front.
    assert!(!line.contains("'application_uri'"), "{line}");
    // The first step needs nothing.
    assert!(
        !needs.contains(&format!("'{}' = ", rb.steps[0].id)),
        "{needs}"
    );
    // The prelude refuses a start without them and names the parameters.
    assert!(text.contains("needs values that earlier steps captured"));
    assert!(text.contains("'-{0} <value> (captured by step {1})' -f $c.Parameter, $c.Step"));
}

#[test]
fn overrides_need_a_gate_and_a_reason_and_are_recorded() {
    let text = script("exchange-federation-1007-triage");
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    assert!(
        init.contains("$script:GateIds -notcontains [string]$key"),
        "{init}"
    );
    assert!(init.contains("IsNullOrWhiteSpace($reason)"), "{init}");
    let stop = between(&text, "function Stop-Step {", "\nfunction ");
    assert!(
        stop.contains("if ($overridable -and $script:Override.ContainsKey($Id))"),
        "{stop}"
    );
    assert!(
        stop.contains("Write-RunRecord ('gate {0} overridden by"),
        "{stop}"
    );
    assert!(stop.contains("Get-ResumeCommand -Id $Id -Known $Known -WithOverride"));
    // The record: a transcript, the captured values and the run log in the record folder.
    assert!(
        init.contains("Start-Transcript -LiteralPath $transcript"),
        "{init}"
    );
    assert!(text.contains("function Save-Captured"));
    assert!(text.contains("Complete-Capture 'trust_name' $trust_name"));
}

#[test]
fn messages_to_send_are_printed_with_captured_values_expanded() {
    let mut notify_steps = 0;
    for id in shipped_ids() {
        let rb = shipped(&id);
        let text = script(&id);
        for st in &rb.steps {
            if !matches!(st.kind, StepKind::Notify { .. }) {
                continue;
            }
            notify_steps += 1;
            let body = between(
                &text,
                &format!("if (Enter-Step '{}' ", st.id),
                "\n        if (Enter-Step ",
            );
            assert!(
                body.contains(&format!("Show-Message -Id '{}' ", st.id)),
                "{id}: {} printed:\n{body}",
                st.id
            );
            assert!(
                !body.contains("# Message:"),
                "{id}: not only a comment:\n{body}"
            );
            // A captured value is joined in as a variable, never left inside a literal.
            for (var, _) in captures(&rb) {
                for line in body.lines().filter(|l| l.trim_start().starts_with('\'')) {
                    assert!(!line.contains(&format!("${var}")), "{id}: {line}");
                }
            }
        }
    }
    assert!(notify_steps >= 4, "{notify_steps}");
    let rebuild = script("exchange-federation-trust-rebuild");
    assert!(
        rebuild.contains("+ [string]$application_uri"),
        "the new ApplicationUri is expanded"
    );
}

#[test]
fn the_change_plan_shows_captured_values_as_placeholders() {
    let out = crate::support::Test::new()
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--format",
            "markdown",
        ])
        .go()
        .success()
        .stdout();
    assert!(
        out.contains("<captured: application_uri>"),
        "placeholder shown"
    );
    assert!(out.contains("<captured: trust_name>"), "in commands too");
    for var in ["$application_uri", "$trust_name", "$new_thumbprint"] {
        assert!(!out.contains(var), "bare {var} in the change plan");
    }
}

#[test]
fn a_start_past_a_gate_needs_it_passed_in_the_record_or_overridden() {
    let text = script("adfs-event-323-impersonation");
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    // The record of the earlier run says which gates passed.
    assert!(init.contains("ConvertFrom-Json"), "{init}");
    assert!(init.contains("$script:GateState[$g.Name]"), "{init}");
    // Every gate before the start is either in that record or overridden, else the start is refused.
    assert!(
        init.contains("skips gates that have not passed in run"),
        "{init}"
    );
    assert!(
        init.contains("if ($Override.ContainsKey($g) -and $script:StrictGates -notcontains $g)"),
        "{init}"
    );
    // What the run is about to do again is judged again.
    assert!(init.contains("$script:GateState.Remove($g)"), "{init}");
    // The values come from the run's record; a different one on the command line is refused.
    assert!(init.contains("Set-Variable -Name $v.Name -Scope Script -Value $recorded"));
    assert!(
        init.contains("Leave it out to use the recorded value"),
        "{init}"
    );
    assert!(init.contains("$unproven += $g"), "{init}");
    // A decision's jump leaves a gate off the path; the scan to -StartAt does not.
    let enter = between(&text, "function Enter-Step {", "\nfunction ");
    assert!(enter.contains("-not $script:Resuming"), "{enter}");
    let save = between(&text, "function Save-Captured {", "\nfunction ");
    assert!(
        save.contains("captured = $values; gates = $script:GateState"),
        "{save}"
    );
}

#[test]
fn overrides_come_only_after_a_failure_and_never_past_a_no_override_failure() {
    let text = script("adfs-event-323-impersonation");
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    assert!(
        init.contains("if ($Override.Count -gt 0 -and -not $StartAt)"),
        "{init}"
    );
    assert!(
        init.contains("a gate is overridden only once it has failed"),
        "{init}"
    );
    let stop = between(&text, "function Stop-Step {", "\nfunction ");
    assert!(
        stop.contains("$overridable = $Gate -and $why -notmatch 'NO OVERRIDE:'"),
        "{stop}"
    );
    assert!(stop.contains("if ($overridable -and $script:Override.ContainsKey($Id))"));
    // The caller-SID mismatch of the 323 runbook is such a failure (review N3, domain reference 7.4).
    let gate = between(
        &text,
        "if (Enter-Step 'show-caller-claims' ",
        "\n        if (Enter-Step ",
    );
    assert!(gate.contains("NO OVERRIDE: "), "{gate}");
}

#[test]
fn a_failure_can_name_the_step_to_go_on_from() {
    let text = script("exchange-federation-trust-rebuild");
    let stop = between(&text, "function Stop-Step {", "\nfunction ");
    assert!(
        stop.contains("'RESUME AT:\\s*([a-z0-9][a-z0-9-]*)'"),
        "{stop}"
    );
    assert!(
        stop.contains("$resumeKnown = $script:Known[$resumeId]"),
        "{stop}"
    );
    // Every step a template names that way exists.
    let rb = shipped("exchange-federation-trust-rebuild");
    let mut named = 0;
    for id in shipped_ids() {
        let rb = shipped(&id);
        let text = script(&id);
        for (i, _) in text.match_indices("RESUME AT: ") {
            let target: String = text[i + "RESUME AT: ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if target.is_empty() {
                continue;
            }
            named += 1;
            assert!(
                rb.steps.iter().any(|s| s.id == target),
                "{id}: RESUME AT names `{target}`, which is not a step"
            );
        }
    }
    assert!(named > 0 && !rb.steps.is_empty());
}

#[test]
fn the_resume_command_carries_the_run_and_its_record() {
    let text = script("exchange-federation-certificate-rollover");
    let resume = between(&text, "function Get-ResumeCommand {", "\nfunction ");
    for part in ["'-StartAt'", "'-RecordPath'", "'-RunId'"] {
        assert!(resume.contains(part), "{part}: {resume}");
    }
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    assert!(
        init.contains("'{0}.{1}.captured.json' -f $script:RunbookId, $RunId"),
        "one record of captured values and gates per run: {init}"
    );
    assert!(init.contains("(Get-Location -PSProvider FileSystem).ProviderPath"));
}

#[test]
fn the_preamble_runs_without_strict_mode_and_waits_poll_their_pass_pattern() {
    let text = script("exchange-federation-trust-rebuild");
    let off = text
        .find("    Set-StrictMode -Off\n")
        .expect("preamble without StrictMode");
    let connect = text[off..]
        .find("Connect-ExchangeServer -auto")
        .expect("the preamble");
    let on = text[off..]
        .find("    Set-StrictMode -Version Latest\n")
        .expect("StrictMode back on");
    assert!(connect < on);
    let eap = text[off..]
        .find("    $ErrorActionPreference = 'Continue'\n")
        .expect("default errors");
    assert!(eap < connect);
    let rb = shipped("exchange-federation-trust-rebuild");
    let mut polled = 0;
    for st in &rb.steps {
        let (StepKind::Wait { .. }, Some(pattern)) = (&st.kind, &st.exec.expect.pass_if) else {
            continue;
        };
        polled += 1;
        let body = between(
            &text,
            &format!("if (Enter-Step '{}' ", st.id),
            "\n        if (Enter-Step ",
        );
        assert!(
            body.contains(&format!(
                "$done = Test-Done $waitOut '{}'",
                pattern.as_str().replace('\'', "''")
            )),
            "{}: {body}",
            st.id
        );
        assert!(
            !body.contains("Read-Host"),
            "{}: no y/N over a NOT YET",
            st.id
        );
    }
    assert!(polled > 0, "the rebuild's waits say what done prints");
}

#[test]
fn a_no_override_gate_is_never_skipped_by_a_later_start() {
    // Review P1: the caller-SID gates of the AD FS runbooks throw `NO OVERRIDE:`; starting after
    // them needs them passed in the same run, whatever -Override says.
    for (id, gate) in [
        ("adfs-event-323-impersonation", "show-caller-claims"),
        ("adfs-event-302-actas", "correlate-audit-events"),
    ] {
        let text = script(id);
        assert!(
            text.contains(&format!("$script:StrictGates = @('{gate}')\n")),
            "{id}: {gate} is strict"
        );
    }
    for id in [
        "exchange-federation-trust-rebuild",
        "exchange-federation-1007-triage",
    ] {
        assert!(script(id).contains("$script:StrictGates = @()\n"), "{id}");
    }
    let text = script("adfs-event-323-impersonation");
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    assert!(init.contains("cannot be overridden: start at"), "{init}");
    let stop = between(&text, "function Stop-Step {", "\nfunction ");
    // A failed gate is recorded as failed; an override is used once.
    assert!(stop.contains("$script:GateState[$Id] = 'failed'"), "{stop}");
    assert!(stop.contains("$script:Override.Remove($Id)"), "{stop}");
}

#[test]
fn a_run_that_ends_without_a_fix_says_so_and_exits_2() {
    // Review N7/P3: a failure branch that ends the run is not "finished".
    for (id, step) in [
        (
            "exchange-hybrid-kb2995731-repair",
            "investigate-hcw-failure",
        ),
        (
            "exchange-federation-certificate-rollover",
            "abandon-rollover",
        ),
        ("adfs-event-323-impersonation", "use-actas-runbook"),
        ("adfs-event-302-actas", "use-323-runbook"),
    ] {
        let rb = shipped(id);
        assert!(
            rb.steps.iter().any(|s| s.id == step && s.unresolved),
            "{id}: {step} is marked `outcome: unresolved`"
        );
        let text = script(id);
        let body = between(
            &text,
            &format!("if (Enter-Step '{step}' "),
            "\n        } while (",
        );
        let mark = body
            .find(&format!("$script:Unresolved = '{step}'"))
            .unwrap_or_else(|| panic!("{id}: {step} marks the run:\n{body}"));
        assert!(mark < body.find("$script:Goto = 'end'").expect("ends the run"));
        assert!(text.contains("        $script:ExitCode = 2\n"), "{id}");
        assert!(text.contains("ENDED WITHOUT A FIX at step"), "{id}");
        assert!(
            text.contains("Get-ResumeCommand -Id '<step-id>' -Known @($script:Captures"),
            "{id}: the way to go on later, with the run id"
        );
    }
    // Normal ends stay finished.
    let triage = shipped("exchange-federation-1007-triage");
    assert!(triage.steps.iter().all(|s| !s.unresolved));
}

#[test]
fn step_ids_are_taken_in_the_runbooks_spelling_and_a_run_resumes_only_its_own_script() {
    // Review round 4, NEW-B1: ValidateSet and hashtables ignore case, [array]::IndexOf does not;
    // `-StartAt Backup-Impersonation-Rules` must not skip the caller-SID gate.
    let text = script("adfs-event-323-impersonation");
    let init = between(&text, "function Initialize-Run {", "\nfunction ");
    let canonical = init
        .find("$StartAt = @($script:StepIds | Where-Object { $_ -eq $StartAt })[0]")
        .expect("-StartAt in the runbook's spelling");
    let used = init
        .find("$startIndex = [array]::IndexOf($script:StepIds, $StartAt)")
        .expect("start index");
    assert!(canonical < used, "{init}");
    assert!(init.contains("if ($startIndex -lt 0) { throw"), "{init}");
    assert!(init.contains("$exact[$id[0]] = $Override[$key]"), "{init}");
    // An override that let -StartAt skip a gate is used up.
    assert!(init.contains("$Override.Remove($g)"), "{init}");
    // -RunId resumes; without -StartAt it would overwrite the run's record.
    assert!(
        init.contains("-RunId resumes a run: give -StartAt too"),
        "{init}"
    );
    // NEW-M1: the record names the runbook and parameter values its gates judged.
    let save = between(&text, "function Save-Captured {", "\nfunction ");
    assert!(
        save.contains("runbook = $script:RunbookSha256; parameters = $script:ParametersSha256"),
        "{save}"
    );
    assert!(init.contains("[string]$previous.runbook -cne $script:RunbookSha256"));
    let rb = shipped("adfs-event-323-impersonation");
    assert!(text.contains(&format!("$script:RunbookSha256 = '{}'\n", rb.sha256)));
    // Other parameter values give another fingerprint.
    let other = crate::support::Test::new()
        .args([
            "export",
            "adfs-event-323-impersonation",
            "--example",
            "--set",
            "caller_sid=S-1-5-21-1111111111-2222222222-3333333333-4444",
            "--generated-at",
            "2026-11-23T08:00:00Z",
        ])
        .go()
        .success()
        .stdout()
        .replace("\r\n", "\n");
    let fingerprint = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("$script:ParametersSha256 = "))
            .map(str::to_owned)
            .expect("fingerprint")
    };
    assert_ne!(fingerprint(&text), fingerprint(&other));
}
