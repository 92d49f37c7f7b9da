//! State file benchmarks (issue 3): one save per transition, fsync included, for runs of
//! several sizes, and loading a state with about 10,000 events (the first thing resume does).
//!
//!   cargo bench --bench state
//!
//! The states are made by real scripted runs of the federation trust rebuild in a temp folder.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use runbook::state::{Event, State};
use runbook::store::{Holder, Store, load};

/// Runs the rebuild scripted with `domains` additional domains, failing the last step so the
/// state stays resumable; returns the state path.
fn make_state(dir: &Path, domains: usize) -> PathBuf {
    let params = dir.join(format!("p{domains}.yaml"));
    let mut text = String::from("additional_domains:\n");
    for i in 0..domains {
        text.push_str(&format!("  - d{i}.contoso.com\n"));
    }
    std::fs::write(&params, text).expect("params");
    let answers = dir.join("a.yaml");
    std::fs::write(
        &answers,
        "default: done\nsteps:\n  harden-federation-trust: {fail: bench stop}\n",
    )
    .expect("answers");
    let state = dir.join(format!("s{domains}.json"));
    let args = [
        "runbook",
        "run",
        "exchange-federation-trust-rebuild",
        "--example",
        "--params",
        params.to_str().expect("utf-8 path"),
        "--answers",
        answers.to_str().expect("utf-8 path"),
        "--state",
        state.to_str().expect("utf-8 path"),
    ];
    let code = runbook::run(args.iter().map(Into::into));
    assert_eq!(code, 4, "the run stops at the failed last step");
    state
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut group = c.benchmark_group("state");
    group.sample_size(50);
    for domains in [2, 100, 1100] {
        let path = make_state(dir.path(), domains);
        let (store, mut state): (Store, State) =
            Store::open(&path, &Holder::me("bench")).expect("open");
        let size = std::fs::metadata(&path).expect("meta").len();
        let name = format!(
            "save/{domains}-domains/{}-events/{}-KiB",
            state.events.len(),
            size / 1024
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                // One transition: an event appended, then the atomic, fsynced save. The event is
                // taken off again so that the state keeps its size across iterations.
                state.events.push(Event {
                    at: runbook::state::now(),
                    operator: "bench".into(),
                    unit: Some("notify-partners".into()),
                    event: "note".into(),
                    detail: None,
                });
                store.save(&state).expect("save");
                state.events.pop();
            })
        });
        drop(store);
        if domains == 1100 {
            let events = load(&path).expect("load").events.len();
            group.bench_function(format!("load/{events}-events"), |b| {
                b.iter(|| load(&path).expect("load"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
