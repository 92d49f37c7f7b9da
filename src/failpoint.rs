//! Fault injection for tests: `RUNBOOK_FAILPOINTS` makes named operations fail the way a full
//! disk or a read-only folder would, so tests can prove what such a fault does to a run.
//!
//! The syntax is a comma-separated list of `name[=kind][@n]`: `kind` is `error` (the default),
//! `full` (no space left on the device) or `readonly` (permission denied); `@n` fails from the
//! n-th time this process reaches the point onwards (1-based; default 1), so a fault can land in
//! the middle of a run, and stays, like a disk that filled up.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

static HITS: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());

/// One parsed entry of `RUNBOOK_FAILPOINTS`.
#[derive(Debug, PartialEq, Eq)]
struct Spec<'a> {
    name: &'a str,
    kind: &'a str,
    from: u64,
}

fn parse(entry: &str) -> Spec<'_> {
    let entry = entry.trim();
    let (rest, from) = match entry.rsplit_once('@') {
        Some((rest, n)) => (rest, n.trim().parse().unwrap_or(1)),
        None => (entry, 1),
    };
    let (name, kind) = rest.split_once('=').unwrap_or((rest, "error"));
    Spec {
        name: name.trim(),
        kind: kind.trim(),
        from,
    }
}

fn injected(name: &str, kind: &str) -> io::Error {
    match kind {
        "full" => io::Error::from_raw_os_error(crate::platform::DISK_FULL),
        "readonly" => io::Error::from(io::ErrorKind::PermissionDenied),
        _ => io::Error::other(format!("injected failure `{name}` (RUNBOOK_FAILPOINTS)")),
    }
}

/// Fails when `name` is listed in `RUNBOOK_FAILPOINTS` and its count has been reached.
pub(crate) fn check(name: &str) -> io::Result<()> {
    let Ok(list) = std::env::var("RUNBOOK_FAILPOINTS") else {
        return Ok(());
    };
    let Some(spec) = list.split(',').map(parse).find(|s| s.name == name) else {
        return Ok(());
    };
    let hit = {
        let mut hits = HITS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let n = hits.entry(name.to_owned()).or_insert(0);
        *n += 1;
        *n
    };
    if hit >= spec.from {
        return Err(injected(name, spec.kind));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Spec, parse};

    #[test]
    fn entries_parse_with_and_without_kind_and_count() {
        assert_eq!(
            parse("store-write"),
            Spec {
                name: "store-write",
                kind: "error",
                from: 1
            }
        );
        assert_eq!(
            parse(" store-write=full@7 "),
            Spec {
                name: "store-write",
                kind: "full",
                from: 7
            }
        );
        assert_eq!(parse("x@3").from, 3);
    }
}
