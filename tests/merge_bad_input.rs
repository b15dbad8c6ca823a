//! Received files and CSVs that must be refused: each gets a clear error with a stable
//! code, and the local file is byte-for-byte what it was before.

mod common;

use common::city;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use cabildo::exchange::cdp;
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::model::*;
use cabildo::store::incoming::IncomingLimits;
use cabildo::store::{NewOffice, SCHEMA_VERSION};
use cabildo::Store;

fn office(n: u8) -> NewOffice {
    NewOffice {
        id: Some(format!("00000000-0000-4000-8000-0000000000{n:02x}")),
        name: format!("Office {n}"),
        ..NewOffice::default()
    }
}

/// The local database, closed, and its bytes.
fn local(dir: &Path) -> (PathBuf, Vec<u8>) {
    let path = dir.join("local.cabildo");
    {
        let mut store = Store::create(&path, &office(1)).expect("create");
        store.insert(city("Zapopan")).expect("city");
    }
    let bytes = std::fs::read(&path).expect("read");
    (path, bytes)
}

/// A valid file from another office, with a city and a membership.
fn sent(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.work.cabildo"));
    let out = dir.join(format!("{name}.cabildo"));
    let mut store = Store::create(&path, &office(2)).expect("create");
    let c = store.insert(city("Aguascalientes")).expect("city");
    let networks: Vec<Network> = store.list(None).expect("networks");
    store
        .insert(Membership::new(&c.meta.id, &networks[0].meta.id))
        .expect("membership");
    store.export_snapshot(&out).expect("export");
    out
}

/// Changes a file with plain SQL, as a hostile or careless sender could.
fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(sql).expect("tamper");
}

fn merge_with(local: &Path, incoming: &Path, options: &MergeOptions) -> cabildo::Result<()> {
    let mut store = Store::open_existing(local).expect("open local");
    merge::merge_file(&mut store, incoming, options, |_, _| true).map(|_| ())
}

/// Merges `incoming` into the local file, expects the refusal `code`, and checks the
/// local file did not change by a byte.
fn refused_with(code: &str, incoming: &Path, options: &MergeOptions) {
    let dir = incoming
        .parent()
        .expect("dir")
        .join(format!("local-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let (local, before) = local(&dir);
    let err = merge_with(&local, incoming, options).expect_err("must be refused");
    assert_eq!(err.code(), code, "{err}");
    assert!(!err.to_string().is_empty());
    assert_eq!(
        std::fs::read(&local).expect("read"),
        before,
        "local file changed"
    );
    // Broken references are found when the merge commits, after the backup; every
    // other refusal comes before anything is written, backups included.
    if code != "dangling_reference" {
        assert!(
            !local.with_file_name("backups").exists(),
            "no backup is needed for a refused file"
        );
    }
}

fn refused(code: &str, incoming: &Path) {
    refused_with(code, incoming, &MergeOptions::default());
}

// ---- the file is not a Cabildo database -------------------------------------------------

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("notes.cabildo");
    std::fs::write(&path, "Minutes of the council session\n".repeat(200)).expect("write");
    refused("not_cabildo", &path);
    let empty = dir.path().join("empty.cabildo");
    std::fs::write(&empty, b"").expect("write");
    refused("not_cabildo", &empty);
}

#[test]
fn a_sqlite_file_of_another_application_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.cabildo");
    tamper(
        &path,
        "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x');",
    );
    refused("not_cabildo", &path);
}

#[test]
fn a_truncated_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    let bytes = std::fs::read(&path).expect("read");
    let cut = dir.path().join("cut.cabildo");
    std::fs::write(&cut, &bytes[..bytes.len() - 1000]).expect("write");
    refused("corrupt", &cut);
    let half = dir.path().join("half.cabildo");
    std::fs::write(&half, &bytes[..(bytes.len() / 2 / 4096) * 4096]).expect("write");
    refused("corrupt", &half);
}

#[test]
fn a_corrupted_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    // Damage the b-tree pages after the schema page.
    for p in 1..(bytes.len() / page) {
        for b in &mut bytes[p * page..p * page + 64] {
            *b = 0xA5;
        }
    }
    let bad = dir.path().join("bad.cabildo");
    std::fs::write(&bad, &bytes).expect("write");
    refused("corrupt", &bad);
}

#[test]
fn a_file_from_a_newer_cabildo_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    tamper(
        &path,
        &format!("PRAGMA user_version = {};", SCHEMA_VERSION + 1),
    );
    refused("newer_schema", &path);
}

// ---- the structure is not Cabildo's ----------------------------------------------------

