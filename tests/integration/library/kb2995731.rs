//! `exchange-hybrid-kb2995731-repair`: the HCW "Deleted Objects ... DEL:" repair reads AD first,
//! removes domains (primary last) and the trust, previews the AD cleanup with -WhatIf before
//! writing, recreates the trust by thumbprint and ends with the wizard; no forbidden form.

use crate::support::Test;
use crate::support::powershell::code_outside_literals_and_comments;

const ID: &str = "exchange-hybrid-kb2995731-repair";

/// The `.ps1` export with the examples, as LF text.
fn script() -> String {
    super::script(ID)
}

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
    let code = code_outside_literals_and_comments(&script());
    let what_if = Some("-WhatIf");
    let steps: [(&str, Option<&str>, Option<&str>); 23] = [
        // 1. the read-only AD checks and A1/A3 come first
        ("Get-ADRootDSE -Server", None, None),
        ("msExchFedDelegationTrust", None, None),
        ("Get-FederationTrust -DomainController", None, None),
        (
            "Get-FederatedOrganizationIdentifier -IncludeExtendedDomainInfo",
            None,
            None,
        ),
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
        ("nslookup -querytype=txt", None, None),
        (
            "Set-FederatedOrganizationIdentifier -DelegationFederationTrust",
            Some("-AccountNamespace"),
            None,
        ),
        ("Add-FederatedDomain -DomainName", None, None),
        ("Test-FederationTrustCertificate", None, None),
        ("Test-FederationTrust -UserIdentity", None, None),
        ("Get-FederationInformation -DomainName", None, None),
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
}

#[test]
fn primary_domain_is_removed_last_and_every_ad_command_names_the_dc() {
    let text = script();
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
    let code = code_outside_literals_and_comments(&script());
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
        // Nothing is piped into a cmdlet that changes or removes objects.
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
        .args([
            "run",
            ID,
            "--example",
            "--answers",
            "a.yaml",
            "--state",
            "s.json",
        ])
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
