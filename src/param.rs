//! Parameter and capture types, and turning text into checked values.
//!
//! Every value is checked here before anything is rendered, so a template only ever sees values
//! of the declared type. Text that would hide what runs from a reviewer (control characters,
//! bidirectional overrides, zero-width characters) is refused for every type.

use std::fmt;

use regex::Regex;
use serde::Serialize;

use crate::suggest::did_you_mean;

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
            let value = self.parse(item).map_err(|e| e.at(i, Some(item)))?;
            check_pattern(&value, pattern).map_err(refused)?;
            if !seen.insert(value.display()) {
                return Err(refused("is listed twice".into()));
            }
            out.push(value);
        }
        Ok(Value::List(out))
    }

    /// Checks `text` and returns the typed value, or why it is refused.
    pub fn parse(&self, text: &str) -> Result<Value, ValueError> {
        check_visible(text)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            // An empty -Identity on a Get- cmdlet returns every object (domain reference 4.4).
            return Err(format!("is empty; {}", self.expected()).into());
        }
        self.check(trimmed)
            .map_err(|problem| self.refusal(&problem))
    }

    /// `is not valid: <what is wrong>; <what is expected>`, and the same told about a secret.
    fn refusal(&self, problem: &Problem) -> ValueError {
        let told = |secret: bool| {
            let hint = match problem.suggestion() {
                Some(best) if !secret => format!("; did you mean `{best}`?"),
                _ => String::new(),
            };
            format!(
                "is not valid: {}; {}{hint}",
                problem.text(secret),
                self.expected()
            )
        };
        let (reason, secret) = (told(false), told(true));
        ValueError {
            item: None,
            secret_reason: (secret != reason).then_some(secret),
            reason,
        }
    }

    /// The value of trimmed, non-empty `text`, or what is wrong with it.
    fn check(&self, text: &str) -> Result<Value, Problem> {
        // A space inside is the most common slip (`conto so.com`) and explains everything after it.
        let spaced = matches!(
            self,
            Scalar::Int | Scalar::Domain | Scalar::Email | Scalar::Uri
        );
        if let Some(c) = text.chars().find(|c| spaced && c.is_whitespace()) {
            return Err(Problem::Space(c));
        }
        match self {
            Scalar::String => Ok(Value::Text(text.to_owned())),
            Scalar::Path => match text.chars().find(|c| "<>\"|?*".contains(*c)) {
                Some(c) => Err(Problem::Character(c, "a file path")),
                None => Ok(Value::Text(text.to_owned())),
            },
            Scalar::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" => Ok(Value::Bool(true)),
                "false" | "no" => Ok(Value::Bool(false)),
                lower => Err(Problem::NotYesOrNo {
                    suggestion: did_you_mean(lower, BOOL_WORDS).map(str::to_owned),
                }),
            },
            Scalar::Int => text.parse().map(Value::Int).map_err(|_| int_problem(text)),
            Scalar::Enum(values) => {
                if let Some(v) = values.iter().find(|v| v.as_str() == text) {
                    return Ok(Value::Text(v.clone()));
                }
                let lower = text.to_lowercase();
                Err(match values.iter().find(|v| v.to_lowercase() == lower) {
                    Some(v) => Problem::OnlyCase(v.clone()),
                    None => Problem::NotListed {
                        suggestion: did_you_mean(text, values.iter().map(String::as_str))
                            .map(str::to_owned),
                    },
                })
            }
            Scalar::Domain => {
                if let Some(problem) = dns_problem(text, true) {
                    return Err(problem);
                }
                let name = text.strip_suffix('.').unwrap_or(text);
                Ok(Value::Text(name.to_ascii_lowercase()))
            }
            Scalar::Email => match email_problem(text) {
                Some(problem) => Err(problem),
                None => Ok(Value::Text(text.to_owned())),
            },
            Scalar::Thumbprint => {
                // Thumbprints copied from the certificate dialog come with spaces between pairs.
                let hex: String = text.chars().filter(|c| *c != ' ').collect();
                if let Some(c) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
                    return Err(Problem::NotHex(c));
                }
                if hex.len() != 40 {
                    return Err(Problem::HexDigits(hex.len()));
                }
                Ok(Value::Text(hex.to_ascii_uppercase()))
            }
            Scalar::Uri => {
                let (scheme, rest) = text.split_once(':').ok_or(Problem::NoScheme)?;
                let scheme_ok = scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
                if !scheme_ok {
                    return Err(Problem::NoScheme);
                }
                if rest.is_empty() {
                    return Err(Problem::NothingAfterScheme);
                }
                Ok(Value::Text(text.to_owned()))
            }
        }
    }
}