#[test]
fn extra_triggers_views_tables_indexes_and_columns_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, sql) in [
        (
            "trigger",
            "CREATE TRIGGER wipe AFTER INSERT ON city BEGIN DELETE FROM metric; END;",
        ),
        ("view", "CREATE VIEW everything AS SELECT * FROM city;"),
        ("table", "CREATE TABLE payload (data BLOB);"),
        ("index", "CREATE INDEX city_name ON city(name);"),
        ("column", "ALTER TABLE city ADD COLUMN mayor TEXT;"),
    ] {
        let path = sent(dir.path(), name);
        tamper(&path, sql);
        refused("unexpected_schema", &path);
    }
}

#[test]
fn a_missing_table_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    tamper(&path, "DROP TABLE metric;");
    refused("unexpected_schema", &path);
}

// ---- the values are not acceptable ------------------------------------------------------

#[test]
fn a_huge_text_value_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "huge");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute("UPDATE city SET name = ?1", ["x".repeat(5_000_000)])
        .expect("update");
    drop(conn);
    refused("bad_value", &path);
    // Longer than any field may be, though under SQLite's own limit.
    let long = sent(dir.path(), "long");
    let conn = rusqlite::Connection::open(&long).expect("open");
    conn.execute("UPDATE city SET name = ?1", ["é".repeat(10_001)])
        .expect("update");
    drop(conn);
    refused("bad_value", &long);
}

#[test]
fn values_of_the_wrong_type_or_outside_their_domain_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let future = cabildo::store::now_ms() + 30 * 24 * 3600 * 1000;
    for (name, sql) in [
        (
            "stamp_text",
            "UPDATE city SET updated_at = 'tomorrow';".to_string(),
        ),
        (
            "stamp_future",
            format!("UPDATE city SET updated_at = {future};"),
        ),
        ("deleted", "UPDATE city SET deleted = 7;".into()),
        ("population", "UPDATE city SET population = 'many';".into()),
        (
            "status",
            "UPDATE membership SET status = 'sleeping';".into(),
        ),
        (
            "date",
            "UPDATE membership SET joined_on = '2024-02-30';".into(),
        ),
        (
            "currency",
            "UPDATE membership SET dues_minor = 1, dues_currency = 'pesos';".into(),
        ),
        ("blob", "UPDATE city SET name = x'00ff';".into()),
        ("id", "UPDATE city SET id = '';".into()),
        (
            "office",
            "UPDATE settings SET value = 'not an id!' WHERE key = 'office_id';".into(),
        ),
    ] {
        let path = sent(dir.path(), name);
        tamper(&path, &format!("PRAGMA foreign_keys = OFF; {sql}"));
        let code = match name {
            "office" => "not_cabildo",
            "stamp_future" => "sender_clock_ahead",
            _ => "bad_value",
        };
        refused(code, &path);
    }
}

#[test]
fn a_reference_to_a_missing_record_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    tamper(
        &path,
        "PRAGMA foreign_keys = OFF;
         UPDATE membership SET city_id = '0190b6a0-0000-7000-8000-00000000dead';",
    );
    // Found by the membership's own rules while planning, before any backup.
    refused("record_rules", &path);
}

#[test]
fn a_file_with_too_many_rows_or_bytes_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = sent(dir.path(), "b");
    let few_rows = MergeOptions {
        limits: IncomingLimits {
            max_rows: 10,
            ..IncomingLimits::default()
        },
        ..MergeOptions::default()
    };
    refused_with("too_many_rows", &path, &few_rows);
    let few_bytes = MergeOptions {
        limits: IncomingLimits {
            max_bytes: 8192,
            ..IncomingLimits::default()
        },
        ..MergeOptions::default()
    };
    refused_with("file_too_large", &path, &few_bytes);
}

// ---- a file merged into itself -----------------------------------------------------------

#[test]
fn merging_a_file_into_itself_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, before) = local(dir.path());
    let err = merge_with(&local, &local, &MergeOptions::default()).expect_err("same path");
    assert_eq!(err.code(), "merge_into_itself");
    // An exported copy of the same file holds the same records: same refusal.
    let copy = dir.path().join("copy.cabildo");
    Store::open_existing(&local)
        .expect("open")
        .export_snapshot(&copy)
        .expect("export");
    let before_copy = std::fs::read(&local).expect("read");
    let err = merge_with(&local, &copy, &MergeOptions::default()).expect_err("same content");
    assert_eq!(err.code(), "merge_into_itself");
    assert_eq!(std::fs::read(&local).expect("read"), before_copy);
    assert_eq!(before_copy, before);
}

