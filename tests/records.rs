//! Create, update, tombstone and restore for every record kind, and the validation
//! rules: rejected with a clear error, nothing written.

mod common;

use cabildo::model::*;
use cabildo::{Error, Record, RecordKind, Store};
use common::*;

fn lifecycle<T: Record + PartialEq + std::fmt::Debug>(
    store: &mut Store,
    record: T,
    change: impl FnOnce(&mut T),
) {
    let created = store.insert(record).expect("insert");
    let id = created.meta().id.clone();
    assert_eq!(id.len(), 36, "a UUID text id");
    assert_eq!(
        uuid::Uuid::parse_str(&id).expect("uuid").get_version_num(),
        7
    );
    assert_eq!(created.meta().updated_by, store.office().id);
    let read: T = store.get(&id).expect("get");
    assert_eq!(read, created, "a record reads back as written");

    let mut edited = read.clone();
    change(&mut edited);
    let updated = store.update(edited).expect("update");
    assert!(updated.meta().updated_at > created.meta().updated_at);
    assert_eq!(updated.meta().created_at, created.meta().created_at);
    assert_ne!(
        store.get::<T>(&id).expect("get"),
        created,
        "the update is stored"
    );
    assert_eq!(store.get::<T>(&id).expect("get"), updated);

    store.delete(T::KIND, &id).expect("delete");
    assert!(
        store
            .list::<T>(None)
            .expect("list")
            .iter()
            .all(|r| r.meta().id != id),
        "gone from lists"
    );
    assert!(
        store.get::<T>(&id).expect("still stored").meta().deleted,
        "kept as a tombstone"
    );
    assert!(store
        .trash()
        .expect("trash")
        .iter()
        .any(|t| t.id == id && t.kind == T::KIND));

    store.restore(T::KIND, &id).expect("restore");
    assert!(store
        .list::<T>(None)
        .expect("list")
        .iter()
        .any(|r| r.meta().id == id));
    assert!(store.trash().expect("trash").iter().all(|t| t.id != id));
}

#[test]
fn every_record_kind_can_be_created_updated_tombstoned_and_restored() {
    let (mut store, city_id, m) = store_with_membership();
    lifecycle(&mut store, city("Otra"), |c| c.population = Some(5));
    let mut network: Network = store.get(&network_id(&store, "ICLEI")).expect("network");
    network.meta = Meta::default();
    network.acronym = "ICLEI-2".into();
    lifecycle(&mut store, network, |n| {
        n.member_count = Some("3,000".into())
    });
    let uclg = network_id(&store, "UCLG");
    lifecycle(&mut store, membership(&city_id, &uclg), |x| x.core = true);
    lifecycle(&mut store, thesis(&m, "2025-01-01", "2026-06-30"), |t| {
        t.statement = "Another".into()
    });
    lifecycle(
        &mut store,
        meeting(
            &m,
            "2025-03-01",
            Ask::FinancingPathway,
            MeetingResult::Pending,
        ),
        |x| x.result = MeetingResult::Achieved,
    );
    lifecycle(
        &mut store,
        money_cost(
            &city_id,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            100_00,
            "USD",
        ),
        |c| c.amount_minor = Some(200_00),
    );
    lifecycle(
        &mut store,
        role_rate("Mayor", 2_000_00, "2024-01-01", None),
        |r| r.hourly_minor = 2_100_00,
    );
    lifecycle(&mut store, rate("USD", "2025-01-01", 17.5), |r| {
        r.rate = 18.0
    });
    let p = project(&city_id);
    lifecycle(&mut store, p.clone(), |x| x.stage = Stage::Completed);
    let project_id = store.insert(p).expect("project").meta.id;
    let outcome = acceleration(&city_id, &project_id, "2025-05-01", 3.0);
    lifecycle(&mut store, outcome.clone(), |o| o.months_saved = Some(4.0));
    let outcome_id = store.insert(outcome).expect("outcome").meta.id;
    lifecycle(&mut store, attribution(&outcome_id, &m, 5_000), |a| {
        a.share_bp = 6_000
    });
    lifecycle(&mut store, metric(&city_id, 2024), |x| x.value = Some(1.0));
}