/// How [`Problem::Character`] names a DNS name.
const DNS_NAME: &str = "a DNS name";

/// The words a bool takes, for "did you mean".
const BOOL_WORDS: [&str; 4] = ["true", "false", "yes", "no"];

/// What is wrong with a value that is text of the wrong form: the phrase after "is not valid:",
/// so that an operator who typed `conto so.com` reads what to fix (issue 14).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// A space, or another space character, inside the value.
    Space(char),
    /// A character the type never has; the type is named ("a DNS name").
    Character(char, &'static str),
    NoDot,
    LeadingDot,
    TrailingDot,
    /// Two dots in a row in a DNS name.
    EmptyLabel,
    /// A DNS label of this many characters (more than 63).
    LongLabel(usize),
    HyphenLabel,
    /// A DNS name of this many characters (more than 253).
    LongName(usize),
    NoAt,
    ManyAts,
    NothingBeforeAt,
    NothingAfterAt,
    /// This many characters before an address's `@` (more than 64).
    LongLocalPart(usize),
    TwoDots,
    DotBeforeAt,
    /// What is wrong with the domain after an address's `@`.
    AddressDomain(Box<Problem>),
    /// This many hexadecimal digits in a thumbprint (not 40).
    HexDigits(usize),
    NotHex(char),
    NoScheme,
    NothingAfterScheme,
    NotANumber,
    NotADigit(char),
    /// A whole number beyond the 64-bit range; `true` below it.
    OutOfRange(bool),
    NotYesOrNo {
        suggestion: Option<String>,
    },
    NotListed {
        suggestion: Option<String>,
    },
    /// The listed value it differs from in capitals only.
    OnlyCase(String),
}

impl Problem {
    /// The phrase; about a secret, without any character of the value or a listed value it is
    /// close to: a secret's refusal quotes nothing of it.
    fn text(&self, secret: bool) -> String {
        match self {
            Problem::Space(' ') => "contains a space".into(),
            Problem::Space(c) => format!("contains a space character (U+{:04X})", u32::from(*c)),
            Problem::Character(_, what) if secret => format!("contains a character {what} cannot"),
            Problem::Character(c, what) if *what == DNS_NAME && !c.is_ascii() => format!(
                "contains `{c}`, which {what} cannot (an international name is written in its \
                 `xn--` form)"
            ),
            Problem::Character(c, what) => format!("contains `{c}`, which {what} cannot"),
            Problem::NoDot => "has no dot".into(),
            Problem::LeadingDot => "starts with a dot".into(),
            Problem::TrailingDot => "ends with a dot".into(),
            Problem::EmptyLabel => "has an empty label (two dots in a row)".into(),
            Problem::LongLabel(n) => {
                format!("has a label of {n} characters; a label has at most 63")
            }
            Problem::HyphenLabel => "has a label that starts or ends with `-`".into(),
            Problem::LongName(n) => {
                format!("is {n} characters long; a DNS name has at most 253")
            }
            Problem::NoAt => "has no `@`".into(),
            Problem::ManyAts => "has more than one `@`".into(),
            Problem::NothingBeforeAt => "has nothing before the `@`".into(),
            Problem::NothingAfterAt => "has nothing after the `@`".into(),
            Problem::LongLocalPart(n) => {
                format!("has {n} characters before the `@`; at most 64 are allowed")
            }
            Problem::TwoDots => "has two dots in a row".into(),
            Problem::DotBeforeAt => "has a dot right before the `@`".into(),
            Problem::AddressDomain(inner) => {
                format!("the domain after the `@` {}", inner.text(secret))
            }
            Problem::HexDigits(1) => "has 1 hexadecimal digit, not 40".into(),
            Problem::HexDigits(n) => format!("has {n} hexadecimal digits, not 40"),
            Problem::NotHex(_) if secret => {
                "contains a character that is not a hexadecimal digit".into()
            }
            Problem::NotHex(c) => format!("contains `{c}`, which is not a hexadecimal digit"),
            Problem::NoScheme => "does not start with a scheme such as `https:`".into(),
            Problem::NothingAfterScheme => "has nothing after the scheme".into(),
            Problem::NotANumber => "is not a number".into(),
            Problem::NotADigit(_) if secret => "contains a character that is not a digit".into(),
            Problem::NotADigit(c) => format!("contains `{c}`, which is not a digit"),
            Problem::OutOfRange(false) => format!("is larger than {}", i64::MAX),
            Problem::OutOfRange(true) => format!("is smaller than {}", i64::MIN),
            Problem::NotYesOrNo { .. } => "is none of `true`, `false`, `yes`, `no`".into(),
            Problem::OnlyCase(listed) if !secret => {
                format!("differs from `{listed}` only in capitals (the values are case-sensitive)")
            }
            Problem::NotListed { .. } | Problem::OnlyCase(_) => {
                "is not one of the listed values".into()
            }
        }
    }