#[test]
fn a_copy_of_this_office_file_that_diverged_is_merged() {
    // The mayor's office received this office's file, added a city, and sent
    // it back: same office, other records. That is a merge, not a refusal.
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, _) = local(dir.path());
    let copy = dir.path().join("returned.cabildo");
    Store::open_existing(&local)
        .expect("open")
        .export_snapshot(&copy)
        .expect("export");
    Store::open_existing(&copy)
        .expect("open copy")
        .insert(city("Tlaquepaque"))
        .expect("a city added there");
    let store = Store::open_existing(&local).expect("open local");
    let plan = merge::plan_merge(&store, &copy).expect("a diverged copy is planned");
    assert_eq!(plan.totals.new, 1, "{:?}", plan.totals);
    assert_eq!(plan.totals.conflicts, 0);
    drop(store);
    merge_with(&local, &copy, &MergeOptions::default()).expect("and merged");
    let cities: Vec<City> = Store::open_existing(&local)
        .expect("open")
        .list(None)
        .expect("cities");
    assert_eq!(cities.len(), 2);
}

// ---- CSV imports ---------------------------------------------------------------------------

const HEADER: &str = "Year Reported to CDP,Account Number,Organization,City,Country,CDP Region,Reporting Authority,Access,First Time Discloser,Population,Population Year,City Location,Last update\n";

fn csv_refused(code: &str, content: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, before) = local(dir.path());
    let csv = dir.path().join("cities.csv");
    std::fs::write(&csv, content).expect("write");
    let mut store = Store::open_existing(&local).expect("open");
    let err = cdp::import_file(&mut store, &csv, |_, _| true).expect_err("refused");
    drop(store);
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(
        std::fs::read(&local).expect("read"),
        before,
        "local file changed"
    );
}

#[test]
fn a_csv_with_the_wrong_columns_is_refused() {
    csv_refused(
        "csv_columns",
        b"Name,Country,Population\nGuadalajara,Mexico,1385629\n",
    );
}

#[test]
fn a_csv_that_is_not_utf8_is_refused_with_its_line() {
    let mut content = HEADER.as_bytes().to_vec();
    content.extend_from_slice(
        b"2018,1,Municipio de Le\xf3n,Le\xf3n,Mexico,Latin America,CDP Cities,public,No,1578626,2015,POINT (-101.68 21.12),2020-06-25T04:52:49.050\n",
    );
    csv_refused("csv_encoding", &content);
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("latin1.csv");
    std::fs::write(&csv, &content).expect("write");
    let mut store = Store::open_in_memory().expect("store");
    match cdp::import_file(&mut store, &csv, |_, _| true) {
        Err(cabildo::Error::CsvEncoding { line }) => assert_eq!(line, 2),
        other => panic!("expected an encoding error, got {other:?}"),
    }
}

#[test]
fn a_csv_with_a_malformed_quote_is_refused() {
    let content = format!(
        "{HEADER}2018,1,\"Municipio de León,León,Mexico,Latin America,CDP Cities,public,No,1578626,2015,POINT (-101.68 21.12),2020-06-25T04:52:49.050\n\
         2018,2,Ciudad de Puebla,Puebla,Mexico,Latin America,CDP Cities,public,No,1576259,2015,POINT (-98.2 19.04),2020-06-25T04:52:49.050\n"
    );
    csv_refused("csv_malformed", content.as_bytes());
    let spans = format!(
        "{HEADER}2018,1,\"Municipio\nde León\",León,Mexico,Latin America,CDP Cities,public,No,1578626,2015,POINT (-101.68 21.12),2020-06-25T04:52:49.050\n"
    );
    csv_refused("csv_malformed", spans.as_bytes());
}

// ---- fuzz: random damage to a valid file -------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn damaged_files_never_panic_and_a_refusal_leaves_the_local_file_unchanged(
        damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12)
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (local, before) = local(dir.path());
        let valid = std::fs::read(sent(dir.path(), "b")).expect("read");
        let mut bytes = valid.clone();
        for (at, value) in &damage {
            let i = at.index(bytes.len());
            bytes[i] = *value;
        }
        let damaged = dir.path().join("damaged.cabildo");
        std::fs::write(&damaged, &bytes).expect("write");
        {
            // The preview never writes, whatever it finds.
            let store = Store::open_existing(&local).expect("open");
            let _ = merge::plan_merge(&store, &damaged);
        }
        prop_assert_eq!(&std::fs::read(&local).expect("read"), &before);
        match merge_with(&local, &damaged, &MergeOptions::default()) {
            Err(_) => prop_assert_eq!(&std::fs::read(&local).expect("read"), &before),
            // Damage the checks cannot tell from data (inside a text, say) merges as
            // data; the result must still be a sound database.
            Ok(()) => {
                let store = Store::open_existing(&local).expect("open merged");
                prop_assert_eq!(store.integrity_check().expect("check"), "ok");
                for kind in cabildo::RecordKind::ALL {
                    prop_assert!(store.list_json(*kind, None).is_ok());
                }
            }
        }
    }
}
