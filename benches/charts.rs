//! Chart rendering: each of the seven charts for the demo database and for a generated
//! 100-city database, to SVG (report + drawing) and to a 1920×1080 PNG (the same plus
//! rasterising and encoding); the same from an already computed report (`draw-…`); and
//! the ROI report alone, so the drawing's share shows.
//!
//! `cargo bench --bench charts`; `benches/matplotlib_compare.sh` runs the demo's
//! cost-by-category chart against matplotlib.

use std::path::{Path, PathBuf};
use std::time::Duration;

use cabildo::charts::{self, ChartContext, ChartKind, ChartRequest};
use cabildo::format::Lang;
use cabildo::roi::{self, RoiQuery};
use cabildo::Store;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};

const WIDTH: u32 = 1920;
const HEIGHT: u32 = 1080;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chart-bench");
    std::fs::create_dir_all(&dir).expect("bench data directory");
    dir
}

/// The demo, anchored on a fixed date so every run draws the same picture.
fn demo_store() -> (Store, RoiQuery) {
    let path = data_dir().join("demo.cabildo");
    let anchor = date(2025, 6, 30);
    if !path.exists() {
        drop(cabildo::demo::create(&path, anchor).expect("demo database"));
    }
    let store = Store::open_existing(&path).expect("demo opens");
    (store, RoiQuery::last_twelve_months(anchor, "MXN"))
}

/// 100 cities (about 2,000 memberships and 100,000 cost entries), generated once: the
/// generator is deterministic for its seed, so a file left by an earlier run is the same.
fn hundred_cities() -> (Store, RoiQuery) {
    let path = data_dir().join("cities-100-seed-1.cabildo");
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        drop(
            cabildo::generate::generate(&partial, 100, 1, "MXN", |_| {})
                .expect("generated database"),
        );
        std::fs::rename(&partial, &path).expect("generated database in place");
    }
    let store = Store::open_existing(&path).expect("generated database opens");
    let query = RoiQuery {
        from: date(2025, 7, 1),
        to: date(2026, 6, 30),
        currency: "MXN".into(),
        city_id: None,
    };
    (store, query)
}

fn bench_database(c: &mut Criterion, name: &str, store: &Store, query: &RoiQuery) {
    let mut group = c.benchmark_group(format!("charts-{name}"));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("roi-report", |b| {
        b.iter(|| roi::compute(store, query).expect("report"))
    });
    for kind in ChartKind::ALL {
        let request = ChartRequest {
            kind,
            query: query.clone(),
            lang: Lang::Es,
            width: WIDTH,
            height: HEIGHT,
        };
        group.bench_function(format!("svg/{}", kind.code()), |b| {
            b.iter(|| charts::render_svg(store, &request).expect("svg"))
        });
        group.bench_function(format!("png/{}", kind.code()), |b| {
            b.iter(|| {
                let chart = charts::render_svg(store, &request).expect("svg");
                charts::png(&chart.svg, WIDTH, HEIGHT).expect("png")
            })
        });
    }
    // Drawing from an already computed report, as the Charts screen, the presentation
    // mode and the council pack do for the charts of one selection.
    let context = ChartContext::new(store, query, Lang::Es).expect("report");
    for kind in ChartKind::ALL {
        group.bench_function(format!("draw-svg/{}", kind.code()), |b| {
            b.iter(|| context.draw(kind, WIDTH, HEIGHT).expect("svg"))
        });
        group.bench_function(format!("draw-png/{}", kind.code()), |b| {
            b.iter(|| {
                let chart = context.draw(kind, WIDTH, HEIGHT).expect("svg");
                charts::png(&chart.svg, WIDTH, HEIGHT).expect("png")
            })
        });
    }
    // Rasterising alone, from a drawn SVG (what a re-export at another size costs).
    let drawn = charts::render_svg(
        store,
        &ChartRequest {
            kind: ChartKind::CostByCategory,
            query: query.clone(),
            lang: Lang::Es,
            width: WIDTH,
            height: HEIGHT,
        },
    )
    .expect("svg");
    group.bench_function("png-only/cost-by-category", |b| {
        b.iter(|| charts::png(&drawn.svg, WIDTH, HEIGHT).expect("png"))
    });
    group.finish();
}

fn charts_bench(c: &mut Criterion) {
    let (demo, demo_query) = demo_store();
    bench_database(c, "demo", &demo, &demo_query);
    let (cities, cities_query) = hundred_cities();
    bench_database(c, "100-cities", &cities, &cities_query);
}

criterion_group!(benches, charts_bench);
criterion_main!(benches);
