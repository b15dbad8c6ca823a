//! One phase of the coordinator-scale benchmark (issue 13), run by
//! `scripts/bench-scale.sh`, which starts each phase as its own process so that each
//! figure comes with its own peak memory. Every figure is printed as
//! `FIGURE <name> <seconds>` and each phase ends with `PEAK <phase> <MB>` (the
//! process's VmHWM), which the script gathers into one table.
//!
//! Phases:
//! - `report FILE`: opening the file as the app does (the cost index kept), the default
//!   report (last 12 months, all cities, the office currency), then later reports
//!   (the previous period, another currency, one city); each later report is checked
//!   against the engine without the index, so the figures stay today's.
//! - `floor FILE`: the plainest SQLite aggregate of the same rows (benches/floor.sql).
//! - `list FILE`: the Costs screen's first page, a re-sort and a filter, through the core.
//! - `list_kept FILE`: the same and a network, a city and a period, once the engine's
//!   indexes are built (as in the app after its first report): totals from the cost index.
//! - `search FILE`: the global search (its index built first when missing).
//! - `charts FILE`: the dashboard's charts of the default report, all cities, as the
//!   app draws them (the report's indexes kept), each chart timed on its own.
//! - `merge LOCAL INCOMING WORKDIR`: LOCAL copied into WORKDIR, INCOMING merged into
//!   it (copy of the received file, checks, plan, backup, transaction), then merged
//!   again.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cabildo::charts::{ChartContext, ChartKind, DEFAULT_HEIGHT, DEFAULT_WIDTH};
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::format::Lang;
use cabildo::kinds::RecordKind;
use cabildo::roi::{self, RoiQuery};
use cabildo::store::page::{ListFilter, ListQuery, ListRange, ListSort};
use cabildo::Store;
use chrono::Months;

/// The peak resident memory of this process, in MB (Linux's VmHWM).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

fn figure(name: &str, started: Instant, detail: &str) {
    println!(
        "FIGURE {name} {:.4} {detail}",
        started.elapsed().as_secs_f64()
    );
}

/// The same totals from the engine with and without the kept cost index.
fn same_report(a: &roi::RoiReport, b: &roi::RoiReport) {
    assert_eq!(a.rows.len(), b.rows.len(), "rows");
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_eq!(x.membership_id, y.membership_id);
        assert_eq!(
            x.cost_total_minor, y.cost_total_minor,
            "{}",
            x.membership_id
        );
        assert_eq!(
            x.financing_committed_minor, y.financing_committed_minor,
            "{}",
            x.membership_id
        );
    }
}

fn report(path: &Path) {
    let started = Instant::now();
    let store = Store::open_existing(path).expect("open");
    store.keep_report_indexes(true);
    let today = chrono::Utc::now().date_naive();
    let currency = store.office().reporting_currency.clone();
    let default = RoiQuery::last_twelve_months(today, &currency);
    let first = roi::compute(&store, &default).expect("report");
    figure(
        "report.first",
        started,
        &format!("open and the default report, {} rows", first.rows.len()),
    );

    let earlier = RoiQuery {
        from: default
            .from
            .checked_sub_months(Months::new(12))
            .expect("date"),
        to: default
            .to
            .checked_sub_months(Months::new(12))
            .expect("date"),
        ..default.clone()
    };
    let other = if currency == "USD" { "EUR" } else { "USD" };
    let in_other = RoiQuery {
        currency: other.into(),
        ..default.clone()
    };
    let cities: Vec<cabildo::model::City> = store.list(None).expect("cities");
    let city = cities.get(cities.len() / 2).map(|c| c.meta.id.clone());
    let one_city = RoiQuery {
        city_id: city,
        ..default.clone()
    };
    let later = [
        ("report.later.period", "the previous 12 months", &earlier),
        ("report.later.currency", "in another currency", &in_other),
        ("report.later.city", "one city", &one_city),
    ];
    let mut answers = Vec::new();
    for (name, detail, query) in later {
        let started = Instant::now();
        let r = roi::compute(&store, query).expect("report");
        figure(name, started, &format!("{detail}, {} rows", r.rows.len()));
        answers.push(r);
    }
    // The same reports without the index: the figures must not move.
    store.keep_report_indexes(false);
    let started = Instant::now();
    let scanned = roi::compute(&store, &default).expect("report");
    figure(
        "report.without_index",
        started,
        "the default report by a scan",
    );
    same_report(&first, &scanned);
    for ((_, _, query), answer) in later.iter().zip(&answers) {
        same_report(answer, &roi::compute(&store, query).expect("report"));
    }
    println!("CHECK every report equals the engine's answer without the index");
}

