//! Global search (issue 13): records of every kind found by their words, with an
//! index that is a cache beside the database and follows every write.

mod common;

use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::kinds::RecordKind;
use cabildo::model::*;
use cabildo::store::search::{self, SearchResults};
use cabildo::Store;
use common::*;

fn ids(results: &SearchResults, kind: RecordKind) -> Vec<String> {
    results
        .groups
        .iter()
        .filter(|g| g.kind == kind)
        .flat_map(|g| g.hits.iter().map(|h| h.id.clone()))
        .collect()
}

fn kinds(results: &SearchResults) -> Vec<RecordKind> {
    results.groups.iter().map(|g| g.kind).collect()
}

/// A file with Bogotá, a C40 membership, a meeting, a cost, a project and an outcome.
fn bogota(dir: &std::path::Path) -> (Store, String, String) {
    let mut store = Store::create(&dir.join("local.cabildo"), &Default::default()).expect("create");
    let city = store.insert(city("Bogotá")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let mut m = membership(&city, &c40);
    m.focal_point = Some("Ana María Núñez".into());
    let m = store.insert(m).expect("membership").meta.id;
    let mut meeting = meeting(
        &m,
        "2025-03-01",
        Ask::FinancingPathway,
        MeetingResult::Pending,
    );
    meeting.title = "Cumbre de alcaldes".into();
    meeting.counterpart = Some("Banco Interamericano".into());
    store.insert(meeting).expect("meeting");
    let mut cost = money_cost(
        &city,
        Some(&m),
        "2025-03-02",
        CostCategory::Travel,
        100,
        "MXN",
    );
    cost.description = Some("Vuelo a Río de Janeiro".into());
    store.insert(cost).expect("cost");
    let mut project = project(&city);
    project.name = "Línea de metro ligero".into();
    store.insert(project).expect("project");
    let mut outcome = policy(&city, "2025-04-01");
    outcome.description = "Reglamento de movilidad eléctrica adoptado".into();
    outcome.source_peer = Some("Curitiba".into());
    store.insert(outcome).expect("outcome");
    (store, city, m)
}

#[test]
fn an_unaccented_lower_case_word_finds_the_accented_city_with_its_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, city, _) = bogota(dir.path());
    for query in ["bogota", "BOGOTÁ", "Bogo", "  bOgOtA  "] {
        let found = store.search(query, 10).expect("search");
        assert_eq!(ids(&found, RecordKind::City), vec![city.clone()], "{query}");
        let hit = &found.groups[0].hits[0];
        assert_eq!(hit.label, "Bogotá");
        assert_eq!(hit.city, None, "a city is not shown under itself");
    }
}

#[test]
fn every_kind_is_found_by_its_words_and_shows_its_city() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _, _) = bogota(dir.path());
    let cases = [
        ("nunez", RecordKind::Membership),
        ("cumbre alcaldes", RecordKind::Meeting),
        ("interamericano", RecordKind::Meeting),
        ("rio janeiro", RecordKind::CostEntry),
        ("metro ligero", RecordKind::Project),
        ("movilidad electrica", RecordKind::Outcome),
        ("Cities Climate Leadership", RecordKind::Network),
    ];
    for (query, kind) in cases {
        let found = store.search(query, 10).expect("search");
        assert_eq!(kinds(&found), vec![kind], "{query}");
        let group = &found.groups[0];
        assert_eq!((group.total, group.more), (1, false));
        if kind != RecordKind::Network {
            assert_eq!(group.hits[0].city.as_deref(), Some("Bogotá"), "{query}");
        }
    }
    let found = store.search("cumbre", 10).expect("search");
    assert_eq!(
        found.groups[0].hits[0].label,
        "2025-03-01 Cumbre de alcaldes"
    );
}

#[test]
fn every_word_must_match_and_only_the_last_is_a_prefix() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _, _) = bogota(dir.path());
    assert!(store.search("cumbre bogota", 10).unwrap().groups.is_empty());
    assert_eq!(
        kinds(&store.search("cumbre alc", 10).unwrap()),
        vec![RecordKind::Meeting]
    );
    assert!(store.search("cumb alcaldes", 10).unwrap().groups.is_empty());
}

