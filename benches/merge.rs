//! Merge benchmark (issue 5): two generated coordinator files of about 200,000
//! records each (170 cities, two seeds, so two offices), one merged into a copy of the
//! other, then the same file merged again.
//!
//! Goals: at least 200,000 records per second on the first merge; the repeat in at
//! most 10 % of the first merge's time. The whole merge is measured: the received
//! file's copy and checks, the plan, the backup, the transaction.
//!
//! The generated files are cached under `target/bench-data` (about 80 MB each), so
//! reruns skip the generation. Run with `cargo bench --bench merge`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use cabildo::exchange::merge::{self, MergeOptions, MergeSummary};
use cabildo::Store;

const CITIES: usize = 170;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// The generated file of a seed, generated once.
fn generated(seed: u64) -> PathBuf {
    let dir = data_dir();
    let path = dir.join(format!("merge-{CITIES}-seed{seed}.cabildo"));
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench-data folder");
        let partial = dir.join(format!("merge-{CITIES}-seed{seed}.partial"));
        let _ = std::fs::remove_file(&partial);
        eprintln!(
            "generating {} ({CITIES} cities, seed {seed})…",
            path.display()
        );
        drop(cabildo::generate::generate(&partial, CITIES, seed, "MXN", |_| {}).expect("generate"));
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

/// A fresh working copy of `source` in its own folder (its backups land there too).
fn working_copy(source: &Path, name: &str) -> Store {
    let dir = data_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("work folder");
    let path = dir.join("local.cabildo");
    std::fs::copy(source, &path).expect("copy");
    Store::open_existing(&path).expect("open")
}

fn merge(store: &mut Store, incoming: &Path, options: &MergeOptions) -> MergeSummary {
    merge::merge_file(store, incoming, options, |_, _| true).expect("merge")
}

fn full_check() -> MergeOptions {
    MergeOptions {
        skip_known_files: false,
        ..MergeOptions::default()
    }
}

fn timed(mut run: impl FnMut() -> Duration, times: usize) -> Duration {
    (0..times).map(|_| run()).min().unwrap_or_default()
}

fn bench_merge(c: &mut Criterion) {
    let local = generated(1);
    let incoming = generated(2);

    // The merged result, once, for the repeat merges; closed before it is copied, so
    // its file holds everything.
    let merged_copy = data_dir().join("merged-source.cabildo");
    let n = {
        let mut store = working_copy(&local, "merged");
        let summary = merge(&mut store, &incoming, &MergeOptions::default());
        assert_eq!(
            summary.totals.new + summary.totals.unchanged,
            summary.totals.incoming
        );
        let _ = std::fs::remove_file(&merged_copy);
        store
            .export_snapshot(&merged_copy)
            .expect("snapshot of the merge");
        summary.totals.incoming as u64
    };

    let mut group = c.benchmark_group("merge");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(15));
    group.throughput(Throughput::Elements(n));
    group.bench_function("first merge (200k records into 200k)", |b| {
        b.iter_batched(
            || working_copy(&local, "first"),
            |mut store| merge(&mut store, &incoming, &MergeOptions::default()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("repeat merge of the same file", |b| {
        b.iter_batched(
            || working_copy(&merged_copy, "repeat"),
            |mut store| merge(&mut store, &incoming, &MergeOptions::default()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("repeat merge, full check (fingerprint not used)", |b| {
        b.iter_batched(
            || working_copy(&merged_copy, "repeat-full"),
            |mut store| merge(&mut store, &incoming, &full_check()),
            BatchSize::PerIteration,
        )
    });
    group.finish();

    // A plain summary against the goals (best of three runs each).
    let first = timed(
        || {
            let mut store = working_copy(&local, "first");
            let started = Instant::now();
            merge(&mut store, &incoming, &MergeOptions::default());
            started.elapsed()
        },
        3,
    );
    let repeat = timed(
        || {
            let mut store = working_copy(&merged_copy, "repeat");
            let started = Instant::now();
            let summary = merge(&mut store, &incoming, &MergeOptions::default());
            assert!(summary.already_merged);
            started.elapsed()
        },
        3,
    );
    let repeat_full = timed(
        || {
            let mut store = working_copy(&merged_copy, "repeat-full");
            let started = Instant::now();
            let summary = merge(&mut store, &incoming, &full_check());
            assert_eq!(summary.totals.changes(), 0);
            started.elapsed()
        },
        3,
    );
    let rate = n as f64 / first.as_secs_f64();
    println!();
    println!("merge benchmark: {n} records received, into a file of as many");
    println!(
        "  first merge:  {:>8.1} ms  {:>9.0} records/s  (goal ≥ 200,000: {})",
        first.as_secs_f64() * 1e3,
        rate,
        if rate >= 200_000.0 { "met" } else { "NOT met" }
    );
    let share = repeat.as_secs_f64() / first.as_secs_f64() * 100.0;
    println!(
        "  repeat merge: {:>8.1} ms  {:>5.1} % of the first  (goal ≤ 10 %: {})",
        repeat.as_secs_f64() * 1e3,
        share,
        if share <= 10.0 { "met" } else { "NOT met" }
    );
    println!(
        "  repeat merge without the fingerprint shortcut: {:.1} ms ({:.1} % of the first)",
        repeat_full.as_secs_f64() * 1e3,
        repeat_full.as_secs_f64() / first.as_secs_f64() * 100.0
    );
    for name in ["first", "repeat", "repeat-full", "merged"] {
        let _ = std::fs::remove_dir_all(data_dir().join(name));
    }
    let _ = std::fs::remove_file(&merged_copy);
}

criterion_group!(benches, bench_merge);
criterion_main!(benches);
