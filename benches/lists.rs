//! Lists answered by the core (issue 13): the first page and a new sort or filter of
//! the biggest kinds, on a coordinator's file. Prints one line per query: the first
//! answer (which counts the matches) and the next one (the count kept).
//!
//! `CABILDO_SCALE_FILE=/path/file.cabildo cargo bench --bench lists` measures a given
//! file (e.g. `cabildo generate FILE --cities 13800`, opened read-only); without it a
//! 50-city file is generated once under `target/bench-data`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cabildo::kinds::RecordKind;
use cabildo::store::page::{ListFilter, ListQuery, ListSort};
use cabildo::Store;

fn file() -> PathBuf {
    if let Ok(path) = std::env::var("CABILDO_SCALE_FILE") {
        return PathBuf::from(path);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("lists-50.cabildo");
    if !path.exists() {
        std::fs::create_dir_all(&dir).expect("bench-data folder");
        let partial = dir.join("lists-50.partial");
        let _ = std::fs::remove_file(&partial);
        drop(cabildo::generate::generate(&partial, 50, 1, "MXN", |_| {}).expect("generate"));
        std::fs::rename(&partial, &path).expect("rename");
    }
    path
}

fn sorted(kind: RecordKind, field: &str, desc: bool) -> ListQuery {
    let mut q = ListQuery::new(kind);
    q.sort = Some(ListSort {
        field: field.into(),
        desc,
    });
    q
}

fn time(store: &Store, name: &str, query: &ListQuery) {
    let start = Instant::now();
    let page = match store.list_page(query) {
        Ok(page) => page,
        Err(e) => {
            let took = start.elapsed().as_secs_f64() * 1e3;
            println!("{name:<44} {took:>9.1} ms  refused: {e}");
            return;
        }
    };
    let first = start.elapsed();
    let start = Instant::now();
    store.list_page(query).expect("page");
    let again = start.elapsed();
    println!(
        "{name:<44} {:>9.1} ms  again {:>8.1} ms  ({} of {})",
        first.as_secs_f64() * 1e3,
        again.as_secs_f64() * 1e3,
        page.rows.len(),
        page.total
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing else is read.
    let path = file();
    let start = Instant::now();
    let store = Store::open_read_only(&path).expect("open");
    println!(
        "{}: opened in {:.1} ms",
        path.display(),
        start.elapsed().as_secs_f64() * 1e3
    );
    let costs = || sorted(RecordKind::CostEntry, "spent_on", true);
    time(&store, "costs, newest first (the Costs screen)", &costs());
    let mut next = costs();
    next.offset = 50;
    time(&store, "costs, second page", &next);
    let mut deep = costs();
    deep.offset = 100_000;
    time(&store, "costs, page at row 100,000", &deep);
    time(
        &store,
        "costs by amount, largest first",
        &sorted(RecordKind::CostEntry, "amount_minor", true),
    );
    time(
        &store,
        "costs by category",
        &sorted(RecordKind::CostEntry, "category", false),
    );
    time(
        &store,
        "costs by membership (its label)",
        &sorted(RecordKind::CostEntry, "membership_id", false),
    );
    let mut travel = costs();
    travel.filters = vec![ListFilter {
        field: "category".into(),
        value: "travel".into(),
    }];
    time(&store, "costs filtered to travel", &travel);
    let networks: Vec<cabildo::model::Network> = store.list(None).expect("networks");
    if let Some(c40) = networks.iter().find(|n| n.acronym == "C40") {
        let mut by_network = costs();
        by_network.filters = vec![ListFilter {
            field: "network_id".into(),
            value: c40.meta.id.clone(),
        }];
        time(&store, "costs of C40 memberships", &by_network);
    }
    let cities: Vec<cabildo::model::City> = store.list(None).expect("cities");
    if let Some(city) = cities.get(cities.len() / 2) {
        let mut one_city = costs();
        one_city.city_id = Some(city.meta.id.clone());
        time(&store, "one city's costs", &one_city);
        let mut one_city_amount = sorted(RecordKind::CostEntry, "amount_minor", true);
        one_city_amount.city_id = Some(city.meta.id.clone());
        time(&store, "one city's costs by amount", &one_city_amount);
    }
    let mut search = costs();
    search.search = "viaje".into();
    time(&store, "costs searched for \"viaje\"", &search);
    time(
        &store,
        "memberships by network (label)",
        &sorted(RecordKind::Membership, "network_id", false),
    );
    time(
        &store,
        "meetings, newest first",
        &sorted(RecordKind::Meeting, "start_on", true),
    );
    time(
        &store,
        "projects by name",
        &sorted(RecordKind::Project, "name", false),
    );
    time(
        &store,
        "outcomes, newest first",
        &sorted(RecordKind::Outcome, "occurred_on", true),
    );
    time(
        &store,
        "cities by name",
        &sorted(RecordKind::City, "name", false),
    );
}
