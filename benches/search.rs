//! Global search figures (issue 13): the index build from the data, the first search
//! after reopening (the index file found and checked), and query times.
//!
//! `CABILDO_SEARCH_FILE=/path/copy.cabildo` measures a given file (a copy: an older
//! schema is upgraded in place, and the index file is written beside it); otherwise a
//! 50-city file is generated once under target/bench-data. Run with
//! `cargo bench --bench search` (or the built binary under `/usr/bin/time -v`).

use std::path::PathBuf;
use std::time::Instant;

use cabildo::Store;

fn database() -> PathBuf {
    if let Ok(path) = std::env::var("CABILDO_SEARCH_FILE") {
        return PathBuf::from(path);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join("search-50.cabildo");
    if !path.exists() {
        let partial = dir.join("search-50.partial");
        let _ = std::fs::remove_file(&partial);
        cabildo::generate::generate(&partial, 50, 42, "MXN", |_| {}).expect("generate");
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read.
    let path = database();
    let started = Instant::now();
    let store = Store::open_existing(&path).expect("open");
    println!("open: {:.0} ms", ms(started));
    let started = Instant::now();
    let built = store.rebuild_search_index().expect("build");
    println!(
        "index build: {:.1} s, {} records read",
        started.elapsed().as_secs_f64(),
        built.records
    );
    drop(store);
    let index = cabildo::store::search::index_path(&path);
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    println!(
        "database {:.1} MB, index file {:.1} MB (+ wal {:.1} MB)",
        size(&path) as f64 / 1e6,
        size(&index) as f64 / 1e6,
        size(&PathBuf::from(format!("{}-wal", index.display()))) as f64 / 1e6
    );
    let started = Instant::now();
    let store = Store::open_existing(&path).expect("reopen");
    println!("reopen (index checked): {:.0} ms", ms(started));
    let queries = [
        "synthetic city 999",
        "city 12345",
        "city 9",
        "synthetic",
        "bogota",
        "director",
        "synthetic meeting",
        "c40",
        "technical spec",
        "nothing matches this",
        "\"NEAR(( OR *",
    ];
    for (i, query) in queries.iter().enumerate() {
        let started = Instant::now();
        let found = store.search(query, 10).expect("search");
        let first = ms(started);
        let mut times = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            store.search(query, 10).expect("search");
            times.push(ms(started));
        }
        times.sort_by(|a, b| a.total_cmp(b));
        let summary: Vec<String> = found
            .groups
            .iter()
            .map(|g| {
                format!(
                    "{}:{}{}",
                    g.kind.as_str(),
                    if g.more { ">" } else { "" },
                    g.total
                )
            })
            .collect();
        println!(
            "query {i} {query:?}: first {first:.1} ms, median {:.1} ms, max {:.1} ms  [{}]",
            times[times.len() / 2],
            times[times.len() - 1],
            summary.join(" ")
        );
    }
    // One write, then the search that indexes it (the pending path).
    let mut store = store;
    let mut city = cabildo::model::City {
        meta: Default::default(),
        name: "Zzyzx Bench".into(),
        country: "US".into(),
        population: None,
        population_year: None,
        latitude: None,
        longitude: None,
        region: None,
        cdp_account: None,
        income_group: None,
    };
    let started = Instant::now();
    city = store.insert(city).expect("insert");
    let write = ms(started);
    let started = Instant::now();
    let found = store.search("zzyzx", 10).expect("search");
    println!(
        "one insert {write:.1} ms, then the search that indexes it {:.1} ms ({} found)",
        ms(started),
        found.groups.len()
    );
    store
        .delete(cabildo::RecordKind::City, &city.meta.id)
        .expect("delete");
}
