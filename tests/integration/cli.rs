//! The command line: list, show, schema, completions, exit codes, closed pipes, and value errors.

use std::io::Read;
use std::process::Stdio;

use crate::support::fixtures::ROTATE;
use crate::support::{Test, Workspace, shipped_ids};

#[test]
fn list_json_has_every_shipped_runbook() {
    let run = Test::new()
        .args(["list", "--format", "json"])
        .go()
        .success();
    let rows: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    let ids: Vec<&str> = rows
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, shipped_ids());
    for r in rows.as_array().expect("array") {
        assert!(r["title"].is_string() && r["version"].is_string(), "{r}");
    }
}

#[test]
fn show_json_has_the_documented_shape() {
    let run = Test::new()
        .args([
            "show",
            "exchange-federation-trust-rebuild",
            "--format",
            "json",
        ])
        .go()
        .success();
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    for key in [
        "id",
        "title",
        "version",
        "description",
        "references",
        "params",
        "steps",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let p = &v["params"][0];
    for key in [
        "name", "type", "required", "default", "example", "secret", "prompt", "help",
    ] {
        assert!(p.get(key).is_some(), "param missing {key}: {p}");
    }
    let s = &v["steps"][0];
    for key in ["id", "title", "kind", "impact", "for_each", "when"] {
        assert!(s.get(key).is_some(), "step missing {key}: {s}");
    }
}

#[test]
fn list_text_has_a_line_per_shipped_runbook() {
    let out = Test::new().args(["list"]).go().success().stdout();
    insta::assert_snapshot!(out, @r#"
    adfs-event-302-actas                      1.1.0     Authorize an ActAs caller after AD FS event 302 (Act As Authorization Error)
    adfs-event-323-impersonation              1.1.0     AD FS event 323 - allow one caller to impersonate users (OnBehalfOf) for a relying party
    exchange-federation-1007-triage           1.1.0     Triage "1007 AccessDenied" from the Microsoft Federation Gateway (time skew or certificate)
    exchange-federation-certificate-rollover  1.1.0     Renew the Exchange federation certificate before it expires (certificate rollover)
    exchange-federation-trust-rebuild         1.1.0     Rebuild the Exchange federation trust after the federation certificate expired
    exchange-hybrid-kb2995731-repair          1.1.0     Repair the HCW "Federation trust ... Deleted Objects ... DEL:" error (KB2995731)
    "#);
}

#[test]
fn show_text_has_the_description_parameters_steps_and_references() {
    let out = Test::new()
        .file("rotate.yaml", ROTATE)
        .args(["show", "rotate.yaml"])
        .go()
        .success()
        .stdout();
    insta::assert_snapshot!(out, @"
    rotate 2.1.0: Rotate the partner token

    Replaces the token a partner uses, after a look at the trust and the change manager's
    approval.

    Parameters:
      domain (domain, required), e.g. contoso.com
          The federated domain.
      partners (list of domain, required), e.g. fabrikam.com,tailspin.com
          Every partner organisation.
      token (string, required, secret), e.g. ********
          The new token, from the vault.
      tell_partners (bool, optional), e.g. true
          Whether the partners are told at the end.

    Steps:
       1. look                                     check [read, gate]
       2. read-name                                capture [read]
       3. approve                                  approval [read]
       4. how                                      decision [read]
       5. rotate                                   command [destructive, for each in partners]
       6. done                                     notify [read, when tell_partners]

    References:
      https://learn.microsoft.com/exchange/federation
    ");
}

#[test]
fn show_text_of_every_shipped_runbook_lists_each_parameter_and_step() {
    for id in shipped_ids() {
        let rb = runbook::load(&id, &runbook::Templates::default())
            .expect("shipped runbooks load")
            .runbook;
        let out = Test::new().args(["show", &id]).go().success().stdout();
        let (params, steps) = out
            .split_once("\nParameters:\n")
            .and_then(|(_, rest)| rest.split_once("\nSteps:\n"))
            .unwrap_or_else(|| panic!("{id}: no Parameters: and Steps: in\n{out}"));
        for p in &rb.params {
            let line = format!("  {} (", p.name);
            assert!(
                params.lines().any(|l| l.starts_with(&line)),
                "{id}: parameter {}",
                p.name
            );
        }
        for (i, st) in rb.steps.iter().enumerate() {
            let line = format!("  {:>2}. {} ", i + 1, st.id);
            assert!(
                steps.lines().any(|l| l.starts_with(&line)),
                "{id}: step {}",
                st.id
            );
        }
    }
}

#[test]
fn schema_is_json_schema_of_the_format() {
    let out = Test::new().args(["schema"]).go().success().stdout();
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        v["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org"))
    );
    assert!(v["properties"]["steps"].is_object(), "{v}");
}

#[test]
fn unknown_runbook_names_the_shipped_ones() {
    let run = Test::new()
        .args(["show", "no-such-runbook"])
        .go()
        .failure(1);
    assert!(
        run.stderr().contains("exchange-federation-trust-rebuild"),
        "{}",
        run.stderr()
    );
}

#[test]
fn usage_errors_exit_2() {
    Test::new().args(["export"]).go().failure(2);
    Test::new().args(["frobnicate"]).go().failure(2);
}

#[test]
fn missing_values_are_named_with_the_expected_form() {
    let run = Test::new()
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--set",
            "primary_domain=contoso.com",
        ])
        .go()
        .failure(1);
    let err = run.stderr();
    assert!(
        err.contains("parameter `user_smtp`: is missing; expected an e-mail address"),
        "{err}"
    );
    assert!(
        err.contains("parameter `dc_fqdn`: is missing; expected a DNS name"),
        "{err}"
    );
    assert!(!err.contains("parameter `primary_domain`"), "{err}");
}

