//! `quote::quote` checked against an independent reader of PowerShell single-quoted (verbatim)
//! string literals: reading the literal back gives the input exactly, and the literal ends
//! exactly at the end of the output. A refusal must name a control character of the input.

#![no_main]

use libfuzzer_sys::fuzz_target;

/// PowerShell's single-quote characters (language spec 2.3.5.2, `single-quote-character`):
/// written here rather than taken from `runbook::quote` so the reader stays independent.
fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Reads one verbatim string literal at the start of `text`: the content and the rest after it.
/// Inside, two quote characters in a row (of any of the kinds, not necessarily the same) are one
/// quote character of content (the first of the two, which is how PowerShell keeps it); a lone
/// one ends the literal.
fn read_literal(text: &str) -> Result<(String, &str), String> {
    let mut chars = text.char_indices().peekable();
    match chars.next() {
        Some((_, c)) if is_single_quote(c) => {}
        other => return Err(format!("does not start with a single quote: {other:?}")),
    }
    let mut content = String::new();
    while let Some((i, c)) = chars.next() {
        if !is_single_quote(c) {
            content.push(c);
            continue;
        }
        match chars.peek() {
            Some(&(_, next)) if is_single_quote(next) => {
                chars.next();
                content.push(c);
            }
            _ => return Ok((content, &text[i + c.len_utf8()..])),
        }
    }
    Err("the literal is not closed".into())
}

fuzz_target!(|input: &str| {
    match runbook::quote(input) {
        Ok(literal) => {
            let (content, rest) = match read_literal(&literal) {
                Ok(read) => read,
                Err(why) => panic!("quote({input:?}) = {literal:?}, which {why}"),
            };
            assert_eq!(
                content, input,
                "quote({input:?}) = {literal:?} reads back as {content:?}"
            );
            assert!(
                rest.is_empty(),
                "quote({input:?}) = {literal:?} ends early, before {rest:?}"
            );
            // Nothing that splits a pasted command line survives in the literal.
            assert!(!literal.contains(|c: char| c.is_control()), "{literal:?}");
        }
        Err(e) => {
            assert!(
                input.chars().any(char::is_control),
                "quote({input:?}) refused an input without a control character: {e}"
            );
            assert!(e.character.is_control(), "{e:?}");
            // The first one, at the index (in characters) it names.
            assert_eq!(
                input.chars().position(char::is_control),
                Some(e.position),
                "{e:?}"
            );
            assert_eq!(input.chars().nth(e.position), Some(e.character), "{e:?}");
        }
    }
});
