//! Windows: no directory fsync (a directory cannot be opened for writing; NTFS journals the
//! rename), names from `USERNAME` / `COMPUTERNAME`, paths shown with backslashes, and no
//! bracketed paste; the console itself is `CONOUT$`.

use std::path::Path;

/// A rename on NTFS is journaled; Windows offers no directory handle to flush.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the Unix version can fail; callers stay free of `cfg`"
)]
pub(crate) fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

pub(super) fn user_name_impl() -> Option<String> {
    std::env::var("USERNAME").ok()
}

pub(super) fn host_name_impl() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// A path as the operator types it: backslashes, no `\\?\` prefix.
pub(crate) fn display_path(path: &Path) -> String {
    let s = path.display().to_string().replace('/', "\\");
    s.strip_prefix(r"\\?\").map(str::to_owned).unwrap_or(s)
}

/// The reserved device names (`NUL`, `CON`, `COM1`...), with or without an extension: written in
/// place, never replaced.
pub(crate) fn is_device(path: &Path) -> bool {
    let Some(stem) = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_ascii_uppercase())
    else {
        return false;
    };
    let stem = stem.trim_end_matches([' ', '.']);
    matches!(stem, "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// Files inherit the folder's ACL on Windows; nothing to set.
pub(crate) fn output_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The OS error a full disk gives (`ERROR_DISK_FULL`), for fault injection.
pub(crate) const DISK_FULL: i32 = 112;

/// File identity needs an unstable API on Windows; length and modification time stand in.
pub(crate) fn file_id(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The Windows console has no bracketed paste (crossterm cannot ask for it there): a paste comes
/// as a burst of key events, which the prompts tell from typing by its speed.
pub(crate) const BRACKETED_PASTE: bool = false;

/// The console's screen buffer, for the prompts when stderr is not the console
/// (`2>&1 | Tee-Object log`).
pub(crate) fn open_terminal() -> std::io::Result<std::fs::File> {
    let console = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("CONOUT$")?;
    // The prompts draw with escape sequences. console turns their processing on for stderr when
    // stderr is the console; here it is not, so ask for it on the screen buffer (`CONOUT$`).
    let _ = crossterm::ansi_support::supports_ansi();
    Ok(console)
}
