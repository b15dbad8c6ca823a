//! Files built the way an attacker would (issue 10): each test forges a received file
//! with plain SQL and checks that the merge refuses it, or takes it in without losing a
//! local version silently, and that a refusal leaves the local file as it was.

mod common;

use common::city;
use std::path::{Path, PathBuf};

use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::model::*;
use cabildo::store::incoming::MAX_CLOCK_SKEW_MS;
use cabildo::store::{now_ms, NewOffice};
use cabildo::{Error, Store};

const LOCAL: &str = "00000000-0000-4000-8000-000000000001";
const SENDER: &str = "00000000-0000-4000-8000-000000000002";
const THIRD: &str = "00000000-0000-4000-8000-000000000003";

fn office(id: &str, name: &str) -> NewOffice {
    NewOffice {
        id: Some(id.into()),
        name: name.into(),
        ..NewOffice::default()
    }
}

fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .expect("tamper");
}

/// A valid file from another office: a city with a membership and a meeting.
fn sent(dir: &Path, name: &str) -> (PathBuf, String, String) {
    let work = dir.join(format!("{name}.work.cabildo"));
    let out = dir.join(format!("{name}.cabildo"));
    let mut store = Store::create(&work, &office(SENDER, "Sender")).expect("create");
    let c = store.insert(city("Aguascalientes")).expect("city");
    let networks: Vec<Network> = store.list(None).expect("networks");
    let m = store
        .insert(Membership::new(&c.meta.id, &networks[0].meta.id))
        .expect("membership");
    store.export_snapshot(&out).expect("export");
    (out, c.meta.id, m.meta.id)
}

/// The local database (closed), with one city, and its bytes.
fn local(dir: &Path) -> (PathBuf, Vec<u8>) {
    let path = dir.join("local.cabildo");
    {
        let mut store = Store::create(&path, &office(LOCAL, "Local")).expect("create");
        store.insert(city("Zapopan")).expect("city");
    }
    let bytes = std::fs::read(&path).expect("read");
    (path, bytes)
}

/// The merge is refused; the error is returned after checking that the local file is
/// unchanged byte for byte and that no backup was needed.
fn refused(incoming: &Path) -> Error {
    let dir = incoming.parent().expect("dir").join(format!(
        "local-{}",
        incoming.file_stem().and_then(|s| s.to_str()).unwrap_or("x")
    ));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let (local, before) = local(&dir);
    let mut store = Store::open_existing(&local).expect("open local");
    let err = merge::merge_file(&mut store, incoming, &MergeOptions::default(), |_, _| true)
        .expect_err("must be refused");
    drop(store);
    assert_eq!(
        std::fs::read(&local).expect("read"),
        before,
        "local changed"
    );
    assert!(
        !dir.join("backups").exists(),
        "refused before anything is written, backups included"
    );
    err
}

// ---- 1. every received row passes the rules of its kind ---------------------------------

#[test]
fn a_received_integer_out_of_its_range_is_refused_naming_kind_id_field_and_rule() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, city_id, _) = sent(dir.path(), "range");
    // A population year no i32 holds: the city list would fail to load afterwards.
    tamper(&path, "UPDATE city SET population_year = 2147483648;");
    let err = refused(&path);
    assert_eq!(err.code(), "record_rules", "{err}");
    let problems = err.rule_breaks();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let problem = &problems[0];
    assert_eq!(problem.kind, cabildo::RecordKind::City);
    assert_eq!(problem.id, city_id);
    assert_eq!(problem.field, "population_year");
    assert_eq!(problem.rule, "out_of_range");
}

