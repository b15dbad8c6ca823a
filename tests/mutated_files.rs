//! Thousands of damaged and forged received files (issue 10): byte flips, truncation,
//! page shuffles, and rows rewritten by SQL (out-of-range integers, huge texts,
//! extreme rowids, forged stamps and office ids, broken references, wrong types).
//! Whatever the file, the merge never panics; a refusal has one of the exchange's
//! error codes and leaves the local file as it was byte for byte; a file that is
//! taken in leaves a sound database whose every kind still loads.
//!
//! `MUTATED_FILES_CASES` sets the number of cases (default 2,000).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::model::*;
use cabildo::store::{now_ms, NewOffice};
use cabildo::{RecordKind, Store};

const LOCAL: &str = "00000000-0000-4000-8000-000000000001";
const SENDER: &str = "00000000-0000-4000-8000-000000000002";

/// Codes a refusal of a received file may carry: each says what is wrong with it.
const CLEAR_CODES: &[&str] = &[
    "not_cabildo",
    "corrupt",
    "newer_schema",
    "unexpected_schema",
    "bad_value",
    "record_rules",
    "sender_clock_ahead",
    "too_many_rows",
    "file_too_large",
    "merge_into_itself",
    "dangling_reference",
    "migration",
];

struct Fixture {
    _dir: tempfile::TempDir,
    sent: Vec<u8>,
    local: Vec<u8>,
    page_size: usize,
}

fn office(id: &str, name: &str) -> NewOffice {
    NewOffice {
        id: Some(id.into()),
        name: name.into(),
        ..NewOffice::default()
    }
}

/// One valid received file with a record of most kinds, and the local file.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let work = dir.path().join("sender.work.cabildo");
        let sent = dir.path().join("sender.cabildo");
        {
            let mut s = Store::create(&work, &office(SENDER, "Sender")).expect("create");
            let c = s.insert(common::city("Aguascalientes")).expect("city");
            let c40 = common::network_id(&s, "C40");
            let m = s
                .insert(common::membership(&c.meta.id, &c40))
                .expect("membership");
            s.insert(common::meeting(
                &m.meta.id,
                "2025-03-01",
                Ask::FinancingPathway,
                MeetingResult::Achieved,
            ))
            .expect("meeting");
            s.insert(common::money_cost(
                &c.meta.id,
                Some(&m.meta.id),
                "2025-03-02",
                CostCategory::Travel,
                12_000_00,
                "MXN",
            ))
            .expect("cost");
            let p = s.insert(common::project(&c.meta.id)).expect("project");
            let o = s
                .insert(common::financing(
                    &c.meta.id,
                    "2025-04-01",
                    5_000_000_00,
                    "MXN",
                ))
                .expect("outcome");
            s.insert(common::acceleration(
                &c.meta.id,
                &p.meta.id,
                "2025-04-02",
                3.0,
            ))
            .expect("acceleration");
            s.insert(common::attribution(&o.meta.id, &m.meta.id, 5_000))
                .expect("attribution");
            s.insert(common::metric(&c.meta.id, 2024)).expect("metric");
            s.insert(common::rate("USD", "2025-01-01", 17.5))
                .expect("rate");
            s.insert(common::role_rate("analyst", 300_00, "2024-01-01", None))
                .expect("role rate");
            s.export_snapshot(&sent).expect("export");
        }
        let local = dir.path().join("local.cabildo");
        {
            let mut l = Store::create(&local, &office(LOCAL, "Local")).expect("create");
            l.insert(common::city("Zapopan")).expect("city");
        }
        let page_size = {
            let conn = rusqlite::Connection::open(&sent).expect("open");
            conn.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0))
                .expect("page size") as usize
        };
        Fixture {
            sent: std::fs::read(&sent).expect("read"),
            local: std::fs::read(&local).expect("read"),
            page_size,
            _dir: dir,
        }
    })
}

/// A way to damage or forge the received file.
#[derive(Debug, Clone)]
enum Mutation {
    Flips(Vec<(prop::sample::Index, u8)>),
    Truncate(prop::sample::Index),
    SwapPages(prop::sample::Index, prop::sample::Index),
    Sql(SqlEdit),
    /// An SQL rewrite, then damage to the bytes.
    SqlThenFlips(SqlEdit, Vec<(prop::sample::Index, u8)>),
}

