//! `runbook new`: scaffolds a runbook and a template that validate as they are.
//!
//! `<dir>/<id>.yaml` starts with the `yaml-language-server` comment pointing at the published
//! schema (the `runbook.schema.json` committed in the repository, equal to `runbook schema`),
//! and shows each part of the format once: a parameter with `help` and `example`, a read-only
//! check whose command is a template file (`<dir>/templates/<id>-check.ps1`), and a change step
//! with instructions, `verify` and `rollback`. The scaffold is validated in memory before
//! anything is written, and nothing existing is ever overwritten.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::loader;
use crate::source::Source;
use crate::templates::Templates;

/// The published JSON Schema of the runbook format: the committed `runbook.schema.json`.
pub(crate) const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/runbook-dev/runbook/main/runbook.schema.json";

/// The runbook scaffold; `{id}` is replaced by the id.
const RUNBOOK: &str = r"# yaml-language-server: $schema={schema}
#
# A new runbook written by `runbook new`. It validates as it is: replace every TODO with the
# real procedure, then check it (from this folder):
#   runbook validate {id}.yaml
#   runbook graph {id}.yaml
#   runbook export {id}.yaml --example --format markdown
# The format is described in FORMAT.md; the schema above gives your editor
# completion and checks as you type.

id: {id}                       # kebab-case, the file name without .yaml
title: TODO say in one line what this runbook fixes
version: 0.1.0
description: |
  TODO: when to use this runbook (the error text or the symptom), what it does, and what it
  needs: where to run it (which server, which shell) and with which rights.
references:                    # the KB articles and documentation the steps follow
  - https://learn.microsoft.com/powershell/module/exchangepowershell/get-federatedorganizationidentifier

# What `runbook match` looks for in pasted error text (optional):
# matches:
#   errors: ['TODO an error text, as a regular expression']
#   codes: ['TODO']

params:
  # Every parameter needs a realistic `example` (used by --example, the tests and the docs).
  # `prompt` is the question asked when the value is missing; `help` says where to find it.
  # Types: string, bool, int, enum (with values), domain, email, thumbprint, uri, path, and
  # list (with items: one of those).
  - name: primary_domain
    type: domain
    example: contoso.com
    prompt: Primary federated domain
    help: >-
      TODO where the operator finds the value, for example: the domain after FYDIBOHF25SPDLT.
      in the AccountNamespace shown by Get-FederatedOrganizationIdentifier.

steps:
  # Read first: show the state before anything changes. `gate: true` would block the later
  # steps until this check passes (or is overridden with a recorded reason).
  - id: show-current-state
    title: TODO show the current state
    kind: check
    impact: read
    instructions: |
      TODO what the operator looks at, and why it matters before the change.
    # A template file in templates/; every {{ value }} in it renders as one single-quoted
    # PowerShell literal, so never put quotes around it.
    template: {id}-check.ps1
    expect: TODO what the output shows when it is safe to go on.

  # A change: state its impact (read, change or destructive), say what it does, prove it
  # worked with `verify`, and say how to undo it with `rollback`. A destructive step also
  # needs `confirm:` (the parameter whose value the operator types to go on).
  - id: make-the-change
    title: TODO make the change
    kind: command
    impact: change
    instructions: |
      TODO what this changes and why, and what to do if it fails.
    command: |
      Write-Output ('TODO the change for ' + {{ primary_domain }})
    verify:
      command: |
        Write-Output ('TODO a read-only command that proves the change for ' + {{ primary_domain }})
      expect: TODO what the output shows when the change worked.
    rollback:
      instructions: TODO how to undo the change, and when to.
      command: |
        Write-Output ('TODO the command that undoes the change for ' + {{ primary_domain }})
";

/// The check step's template.
const TEMPLATE: &str = r"{# TODO: a read-only PowerShell command that shows the state before the change.
   This is a Tera template: {{ primary_domain }} renders as one single-quoted PowerShell
   literal ('contoso.com'); never put quotes around it. This comment is not rendered. -#}
Get-FederatedOrganizationIdentifier | Format-List AccountNamespace, Domains, Enabled
Write-Output ('Expected primary domain: ' + {{ primary_domain }})
";

/// Whether `id` is a runbook id: the rule `validate` applies to `id:` (lowercase letters,
/// digits and `-`, not starting with `-`).
fn id_ok(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Writes `<dir>/<id>.yaml` and its template; returns what was written and what to run next.
pub(crate) fn new(id: &str, dir: &Path) -> Result<String> {
    if !id_ok(id) {
        return Err(Error::Message(format!(
            "runbook id `{id}` must be kebab-case: lowercase letters, digits and `-` (for example `adfs-token-signing-rollover`)"
        )));
    }
    let runbook_path = dir.join(format!("{id}.yaml"));
    let template_name = format!("{id}-check.ps1");
    let templates_dir = dir.join("templates");
    let template_path = templates_dir.join(&template_name);
    for path in [&runbook_path, &template_path] {
        if path.exists() {
            return Err(Error::Message(format!(
                "{}: already exists; `runbook new` never overwrites a file (choose another id or --dir)",
                path.display()
            )));
        }
    }
    let runbook = RUNBOOK.replace("{schema}", SCHEMA_URL).replace("{id}", id);
    // The scaffold must validate as written: check it before anything reaches the disk.
    let pinned = BTreeMap::from([(template_name.clone(), TEMPLATE.to_owned())]);
    let source = Source {
        name: runbook_path.display().to_string(),
        text: runbook.clone(),
    };
    let templates = Templates {
        dir: None,
        pinned: Some(pinned),
    };
    loader::load_source(&source, &templates)?;
    std::fs::create_dir_all(&templates_dir).map_err(|e| Error::io(&templates_dir, e))?;
    write_new(&runbook_path, &runbook)?;
    if let Err(e) = write_new(&template_path, TEMPLATE) {
        // Leave nothing half-made behind: the runbook alone would not validate.
        let _ = std::fs::remove_file(&runbook_path);
        return Err(e);
    }
    // The loader finds templates/ beside a runbook given as a path: no --templates needed.
    let r = shell_word(&runbook_path);
    Ok(format!(
        "wrote {}\n\
         wrote {}\n\
         next:\n  \
         runbook validate {r}\n  \
         runbook graph {r}\n  \
         runbook export {r} --example --format markdown\n",
        runbook_path.display(),
        template_path.display()
    ))
}

/// `path` as one word for a shell: double-quoted when it holds anything but plain characters.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/\\._-:".contains(c);
    if text.chars().all(plain) {
        text
    } else {
        format!("\"{text}\"")
    }
}

/// Creates `path`, failing if it exists (also when it appeared since the check above).
fn write_new(path: &PathBuf, text: &str) -> Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::id_ok;

    #[test]
    fn ids_follow_the_runbook_id_rule() {
        for good in ["a", "exchange-federation-1007-triage", "9-lives", "a-"] {
            assert!(id_ok(good), "{good}");
        }
        for bad in ["", "-a", "A", "a_b", "a b", "a/b", "../x", "é", "a.yaml"] {
            assert!(!id_ok(bad), "{bad}");
        }
    }
}
