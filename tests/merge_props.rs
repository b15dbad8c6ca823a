//! Merging received files: the properties that make offices converge (idempotent,
//! commutative, associative, nothing lost), checked on generated databases, and the
//! behaviour around them (conflicts, cancellation, history, backups, old files).

mod common;

use common::city;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use rusqlite::types::Value;

use cabildo::exchange::merge::{self, MergeOptions, MergeSide, MergeSummary};
use cabildo::kinds::RecordKind;
use cabildo::model::*;
use cabildo::store::NewOffice;
use cabildo::{Error, Store};

// ---- helpers ------------------------------------------------------------------------

fn office_id(n: u8) -> String {
    format!("00000000-0000-4000-8000-0000000000{n:02x}")
}

fn create(dir: &Path, name: &str, office: u8) -> Store {
    Store::create(
        &dir.join(format!("{name}.cabildo")),
        &NewOffice {
            id: Some(office_id(office)),
            name: format!("Office {name}"),
            ..NewOffice::default()
        },
    )
    .expect("create store")
}

/// A consistent copy of a store's file, as an office would send it.
fn send(store: &Store, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(format!("{name}.sent.cabildo"));
    store.export_snapshot(&out).expect("export");
    out
}

/// A working copy of a sent file, opened as the receiving office's database.
fn open_copy(sent: &Path, dir: &Path, name: &str) -> Store {
    let path = dir.join(format!("{name}.cabildo"));
    std::fs::copy(sent, &path).expect("copy");
    Store::open_existing(&path).expect("open copy")
}

fn full_check() -> MergeOptions {
    MergeOptions {
        skip_known_files: false,
        ..MergeOptions::default()
    }
}

fn merge_in(store: &mut Store, file: &Path) -> MergeSummary {
    merge::merge_file(store, file, &MergeOptions::default(), |_, _| true).expect("merge")
}

/// Every record table's rows, ordered by id, tombstones included.
fn records(path: &Path) -> BTreeMap<&'static str, Vec<Vec<Value>>> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("open for reading");
    let mut out = BTreeMap::new();
    for kind in RecordKind::ALL {
        let table = kind.desc().table;
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
            .expect("select");
        let n = stmt.column_count();
        let rows: Vec<Vec<Value>> = stmt
            .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .expect("query")
            .map(|r| r.expect("row"))
            .collect();
        out.insert(table, rows);
    }
    out
}

fn metric(city_id: &str, value: i32) -> Metric {
    Metric {
        meta: Meta::default(),
        city_id: city_id.into(),
        year: 2020,
        name: "emissions_tco2e".into(),
        value: Some(value as f64),
        value_text: None,
        unit: None,
        source: None,
    }
}

/// An edit an office makes between exchanges.
#[derive(Debug, Clone)]
enum Edit {
    AddCity(u8),
    AddMetric(u8, i32),
    AddMembership(u8, u8),
    RenameCity(u8, u8),
    SetMetric(u8, i32),
    Delete(u8, u8),
    Restore(u8, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<u8>().prop_map(Edit::AddCity),
        (any::<u8>(), -1000..1000i32).prop_map(|(c, v)| Edit::AddMetric(c, v)),
        (any::<u8>(), any::<u8>()).prop_map(|(c, n)| Edit::AddMembership(c, n)),
        (any::<u8>(), any::<u8>()).prop_map(|(c, n)| Edit::RenameCity(c, n)),
        (any::<u8>(), -1000..1000i32).prop_map(|(m, v)| Edit::SetMetric(m, v)),
        (any::<u8>(), any::<u8>()).prop_map(|(k, p)| Edit::Delete(k, p)),
        (any::<u8>(), any::<u8>()).prop_map(|(k, p)| Edit::Restore(k, p)),
    ]
}

const EDITED_KINDS: [RecordKind; 3] =
    [RecordKind::City, RecordKind::Metric, RecordKind::Membership];

fn pick<T: Clone>(items: &[T], n: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[n as usize % items.len()].clone())
}

fn trashed(store: &Store, kind: RecordKind) -> Vec<String> {
    store
        .trash()
        .expect("trash")
        .into_iter()
        .filter(|t| t.kind == kind)
        .map(|t| t.id)
        .collect()
}

