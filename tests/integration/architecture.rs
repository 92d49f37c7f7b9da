//! The module graph: which top-level module of `src/` uses which, read from the `crate::` paths
//! outside tests. Dependencies point down: no cycles, and `ARCHITECTURE.md` draws the graph as it
//! is (a module that starts using another updates the picture in the same change).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

use crate::support::root;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level module `path` (relative to `src/`) belongs to.
fn module_of(path: &Path) -> String {
    let first = path.components().next().expect("a path in src/");
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_owned()
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The graph of `src/`, `lib.rs` and `main.rs` left out (they only declare and re-export).
fn graph() -> Graph {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(f.strip_prefix(&src).expect("under src/")))
        .collect();
    let single = Regex::new(r"crate::([a-z_]+)").expect("regex");
    let group = Regex::new(r"crate::\{([^}]*)\}").expect("regex");
    let word = Regex::new(r"(?:^|[\s,{])([a-z_]+)").expect("regex");
    let mut graph = Graph::new();
    for file in &files {
        let from = module_of(file.strip_prefix(&src).expect("under src/"));
        if from == "lib" || from == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let mut used: BTreeSet<String> = single
            .captures_iter(code)
            .map(|c| c[1].to_owned())
            .collect();
        for g in group.captures_iter(code) {
            used.extend(word.captures_iter(&g[1]).map(|c| c[1].to_owned()));
        }
        let entry = graph.entry(from.clone()).or_default();
        entry.extend(
            used.into_iter()
                .filter(|m| *m != from && modules.contains(m)),
        );
    }
    graph.retain(|_, to| !to.is_empty());
    graph
}

/// A module that can reach itself, with the path, if any.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn walk(graph: &Graph, at: &str, path: &mut Vec<String>) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|m| m == at) {
            return Some(path[i..].to_vec());
        }
        path.push(at.to_owned());
        for next in graph.get(at).into_iter().flatten() {
            if let Some(c) = walk(graph, next, path) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    graph.keys().find_map(|m| walk(graph, m, &mut Vec::new()))
}

#[test]
fn the_modules_have_no_import_cycle() {
    let graph = graph();
    assert!(graph.len() > 20, "the graph was read: {graph:?}");
    if let Some(c) = cycle(&graph) {
        panic!("import cycle: {}", c.join(" -> "));
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    assert_eq!(cycle(&graph), None);
    graph.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into()])
    );
}

#[test]
fn architecture_md_draws_the_module_graph_as_it_is() {
    let mut want = String::new();
    for (from, to) in graph() {
        let to: Vec<&str> = to.iter().map(String::as_str).collect();
        want.push_str(&format!("{from:<10} -> {}\n", to.join(" ")));
    }
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = doc
        .find("```text\n")
        .expect("ARCHITECTURE.md has a ```text block: the module graph")
        + "```text\n".len();
    let end = start + doc[start..].find("```").expect("the block ends");
    assert_eq!(
        doc[start..end],
        want,
        "ARCHITECTURE.md's module graph is out of date; it should read:\n{want}"
    );
}
