//! `runbook graph` in Mermaid and dot for every shipped runbook and for labels full of the
//! characters either syntax cares about (checked by Graphviz itself when it is installed), the
//! Mermaid diagram in the change plan, and the refusal of an invalid runbook.

use std::collections::HashSet;
use std::process::{Command, Stdio};

use regex::Regex;
use runbook::Templates;
use runbook::{Runbook, StepKind};
use runbook::{dot_text, mermaid_text};

use crate::support::{Test, Workspace, shipped_ids};

fn load(id: &str) -> Runbook {
    runbook::load(id, &Templates::default())
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
pub(crate) fn check_mermaid(name: &str, text: &str) -> Vec<(String, String, Option<String>)> {
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
            .filter(|s| s.impact == runbook::Impact::Destructive)
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