fn live_ids(store: &Store, kind: RecordKind) -> Vec<String> {
    store
        .list_json(kind, None)
        .expect("list")
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.get("id").and_then(|v| v.as_str()).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Applies an edit through the public API; edits the rules refuse (a parent in the
/// trash, say) are simply not made, as in the app.
fn apply(store: &mut Store, edit: &Edit) {
    let cities: Vec<City> = store.list(None).expect("cities");
    let result = match edit {
        Edit::AddCity(n) => store.insert(city(&format!("City {n}"))).map(|_| ()),
        Edit::AddMetric(c, v) => match pick(&cities, *c) {
            Some(city) => store.insert(metric(&city.meta.id, *v)).map(|_| ()),
            None => Ok(()),
        },
        Edit::AddMembership(c, n) => {
            let networks: Vec<Network> = store.list(None).expect("networks");
            match (pick(&cities, *c), pick(&networks, *n)) {
                (Some(city), Some(network)) => store
                    .insert(Membership::new(&city.meta.id, &network.meta.id))
                    .map(|_| ()),
                _ => Ok(()),
            }
        }
        Edit::RenameCity(c, n) => match pick(&cities, *c) {
            Some(mut city) => {
                city.name = format!("{} / {n}", city.name);
                store.update(city).map(|_| ())
            }
            None => Ok(()),
        },
        Edit::SetMetric(m, v) => {
            let metrics: Vec<Metric> = store.list(None).expect("metrics");
            match pick(&metrics, *m) {
                Some(mut metric) => {
                    metric.value = Some(*v as f64);
                    store.update(metric).map(|_| ())
                }
                None => Ok(()),
            }
        }
        Edit::Delete(k, p) => {
            let kind = EDITED_KINDS[*k as usize % EDITED_KINDS.len()];
            match pick(&live_ids(store, kind), *p) {
                Some(id) => store.delete(kind, &id).map(|_| ()),
                None => Ok(()),
            }
        }
        Edit::Restore(k, p) => {
            let kind = EDITED_KINDS[*k as usize % EDITED_KINDS.len()];
            match pick(&trashed(store, kind), *p) {
                Some(id) => store.restore(kind, &id),
                None => Ok(()),
            }
        }
    };
    match result {
        Ok(()) | Err(Error::Invalid { .. }) => {}
        Err(e) => panic!("edit {edit:?} failed: {e}"),
    }
}

/// Three offices that share a common starting file, then each edit it.
struct Offices {
    dir: tempfile::TempDir,
    sent: Vec<PathBuf>,
}

fn offices(edits: [&[Edit]; 3]) -> Offices {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut origin = create(dir.path(), "origin", 1);
    let mut first = String::new();
    for n in 0..3 {
        let c = origin.insert(city(&format!("Shared {n}"))).expect("city");
        origin.insert(metric(&c.meta.id, n)).expect("metric");
        first = c.meta.id.clone();
    }
    let networks: Vec<Network> = origin.list(None).expect("networks");
    origin
        .insert(Membership::new(&first, &networks[0].meta.id))
        .expect("membership");
    let shared = send(&origin, dir.path(), "origin");
    let mut sent = Vec::new();
    for (i, name) in ["a", "b", "c"].iter().enumerate() {
        let mut store = create(dir.path(), name, 10 + i as u8);
        merge_in(&mut store, &shared);
        for e in edits[i] {
            apply(&mut store, e);
        }
        sent.push(send(&store, dir.path(), name));
    }
    Offices { dir, sent }
}

/// Merges files in order into a fresh, empty office and returns its records.
fn merged(dir: &Path, name: &str, files: &[&PathBuf]) -> BTreeMap<&'static str, Vec<Vec<Value>>> {
    let mut store = create(dir, name, 99);
    for f in files {
        merge_in(&mut store, f);
    }
    records(store.path().expect("file"))
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn merging_the_same_file_twice_changes_nothing_the_second_time(
        a in edits(), b in edits()
    ) {
        let o = offices([&a, &b, &[]]);
        let mut x = open_copy(&o.sent[0], o.dir.path(), "x");
        merge_in(&mut x, &o.sent[1]);
        let once = records(x.path().expect("file"));
        // The full path (no recognition by fingerprint) must also find nothing to do.
        let again = merge::merge_file(&mut x, &o.sent[1], &full_check(), |_, _| true)
            .expect("second merge");
        prop_assert_eq!(again.totals.changes(), 0);
        prop_assert!(again.merge_id.is_none());
        prop_assert_eq!(records(x.path().expect("file")), once);
    }

    #[test]
    fn a_merged_into_b_equals_b_merged_into_a(a in edits(), b in edits()) {
        let o = offices([&a, &b, &[]]);
        let mut ab = open_copy(&o.sent[0], o.dir.path(), "ab");
        merge_in(&mut ab, &o.sent[1]);
        let mut ba = open_copy(&o.sent[1], o.dir.path(), "ba");
        merge_in(&mut ba, &o.sent[0]);
        prop_assert_eq!(records(ab.path().expect("file")), records(ba.path().expect("file")));
    }

    #[test]
    fn the_order_and_grouping_of_three_files_does_not_matter(
        a in edits(), b in edits(), c in edits()
    ) {
        let o = offices([&a, &b, &c]);
        let d = o.dir.path();
        let [fa, fb, fc] = [&o.sent[0], &o.sent[1], &o.sent[2]];
        let abc = merged(d, "abc", &[fa, fb, fc]);
        prop_assert_eq!(&merged(d, "cab", &[fc, fa, fb]), &abc);
        prop_assert_eq!(&merged(d, "bca", &[fb, fc, fa]), &abc);
        // (B ⊕ C) sent as one file, then merged into A, equals (A ⊕ B) ⊕ C.
        let mut bc = open_copy(fb, d, "bc");
        merge_in(&mut bc, fc);
        let bc_sent = send(&bc, d, "bc");
        let mut a_bc = open_copy(fa, d, "a_bc");
        merge_in(&mut a_bc, &bc_sent);
        let mut ab_c = open_copy(fa, d, "ab_c");
        merge_in(&mut ab_c, fb);
        merge_in(&mut ab_c, fc);
        prop_assert_eq!(records(a_bc.path().expect("file")), records(ab_c.path().expect("file")));
    }

    #[test]
    fn no_record_is_lost_unless_a_newer_tombstone_says_so(
        a in edits(), b in edits(), c in edits()
    ) {
        let o = offices([&a, &b, &c]);
        let inputs: Vec<_> = o.sent.iter().map(|f| records(f)).collect();
        let result = merged(o.dir.path(), "all", &[&o.sent[0], &o.sent[1], &o.sent[2]]);
        // Columns 0..5: id, created_at, updated_at, updated_by, deleted.
        for (table, rows) in &result {
            let by_id: HashMap<String, &Vec<Value>> = rows.iter().map(|r| (id_of(r), r)).collect();
            let mut newest: HashMap<String, &Vec<Value>> = HashMap::new();
            for input in &inputs {
                for row in &input[table] {
                    let best = newest.entry(id_of(row)).or_insert(row);
                    if newer(row, best) {
                        *best = row;
                    }
                }
            }
            for (id, winner) in newest {
                let found = by_id.get(&id);
                prop_assert!(found.is_some(), "{} {} lost", table, id);
                let found = found.expect("checked");
                prop_assert_eq!(&found[2..5], &winner[2..5], "{} {}", table, id);
                if found[4] == Value::Integer(1) {
                    prop_assert_eq!(&winner[4], &Value::Integer(1));
                }
            }
        }
    }
}

fn id_of(row: &[Value]) -> String {
    match &row[0] {
        Value::Text(id) => id.clone(),
        other => format!("{other:?}"),
    }
}

/// Whether row `x` is a later write than row `y`, by (updated_at, updated_by).
fn newer(x: &[Value], y: &[Value]) -> bool {
    match (&x[2], &x[3], &y[2], &y[3]) {
        (Value::Integer(tx), Value::Text(bx), Value::Integer(ty), Value::Text(by)) => {
            (tx, bx) > (ty, by)
        }
        _ => false,
    }
}

// ---- behaviour --------------------------------------------------------------------------

#[test]
fn an_edit_made_after_receiving_the_other_version_is_an_update_not_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let city_a = a.insert(city("Guadalajara")).expect("city");
    let a_sent = send(&a, dir.path(), "a1");
    let mut b = create(dir.path(), "b", 2);
    merge_in(&mut b, &a_sent);
    let mut edited: City = b.get(&city_a.meta.id).expect("received");
    edited.population = Some(5_000_000);
    b.update(edited).expect("edit");
    let b_sent = send(&b, dir.path(), "b1");
    let plan = merge::plan_merge(&a, &b_sent).expect("plan");
    assert_eq!(plan.totals.conflicts, 0);
    assert_eq!(plan.totals.updated, 1);
    merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    let now: City = a.get(&city_a.meta.id).expect("city");
    assert_eq!(now.population, Some(5_000_000));
}