    /// A close word the operator may have meant, said after what is expected.
    fn suggestion(&self) -> Option<&str> {
        match self {
            Problem::NotYesOrNo { suggestion } | Problem::NotListed { suggestion } => {
                suggestion.as_deref()
            }
            _ => None,
        }
    }
}

/// Why `text`, which `str::parse` refused, is no whole number.
fn int_problem(text: &str) -> Problem {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !digits.chars().any(|c| c.is_ascii_digit()) {
        return Problem::NotANumber;
    }
    match digits.chars().find(|c| !c.is_ascii_digit()) {
        Some(c) => Problem::NotADigit(c),
        None => Problem::OutOfRange(text.starts_with('-')),
    }
}

/// Why a value was refused, and which list item (position and text) it concerns: a message
/// about a secret names the item by its position only, by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// The 0-based position of the item, and its text when the message may quote it.
    pub item: Option<(usize, Option<String>)>,
    pub reason: String,
    /// The reason told about a secret, where `reason` quotes a character of the value or a
    /// listed value close to it.
    secret_reason: Option<String>,
}

impl ValueError {
    fn item(index: usize, text: Option<&str>, reason: impl Into<String>) -> ValueError {
        ValueError::from(reason.into()).at(index, text)
    }

    /// The same refusal, about the list item at `index`.
    fn at(mut self, index: usize, text: Option<&str>) -> ValueError {
        self.item = Some((index, text.map(str::to_owned)));
        self
    }