#[derive(Debug, Clone)]
enum SqlEdit {
    /// An integer column set to an extreme value.
    Integer(usize, i64),
    HugeText(usize, usize),
    Rowid(usize, i64),
    Stamp(usize, i64),
    OfficeId(usize),
    Writer(usize, usize),
    Claim(usize, i64),
    DeleteParent(usize),
    WrongType(usize, usize),
}

/// (table, integer column) pairs that exist in the schema.
const INTEGER_COLUMNS: &[(&str, &str)] = &[
    ("city", "population"),
    ("city", "population_year"),
    ("membership", "dues_minor"),
    ("cost_entry", "amount_minor"),
    ("project", "baseline_months"),
    ("project", "capex_minor"),
    ("outcome", "amount_minor"),
    ("outcome", "committed_minor"),
    ("attribution", "share_bp"),
    ("metric", "year"),
    ("role_rate", "hourly_minor"),
    ("city", "created_at"),
];

const TABLES: &[&str] = &[
    "city",
    "network",
    "membership",
    "meeting",
    "cost_entry",
    "project",
    "outcome",
    "attribution",
    "metric",
    "exchange_rate",
    "role_rate",
];

const TEXT_COLUMNS: &[(&str, &str)] = &[
    ("city", "name"),
    ("city", "country"),
    ("membership", "status"),
    ("meeting", "title"),
    ("cost_entry", "spent_on"),
    ("outcome", "currency"),
    ("network", "acronym"),
];

const EXTREMES: &[i64] = &[
    i64::MIN,
    -1,
    0,
    i32::MAX as i64 + 1,
    1_000_000_000_000_000_001,
    i64::MAX,
];

const OFFICE_IDS: &[&str] = &[LOCAL, "", "not an office!", "x'; DROP TABLE city; --"];

fn sql_edit() -> impl Strategy<Value = SqlEdit> {
    prop_oneof![
        (0..INTEGER_COLUMNS.len(), prop::sample::select(EXTREMES))
            .prop_map(|(c, v)| SqlEdit::Integer(c, v)),
        (
            0..TEXT_COLUMNS.len(),
            prop::sample::select(&[10_001usize, 200_000, 2_000_000][..])
        )
            .prop_map(|(c, n)| SqlEdit::HugeText(c, n)),
        (
            0..TABLES.len(),
            prop::sample::select(&[i64::MIN, -1, 0, i64::MAX][..])
        )
            .prop_map(|(t, r)| SqlEdit::Rowid(t, r)),
        (
            0..TABLES.len(),
            prop::sample::select(&[i64::MIN, -1, 3_600_001, 7_200_000, 100 * 365 * 86_400_000][..])
        )
            .prop_map(|(t, d)| SqlEdit::Stamp(t, d)),
        (0..OFFICE_IDS.len()).prop_map(SqlEdit::OfficeId),
        (0..TABLES.len(), 0..OFFICE_IDS.len()).prop_map(|(t, o)| SqlEdit::Writer(t, o)),
        (
            0..OFFICE_IDS.len(),
            prop::sample::select(&[-5i64, 0, i64::MAX, 1][..])
        )
            .prop_map(|(o, v)| SqlEdit::Claim(o, v)),
        (0..3usize).prop_map(SqlEdit::DeleteParent),
        (0..TEXT_COLUMNS.len(), 0..3usize).prop_map(|(c, k)| SqlEdit::WrongType(c, k)),
    ]
}

fn flips() -> impl Strategy<Value = Vec<(prop::sample::Index, u8)>> {
    proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => flips().prop_map(Mutation::Flips),
        1 => any::<prop::sample::Index>().prop_map(Mutation::Truncate),
        1 => (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::SwapPages(a, b)),
        4 => sql_edit().prop_map(Mutation::Sql),
        1 => (sql_edit(), flips()).prop_map(|(e, f)| Mutation::SqlThenFlips(e, f)),
    ]
}