#[test]
fn concurrent_edits_are_a_conflict_whose_losing_version_is_logged_and_restorable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let shared = a.insert(city("Monterrey")).expect("city");
    let a_sent = send(&a, dir.path(), "a1");
    let mut b = create(dir.path(), "b", 2);
    merge_in(&mut b, &a_sent);
    // Both offices edit the same city without having seen the other's edit.
    let mut in_b: City = b.get(&shared.meta.id).expect("received");
    in_b.name = "Monterrey (B)".into();
    b.update(in_b).expect("edit b");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut in_a: City = a.get(&shared.meta.id).expect("own");
    in_a.name = "Monterrey (A)".into();
    a.update(in_a).expect("edit a");
    let b_sent = send(&b, dir.path(), "b1");

    let plan = merge::plan_merge(&a, &b_sent).expect("plan");
    assert_eq!(plan.totals.conflicts, 1);
    let pair = &plan.conflicts[0];
    assert_eq!(pair.kind, RecordKind::City);
    assert_eq!(pair.local["name"], "Monterrey (A)");
    assert_eq!(pair.incoming["name"], "Monterrey (B)");
    assert_eq!(pair.winner, MergeSide::Local, "A's edit is the later one");
    let summary = merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    assert_eq!(summary.conflicts_logged, 1);
    assert!(summary.backup.is_some());

    let log = merge::conflict_log(&a, false).expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].losing["name"], "Monterrey (B)");
    assert_eq!(log[0].label, "Monterrey (A)");
    let kept: City = a.get(&shared.meta.id).expect("city");
    assert_eq!(kept.name, "Monterrey (A)");

    merge::restore_conflict(&mut a, &log[0].id).expect("restore");
    let restored: City = a.get(&shared.meta.id).expect("city");
    assert_eq!(restored.name, "Monterrey (B)");
    assert_eq!(restored.meta.updated_by, a.office().id);
    assert!(merge::conflict_log(&a, false).expect("log").is_empty());
    assert_eq!(merge::conflict_log(&a, true).expect("log").len(), 1);

    // The restored version is the newest: it wins when B receives it.
    let a_sent = send(&a, dir.path(), "a2");
    merge_in(&mut b, &a_sent);
    let in_b: City = b.get(&shared.meta.id).expect("city");
    assert_eq!(in_b.name, "Monterrey (B)");
}

