//! Templates: each compiles, and reads only the variables that exist where it is used.

use std::path::Path;

use crate::raw::{RawStep, Span};
use crate::render::is_powershell;
use crate::runbook::Template;
use crate::suggest;
use crate::templates::Templates;
use crate::yaml::position;

use super::Validator;

impl Validator<'_> {
    pub(super) fn template(
        &mut self,
        step: &RawStep,
        field: &str,
        inline: Option<&Span<String>>,
        file: Option<&Span<String>>,
        templates: &Templates,
        ps1: bool,
    ) -> Option<Template> {
        let id = &step.id.value;
        match (inline, file) {
            (Some(c), Some(_)) => {
                self.at(
                    c,
                    format!("step `{id}` has both an inline {field} and `template`; keep one"),
                );
                None
            }
            (Some(c), None) => {
                let ext = if ps1 { "ps1" } else { "txt" };
                let name = format!("{id}/{field}.{ext}");
                self.template_spans.insert(name.clone(), position(c));
                self.texts.push((name.clone(), c.value.clone()));
                Some(Template {
                    name,
                    origin: format!("step `{id}` {field}"),
                    inline_at: Some(position(c)),
                })
            }
            (None, Some(f)) => {
                let file_name = &f.value;
                let ok_ext = if ps1 {
                    is_powershell(file_name)
                } else {
                    Path::new(file_name).extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md")
                    })
                };
                if !ok_ext {
                    let want = if ps1 {
                        "`.ps1` (PowerShell, quoted)"
                    } else {
                        "`.txt` or `.md` (a message)"
                    };
                    self.at(f, format!("template `{file_name}` must end in {want}"));
                    return None;
                }
                let Some((origin, text)) = templates.get(file_name) else {
                    let known = templates.names();
                    let hint = suggest::hint(file_name, known.iter().map(String::as_str));
                    self.at(f, format!("unknown template `{file_name}`{hint}"));
                    return None;
                };
                self.files.insert(file_name.clone(), text.clone());
                let name = format!("{id}/{field}/{file_name}");
                self.template_spans.insert(name.clone(), position(f));
                self.texts.push((name.clone(), text));
                Some(Template {
                    name,
                    origin,
                    inline_at: None,
                })
            }
            (None, None) => None,
        }
    }
}
