//! Parameter and capture types, and turning text into checked values.
//!
//! Every value is checked here before anything is rendered, so a template only ever sees values
//! of the declared type. Text that would hide what runs from a reviewer (control characters,
//! bidirectional overrides, zero-width characters) is refused for every type.

use std::fmt;

use regex::Regex;
use serde::Serialize;

/// A scalar type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar {
    /// Any visible text.
    String,
    /// `true` / `false`.
    Bool,
    /// A whole number.
    Int,
    /// One of the listed values.
    Enum(Vec<String>),
    /// A DNS name.
    Domain,
    /// An SMTP address.
    Email,
    /// 40 hexadecimal digits.
    Thumbprint,
    /// An absolute URI.
    Uri,
    /// A file-system path.
    Path,
}

/// A declared type: a scalar or a list of scalars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueType {
    /// One value.
    Scalar(Scalar),
    /// A list of values of one scalar type.
    List(Scalar),
}

/// A checked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text of any string-like type.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A list.
    List(Vec<Value>),
}

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Text(t) => s.serialize_str(t),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::List(items) => s.collect_seq(items),
        }
    }
}

impl Value {
    /// The value as the operator would type it (lists comma-separated).
    pub fn display(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::List(items) => items
                .iter()
                .map(Value::display)
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// Truthiness for `when:` conditions: true, non-zero, non-empty.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Text(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::List(items) => !items.is_empty(),
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::String => f.write_str("string"),
            Scalar::Bool => f.write_str("bool"),
            Scalar::Int => f.write_str("int"),
            Scalar::Enum(_) => f.write_str("enum"),
            Scalar::Domain => f.write_str("domain"),
            Scalar::Email => f.write_str("email"),
            Scalar::Thumbprint => f.write_str("thumbprint"),
            Scalar::Uri => f.write_str("uri"),
            Scalar::Path => f.write_str("path"),
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueType::Scalar(s) => s.fmt(f),
            ValueType::List(s) => write!(f, "list of {s}"),
        }
    }
}

impl Scalar {
    /// What a valid value looks like, for error messages.
    pub fn expected(&self) -> String {
        match self {
            Scalar::String => "expected visible text".into(),
            Scalar::Bool => "expected `true` or `false`".into(),
            Scalar::Int => "expected a whole number such as `42`".into(),
            Scalar::Enum(values) => format!(
                "expected one of {}",
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Scalar::Domain => "expected a DNS name such as `contoso.com`".into(),
            Scalar::Email => "expected an e-mail address such as `admin@contoso.com`".into(),
            Scalar::Thumbprint => "expected a certificate thumbprint: 40 hexadecimal digits".into(),
            Scalar::Uri => "expected an absolute URI such as `https://contoso.com/path`".into(),
            Scalar::Path => "expected a file path such as `C:\\Temp\\backup.txt`".into(),
        }
    }

    /// Checks a list of these: each item, and no item twice.
    fn parse_list(&self, items: &[&str], pattern: Option<&Regex>) -> Result<Value, ValueError> {
        let mut out = Vec::with_capacity(items.len());
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let refused = |e: String| ValueError::item(i, Some(item), e);
            let value = self.parse(item).map_err(refused)?;
            check_pattern(&value, pattern).map_err(refused)?;
            if !seen.insert(value.display()) {
                return Err(refused("is listed twice".into()));
            }
            out.push(value);
        }
        Ok(Value::List(out))
    }