#[test]
fn a_newer_tombstone_moves_the_record_to_the_trash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let c = a.insert(city("Puebla")).expect("city");
    let a_sent = send(&a, dir.path(), "a1");
    let mut b = create(dir.path(), "b", 2);
    merge_in(&mut b, &a_sent);
    b.delete(RecordKind::City, &c.meta.id).expect("delete");
    let plan = merge::plan_merge(&a, &send(&b, dir.path(), "b1")).expect("plan");
    assert_eq!(plan.totals.tombstoned, 1);
    merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    assert!(!a.exists(RecordKind::City, &c.meta.id).expect("exists"));
    assert_eq!(a.trash().expect("trash").len(), 1);
}

#[test]
fn cancelling_a_merge_leaves_the_local_records_as_they_were() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = create(dir.path(), "b", 2);
    for n in 0..50 {
        b.insert(city(&format!("City {n}"))).expect("city");
    }
    let b_sent = send(&b, dir.path(), "b1");
    let mut a = create(dir.path(), "a", 1);
    let before = records(a.path().expect("file"));
    let plan = merge::plan_merge(&a, &b_sent).expect("plan");
    let mut calls = 0;
    let err = merge::apply_merge(&mut a, &plan, |_, _| {
        calls += 1;
        calls < 2
    })
    .expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
    assert_eq!(records(a.path().expect("file")), before);
    assert!(merge::merge_history(&a).expect("history").is_empty());
    // The same plan can still be applied afterwards.
    let done = merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    assert_eq!(done.totals.new, 50);
}

