//! Tests of `runbook::quote::quote`, the one function that turns a value into PowerShell text.
//!
//! The oracle is an independent reader of PowerShell verbatim string literals
//! ([`read_literal`]), written from the language specification rather than from `quote`, plus
//! the tree-sitter grammar in `support::powershell` for whole-command syntax.

use proptest::prelude::*;
use runbook::{QuoteError, quote};

use crate::support::powershell::{assert_parses, parse_errors, string_literals};

/// PowerShell language spec 2.3.5.2, single-quote-character: U+0027 and U+2018..U+201B.
///
/// Deliberately not `runbook::quote::SINGLE_QUOTES`: the oracle must not share the code under
/// test.
fn is_single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// Reads the verbatim string literal at the start of `src` (spec 2.3.5.2).
///
/// The literal opens with any single-quote-character. Inside it, two consecutive
/// single-quote-characters (any of the five, in any combination) stand for one literal
/// character, the second one, as PowerShell's tokenizer keeps it. A lone single-quote-character
/// closes the literal. Returns the value and the byte index just past the closing quote, or
/// `None` when `src` does not start with a single-quote-character or the literal never closes.
fn read_literal(src: &str) -> Option<(String, usize)> {
    let mut chars = src.char_indices().peekable();
    let (_, open) = chars.next()?;
    if !is_single_quote(open) {
        return None;
    }
    let mut value = String::new();
    while let Some((index, c)) = chars.next() {
        if !is_single_quote(c) {
            value.push(c);
            continue;
        }
        match chars.next_if(|&(_, next)| is_single_quote(next)) {
            Some((_, second)) => value.push(second),
            None => return Some((value, index + c.len_utf8())),
        }
    }
    None
}

/// A command with the quoted value as its only argument, followed by a second statement that
/// must stay a separate statement.
fn command_with(quoted: &str) -> String {
    format!("Get-X -Identity {quoted} ; Write-Output done")
}

/// Quotes `value`, which must be accepted, and checks the result with both oracles.
fn quote_and_check(value: &str) -> String {
    let quoted = quote(value).unwrap_or_else(|err| panic!("quote({value:?}) refused: {err}"));
    assert_eq!(
        read_literal(&quoted),
        Some((value.to_owned(), quoted.len())),
        "reading back {quoted:?}"
    );
    quoted
}

/// Characters that mean something to PowerShell, or to a reviewer reading the script.
const HOSTILE: &str = concat!(
    // The five single-quote-characters.
    "'\u{2018}\u{2019}\u{201A}\u{201B}",
    // Double quotes, ASCII and curly (U+201C..U+201E are PowerShell double-quote-characters).
    "\"\u{201C}\u{201D}\u{201E}",
    // Expansion, escapes, statement and pipeline separators, grouping, operators.
    "$`(){}[];|&@#<>,.=\\/:%*?!+- ",
    // PowerShell dashes (U+2013..U+2015): they start parameters and operators like `-`.
    "\u{2013}\u{2014}\u{2015}",
    // Non-breaking space, zero-width space, right-to-left override, BOM.
    "\u{A0}\u{200B}\u{202E}\u{FEFF}",
    // Czech and Japanese.
    "Příliš žluťoučký kůň 日本語のテスト",
);

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(HOSTILE.chars().collect::<Vec<char>>()),
        1 => any::<char>().prop_filter("control characters are refused", |c| !c.is_control()),
    ]
}

/// Strings without control characters, heavy in characters PowerShell treats specially.
fn hostile_string() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..40).prop_map(String::from_iter)
}

/// Like [`hostile_string`], without the four curly single quotes.
///
/// The tree-sitter grammar only knows U+0027 as a single quote: to it, a curly quote is an
/// ordinary character inside the literal, so it would accept a quoted value even if `quote`
/// forgot to double curly quotes. Curly quotes are covered by [`read_literal`] instead.
fn hostile_string_ascii_quotes() -> impl Strategy<Value = String> {
    prop::collection::vec(
        hostile_char().prop_filter("the grammar does not know curly quotes", |&c| {
            c == '\'' || !is_single_quote(c)
        }),
        0..40,
    )
    .prop_map(String::from_iter)
}

