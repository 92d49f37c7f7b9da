//! `resume --set`: a wrong parameter is corrected while no finished step used it, and a
//! `for_each` over it follows the new list (issue 13, part 3). The case is the operator walk's:
//! the federated-domains gate fails because a domain was missing from `additional_domains`.

use crate::support::Workspace;

const REBUILD: &str = "exchange-federation-trust-rebuild";

/// A rebuild run with one additional domain too few, aborted at the domains gate.
fn aborted_at_the_domains_gate() -> Workspace {
    let ws = Workspace::new()
        .file(
            "fail.yaml",
            "default: done\nsteps:\n  check-federated-domains: {fail: Exchange also federates sales.contoso.com}\n",
        )
        .file("done.yaml", "default: done\n");
    ws.cmd([
        "run",
        REBUILD,
        "--example",
        "--set",
        "additional_domains=fabrikam.com",
        "--answers",
        "fail.yaml",
        "--state",
        "s.json",
    ])
    .failure(4);
    ws
}

fn units_of(ws: &Workspace, step: &str) -> Vec<(String, String)> {
    ws.status("s.json")["units"]
        .as_array()
        .expect("units")
        .iter()
        .filter(|u| u["step"] == step)
        .map(|u| {
            let text = |k: &str| u[k].as_str().unwrap_or_default().to_owned();
            (text("id"), text("status"))
        })
        .collect()
}

#[test]
fn a_list_parameter_changed_on_resume_replans_its_steps_and_is_recorded() {
    let ws = aborted_at_the_domains_gate();
    assert_eq!(
        units_of(&ws, "remove-additional-domains"),
        [(
            "remove-additional-domains[fabrikam.com]".to_owned(),
            "pending".to_owned()
        )]
    );
    let run = ws
        .cmd([
            "resume",
            "s.json",
            "--set",
            "additional_domains=fabrikam.com, sales.contoso.com",
            "--answers",
            "done.yaml",
        ])
        .success();
    let said = run.stderr();
    assert!(
        said.contains(
            "parameter `additional_domains` changed: fabrikam.com -> fabrikam.com,sales.contoso.com"
        ),
        "{said}"
    );
    let ids: Vec<String> = units_of(&ws, "remove-additional-domains")
        .into_iter()
        .map(|(id, status)| format!("{id} {status}"))
        .collect();
    assert_eq!(
        ids,
        [
            "remove-additional-domains[fabrikam.com] done",
            "remove-additional-domains[sales.contoso.com] done"
        ]
    );
    let status = ws.status("s.json");
    let change = status["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["event"] == "param-changed")
        .cloned()
        .expect("a param-changed event");
    assert_eq!(change["name"], "additional_domains");
    assert_eq!(change["old"], serde_json::json!(["fabrikam.com"]));
    assert_eq!(
        change["new"],
        serde_json::json!(["fabrikam.com", "sales.contoso.com"])
    );
    assert_eq!(status["complete"], true);
}

#[test]
fn a_parameter_a_finished_step_used_cannot_be_changed_and_nothing_is_recorded() {
    let ws = aborted_at_the_domains_gate();
    let before = ws.read("s.json");
    let err = ws
        .cmd([
            "resume",
            "s.json",
            "--set",
            "dc_fqdn=dc02.contoso.com",
            "--answers",
            "done.yaml",
        ])
        .failure(1)
        .stderr();
    assert!(
        err.contains("--set dc_fqdn: refused: the finished step"),
        "{err}"
    );
    assert!(
        err.contains("`check-time-skew`"),
        "names the step that used it: {err}"
    );
    assert_eq!(ws.read("s.json"), before, "nothing recorded");
}

#[test]
fn a_misspelt_or_malformed_change_is_refused_with_the_expected_form() {
    let ws = aborted_at_the_domains_gate();
    let before = ws.read("s.json");
    let err = ws
        .cmd([
            "resume",
            "s.json",
            "--set",
            "additional_domain=x.com",
            "--answers",
            "done.yaml",
        ])
        .failure(1)
        .stderr();
    assert!(err.contains("did you mean `additional_domains`?"), "{err}");
    let err = ws
        .cmd([
            "resume",
            "s.json",
            "--set",
            "additional_domains=not a domain",
            "--answers",
            "done.yaml",
        ])
        .failure(1)
        .stderr();
    assert!(err.contains("parameter `additional_domains`"), "{err}");
    assert!(err.contains("expected a DNS name"), "{err}");
    assert_eq!(ws.read("s.json"), before, "nothing recorded");
}