fn apply_sql(path: &Path, edit: &SqlEdit) {
    let now = now_ms();
    let sql = match edit {
        SqlEdit::Integer(c, v) => {
            let (t, col) = INTEGER_COLUMNS[*c];
            format!("UPDATE {t} SET {col} = {v};")
        }
        SqlEdit::HugeText(c, n) => {
            let (t, col) = TEXT_COLUMNS[*c];
            format!("UPDATE {t} SET {col} = printf('%.*c', {n}, 'x');")
        }
        SqlEdit::Rowid(t, r) => {
            let t = TABLES[*t];
            format!("UPDATE {t} SET rowid = {r} WHERE rowid = (SELECT MAX(rowid) FROM {t});")
        }
        SqlEdit::Stamp(t, d) => {
            let t = TABLES[*t];
            let stamp = if *d < 0 { *d } else { now.saturating_add(*d) };
            format!("UPDATE {t} SET updated_at = {stamp};")
        }
        SqlEdit::OfficeId(o) => format!(
            "UPDATE settings SET value = '{}' WHERE key = 'office_id';",
            OFFICE_IDS[*o].replace('\'', "''")
        ),
        SqlEdit::Writer(t, o) => format!(
            "UPDATE {} SET updated_by = '{}', updated_at = {};",
            TABLES[*t],
            OFFICE_IDS[*o].replace('\'', "''"),
            now
        ),
        SqlEdit::Claim(o, v) => format!(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('known_stamp:{}', '{v}');",
            OFFICE_IDS[*o].replace('\'', "''")
        ),
        SqlEdit::DeleteParent(k) => [
            "DELETE FROM city;",
            "DELETE FROM membership;",
            "DELETE FROM outcome;",
        ][*k]
            .to_string(),
        SqlEdit::WrongType(c, k) => {
            let (t, col) = TEXT_COLUMNS[*c];
            let value = ["x'00ff'", "42", "NULL"][*k];
            format!("UPDATE {t} SET {col} = {value};")
        }
    };
    let conn = rusqlite::Connection::open(path).expect("open");
    // Constraints the sender could lift the same way.
    let _ = conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON; {sql}"
    ));
}

fn flip(bytes: &mut [u8], damage: &[(prop::sample::Index, u8)]) {
    for (at, value) in damage {
        let i = at.index(bytes.len());
        bytes[i] = *value;
    }
}

fn mutated(dir: &Path, mutation: &Mutation) -> PathBuf {
    let f = fixture();
    let path = dir.join("received.cabildo");
    let mut bytes = f.sent.clone();
    match mutation {
        Mutation::Flips(damage) => flip(&mut bytes, damage),
        Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
        Mutation::SwapPages(a, b) => {
            let pages = bytes.len() / f.page_size;
            let (a, b) = (a.index(pages), b.index(pages));
            if a != b {
                let (low, high) = (a.min(b), a.max(b));
                let (left, right) = bytes.split_at_mut(high * f.page_size);
                left[low * f.page_size..(low + 1) * f.page_size]
                    .swap_with_slice(&mut right[..f.page_size]);
            }
        }
        Mutation::Sql(_) | Mutation::SqlThenFlips(..) => {}
    }
    std::fs::write(&path, &bytes).expect("write");
    match mutation {
        Mutation::Sql(edit) => apply_sql(&path, edit),
        Mutation::SqlThenFlips(edit, damage) => {
            apply_sql(&path, edit);
            let mut edited = std::fs::read(&path).expect("read");
            flip(&mut edited, damage);
            std::fs::write(&path, &edited).expect("write");
        }
        _ => {}
    }
    path
}

fn cases() -> u32 {
    std::env::var("MUTATED_FILES_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // Shrinking reruns failing cases many times; the first failure says enough.
        max_shrink_iters: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_received_file_never_panics_and_a_refusal_changes_nothing(m in mutation()) {
        let f = fixture();
        let dir = tempfile::tempdir().expect("tempdir");
        let received = mutated(dir.path(), &m);
        let local = dir.path().join("local.cabildo");
        std::fs::write(&local, &f.local).expect("local");
        let outcome = {
            let mut store = Store::open_existing(&local).expect("open local");
            merge::merge_file(&mut store, &received, &MergeOptions::default(), |_, _| true)
        };
        if std::env::var_os("MUTATED_FILES_STATS").is_some() {
            // One line per case, for counting outcomes: `… | grep outcome: | sort | uniq -c`.
            let code = outcome.as_ref().map(|_| "merged".to_string()).unwrap_or_else(|e| e.code());
            eprintln!("outcome: {code}");
        }
        match outcome {
            Err(e) => {
                prop_assert!(CLEAR_CODES.contains(&e.code().as_str()), "{m:?}: {} ({e})", e.code());
                prop_assert!(
                    std::fs::read(&local).expect("read") == f.local,
                    "{m:?}: refused ({e}) but the local file changed"
                );
            }
            Ok(_) => {
                let store = Store::open_existing(&local).expect("open merged");
                prop_assert_eq!(store.integrity_check().expect("check"), "ok");
                for kind in RecordKind::ALL {
                    prop_assert!(store.list_json(*kind, None).is_ok(), "{m:?}: {kind:?} no longer loads");
                }
            }
        }
    }
}
