//! The spreadsheet import (issue 12) of a 100,000-row cost sheet into the demo
//! database: the preview (nothing written) and the import (one transaction, on a
//! fresh copy each time). Goals: preview under 1 s, import under 10 s.

use std::path::{Path, PathBuf};

use cabildo::format::Lang;
use cabildo::import::{self, ImportRequest, Sheet};
use cabildo::{RecordKind, Store};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

const ROWS: usize = 100_000;

/// A cost sheet as an office writes one: Spanish headers, day-first dates, decimal
/// commas, the demo's networks by acronym.
fn write_sheet(path: &Path) {
    let mut out = csv::Writer::from_path(path).expect("csv");
    out.write_record(["Fecha", "Red", "Concepto", "Categoría", "Importe", "Moneda"])
        .expect("header");
    let networks = ["C40", "ICLEI", "UCLG", "Mercociudades"];
    let categories = ["Cuotas", "Viajes", "Eventos"];
    for n in 0..ROWS {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        out.write_record([
            format!("{day:02}/{month:02}/2025"),
            networks[n % networks.len()].to_string(),
            format!("Gasto {n}"),
            categories[n % categories.len()].to_string(),
            format!("{},{:02}", 100 + n % 9000, n % 100),
            "MXN".to_string(),
        ])
        .expect("row");
    }
    out.flush().expect("flush");
}

fn request() -> ImportRequest {
    ImportRequest {
        kind: RecordKind::CostEntry,
        sheet: None,
        mapping: Default::default(),
        values: Default::default(),
        lang: Lang::Es,
        source: None,
        skip_duplicates: false,
    }
}

fn setup(dir: &Path) -> (PathBuf, Vec<Sheet>) {
    let db = dir.join("demo.cabildo");
    let anchor = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    drop(cabildo::demo::create(&db, anchor).expect("demo"));
    let sheet = dir.join("costos.csv");
    write_sheet(&sheet);
    (db, import::read_sheets(&sheet).expect("read"))
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("dir");
    let (db, sheets) = setup(dir.path());
    let mut group = c.benchmark_group("import_100k_costs");
    group.sample_size(10);
    group.bench_function("preview", |b| {
        let mut store = Store::open_existing(&db).expect("open");
        b.iter(|| {
            let p = import::run(&mut store, &sheets, &request(), false, false).expect("preview");
            assert_eq!(p.data_rows, ROWS);
        })
    });
    group.bench_function("import", |b| {
        b.iter_batched(
            || {
                let copy = dir.path().join("copy.cabildo");
                std::fs::copy(&db, &copy).expect("copy");
                Store::open_existing(&copy).expect("open")
            },
            |mut store| {
                let p = import::run(&mut store, &sheets, &request(), true, true).expect("import");
                assert!(p.applied);
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
