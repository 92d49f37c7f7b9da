//! All YAML parsing lives here (serde-saphyr), so a change of YAML library touches one file.
//!
//! Syntax and type errors stop parsing at the first one (the parser cannot go on from a broken
//! document); they are turned into the same `path:line:col` diagnostics as semantic errors, with a
//! "did you mean" for misspelled keys and values.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::raw::{RawRunbook, RawValue};
use crate::source::{Diagnostic, Source};
use crate::suggest;

/// A parameter value and its position, as read from a params or answers file.
pub(crate) type SpannedValue = Spanned<RawValue>;

/// Parses a runbook file.
pub(crate) fn runbook(source: &Source) -> Result<RawRunbook, Diagnostic> {
    parse(source)
}

/// Parses a params file: a mapping of parameter names to values.
pub(crate) fn params(source: &Source) -> Result<BTreeMap<String, SpannedValue>, Diagnostic> {
    if source.text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    parse_sensitive(source)
}

/// Parses a file that may hold secrets (a params or an answers file): its errors give the
/// position only, as the source line could be a secret's (issue 5: a secret appears in no error
/// message).
pub(crate) fn parse_sensitive<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    parse(source).map_err(|mut d| {
        d.snippet = None;
        d
    })
}

/// The line and column of a spanned value.
pub(crate) fn position<T>(spanned: &Spanned<T>) -> (u64, u64) {
    (spanned.referenced.line(), spanned.referenced.column())
}

fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(source.diagnostic(1, 1, "the file is empty"));
    }
    serde_saphyr::from_str(&source.text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        let plain = e.without_snippet().to_string();
        let message = strip_position(&plain);
        // The position is already the diagnostic's `line:col`; left in, its words were also
        // read as candidates by `improve` (`a` -> "did you mean `at`?").
        let message = message
            .strip_suffix(&format!(" at line {line}, column {column}"))
            .unwrap_or(message);
        source.diagnostic(line, column, improve(message))
    })
}

fn strip_position(message: &str) -> &str {
    let m = message.trim();
    let m = m.strip_prefix("error: ").unwrap_or(m);
    match m.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map_or(rest, |(_, tail)| tail),
        None => m,
    }
    .lines()
    .next()
    .unwrap_or_default()
}

/// serde-saphyr's wording for Rust programmers, in the runbook author's terms.
const PLAIN: [(&str, &str); 7] = [
    (
        "cannot deserialize null into string; use Option<String>",
        "expected a string, found nothing (null)",
    ),
    ("expected string scalar", "expected a string"),
    ("expected sequence start", "expected a list"),
    (
        "expected mapping start",
        "expected a mapping (`key: value` lines)",
    ),
    ("invalid boolean", "expected `true` or `false`"),
    (
        "invalid u32",
        "expected a whole number from 0 to 4294967295",
    ),
    ("recursion limit exceeded", "nested too deeply"),
];

/// Adds "did you mean" to serde's unknown field / variant messages.
fn improve(message: &str) -> String {
    if message.starts_with("multiple YAML documents detected") {
        return "a runbook is one YAML document, and this file holds more than one (a second `---`)"
            .into();
    }
    if let Some(detail) = message.strip_prefix("budget breached: ") {
        return format!(
            "the file is too large or too deeply nested to be a runbook (parser limit reached: {detail})"
        );
    }
    let message = match PLAIN.iter().find(|(from, _)| message.starts_with(from)) {
        Some((from, to)) => format!("{to}{}", &message[from.len()..]),
        None => message.to_owned(),
    };
    let message = message.replace(
        ", set DuplicateKeyPolicy in Options if acceptable",
        " (each key may appear once)",
    );
    for prefix in ["unknown field `", "unknown variant `"] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let Some((word, tail)) = rest.split_once('`') else {
            continue;
        };
        let candidates = tail
            .split_once("expected one of ")
            .or_else(|| tail.split_once("expected "))
            .map(|(_, list)| list)
            .unwrap_or_default();
        let names = candidates
            .split([',', ' '])
            .map(|c| c.trim_matches(|ch: char| ch == '`' || ch.is_whitespace()))
            .filter(|c| !c.is_empty());
        let hint = suggest::hint(word, names);
        if !hint.is_empty() {
            return format!("{message}{hint}");
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            name: "t.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_position() {
        let d = runbook(&src("id: a\ntitle: t\nversion: '1'\nstpes: []\n")).unwrap_err();
        assert_eq!((d.line, d.column), (4, 1));
        assert!(d.message.contains("did you mean `steps`"), "{}", d.message);
    }

    #[test]
    fn the_position_is_not_repeated_in_the_message_nor_read_as_a_candidate() {
        let d = runbook(&src("a: 1\n")).unwrap_err();
        assert!(!d.message.contains("at line"), "{}", d.message);
        assert!(!d.message.contains("did you mean `at`"), "{}", d.message);
    }

    #[test]
    fn a_second_document_is_named_in_plain_words() {
        let d = runbook(&src(
            "id: a\ntitle: t\nversion: '1'\nsteps: []\n---\nid: b\n",
        ))
        .unwrap_err();
        assert_eq!(d.line, 6);
        assert!(d.message.contains("one YAML document"), "{}", d.message);
        assert!(!d.message.contains("from_str"), "{}", d.message);
    }

    #[test]
    fn duplicate_key_is_an_error() {
        let d = runbook(&src("id: a\nid: b\ntitle: t\nversion: '1'\nsteps: []\n")).unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("duplicate"), "{}", d.message);
    }
}
