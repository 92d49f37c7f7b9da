//! State file benchmarks: one append per transition (fsync included) to records of about 100
//! and about 10,000 events, and reading a record of about 10,000 events back into a run's
//! state (the first thing resume does). Targets: append <= 2 ms median at both sizes; read
//! and fold well under the 30 ms a whole resume may take (`benches/journal.sh`).
//!
//!   cargo bench --bench state
//!
//! The records are made by real scripted runs of the federation trust rebuild in a temp folder.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use runbook::State;
use runbook::testing::{Event, Holder, Store, Writer, now, read_bytes};

/// Runs the rebuild scripted with `domains` additional domains, failing the last step so the
/// record stays resumable; returns the state path.
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
    for domains in [2, 750] {
        let path = make_state(dir.path(), domains);
        let (store, bytes) = Store::open(&path, &Holder::me("bench")).expect("open");
        let (_, journal) = State::read(&bytes, false).expect("read");
        let events = journal.last_seq;
        let mut writer = Writer::continuing(&journal);
        group.bench_function(format!("append/{events}-events"), |b| {
            b.iter(|| {
                // One transition: a note on a unit, one line, one write, one fsync.
                writer.entry(
                    now(),
                    "bench".into(),
                    Event::Note {
                        unit: "notify-partners".into(),
                        text: "bench".into(),
                    },
                );
                let lines = writer.take_pending();
                store.append(lines.as_bytes(), &Vec::new).expect("append");
            });
        });
        drop(store);
        if domains == 750 {
            let path = make_state(dir.path(), 751);
            let bytes = read_bytes(&path).expect("read");
            let n = State::read(&bytes, false).expect("read").1.last_seq;
            group.bench_function(format!("read-and-fold/{n}-events"), |b| {
                b.iter(|| {
                    let bytes = read_bytes(&path).expect("read");
                    State::read(&bytes, false).expect("read")
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
