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

/// What a Ctrl-C in the middle of a prompt may have left changed on the terminal, for
/// [`restore_terminal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Restore {
    /// A raw-mode read: every setting (`stty sane`).
    All,
    /// A hidden read (echo off, signals on): echo only (`stty echo`).
    Echo,
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
