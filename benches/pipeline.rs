//! The pipeline in-process (issue 5): load + validate each shipped runbook, and export of the
//! rebuild with 100, 1,000 and 10,000 additional domains into a sink. Whole-process figures,
//! with start-up and peak memory, come from `benches/process.sh`.
//!
//!   cargo bench --bench pipeline

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use runbook::Templates;
use runbook::{ExportFormat as Format, ExportMeta as Meta, export};
use runbook::{ValueInputs, gather_complete};

fn templates() -> Templates {
    Templates {
        dir: None,
        pinned: None,
    }
}

fn load_and_validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("load+validate");
    for id in runbook::shipped_ids() {
        group.bench_function(id, |b| {
            b.iter(|| runbook::load(id, &templates()).expect("a shipped runbook is valid"));
        });
    }
    group.finish();
}

fn export_rebuild(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let loaded =
        runbook::load("exchange-federation-trust-rebuild", &templates()).expect("shipped runbook");
    let meta = Meta {
        generated_at: chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("a time"),
        generator: "runbook bench".into(),
    };
    let mut group = c.benchmark_group("export-rebuild");
    group.sample_size(20);
    for domains in [100usize, 1_000, 10_000] {
        let params = dir.path().join(format!("p{domains}.yaml"));
        let mut text = String::from("additional_domains:\n");
        for i in 0..domains {
            text.push_str(&format!("  - d{i}.contoso.com\n"));
        }
        std::fs::write(&params, text).expect("params");
        let inputs = ValueInputs {
            example: true,
            params_file: Some(params),
            ..Default::default()
        };
        let values = gather_complete(&loaded.runbook, &inputs).expect("values");
        group.throughput(Throughput::Elements(domains as u64));
        group.bench_with_input(BenchmarkId::new("ps1", domains), &values, |b, values| {
            b.iter(|| {
                export(&loaded, values, Format::Ps1, &meta, &mut std::io::sink()).expect("export");
            });
        });
    }
    group.finish();
}

criterion_group!(benches, load_and_validate, export_rebuild);
criterion_main!(benches);
