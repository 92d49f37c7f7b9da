//! Finds runbooks: shipped (embedded) by default, from disk when a path is given, and reads them
//! into validated runbooks, with their templates looked up as [`Templates`] says.

use std::path::Path;

use crate::embedded;
use crate::error::{Error, Result};
use crate::raw::RawRunbook;
use crate::render::Renderer;
use crate::runbook::Runbook;
use crate::source::{Diagnostic, Source};
use crate::templates::Templates;
use crate::{validate, yaml};

/// A validated runbook with its compiled templates.
pub struct Loaded {
    /// The runbook.
    pub runbook: Runbook,
    /// Its templates.
    pub renderer: Renderer,
}

/// The ids of the shipped runbooks.
pub fn shipped_ids() -> Vec<&'static str> {
    embedded::RUNBOOKS
        .iter()
        .filter_map(|(name, _)| name.strip_suffix(".yaml"))
        .collect()
}

fn is_path(name: &str) -> bool {
    // Any case: `Fix.YAML` is a file on Windows, not a runbook id.
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        || name.contains(['/', '\\'])
        || Path::new(name).is_file()
}

/// The templates for `name`: a runbook given as a path, without `--templates`, finds its own
/// in the `templates/` folder beside it (the layout `runbook new` writes), then the shipped ones.
pub(crate) fn templates_for(name: &str, templates: &Templates) -> Templates {
    if templates.dir.is_some() || templates.pinned.is_some() || !is_path(name) {
        return templates.clone();
    }
    let beside = Path::new(name)
        .parent()
        .map(|p| p.join("templates"))
        .filter(|d| d.is_dir());
    Templates {
        dir: beside,
        pinned: None,
    }
}

/// Reads `name`: a shipped id, or a path to a `.yaml` file.
pub(crate) fn source(name: &str) -> Result<Source> {
    let path = Path::new(name);
    if is_path(name) {
        return read_source(path);
    }
    match embedded::RUNBOOKS
        .iter()
        .find(|(n, _)| n.strip_suffix(".yaml") == Some(name))
    {
        Some((n, text)) => Ok(Source {
            name: format!("runbooks/{n}"),
            text: (*text).to_owned(),
        }),
        None => Err(Error::UnknownRunbook {
            name: name.to_owned(),
            known: shipped_ids().join(", "),
        }),
    }
}

/// Reads a text file as a [`Source`], refusing directories and invalid UTF-8 clearly.
pub fn read_source(path: &Path) -> Result<Source> {
    let refuse = |message: String| Error::Invalid {
        diagnostics: vec![Diagnostic::whole_file(path.display().to_string(), message)],
    };
    if path.is_dir() {
        return Err(refuse("is a directory, not a file".to_owned()));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    // Windows editors (and PowerShell 5.1's `Out-File`) save UTF-16 with a byte order mark.
    if looks_like_utf16(&bytes) {
        return Err(refuse(
            "is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8".to_owned(),
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        refuse(format!(
            "is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let text = text
        .strip_prefix('\u{FEFF}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok(Source {
        name: path.display().to_string(),
        text,
    })
}

/// Whether `bytes` start with a UTF-16 byte order mark and decode as UTF-16 after it.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let (Some(bom), true) = (bytes.get(..2), bytes.len().is_multiple_of(2)) else {
        return false;
    };
    let units = bytes[2..].chunks_exact(2).map(|p| match bom {
        [0xFF, 0xFE] => u16::from_le_bytes([p[0], p[1]]),
        _ => u16::from_be_bytes([p[0], p[1]]),
    });
    matches!(bom, [0xFF, 0xFE] | [0xFE, 0xFF]) && char::decode_utf16(units).all(|c| c.is_ok())
}

/// Parses and validates a source.
pub fn load_source(source: &Source, templates: &Templates) -> Result<Loaded> {
    let raw: RawRunbook = yaml::runbook(source).map_err(|d| Error::Invalid {
        diagnostics: vec![d],
    })?;
    let (runbook, renderer) = validate::validate(source, raw, templates)
        .map_err(|diagnostics| Error::Invalid { diagnostics })?;
    Ok(Loaded { runbook, renderer })
}

/// Reads, parses and validates `name`.
pub fn load(name: &str, templates: &Templates) -> Result<Loaded> {
    load_source(&source(name)?, &templates_for(name, templates))
}

#[cfg(test)]
mod tests {
    use super::looks_like_utf16;

    #[test]
    fn utf16_is_recognised_by_its_byte_order_mark() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id: a\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("id: a\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert!(looks_like_utf16(&le) && looks_like_utf16(&be));
        // Odd length, or an unpaired surrogate: junk, not UTF-16.
        assert!(!looks_like_utf16(&[0xFF, 0xFE, 0x00, 0x81, 0x10]));
        assert!(!looks_like_utf16(&[0xFF, 0xFE, 0x00, 0xD8]));
        assert!(!looks_like_utf16(b"id: a\n"));
    }
}
