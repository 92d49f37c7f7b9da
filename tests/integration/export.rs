//! Export: every shipped runbook validates and exports in both formats, the scripts parse with a
//! real PowerShell grammar, the bytes are what Windows PowerShell 5.1 needs, and snapshots keep
//! the output reviewed.

use crate::support::powershell::{assert_parses, code_outside_literals_and_comments};
use crate::support::{Test, root, shipped_ids};

const AT: &str = "2026-11-23T08:00:00Z";

fn export(id: &str, format: &str) -> Vec<u8> {
    Test::new()
        .args([
            "export",
            id,
            "--example",
            "--format",
            format,
            "--generated-at",
            AT,
        ])
        .go()
        .success()
        .output
        .stdout
}

/// Text of a `.ps1` export: checks the BOM and CRLF, returns LF text without the BOM.
fn script_text(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let body = text
        .strip_prefix('\u{FEFF}')
        .expect("starts with a UTF-8 BOM");
    assert!(body.ends_with("\r\n"), "ends with CRLF");
    let lone_lf = body
        .match_indices('\n')
        .filter(|(i, _)| !body[..*i].ends_with('\r'))
        .count();
    assert_eq!(lone_lf, 0, "every line ends with CRLF");
    body.replace("\r\n", "\n")
}

#[test]
fn every_shipped_runbook_validates() {
    let ids = shipped_ids();
    assert!(!ids.is_empty());
    let out = Test::new()
        .args(["validate"])
        .args(&ids)
        .go()
        .success()
        .stdout();
    assert_eq!(out.lines().count(), ids.len(), "{out}");
}

#[test]
fn every_shipped_runbook_exports_a_script_that_parses() {
    for id in shipped_ids() {
        let bytes = export(&id, "ps1");
        let text = script_text(&bytes);
        assert_parses(&id, &String::from_utf8(bytes.clone()).expect("utf-8"));
        assert!(text.contains("#Requires -Version 5.1\n"), "{id}");
        assert!(text.contains("Set-StrictMode -Version Latest\n"), "{id}");
        assert!(text.contains("$ErrorActionPreference = 'Stop'\n"), "{id}");
        insta::assert_snapshot!(format!("{id}.ps1"), text);
    }
}

#[test]
fn every_shipped_runbook_exports_a_change_plan() {
    for id in shipped_ids() {
        let text = String::from_utf8(export(&id, "markdown")).expect("utf-8");
        for heading in [
            "## Purpose",
            "## Parameters",
            "## Summary",
            "## Steps",
            "## Rollback notes",
            "## References",
        ] {
            assert!(text.contains(heading), "{id}: {heading}");
        }
        insta::assert_snapshot!(format!("{id}.md"), text);
    }
}

#[test]
fn export_is_deterministic_and_honours_source_date_epoch() {
    let a = export("exchange-federation-trust-rebuild", "ps1");
    let b = export("exchange-federation-trust-rebuild", "ps1");
    assert_eq!(a, b);
    let text = Test::new()
        .env("SOURCE_DATE_EPOCH", "1795392000")
        .args(["export", "exchange-federation-trust-rebuild", "--example"])
        .go()
        .success()
        .stdout();
    assert!(
        text.contains("# Generated:  2026-11-23T00:00:00Z by runbook "),
        "{}",
        &text[..600]
    );
}

#[test]
fn for_each_steps_are_unrolled_per_item_and_destructive_steps_confirm() {
    let text = script_text(&export("exchange-federation-trust-rebuild", "ps1"));
    let removal = text
        .split("if (Enter-Step 'remove-additional-domains'")
        .nth(1)
        .expect("removal step")
        .split("if (Enter-Step")
        .next()
        .expect("step body");
    for domain in ["fabrikam.com", "sales.contoso.com"] {
        assert!(
            removal.contains(&format!("Confirm-Target '{domain}'")),
            "{removal}"
        );
        assert!(
            removal.contains(&format!("$rfdName = '{domain}'")),
            "{removal}"
        );
    }
    assert!(
        removal.contains("Remove-FederatedDomain -DomainName $rfdName -Force")
            && removal.contains("-Confirm:$false"),
        "{removal}"
    );
    for domain in ["fabrikam.com", "sales.contoso.com"] {
        // The confirmation comes before the removal of the same item.
        let confirm = removal.find(&format!("Confirm-Target '{domain}'"));
        let name = removal.find(&format!("$rfdName = '{domain}'"));
        assert!(confirm < name, "{removal}");
    }
}

#[test]
fn captured_values_become_script_variables() {
    let text = script_text(&export("exchange-federation-trust-rebuild", "ps1"));
    assert!(
        text.contains("$trust_name = & {"),
        "capture assigns the variable"
    );
    assert!(
        text.contains("Remove-FederationTrust -Identity $trust_name"),
        "later steps use it"
    );
    assert!(
        text.contains("Assert-Captured 'trust_name' $trust_name"),
        "and check it is set"
    );
}

#[test]
fn the_rebuild_never_renders_what_the_domain_reference_forbids() {
    let text = script_text(&export("exchange-federation-trust-rebuild", "ps1"));
    let code = code_outside_literals_and_comments(&text);
    for banned in [
        "UseLegacyProvisioningService",
        "Remove-FederatedOrganizationIdentifier",
        "RemoveFederatedDomain ",
        "-Confirm $false",
    ] {
        assert!(!code.contains(banned), "{banned}");
    }
    assert!(
        !code.contains("Remove-FederationTrust\n"),
        "Remove-FederationTrust always gets -Identity"
    );
}