#[test]
fn the_catalog_is_seeded_with_the_networks_of_the_issue_and_their_sources() {
    let store = Store::open_in_memory().expect("store");
    let networks: Vec<Network> = store.list(None).expect("list");
    for acronym in [
        "C40",
        "ICLEI",
        "UCLG",
        "Metropolis",
        "Mercociudades",
        "GCoM",
        "Eurocities",
        "Climate Alliance",
        "R-Cities",
        "AIMF",
        "FLACMA",
        "UCCI",
    ] {
        let n = networks
            .iter()
            .find(|n| n.acronym == acronym)
            .unwrap_or_else(|| panic!("{acronym} seeded"));
        assert!(
            n.source.as_deref().is_some_and(|s| !s.is_empty()),
            "{acronym} has a source"
        );
        assert!(n.as_of.is_some(), "{acronym} has an as-of date");
    }
    let metropolis = networks
        .iter()
        .find(|n| n.acronym == "Metropolis")
        .expect("metropolis");
    assert_eq!(metropolis.founded_year, Some(1985));
    assert_eq!(metropolis.headquarters.as_deref(), Some("Barcelona"));
}

fn rule_of(e: Error) -> (String, &'static str) {
    match e {
        Error::Invalid { field, rule, .. } => (field, rule),
        other => panic!("expected a rule violation, got {other:?}"),
    }
}

fn count(store: &Store, kind: RecordKind) -> usize {
    match kind {
        RecordKind::Attribution => store.list::<Attribution>(None).expect("list").len(),
        RecordKind::CostEntry => store.list::<CostEntry>(None).expect("list").len(),
        RecordKind::Thesis => store.list::<Thesis>(None).expect("list").len(),
        RecordKind::Meeting => store.list::<Meeting>(None).expect("list").len(),
        RecordKind::Membership => store.list::<Membership>(None).expect("list").len(),
        _ => unreachable!("not used here"),
    }
}

#[test]
fn shares_of_one_outcome_over_100_percent_are_rejected_and_nothing_is_written() {
    let (mut store, city_id, m) = store_with_membership();
    let uclg = network_id(&store, "UCLG");
    let m2 = store
        .insert(membership(&city_id, &uclg))
        .expect("m2")
        .meta
        .id;
    let o = store
        .insert(policy(&city_id, "2025-01-01"))
        .expect("outcome")
        .meta
        .id;
    store.insert(attribution(&o, &m, 7_000)).expect("70 %");
    let before = count(&store, RecordKind::Attribution);
    let err = store
        .insert(attribution(&o, &m2, 3_001))
        .expect_err("over 100 %");
    assert_eq!(rule_of(err), ("share_bp".into(), "shares_over_100"));
    assert_eq!(count(&store, RecordKind::Attribution), before);
    store
        .insert(attribution(&o, &m2, 3_000))
        .expect("exactly 100 % is fine");
}

#[test]
fn negative_amounts_are_rejected() {
    let (mut store, city_id, m) = store_with_membership();
    let err = store
        .insert(money_cost(
            &city_id,
            Some(&m),
            "2025-01-01",
            CostCategory::Travel,
            -5,
            "MXN",
        ))
        .expect_err("negative");
    assert_eq!(rule_of(err), ("amount_minor".into(), "negative"));
    assert_eq!(count(&store, RecordKind::CostEntry), 0);
}

#[test]
fn huge_amounts_and_huge_texts_are_rejected() {
    let (mut store, city_id, m) = store_with_membership();
    let err = store
        .insert(money_cost(
            &city_id,
            Some(&m),
            "2025-01-01",
            CostCategory::Travel,
            i64::MAX,
            "MXN",
        ))
        .expect_err("huge");
    assert_eq!(rule_of(err), ("amount_minor".into(), "too_large"));
    let mut entry = money_cost(
        &city_id,
        Some(&m),
        "2025-01-01",
        CostCategory::Travel,
        5,
        "MXN",
    );
    entry.description = Some("x".repeat(cabildo::store::MAX_TEXT_CHARS + 1));
    assert_eq!(
        rule_of(store.insert(entry).expect_err("long")),
        ("description".into(), "too_long")
    );
    assert_eq!(count(&store, RecordKind::CostEntry), 0);
}

