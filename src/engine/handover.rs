//! `runbook handover`: the run goes on from a copy for the next operator, and the original is
//! closed, so a hand-over never leaves two live records of one change.
//!
//! The original is closed first (a `handed-over` event), then the copy is created (the same
//! lines, that event included, and a `received` event). A crash in between leaves the original
//! closed and no copy: handing over again to the same path then writes the copy. The other
//! order could leave two records that both resume.

use std::path::Path;

use super::open::{self, ResumeOptions};
use super::start::place;
use crate::error::{Error, Result};
use crate::journal::Event;
use crate::lock::Holder;
use crate::platform;
use crate::state::now;
use crate::store::Store;
use crate::templates::Templates;

/// Hands the run at `path` over to `to`, who goes on from `new_path`; `holder` is who does it.
/// Returns the command the recipient resumes with.
pub(crate) fn hand_over(
    path: &Path,
    new_path: &Path,
    to: &str,
    holder: &Holder,
    templates: &Templates,
) -> Result<String> {
    let (here, there) = (place(path), place(new_path));
    if here == there {
        return Err(Error::Message(format!(
            "{}: the copy must go somewhere else (another folder, a share)",
            platform::display_path(new_path)
        )));
    }
    // What can be checked before the original is closed is checked first; the copy is still
    // created with `create_new` semantics, and a failure there leaves a hand-over to redo.
    if new_path.exists() {
        return Err(Error::Message(format!(
            "{} already exists: choose another place for the copy",
            platform::display_path(new_path)
        )));
    }
    let folder = std::path::absolute(new_path)
        .ok()
        .and_then(|p| p.parent().map(Path::to_owned));
    if !folder.as_deref().is_some_and(Path::is_dir) {
        return Err(Error::Message(format!(
            "{}: its folder does not exist",
            platform::display_path(new_path)
        )));
    }
    let options = ResumeOptions {
        use_current: false,
        accept_modified: false,
        accept_clock_skew: false,
    };
    let opened = open::open_for_handover(path, &options, templates, holder, &there)?;
    let open::Resumable {
        store,
        mut writer,
        mut bytes,
        state,
        ..
    } = opened;
    if state.handed_over.is_none() {
        writer.entry(
            now(),
            holder.operator.clone(),
            Event::HandedOver {
                to: to.to_owned(),
                path: there.clone(),
            },
        );
        let line = writer.take_pending();
        store.append(line.as_bytes(), &|| {
            [bytes.as_slice(), line.as_bytes()].concat()
        })?;
        bytes.extend_from_slice(line.as_bytes());
    }
    writer.entry(
        now(),
        holder.operator.clone(),
        Event::Received {
            from: here,
            host: holder.host.clone(),
            path: there,
        },
    );
    bytes.extend_from_slice(writer.take_pending().as_bytes());
    drop(Store::create(new_path, holder, &bytes)?);
    // A run record holds no secret, and a hand-over is for someone else to read: the copy is
    // readable by others (`0644`; on Windows it takes the folder's ACL, as a share expects).
    if let Some(p) = platform::output_permissions() {
        let _ = std::fs::set_permissions(new_path, p);
    }
    Ok(platform::resume_command(new_path, Some(to)))
}