    /// Checks `text` and returns the typed value, or why it is refused.
    pub fn parse(&self, text: &str) -> Result<Value, String> {
        check_visible(text)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            // An empty -Identity on a Get- cmdlet returns every object (domain reference 4.4).
            return Err(format!("is empty; {}", self.expected()));
        }
        let fail = || Err(format!("is not valid; {}", self.expected()));
        match self {
            Scalar::String | Scalar::Path => {
                if matches!(self, Scalar::Path) && trimmed.contains(['<', '>', '"', '|', '?', '*'])
                {
                    return fail();
                }
                Ok(Value::Text(trimmed.to_owned()))
            }
            Scalar::Bool => match trimmed.to_ascii_lowercase().as_str() {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                _ => fail(),
            },
            Scalar::Int => trimmed.parse().map(Value::Int).or_else(|_| fail()),
            Scalar::Enum(values) => match values.iter().find(|v| v.as_str() == trimmed) {
                Some(v) => Ok(Value::Text(v.clone())),
                None => fail(),
            },
            Scalar::Domain => {
                let name = trimmed.strip_suffix('.').unwrap_or(trimmed);
                if is_dns_name(name) {
                    Ok(Value::Text(name.to_ascii_lowercase()))
                } else {
                    fail()
                }
            }
            Scalar::Email => match trimmed.rsplit_once('@') {
                Some((local, domain))
                    if !local.is_empty()
                        && local.len() <= 64
                        && local.chars().all(is_email_local_char)
                        && !local.starts_with('.')
                        && !local.ends_with('.')
                        && !local.contains("..")
                        && is_dns_name(domain) =>
                {
                    Ok(Value::Text(trimmed.to_owned()))
                }
                _ => fail(),
            },
            Scalar::Thumbprint => {
                // Thumbprints copied from the certificate dialog come with spaces between pairs.
                let hex: String = trimmed.chars().filter(|c| *c != ' ').collect();
                if hex.len() == 40 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    Ok(Value::Text(hex.to_ascii_uppercase()))
                } else {
                    fail()
                }
            }
            Scalar::Uri => {
                let ok = trimmed.split_once(':').is_some_and(|(scheme, rest)| {
                    scheme
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic())
                        && scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                        && !rest.is_empty()
                }) && !trimmed.contains(char::is_whitespace);
                if ok {
                    Ok(Value::Text(trimmed.to_owned()))
                } else {
                    fail()
                }
            }
        }
    }
}

/// Why a value was refused, and which list item (position and text) it concerns: a message
/// about a secret names the item by its position only, by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// The 0-based position of the item, and its text when the message may quote it.
    pub item: Option<(usize, Option<String>)>,
    pub reason: String,
}

impl ValueError {
    fn item(index: usize, text: Option<&str>, reason: impl Into<String>) -> ValueError {
        ValueError {
            item: Some((index, text.map(str::to_owned))),
            reason: reason.into(),
        }
    }

    /// The message; for a secret, without the item's text.
    pub fn message(&self, secret: bool) -> String {
        match &self.item {
            Some((i, Some(text))) if !secret => {
                format!("item {} {} {}", i + 1, item_shown(text), self.reason)
            }
            Some((i, _)) => format!("item {} {}", i + 1, self.reason),
            None => self.reason.clone(),
        }
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(false))
    }
}

impl From<String> for ValueError {
    fn from(reason: String) -> ValueError {
        ValueError { item: None, reason }
    }
}

impl ValueType {
    /// Checks one value given as text; a list is comma-separated.
    pub fn parse_text(&self, text: &str, pattern: Option<&Regex>) -> Result<Value, ValueError> {
        match self {
            ValueType::Scalar(s) => {
                let value = s.parse(text)?;
                check_pattern(&value, pattern)?;
                Ok(value)
            }
            ValueType::List(s) => {
                let items: Vec<&str> = if text.trim().is_empty() {
                    Vec::new()
                } else {
                    text.split(',').collect()
                };
                s.parse_list(&items, pattern)
            }
        }
    }

    /// Checks a list given as separate items.
    pub fn parse_items(
        &self,
        items: &[String],
        pattern: Option<&Regex>,
    ) -> Result<Value, ValueError> {
        match self {
            ValueType::Scalar(_) => Err(String::from("is a list; expected a single value").into()),
            ValueType::List(s) => {
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                s.parse_list(&items, pattern)
            }
        }
    }
}

/// A list item as an error message quotes it: a 100 KB item is cut to its first 60 characters.
pub fn item_shown(item: &str) -> String {
    match item.char_indices().nth(60) {
        Some((end, _)) => format!("{:?}…", &item[..end]),
        None => format!("{item:?}"),
    }
}

fn check_pattern(value: &Value, pattern: Option<&Regex>) -> Result<(), String> {
    match (pattern, value) {
        (Some(re), Value::Text(s)) if !re.is_match(s) => {
            Err(format!("does not match the pattern `{}`", re.as_str()))
        }
        _ => Ok(()),
    }
}

