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

/// Up from the first item of a run's menu, one key at a time: pause, then "change a parameter".
#[cfg(unix)]
fn change_a_parameter(s: &mut expectrl::session::OsSession) {
    use expectrl::Expect as _;
    s.send("\x1b[A").expect("up");
    s.expect("❯ pause").expect("highlighted");
    crate::terminal::choose(s, "\x1b[A", "change a parameter");
    s.expect("Change which parameter?").expect("which one");
}

/// The "change a parameter" menu item, at a terminal: a typo seen in the rendered command is
/// corrected before the command is run, and the step is shown again with the new value; once a
/// finished step used the value, the change is refused and the question stays.
#[cfg(unix)]
#[test]
fn a_parameter_changed_from_the_menu_shows_the_step_again_and_is_refused_once_used() {
    use expectrl::Expect as _;

    use crate::terminal::{RUNBOOK, begin, choose, exit_code, spawn, type_line};

    let ws = Workspace::new().file("pty.yaml", RUNBOOK);
    let mut s = spawn(
        &ws,
        &[
            "run",
            "pty.yaml",
            "--set",
            "domain=contso.com",
            "--state",
            "s.json",
        ],
    );
    begin(&mut s);
    s.expect("Get-AcceptedDomain -Identity 'contso.com'")
        .expect("the typo, in the command");
    s.expect("What happened?").expect("the gate");
    change_a_parameter(&mut s);
    // The menu starts on "back": Up to the parameter.
    choose(&mut s, "\x1b[A", "domain = contso.com");
    s.expect("New value of domain (empty: keep contso.com) ›")
        .expect("its new value");
    type_line(&mut s, "contoso.com");
    s.expect("parameter `domain` changed: contso.com -> contoso.com")
        .expect("the change");
    s.expect("look uses `domain`: it starts over with the new value")
        .expect("the step starts over");
    s.expect("Get-AcceptedDomain -Identity 'contoso.com'")
        .expect("shown again, with the new value");
    s.expect("What happened?").expect("asked again");
    s.send("\r").expect("passed");
    s.expect("This step is destructive. What now?")
        .expect("the next step");
    change_a_parameter(&mut s);
    // Refused before a value is asked.
    choose(&mut s, "\x1b[A", "domain = contoso.com");
    s.expect("`domain` cannot change: the finished step `look` used its value")
        .expect("refused, naming the step");
    s.expect("This step is destructive. What now?")
        .expect("the same question again");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);

    let record = ws.status("s.json");
    let events: Vec<String> = record["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["unit"] == "look" || e["event"] == "param-changed")
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_owned();
            match text("event").as_str() {
                "param-changed" => format!("param-changed {} -> {}", text("old"), text("new")),
                "started" => format!("started {}", text("command")),
                other => other.to_owned(),
            }
        })
        .collect();
    assert_eq!(
        events,
        [
            "started Get-AcceptedDomain -Identity 'contso.com'",
            "restarted",
            "param-changed contso.com -> contoso.com",
            "started Get-AcceptedDomain -Identity 'contoso.com'",
            "done",
        ],
        "{record}"
    );
}

/// A list changed from the menu while one of its items is on screen: the item no longer listed
/// is dropped (nothing happened to it), and the walk goes on with the new list's first item.
#[cfg(unix)]
#[test]
fn a_list_changed_from_the_menu_at_one_of_its_items_follows_the_new_list() {
    use expectrl::Expect as _;

    use crate::terminal::{begin, choose, exit_code, spawn, type_line};

    const SITES: &str = "id: sites\ntitle: Sites\nversion: '1'\nparams:\n  - name: sites\n    \
        type: list\n    items: string\n    example: [a]\nsteps:\n  - id: per-site\n    \
        title: Look at a site\n    kind: check\n    for_each: sites\n    as: site\n    \
        command: Get-Site -Identity {{ site }}\n";
    let ws = Workspace::new().file("sites.yaml", SITES);
    let mut s = spawn(
        &ws,
        &[
            "run",
            "sites.yaml",
            "--set",
            "sites=a,b",
            "--state",
            "s.json",
        ],
    );
    begin(&mut s);
    s.expect("Get-Site -Identity 'a'").expect("item a");
    s.expect("What happened?").expect("its menu");
    change_a_parameter(&mut s);
    choose(&mut s, "\x1b[A", "sites = a,b");
    s.expect("New value of sites").expect("its new value");
    type_line(&mut s, "b,c");
    s.expect("per-site[a] uses `sites`: it starts over with the new value")
        .expect("the unit on screen starts over");
    s.expect("Get-Site -Identity 'b'")
        .expect("the new list's first item");
    s.expect("── step 1 of 1 · Look at a site (per-site[b]) · check · item 1 of 2")
        .expect("its header");
    s.send("\x03").expect("Ctrl-C");
    assert_eq!(exit_code(s), 3);
    let ids: Vec<(String, String)> = ws.status("s.json")["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| {
            let text = |k: &str| u[k].as_str().unwrap_or_default().to_owned();
            (text("id"), text("status"))
        })
        .collect();
    assert_eq!(
        ids,
        [
            ("per-site[b]".to_owned(), "in_progress".to_owned()),
            ("per-site[c]".to_owned(), "pending".to_owned()),
        ]
    );
}
