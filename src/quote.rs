//! The one PowerShell quoting function: every value that reaches a rendered command passes here.
//!
//! A value becomes a single-quoted (verbatim) literal, so `$`, backticks, `;`, `|` and `$(...)`
//! are inert. PowerShell also treats U+2018..U+201B as single quotes (language spec 2.3.5.2), so
//! those are doubled like U+0027. Control characters are refused: a newline would split a pasted
//! command and hides what runs from a reviewer.

use std::fmt;

/// The quote characters PowerShell accepts as a single-quote delimiter.
pub const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];

/// A value that cannot be rendered as a PowerShell literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteError {
    /// The offending character.
    pub character: char,
    /// Its index in characters (not bytes) within the value.
    pub position: usize,
}

impl fmt::Display for QuoteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "contains the control character U+{:04X} at position {}",
            u32::from(self.character),
            self.position + 1
        )
    }
}

impl std::error::Error for QuoteError {}

/// Renders `value` as one single-quoted PowerShell literal.
pub fn quote(value: &str) -> Result<String, QuoteError> {
    let mut out = String::with_capacity(value.len() + 2);
    quote_into(value, &mut out)?;
    Ok(out)
}

/// Like [`quote`], appending to `out`; on error `out` is left unchanged.
pub(crate) fn quote_into(value: &str, out: &mut String) -> Result<(), QuoteError> {
    // Fast path: plain ASCII without quotes or controls is copied as it is.
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\'')
    {
        out.reserve(value.len() + 2);
        out.push('\'');
        out.push_str(value);
        out.push('\'');
        return Ok(());
    }
    let start = out.len();
    out.reserve(value.len() + 8);
    out.push('\'');
    for (position, c) in value.chars().enumerate() {
        if c.is_control() {
            out.truncate(start);
            return Err(QuoteError {
                character: c,
                position,
            });
        }
        if SINGLE_QUOTES.contains(&c) {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_every_single_quote_kind() {
        assert_eq!(quote("it's").unwrap(), "'it''s'");
        assert_eq!(
            quote("\u{2018}a\u{2019}\u{201A}\u{201B}").unwrap(),
            "'\u{2018}\u{2018}a\u{2019}\u{2019}\u{201A}\u{201A}\u{201B}\u{201B}'"
        );
    }

    #[test]
    fn leaves_expansion_characters_inert() {
        assert_eq!(quote("$(calc) `n; |").unwrap(), "'$(calc) `n; |'");
    }

    #[test]
    fn refuses_c0_and_c1_controls() {
        for c in [
            '\0', '\n', '\r', '\t', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            let err = quote(&format!("ab{c}")).unwrap_err();
            assert_eq!(err.character, c);
            assert_eq!(err.position, 2);
        }
    }
}