#[test]
fn an_end_before_the_start_is_rejected() {
    let (mut store, _city, m) = store_with_membership();
    let err = store
        .insert(thesis(&m, "2025-06-01", "2025-01-01"))
        .expect_err("horizon before start");
    assert_eq!(rule_of(err), ("horizon_on".into(), "end_before_start"));
    let mut mt = meeting(&m, "2025-03-10", Ask::None, MeetingResult::Pending);
    mt.end_on = Some(date("2025-03-09"));
    assert_eq!(
        rule_of(store.insert(mt).expect_err("end before start")),
        ("end_on".into(), "end_before_start")
    );
    assert_eq!(
        count(&store, RecordKind::Thesis) + count(&store, RecordKind::Meeting),
        0
    );
}

#[test]
fn an_unknown_currency_is_rejected() {
    let (mut store, city_id, m) = store_with_membership();
    let err = store
        .insert(money_cost(
            &city_id,
            Some(&m),
            "2025-01-01",
            CostCategory::Travel,
            5,
            "XYZ",
        ))
        .expect_err("unknown currency");
    assert_eq!(rule_of(err), ("currency".into(), "unknown_currency"));
    let err = store
        .insert(rate("ABC", "2025-01-01", 1.0))
        .expect_err("unknown currency");
    assert_eq!(rule_of(err), ("currency".into(), "unknown_currency"));
    assert_eq!(count(&store, RecordKind::CostEntry), 0);
}

#[test]
fn a_membership_keeps_at_most_one_open_thesis_and_past_ones() {
    let (mut store, _city, m) = store_with_membership();
    let first = store
        .insert(thesis(&m, "2024-01-01", "2025-06-30"))
        .expect("first");
    let err = store
        .insert(thesis(&m, "2025-01-01", "2026-06-30"))
        .expect_err("second open thesis");
    assert_eq!(rule_of(err).1, "thesis_already_open");
    let mut reviewed = first.clone();
    reviewed.verdict = Some(Verdict::Partly);
    reviewed.decision = Some(Decision::Keep);
    reviewed.reviewed_on = Some(date("2025-07-01"));
    store.update(reviewed).expect("review");
    store
        .insert(thesis(&m, "2025-07-01", "2026-12-31"))
        .expect("a new thesis after the review");
    assert_eq!(
        count(&store, RecordKind::Thesis),
        2,
        "the past thesis is kept"
    );
}

#[test]
fn time_costs_need_hours_and_a_role_and_money_costs_need_an_amount() {
    let (mut store, city_id, m) = store_with_membership();
    let mut entry = hours_cost(&city_id, &m, "2025-01-01", 0.0, "Mayor");
    assert_eq!(
        rule_of(store.insert(entry.clone()).expect_err("no hours")),
        ("hours".into(), "required")
    );
    entry.hours = Some(3.0);
    entry.role = Some("  ".into());
    assert_eq!(
        rule_of(store.insert(entry).expect_err("no role")),
        ("role".into(), "required")
    );
    let mut money = money_cost(
        &city_id,
        Some(&m),
        "2025-01-01",
        CostCategory::Dues,
        5,
        "MXN",
    );
    money.amount_minor = None;
    money.currency = None;
    assert_eq!(
        rule_of(store.insert(money).expect_err("no amount")),
        ("amount_minor".into(), "required")
    );
}

#[test]
fn references_to_missing_or_deleted_records_are_rejected() {
    let (mut store, city_id, m) = store_with_membership();
    let err = store
        .insert(money_cost(
            &city_id,
            Some("no-such-membership"),
            "2025-01-01",
            CostCategory::Travel,
            5,
            "MXN",
        ))
        .expect_err("unknown membership");
    assert_eq!(rule_of(err), ("membership_id".into(), "unknown_reference"));
    store.delete(RecordKind::Membership, &m).expect("delete");
    let err = store
        .insert(thesis(&m, "2025-01-01", "2025-12-31"))
        .expect_err("deleted membership");
    assert_eq!(rule_of(err), ("membership_id".into(), "unknown_reference"));
}

#[test]
fn error_codes_are_stable_for_front_ends() {
    let err = Error::invalid("share_bp", "shares_over_100");
    assert_eq!(err.code(), "invalid.shares_over_100");
    assert_eq!(err.field_and_detail().0, Some("share_bp"));
    assert_eq!(Error::NotFound("x".into()).code(), "not_found");
}