#[test]
fn progress_is_reported_up_to_the_total() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = create(dir.path(), "b", 2);
    for n in 0..20 {
        b.insert(city(&format!("City {n}"))).expect("city");
    }
    let mut a = create(dir.path(), "a", 1);
    let mut seen = Vec::new();
    merge::merge_file(
        &mut a,
        &send(&b, dir.path(), "b1"),
        &MergeOptions::default(),
        |d, t| {
            seen.push((d, t));
            true
        },
    )
    .expect("merge");
    let (done, total) = *seen.last().expect("progress");
    assert_eq!(done, total);
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn the_merge_is_recorded_with_the_office_the_file_and_the_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = create(dir.path(), "b", 2);
    b.insert(city("León")).expect("city");
    let b_sent = send(&b, dir.path(), "b1");
    let mut a = create(dir.path(), "a", 1);
    let summary = merge_in(&mut a, &b_sent);
    let history = merge::merge_history(&a).expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(Some(history[0].id.clone()), summary.merge_id);
    assert_eq!(history[0].from_office_id, office_id(2));
    assert_eq!(history[0].from_office_name, "Office b");
    assert!(history[0].source_file.ends_with("b1.sent.cabildo"));
    assert_eq!(history[0].totals.new, 1);
    // The same bytes again are recognised without being opened.
    let plan = merge::plan_merge(&a, &b_sent).expect("plan");
    assert_eq!(plan.already_merged_at, Some(history[0].merged_at));
    let again = merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    assert!(again.already_merged && again.merge_id.is_none());
}

#[test]
fn the_local_clock_moves_past_the_newest_stamp_received() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = create(dir.path(), "b", 2);
    // A stamp half an hour ahead of this machine's clock (within the accepted skew).
    let ahead = cabildo::store::now_ms() + 30 * 60 * 1000;
    b.insert_stamped(City {
        meta: Meta {
            id: "0190b6a0-0000-7000-8000-000000000001".into(),
            created_at: ahead,
            updated_at: ahead,
            updated_by: office_id(2),
            deleted: false,
            trashed_with: None,
        },
        ..city("Tijuana")
    })
    .expect("stamped");
    let mut a = create(dir.path(), "a", 1);
    merge_in(&mut a, &send(&b, dir.path(), "b1"));
    assert!(a.next_stamp() > ahead);
}

#[test]
fn backups_are_kept_rotated_and_restorable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let first = a.insert(city("Mérida")).expect("city");
    let backup = a.backup_to_folder().expect("backup").expect("on disk");
    a.delete(RecordKind::City, &first.meta.id).expect("delete");
    for _ in 0..12 {
        a.backup_to_folder().expect("backup");
    }
    let list = merge::list_backups(a.path().expect("file")).expect("list");
    assert_eq!(list.len(), cabildo::store::backups::KEEP_BACKUPS);
    assert!(list.windows(2).all(|w| w[0].taken_at >= w[1].taken_at));
    assert!(
        !list.iter().any(|b| b.path == backup.path),
        "oldest dropped"
    );

    let b = create(dir.path(), "b", 2);
    let foreign = b.backup_to_folder().expect("backup").expect("on disk");
    let err = merge::restore_backup(&mut a, Path::new(&foreign.path)).expect_err("foreign");
    assert_eq!(err.code(), "foreign_backup");
    let newest = &list[0];
    let safety = merge::restore_backup(&mut a, Path::new(&newest.path)).expect("restore");
    assert!(safety.is_some());
    assert!(!a.exists(RecordKind::City, &first.meta.id).expect("exists"));
}

#[test]
fn restoring_a_backup_brings_back_the_state_it_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let c = a.insert(city("Oaxaca")).expect("city");
    let before = a.backup_to_folder().expect("backup").expect("on disk");
    a.delete(RecordKind::City, &c.meta.id).expect("delete");
    let stamp_before_restore = a.next_stamp();
    merge::restore_backup(&mut a, Path::new(&before.path)).expect("restore");
    assert!(a.exists(RecordKind::City, &c.meta.id).expect("exists"));
    assert!(
        a.next_stamp() > stamp_before_restore,
        "the clock never goes back"
    );
}

