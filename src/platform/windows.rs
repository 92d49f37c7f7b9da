//! Windows: no directory fsync (a directory cannot be opened for writing; NTFS journals the
//! rename), names from `USERNAME` / `COMPUTERNAME`, and paths shown with backslashes.

use std::path::Path;

/// A rename on NTFS is journaled; Windows offers no directory handle to flush.
pub fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

pub(super) fn user_name_impl() -> Option<String> {
    std::env::var("USERNAME").ok()
}

pub(super) fn host_name_impl() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// A path as the operator types it: backslashes, no `\\?\` prefix.
pub fn display_path(path: &Path) -> String {
    let s = path.display().to_string().replace('/', "\\");
    s.strip_prefix(r"\\?\").map(str::to_owned).unwrap_or(s)
}
