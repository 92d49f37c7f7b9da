//! `runbook validate`: every problem in every runbook named, as `path:line:col`; for a valid
//! runbook, the PowerShell checks of its command templates (errors, [`crate::lint`]), then its
//! authoring smells as `path:line:col: warning: ...` (stderr, still exit 0).

use std::fmt::Write as _;

use crate::error::Error;
use crate::loader;
use crate::templates::Templates;

/// Validates each runbook; returns (stdout text, stderr text, all valid). Runbooks are
/// independent, so several are validated in parallel; the output keeps the order given.
pub(crate) fn validate(names: &[String], templates: &Templates) -> (String, String, bool) {
    let results = parallel_map(names, |name| one(name, templates));
    let (mut out, mut err, mut ok) = (String::new(), String::new(), true);
    for result in results {
        match result {
            Ok((line, warnings)) => {
                out.push_str(&line);
                err.push_str(&warnings);
            }
            Err(line) => {
                ok = false;
                err.push_str(&line);
            }
        }
    }
    (out, err, ok)
}

/// The `ok` line and the warnings of a valid runbook, or its problems.
fn one(name: &str, templates: &Templates) -> Result<(String, String), String> {
    let source = loader::source(name).map_err(|e| format!("{}\n", describe(&e)))?;
    match loader::load_source(&source, &loader::templates_for(name, templates)) {
        Ok(l) => {
            let findings = crate::lint::check(&l.runbook, &l.renderer);
            if !findings.is_empty() {
                return Err(format!(
                    "{}\n",
                    describe(&Error::Invalid {
                        diagnostics: findings
                    })
                ));
            }
            let [r, c, d] = l.runbook.impact_counts();
            let mut line = String::new();
            let _ = writeln!(
                line,
                "{}: ok ({} {}, {} steps: {r} read, {c} change, {d} destructive)",
                l.runbook.source_name,
                l.runbook.id,
                l.runbook.version,
                l.runbook.steps.len()
            );
            let mut warnings = String::new();
            for w in &l.runbook.warnings {
                let _ = writeln!(warnings, "{w}");
            }
            Ok((line, warnings))
        }
        Err(e) => Err(format!("{}\n", describe(&e))),
    }
}

/// `f` over `items` on up to as many threads as there are cores, results in input order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break done };
                        done.push((i, f(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn describe(e: &Error) -> String {
    e.report()
}
