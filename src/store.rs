//! Where a state file lives: atomic saves, and one run at a time.
//!
//! Saving writes a temp file in the same folder, fsyncs it, renames it over the state file and
//! fsyncs the folder, so a kill at any moment leaves the previous or the new complete file. The
//! lock is an OS lock on a sibling `<state>.lock`, never on the state file itself: Windows will not
//! rename over a file that is open (issue 7), and the sibling works on both. Holder details go
//! in `<state>.holder` because a locked file cannot be read on Windows. The OS drops the lock when
//! its process dies, so a crashed run never blocks the next operator.

use std::cell::Cell;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::platform;
use crate::state::{FORMAT, State};

/// Who holds a lock.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Holder {
    /// Operator name.
    pub operator: String,
    /// Machine.
    pub host: String,
    /// Process id.
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

/// A state file this process holds the lock on.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    _lock: File,
    /// The version of the file this process last read or wrote: a save first checks the file is
    /// still that one, so a file deleted or replaced behind the lock is noticed, not overwritten.
    last: Cell<Option<Stamp>>,
}

/// The command that resumes the state file at `path`, quoted when it has spaces.
pub fn resume_command(path: &Path) -> String {
    let shown = platform::display_path(path);
    if shown.contains(' ') {
        format!("runbook resume \"{shown}\"")
    } else {
        format!("runbook resume {shown}")
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl Store {
    /// Creates a new state file at `path` (which must not exist) and locks it.
    pub fn create(path: &Path, state: &State, holder: &Holder) -> Result<Store> {
        if path.exists() {
            return Err(Error::Message(format!(
                "{} already exists; resume it with `runbook resume {}` or choose another --state",
                platform::display_path(path),
                platform::display_path(path)
            )));
        }
        let store = Store::lock(path, holder)?;
        store.save(state)?;
        Ok(store)
    }

    /// Locks the existing state file at `path` and loads it. A corrupt or foreign file is
    /// refused before anything is created beside it.
    pub fn open(path: &Path, holder: &Holder) -> Result<(Store, State)> {
        let (state, seen) = read(path)?;
        let store = Store::lock(path, holder)?;
        // Another process may have saved between the read and the lock: read again if so.
        let now = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if stamp(&now) == seen {
            store.last.set(Some(seen));
            return Ok((store, state));
        }
        let (state, seen) = read(path)?;
        store.last.set(Some(seen));
        Ok((store, state))
    }

    fn lock(path: &Path, holder: &Holder) -> Result<Store> {
        let lock_path = sibling(path, ".lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let held_by = std::fs::read_to_string(sibling(path, ".holder"))
                    .ok()
                    .and_then(|t| serde_json::from_str::<Holder>(&t).ok());
                return Err(Error::Locked {
                    path: platform::display_path(path),
                    holder: held_by,
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
        }
        remove_stale_temps(path);
        let holder_path = sibling(path, ".holder");
        let text = serde_json::to_string(holder).unwrap_or_default();
        std::fs::write(&holder_path, text).map_err(|e| Error::io(&holder_path, e))?;
        Ok(Store {
            path: path.to_owned(),
            _lock: file,
            last: Cell::new(None),
        })
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `state` atomically and durably. Compact JSON: a run over a thousand domains
    /// saves thousands of times. A failed save leaves the last saved version intact.
    pub fn save(&self, state: &State) -> Result<()> {
        if let Some(last) = self.last.get() {
            match std::fs::metadata(&self.path) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(self.deleted(state));
                }
                Ok(m) if stamp(&m) != last => return Err(self.replaced(state)),
                // Any other problem reaching the file shows up, with its cause, in the write.
                _ => {}
            }
        }
        write_state(&self.path, state).map_err(|e| Error::StateFile {
            message: format!(
                "cannot save {}: {e}\nthe state file is intact up to the last recorded step; only \
                     this last change was not recorded\nonce that is fixed, resume with: {}",
                platform::display_path(&self.path),
                resume_command(&self.path)
            ),
        })?;
        self.last
            .set(std::fs::metadata(&self.path).ok().map(|m| stamp(&m)));
        Ok(())
    }

    /// The state file vanished under the lock (a clean-up script, a mistaken delete): this
    /// process still has every recorded step in memory, so it writes them back and stops.
    fn deleted(&self, state: &State) -> Error {
        let shown = platform::display_path(&self.path);
        let written = write_state(&self.path, state);
        let what = match written {
            Ok(()) => {
                self.last
                    .set(std::fs::metadata(&self.path).ok().map(|m| stamp(&m)));
                format!(
                    "everything recorded so far was written back to it\nfind out who removed it, then resume with: {}",
                    resume_command(&self.path)
                )
            }
            Err(e) => format!("writing it back failed too ({e}): this run's record is lost"),
        };
        Error::StateFile {
            message: format!("{shown} was deleted while this run was using it; {what}"),
        }
    }

    /// Another program wrote the state file while this run held it: keep both, decide later.
    fn replaced(&self, state: &State) -> Error {
        let shown = platform::display_path(&self.path);
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let copy = sibling(&self.path, &format!(".conflict-{stamp}.json"));
        let saved = write_state(&copy, state);
        let what = match saved {
            Ok(()) => format!(
                "it was left as it is, and this run's record was saved to {}\ncompare the two, \
                 then resume the one to keep with: {}",
                platform::display_path(&copy),
                resume_command(&copy)
            ),
            Err(e) => {
                format!("it was left as it is; saving this run's record beside it failed ({e})")
            }
        };
        Error::StateFile {
            message: format!(
                "{shown} was changed by another program while this run was using it; {what}"
            ),
        }
    }
}

/// Temp files of one state file: `.<name>.<random>.tmp`, so stale ones can be told apart.
fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Removes temp files a killed process left behind; only called while holding the lock, so
/// no other process is writing one.
fn remove_stale_temps(path: &Path) {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(dir_of(path)) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A state as saved: compact JSON (a run over a thousand domains saves thousands of times).
fn write_state(path: &Path, state: &State) -> std::io::Result<()> {
    write_atomic_with(path, |w| {
        serde_json::to_writer(w, state).map_err(std::io::Error::other)
    })
}

/// Temp file in the same folder, fsync, rename over `path`, fsync the folder.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes)).map_err(|e| {
        Error::Message(format!(
            "cannot save {}: {e}; the previous version is intact",
            platform::display_path(path)
        ))
    })
}

/// Like [`write_atomic`], with the content written by `fill` through a buffer. On any error
/// the temp file is removed (by its drop) and `path` is untouched.
fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = dir_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    // Where a full disk fails for real: after the data went in, before it is durable.
    crate::failpoint::check("store-write")?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    platform::sync_dir(dir)
}

