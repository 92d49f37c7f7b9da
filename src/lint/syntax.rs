//! A rendered command template parsed with the tree-sitter-powershell grammar, and the views of
//! its syntax tree the checks need: commands with their parameters and arguments, assignments,
//! and what a variable held at a point of the script.

use tree_sitter::{Node, Parser, Tree};

/// A parsed script.
pub struct Script<'s> {
    /// The rendered text.
    pub text: &'s str,
    tree: Tree,
    /// Every plain `$name = value` assignment, in source order.
    assignments: Vec<Assignment>,
}

/// `$name = value`.
struct Assignment {
    /// The variable's name, lowercase, without `$` or a scope.
    name: String,
    /// Where the whole assignment ends: it applies to code after this byte.
    end: usize,
    /// The value's bytes.
    value: std::ops::Range<usize>,
}

/// One element of a command after its name.
#[derive(Clone, Copy)]
pub enum Element<'t> {
    /// `-Name`.
    Param(Node<'t>),
    /// An argument; `colon` when written `-Name:value`.
    Arg { node: Node<'t>, colon: bool },
}

/// A command invocation.
pub struct Command<'t> {
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
pub struct Grammar {
    parser: Parser,
}

impl Grammar {
    /// The PowerShell grammar.
    pub fn new() -> Grammar {
        let mut parser = Parser::new();
        // The grammar crate is built for this tree-sitter's ABI (Cargo.lock pins both).
        parser
            .set_language(&tree_sitter_powershell::LANGUAGE.into())
            .expect("tree-sitter-powershell matches tree-sitter's ABI");
        Grammar { parser }
    }

    /// Parses `text`; `None` only if tree-sitter gives up (it does not without a timeout).
    pub fn parse<'s>(&mut self, text: &'s str) -> Option<Script<'s>> {
        let tree = self.parser.parse(text, None)?;
        let mut script = Script {
            text,
            tree,
            assignments: Vec::new(),
        };
        let mut assignments = Vec::new();
        for node in script.all("assignment_expression") {
            let Some(left) = node.named_child(0) else {
                continue;
            };
            let op = node.named_child(1).map(|o| script.src(o)).unwrap_or("");
            let Some(value) = node.child_by_field_name("value") else {
                continue;
            };
            if op != "=" {
                continue;
            }
            if let Some(name) = variable_name(script.src(left)) {
                assignments.push(Assignment {
                    name,
                    end: node.end_byte(),
                    value: value.byte_range(),
                });
            }
        }
        script.assignments = assignments;
        Some(script)
    }
}

/// `$Name`, `$script:name`, `[type]$name` -> `name`; anything else (`$a.b`, `$a[0]`) -> `None`.
pub fn variable_name(text: &str) -> Option<String> {
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

impl<'s> Script<'s> {
    /// The root node.
    pub fn root(&self) -> Node<'_> {
        self.tree.root_node()
    }

    /// The source text of `node`.
    pub fn src(&self, node: Node<'_>) -> &'s str {
        self.text.get(node.byte_range()).unwrap_or("")
    }

    /// Every node of `kind`, in source order.
    pub fn all(&self, kind: &str) -> Vec<Node<'_>> {
        let mut out = Vec::new();
        walk(self.root(), &mut |n| {
            if n.kind() == kind {
                out.push(n);
            }
        });
        out
    }

    /// Every command, in source order.
    pub fn commands(&self) -> Vec<Command<'_>> {
        self.all("command")
            .into_iter()
            .filter_map(|n| self.command(n))
            .collect()
    }

    /// The command at `node` (a `command` node).
    pub fn command<'t>(&'t self, node: Node<'t>) -> Option<Command<'t>> {
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
    pub fn value_of(&self, name: &str, at: usize) -> Option<Node<'_>> {
        let a = self
            .assignments
            .iter()
            .rev()
            .find(|a| a.end <= at && a.name == name)?;
        // The outermost node over exactly those bytes (the smallest could be a command's name).
        let mut node = self
            .root()
            .descendant_for_byte_range(a.value.start, a.value.end)?;
        while let Some(p) = node.parent().filter(|p| p.byte_range() == node.byte_range()) {
            node = p;
        }
        Some(node)
    }

    /// The commands of the pipeline `node` belongs to, and the expression heading it (when the
    /// pipeline starts with an expression such as `$x | ...`).
    pub fn pipeline_of<'t>(&'t self, chain: Node<'t>) -> (Option<Node<'t>>, Vec<Command<'t>>) {
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
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The parameter written as one of `names` (without `-`, any case), with its value (the
    /// argument after it, unless it is a switch written without a colon).
    pub fn param(&self, script: &Script<'_>, names: &[&str]) -> Option<(Node<'t>, Option<Node<'t>>)> {
        for (i, e) in self.elements.iter().enumerate() {
            let Element::Param(p) = e else { continue };
            let name = param_name(script.src(*p));
            if names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                let value = match self.elements.get(i + 1) {
                    Some(Element::Arg { node, colon }) if *colon || !super::cmdlets::is_switch(name) => {
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
    pub fn positional(&self, script: &Script<'_>) -> Vec<Node<'t>> {
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
pub fn param_name(text: &str) -> &str {
    text.trim().trim_start_matches('-').trim_end_matches(':')
}

/// Pre-order walk.
pub fn walk<'t>(root: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        f(node);
        let children: Vec<Node<'t>> = node.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
}

/// `node` and its ancestors, innermost first.
pub fn ancestors(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    std::iter::successors(Some(node), |n| n.parent())
}