#[test]
fn results_are_grouped_by_kind_with_a_capped_count() {
    let mut store = Store::open_in_memory().expect("store");
    let city = store.insert(city("Lima")).expect("city").meta.id;
    for _ in 0..1005 {
        let mut cost = money_cost(&city, None, "2025-01-01", CostCategory::Travel, 1, "MXN");
        cost.description = Some("Lima taxi".into());
        store.insert(cost).expect("cost");
    }
    let found = store.search("lima", 5).expect("search");
    assert_eq!(kinds(&found), vec![RecordKind::City, RecordKind::CostEntry]);
    let costs = &found.groups[1];
    assert_eq!(costs.hits.len(), 5);
    assert_eq!((costs.total, costs.more), (search::COUNT_CAP, true));
    assert!(costs.hits.iter().all(|h| h.label == "2025-01-01 Lima taxi"));
}

#[test]
fn a_record_in_the_trash_is_not_found_and_comes_back_when_restored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, city, _) = bogota(dir.path());
    assert!(!store.search("ligero", 10).unwrap().groups.is_empty());
    // The city takes its records to the trash with it.
    store.delete(RecordKind::City, &city).expect("delete");
    assert!(store.search("ligero", 10).unwrap().groups.is_empty());
    assert!(store.search("bogota", 10).unwrap().groups.is_empty());
    store.restore(RecordKind::City, &city).expect("restore");
    assert_eq!(
        kinds(&store.search("ligero", 10).unwrap()),
        vec![RecordKind::Project]
    );
}

#[test]
fn the_index_follows_inserts_and_updates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _, _) = bogota(dir.path());
    assert!(store.search("medellin", 10).unwrap().groups.is_empty());
    let medellin = store.insert(city("Medellín")).expect("city");
    assert_eq!(
        ids(&store.search("medellin", 10).unwrap(), RecordKind::City),
        vec![medellin.meta.id.clone()]
    );
    let mut renamed = medellin.clone();
    renamed.name = "Cali".into();
    store.update(renamed).expect("update");
    assert!(store.search("medellin", 10).unwrap().groups.is_empty());
    assert_eq!(
        ids(&store.search("cali", 10).unwrap(), RecordKind::City),
        vec![medellin.meta.id]
    );
}

#[test]
fn the_index_file_survives_reopening_and_catches_writes_made_without_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("local.cabildo");
    let (store, _, _) = bogota(dir.path());
    store.search("bogota", 10).expect("search");
    drop(store);
    assert!(search::index_path(&path).exists());
    // Another process writes while no index is open: it notes what it wrote.
    let mut other = Store::open_existing(&path).expect("open");
    other.insert(city("Quito")).expect("city");
    drop(other);
    let store = Store::open_existing(&path).expect("reopen");
    assert_eq!(
        kinds(&store.search("quito", 10).unwrap()),
        vec![RecordKind::City]
    );
    drop(store);
    // The index file removed behind a writer, then an old one put back: the stamps
    // differ and the index is rebuilt.
    let old = dir.path().join("old.search");
    std::fs::copy(search::index_path(&path), &old).expect("copy");
    std::fs::remove_file(search::index_path(&path)).expect("remove");
    let mut other = Store::open_existing(&path).expect("open");
    other.insert(city("Cuenca")).expect("city");
    drop(other);
    std::fs::rename(&old, search::index_path(&path)).expect("put back");
    let store = Store::open_existing(&path).expect("reopen");
    assert_eq!(
        kinds(&store.search("cuenca", 10).unwrap()),
        vec![RecordKind::City]
    );
}

#[test]
fn a_damaged_or_foreign_index_file_is_thrown_away_and_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("local.cabildo");
    let (store, _, _) = bogota(dir.path());
    drop(store);
    std::fs::write(search::index_path(&path), b"not a database at all").expect("write");
    let store = Store::open_existing(&path).expect("open");
    assert_eq!(
        kinds(&store.search("bogota", 10).unwrap()),
        vec![RecordKind::City]
    );
    drop(store);
    // An index file with an object of its own (a trigger, a view) is not used.
    let conn = rusqlite::Connection::open(search::index_path(&path)).expect("open index");
    conn.execute_batch("CREATE VIEW sneaky AS SELECT 1")
        .expect("view");
    drop(conn);
    let store = Store::open_existing(&path).expect("open");
    assert_eq!(
        kinds(&store.search("bogota", 10).unwrap()),
        vec![RecordKind::City]
    );
}

