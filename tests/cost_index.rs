//! The engine's cost index (issue 13) answers exactly what the table's scan answers, on
//! a generated file and after every kind of write: inserts, edits that move an entry's
//! date, city or membership, deletions with their dependents, restores, a merge, and a
//! write by another connection it was never told of. So does its outcome index, through
//! writes of outcomes and attributions, and so do its kept memberships, meetings and
//! theses, through writes of the kinds they read.

use cabildo::kinds::RecordKind;
use cabildo::model::{
    Ask, Attribution, City, CostCategory, CostEntry, Decision, Meeting, MeetingResult, Membership,
    MembershipRole, Meta, Network, Outcome, OutcomeKind, Thesis, Verdict,
};
use cabildo::roi::{self, RoiQuery, RoiReport};
use cabildo::store::page::{ListFilter, ListQuery, ListRange};
use cabildo::Store;
use chrono::NaiveDate;
use std::path::Path;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn queries(city: &str) -> Vec<RoiQuery> {
    let q = |from, to, currency: &str, city: Option<&str>| RoiQuery {
        from,
        to,
        currency: currency.into(),
        city_id: city.map(str::to_string),
    };
    vec![
        q(date(2025, 7, 1), date(2026, 6, 30), "MXN", None),
        q(date(2023, 1, 1), date(2026, 12, 31), "MXN", None),
        q(date(2024, 2, 29), date(2024, 3, 1), "USD", None),
        q(date(2023, 7, 1), date(2026, 6, 30), "EUR", Some(city)),
        q(date(2030, 1, 1), date(2030, 12, 31), "MXN", None),
    ]
}

fn without_stamp(mut report: RoiReport) -> RoiReport {
    report.data_stamp = 0;
    report
}

/// Every query answered by `store` (with the index) equals the same query answered by
/// a fresh store on the same file that reads the table.
fn assert_same(store: &Store, path: &Path, city: &str, what: &str) {
    let plain = Store::open_read_only(path).expect("reference store");
    for query in queries(city) {
        let indexed = without_stamp(roi::compute(store, &query).expect("indexed"));
        let scanned = without_stamp(roi::compute(&plain, &query).expect("scanned"));
        assert!(
            indexed == scanned,
            "{what}: the index and the scan differ for {query:?}"
        );
    }
    assert_same_totals(store, &plain, city, what);
}

/// The Costs list's totals counted from the kept index (for the conditions it holds)
/// equal SQLite's counts, for the screen's filters alone and together.
fn assert_same_totals(store: &Store, plain: &Store, city: &str, what: &str) {
    let memberships: Vec<Membership> = plain.list(None).unwrap();
    let member = memberships
        .iter()
        .find(|m| m.city_id == city)
        .unwrap_or(&memberships[0]);
    let filter = |field: &str, value: &str| ListFilter {
        field: field.into(),
        value: value.into(),
    };
    let filter_sets = vec![
        vec![],
        vec![filter("category", "travel")],
        vec![filter("category", "staff_time")],
        vec![filter("category", "travel"), filter("category", "dues")],
        vec![filter("network_id", &member.network_id)],
        vec![
            filter("network_id", &member.network_id),
            filter("category", "travel"),
        ],
        vec![filter("membership_id", &member.meta.id)],
        vec![filter("membership_id", " ")],
        vec![filter("city_id", city)],
        vec![filter("network_id", "no such network")],
    ];
    let ranges = [
        None,
        Some((Some(date(2024, 1, 1)), Some(date(2025, 12, 31)))),
        Some((Some(date(2025, 9, 1)), None)),
        Some((None, Some(date(2024, 2, 29)))),
        Some((Some(date(2026, 1, 1)), Some(date(2025, 1, 1)))),
    ];
    let mut asked = 0;
    for city_id in [None, Some(city.to_string())] {
        for filters in &filter_sets {
            for range in &ranges {
                let mut query = ListQuery::new(RecordKind::CostEntry);
                query.city_id = city_id.clone();
                query.filters = filters.clone();
                query.range = range.map(|(from, to)| ListRange {
                    field: "spent_on".into(),
                    from,
                    to,
                });
                query.limit = 1;
                let kept = store.list_page(&query).expect("kept count").total;
                let counted = plain.list_page(&query).expect("count").total;
                assert_eq!(kept, counted, "{what}: the totals differ for {query:?}");
                asked += 1;
            }
        }
    }
    assert_eq!(asked, 100);
}

