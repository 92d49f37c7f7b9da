//! The flow of a validated [`Runbook`] as a graph, rendered as a Mermaid flowchart or Graphviz
//! dot: `runbook graph` prints it and the Markdown change plan embeds the Mermaid form.
//!
//! The edges follow the engine's rules (`session::advance`, `engine` decisions): after a step
//! comes its `next:` or the following step; each decision choice goes to its `goto:` or the
//! following step; a step whose `when:` is false is passed over to the following step, never
//! to its `next:`. Markers carry what a reviewer looks for: decisions are diamonds, gates
//! hexagons, `for_each` steps double-bordered with their list, destructive steps red with ⚠.

use std::fmt::Write as _;

use crate::runbook::{Impact, Runbook, StepKind, Target};

/// A runbook's flow, independent of the output format.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    /// The runbook's id (the dot graph's name).
    pub id: String,
    /// The runbook's title.
    pub title: String,
    /// Start, one node per step in file order, End.
    pub nodes: Vec<Node>,
    /// Every way the run can move on.
    pub edges: Vec<Edge>,
}

/// One box of the drawing.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// `start`, `s1` .. `sN` (the step's number in the change plan), `finish`.
    pub id: String,
    /// The label, one entry per line (unescaped).
    pub lines: Vec<String>,
    /// Its outline.
    pub shape: Shape,
    /// Its colouring.
    pub style: Style,
}

/// A node's outline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Start and End: a stadium.
    Terminal,
    /// A plain step: a rectangle.
    Step,
    /// A decision: a diamond.
    Decision,
    /// A gating check: a hexagon.
    Gate,
    /// A `for_each` step: a double-bordered box.
    Loop,
}

/// A node's colouring, by what the step does to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Reads only (no class).
    Plain,
    /// Start and End.
    Terminal,
    /// `impact: change`.
    Change,
    /// `impact: destructive`.
    Destructive,
    /// A gating check.
    Gate,
}

/// One arrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edge {
    /// The node it leaves.
    pub from: String,
    /// The node it enters.
    pub to: String,
    /// The choice label, or why the step is skipped (unescaped).
    pub label: Option<String>,
    /// Whether it is taken when the step is skipped (drawn dashed).
    pub skip: bool,
}

const START: &str = "start";
const END: &str = "finish";

/// The node id of step `index` (0-based): `s1` for the first step.
fn node_id(index: usize) -> String {
    format!("s{}", index + 1)
}

/// Builds the graph of `rb`.
pub(crate) fn build(rb: &Runbook) -> Graph {
    let count = rb.steps.len();
    let target = |t: &Target| match t {
        Target::Step(i) => node_id(*i),
        Target::End => END.to_owned(),
    };
    let following = |i: usize| {
        if i + 1 < count {
            node_id(i + 1)
        } else {
            END.to_owned()
        }
    };
    let mut nodes = vec![Node {
        id: START.into(),
        lines: vec!["Start".into()],
        shape: Shape::Terminal,
        style: Style::Terminal,
    }];
    let mut edges = Vec::new();
    if count > 0 {
        edges.push(edge(START, node_id(0), None, false));
    }
    for (i, step) in rb.steps.iter().enumerate() {
        let id = node_id(i);
        let mut lines = vec![
            format!("{}. {}", i + 1, step.title),
            match step.impact {
                Impact::Change => format!("{} · {}, change", step.id, step.kind.name()),
                _ => format!("{} · {}", step.id, step.kind.name()),
            },
        ];
        let gate = step.is_gate();
        if step.impact == Impact::Destructive {
            lines.push("⚠ destructive".into());
        }
        if gate {
            lines.push("gate: blocks until it passes".into());
        }
        if let Some(f) = &step.for_each {
            lines.push(format!("for each {} in {}", f.item, f.list));
        }
        if let Some(c) = &step.when {
            lines.push(format!("only when {c}"));
        }
        let shape = match (&step.kind, gate, &step.for_each) {
            (StepKind::Decision { .. }, _, _) => Shape::Decision,
            (_, true, _) => Shape::Gate,
            (_, _, Some(_)) => Shape::Loop,
            _ => Shape::Step,
        };
        let style = match step.impact {
            Impact::Destructive => Style::Destructive,
            Impact::Change => Style::Change,
            Impact::Read if gate => Style::Gate,
            Impact::Read => Style::Plain,
        };
        nodes.push(Node {
            id: id.clone(),
            lines,
            shape,
            style,
        });
        if let StepKind::Decision { choices, .. } = &step.kind {
            for c in choices {
                let to = c.goto.as_ref().map_or_else(|| following(i), target);
                edges.push(edge(&id, to, Some(c.label.clone()), false));
            }
        } else {
            let to = step.next.as_ref().map_or_else(|| following(i), target);
            edges.push(edge(&id, to, None, false));
        }
        if let Some(c) = &step.when {
            edges.push(edge(
                &id,
                following(i),
                Some(format!("skipped unless {c}")),
                true,
            ));
        }
    }
    nodes.push(Node {
        id: END.into(),
        lines: vec!["End".into()],
        shape: Shape::Terminal,
        style: Style::Terminal,
    });
    Graph {
        id: rb.id.clone(),
        title: rb.title.clone(),
        nodes,
        edges,
    }
}

fn edge(from: &str, to: String, label: Option<String>, skip: bool) -> Edge {
    Edge {
        from: from.to_owned(),
        to,
        label,
        skip,
    }
}

