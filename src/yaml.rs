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

/// A parameter value and its position, as read from a params or answers file.
pub type SpannedValue = Spanned<RawValue>;

/// Parses a runbook file.
pub fn runbook(source: &Source) -> Result<RawRunbook, Diagnostic> {
    parse(source)
}

/// Parses a params file: a mapping of parameter names to values.
pub fn params(source: &Source) -> Result<BTreeMap<String, SpannedValue>, Diagnostic> {
    if source.text.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    parse(source)
}

/// Parses an answers file (`--answers`).
pub fn answers(source: &Source) -> Result<crate::answers::AnswersFile, Diagnostic> {
    parse(source)
}

/// The line and column of a spanned value.
pub fn position<T>(spanned: &Spanned<T>) -> (u64, u64) {
    (spanned.referenced.line(), spanned.referenced.column())
}

fn parse<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(source.diagnostic(1, 1, "the file is empty"));
    }
    serde_saphyr::from_str(&source.text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        let plain = e.without_snippet().to_string();
        source.diagnostic(line, column, improve(strip_position(&plain)))
    })
}

fn strip_position(message: &str) -> &str {
    let m = message.trim();
    let m = m.strip_prefix("error: ").unwrap_or(m);
    match m.strip_prefix("line ") {
        Some(rest) => rest.split_once(": ").map(|(_, tail)| tail).unwrap_or(rest),
        None => m,
    }
    .lines()
    .next()
    .unwrap_or_default()
}

/// Adds "did you mean" to serde's unknown field / variant messages.
fn improve(message: &str) -> String {
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
        if let Some(best) = did_you_mean(word, names) {
            return format!("{message}; did you mean `{best}`?");
        }
    }
    message
}

/// The closest candidate to `word`, if any is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
    fn duplicate_key_is_an_error() {
        let d = runbook(&src("id: a\nid: b\ntitle: t\nversion: '1'\nsteps: []\n")).unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.contains("duplicate"), "{}", d.message);
    }
}
