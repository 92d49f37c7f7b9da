//! A rendered command template parsed with the tree-sitter-powershell grammar, and the views of
//! its syntax tree the checks need: commands with their parameters and arguments, assignments,
//! and what a variable held at a point of the script.

use std::collections::HashMap;

use tree_sitter::{Node, Parser, Tree};

/// A parsed script, indexed by one walk of its syntax tree: each node's parent (tree-sitter's
/// own `parent()` walks down from the root every time), the nodes of the kinds the checks
/// start from, and the assignments.
pub(super) struct Script<'t> {
    /// The rendered text.
    pub text: &'t str,
    root: Node<'t>,
    parents: HashMap<usize, Node<'t>>,
    by_kind: HashMap<u16, Vec<Node<'t>>>,
    /// Every plain `$name = value` assignment, in source order.
    assignments: Vec<Assignment<'t>>,
}

/// The node kinds [`Script::all`] finds.
const INDEXED: &[&str] = &[
    "command",
    "member_access",
    "comparison_expression",
    "comparison_argument_expression",
    "assignment_expression",
    "variable",
];

/// `$name = value`.
struct Assignment<'t> {
    /// The variable's name, lowercase, without `$` or a scope.
    name: String,
    /// Where the whole assignment ends: it applies to code after this byte.
    end: usize,
    /// The value.
    value: Node<'t>,
}

/// One element of a command after its name.
#[derive(Clone, Copy)]
pub(super) enum Element<'t> {
    /// `-Name`.
    Param(Node<'t>),
    /// An argument; `colon` when written `-Name:value`.
    Arg { node: Node<'t>, colon: bool },
}

/// A command invocation.
pub(super) struct Command<'t> {
    /// The `command` node.
    pub node: Node<'t>,
    /// The name as written (`Get-ADObject`).
    pub name: String,
    /// Where the name is.
    pub name_node: Node<'t>,
    /// Parameters and arguments in order.
    pub elements: Vec<Element<'t>>,
}

/// A parser for one lint pass; reused across templates.
pub(super) struct Grammar {
    parser: Parser,
    /// The kind ids of [`INDEXED`].
    kinds: Vec<(u16, &'static str)>,
}

impl Grammar {
    /// The PowerShell grammar.
    pub(super) fn new() -> Grammar {
        let language: tree_sitter::Language = tree_sitter_powershell::LANGUAGE.into();
        let kinds = INDEXED
            .iter()
            .map(|k| (language.id_for_node_kind(k, true), *k))
            .collect();
        let mut parser = Parser::new();
        // The grammar crate is built for this tree-sitter's ABI (Cargo.lock pins both).
        parser
            .set_language(&language)
            .expect("tree-sitter-powershell matches tree-sitter's ABI");
        Grammar { parser, kinds }
    }

    /// Parses `text`; `None` only if tree-sitter gives up (it does not without a timeout).
    pub(super) fn parse(&mut self, text: &str) -> Option<Tree> {
        self.parser.parse(text, None)
    }

    /// Indexes `tree` (parsed from `text`).
    pub(super) fn index<'t>(&self, text: &'t str, tree: &'t Tree) -> Script<'t> {
        let root = tree.root_node();
        let mut parents = HashMap::new();
        let mut by_kind: HashMap<u16, Vec<Node<'t>>> = HashMap::new();
        let mut cursor = root.walk();
        let mut stack: Vec<Node<'t>> = Vec::new();
        loop {
            let node = cursor.node();
            if let Some(parent) = stack.last() {
                parents.insert(node.id(), *parent);
            }
            if self.kinds.iter().any(|(id, _)| *id == node.kind_id()) {
                by_kind.entry(node.kind_id()).or_default().push(node);
            }
            if cursor.goto_first_child() {
                stack.push(node);
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break;
                }
                stack.pop();
            }
            if stack.is_empty() {
                break;
            }
        }
        let mut script = Script {
            text,
            root,
            parents,
            by_kind,
            assignments: Vec::new(),
        };
        let mut assignments = Vec::new();
        for node in script.all("assignment_expression") {
            let (Some(left), Some(op), Some(value)) = (
                node.named_child(0),
                node.named_child(1),
                node.child_by_field_name("value"),
            ) else {
                continue;
            };
            if script.src(op) != "=" {
                continue;
            }
            if let Some(name) = variable_name(script.src(left)) {
                assignments.push(Assignment {
                    name,
                    end: node.end_byte(),
                    value,
                });
            }
        }
        script.assignments = assignments;
        script
    }
}

/// `$Name`, `$script:name`, `[type]$name` -> `name`; anything else (`$a.b`, `$a[0]`) -> `None`.
pub(super) fn variable_name(text: &str) -> Option<String> {
    let t = text.trim();
    let t = match t.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.1.trim_start(),
        None => t,
    };
    let name = t.strip_prefix('$')?;
    let name = name
        .strip_prefix("script:")
        .or_else(|| name.strip_prefix("global:"))
        .or_else(|| name.strip_prefix("local:"))
        .unwrap_or(name);
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then(|| name.to_lowercase())
}