#[test]
fn received_rows_breaking_the_kinds_own_rules_and_bounds_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, sql, field, rule) in [
        (
            "ended",
            "UPDATE membership SET joined_on = '2024-01-01', ended_on = '2020-01-01';",
            "ended_on",
            "end_before_start",
        ),
        (
            "amount",
            "UPDATE membership SET dues_minor = 9000000000000000000, dues_currency = 'MXN';",
            "dues_minor",
            "too_large",
        ),
        (
            "country",
            "UPDATE city SET country = 'mexico';",
            "country",
            "country_code",
        ),
        (
            "latitude",
            "UPDATE city SET latitude = 1000.0;",
            "latitude",
            "out_of_range",
        ),
        ("name", "UPDATE city SET name = '   ';", "name", "required"),
    ] {
        let (path, _, _) = sent(dir.path(), name);
        tamper(&path, sql);
        let err = refused(&path);
        assert_eq!(err.code(), "record_rules", "{name}: {err}");
        let problem = &err.rule_breaks()[0];
        assert_eq!(
            (problem.field.as_str(), problem.rule.as_str()),
            (field, rule),
            "{name}"
        );
    }
}

#[test]
fn a_received_reference_to_a_record_in_neither_file_is_refused_before_any_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = sent(dir.path(), "orphan");
    tamper(
        &path,
        "UPDATE membership SET city_id = '0190b6a0-0000-7000-8000-00000000dead';",
    );
    let err = refused(&path);
    assert_eq!(err.code(), "record_rules", "{err}");
    let problem = &err.rule_breaks()[0];
    assert_eq!(problem.kind, cabildo::RecordKind::Membership);
    assert_eq!(problem.field, "city_id");
    assert_eq!(problem.rule, "unknown_reference");
}

#[test]
fn the_first_few_breaks_are_named_not_only_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = sent(dir.path(), "many");
    tamper(
        &path,
        "UPDATE city SET latitude = 1000.0; UPDATE membership SET dues_minor = -5, dues_currency = 'MXN';",
    );
    let err = refused(&path);
    assert_eq!(err.code(), "record_rules");
    assert_eq!(err.rule_breaks().len(), 2, "{err}");
}

#[test]
fn a_received_record_referring_to_a_parent_deleted_here_is_merged() {
    // The sender added a membership to a city this office has since deleted: a merge
    // of two honest edits, not a broken file.
    let dir = tempfile::tempdir().expect("tempdir");
    let (first, city_id, _) = sent(dir.path(), "first");
    let (local, _) = local(dir.path());
    let mut store = Store::open_existing(&local).expect("open");
    merge::merge_file(&mut store, &first, &MergeOptions::default(), |_, _| true).expect("merge");
    store
        .delete(cabildo::RecordKind::City, &city_id)
        .expect("delete");
    // The sender's file, later: a meeting for its membership.
    let work = dir.path().join("first.work.cabildo");
    {
        let mut sender = Store::open_existing(&work).expect("open sender");
        let memberships: Vec<Membership> = sender.list(None).expect("memberships");
        sender
            .insert(common::meeting(
                &memberships[0].meta.id,
                "2025-05-01",
                Ask::TechnicalAssistance,
                MeetingResult::Pending,
            ))
            .expect("meeting");
    }
    let later = dir.path().join("later.cabildo");
    Store::open_existing(&work)
        .expect("open")
        .export_snapshot(&later)
        .expect("export");
    let summary = merge::merge_file(&mut store, &later, &MergeOptions::default(), |_, _| true)
        .expect("an honest file is merged");
    assert_eq!(summary.totals.new, 1, "{:?}", summary.totals);
}

// ---- 2. conflicts from what the file holds, not what it claims ------------------------

/// The local office's file is sent out, then the local office edits `Zapopan` again.
/// Returns (local path, the exported copy, the city's id).
fn seen_then_edited(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (local, _) = local(dir);
    let copy = dir.join("seen.cabildo");
    let mut store = Store::open_existing(&local).expect("open");
    store.export_snapshot(&copy).expect("export");
    let mut zapopan: City = store.list(None).expect("cities").remove(0);
    std::thread::sleep(std::time::Duration::from_millis(5));
    zapopan.population = Some(1_500_000);
    store.update(zapopan.clone()).expect("edit after sending");
    (local, copy, zapopan.meta.id)
}

