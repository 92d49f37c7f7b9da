//! `exchange-hybrid-kb2995731-repair`: the HCW "Deleted Objects ... DEL:" repair reads AD first,
//! removes domains (primary last) and the trust, previews the AD cleanup with `-WhatIf` before
//! writing, recreates the trust by thumbprint and ends with the wizard; no forbidden form.

use crate::support::powershell::code_outside_literals_and_comments;
use crate::support::{Test, scripted_run};

const ID: &str = "exchange-hybrid-kb2995731-repair";

/// Byte offset just past the first line at or after `from` that contains `needle`, also
/// contains `with` (when given) and does not contain `without` (when given); panics when there
/// is none.
fn line_at(
    code: &str,
    from: usize,
    needle: &str,
    with: Option<&str>,
    without: Option<&str>,
) -> usize {
    let mut at = from;
    for line in code[from..].split_inclusive('\n') {
        if line.contains(needle)
            && with.is_none_or(|w| line.contains(w))
            && without.is_none_or(|w| !line.contains(w))
        {
            return at + line.len();
        }
        at += line.len();
    }
    panic!("no line with `{needle}` ({with:?}, not {without:?}) after byte {from} in:\n{code}");
}

#[test]
fn cmdlets_follow_procedure_e_in_order() {
    let code = code_outside_literals_and_comments(&super::script(ID));
    let what_if = Some("-WhatIf");
    let steps: [(&str, Option<&str>, Option<&str>); 32] = [
        // 1. the read-only AD checks and A1/A3 come first
        ("Get-ADRootDSE -Server", None, None),
        ("msExchFedDelegationTrust", None, None),
        ("Get-FederationTrust -DomainController", None, None),
        (
            "Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo",
            None,
            None,
        ),
        // the time-skew gate (KB3107293) before anything is removed: every recreate step calls MFG
        ("w32tm.exe /query /status", None, None),
        ("w32tm.exe /stripchart", None, None),
        // typed confirmation, then the approval
        ("Request-Approval", None, None),
        // 2. domains with -Force, then the trust, always with -Identity
        ("Remove-FederatedDomain -DomainName", Some("-Force"), None),
        ("Remove-FederationTrust -Identity", None, None),
        // 3. the cleanup with -WhatIf first, then for real
        ("Set-ADObject -Server", what_if, None),
        ("Remove-ADObject -Server", what_if, None),
        ("Set-ADObject -Server", None, what_if),
        ("-Replace @{msExchFedIsEnabled=$false}", None, what_if),
        ("Remove-ADObject -Server", None, what_if),
        ("-Clear msExchFedAcceptedDomainLink", None, what_if),
        // wait for replication
        ("Get-ADDomainController -Filter *", None, None),
        // 4. recreate
        (
            "New-ExchangeCertificate",
            Some("-Services Federation"),
            None,
        ),
        (
            "New-FederationTrust -Name",
            Some("-Thumbprint $new_thumbprint"),
            None,
        ),
        (
            "Set-FederationTrust -Identity",
            Some("-RefreshMetadata"),
            None,
        ),
        ("Get-FederatedDomainProof -DomainName", None, None),
        // the proof TXT record, read from a public resolver (not nslookup, not split-brain DNS)
        ("Resolve-DnsName -Name", Some("-Type TXT -Server"), None),
        (
            "Set-FederatedOrganizationIdentifier -DelegationFederationTrust",
            Some("-AccountNamespace"),
            None,
        ),
        ("Add-FederatedDomain -DomainName", None, None),
        // wait for the certificate distribution, then the test gate
        ("Test-FederationTrustCertificate", None, None),
        ("Start-Sleep -Seconds", None, None),
        ("Test-FederationTrustCertificate", None, None),
        (
            "Test-FederationTrust -UserIdentity",
            Some("-ErrorAction SilentlyContinue"),
            None,
        ),
        (
            "Test-FederationTrust -UserIdentity",
            Some("-ErrorVariable testTrustErr"),
            None,
        ),
        ("Get-FederationInformation -DomainName", None, None),
        // AD links the new trust, then the organization relationships before and after the wizard
        ("Get-ADObject -Server", None, None),
        ("Test-OrganizationRelationship -Identity", None, None),
        ("Test-OrganizationRelationship -Identity", None, None),
    ];
    let mut at = 0;
    for (needle, with, without) in steps {
        // Each search starts after the line of the previous hit, so a hit proves the order.
        at = line_at(&code, at, needle, with, without);
    }
    assert!(
        code.contains("-AccountNamespace   -Enabled $true"),
        "Set-FederatedOrganizationIdentifier enables federation with the $true literal"
    );
    for line in code.lines().filter(|l| l.contains("Resolve-DnsName -")) {
        assert!(line.contains("-Type TXT -Server   -DnsOnly"), "{line}");
    }
}