/// Text for a Mermaid quoted label: entity codes for everything Mermaid's lexer or the HTML
/// label would read (quotes, `#`, `<`, `>`, `&`, backticks, `|`), control characters as spaces.
pub fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a dot double-quoted string: `\` and `"` escaped, control characters as spaces.
pub fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The longest label line, in characters, before it is wrapped at a space.
const WRAP: usize = 48;

/// `lines`, each wrapped at spaces to [`WRAP`] characters and escaped, joined by `br`.
fn wrapped(lines: &[String], escape: fn(&str) -> String, br: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > WRAP {
                out.push(escape(&current));
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push(escape(&current));
    }
    out.join(br)
}

impl Graph {
    /// A Mermaid flowchart (top to bottom), every label in the quoted `id["label"]` form.
    pub(crate) fn mermaid(&self) -> String {
        let mut s = String::from("flowchart TD\n");
        for n in &self.nodes {
            let label = wrapped(&n.lines, mermaid_text, "<br/>");
            let (open, close) = match n.shape {
                Shape::Terminal => ("([", "])"),
                Shape::Step => ("[", "]"),
                Shape::Decision => ("{", "}"),
                Shape::Gate => ("{{", "}}"),
                Shape::Loop => ("[[", "]]"),
            };
            let _ = writeln!(s, "    {}{open}\"{label}\"{close}", n.id);
        }
        for e in &self.edges {
            let arrow = if e.skip { "-.->" } else { "-->" };
            match &e.label {
                Some(l) => {
                    let _ = writeln!(
                        s,
                        "    {} {arrow}|\"{}\"| {}",
                        e.from,
                        wrapped(std::slice::from_ref(l), mermaid_text, "<br/>"),
                        e.to
                    );
                }
                None => {
                    let _ = writeln!(s, "    {} {arrow} {}", e.from, e.to);
                }
            }
        }
        for (style, class, def) in [
            (
                Style::Terminal,
                "terminal",
                "fill:#eeeeee,stroke:#616161,color:#000000",
            ),
            (
                Style::Change,
                "change",
                "fill:#fff3cd,stroke:#b8860b,color:#000000",
            ),
            (
                Style::Destructive,
                "destructive",
                "fill:#fde2e1,stroke:#c62828,stroke-width:3px,color:#000000",
            ),
            (
                Style::Gate,
                "gate",
                "fill:#e3f2fd,stroke:#1565c0,stroke-width:2px,color:#000000",
            ),
        ] {
            let ids: Vec<&str> = self
                .nodes
                .iter()
                .filter(|n| n.style == style)
                .map(|n| n.id.as_str())
                .collect();
            if !ids.is_empty() {
                let _ = writeln!(s, "    classDef {class} {def}");
                let _ = writeln!(s, "    class {} {class}", ids.join(","));
            }
        }
        s
    }

    /// A Graphviz digraph (top to bottom).
    pub(crate) fn dot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "digraph \"{}\" {{", dot_text(&self.id));
        let _ = writeln!(
            s,
            "    graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\"];",
            dot_text(&self.title)
        );
        s.push_str(
            "    node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n\
             \x20   edge [fontname=\"Helvetica\"];\n",
        );
        for n in &self.nodes {
            let label = wrapped(&n.lines, dot_text, "\\n");
            let mut attrs = vec![format!("label=\"{label}\"")];
            match n.shape {
                Shape::Terminal => attrs.push("shape=oval".into()),
                Shape::Step => {}
                Shape::Decision => attrs.push("shape=diamond, style=filled".into()),
                Shape::Gate => attrs.push("shape=hexagon, style=filled".into()),
                Shape::Loop => attrs.push("peripheries=2".into()),
            }
            match n.style {
                Style::Plain => {}
                Style::Terminal => attrs.push("fillcolor=\"#eeeeee\"".into()),
                Style::Change => attrs.push("fillcolor=\"#fff3cd\", color=\"#b8860b\"".into()),
                Style::Destructive => {
                    attrs.push("fillcolor=\"#fde2e1\", color=\"#c62828\", penwidth=3".into());
                }
                Style::Gate => {
                    attrs.push("fillcolor=\"#e3f2fd\", color=\"#1565c0\", penwidth=2".into());
                }
            }
            let _ = writeln!(s, "    {} [{}];", n.id, attrs.join(", "));
        }
        for e in &self.edges {
            let mut attrs = Vec::new();
            if let Some(l) = &e.label {
                attrs.push(format!(
                    "label=\"{}\"",
                    wrapped(std::slice::from_ref(l), dot_text, "\\n")
                ));
            }
            if e.skip {
                attrs.push("style=dashed".into());
            }
            if attrs.is_empty() {
                let _ = writeln!(s, "    {} -> {};", e.from, e.to);
            } else {
                let _ = writeln!(s, "    {} -> {} [{}];", e.from, e.to, attrs.join(", "));
            }
        }
        s.push_str("}\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_close_their_quotes_or_start_an_entity() {
        assert_eq!(
            mermaid_text("a \"b\" #1 <c> & `d` | e\nf"),
            "a #quot;b#quot; #35;1 #lt;c#gt; #amp; #96;d#96; #124; e f"
        );
    }

    #[test]
    fn dot_labels_escape_quotes_and_backslashes() {
        assert_eq!(dot_text(r#"C:\x "y""#), r#"C:\\x \"y\""#);
        assert_eq!(dot_text("a\nb"), "a b");
    }
}