#[test]
fn a_forged_claim_of_knowing_this_office_does_not_hide_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, copy, id) = seen_then_edited(dir.path());
    // The attacker rewrites the city as its own newer version and claims to know every
    // write of this office up to now, and some of a third office it holds nothing of.
    let now = now_ms();
    tamper(
        &copy,
        &format!(
            "UPDATE city SET name = 'Forged', updated_at = {now}, updated_by = '{SENDER}' WHERE id = '{id}';
             UPDATE settings SET value = '{SENDER}' WHERE key = 'office_id';
             INSERT INTO settings (key, value) VALUES ('known_stamp:{LOCAL}', '{now}'),
                                                      ('known_stamp:{THIRD}', '{now}');"
        ),
    );
    let mut store = Store::open_existing(&local).expect("open");
    let plan = merge::plan_merge(&store, &copy).expect("plan");
    assert_eq!(plan.totals.conflicts, 1, "{:?}", plan.totals);
    merge::apply_merge(&mut store, &plan, |_, _| true).expect("merge");
    let log = merge::conflict_log(&store, false).expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].record_id, id);
    assert_eq!(log[0].losing["population"], serde_json::json!(1_500_000));
    // The unproven claims were not stored, so they are never passed on.
    let conn = rusqlite::Connection::open(&local).expect("open");
    let third: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [format!("known_stamp:{THIRD}")],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(
        third, None,
        "a claim about an office the file holds nothing of"
    );
    let sender: i64 = conn
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?1",
            [format!("known_stamp:{SENDER}")],
            |r| r.get(0),
        )
        .expect("the sender's writes are known");
    assert_eq!(
        sender, now,
        "no more than the newest write of the sender held"
    );
}

#[test]
fn a_version_forged_in_this_office_name_is_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, _) = local(dir.path());
    let store = Store::open_existing(&local).expect("open");
    let zapopan: City = store.list(None).expect("cities").remove(0);
    // The file saw this office's latest version, then someone rewrote it in this
    // office's name, as if this office had written it later.
    let copy = dir.path().join("seen.cabildo");
    store.export_snapshot(&copy).expect("export");
    let later = now_ms() + 1000;
    tamper(
        &copy,
        &format!(
            "UPDATE city SET name = 'Forged', updated_at = {later}, updated_by = '{LOCAL}' WHERE id = '{}';
             UPDATE settings SET value = '{SENDER}' WHERE key = 'office_id';
             INSERT INTO settings (key, value) VALUES ('known_stamp:{LOCAL}', '{later}');",
            zapopan.meta.id
        ),
    );
    let plan = merge::plan_merge(&store, &copy).expect("plan");
    assert_eq!(plan.totals.conflicts, 1, "{:?}", plan.totals);
    assert_eq!(plan.totals.updated, 0);
}

// ---- 3. clock skew is bounded --------------------------------------------------------