impl<'t> Script<'t> {
    /// The source text of `node`.
    pub(super) fn src(&self, node: Node<'_>) -> &'t str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// Every node of `kind` (one of [`INDEXED`]), in source order.
    pub(super) fn all(&self, kind: &str) -> Vec<Node<'t>> {
        let id = self.root.language().id_for_node_kind(kind, true);
        self.by_kind.get(&id).cloned().unwrap_or_default()
    }

    /// The parent of `node`.
    pub(super) fn parent(&self, node: Node<'t>) -> Option<Node<'t>> {
        self.parents.get(&node.id()).copied()
    }

    /// `node` and its ancestors, innermost first.
    pub(super) fn ancestors(&self, node: Node<'t>) -> impl Iterator<Item = Node<'t>> + '_ {
        std::iter::successors(Some(node), |n| self.parent(*n))
    }

    /// Every command, in source order.
    pub(super) fn commands(&self) -> Vec<Command<'t>> {
        self.all("command")
            .into_iter()
            .filter_map(|n| self.command(n))
            .collect()
    }

    /// The command at `node` (a `command` node).
    pub(super) fn command(&self, node: Node<'t>) -> Option<Command<'t>> {
        let name_node = node.child_by_field_name("command_name")?;
        let mut elements = Vec::new();
        if let Some(els) = node.child_by_field_name("command_elements") {
            let mut colon = false;
            // `-Properties a,b`: the grammar gives `a`, `,` and `b` as siblings; one argument.
            let mut continued = false;
            let mut cursor = els.walk();
            for child in els.children(&mut cursor) {
                match child.kind() {
                    "command_parameter" => {
                        elements.push(Element::Param(child));
                        colon = false;
                    }
                    "command_argument_sep" => colon = self.src(child).trim() == ":",
                    "," => continued = true,
                    "redirection" | "comment" | "stop_parsing" => {}
                    _ if !child.is_named() => {}
                    _ if continued => continued = false,
                    _ => {
                        elements.push(Element::Arg { node: child, colon });
                        colon = false;
                    }
                }
            }
        }
        Some(Command {
            node,
            name: self.src(name_node).trim().to_owned(),
            name_node,
            elements,
        })
    }

    /// The value of the last `$name = ...` that ends before byte `at`.
    pub(super) fn value_of(&self, name: &str, at: usize) -> Option<Node<'t>> {
        self.assignments
            .iter()
            .rev()
            .find(|a| a.end <= at && a.name == name)
            .map(|a| a.value)
    }

    /// The commands of the pipeline `node` belongs to, and the expression heading it (when the
    /// pipeline starts with an expression such as `$x | ...`).
    pub(super) fn pipeline_of(&self, chain: Node<'t>) -> (Option<Node<'t>>, Vec<Command<'t>>) {
        let mut head = None;
        let mut commands = Vec::new();
        let mut cursor = chain.walk();
        for (i, child) in chain.named_children(&mut cursor).enumerate() {
            if child.kind() == "command" {
                commands.extend(self.command(child));
            } else if i == 0 && child.kind() != "comment" {
                head = Some(child);
            }
        }
        (head, commands)
    }
}

impl<'t> Command<'t> {
    /// Whether the name is `name` (any case).
    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The parameter written as one of `names` (without `-`, any case), with its value (the
    /// argument after it, unless it is a switch written without a colon).
    pub(super) fn param(
        &self,
        script: &Script<'_>,
        names: &[&str],
    ) -> Option<(Node<'t>, Option<Node<'t>>)> {
        for (i, e) in self.elements.iter().enumerate() {
            let Element::Param(p) = e else { continue };
            let name = param_name(script.src(*p));
            if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                let value = match self.elements.get(i + 1) {
                    Some(Element::Arg { node, colon })
                        if *colon || !super::cmdlets::is_switch(name) =>
                    {
                        Some(*node)
                    }
                    _ => None,
                };
                return Some((*p, value));
            }
        }
        None
    }

    /// The arguments no parameter takes, in order.
    pub(super) fn positional(&self, script: &Script<'_>) -> Vec<Node<'t>> {
        let mut out = Vec::new();
        let mut takes_next = false;
        for e in &self.elements {
            match e {
                Element::Param(p) => {
                    takes_next = !super::cmdlets::is_switch(param_name(script.src(*p)));
                }
                Element::Arg { node, colon } => {
                    if !(takes_next || *colon) {
                        out.push(*node);
                    }
                    takes_next = false;
                }
            }
        }
        out
    }
}

/// `-Name` -> `Name`.
pub(super) fn param_name(text: &str) -> &str {
    text.trim().trim_start_matches('-').trim_end_matches(':')
}

/// Pre-order walk.
pub(super) fn walk<'t>(root: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        f(node);
        let children: Vec<Node<'t>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
}