fn floor(path: &Path) {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open");
    conn.execute_batch("PRAGMA cache_size = -32768; PRAGMA mmap_size = 268435456;")
        .expect("pragmas");
    let today = chrono::Utc::now().date_naive();
    let q = RoiQuery::last_twelve_months(today, "MXN");
    let started = Instant::now();
    let mut stmt = conn
        .prepare(include_str!("../benches/floor.sql"))
        .expect("floor sql");
    let rows = stmt
        .query_map([q.from.to_string(), q.to.to_string()], |r| {
            r.get::<_, f64>(1)
        })
        .expect("query")
        .count();
    figure(
        "floor",
        started,
        &format!("plain SQL totals of the default report, {rows} rows"),
    );
}

fn sorted(field: &str, desc: bool) -> ListQuery {
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.sort = Some(ListSort {
        field: field.into(),
        desc,
    });
    q
}

/// The Costs screen as a user walks it: the first page, a re-sort, a filter, and (with
/// `more`) a network, a city and a period; then the page in the middle.
fn walk_costs(store: &Store, phase: &str, more: bool) {
    let mut pages = vec![
        (
            "first_page",
            "Costs, newest first".to_string(),
            sorted("spent_on", true),
        ),
        (
            "resort",
            "Costs by amount, largest first".to_string(),
            sorted("amount_minor", true),
        ),
    ];
    let filtered = |field: &str, value: &str| {
        let mut query = sorted("spent_on", true);
        query.filters = vec![ListFilter {
            field: field.into(),
            value: value.into(),
        }];
        query
    };
    pages.push((
        "filter",
        "Costs filtered to travel".to_string(),
        filtered("category", "travel"),
    ));
    if more {
        let first: Vec<cabildo::model::Membership> = store.list(None).expect("memberships");
        let member = first.first().expect("a membership");
        pages.push((
            "network",
            "Costs of one network".to_string(),
            filtered("network_id", &member.network_id),
        ));
        let mut city = sorted("spent_on", true);
        city.city_id = Some(member.city_id.clone());
        pages.push(("city", "Costs of one city".to_string(), city));
        let today = chrono::Utc::now().date_naive();
        let mut period = filtered("category", "dues");
        period.range = Some(ListRange {
            field: "spent_on".into(),
            from: today.checked_sub_months(Months::new(12)),
            to: Some(today),
        });
        pages.push(("period", "Dues of the last 12 months".to_string(), period));
    }
    let mut total = 0;
    for (name, detail, query) in pages {
        let started = Instant::now();
        let page = store.list_page(&query).expect("page");
        figure(
            &format!("{phase}.{name}"),
            started,
            &format!("{detail}: {} of {}", page.rows.len(), page.total),
        );
        total = total.max(page.total);
    }
    let mut middle = sorted("spent_on", true);
    middle.offset = total / 2;
    let started = Instant::now();
    let page = store.list_page(&middle).expect("page");
    figure(
        &format!("{phase}.middle_page"),
        started,
        &format!(
            "Costs, the page in the middle: {} from row {}",
            page.rows.len(),
            middle.offset
        ),
    );
}

fn list(path: &Path) {
    let started = Instant::now();
    let store = Store::open_read_only(path).expect("open");
    figure("list.open", started, "opening the file");
    walk_costs(&store, "list", false);
}