    /// The message; for a secret, without the item's text or any character of it.
    pub fn message(&self, secret: bool) -> String {
        let reason = match &self.secret_reason {
            Some(told) if secret => told,
            _ => &self.reason,
        };
        match &self.item {
            Some((i, Some(text))) if !secret => {
                format!("item {} {} {reason}", i + 1, item_shown(text))
            }
            Some((i, _)) => format!("item {} {reason}", i + 1),
            None => reason.clone(),
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
        ValueError {
            item: None,
            reason,
            secret_reason: None,
        }
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

/// What is wrong with `name` as a DNS name, if anything; `root` allows the trailing dot of a
/// fully qualified name (`contoso.com.`).
fn dns_problem(name: &str, root: bool) -> Option<Problem> {
    if let Some(c) = name.chars().find(|c| c.is_whitespace()) {
        return Some(Problem::Space(c));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_.".contains(*c)))
    {
        return Some(Problem::Character(c, DNS_NAME));
    }
    if name.starts_with('.') {
        return Some(Problem::LeadingDot);
    }
    if name.contains("..") {
        return Some(Problem::EmptyLabel);
    }
    let name = match name.strip_suffix('.') {
        Some(bare) if root => bare,
        Some(_) => return Some(Problem::TrailingDot),
        None => name,
    };
    if !name.contains('.') {
        return Some(Problem::NoDot);
    }
    if let Some(long) = name.split('.').find(|label| label.len() > 63) {
        return Some(Problem::LongLabel(long.len()));
    }
    if name
        .split('.')
        .any(|label| label.starts_with('-') || label.ends_with('-'))
    {
        return Some(Problem::HyphenLabel);
    }
    (name.len() > 253).then_some(Problem::LongName(name.len()))
}

/// What is wrong with `text` as an e-mail address, if anything.
fn email_problem(text: &str) -> Option<Problem> {
    let (local, domain) = match text.split('@').count() {
        1 => return Some(Problem::NoAt),
        2 => text.split_once('@')?,
        _ => return Some(Problem::ManyAts),
    };
    if local.is_empty() {
        return Some(Problem::NothingBeforeAt);
    }
    if domain.is_empty() {
        return Some(Problem::NothingAfterAt);
    }
    if let Some(c) = local.chars().find(|c| !is_email_local_char(*c)) {
        return Some(Problem::Character(c, "the part before the `@`"));
    }
    if local.len() > 64 {
        return Some(Problem::LongLocalPart(local.len()));
    }
    if local.starts_with('.') {
        return Some(Problem::LeadingDot);
    }
    if local.ends_with('.') {
        return Some(Problem::DotBeforeAt);
    }
    if local.contains("..") {
        return Some(Problem::TwoDots);
    }
    dns_problem(domain, false).map(|p| Problem::AddressDomain(Box::new(p)))
}

fn is_email_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is wrong with `text` as a `scalar`; panics when it is accepted.
    fn problem(scalar: &Scalar, text: &str) -> Problem {
        scalar.check(text).expect_err(text)
    }

    /// The message an operator reads for `text` as a `scalar`.
    fn refused(scalar: &Scalar, text: &str) -> String {
        scalar.parse(text).expect_err(text).message(false)
    }

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
        assert!(err.reason.contains("U+200E"), "{err}");
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
            assert!(
                err.reason.contains(&format!("U+{:04X}", u32::from(c))),
                "{err}"
            );
        }
    }

    #[test]
    fn domain_rules() {
        assert_eq!(
            Scalar::Domain.parse("Contoso.COM."),
            Ok(Value::Text("contoso.com".into()))
        );
        assert!(Scalar::Domain.parse("a-b_c.contoso.com").is_ok());
        for bad in [
            "contoso",
            "-a.com",
            "a..com",
            "a b.com",
            "a.com;",
            "$(calc).com",
            ".",
            "contoso.com..",
        ] {
            assert!(Scalar::Domain.parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_refused_domain_says_what_is_wrong_then_what_is_expected() {
        assert_eq!(
            refused(&Scalar::Domain, "conto so.com"),
            "is not valid: contains a space; expected a DNS name such as `contoso.com`"
        );
    }

    #[test]
    fn each_reason_a_domain_is_refused_for() {
        let long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}.com", vec!["a".repeat(60); 5].join("."));
        for (text, want) in [
            ("conto so.com", Problem::Space(' ')),
            ("contoso\u{a0}.com", Problem::Space('\u{a0}')),
            ("contoso!.com", Problem::Character('!', DNS_NAME)),
            ("https://contoso.com", Problem::Character(':', DNS_NAME)),
            ("contoso", Problem::NoDot),
            (".contoso.com", Problem::LeadingDot),
            ("contoso..com", Problem::EmptyLabel),
            ("contoso.com..", Problem::EmptyLabel),
            (&long_label, Problem::LongLabel(64)),
            ("-contoso.com", Problem::HyphenLabel),
            ("contoso-.com", Problem::HyphenLabel),
            (&long_name, Problem::LongName(308)),
        ] {
            assert_eq!(problem(&Scalar::Domain, text), want, "{text}");
        }
    }

    #[test]
    fn domain_reasons_read_as_the_issue_words_them() {
        for (text, reason) in [
            ("contoso", "has no dot"),
            ("contoso..com", "has an empty label (two dots in a row)"),
            ("contoso!.com", "contains `!`, which a DNS name cannot"),
            ("-contoso.com", "has a label that starts or ends with `-`"),
            (
                "müller.de",
                "contains `ü`, which a DNS name cannot (an international name is written in its \
                 `xn--` form)",
            ),
        ] {
            let message = refused(&Scalar::Domain, text);
            assert!(
                message.starts_with(&format!("is not valid: {reason}; expected a DNS name")),
                "{message}"
            );
        }
        let long = format!("{}.com", "a".repeat(70));
        assert!(
            refused(&Scalar::Domain, &long)
                .contains("has a label of 70 characters; a label has at most 63"),
            "{}",
            refused(&Scalar::Domain, &long)
        );
    }

    #[test]
    fn each_reason_a_thumbprint_is_refused_for() {
        let short = "AB12CD34EF567890ABCDEF1234567890ABCDEF";
        assert_eq!(problem(&Scalar::Thumbprint, short), Problem::HexDigits(38));
        assert_eq!(
            refused(&Scalar::Thumbprint, short),
            "is not valid: has 38 hexadecimal digits, not 40; expected a certificate thumbprint: \
             40 hexadecimal digits"
        );
        assert_eq!(
            refused(&Scalar::Thumbprint, "A"),
            "is not valid: has 1 hexadecimal digit, not 40; expected a certificate thumbprint: \
             40 hexadecimal digits"
        );
        let typo = "AB12CD34EF5678G0ABCDEF1234567890ABCDEF12";
        assert_eq!(problem(&Scalar::Thumbprint, typo), Problem::NotHex('G'));
        assert!(
            refused(&Scalar::Thumbprint, typo)
                .starts_with("is not valid: contains `G`, which is not a hexadecimal digit;")
        );
        // Colons as some tools print them are named, not counted.
        assert_eq!(problem(&Scalar::Thumbprint, "AB:12"), Problem::NotHex(':'));
    }

    #[test]
    fn each_reason_an_email_address_is_refused_for() {
        let long_local = format!("{}@contoso.com", "a".repeat(65));
        for (text, want) in [
            ("admin contoso.com", Problem::Space(' ')),
            ("admin.contoso.com", Problem::NoAt),
            ("admin@@contoso.com", Problem::ManyAts),
            ("@contoso.com", Problem::NothingBeforeAt),
            ("admin@", Problem::NothingAfterAt),
            (
                "<admin>@contoso.com",
                Problem::Character('<', "the part before the `@`"),
            ),
            (&long_local, Problem::LongLocalPart(65)),
            (".admin@contoso.com", Problem::LeadingDot),
            ("admin.@contoso.com", Problem::DotBeforeAt),
            ("ad..min@contoso.com", Problem::TwoDots),
            (
                "admin@contoso",
                Problem::AddressDomain(Box::new(Problem::NoDot)),
            ),
            (
                "admin@contoso.com.",
                Problem::AddressDomain(Box::new(Problem::TrailingDot)),
            ),
        ] {
            assert_eq!(problem(&Scalar::Email, text), want, "{text}");
        }
        assert_eq!(
            refused(&Scalar::Email, "admin@contoso"),
            "is not valid: the domain after the `@` has no dot; expected an e-mail address such \
             as `admin@contoso.com`"
        );
        assert!(
            Scalar::Email
                .parse("first.last+tag@mail.contoso.com")
                .is_ok()
        );
    }

    #[test]
    fn each_reason_a_uri_is_refused_for() {
        for (text, want) in [
            ("https://contoso.com/a b", Problem::Space(' ')),
            ("contoso.com/path", Problem::NoScheme),
            ("://contoso.com", Problem::NoScheme),
            ("1http://contoso.com", Problem::NoScheme),
            ("https:", Problem::NothingAfterScheme),
        ] {
            assert_eq!(problem(&Scalar::Uri, text), want, "{text}");
        }
        assert!(
            refused(&Scalar::Uri, "contoso.com/path")
                .starts_with("is not valid: does not start with a scheme such as `https:`;")
        );
        assert!(Scalar::Uri.parse("urn:federation:MicrosoftOnline").is_ok());
    }

    #[test]
    fn each_reason_a_whole_number_is_refused_for() {
        for (text, want) in [
            ("ten", Problem::NotANumber),
            ("-", Problem::NotANumber),
            ("1.5", Problem::NotADigit('.')),
            ("0x10", Problem::NotADigit('x')),
            ("1 000", Problem::Space(' ')),
            ("99999999999999999999", Problem::OutOfRange(false)),
            ("-99999999999999999999", Problem::OutOfRange(true)),
        ] {
            assert_eq!(problem(&Scalar::Int, text), want, "{text}");
        }
        assert_eq!(
            refused(&Scalar::Int, "1.5"),
            "is not valid: contains `.`, which is not a digit; expected a whole number such as `42`"
        );
        assert_eq!(Scalar::Int.parse("+42"), Ok(Value::Int(42)));
    }

    #[test]
    fn a_refused_bool_names_the_words_and_the_closest() {
        assert_eq!(
            refused(&Scalar::Bool, "treu"),
            "is not valid: is none of `true`, `false`, `yes`, `no`; expected `true` or `false`; \
             did you mean `true`?"
        );
        assert_eq!(
            problem(&Scalar::Bool, "y"),
            Problem::NotYesOrNo {
                suggestion: Some("yes".into())
            }
        );
        assert_eq!(
            problem(&Scalar::Bool, "1"),
            Problem::NotYesOrNo { suggestion: None }
        );
        assert_eq!(Scalar::Bool.parse("Yes"), Ok(Value::Bool(true)));
    }

    #[test]
    fn a_refused_enum_value_gets_the_closest_listed_one() {
        let modes = Scalar::Enum(vec!["fast".into(), "safe".into()]);
        assert_eq!(
            refused(&modes, "fsat"),
            "is not valid: is not one of the listed values; expected one of `fast`, `safe`; did \
             you mean `fast`?"
        );
        assert_eq!(
            refused(&modes, "quick"),
            "is not valid: is not one of the listed values; expected one of `fast`, `safe`"
        );
        assert_eq!(
            refused(&modes, "Safe"),
            "is not valid: differs from `safe` only in capitals (the values are case-sensitive); \
             expected one of `fast`, `safe`"
        );
    }

    #[test]
    fn a_refused_path_names_the_character() {
        assert_eq!(
            refused(&Scalar::Path, "C:\\Temp\\a|b.txt"),
            "is not valid: contains `|`, which a file path cannot; expected a file path such as \
             `C:\\Temp\\backup.txt`"
        );
    }

    #[test]
    fn a_secret_is_refused_without_any_character_of_it() {
        let modes = Scalar::Enum(vec!["hunter2".into()]);
        for (scalar, text, quoted) in [
            (&Scalar::Int, "12x4", "`x`"),
            (&Scalar::Thumbprint, "Q".repeat(40).as_str(), "`Q`"),
            (&Scalar::Domain, "a%b.com", "`%`"),
            // The values are listed anyway; which one the secret is close to is not said.
            (&modes, "hunter3", "did you mean"),
            (&modes, "HUNTER2", "differs from"),
        ] {
            let err = scalar.parse(text).expect_err(text);
            assert!(err.message(false).contains(quoted), "{err}");
            let told = err.message(true);
            assert!(!told.contains(quoted), "{told}");
            assert!(told.starts_with("is not valid: "), "{told}");
        }
        let list = ValueType::List(Scalar::Int)
            .parse_text("1,2x", None)
            .unwrap_err();
        assert_eq!(
            list.message(true),
            "item 2 is not valid: contains a character that is not a digit; expected a whole \
             number such as `42`"
        );
    }

    #[test]
    fn empty_is_refused_for_every_type() {
        for s in [Scalar::String, Scalar::Domain, Scalar::Path, Scalar::Uri] {
            assert!(s.parse("  ").unwrap_err().reason.contains("is empty"));
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
        assert_eq!(
            bad.message(false),
            "item 2 \"bad\" is not valid: has no dot; expected a DNS name such as `contoso.com`"
        );
        assert!(!bad.message(true).contains("bad"), "{}", bad.message(true));
    }
}
