//! The operator's and author's tools (issue 6, "Ecosystem"): `runbook graph` in both formats
//! for every shipped runbook, the Mermaid diagram in the change plan, `runbook new` scaffolds
//! that validate and export, validation warnings, and shell completions.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};

use regex::Regex;
use runbook::graph::{dot_text, mermaid_text};
use runbook::loader;
use runbook::runbook::{Runbook, StepKind};
use runbook::templates::Templates;

use crate::support::{Test, Workspace, root, shipped_ids};

fn load(id: &str) -> Runbook {
    loader::load(id, &Templates::default())
        .expect("shipped runbooks load")
        .runbook
}

fn graph(id: &str, format: &str) -> String {
    Test::new()
        .args(["graph", id, "--format", format])
        .go()
        .success()
        .stdout()
}

/// The Mermaid rules our output must keep, checked line by line: a `flowchart` header; nodes in
/// the quoted `id["label"]` form (any of the shapes used) whose label holds no raw quote and
/// no `#` outside an entity code; edges between declared nodes with quoted labels; no node
/// named `end` (a Mermaid keyword); class lines naming declared nodes.
fn check_mermaid(name: &str, text: &str) -> Vec<(String, String, Option<String>)> {
    let node = Regex::new(
        r#"^    ([A-Za-z][A-Za-z0-9_]*)(\(\[|\[\[|\{\{|\[|\{)"([^"]*)"(\]\)|\]\]|\}\}|\]|\})$"#,
    )
    .expect("regex");
    let edge = Regex::new(
        r#"^    ([A-Za-z][A-Za-z0-9_]*) (-->|-\.->)(?:\|"([^"|]*)"\|)? ([A-Za-z][A-Za-z0-9_]*)$"#,
    )
    .expect("regex");
    let class_def = Regex::new(r"^    classDef [a-z]+ [a-z-]+:[#0-9a-z]+(,[a-z-]+:[#0-9a-z]+)*$")
        .expect("regex");
    let class = Regex::new(r"^    class ([A-Za-z0-9_,]+) [a-z]+$").expect("regex");
    let entity = Regex::new(r"#([a-z]+|[0-9]+);").expect("regex");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart TD"), "{name}");
    let mut nodes = HashSet::new();
    let mut edges = Vec::new();
    for line in lines {
        let label_ok = |label: &str| {
            let without = entity.replace_all(label, "");
            assert!(
                !without.contains(['#', '"', '`']),
                "{name}: unescaped character in {line}"
            );
        };
        if let Some(c) = node.captures(line) {
            let pairs = [
                ("([", "])"),
                ("[[", "]]"),
                ("{{", "}}"),
                ("[", "]"),
                ("{", "}"),
            ];
            assert!(
                pairs.contains(&(&c[2], &c[4])),
                "{name}: unbalanced shape in {line}"
            );
            assert_ne!(c[1].to_lowercase(), "end", "{name}: `end` is a keyword");
            label_ok(&c[3]);
            assert!(nodes.insert(c[1].to_owned()), "{name}: node twice: {line}");
        } else if let Some(c) = edge.captures(line) {
            for id in [&c[1], &c[4]] {
                assert!(
                    nodes.contains(id),
                    "{name}: edge to undeclared {id}: {line}"
                );
            }
            if let Some(l) = c.get(3) {
                label_ok(l.as_str());
            }
            edges.push((
                c[1].to_owned(),
                c[4].to_owned(),
                c.get(3).map(|l| l.as_str().replace("<br/>", " ")),
            ));
        } else if let Some(c) = class.captures(line) {
            for id in c[1].split(',') {
                assert!(nodes.contains(id), "{name}: class of undeclared {id}");
            }
        } else {
            assert!(
                class_def.is_match(line),
                "{name}: not flowchart syntax: {line}"
            );
        }
    }
    edges
}