/// The exported text of step `id`: from its `Enter-Step` to the next step's (or the end).
fn step<'a>(text: &'a str, id: &str) -> &'a str {
    let needle = format!("if (Enter-Step '{id}' ");
    let start = text.find(&needle).unwrap_or_else(|| panic!("no step {id}"));
    let end = text[start + 1..]
        .find("if (Enter-Step '")
        .map_or(text.len(), |i| start + 1 + i);
    &text[start..end]
}

/// Offset of step `id` in `text`.
fn step_at(text: &str, id: &str) -> usize {
    text.find(&format!("if (Enter-Step '{id}' "))
        .unwrap_or_else(|| panic!("no step {id}"))
}

/// The steps of the export: everything from the first step on (the export's own machinery, the
/// prelude of src/export, comes before).
fn steps_of(text: &str) -> &str {
    &text[text.find("if (Enter-Step ").expect("steps")..]
}

/// An Exchange cmdlet (an implicit-remoting proxy function in the Exchange Management Shell).
fn exchange_cmdlet() -> regex::Regex {
    regex::Regex::new(
        r"\b(Get|Set|New|Remove|Add|Test|Enable|Disable)-(Federat\w*|ExchangeCertificate|OrganizationRelationship|SharingPolicy|AcceptedDomain|IntraOrganizationConnector|AvailabilityAddressSpace|HybridConfiguration)\b",
    )
    .expect("regex")
}

#[test]
fn the_time_skew_gate_comes_before_the_approval_and_any_removal() {
    // The review (K3/M7): every recreate step calls MFG after the trust is gone; a 1007 from a
    // skewed clock must be caught before anything is removed.
    let text = super::script(ID);
    assert!(text.contains("$script:GateIds = @('ad-read-federation-objects', 'check-existing-trust', 'check-federated-domains', 'check-time-skew', "));
    let gate = step(&text, "check-time-skew");
    for needle in [
        "$skewTargets = @('dc01.contoso.com', 'time.windows.com')\n",
        "& w32tm.exe /stripchart \"/computer:$skewTarget\" /samples:5 /dataonly",
        "if ($skewOffsets.Count -eq 0) {\n                        $skewFailures += ",
        "if ($skewMax -ge 300) {\n                        $skewFailures += ",
        "if ($skewFailures.Count -gt 0) {",
        "throw 'Time skew check failed.",
        "Stop-Step -Id 'check-time-skew' -ErrorRecord $_ -Known @('old_account_namespace', 'namespace_change') -Gate\n",
    ] {
        assert!(gate.contains(needle), "`{needle}` in:\n{gate}");
    }
    let mut at = 0;
    for id in [
        "ad-read-federation-objects",
        "check-time-skew",
        "notify-before-removal",
        "approve-removal",
        "remove-additional-domains",
        "remove-primary-domain",
        "remove-federation-trust",
        "ad-cleanup-preview",
        "ad-cleanup",
        "create-federation-certificate",
        "create-federation-trust",
    ] {
        let here = step_at(&text, id);
        assert!(here >= at, "{id} out of order");
        at = here;
    }
}