/// Reads and checks a state file without locking it (for `status` and `report`).
pub fn load(path: &Path) -> Result<State> {
    read(path).map(|(state, _)| state)
}

/// What identifies one version of a file: its length, modification time and (where the OS
/// tells) its identity on the device, since a replacement may have the same length and time.
type Stamp = (u64, Option<std::time::SystemTime>, Option<(u64, u64)>);

fn stamp(m: &std::fs::Metadata) -> Stamp {
    (m.len(), m.modified().ok(), platform::file_id(m))
}

fn read(path: &Path) -> Result<(State, Stamp)> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::io::Read::read_to_end(&mut file, &mut bytes).map_err(|e| Error::io(path, e))?;
    Ok((parse(path, &bytes)?, stamp(&meta)))
}

/// Only the `format` field: read first, so a newer format gets its own message.
#[derive(Deserialize)]
struct FormatOnly {
    format: Option<u64>,
}

/// Checks and parses the bytes of a state file; `path` only names it in messages.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<State> {
    let shown = platform::display_path(path);
    // Fast path: a well-formed state of this format parses straight into its types.
    if let Ok(state) = serde_json::from_slice::<State>(bytes)
        && state.format == FORMAT
    {
        return Ok(state);
    }
    let header: FormatOnly = serde_json::from_slice(bytes).map_err(|e| {
        let what = if e.is_data() {
            "it is not a JSON object"
        } else {
            "it is not valid JSON"
        };
        Error::Message(format!("{shown}: not a runbook state file: {what} ({e})"))
    })?;
    match header.format {
        Some(f) if f == u64::from(FORMAT) => {}
        Some(f) => {
            return Err(Error::Message(format!(
                "{shown}: state format {f} is unknown; this runbook {} reads format {FORMAT}",
                env!("CARGO_PKG_VERSION")
            )));
        }
        None => {
            return Err(Error::Message(format!(
                "{shown}: not a runbook state file (no `format` field)"
            )));
        }
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Error::Message(format!("{shown}: the state file is damaged: {e}")))
}