fn cost(city: &str, membership: Option<&str>, on: NaiveDate) -> CostEntry {
    CostEntry {
        meta: Meta::default(),
        city_id: city.into(),
        membership_id: membership.map(str::to_string),
        meeting_id: None,
        spent_on: on,
        category: CostCategory::Travel,
        amount_minor: Some(123_456),
        currency: Some("USD".into()),
        hours: None,
        role: None,
        description: Some("índice".into()),
        invoice_id: None,
        reference: None,
    }
}

#[test]
fn the_index_answers_what_the_scan_answers_through_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.cabildo");
    drop(cabildo::generate::generate(&path, 6, 5, "MXN", |_| {}).expect("generate"));
    let mut store = Store::open(&path).unwrap();
    store.keep_report_indexes(true);
    let entries = store.prepare_report_indexes().unwrap().expect("kept");
    assert!(entries > 3_000, "{entries} entries");
    let memberships: Vec<Membership> = store.list(None).unwrap();
    let (first, second) = (&memberships[0], &memberships[memberships.len() - 1]);
    assert_ne!(
        first.city_id, second.city_id,
        "two cities to move costs between"
    );
    assert_same(&store, &path, &first.city_id, "as generated");

    // New entries, one of time with hours whose sum depends on the order of addition.
    let added = store
        .insert(cost(&first.city_id, Some(&first.meta.id), date(2025, 9, 1)))
        .unwrap();
    let mut time = cost(&first.city_id, Some(&first.meta.id), date(2025, 9, 1));
    time.category = CostCategory::StaffTime;
    (time.amount_minor, time.currency) = (None, None);
    (time.hours, time.role) = (Some(0.1), Some("analyst".into()));
    let time = store.insert(time).unwrap();
    store
        .insert(cost(&second.city_id, None, date(2026, 1, 15)))
        .unwrap();
    assert_same(&store, &path, &first.city_id, "after inserts");

    // Edits that move an entry to another date, city and membership, or out of counting.
    let mut moved = added.clone();
    moved.spent_on = date(2024, 2, 29);
    moved.city_id = second.city_id.clone();
    moved.membership_id = Some(second.meta.id.clone());
    moved.amount_minor = Some(99);
    store.update(moved).unwrap();
    let mut time = time;
    time.hours = Some(0.7);
    store.update(time.clone()).unwrap();
    assert_same(&store, &path, &first.city_id, "after edits");

    // A membership to the trash takes its costs; back from the trash, they return.
    store
        .delete(RecordKind::Membership, &first.meta.id)
        .unwrap();
    assert_same(&store, &path, &first.city_id, "after a deletion");
    store
        .restore(RecordKind::Membership, &first.meta.id)
        .unwrap();
    store.delete(RecordKind::CostEntry, &time.meta.id).unwrap();
    assert_same(&store, &path, &first.city_id, "after a restore");

    // A transaction that fails changes nothing, in the file or in the index.
    let failed = store.transaction(|s| {
        s.insert(cost(
            &first.city_id,
            Some(&first.meta.id),
            date(2025, 10, 1),
        ))?;
        Err::<(), _>(cabildo::Error::invalid("amount_minor", "test"))
    });
    assert!(failed.is_err());
    assert_same(&store, &path, &first.city_id, "after a rolled-back write");

    // Another office's file merged in.
    let other = dir.path().join("other.cabildo");
    drop(cabildo::generate::generate(&other, 2, 6, "MXN", |_| {}).expect("generate"));
    cabildo::exchange::merge::merge_file(
        &mut store,
        &other,
        &cabildo::exchange::merge::MergeOptions::default(),
        |_, _| true,
    )
    .expect("merge");
    assert_same(&store, &path, &first.city_id, "after a merge");

    // Another process writes the file: the index is not told, and is read again.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn
        .execute(
            "UPDATE cost_entry SET amount_minor = amount_minor + 1000
             WHERE rowid IN (SELECT rowid FROM cost_entry WHERE deleted = 0 AND amount_minor IS NOT NULL LIMIT 50)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 50);
    drop(conn);
    assert_same(
        &store,
        &path,
        &first.city_id,
        "after another process's write",
    );

    // Another tool writes one cost of the city with no membership and one with an empty
    // one: SQL tells NULL from '', and so must the index.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    for membership in ["NULL", "''"] {
        let changed = conn
            .execute(
                &format!(
                    "UPDATE cost_entry SET membership_id = {membership}
                     WHERE rowid = (SELECT rowid FROM cost_entry WHERE deleted = 0
                                    AND city_id = ?1 AND membership_id IS NOT NULL
                                    AND membership_id <> '' LIMIT 1)"
                ),
                [&first.city_id],
            )
            .unwrap();
        assert_eq!(changed, 1);
    }
    drop(conn);
    assert_same(
        &store,
        &path,
        &first.city_id,
        "with costs of no membership and of an empty one",
    );

    // A membership in the trash whose id is not text, of the network the totals filter
    // by: SQLite compares it, and the kept count declines rather than failing.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", false).unwrap();
    conn.execute(
        "INSERT INTO membership (id, created_at, updated_at, updated_by, deleted, city_id,
             network_id, status, role)
         SELECT X'00FF', created_at, updated_at, updated_by, 1, city_id, network_id, status,
             role
         FROM membership WHERE id = ?1",
        [&first.meta.id],
    )
    .unwrap();
    drop(conn);
    assert_same(
        &store,
        &path,
        &first.city_id,
        "with a membership whose id is not text",
    );

    // A live row the index leaves out (a category it does not know): the list still
    // counts it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE cost_entry SET category = 'bogus'
         WHERE rowid = (SELECT rowid FROM cost_entry WHERE deleted = 0 LIMIT 1)",
        [],
    )
    .unwrap();
    drop(conn);
    store.prepare_report_indexes().unwrap();
    assert_same(
        &store,
        &path,
        &first.city_id,
        "with a row the index leaves out",
    );
}