#[test]
fn the_certificate_distribution_wait_comes_before_the_test_gate() {
    // The review (m1, EX13-RENEW step 4): the test gate runs once the new certificate is
    // installed everywhere, and it needs positive evidence (M2).
    let text = super::script(ID);
    let wait = step(&text, "wait-certificate-distribution");
    for needle in [
        "$distNewThumbprint = $new_thumbprint",
        "$distRows = @(Test-FederationTrustCertificate -DomainController 'dc01.contoso.com' -ErrorAction Continue -ErrorVariable distErr)",
        "$distNew = @($distRows | Where-Object { [string]$_.Thumbprint -eq $distNewThumbprint })",
        "$done = Test-Done $waitOut '(?m)^INSTALLED:'",
        "elseif ($distNew.Count -gt 0 -and $distPending.Count -eq 0) {",
        "Start-Sleep -Seconds ",
    ] {
        assert!(wait.contains(needle), "`{needle}` in:\n{wait}");
    }
    let add = step_at(&text, "add-additional-domains");
    let distribution = step_at(&text, "wait-certificate-distribution");
    let test = step_at(&text, "test-federation");
    assert!(add < distribution && distribution < test);
    let gate = step(&text, "test-federation");
    for needle in [
        "if ($testCertNew.Count -eq 0) {",
        "if ([string]$testRow.State -ne 'Installed') {",
        "if ($testTrustRows.Count -eq 0) { $testProblems += ",
        "elseif ($testTrustSuccess.Count -eq 0) { $testProblems += ",
        "if ($testInfo.Count -eq 0) {\n                    $testProblems += ",
        "-notcontains 'urn:federation:MicrosoftOnline') {",
        "if ($testProblems.Count -gt 0) {",
        "-Gate\n",
    ] {
        assert!(gate.contains(needle), "`{needle}` in:\n{gate}");
    }
}