/// The Costs screen in the app once the engine's indexes are built (by the first
/// report, or here directly): the totals come from the kept cost index.
fn list_kept(path: &Path) {
    let store = Store::open_read_only(path).expect("open");
    store.keep_report_indexes(true);
    let started = Instant::now();
    let entries = store.prepare_report_indexes().expect("indexes");
    figure(
        "list_kept.indexes",
        started,
        &format!(
            "the engine's indexes, {} cost entries",
            entries.unwrap_or(0)
        ),
    );
    walk_costs(&store, "list_kept", true);
}

fn search(path: &Path) {
    let store = Store::open_existing(path).expect("open");
    // The first search builds the index beside the file when it is missing or stale.
    for (name, text) in [
        ("search.first", "synthetic city 12"),
        ("search.city", "city 12345"),
        ("search.words", "synthetic meeting"),
        ("search.common", "synthetic"),
    ] {
        let started = Instant::now();
        let found = store.search(text, 10).expect("search");
        let total: u64 = found.groups.iter().map(|g| g.total).sum();
        figure(name, started, &format!("\"{text}\": {total} found"));
    }
}

fn charts(path: &Path) {
    let store = Store::open_existing(path).expect("open");
    store.keep_report_indexes(true);
    let today = chrono::Utc::now().date_naive();
    let currency = store.office().reporting_currency.clone();
    let query = RoiQuery::last_twelve_months(today, &currency);
    let started = Instant::now();
    let ctx = ChartContext::new(&store, &query, Lang::En).expect("report");
    figure("charts.report", started, "open and the default report");
    for kind in ChartKind::ALL {
        let started = Instant::now();
        let chart = ctx
            .draw(kind, DEFAULT_WIDTH, DEFAULT_HEIGHT)
            .expect("chart");
        figure(
            &format!("charts.{}", kind.code()),
            started,
            &format!("{}, {} KB of SVG", chart.title, chart.svg.len() / 1024),
        );
    }
}

fn merge_phase(local: &Path, incoming: &Path, work: &Path) {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).expect("work folder");
    let copy = work.join("local.cabildo");
    let started = Instant::now();
    std::fs::copy(local, &copy).expect("copy");
    figure("merge.copy", started, "the local file copied (not counted)");
    let mut store = Store::open_existing(&copy).expect("open");
    let options = MergeOptions::default();
    for (name, detail) in [
        ("merge.first", "a second file merged"),
        ("merge.again", "the same file merged again"),
    ] {
        let started = Instant::now();
        let plan = merge::plan_merge_with(&store, incoming, &options).expect("plan");
        figure(
            &format!("{name}.plan"),
            started,
            "the received file copied, checked and compared",
        );
        let applied = Instant::now();
        let mut reports = 0u64;
        let mut last_report = Instant::now();
        let mut longest_silence = 0f64;
        let summary = merge::apply_merge(&mut store, &plan, |_, _| {
            reports += 1;
            longest_silence = longest_silence.max(last_report.elapsed().as_secs_f64());
            last_report = Instant::now();
            true
        })
        .expect("merge");
        figure(
            &format!("{name}.apply"),
            applied,
            "the backup and the transaction",
        );
        figure(
            name,
            started,
            &format!(
                "{detail}: {} records in, {} new; {reports} progress reports, longest gap {longest_silence:.1} s",
                summary.totals.incoming, summary.totals.new
            ),
        );
    }
    drop(store);
    let _ = std::fs::remove_dir_all(work);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = |i: usize| -> PathBuf {
        PathBuf::from(args.get(i).unwrap_or_else(|| {
            eprintln!(
                "usage: bench_scale report|floor|list|list_kept|search|charts FILE | merge LOCAL INCOMING WORKDIR"
            );
            std::process::exit(2)
        }))
    };
    let phase = args.first().map(String::as_str).unwrap_or("");
    match phase {
        "report" => report(&path(1)),
        "floor" => floor(&path(1)),
        "list" => list(&path(1)),
        "list_kept" => list_kept(&path(1)),
        "search" => search(&path(1)),
        "charts" => charts(&path(1)),
        "merge" => merge_phase(&path(1), &path(2), &path(3)),
        _ => {
            eprintln!("unknown phase {phase:?}");
            std::process::exit(2)
        }
    }
    println!("PEAK {phase} {:.0}", peak_mb());
}
