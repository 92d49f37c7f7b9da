//! Unix: directory fsync, user and host names, bracketed paste, the controlling terminal.

use std::path::Path;

/// Makes a rename in `dir` durable: fsync the directory itself.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

pub(super) fn user_name_impl() -> Option<String> {
    std::env::var("USER")
        .ok()
        .or_else(|| std::env::var("LOGNAME").ok())
        .or_else(user_from_passwd)
}

/// The name of this process's real uid in /etc/passwd, for sessions without `USER`.
fn user_from_passwd() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_owned();
    std::fs::read_to_string("/etc/passwd")
        .ok()?
        .lines()
        .find_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?;
            (f.nth(1)? == uid).then(|| name.to_owned())
        })
}

pub(super) fn host_name_impl() -> Option<String> {
    std::env::var("HOSTNAME").ok().or_else(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .ok()
    })
}

/// A path as the operator types it on this platform.
pub(crate) fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// Whether `path` is something other than a regular file or a folder (a device, a pipe): such
/// targets are written in place, never replaced.
pub(crate) fn is_device(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Output files are readable by others (`0644` before the umask), like any file the user
/// creates; state files keep tempfile's private `0600`.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the Windows version has none to give; callers stay free of `cfg`"
)]
pub(crate) fn output_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

/// The OS error a full disk gives (`ENOSPC`), for fault injection.
pub(crate) const DISK_FULL: i32 = 28;

/// Which file this is on its device, so a file replaced under the same name is told apart.
#[allow(
    clippy::unnecessary_wraps,
    reason = "the Windows version has none to give; callers stay free of `cfg`"
)]
pub(crate) fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Unix terminals (xterm and its kin, tmux, screen) mark a paste when asked to (bracketed
/// paste), so a prompt receives it as one event.
pub(crate) const BRACKETED_PASTE: bool = true;

/// The controlling terminal, for the prompts when stderr is not a terminal (`2>&1 | tee log`).
pub(crate) fn open_terminal() -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
}