#[test]
fn every_bad_value_is_reported_with_its_parameter_and_value() {
    let run = Test::new()
        .args(["export", "exchange-federation-trust-rebuild", "--example"])
        .args([
            "--set",
            "primary_domain=contoso com",
            "--set",
            "user_smtp=nobody",
        ])
        .args(["--set", "no_such=1"])
        .go()
        .failure(1);
    let err = run.stderr();
    assert!(
        err.contains(
            "parameter `primary_domain`: value \"contoso com\" is not valid: contains a space; expected a DNS name"
        ),
        "{err}"
    );
    assert!(
        err.contains("parameter `user_smtp`: value \"nobody\""),
        "{err}"
    );
    assert!(
        err.contains("parameter `no_such`: is not a parameter"),
        "{err}"
    );
}

#[test]
fn params_file_values_override_examples_and_set_overrides_the_file() {
    let (run, _d) = Test::new()
        .file("p.yaml", "primary_domain: woodgrove.com\nadditional_domains: [a.woodgrove.com, b.woodgrove.com]\n")
        .args(["export", "exchange-federation-trust-rebuild", "--example", "--params", "p.yaml"])
        .args(["--set", "additional_domains=c.woodgrove.com", "--format", "markdown"])
        .run();
    let out = run.success().stdout();
    assert!(out.contains("'woodgrove.com'"), "{out}");
    assert!(out.contains("@('c.woodgrove.com')"), "{out}");
    assert!(!out.contains("a.woodgrove.com"), "{out}");
}

#[test]
fn a_bad_params_file_points_at_the_line() {
    let (run, _d) = Test::new()
        .file(
            "p.yaml",
            "primary_domain: woodgrove.com\nuser_smtp: not-an-address\n",
        )
        .args([
            "export",
            "exchange-federation-trust-rebuild",
            "--example",
            "--params",
            "p.yaml",
        ])
        .run();
    let err = run.failure(1).stderr();
    assert!(
        err.contains("parameter `user_smtp`") && err.contains("p.yaml:2:"),
        "{err}"
    );
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let ws = Workspace::new();
    let mut child = ws
        .command(["export", "exchange-federation-trust-rebuild", "--example"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // The read end is dropped here: the rest of the write hits a closed pipe.
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = Test::new().args(["completions", shell]).go().success();
        let out = run.stdout();
        assert!(out.len() > 100 && out.contains("runbook"), "{shell}: {out}");
    }
}