/// Refuses a text value (or list item) longer than `max` characters. A length is a rule of its
/// own rather than a `.{1,63}` pattern: clearer to read, and the automaton for a bounded
/// repetition of a Unicode class costs a third of a millisecond to build.
pub(crate) fn check_max_length(value: &Value, max: Option<usize>) -> Result<(), ValueError> {
    let Some(max) = max else { return Ok(()) };
    let check = |text: &str| {
        let n = text.chars().count();
        if n > max {
            return Err(format!("is {n} characters long; at most {max} are allowed"));
        }
        Ok(())
    };
    match value {
        Value::Text(t) => check(t).map_err(ValueError::from),
        Value::List(items) => items.iter().enumerate().try_for_each(|(i, v)| match v {
            Value::Text(t) => check(t).map_err(|e| ValueError::item(i, None, e)),
            _ => Ok(()),
        }),
        _ => Ok(()),
    }
}

/// Refuses characters that do not show, or show differently, in a reviewed script.
pub(crate) fn check_visible(text: &str) -> Result<(), String> {
    for (i, c) in text.chars().enumerate() {
        let why = match c {
            c if c.is_control() => "a control character",
            '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}' => {
                "a bidirectional control character (often copied from a certificate dialog)"
            }
            // Zero-width and other invisible characters: format characters, the combining
            // grapheme joiner, the Mongolian vowel separator, tag characters.
            '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E007F}' => "an invisible zero-width character",
            // Shown as a line break by editors: text after it would look like the next line.
            '\u{2028}' | '\u{2029}' => "a line or paragraph separator",
            '\u{E000}'..='\u{F8FF}' => "a private-use character",
            _ => continue,
        };
        return Err(format!(
            "contains {why} (U+{:04X}) at position {}; retype the value",
            u32::from(c),
            i + 1
        ));
    }
    Ok(())
}

fn is_dns_name(name: &str) -> bool {
    name.len() <= 253
        && name.contains('.')
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

fn is_email_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_accepts_spaced_pairs_and_uppercases() {
        let v = Scalar::Thumbprint
            .parse("ab 12 cd 34 ef 56 78 90 ab cd ef 12 34 56 78 90 ab cd ef 12")
            .unwrap();
        assert_eq!(
            v,
            Value::Text("AB12CD34EF567890ABCDEF1234567890ABCDEF12".into())
        );
    }

    #[test]
    fn thumbprint_with_hidden_mark_names_it() {
        let err = Scalar::Thumbprint
            .parse("\u{200E}AB12CD34EF567890ABCDEF1234567890ABCDEF12")
            .unwrap_err();
        assert!(err.contains("U+200E"), "{err}");
    }

    #[test]
    fn every_bidirectional_and_invisible_character_is_refused() {
        for c in [
            '\u{202A}',
            '\u{202E}',
            '\u{2066}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{200D}',
            '\u{2060}',
            '\u{2064}',
            '\u{FEFF}',
            '\u{180E}',
            '\u{E0041}',
            '\u{2028}',
            '\u{2029}',
        ] {
            let err = Scalar::String.parse(&format!("a{c}b")).unwrap_err();
            assert!(err.contains(&format!("U+{:04X}", u32::from(c))), "{err}");
        }
    }

    #[test]
    fn domain_rules() {
        assert!(Scalar::Domain.parse("Contoso.COM.").is_ok());
        for bad in [
            "contoso",
            "-a.com",
            "a..com",
            "a b.com",
            "a.com;",
            "$(calc).com",
        ] {
            assert!(Scalar::Domain.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn empty_is_refused_for_every_type() {
        for s in [Scalar::String, Scalar::Domain, Scalar::Path, Scalar::Uri] {
            assert!(s.parse("  ").unwrap_err().contains("is empty"));
        }
    }

    #[test]
    fn list_items_are_checked_and_unique() {
        let t = ValueType::List(Scalar::Domain);
        assert!(t.parse_text("a.com,b.com", None).is_ok());
        let twice = t.parse_text("a.com,a.com", None).unwrap_err();
        assert_eq!(twice.message(false), "item 2 \"a.com\" is listed twice");
        let bad = t.parse_text("a.com,bad", None).unwrap_err();
        assert_eq!(bad.item, Some((1, Some("bad".to_owned()))));
        assert!(!bad.message(true).contains("bad"), "{}", bad.message(true));
    }
}
