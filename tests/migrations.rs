//! A database created by the first schema version opens in this version with its data
//! intact, after a backup copy of the old file.

use cabildo::model::{City, Membership, Network};
use cabildo::store::{APPLICATION_ID, SCHEMA_VERSION};
use cabildo::Store;
use rusqlite::Connection;

const V1: &str = include_str!("../src/store/schema/001_initial.sql");

fn version_1_file(path: &std::path::Path) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(V1).expect("schema v1");
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .expect("app id");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    conn.execute_batch(
        "INSERT INTO settings VALUES ('office_id', 'office-1'), ('office_name', 'Old office'),
                                     ('reporting_currency', 'MXN'), ('language', 'es');
         INSERT INTO city (id, created_at, updated_at, updated_by, deleted, name, country, population)
              VALUES ('c1', 1, 1, 'office-1', 0, 'Ciudad Vieja', 'MX', 500000);
         INSERT INTO network (id, created_at, updated_at, updated_by, deleted, name, acronym, scope)
              VALUES ('n1', 1, 1, 'office-1', 0, 'Red', 'RED', 'global');
         INSERT INTO membership (id, created_at, updated_at, updated_by, deleted, city_id, network_id, status, role, core, dues_minor, dues_currency)
              VALUES ('m1', 1, 2, 'office-1', 0, 'c1', 'n1', 'active', 'member', 1, 150000, 'EUR');",
    )
    .expect("data");
}

#[test]
fn a_version_1_database_is_upgraded_with_its_data_intact_after_a_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.cabildo");
    version_1_file(&path);

    let store = Store::open_existing(&path).expect("upgrade");
    assert_eq!(store.office().name, "Old office");
    let city: City = store.get("c1").expect("city");
    assert_eq!(
        (city.name.as_str(), city.population, city.cdp_account),
        ("Ciudad Vieja", Some(500_000), None)
    );
    let network: Network = store.get("n1").expect("network");
    assert_eq!(network.acronym, "RED");
    let m: Membership = store.get("m1").expect("membership");
    assert_eq!(
        (m.dues_minor, m.dues_currency.as_deref(), m.core),
        (Some(150_000), Some("EUR"), true)
    );
    drop(store);

    let conn = Connection::open(&path).expect("open");
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(version, SCHEMA_VERSION);
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".v1-"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup copy of the version-1 file");
    let backup = Connection::open(backups[0].path()).expect("backup");
    let v: i64 = backup
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, 1, "the backup is the file as it was");
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("new.cabildo");
    drop(Store::open(&path).expect("create"));
    {
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .expect("version");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("no wal");
    }
    let before = std::fs::read(&path).expect("bytes");
    let err = Store::open_existing(&path).err().expect("refused");
    assert_eq!(err.code(), "newer_schema");
    assert_eq!(std::fs::read(&path).expect("bytes"), before);
}

#[test]
fn files_that_are_not_cabildo_databases_are_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().expect("dir");
    let text = dir.path().join("notes.cabildo");
    std::fs::write(&text, "not a database at all").expect("write");
    assert_eq!(
        Store::open_existing(&text).err().expect("refused").code(),
        "not_cabildo"
    );
    assert_eq!(
        std::fs::read(&text).expect("bytes"),
        b"not a database at all"
    );

    let other = dir.path().join("other.sqlite");
    {
        let conn = Connection::open(&other).expect("open");
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .expect("other app");
    }
    let before = std::fs::read(&other).expect("bytes");
    assert_eq!(
        Store::open_existing(&other).err().expect("refused").code(),
        "not_cabildo"
    );
    assert_eq!(std::fs::read(&other).expect("bytes"), before);
}

#[test]
fn opening_to_read_changes_nothing_in_the_file_even_an_old_one() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.cabildo");
    version_1_file(&path);
    {
        let conn = Connection::open(&path).expect("open");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("rollback journal");
    }
    let before = std::fs::read(&path).expect("bytes");
    let store = Store::open_read_only(&path).expect("read an old file");
    let city: City = store.get("c1").expect("city");
    assert_eq!(city.name, "Ciudad Vieja");
    drop(store);
    assert_eq!(
        std::fs::read(&path).expect("bytes"),
        before,
        "not upgraded in place, not switched to WAL"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no backup or journal next to a file that was only read"
    );
}

#[test]
fn an_older_file_gets_the_catalogs_fee_rules_for_the_seed_networks_it_holds() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("old.cabildo");
    version_1_file(&path);
    // The seed networks as an old file holds them: the catalog's ids and stamps.
    let conn = Connection::open(&path).expect("open");
    for n in cabildo::catalog::networks() {
        conn.execute(
            "INSERT INTO network (id, created_at, updated_at, updated_by, deleted, name, acronym, scope)
             VALUES (?1, ?2, ?2, ?3, 0, ?4, ?5, 'global')",
            rusqlite::params![n.meta.id, n.meta.created_at, n.meta.updated_by, n.name, n.acronym],
        )
        .expect("seed network");
    }
    drop(conn);
    let store = Store::open_existing(&path).expect("upgrade");
    let rules: Vec<cabildo::model::FeeRule> = store.list(None).expect("rules");
    let seeded = cabildo::catalog::fee_rules();
    assert_eq!(rules.len(), seeded.len());
    assert!(rules
        .iter()
        .all(|r| seeded.iter().any(|s| s.meta.id == r.meta.id)));
    drop(store);
    // Opened again, nothing is added twice.
    let store = Store::open_existing(&path).expect("again");
    let again: Vec<cabildo::model::FeeRule> = store.list(None).expect("rules");
    assert_eq!(again.len(), seeded.len());
}
