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

/// One problem at a position in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's display name.
    pub file: String,
    /// 1-based line; 0 when the problem has no position (an unreadable file).
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// Lowercase message, names in backticks.
    pub message: String,
    /// The source line, for the snippet.
    pub snippet: Option<String>,
}

impl Source {
    /// A diagnostic at `line:column` of this source.
    pub fn diagnostic(&self, line: u64, column: u64, message: impl Into<String>) -> Diagnostic {
        let snippet = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| self.text.lines().nth(l))
            .map(|s| s.trim_end_matches('\r').to_owned());
        Diagnostic {
            file: self.name.clone(),
            line,
            column: column.max(1),
            message: message.into(),
            snippet,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.file, self.message);
        }
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(snippet) = &self.snippet {
            let width = snippet
                .chars()
                .take(usize::try_from(self.column).unwrap_or(1).saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect::<String>();
            write!(f, "\n  | {snippet}\n  | {width}^")?;
        }
        Ok(())
    }
}
