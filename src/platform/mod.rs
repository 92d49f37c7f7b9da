//! What differs between Windows and Unix, behind one small interface; each platform's code lives
//! in its own file rather than in scattered `cfg`s.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::*;

/// The command that resumes the state file at `path`, as this machine's shell takes it; with
/// `--operator` when one was given, so a copy of it resumes under the same name.
pub(crate) fn resume_command(path: &std::path::Path, operator: Option<&str>) -> String {
    let mut command = format!("runbook resume {}", shell_word(&display_path(path)));
    if let Some(name) = operator {
        command.push_str(" --operator ");
        command.push_str(&shell_word(name));
    }
    command
}

/// The command that writes the run record at `path` for the change ticket, next to it.
pub(crate) fn report_command(path: &std::path::Path) -> String {
    let report = path.with_extension("").with_extension("report.md");
    format!(
        "runbook report {} --output {}",
        shell_word(&display_path(path)),
        shell_word(&display_path(&report))
    )
}

/// `word` as one argument of a command line: as it is when that is safe, else single-quoted
/// (PowerShell doubles a quote inside; a POSIX shell closes, escapes and reopens).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./\\:@+,=".contains(c));
    if plain {
        return word.to_owned();
    }
    let inner = if cfg!(windows) {
        word.replace('\'', "''")
    } else {
        word.replace('\'', r"'\''")
    };
    format!("'{inner}'")
}

/// The name of this machine, for lock holders and events.
pub(crate) fn host_name() -> String {
    host_name_impl()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-host".to_owned())
}

/// The operator's name when `--operator` is not given: the OS user.
pub(crate) fn default_operator() -> String {
    user_name_impl()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "unknown-operator".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resume_command_quotes_what_a_shell_would_split() {
        let p = std::path::Path::new("s.json");
        assert_eq!(resume_command(p, None), "runbook resume s.json");
        assert_eq!(
            resume_command(p, Some("alice")),
            "runbook resume s.json --operator alice"
        );
        let spaced = resume_command(std::path::Path::new("my run.json"), Some("Bob Jones"));
        assert_eq!(
            spaced,
            "runbook resume 'my run.json' --operator 'Bob Jones'"
        );
        let quoted = shell_word("O'Brien");
        if cfg!(windows) {
            assert_eq!(quoted, "'O''Brien'");
        } else {
            assert_eq!(quoted, r"'O'\''Brien'");
        }
    }
}
