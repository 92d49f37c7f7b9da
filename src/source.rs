//! A loaded text file and positions in it: the `path:line:col` diagnostics every error carries.

use std::fmt;

/// A file's display name and text.
#[derive(Debug, Clone)]
pub struct Source {
    /// How the file is named in messages: a path, or `<embedded>/id.yaml`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// How bad a [`Diagnostic`] is: an error refuses the file, a warning is shown and the file is
/// used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file is refused (exit 1).
    Error,
    /// An authoring smell; the file is still used.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem at a position in a source file, shown as `file:line:col: severity: message`
/// everywhere (validate, run, export, answers files), with the source line under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file's display name.
    pub file: String,
    /// 1-based line; 0 when the problem has no position (an unreadable file).
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// Lowercase message, names in backticks.
    pub message: String,
    /// The source line (or the part of a long line around the column), for the snippet.
    pub snippet: Option<String>,
    /// Characters of `snippet` before the caret.
    caret: usize,
}

/// The longest message a diagnostic shows, in characters.
const MAX_MESSAGE: usize = 1000;
/// How many characters of a long source line the snippet shows on each side of the column.
const SNIPPET_SIDE: usize = 80;

impl Source {
    /// A diagnostic at `line:column` of this source.
    ///
    /// Both the message and the snippet are made safe to print: control characters (an escape
    /// sequence in a hostile file would drive the terminal) are shown escaped or as U+FFFD, and
    /// a 10 MB line or key is cut to the part around the column rather than printed whole.
    pub fn diagnostic(&self, line: u64, column: u64, message: impl Into<String>) -> Diagnostic {
        let column = column.max(1);
        let col = usize::try_from(column - 1).unwrap_or(usize::MAX);
        let (snippet, caret) = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| self.text.lines().nth(l))
            .map(|s| excerpt(s.trim_end_matches('\r'), col))
            .unzip();
        Diagnostic {
            severity: Severity::Error,
            file: self.name.clone(),
            line,
            column,
            message: printable_message(&message.into()),
            snippet,
            caret: caret.unwrap_or(0),
        }
    }
}

impl Diagnostic {
    /// An error about the file as a whole (a directory, not UTF-8 text): no position.
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: printable_message(&message.into()),
            snippet: None,
            caret: 0,
        }
    }

    /// The same diagnostic as a warning.
    #[must_use]
    pub fn warning(self) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..self
        }
    }
}

/// The message with control characters other than newline and tab escaped, cut to
/// [`MAX_MESSAGE`] characters.
fn printable_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(MAX_MESSAGE * 4));
    for (i, c) in message.chars().enumerate() {
        if i == MAX_MESSAGE {
            out.push('…');
            break;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Where two texts differ, line by line: the changed stretch between their common start and
/// end, at most `max` lines of it, `-` for the first text's lines and `+` for the second's.
/// Control, bidi and invisible characters are shown escaped: the text may be hostile.
pub(crate) fn line_diff(old: &str, new: &str, max: usize) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let removed = &a[head..a.len() - tail];
    let added = &b[head..b.len() - tail];
    let mut out = format!("@@ line {} @@\n", head + 1);
    let lines = removed
        .iter()
        .map(|l| ('-', l))
        .chain(added.iter().map(|l| ('+', l)));
    let total = removed.len() + added.len();
    for (i, (sign, line)) in lines.enumerate() {
        if i == max {
            out.push_str(&format!("… {} more changed lines\n", total - max));
            break;
        }
        out.push(sign);
        out.push(' ');
        for c in line.chars() {
            let hidden = c.is_control() && c != '\t'
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}');
            if hidden {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
        out.push('\n');
    }
    out
}

/// The part of `line` around the 0-based character column `col`, with control characters
/// other than tab replaced one for one, and how many characters precede the caret.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    let skip = col.saturating_sub(SNIPPET_SIDE);
    let mut out = String::new();
    if skip > 0 {
        out.push('…');
    }
    let mut chars = line.chars().skip(skip);
    for c in chars.by_ref().take(col - skip + SNIPPET_SIDE) {
        out.push(if c.is_control() && c != '\t' {
            '\u{FFFD}'
        } else {
            c
        });
    }
    if chars.next().is_some() {
        out.push('…');
    }
    (out, col - skip + usize::from(skip > 0))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}: {}", self.file, self.severity, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )?;
        if let Some(snippet) = &self.snippet {
            let width = snippet
                .chars()
                .take(self.caret)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
            write!(f, "\n  | {snippet}\n  | {width}^")?;
        }
        Ok(())
    }
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
    fn a_long_line_is_cut_around_the_column_with_the_caret_under_it() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let d = src(&line).diagnostic(1, 5001, "here");
        let shown = d.to_string();
        assert!(shown.len() < 600, "{} bytes", shown.len());
        let lines: Vec<&str> = shown.lines().collect();
        let x = lines[1].chars().position(|c| c == 'X').expect("X shown");
        assert_eq!(lines[2].chars().position(|c| c == '^'), Some(x), "{shown}");
        assert!(
            lines[1].ends_with('…') && lines[1].contains("| …a"),
            "{shown}"
        );
    }

    #[test]
    fn a_line_diff_shows_the_changed_stretch_with_hidden_characters_escaped() {
        let old = "a\nb\nc\n";
        let new = "a\nStop-Computer -Force; b\u{202E}\nc\n";
        assert_eq!(
            line_diff(old, new, 10),
            "@@ line 2 @@\n- b\n+ Stop-Computer -Force; b\\u{202e}\n"
        );
        assert_eq!(line_diff("x\ny\n", "x\n", 10), "@@ line 2 @@\n- y\n");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = src("title: \u{1b}]0;pwned\u{7}\u{1b}[2J").diagnostic(1, 8, "bad `\u{1b}[31m`");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert!(shown.contains("bad `\\u{1b}[31m`"), "{shown}");
    }

    #[test]
    fn a_huge_message_is_cut() {
        let d = src("x").diagnostic(1, 1, "k".repeat(100_000));
        assert!(d.message.chars().count() <= MAX_MESSAGE + 1);
        assert!(d.message.ends_with('…'));
    }
}
