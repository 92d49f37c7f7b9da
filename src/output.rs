//! Writing the files a user names with `--output`: atomically where that is possible (a temp
//! file renamed over a regular file), directly where it is not (`/dev/null`, a pipe, `NUL`).

use std::fs::OpenOptions;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::platform;

/// Writes what `render` produces to `path`.
pub(crate) fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    if platform::is_device(path) {
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::io(path, e))?;
        let mut w = BufWriter::new(file);
        render(&mut w)?;
        return w.flush().map_err(|e| Error::io(path, e));
    }
    // A symlink is followed: the file it points to is replaced, the link stays.
    let target: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let fail = |e: std::io::Error| {
        Error::Message(format!(
            "cannot write {}: {}",
            platform::display_path(path),
            describe(&e)
        ))
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".runbook-output-").suffix(".tmp");
    if let Some(p) = platform::output_permissions() {
        builder.permissions(p);
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(fail)?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        render(&mut w)?;
        w.flush().map_err(fail)?;
    }
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The OS error without the temp file's name, which means nothing to the user.
fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "the folder does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let text = e.to_string();
            text.split(" at path ").next().unwrap_or(&text).to_owned()
        }
    }
}
