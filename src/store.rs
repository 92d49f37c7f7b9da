//! Where a state file lives: created atomically, then only ever appended to, by one process at
//! a time.
//!
//! Creation writes a temp file in the same folder, fsyncs it, renames it over the path and
//! fsyncs the folder, so a state file always has its whole header. After that each transition
//! appends its lines with one write and one fsync: the cost of a save does not grow with the
//! run. A crash in the middle of an append leaves a torn last line, which reading drops and
//! opening cuts off. Before every append the file is checked to still be the one this process
//! wrote, so a file deleted or replaced behind the lock is noticed, not written into.

use std::cell::Cell;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::journal;
use crate::lock::{self, Holder};
use crate::platform;

/// A state file this process holds the lock on, open for appending.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    file: File,
    _lock: lock::Lock,
    /// The version of the file this process last read or wrote.
    last: Cell<Stamp>,
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

impl Store {
    /// The state file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Creates the state file at `path` (which must not exist) holding `bytes` (the header and
    /// the first events), and locks it.
    pub fn create(path: &Path, holder: &Holder, bytes: &[u8]) -> Result<Store> {
        if path.exists() {
            return Err(Error::StateExists {
                path: platform::display_path(path),
            });
        }
        let lock = lock(path, holder)?;
        remove_stale_temps(path);
        write_atomic(path, bytes).map_err(|e| Error::StateFile {
            message: format!("cannot create {}: {e}", platform::display_path(path)),
        })?;
        Store::opened(path, lock)
    }

    fn opened(path: &Path, lock: lock::Lock) -> Result<Store> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        Ok(Store {
            path: path.to_owned(),
            file,
            _lock: lock,
            last: Cell::new(stamp(&meta)),
        })
    }

    /// Locks the state file at `path` and returns its bytes, read under the lock. A file
    /// that does not start with a state header this build reads is refused before anything
    /// is written beside it.
    pub fn open(path: &Path, holder: &Holder) -> Result<(Store, Vec<u8>)> {
        check(path, &first_line(path)?)?;
        let lock = lock(path, holder)?;
        remove_stale_temps(path);
        // Read again under the lock: another process may have appended in between.
        let bytes = read_bytes(path)?;
        check(path, &bytes)?;
        Ok((Store::opened(path, lock)?, bytes))
    }

    /// Cuts the file to its first `len` bytes: a torn last line (a crash in the middle of an
    /// append) goes, so the next append starts on a line of its own.
    pub fn cut_to(&self, len: u64) -> Result<()> {
        self.file
            .set_len(len)
            .and_then(|()| self.file.sync_all())
            .map_err(|e| Error::io(&self.path, e))?;
        let meta = self.file.metadata().map_err(|e| Error::io(&self.path, e))?;
        self.last.set(stamp(&meta));
        Ok(())
    }

    /// Appends `bytes` (whole lines) with one write and one fsync. `whole` gives the entire
    /// record with them, to write back if the file was deleted or replaced behind the lock. A
    /// failed append is cut off again, so the file keeps exactly the transitions saved before.
    pub fn append(&self, bytes: &[u8], whole: &dyn Fn() -> Vec<u8>) -> Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(self.deleted(&whole()));
            }
            Ok(m) if stamp(&m) != self.last.get() => return Err(self.replaced(&whole())),
            // Any other problem reaching the file shows up, with its cause, in the write.
            _ => {}
        }
        let before = self.last.get().0;
        let written = (|| {
            let mut f = &self.file;
            f.seek(SeekFrom::Start(before))?;
            f.write_all(bytes)?;
            // Where a full disk fails for real: after the data went in, before it is durable.
            crate::failpoint::check("store-write")?;
            f.sync_data()
        })();
        if let Err(e) = written {
            let _ = self
                .file
                .set_len(before)
                .and_then(|()| self.file.sync_data());
            return Err(Error::StateFile {
                message: format!(
                    "cannot save {}: {e}\nthe state file is intact up to the last recorded step; only \
                     this last change was not recorded\nonce that is fixed, resume with: {}",
                    platform::display_path(&self.path),
                    platform::resume_command(&self.path, None)
                ),
            });
        }
        let meta = self.file.metadata().map_err(|e| Error::io(&self.path, e))?;
        self.last.set(stamp(&meta));
        Ok(())
    }

    /// The state file vanished under the lock (a clean-up script, a mistaken delete): this
    /// process still has every recorded step in memory, so it writes them back and stops.
    fn deleted(&self, whole: &[u8]) -> Error {
        let shown = platform::display_path(&self.path);
        let what = match write_atomic(&self.path, whole) {
            Ok(()) => format!(
                "everything recorded so far was written back to it\nfind out who removed it, then resume with: {}",
                platform::resume_command(&self.path, None)
            ),
            Err(e) => format!("writing it back failed too ({e}): this run's record is lost"),
        };
        Error::StateFile {
            message: format!("{shown} was deleted while this run was using it; {what}"),
        }
    }

    /// Another program wrote the state file while this run held it: keep both, decide later.
    fn replaced(&self, whole: &[u8]) -> Error {
        let shown = platform::display_path(&self.path);
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let copy = lock::sibling(&self.path, &format!(".conflict-{stamp}.json"));
        let what = match write_atomic(&copy, whole) {
            Ok(()) => format!(
                "it was left as it is, and this run's record was saved to {}\ncompare the two, \
                 then resume the one to keep with: {}",
                platform::display_path(&copy),
                platform::resume_command(&copy, None)
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

/// The lock of the state file at `path`, or who holds it.
fn lock(path: &Path, holder: &Holder) -> Result<lock::Lock> {
    lock::acquire(path, holder).map_err(|e| match e {
        lock::LockError::Held(holder) => Error::Locked {
            path: platform::display_path(path),
            holder,
        },
        lock::LockError::Io(path, e) => Error::io(path, e),
    })
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
        let tmp = Path::new(&name)
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("tmp"));
        if name.starts_with(&prefix) && tmp {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Temp file in the same folder, fsync, rename over `path`, fsync the folder. On any error
/// the temp file is removed (by its drop) and `path` is untouched.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = dir_of(path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.as_file_mut().write_all(bytes)?;
    crate::failpoint::check("store-write")?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    platform::sync_dir(dir)
}

/// Reads a state file's bytes without locking it (for `status` and `report`).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

/// What identifies one version of a file: its length, modification time and (where the OS
/// tells) its identity on the device, since a replacement may have the same length and time.
type Stamp = (u64, Option<std::time::SystemTime>, Option<(u64, u64)>);

fn stamp(m: &std::fs::Metadata) -> Stamp {
    (m.len(), m.modified().ok(), platform::file_id(m))
}

/// The file's first line with its newline (all of it when it has none).
fn first_line(path: &Path) -> Result<Vec<u8>> {
    use std::io::BufRead;
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut line = Vec::new();
    std::io::BufReader::with_capacity(256 * 1024, file)
        .read_until(b'\n', &mut line)
        .map_err(|e| Error::io(path, e))?;
    Ok(line)
}

fn check(path: &Path, bytes: &[u8]) -> Result<()> {
    journal::check_header(bytes).map_err(|source| not_a_state(path, source))
}

/// The error for a file at `path` that is not a state file this build reads.
pub fn not_a_state(path: &Path, source: journal::ReadError) -> Error {
    Error::NotAState {
        path: platform::display_path(path),
        source,
    }
}