#[test]
fn a_file_of_an_older_schema_is_upgraded_in_a_copy_and_merged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.cabildo");
    {
        let conn = rusqlite::Connection::open(&old).expect("open");
        conn.execute_batch(include_str!("../src/store/schema/001_initial.sql"))
            .expect("schema v1");
        conn.execute_batch(&format!(
            "PRAGMA application_id = {};
             PRAGMA user_version = 1;
             INSERT INTO settings VALUES ('office_id', '{}'), ('office_name', 'Old office'),
               ('reporting_currency', 'MXN'), ('language', 'es');
             INSERT INTO city (id, created_at, updated_at, updated_by, deleted, name, country)
               VALUES ('0190b6a0-0000-7000-8000-0000000000aa', 1700000000000, 1700000000000, '{}', 0, 'Toluca', 'MX');",
            cabildo::store::APPLICATION_ID,
            office_id(7),
            office_id(7)
        ))
        .expect("data v1");
    }
    let original = std::fs::read(&old).expect("read");
    let mut a = create(dir.path(), "a", 1);
    let plan = merge::plan_merge(&a, &old).expect("plan");
    assert_eq!(plan.source.schema_version, 1);
    assert_eq!(plan.totals.new, 1);
    merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    let toluca: City = a
        .get("0190b6a0-0000-7000-8000-0000000000aa")
        .expect("merged");
    assert_eq!(toluca.name, "Toluca");
    assert_eq!(
        std::fs::read(&old).expect("read"),
        original,
        "never upgraded in place"
    );
}

#[test]
fn two_offices_importing_the_same_file_then_exchanging_get_no_conflicts_or_duplicates() {
    // Seeded catalogs and the records of deterministic imports carry the same ids.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut a = create(dir.path(), "a", 1);
    let b = create(dir.path(), "b", 2);
    let plan = merge::plan_merge(&a, &send(&b, dir.path(), "b1")).expect("plan");
    assert_eq!(plan.totals.changes(), 0);
    assert_eq!(
        plan.totals.unchanged as usize,
        a.list::<Network>(None).expect("catalog").len()
            + a.list::<FeeRule>(None).expect("fee rules").len()
    );
    let summary = merge::apply_merge(&mut a, &plan, |_, _| true).expect("apply");
    assert!(
        summary.merge_id.is_none(),
        "nothing to write, nothing recorded"
    );
}

#[test]
fn a_large_table_is_counted_the_same_when_split_across_two_connections() {
    // Above 50,000 rows the largest table is counted in two halves on two connections.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut b = create(dir.path(), "b", 2);
    let c = b.insert(city("Querétaro")).expect("city");
    let ids: Vec<String> = b
        .transaction(|b| {
            (0..52_000)
                .map(|n| Ok(b.insert(metric(&c.meta.id, n % 1000))?.meta.id))
                .collect()
        })
        .expect("metrics");
    let mut a = create(dir.path(), "a", 1);
    let first = merge_in(&mut a, &send(&b, dir.path(), "b1"));
    assert_eq!(first.totals.new, 52_001);
    // Both edit the same five metrics at the end of the table (the second half);
    // only B edits five more.
    for id in ids.iter().rev().take(10) {
        let mut m: Metric = b.get(id).expect("metric");
        m.value = Some(-1.0);
        b.update(m).expect("edit b");
    }
    for id in ids.iter().rev().take(5) {
        let mut m: Metric = a.get(id).expect("metric");
        m.value = Some(-2.0);
        a.update(m).expect("edit a");
    }
    let plan = merge::plan_merge(&a, &send(&b, dir.path(), "b2")).expect("plan");
    let metrics = plan
        .kinds
        .iter()
        .find(|k| k.kind == RecordKind::Metric)
        .expect("metrics");
    assert_eq!(metrics.counts.incoming, 52_000);
    assert_eq!(metrics.counts.conflicts, 5);
    assert_eq!(metrics.counts.updated, 5);
    assert_eq!(metrics.counts.unchanged, 52_000 - 10);
}