#[test]
fn unicode_titles_survive_both_formats() {
    let rb = "id: unicode\ntitle: Obnova důvěry – フェデレーションの再構築\nversion: '1'\n\
              params:\n  - name: d\n    type: domain\n    example: contoso.com\n\
              steps:\n  - id: s\n    title: Krok 1 – 確認\n    kind: check\n    command: Get-AcceptedDomain -Identity {{ d }}\n";
    let t = Test::new().file("unicode.yaml", rb);
    let (run, _d) = t
        .args(["export", "unicode.yaml", "--example", "--generated-at", AT])
        .run();
    let ps1 = script_text(&run.success().output.stdout);
    assert!(ps1.contains("Obnova důvěry – フェデレーションの再構築"));
    assert!(ps1.contains("'Krok 1 – 確認'"));
    let t = Test::new().file("unicode.yaml", rb);
    let (run, _d) = t
        .args([
            "export",
            "unicode.yaml",
            "--example",
            "--format",
            "markdown",
        ])
        .run();
    assert!(
        run.success()
            .stdout()
            .contains("# Change plan: Obnova důvěry – フェデレーションの再構築")
    );
}

#[test]
fn secrets_are_masked_in_both_formats() {
    let rb = "id: secret\ntitle: Secret\nversion: '1'\n\
              params:\n  - name: password\n    type: string\n    secret: true\n    example: hunter2-example\n\
              steps:\n  - id: s\n    title: Use it\n    kind: check\n    command: Test-Thing -Password {{ password }}\n";
    for format in ["ps1", "markdown"] {
        let t = Test::new().file("secret.yaml", rb);
        let (run, _d) = t
            .args([
                "export",
                "secret.yaml",
                "--set",
                "password=S3cr3t-Value",
                "--format",
                format,
            ])
            .run();
        let out = run.success().stdout();
        assert!(!out.contains("S3cr3t-Value"), "{format}: {out}");
        assert!(out.contains("'********'"), "{format}: {out}");
    }
}

#[test]
fn output_file_gets_the_same_bytes() {
    let (run, dir) = Test::new()
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--generated-at",
            AT,
            "-o",
            "out.ps1",
        ])
        .run();
    run.success();
    let written = std::fs::read(dir.path().join("out.ps1")).expect("written");
    assert_eq!(written, export("exchange-federation-trust-rebuild", "ps1"));
}

#[test]
fn every_template_file_is_used_by_a_shipped_runbook() {
    let runbooks: String = shipped_ids()
        .iter()
        .map(|id| {
            std::fs::read_to_string(root().join(format!("runbooks/{id}.yaml"))).expect("read")
        })
        .collect();
    for entry in std::fs::read_dir(root().join("templates")).expect("templates/") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            runbooks.contains(&format!("template: {name}")),
            "templates/{name} is not used"
        );
    }
}

#[test]
fn the_format_example_validates_and_exports() {
    let readme = std::fs::read_to_string(root().join("FORMAT.md")).expect("FORMAT.md");
    let example = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .find(|block| block.starts_with("id: "))
        .expect("a runbook example in FORMAT.md");
    let t = Test::new().file("refresh-federation-metadata.yaml", example);
    let (run, _d) = t
        .args(["validate", "refresh-federation-metadata.yaml"])
        .run();
    run.success();
    let t = Test::new().file("refresh-federation-metadata.yaml", example);
    let (run, _d) = t
        .args(["export", "refresh-federation-metadata.yaml", "--example"])
        .run();
    let out = run.success().stdout();
    assert!(
        out.contains("Set-FederationTrust -Identity $trust_name -RefreshMetadata"),
        "{out}"
    );
}

#[test]
fn a_templates_directory_overrides_the_shipped_templates() {
    let shipped =
        std::fs::read_to_string(root().join("templates/federation-tests.ps1")).expect("read");
    let t = Test::new().file(
        "tpl/federation-tests.ps1",
        format!("Write-Output 'overridden'\n{shipped}"),
    );
    let (run, _d) = t
        .args([
            "--templates",
            "tpl",
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
        ])
        .run();
    assert!(run.success().stdout().contains("Write-Output 'overridden'"));
}

#[cfg(unix)]
#[test]
fn output_to_a_symlink_replaces_its_target_and_keeps_the_link() {
    let t = Test::new().file("real.ps1", "old");
    let dir = t.dir_path();
    std::os::unix::fs::symlink(dir.join("real.ps1"), dir.join("link.ps1")).expect("symlink");
    let (run, _d) = t
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "-o",
            "link.ps1",
        ])
        .run();
    run.success();
    assert!(
        std::fs::symlink_metadata(dir.join("link.ps1"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read(dir.join("real.ps1")).expect("read");
    assert!(text.starts_with("\u{FEFF}".as_bytes()));
}

#[cfg(unix)]
#[test]
fn output_to_a_fifo_streams_into_it_instead_of_replacing_it() {
    use std::os::unix::fs::FileTypeExt;

    let t = Test::new();
    let dir = t.dir_path();
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).expect("read fifo"))
    };
    let (run, _d) = t
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "-o",
            "pipe",
        ])
        .run();
    run.success();
    let bytes = reader.join().expect("reader");
    assert!(bytes.len() > 10_000);
    assert!(
        std::fs::metadata(&fifo)
            .expect("meta")
            .file_type()
            .is_fifo(),
        "still a fifo"
    );
}

#[test]
fn output_into_a_missing_folder_names_the_users_path() {
    let run = Test::new()
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "-o",
            "nope/x.ps1",
        ])
        .go()
        .failure(1);
    assert!(
        run.stderr()
            .contains("cannot write nope/x.ps1: the folder does not exist"),
        "{}",
        run.stderr()
    );
}
