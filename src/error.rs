//! The library's errors and the exit codes they map to.

use std::path::PathBuf;

use crate::source::Diagnostic;

/// Exit codes, documented in the README.
pub(crate) mod exit {
    /// Success.
    pub(crate) const OK: i32 = 0;
    /// An error: bad input, an invalid runbook, an unreadable file.
    pub(crate) const ERROR: i32 = 1;
    /// A usage error (bad command-line arguments).
    pub(crate) const USAGE: i32 = 2;
    /// The run stopped and can be resumed.
    pub(crate) const STOPPED: i32 = 3;
    /// The operator aborted the run after a failure.
    pub(crate) const ABORTED: i32 = 4;
}

/// A parameter value that was missing or did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueProblem {
    /// The parameter's name.
    pub param: String,
    /// The value as given, `None` when missing.
    pub value: Option<String>,
    /// What went wrong and what form is expected.
    pub message: String,
}

impl std::fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.value {
            Some(v) => write!(
                f,
                "parameter `{}`: value {:?} {}",
                self.param, v, self.message
            ),
            None => write!(f, "parameter `{}`: {}", self.param, self.message),
        }
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A runbook (or params file) is invalid; every problem found is listed.
    #[error("{}", render_diagnostics(diagnostics))]
    Invalid {
        /// The problems, in file order.
        diagnostics: Vec<Diagnostic>,
    },
    /// Parameter values were missing or malformed.
    #[error("{}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Values {
        /// One entry per bad parameter.
        problems: Vec<ValueProblem>,
    },
    /// No shipped runbook has that id and no such file exists.
    #[error("no runbook `{name}`: not a shipped id ({known}) and not a readable .yaml file")]
    UnknownRunbook {
        /// What the user typed.
        name: String,
        /// The shipped ids.
        known: String,
    },
    /// A template failed to render.
    #[error("{template}: {message}")]
    Render {
        /// Which template (step and field).
        template: String,
        /// Why.
        message: String,
    },
    /// `run --state` names a file that exists.
    #[error(
        "{path} already exists; resume it with `runbook resume {path}` or choose another --state"
    )]
    StateExists { path: String },
    /// The file is not a state file this build reads.
    #[error("{path}: {source}")]
    NotAState {
        path: String,
        source: crate::journal::ReadError,
    },
    /// The record cannot be resumed: its chain breaks, or its runbook text was edited.
    #[error(
        "{path}: {why}; the file was not changed\n`runbook status {path}` shows the record up to where it is damaged"
    )]
    Damaged { path: String, why: String },
    /// Another process holds the state file's lock.
    #[error("{path} is in use{}", match holder {
        Some(h) => format!(" by {} on {} (pid {}) since {}", h.operator, h.host, h.pid, h.since),
        None => " by another runbook process".to_owned(),
    })]
    Locked {
        /// The state file.
        path: String,
        /// Who holds it, when known.
        holder: Option<crate::lock::Holder>,
    },
    /// The run stopped and can be resumed (Ctrl-C, or no answer without a terminal).
    #[error("{message}")]
    Stopped {
        /// What to tell the operator, with the resume command.
        message: String,
    },
    /// The operator aborted after a failure.
    #[error("{message}")]
    Aborted {
        /// What happened.
        message: String,
    },
    /// The state file could not be saved, or was deleted or replaced behind the lock; the
    /// message says what is intact and how to go on.
    #[error("{message}")]
    StateFile {
        /// What happened, what is intact, and the resume command.
        message: String,
    },
    /// Never leaves the engine: the current unit starts over (a parameter it uses changed), so
    /// `drive` takes the run up again from its position.
    #[error("the current step starts over")]
    Restart,
    /// Anything else the user must fix, already phrased.
    #[error("{0}")]
    Message(String),
}

impl Error {
    /// The error as the command line prints it: diagnostics carry their own `error:` after
    /// their position; anything else gets it in front.
    pub fn report(&self) -> String {
        match self {
            // A stop is how a run pauses (Ctrl-C, "pause", no answer): not a failure.
            Error::Invalid { .. } | Error::Stopped { .. } => self.to_string(),
            other => format!("error: {other}"),
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Stopped { .. } => exit::STOPPED,
            Error::Aborted { .. } => exit::ABORTED,
            _ => exit::ERROR,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