#[test]
fn graph_of_every_shipped_runbook_in_mermaid_names_steps_and_labels_choices() {
    for id in shipped_ids() {
        let rb = load(&id);
        let text = graph(&id, "mermaid");
        let edges = check_mermaid(&id, &text);
        for (i, step) in rb.steps.iter().enumerate() {
            assert!(
                text.contains(&format!("{} ·", step.id)),
                "{id}: {}",
                step.id
            );
            let node = format!("s{}", i + 1);
            if let StepKind::Decision { choices, .. } = &step.kind {
                assert!(
                    text.contains(&format!("    {node}{{\"")),
                    "{id}: {node} is a diamond"
                );
                let labels: Vec<&str> = edges
                    .iter()
                    .filter(|(from, _, _)| *from == node)
                    .filter_map(|(_, _, l)| l.as_deref())
                    .collect();
                for c in choices {
                    assert!(
                        labels.contains(&mermaid_text(&c.label).as_str()),
                        "{id}: choice `{}` of {} unlabelled: {labels:?}",
                        c.id,
                        step.id
                    );
                }
            }
        }
        assert!(edges.iter().any(|(_, to, _)| to == "finish"), "{id}: End");
        let destructive = rb
            .steps
            .iter()
            .filter(|s| s.impact == runbook::runbook::Impact::Destructive)
            .count();
        assert_eq!(text.matches("⚠ destructive").count(), destructive, "{id}");
    }
}

#[test]
fn graph_of_every_shipped_runbook_in_dot_names_steps_and_labels_choices() {
    let dot = Command::new("dot").arg("-V").output().is_ok();
    if !dot {
        println!("note: Graphviz `dot` is not installed; the dot output is checked without it");
    }
    let edge = Regex::new(
        r#"^    (\w+) -> (\w+)(?: \[label="((?:[^"\\]|\\.)*)"(?:, style=dashed)?\])?;$"#,
    )
    .expect("regex");
    for id in shipped_ids() {
        let rb = load(&id);
        let text = graph(&id, "dot");
        assert!(text.starts_with(&format!("digraph \"{id}\" {{\n")), "{id}");
        assert!(text.ends_with("}\n"), "{id}");
        let edges: Vec<(String, String, Option<String>)> = text
            .lines()
            .filter_map(|l| edge.captures(l))
            .map(|c| {
                (
                    c[1].to_owned(),
                    c[2].to_owned(),
                    c.get(3).map(|l| l.as_str().replace("\\n", " ")),
                )
            })
            .collect();
        for (i, step) in rb.steps.iter().enumerate() {
            let node = format!("s{}", i + 1);
            assert!(
                text.contains(&format!("    {node} [label=\"{}. ", i + 1))
                    && text.contains(&format!("{} ·", step.id)),
                "{id}: {}",
                step.id
            );
            if let StepKind::Decision { choices, .. } = &step.kind {
                for c in choices {
                    let want = dot_text(&c.label);
                    assert!(
                        edges
                            .iter()
                            .any(|(f, _, l)| *f == node && l.as_deref() == Some(want.as_str())),
                        "{id}: choice `{}` of {} unlabelled",
                        c.id,
                        step.id
                    );
                }
            }
        }
        if dot {
            assert_graphviz_reads(&id, &text);
        }
    }
}

fn assert_graphviz_reads(name: &str, text: &str) {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dot starts");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), text.as_bytes())
        .expect("write to dot");
    let out = child.wait_with_output().expect("dot runs");
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{name}: dot says {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("<svg"),
        "{name}"
    );
}

/// Titles and choice labels with every character the two syntaxes care about.
const HOSTILE: &str = r#"id: hostile
title: 'A "quoted" #1 <b>x</b> & `tick` | pipe ] } ) %% --> end'
version: 1.0.0
description: Labels that would break a naive graph.
params:
  - name: domains
    type: list
    items: domain
    example: [contoso.com]
    help: Any.
  - name: flag
    type: bool
    example: true
    help: Any.
steps:
  - id: ask
    title: 'Which? "x" [y] {z} (w) #3; a|b --> c \ d'
    kind: decision
    question: Which?
    choices:
      - id: a
        label: 'Yes "really" | #x <y> `z` ]] }} end'
        goto: end
      - id: b
        label: 'No; ---> end %% ")'
  - id: gate
    title: 'Gate \ "q"'
    kind: check
    instructions: Look.
    gate: true
    when: flag
    command: Get-Date
  - id: each
    title: end
    kind: command
    impact: destructive
    instructions: Removes each domain.
    for_each: domains
    as: domain
    when: "flag == 'true'"
    command: Remove-Thing -Identity {{ domain }}
    verify:
      command: Get-Thing
    rollback:
      instructions: Add it back.
"#;