#[test]
fn hostile_query_strings_never_fail_and_find_only_what_their_words_say() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _, _) = bogota(dir.path());
    let huge = "bogota ".repeat(150_000);
    let hostile = [
        "\"",
        "\"bogota",
        "bogota\"",
        "*",
        "bog*",
        "NEAR(bogota cumbre)",
        "bogota OR cumbre",
        "bogota AND NOT cumbre",
        "(bogota",
        ")",
        "bo\0gota",
        "\0",
        "words_city:bogota",
        "{city} : ^bogota",
        "'; DROP TABLE city; --",
        "-bogota",
        "+",
        "",
        "   ",
        "😀 🇲🇽",
        huge.as_str(),
    ];
    for query in hostile {
        let found = store.search(query, 10);
        assert!(
            found.is_ok(),
            "{:?}: {:?}",
            &query[..query.len().min(40)],
            found
        );
    }
    // Every mix of FTS5's syntax and words, deterministically shuffled.
    let pieces = [
        "\"", "*", "NEAR", "near/3", "(", ")", "OR", "AND", "NOT", ":", "^", "+", "-", "bogota",
        "cu", "c", "{", "}", ",", "\0",
    ];
    let mut seed: u64 = 42;
    for _ in 0..500 {
        let mut query = String::new();
        for _ in 0..6 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            query.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            if seed & 1 == 0 {
                query.push(' ');
            }
        }
        let found = store.search(&query, 10);
        assert!(found.is_ok(), "{query:?}: {found:?}");
    }
    // The operators are words like any other: no record holds "or".
    assert!(store
        .search("bogota OR cumbre", 10)
        .unwrap()
        .groups
        .is_empty());
    assert_eq!(
        kinds(&store.search("(bogota)", 10).unwrap()),
        vec![RecordKind::City]
    );
    assert_eq!(
        kinds(&store.search(&huge, 10).unwrap()),
        vec![RecordKind::City]
    );
    assert!(store.search("", 10).unwrap().groups.is_empty());
    // The city table is still there.
    assert_eq!(store.list::<City>(None).unwrap().len(), 1);
}

#[test]
fn a_merge_brings_its_records_into_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _, _) = bogota(dir.path());
    store.search("bogota", 10).expect("search");
    let other_path = dir.path().join("other.cabildo");
    let mut other = Store::create(&other_path, &Default::default()).expect("other");
    let arequipa = other.insert(city("Arequipa")).expect("city").meta.id;
    drop(other);
    merge::merge_file(&mut store, &other_path, &MergeOptions::default(), |_, _| {
        true
    })
    .expect("merge");
    assert_eq!(
        ids(&store.search("arequipa", 10).unwrap(), RecordKind::City),
        vec![arequipa]
    );
}

#[test]
fn an_exported_file_has_no_search_objects_and_passes_the_received_file_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, _, _) = bogota(dir.path());
    let before: Vec<String> = schema_of(&dir.path().join("local.cabildo"));
    store.search("bogota", 10).expect("search");
    let out = dir.path().join("sent.cabildo");
    store.export_snapshot(&out).expect("export");
    assert_eq!(schema_of(&out), before, "no new object in the file sent");
    assert!(schema_of(&out)
        .iter()
        .all(|s| !s.to_lowercase().contains("fts")));
    // The received-file check accepts it (its schema is compared exactly).
    let other_dir = tempfile::tempdir().expect("tempdir");
    let mut other =
        Store::create(&other_dir.path().join("o.cabildo"), &Default::default()).expect("o");
    merge::merge_file(&mut other, &out, &MergeOptions::default(), |_, _| true)
        .expect("merge of an exported file");
    assert_eq!(
        kinds(&other.search("bogota", 10).unwrap()),
        vec![RecordKind::City]
    );
    let _ = &mut store;
}

fn schema_of(path: &std::path::Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_schema ORDER BY name")
        .expect("schema");
    stmt.query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("names")
}

#[test]
fn the_searched_fields_are_text_fields_of_their_kinds() {
    assert!(search::searched_fields_are_text());
}

#[test]
fn a_read_only_store_searches_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("local.cabildo");
    let (store, _, _) = bogota(dir.path());
    drop(store);
    let store = Store::open_read_only(&path).expect("read only");
    assert_eq!(
        kinds(&store.search("bogota", 10).unwrap()),
        vec![RecordKind::City]
    );
}
