//! The full ROI summary on a generated database of 1,000 cities (about a million cost
//! entries), beside the smallest hand-written SQL that computes the same cost and
//! financing totals per membership on the same file (the floor). Goal: the engine within
//! 1.3× of the floor.
//!
//! The database is generated once into target/bench-data (about a minute) and reused.
//! `CABILDO_BENCH_CITIES` overrides the number of cities.

use std::path::PathBuf;
use std::time::Instant;

use cabildo::roi::{self, RoiQuery};
use cabildo::Store;
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use rusqlite::Connection;

fn database() -> PathBuf {
    let cities: usize = std::env::var("CABILDO_BENCH_CITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("roi-{cities}.cabildo"));
    if !path.exists() {
        let partial = dir.join(format!("roi-{cities}.partial"));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        cabildo::generate::generate(&partial, cities, 42, "MXN", |_| {}).expect("generate");
        std::fs::rename(&partial, &path).expect("rename");
        println!(
            "generated {cities} cities in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    path
}

/// Pure SQL: cost (money converted with the latest rate on or before the date, hours
/// valued by the role rate valid on the date) and financing committed × share, per
/// membership, in the base currency; each entry rounded to the minor unit, as the
/// engine's rule says.
const FLOOR_SQL: &str = include_str!("floor.sql");

fn floor(conn: &Connection, from: &str, to: &str) -> Vec<(String, f64, f64)> {
    let mut stmt = conn.prepare_cached(FLOOR_SQL).expect("floor sql");
    stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn bench_summary(c: &mut Criterion) {
    let path = database();
    let store = Store::open_existing(&path).expect("open");
    let from = NaiveDate::from_ymd_opt(2023, 7, 1).expect("date");
    let to = NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let query = RoiQuery {
        from,
        to,
        currency: "MXN".into(),
        city_id: None,
    };
    // The floor gets the same connection settings as the store.
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;")
        .expect("pragmas");

    // The two compute the same totals: each entry rounded to the minor unit, then summed
    // (financing multiplies in another order: a unit apart at most per attribution).
    let report = roi::compute(&store, &query).expect("report");
    let floor_rows = floor(&conn, &from.to_string(), &to.to_string());
    let by_id: std::collections::HashMap<&str, &roi::RoiRow> =
        report.rows.iter().map(|r| (&*r.membership_id, r)).collect();
    let mut compared = 0;
    for (id, cost, committed) in &floor_rows {
        let row = by_id[id.as_str()];
        assert_eq!(row.cost_total_minor as f64, *cost, "cost of {id}");
        assert!(
            (row.financing_committed_minor as f64 - committed).abs() <= 3.0,
            "financing of {id}: {} vs {committed}",
            row.financing_committed_minor
        );
        compared += 1;
    }
    println!(
        "{} memberships; engine and floor agree on every total ({compared} compared)",
        report.rows.len()
    );

    let mut group = c.benchmark_group("summary");
    group.sample_size(10);
    group.bench_function("engine: full ROI report", |b| {
        b.iter(|| roi::compute(&store, &query).expect("report"))
    });
    group.bench_function("floor: hand-written SQL totals", |b| {
        b.iter(|| floor(&conn, &from.to_string(), &to.to_string()))
    });
    group.finish();
}

criterion_group!(benches, bench_summary);
criterion_main!(benches);