#[test]
fn ad_reads_with_properties_go_through_select_object() {
    // The review (B1/K1): under Set-StrictMode -Version Latest, reading an attribute the AD
    // module left out (it has no value) throws; Select-Object creates it as $null.
    let code = code_outside_literals_and_comments(&super::script(ID));
    let lines: Vec<&str> = code.lines().collect();
    let mut reads = 0;
    for (i, line) in lines.iter().enumerate() {
        if !(line.contains("Get-ADObject") && line.contains("-Properties ")) {
            continue;
        }
        reads += 1;
        let props = line
            .split("-Properties ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("a property list");
        let select = if let Some((_, after)) = line.split_once("| Select-Object ") {
            after.to_owned()
        } else {
            assert!(line.trim_end().ends_with('|'), "no Select-Object: {line}");
            let next = lines[i + 1].trim_start();
            next.strip_prefix("Select-Object ")
                .unwrap_or_else(|| panic!("no Select-Object after: {line}\n{next}"))
                .to_owned()
        };
        let select = select
            .split_whitespace()
            .next()
            .expect("a selection")
            .trim_end_matches(')');
        if props == "*" {
            assert_eq!(select, "-Property", "{line}");
            continue;
        }
        let selected: Vec<&str> = select.split(',').collect();
        for prop in props.split(',') {
            assert!(
                selected.contains(&prop),
                "{prop} is read but not selected: {line}"
            );
        }
    }
    assert!(
        reads >= 10,
        "only {reads} Get-ADObject -Properties reads found"
    );
}

#[test]
fn exchange_errors_are_handled_with_error_variables_not_try_catch() {
    // The review (M1/K4): in the Exchange Management Shell the Exchange cmdlets are
    // implicit-remoting proxies; -ErrorAction Stop and try/catch around them do not work as
    // written. The steps use -ErrorVariable and check the returned objects instead.
    let code = code_outside_literals_and_comments(&super::script(ID));
    let steps = steps_of(&code);
    let exchange = exchange_cmdlet();
    let lines: Vec<&str> = steps.lines().collect();
    let mut inner = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.trim() != "try {" {
            continue;
        }
        let wrapper = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with("if (Enter-Step "));
        let indent = line.len() - line.trim_start().len();
        let end = lines[i + 1..]
            .iter()
            .position(|l| {
                l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}')
            })
            .map(|p| i + 1 + p)
            .expect("end of try");
        assert_eq!(lines[end].trim(), "}");
        assert_eq!(lines[end + 1].trim(), "catch {", "try without catch");
        if wrapper {
            // The export's step wrapper: its catch only stops the step (no error filtering).
            let handler = lines[end + 2].trim_start();
            assert!(handler.starts_with("Stop-Step -Id "), "{handler}");
            assert_eq!(
                lines[end + 3].trim(),
                "}",
                "the step's catch does more than stop"
            );
            continue;
        }
        inner += 1;
        for body in &lines[i + 1..end] {
            // (a cmdlet named inside a double-quoted message does not count)
            let called = exchange
                .find_iter(body)
                .any(|m| !body[..m.start()].contains('"'));
            assert!(!called, "an Exchange cmdlet inside try/catch: {body}");
        }
    }
    assert!(inner >= 3, "inner try blocks: {inner} (DNS and DC reads)");
    // Every Exchange cmdlet that changes something reports into an error variable that the
    // step then looks at, and none relies on -ErrorAction Stop.
    let mut changes = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(m) = exchange.find(line) else {
            continue;
        };
        if line[..m.start()].contains('"') {
            continue; // named in a message
        }
        assert!(!line.contains("-ErrorAction Stop"), "{line}");
        if !["Set-", "New-", "Remove-", "Add-"]
            .iter()
            .any(|v| m.as_str().starts_with(v))
        {
            continue;
        }
        changes += 1;
        let var = line
            .split("-ErrorVariable ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no -ErrorVariable: {line}"));
        let used = format!("${var}");
        assert!(
            lines[i + 1..].iter().take(6).any(|l| l.contains(&used)),
            "{var} is not looked at after: {line}"
        );
    }
    assert!(changes >= 9, "only {changes} Exchange changes found");
}

#[test]
fn confirmed_removals_run_with_confirm_false_after_the_typed_confirmation() {
    // The review (M8, domain reference 7.3): after Confirm-Target the Remove-* cmdlets must not
    // prompt again (a -NonInteractive host cannot answer): -Confirm:$false, colon form.
    let text = super::script(ID);
    let code = code_outside_literals_and_comments(&text);
    let mut removals = 0;
    for line in steps_of(&code).lines() {
        for cmdlet in [
            "Remove-FederatedDomain",
            "Remove-FederationTrust",
            "Remove-ADObject",
            "Set-ADObject",
        ] {
            if line.contains(cmdlet) && !line.contains("-WhatIf") {
                removals += 1;
                assert!(line.contains(" -Confirm:$false "), "{line}");
            }
        }
    }
    assert!(removals >= 8, "{removals}");
    for (id, target) in [
        ("remove-additional-domains", "'fabrikam.com'"),
        ("remove-primary-domain", "'contoso.com'"),
        ("remove-federation-trust", "'Microsoft Federation Gateway'"),
        ("ad-cleanup", "'dc01.contoso.com'"),
    ] {
        let body = step(&text, id);
        let confirm = body
            .find(&format!("Confirm-Target {target}"))
            .unwrap_or_else(|| panic!("{id}: no typed confirmation"));
        let first = [
            "Remove-FederatedDomain -",
            "Remove-FederationTrust -",
            "Set-ADObject -",
            "Remove-ADObject -",
        ]
        .iter()
        .filter_map(|c| body.find(c))
        .min()
        .unwrap_or_else(|| panic!("{id}: no removal"));
        assert!(confirm < first, "{id}: confirmation after the command");
    }
    // nslookup is gone entirely (stderr noise, split-brain DNS).
    assert!(!text.contains("nslookup"));
}

