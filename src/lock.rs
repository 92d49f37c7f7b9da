//! One operator at a time: an OS lock on a sibling `<state>.lock`, and who holds it.
//!
//! The lock is never on the state file itself, so the file can be replaced at creation on every
//! platform (Windows will not rename over an open file). Holder details go in `<state>.holder`
//! because a locked file cannot be read on Windows. The OS drops the lock when its process
//! dies, so a crashed run never blocks the next operator.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::platform;

/// Who holds a lock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    pub operator: String,
    /// The machine's name.
    pub host: String,
    pub pid: u32,
    /// Since when (RFC 3339).
    pub since: String,
}

impl Holder {
    /// This process, run by `operator`.
    pub fn me(operator: &str) -> Holder {
        Holder {
            operator: operator.to_owned(),
            host: platform::host_name(),
            pid: std::process::id(),
            since: crate::state::now(),
        }
    }
}

/// `<path><suffix>` in the same folder.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Why the lock was not taken.
#[derive(Debug)]
pub(crate) enum LockError {
    /// Another process holds it; who, when its holder file says so.
    Held(Option<Holder>),
    /// The lock or holder file at this path could not be used.
    Io(PathBuf, std::io::Error),
}

/// A lock taken: the OS lock on `<state>.lock`, released when this is dropped, and the
/// `<state>.holder` file that says who has it, removed just before (while the lock still keeps
/// anyone else from writing their own). A process killed outright leaves its holder file behind;
/// it is harmless, as nobody reads it unless the lock is held.
#[derive(Debug)]
pub(crate) struct Lock {
    holder_path: PathBuf,
    // Dropped after `drop` has run: the lock outlives the holder file.
    _file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.holder_path);
    }
}

/// Takes the lock of the state file at `path` for `holder`, or says who has it. The returned
/// [`Lock`] holds it until it is dropped.
pub(crate) fn acquire(path: &Path, holder: &Holder) -> Result<Lock, LockError> {
    let lock_path = sibling(path, ".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(|e| LockError::Io(lock_path.clone(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let held_by = std::fs::read_to_string(sibling(path, ".holder"))
                .ok()
                .and_then(|t| serde_json::from_str::<Holder>(&t).ok());
            return Err(LockError::Held(held_by));
        }
        Err(TryLockError::Error(e)) => return Err(LockError::Io(lock_path, e)),
    }
    // Who holds the lock is for messages only: a folder that no longer takes new files (made
    // read-only behind a run) must not stop the run that holds the lock.
    let holder_path = sibling(path, ".holder");
    let text = serde_json::to_string(holder).unwrap_or_default();
    let _ = std::fs::write(&holder_path, text);
    Ok(Lock {
        holder_path,
        _file: file,
    })
}