/// The C0 and C1 controls and DEL: exactly the characters where `char::is_control()` holds.
fn control_char() -> impl Strategy<Value = char> {
    prop_oneof![0x00_u32..=0x1F, 0x7F_u32..=0x9F]
        .prop_map(|n| char::from_u32(n).expect("C0/C1 code points are valid chars"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn quoting_reads_back_and_ends_at_the_closing_quote(value in hostile_string()) {
        let quoted = quote(&value).expect("no control characters, so quote accepts it");
        prop_assert!(quoted.starts_with('\'') && quoted.ends_with('\''), "{quoted:?}");
        prop_assert_eq!(read_literal(&quoted), Some((value.clone(), quoted.len())));
        // Text after the literal is not swallowed into it.
        let command = format!("{quoted} ; Write-Output done");
        prop_assert_eq!(read_literal(&command), Some((value, quoted.len())));
    }

    #[test]
    fn any_string_is_quoted_iff_it_has_no_control_character(
        chars in prop::collection::vec(any::<char>(), 0..40),
    ) {
        let value = String::from_iter(&chars);
        match quote(&value) {
            Ok(quoted) => {
                prop_assert!(!chars.iter().any(|c| c.is_control()), "accepted {value:?}");
                prop_assert_eq!(read_literal(&quoted), Some((value, quoted.len())));
            }
            Err(err) => {
                let first = chars.iter().position(|c| c.is_control());
                prop_assert_eq!(
                    Some(err.clone()),
                    first.map(|position| QuoteError { character: chars[position], position }),
                    "refused {:?}",
                    value
                );
            }
        }
    }

    #[test]
    fn a_control_character_anywhere_is_refused(
        before in hostile_string(),
        control in control_char(),
        after in hostile_string(),
    ) {
        let value = format!("{before}{control}{after}");
        prop_assert_eq!(
            quote(&value),
            Err(QuoteError { character: control, position: before.chars().count() })
        );
    }

    #[test]
    fn quoted_argument_is_one_literal_to_the_grammar(value in hostile_string_ascii_quotes()) {
        let quoted = quote(&value).expect("no control characters, so quote accepts it");
        let command = command_with(&quoted);
        let errors = parse_errors(&command);
        prop_assert!(errors.is_empty(), "{}\n{}", command, errors.join("\n"));
        prop_assert_eq!(string_literals(&command), vec![quoted]);
    }
}

#[test]
fn reader_follows_the_spec() {
    assert_eq!(read_literal("'it''s'"), Some(("it's".to_owned(), 7)));
    assert_eq!(read_literal("'' rest"), Some((String::new(), 2)));
    assert_eq!(read_literal("'abc' ; 'x'"), Some(("abc".to_owned(), 5)));
    // Any two single-quote-characters make one: the second is kept.
    assert_eq!(
        read_literal("\u{2018}a\u{2019}'b\u{201B}"),
        Some(("a'b".to_owned(), 12))
    );
    // Not a literal, or never closed.
    assert_eq!(read_literal(""), None);
    assert_eq!(read_literal("abc'"), None);
    assert_eq!(read_literal("'abc"), None);
    assert_eq!(read_literal("'abc''"), None);
}

/// Guards against a vacuous oracle: an undoubled curly quote must close the literal early,
/// which is why `quote` doubles it.
#[test]
fn reader_ends_at_a_lone_curly_quote() {
    let undoubled = "'\u{2019}; calc; \u{2019}'";
    assert_eq!(read_literal(undoubled), Some((String::new(), 4)));

    let quoted = quote_and_check("\u{2019}; calc; \u{2019}");
    assert_eq!(quoted, "'\u{2019}\u{2019}; calc; \u{2019}\u{2019}'");
}

#[test]
fn statement_injection_stays_inside_the_literal() {
    let value = r"'; Remove-Item C:\ -Recurse; '";
    let quoted = quote_and_check(value);
    assert_eq!(quoted, r"'''; Remove-Item C:\ -Recurse; '''");
    let command = command_with(&quoted);
    assert_parses("statement injection", &command);
    assert_eq!(string_literals(&command), [quoted]);
}

#[test]
fn subexpression_and_variables_stay_inert() {
    for value in ["$(calc)", "$env:USERPROFILE", "@(calc)", "${x}", "& calc"] {
        let quoted = quote_and_check(value);
        assert_eq!(quoted, format!("'{value}'"));
        let command = command_with(&quoted);
        assert_parses(value, &command);
        assert_eq!(string_literals(&command), [quoted]);
    }
}

#[test]
fn backticks_stay_inert() {
    let value = "a`nb`'c``$d`";
    let quoted = quote_and_check(value);
    assert_eq!(quoted, "'a`nb`''c``$d`'");
    let command = command_with(&quoted);
    assert_parses("backticks", &command);
    assert_eq!(string_literals(&command), [quoted]);
}

#[test]
fn every_curly_quote_is_doubled() {
    let value = "\u{2018}x\u{2019}; calc; \u{201A}y\u{201B}'";
    let quoted = quote_and_check(value);
    assert_eq!(
        quoted,
        "'\u{2018}\u{2018}x\u{2019}\u{2019}; calc; \u{201A}\u{201A}y\u{201B}\u{201B}'''"
    );
}

#[test]
fn unicode_dashes_stay_inside_the_literal() {
    let value = "\u{2013}Recurse \u{2014}Force \u{2015}WhatIf";
    let quoted = quote_and_check(value);
    assert_eq!(quoted, format!("'{value}'"));
    let command = command_with(&quoted);
    assert_parses("unicode dashes", &command);
    assert_eq!(string_literals(&command), [quoted]);
}

#[test]
fn non_ascii_text_is_kept() {
    for value in ["Příliš žluťoučký kůň", "日本語のテスト", "contoso.com"] {
        let quoted = quote_and_check(value);
        assert_eq!(quoted, format!("'{value}'"));
        assert_parses(value, &command_with(&quoted));
    }
}

#[test]
fn control_characters_are_refused_with_their_position() {
    assert_eq!(
        quote("ab\ncalc"),
        Err(QuoteError {
            character: '\n',
            position: 2
        })
    );
    assert_eq!(
        quote("ř\r"),
        Err(QuoteError {
            character: '\r',
            position: 1
        })
    );
    assert_eq!(
        quote("\u{1b}[2J"),
        Err(QuoteError {
            character: '\u{1b}',
            position: 0
        })
    );
}
