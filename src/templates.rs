//! Where `template:` names are looked up: a `--templates DIR` (or the `templates/` folder beside a
//! runbook given as a path) over the shipped set, or only the exact texts a run's state file
//! pinned. Below both the loader, which chooses the lookup, and the validator, which reads the
//! texts.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::embedded;

/// Where `template:` names are looked up.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// A directory that overrides the shipped templates.
    pub dir: Option<PathBuf>,
    /// The exact templates a run started with (from its state file): when set, nothing else.
    pub pinned: Option<BTreeMap<String, String>>,
}

impl Templates {
    /// The template's origin (for messages) and text: the directory first, then the shipped set.
    pub fn get(&self, name: &str) -> Option<(String, String)> {
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return None;
        }
        if let Some(pinned) = &self.pinned {
            return pinned
                .get(name)
                .map(|t| (format!("templates/{name} (from the state file)"), t.clone()));
        }
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Some((path.display().to_string(), text));
            }
        }
        embedded::TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, t)| (format!("templates/{n}"), (*t).to_owned()))
    }

    /// Every template name available.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = embedded::TEMPLATES
            .iter()
            .map(|(n, _)| (*n).to_owned())
            .collect();
        if let Some(Ok(entries)) = self.dir.as_ref().map(std::fs::read_dir) {
            names.extend(
                entries
                    .filter_map(std::result::Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned()),
            );
        }
        names.sort();
        names.dedup();
        names
    }
}