#[test]
fn stamps_more_than_an_hour_ahead_are_refused_as_the_senders_clock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = sent(dir.path(), "clock");
    let ahead = now_ms() + 2 * 3600 * 1000;
    tamper(&path, &format!("UPDATE city SET updated_at = {ahead};"));
    let err = refused(&path);
    assert_eq!(err.code(), "sender_clock_ahead", "{err}");
    assert!(err.to_string().contains("clock"), "{err}");
    match err {
        Error::SenderClockAhead {
            ahead_minutes,
            limit_minutes,
        } => {
            assert!((119..=120).contains(&ahead_minutes), "{ahead_minutes}");
            assert_eq!(limit_minutes, 60);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_file_a_few_minutes_ahead_is_merged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = sent(dir.path(), "minutes");
    let ahead = now_ms() + 10 * 60 * 1000;
    tamper(&path, &format!("UPDATE city SET updated_at = {ahead};"));
    let (local, _) = local(dir.path());
    let mut store = Store::open_existing(&local).expect("open");
    merge::merge_file(&mut store, &path, &MergeOptions::default(), |_, _| true).expect("merge");
    // The next local write is stamped after what was seen.
    assert!(store.next_stamp() > ahead);
}

#[test]
fn a_stamp_seen_far_ahead_never_drags_the_local_clock_past_the_bound() {
    let mut store = Store::open_in_memory().expect("store");
    store.observe_stamp(now_ms() + 10 * 3600 * 1000);
    let next = store.next_stamp();
    assert!(
        next <= now_ms() + MAX_CLOCK_SKEW_MS + 1,
        "the local clock was dragged {} ms ahead",
        next - now_ms()
    );
}

// ---- 5. order and scope of the checks ----------------------------------------------------

#[test]
fn two_rows_with_one_primary_key_are_refused_as_damage() {
    // quick_check does not compare indexes with their tables: only integrity_check
    // finds the second row under an id that must be unique.
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, city_id, _) = sent(dir.path(), "duplicate");
    let conn = rusqlite::Connection::open(&path).expect("open");
    let table_sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'city'",
            [],
            |r| r.get(0),
        )
        .expect("sql");
    let index: String = conn
        .query_row(
            "SELECT name FROM sqlite_schema WHERE tbl_name = 'city' AND name LIKE 'sqlite_autoindex_%'",
            [],
            |r| r.get(0),
        )
        .expect("the primary key's index");
    drop(conn);
    // Make the primary key's index an ordinary one, add a second row with the same
    // id, then make it the primary key's index again: the file is well formed page by
    // page, and holds two rows for one id.
    let hidden = table_sql.replacen("id TEXT PRIMARY KEY", "id TEXT", 1);
    assert_ne!(hidden, table_sql, "the table declares its key as expected");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA writable_schema = ON;")
        .expect("writable");
    conn.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'city'",
        [&hidden],
    )
    .expect("hide the key");
    conn.execute(
        "UPDATE sqlite_schema SET name = 'plain_index', sql = 'CREATE INDEX plain_index ON city(id)' WHERE name = ?1",
        [&index],
    )
    .expect("plain index");
    drop(conn);
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA foreign_keys = OFF;")
        .expect("no key checks");
    conn.execute(
        "INSERT INTO city (id, created_at, updated_at, updated_by, deleted, name, country)
         SELECT id, created_at, updated_at, updated_by, deleted, 'Twin', country FROM city WHERE id = ?1",
        [&city_id],
    )
    .expect("second row");
    conn.execute_batch("PRAGMA writable_schema = ON;")
        .expect("writable");
    conn.execute(
        "UPDATE sqlite_schema SET sql = ?1 WHERE name = 'city'",
        [&table_sql],
    )
    .expect("restore the key");
    conn.execute(
        "UPDATE sqlite_schema SET name = ?1, sql = NULL WHERE name = 'plain_index'",
        [&index],
    )
    .expect("restore the index");
    drop(conn);
    let quick: String = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .expect("quick_check");
    assert_eq!(quick, "ok", "the forgery passes quick_check");
    let err = refused(&path);
    assert_eq!(err.code(), "corrupt", "{err}");
}

#[test]
fn an_older_file_is_compared_with_the_schema_before_its_integrity_is_checked() {
    // A file that says it is of an older version but whose schema is not that
    // version's is refused for its schema, before any integrity code reads it.
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = sent(dir.path(), "older");
    tamper(&path, "PRAGMA user_version = 1;");
    // Damage one data table's page (not the schema's, which must stay readable).
    let (root, page): (i64, i64) = {
        let conn = rusqlite::Connection::open(&path).expect("open");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_schema WHERE name = 'cost_entry'",
                [],
                |r| r.get(0),
            )
            .expect("root page");
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        (root, size)
    };
    let mut bytes = std::fs::read(&path).expect("read");
    let at = ((root - 1) * page) as usize;
    for b in &mut bytes[at..at + 64] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("write");
    let err = refused(&path);
    assert_eq!(err.code(), "unexpected_schema", "{err}");
}

#[test]
fn rowids_at_both_ends_of_the_range_merge_without_looping() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, city_id, _) = sent(dir.path(), "rowids");
    tamper(
        &path,
        &format!(
            "UPDATE city SET rowid = 9223372036854775807 WHERE id = '{city_id}';
             INSERT INTO city (rowid, id, created_at, updated_at, updated_by, deleted, name, country)
             VALUES (-9223372036854775808, '0190b6a0-0000-7000-8000-0000000000aa', 1, 1, '{SENDER}', 0, 'Far', 'MX');"
        ),
    );
    let (local, _) = local(dir.path());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut store = Store::open_existing(&local).expect("open");
        let merged = merge::merge_file(&mut store, &path, &MergeOptions::default(), |_, _| true)
            .map(|s| s.totals.new);
        let _ = tx.send(merged);
    });
    let new = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the merge ends")
        .expect("merged");
    assert_eq!(new, 3, "two cities and the membership");
}