#[test]
fn graph_labels_with_quotes_brackets_and_hashes_stay_inside_their_quotes() {
    let ws = Workspace::new().file("hostile.yaml", HOSTILE);
    let mermaid = ws.cmd(["graph", "hostile.yaml"]).success().stdout();
    let edges = check_mermaid("hostile", &mermaid);
    assert!(
        edges.contains(&(
            "s1".into(),
            "finish".into(),
            Some(mermaid_text(r#"Yes "really" | #x <y> `z` ]] }} end"#))
        )),
        "{mermaid}"
    );
    // The skip edges of `when:` are dashed and say the condition.
    assert!(
        mermaid.contains("    s2 -.->|\"skipped unless flag\"| s3\n"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("s3[[\"") && mermaid.contains("for each domain in domains"),
        "{mermaid}"
    );
    assert!(mermaid.contains("s2{{\""), "a gate is a hexagon: {mermaid}");
    assert!(mermaid.contains("class s3 destructive"), "{mermaid}");
    let dot = ws
        .cmd(["graph", "hostile.yaml", "--format", "dot"])
        .success()
        .stdout();
    assert!(dot.contains(r#"label="2. Gate \\ \"q\"\n"#), "{dot}");
    if Command::new("dot").arg("-V").output().is_ok() {
        assert_graphviz_reads("hostile", &dot);
    } else {
        println!("note: Graphviz `dot` is not installed; skipped reading the graph with it");
    }
}

#[test]
fn graph_of_an_invalid_runbook_is_refused_with_its_problems() {
    let run = Test::new()
        .args(["graph", "tests/fixtures/none.yaml"])
        .go()
        .failure(1);
    assert!(run.stdout().is_empty());
    let run = Test::new()
        .file(
            "bad.yaml",
            "id: Bad\ntitle: x\nversion: 1.0.0\nsteps:\n  - id: a\n    title: A\n    kind: instruction\n    instructions: Do it.\n",
        )
        .args(["graph", "bad.yaml", "--format", "dot"])
        .go()
        .failure(1);
    assert!(run.stderr().contains("bad.yaml:1:5:"), "{}", run.stderr());
}

#[test]
fn change_plan_embeds_the_mermaid_graph() {
    for id in shipped_ids() {
        let plan = Test::new()
            .args(["export", &id, "--example", "--format", "markdown"])
            .go()
            .success()
            .stdout();
        let want = format!("## Flow\n\n```mermaid\n{}```\n", graph(&id, "mermaid"));
        assert!(plan.contains(&want), "{id}");
        assert!(plan.find("## Flow") < plan.find("## Steps"), "{id}");
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn new_writes_a_runbook_and_template_that_validate_export_and_graph() {
    let (run, dir) = Test::new()
        .args(["new", "adfs-token-signing-rollover", "--dir", "authoring"])
        .run();
    let run = run.success();
    let base = dir.path().join("authoring");
    let yaml = base.join("adfs-token-signing-rollover.yaml");
    let template = base.join("templates/adfs-token-signing-rollover-check.ps1");
    let text = read(&yaml);
    assert!(
        text.starts_with(
            "# yaml-language-server: $schema=https://raw.githubusercontent.com/runbook-dev/runbook/main/runbook.schema.json\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\nid: adfs-token-signing-rollover "),
        "{text}"
    );
    assert!(read(&template).contains("{{ primary_domain }}"));
    let out = run.stdout();
    for want in [
        "wrote authoring/adfs-token-signing-rollover.yaml\n",
        "wrote authoring/templates/adfs-token-signing-rollover-check.ps1\n",
        "runbook validate authoring/adfs-token-signing-rollover.yaml\n",
        "runbook graph authoring/adfs-token-signing-rollover.yaml\n",
        "runbook export authoring/adfs-token-signing-rollover.yaml --example --format markdown\n",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    // No --templates: the loader finds templates/ beside the runbook.
    let path = "authoring/adfs-token-signing-rollover.yaml";
    let validate = dir.cmd(["validate", path]).success();
    assert_eq!(validate.stderr(), "", "the scaffold has no warnings");
    for format in ["ps1", "markdown"] {
        let text = dir
            .cmd(["export", path, "--example", "--format", format])
            .success()
            .stdout();
        assert!(text.contains("'contoso.com'"), "{format}: {text}");
        assert!(
            !text.contains("{#"),
            "the template's comment is not rendered"
        );
    }
    let export = dir.cmd(["export", path, "--example"]).success();
    crate::support::powershell::assert_parses(
        "scaffold",
        &String::from_utf8(export.output.stdout).expect("utf-8"),
    );
    let graph = dir.cmd(["graph", path]).success().stdout();
    check_mermaid("scaffold", &graph);
}

#[test]
fn new_defaults_to_the_current_folder() {
    let (run, dir) = Test::new().args(["new", "x1"]).run();
    run.success();
    assert!(dir.path().join("x1.yaml").is_file());
    assert!(dir.path().join("templates/x1-check.ps1").is_file());
}

#[test]
fn new_refuses_an_id_that_is_not_kebab_case() {
    for bad in [
        "Upper",
        "under_score",
        "-lead",
        "a b",
        "../escape",
        "a.yaml",
        "é",
    ] {
        let (run, dir) = Test::new().args(["new", "--", bad]).run();
        let run = run.failure(1);
        assert!(
            run.stderr()
                .contains(&format!("error: runbook id `{bad}` must be kebab-case")),
            "{bad}: {}",
            run.stderr()
        );
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert!(left.is_empty(), "{bad}: nothing is written");
    }
}

#[test]
fn new_never_overwrites_a_runbook_or_a_template() {
    let (run, tmp) = Test::new()
        .file("keep.yaml", "mine\n")
        .args(["new", "keep"])
        .run();
    let (run, dir) = (run.failure(1), tmp.path());
    assert!(
        run.stderr().contains("keep.yaml: already exists"),
        "{}",
        run.stderr()
    );
    assert_eq!(read(&dir.join("keep.yaml")), "mine\n");
    assert!(!dir.join("templates").exists(), "nothing else is written");

    // Only the template exists: still refused, and no runbook is left behind.
    let (run, tmp2) = Test::new()
        .file("templates/other-check.ps1", "mine\n")
        .args(["new", "other"])
        .run();
    let (run, dir) = (run.failure(1), tmp2.path());
    assert!(
        run.stderr().contains("other-check.ps1: already exists"),
        "{}",
        run.stderr()
    );
    assert!(!dir.join("other.yaml").exists());
    assert_eq!(read(&dir.join("templates/other-check.ps1")), "mine\n");

    // A second `new` of the same id.
    let (first, dir) = Test::new().args(["new", "twice"]).run();
    first.success();
    let before = read(&dir.path().join("twice.yaml"));
    dir.cmd(["new", "twice"]).failure(1);
    assert_eq!(read(&dir.path().join("twice.yaml")), before);
}

#[test]
fn warnings_name_each_smell_at_its_position_and_exit_0() {
    let fixture = root().join("tests/fixtures/warnings/smells.yaml");
    let shown = fixture.display().to_string();
    let run = Test::new().args(["validate", &shown]).go().success();
    assert_eq!(
        run.stdout(),
        format!("{shown}: ok (smells 1.0.0, 2 steps: 1 read, 1 change, 0 destructive)\n")
    );
    let warnings: Vec<String> = run
        .stderr()
        .lines()
        .filter(|l| !l.starts_with("  |"))
        .map(|l| l.strip_prefix(&format!("{shown}:")).unwrap_or(l).to_owned())
        .collect();
    assert_eq!(
        warnings,
        [
            "7:11: warning: parameter `server` has no `help`: say where the operator finds the value",
            "12:9: warning: check step `look` has no `instructions`: say what to do and why",
            "20:13: warning: step `change-it` has `impact: change` but no `verify`: add a read-only command that proves the change worked",
        ],
        "{}",
        run.stderr()
    );
    // Each warning shows its line with a caret, as errors do.
    assert!(
        run.stderr()
            .contains("  |     impact: change\n  |             ^\n")
    );
}

#[test]
fn warnings_are_not_shown_for_an_invalid_runbook() {
    let text = read(&root().join("tests/fixtures/warnings/smells.yaml"))
        .replace("id: smells", "id: Smells");
    let run = Test::new()
        .file("smells.yaml", text)
        .args(["validate", "smells.yaml"])
        .go()
        .failure(1);
    assert!(!run.stderr().contains("warning:"), "{}", run.stderr());
}

#[test]
fn shipped_runbooks_have_no_warnings() {
    let run = Test::new().args(["validate"]).args(shipped_ids()).go();
    let stderr = String::from_utf8_lossy(&run.output.stderr).into_owned();
    assert!(
        !stderr.contains(": warning: "),
        "shipped runbooks warn:\n{stderr}"
    );
    assert!(run.output.status.success(), "{stderr}");
    assert_eq!(stderr, "", "shipped runbooks warn");
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = Test::new().args(["completions", shell]).go().success();
        let out = run.stdout();
        assert!(out.len() > 100 && out.contains("runbook"), "{shell}: {out}");
    }
}