#[test]
fn changes_are_reported_to_a_listener() {
    let (mut store, city_id, _m) = store_with_membership();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    store.set_listener(move |changes| sink.lock().expect("lock").push(changes[0].clone()));
    let id = store
        .insert(metric(&city_id, 2023))
        .expect("metric")
        .meta
        .id;
    store.delete(RecordKind::Metric, &id).expect("delete");
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 2);
    assert!(seen
        .iter()
        .all(|c| c.kind == RecordKind::Metric && c.ids == vec![id.clone()]));
}

#[test]
fn lists_are_scoped_to_one_city_when_asked() {
    let (mut store, city_a, m_a) = store_with_membership();
    let city_b = store.insert(city("Bravo")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let m_b = store.insert(membership(&city_b, &c40)).expect("m").meta.id;
    store
        .insert(meeting(
            &m_a,
            "2025-01-01",
            Ask::None,
            MeetingResult::Pending,
        ))
        .expect("a");
    store
        .insert(meeting(
            &m_b,
            "2025-01-01",
            Ask::None,
            MeetingResult::Pending,
        ))
        .expect("b");
    assert_eq!(store.list::<Meeting>(Some(&city_a)).expect("list").len(), 1);
    assert_eq!(store.list::<Meeting>(None).expect("list").len(), 2);
    assert_eq!(store.list::<City>(Some(&city_b)).expect("list").len(), 1);
    assert_eq!(
        store.list::<Network>(Some(&city_b)).expect("list").len(),
        12,
        "the catalog is shared"
    );
}

#[test]
fn records_sent_as_json_follow_the_same_rules() {
    let (mut store, city_id, m) = store_with_membership();
    let entry = money_cost(
        &city_id,
        Some(&m),
        "2025-01-01",
        CostCategory::Travel,
        100,
        "MXN",
    );
    let saved = store
        .save_json(
            RecordKind::CostEntry,
            serde_json::to_value(&entry).expect("json"),
        )
        .expect("insert");
    let id = saved["id"].as_str().expect("id").to_string();
    let mut changed = saved.clone();
    changed["amount_minor"] = serde_json::json!(250);
    store
        .save_json(RecordKind::CostEntry, changed)
        .expect("update");
    assert_eq!(
        store.get::<CostEntry>(&id).expect("get").amount_minor,
        Some(250)
    );
    let mut bad = saved;
    bad["amount_minor"] = serde_json::json!(-1);
    assert_eq!(
        store
            .save_json(RecordKind::CostEntry, bad)
            .expect_err("negative")
            .code(),
        "invalid.negative"
    );
    let mut wrong_type = serde_json::to_value(&entry).expect("json");
    wrong_type["spent_on"] = serde_json::json!("yesterday");
    assert_eq!(
        store
            .save_json(RecordKind::CostEntry, wrong_type)
            .expect_err("bad date")
            .code(),
        "malformed"
    );
    let listed = store
        .list_json(RecordKind::CostEntry, Some(&city_id))
        .expect("list");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(
        store.get_json(RecordKind::CostEntry, &id).expect("get")["amount_minor"],
        250
    );
}

#[test]
fn a_cost_in_the_trash_is_named_by_its_date_and_words_never_by_a_category_code() {
    let (mut store, city_id, m) = store_with_membership();
    let trip = store
        .insert(money_cost(
            &city_id,
            Some(&m),
            "2026-03-05",
            CostCategory::Travel,
            100,
            "MXN",
        ))
        .expect("trip")
        .meta
        .id;
    let hours = store
        .insert(hours_cost(&city_id, &m, "2026-03-06", 2.0, "Analista"))
        .expect("hours")
        .meta
        .id;
    store.delete(RecordKind::CostEntry, &trip).expect("delete");
    store.delete(RecordKind::CostEntry, &hours).expect("delete");
    let labels: Vec<String> = store
        .trash()
        .expect("trash")
        .into_iter()
        .map(|t| t.label)
        .collect();
    assert!(
        labels.contains(&"2026-03-05 trip".to_string()),
        "{labels:?}"
    );
    assert!(
        labels.contains(&"2026-03-06 Analista".to_string()),
        "{labels:?}"
    );
}