// ---- 7. tombstones of records never held here -----------------------------------------

const CDP_CSV: &str = "Year Reported to CDP,Account Number,Organization,City,Country,CDP Region,Reporting Authority,Access,First Time Discloser,Population,Population Year,City Location,Last update\n\
2018,31090,Municipio de León,León,Mexico,Latin America,CDP Cities,public,No,1578626,2015,POINT (-101.68 21.12),2020-06-25T04:52:49.050\n";

#[test]
fn a_tombstone_of_a_record_never_held_here_is_kept_counted_and_does_not_block_a_cdp_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("cities.csv");
    std::fs::write(&csv, CDP_CSV).expect("csv");
    // The sender imported CDP's cities, then deleted León.
    let work = dir.path().join("sender.work.cabildo");
    let sent = dir.path().join("sender.cabildo");
    {
        let mut sender = Store::create(&work, &office(SENDER, "Sender")).expect("create");
        cabildo::exchange::cdp::import_file(&mut sender, &csv, |_, _| true).expect("import");
        let leon = sender
            .list::<City>(None)
            .expect("cities")
            .into_iter()
            .find(|c| c.name == "León")
            .expect("León");
        sender
            .delete(cabildo::RecordKind::City, &leon.meta.id)
            .expect("delete");
        sender.export_snapshot(&sent).expect("export");
    }
    let (local, _) = local(dir.path());
    let mut store = Store::open_existing(&local).expect("open");
    let plan = merge::plan_merge(&store, &sent).expect("plan");
    // León and what went to the trash with it (its CDP records).
    assert_eq!(plan.unseen_tombstones, 3, "its own line in the preview");
    assert!(plan.totals.tombstoned >= 1);
    merge::apply_merge(&mut store, &plan, |_, _| true).expect("merge");
    assert_eq!(store.trash().expect("trash").len(), 1, "kept, deleted");
    // Importing CDP's list here brings León in: the deletion was not this office's.
    let report =
        cabildo::exchange::cdp::import_file(&mut store, &csv, |_, _| true).expect("import here");
    assert_eq!(report.rows_skipped, 0, "{:?}", report.warnings);
    let names: Vec<String> = store
        .list::<City>(None)
        .expect("cities")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(names.contains(&"León".to_string()), "{names:?}");
}

#[test]
fn an_edit_of_a_catalog_network_is_counted_apart_in_the_preview() {
    let dir = tempfile::tempdir().expect("tempdir");
    let work = dir.path().join("sender.work.cabildo");
    let sent = dir.path().join("sender.cabildo");
    {
        let mut sender = Store::create(&work, &office(SENDER, "Sender")).expect("create");
        let mut c40: Network = sender
            .list::<Network>(None)
            .expect("networks")
            .into_iter()
            .find(|n| n.acronym == "C40")
            .expect("C40");
        c40.name = "C40 renamed".into();
        sender.update(c40).expect("edit");
        sender.export_snapshot(&sent).expect("export");
    }
    let (local, _) = local(dir.path());
    let store = Store::open_existing(&local).expect("open");
    let plan = merge::plan_merge(&store, &sent).expect("plan");
    assert_eq!(plan.catalog_changes, 1);
}

// ---- 6. settings cannot bloat ------------------------------------------------------------

#[test]
fn an_office_that_knows_many_peers_can_still_restore_its_backups() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (local, _) = local(dir.path());
    {
        let conn = rusqlite::Connection::open(&local).expect("open");
        conn.execute_batch("BEGIN").expect("begin");
        for n in 0..20_000 {
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?1, '1000')",
                [format!("known_stamp:peer-{n:05}")],
            )
            .expect("known");
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    let mut store = Store::open_existing(&local).expect("open");
    let backup = store.backup_to_folder().expect("backup").expect("a file");
    merge::restore_backup(&mut store, Path::new(&backup.path)).expect("restored");
}