#[test]
fn a_store_that_keeps_no_index_reads_the_table() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.prepare_report_indexes().unwrap(), None);
    store.keep_report_indexes(true);
    assert_eq!(store.prepare_report_indexes().unwrap(), Some(0));
    store.keep_report_indexes(false);
    assert_eq!(store.prepare_report_indexes().unwrap(), None);
}

#[test]
fn the_outcome_index_answers_what_the_tables_answer_through_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.cabildo");
    drop(cabildo::generate::generate(&path, 6, 5, "MXN", |_| {}).expect("generate"));
    let mut store = Store::open(&path).unwrap();
    store.keep_report_indexes(true);
    store.prepare_report_indexes().unwrap();
    let memberships: Vec<Membership> = store.list(None).unwrap();
    let (first, second) = (&memberships[0], &memberships[memberships.len() - 1]);
    let outcomes: Vec<Outcome> = store.list(None).unwrap();
    let financing = outcomes
        .iter()
        .find(|o| o.kind == OutcomeKind::Financing && o.city_id == first.city_id)
        .expect("a financing outcome of the first city")
        .clone();
    let city = first.city_id.clone();
    assert_same(&store, &path, &city, "as generated");

    // One of its attributions gives up half its share to a new attribution.
    let attributions: Vec<Attribution> = store.list(None).unwrap();
    let mut halved = attributions
        .iter()
        .find(|a| a.outcome_id == financing.meta.id)
        .expect("an attribution of the outcome")
        .clone();
    let freed = halved.share_bp / 2;
    halved.share_bp -= freed;
    store.update(halved).unwrap();
    let attribution = store
        .insert(Attribution {
            meta: Meta::default(),
            outcome_id: financing.meta.id.clone(),
            membership_id: first.meta.id.clone(),
            share_bp: freed.max(1),
        })
        .unwrap();
    assert_same(&store, &path, &city, "after a new attribution");

    // The outcome moves to another date, its amount and terms change, then its loan
    // loses the terms its grant element needs.
    let mut moved = financing.clone();
    moved.occurred_on = date(2024, 2, 29);
    moved.amount_minor = Some(7_777_777);
    (moved.committed_minor, moved.disbursed_minor) = (Some(7_000_000), None);
    store.update(moved.clone()).unwrap();
    assert_same(&store, &path, &city, "after an outcome's edit");
    moved.instrument = Some(cabildo::model::Instrument::Loan);
    (moved.interest_rate, moved.tenor_years) = (None, None);
    store.update(moved).unwrap();
    assert_same(&store, &path, &city, "after a loan lost its terms");

    // An attribution to another membership, then to the trash; the outcome too.
    let mut other = attribution.clone();
    other.membership_id = second.meta.id.clone();
    store.update(other).unwrap();
    assert_same(&store, &path, &city, "after an attribution moved");
    store
        .delete(RecordKind::Attribution, &attribution.meta.id)
        .unwrap();
    assert_same(&store, &path, &city, "after an attribution's deletion");
    store
        .delete(RecordKind::Outcome, &financing.meta.id)
        .unwrap();
    assert_same(&store, &path, &city, "after an outcome's deletion");
    store
        .restore(RecordKind::Outcome, &financing.meta.id)
        .unwrap();
    assert_same(&store, &path, &city, "after an outcome's restore");

    // Another process changes shares (as a merge of two offices' work can), past 100 %
    // for some outcomes: the index is not told, and is read again.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn
        .execute(
            "UPDATE attribution SET share_bp = 9000
             WHERE rowid IN (SELECT rowid FROM attribution WHERE deleted = 0 LIMIT 40)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 40);
    drop(conn);
    assert_same(&store, &path, &city, "after another process's write");
    let report = roi::compute(&store, &queries(&city)[1]).unwrap();
    assert!(
        report.warnings.iter().any(|w| w.code == "shares_over_100"),
        "the shares over 100 % are said: {:?}",
        report.warnings
    );
}