#[test]
fn primary_domain_is_removed_last_and_every_ad_command_names_the_dc() {
    let text = super::script(ID);
    let removal = |domain: &str| {
        text.find(&format!(
            "Remove-FederatedDomain -DomainName '{domain}' -Force"
        ))
        .unwrap_or_else(|| panic!("no forced removal of {domain}"))
    };
    let fabrikam = removal("fabrikam.com");
    let sales = removal("sales.contoso.com");
    let primary = removal("contoso.com");
    let trust = text
        .find("Remove-FederationTrust -Identity 'Microsoft Federation Gateway'")
        .expect("the trust is removed by name");
    assert!(fabrikam < sales && sales < primary && primary < trust);
    // The -WhatIf preview is its own step, before the destructive cleanup step.
    let preview = text
        .find("Enter-Step 'ad-cleanup-preview'")
        .expect("preview");
    let cleanup = text.find("Enter-Step 'ad-cleanup'").expect("cleanup");
    assert!(trust < preview && preview < cleanup);
    assert!(text[cleanup..].contains("Confirm-Target 'dc01.contoso.com'"));
    // Every AD cmdlet runs against one named DC (or a DC from the DC list while waiting).
    let code = code_outside_literals_and_comments(&text);
    for line in code.lines() {
        for cmdlet in [
            "Get-ADRootDSE",
            "Get-ADObject",
            "Set-ADObject",
            "Remove-ADObject",
        ] {
            if line.contains(cmdlet) {
                assert!(line.contains("-Server"), "{cmdlet} without -Server: {line}");
            }
        }
    }
}

#[test]
fn no_forbidden_form_appears() {
    let code = code_outside_literals_and_comments(&super::script(ID));
    for forbidden in [
        "Remove-FederatedOrganizationIdentifier",
        "RemoveFederatedDomain",
        "Test-FederationCertificate",
        "-UseLegacyProvisioningService",
        "-SkipNamespaceProviderProvisioning",
        "-Confirm $false",
        "-Confirm $true",
        "-Enabled true",
        "-Enabled false",
        "-PrivateKeyExportable true",
    ] {
        assert!(
            !code.contains(forbidden),
            "forbidden `{forbidden}` in:\n{code}"
        );
    }
    for line in code.lines() {
        assert!(
            !(line.contains("-Thumbprint") && line.contains("-PublishFederationCertificate")),
            "-Thumbprint with -PublishFederationCertificate: {line}"
        );
        if line.contains("Remove-FederationTrust") {
            assert!(line.contains("-Identity"), "no -Identity: {line}");
        }
    }
    // Nothing in the steps is piped into a cmdlet that changes or removes objects (the export's
    // own machinery before the steps writes its record file with `| Set-Content`).
    for line in steps_of(&code).lines() {
        for verb in ["Set-", "Remove-", "New-", "Add-"] {
            assert!(
                !line.contains(&format!("| {verb}")),
                "pipes into {verb}*: {line}"
            );
        }
    }
}

#[test]
fn scripted_run_completes() {
    let (run, dir) = Test::new()
        .file("a.yaml", "default: done\n")
        .args(scripted_run(ID, "a.yaml"))
        .run();
    let run = run.success();
    assert!(dir.path().join("s.json").is_file(), "{}", run.stderr());
}

#[test]
fn the_kb2995731_error_block_ranks_this_runbook_first() {
    let block = "Subtask Configure execution failed: Configure Organization Relationship\n\
                 Execution of the Set-FederatedOrganizationIdentifier cmdlet has thrown an \
                 exception. This may indicate invalid parameters in your Hybrid Configuration \
                 settings.\nFederation trust \"contoso.com/Configuration/Deleted Objects/\
                 Microsoft Federation Gateway DEL:5d5d6e8a-61c2-4c5a-b0a4-9e3cd2b1f0aa\" \
                 wasn't found.";
    let out = Test::new().args(["match", block]).go().success().stdout();
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with(&format!("1. {ID} ")), "{out}");
}