#[test]
fn the_kept_memberships_meetings_and_theses_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gen.cabildo");
    drop(cabildo::generate::generate(&path, 6, 5, "MXN", |_| {}).expect("generate"));
    let mut store = Store::open(&path).unwrap();
    store.keep_report_indexes(true);
    store.prepare_report_indexes().unwrap();
    let memberships: Vec<Membership> = store.list(None).unwrap();
    let first = memberships[0].clone();
    let city = first.city_id.clone();
    assert_same(&store, &path, &city, "as generated");

    // Names the rows show: a city's and a network's.
    let mut renamed: City = store.get(&city).unwrap();
    renamed.name = "Aaa primera".into();
    store.update(renamed).unwrap();
    let mut network: Network = store.get(&first.network_id).unwrap();
    network.acronym = "ZZZ".into();
    store.update(network).unwrap();
    assert_same(&store, &path, &city, "after a city and a network renamed");

    // A membership's role and renewal change.
    let mut edited = first.clone();
    edited.role = MembershipRole::Observer;
    edited.renewal_on = Some(date(2026, 3, 1));
    let edited = store.update(edited).unwrap();
    assert_same(&store, &path, &city, "after a membership's edit");

    // A meeting whose ask was achieved, then moved out of the period, then to the trash.
    let meeting = store
        .insert(Meeting {
            meta: Meta::default(),
            membership_id: first.meta.id.clone(),
            title: "Mesa de financiamiento".into(),
            start_on: date(2025, 9, 10),
            end_on: None,
            place: None,
            attendees: None,
            ask: Ask::FinancingPathway,
            counterpart: None,
            result: MeetingResult::Achieved,
            follow_up: None,
            follow_up_due: None,
        })
        .unwrap();
    assert_same(&store, &path, &city, "after a new meeting");
    let mut moved = meeting.clone();
    moved.start_on = date(2022, 1, 3);
    let moved = store.update(moved).unwrap();
    assert_same(&store, &path, &city, "after a meeting moved");
    store.delete(RecordKind::Meeting, &moved.meta.id).unwrap();
    assert_same(&store, &path, &city, "after a meeting's deletion");

    // A newer thesis steers the membership, until it is reviewed.
    let thesis = store
        .insert(Thesis {
            meta: Meta::default(),
            membership_id: first.meta.id.clone(),
            statement: "Una ruta de financiamiento para el BRT".into(),
            start_on: date(2025, 8, 1),
            horizon_on: date(2026, 8, 1),
            review_on: None,
            verdict: None,
            decision: None,
            reviewed_on: None,
        })
        .unwrap();
    assert_same(&store, &path, &city, "after a new thesis");
    let mut reviewed = thesis.clone();
    reviewed.verdict = Some(Verdict::Partly);
    reviewed.decision = Some(Decision::Keep);
    reviewed.reviewed_on = Some(date(2026, 6, 1));
    store.update(reviewed).unwrap();
    assert_same(&store, &path, &city, "after a thesis reviewed");

    // The membership to the trash with its meetings and theses, and back.
    store
        .delete(RecordKind::Membership, &edited.meta.id)
        .unwrap();
    assert_same(&store, &path, &city, "after a membership's deletion");
    store
        .restore(RecordKind::Membership, &edited.meta.id)
        .unwrap();
    assert_same(&store, &path, &city, "after a membership's restore");

    // Another process changes meetings' results: the kept meetings are read again.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let changed = conn
        .execute(
            "UPDATE meeting SET result = 'achieved', ask = 'policy_exchange'
             WHERE rowid IN (SELECT rowid FROM meeting WHERE deleted = 0 LIMIT 40)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 40);
    drop(conn);
    assert_same(&store, &path, &city, "after another process's write");
}
