//! Figures a council can trust (issue 9): numbers read as the office writes them,
//! exchange rates that name both currencies, nothing leaving a total silently, sums
//! that cannot overflow, a plausible demo, and every figure traceable to its records.

mod common;

use std::collections::HashMap;

use cabildo::explain::{explain, Figure};
use cabildo::format::Lang;
use cabildo::model::*;
use cabildo::numbers::NumberFormat;
use cabildo::roi::{self, RoiQuery};
use cabildo::{RecordKind, Store};
use common::*;
use serde_json::json;

fn query(from: &str, to: &str, currency: &str) -> RoiQuery {
    RoiQuery {
        from: date(from),
        to: date(to),
        currency: currency.into(),
        city_id: None,
    }
}

fn set_format(store: &mut Store, format: NumberFormat) {
    let o = store.office().clone();
    store
        .set_office(&o.name, &o.reporting_currency, &o.language, format)
        .expect("office");
}

/// A store in a file, so a test can also write to it as a hostile file or a merge
/// would: (folder, path, store, city id, membership id).
fn file_store() -> (tempfile::TempDir, std::path::PathBuf, Store, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.cabildo");
    let mut store = Store::open(&path).unwrap();
    let city = store.insert(city("Villa")).unwrap().meta.id;
    let c40 = network_id(&store, "C40");
    let m = store.insert(membership(&city, &c40)).unwrap().meta.id;
    (dir, path, store, city, m)
}

fn sql(path: &std::path::Path, text: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(text)
        .unwrap();
}

fn rule(e: cabildo::Error) -> (String, String) {
    (
        e.field_and_detail().0.unwrap_or_default().to_owned(),
        e.code(),
    )
}

// ---- 1. numbers read the way the user writes them -------------------------------------

#[test]
fn a_decimal_comma_is_never_read_as_a_thousands_mark() {
    let (mut store, city, m) = store_with_membership();
    let cost = |amount: &str| {
        json!({
            "city_id": city, "membership_id": m, "meeting_id": null, "spent_on": "2025-03-01",
            "category": "travel", "amount_minor": amount, "currency": "MXN",
            "hours": null, "role": null, "description": "trip"
        })
    };
    // 1,234.56 (Mexico): "1500,5" is refused, saying how to write it.
    let err = store
        .save_json(RecordKind::CostEntry, cost("1500,5"))
        .expect_err("a decimal comma in a point office");
    assert_eq!(
        rule(err),
        (
            "amount_minor".into(),
            "invalid.decimal_point_expected".into()
        )
    );
    let rate = |text: &str| json!({ "on_date": "2025-03-01", "currency": "USD", "quote_currency": "MXN", "rate": text, "source": null });
    let err = store
        .save_json(RecordKind::ExchangeRate, rate("17,25"))
        .expect_err("17,25 in a point office");
    assert_eq!(rule(err).1, "invalid.decimal_point_expected");
    assert!(store.list::<CostEntry>(None).unwrap().is_empty());
    assert!(store.list::<ExchangeRate>(None).unwrap().is_empty());

    // 1.234,56 (Colombia, Spain…): the same texts are the numbers they look like.
    set_format(&mut store, NumberFormat::PointComma);
    let saved = store
        .save_json(RecordKind::CostEntry, cost("1.500,50"))
        .expect("1.500,50");
    assert_eq!(saved["amount_minor"], 150050);
    let saved = store
        .save_json(RecordKind::ExchangeRate, rate("17,25"))
        .expect("17,25");
    assert_eq!(saved["rate"], 17.25);
    let err = store
        .save_json(RecordKind::CostEntry, cost("12,505"))
        .expect_err("too many decimals");
    assert_eq!(rule(err).1, "invalid.too_many_decimals");
}

#[test]
fn percentages_and_interest_are_read_by_the_office_format() {
    let (mut store, city, m) = store_with_membership();
    set_format(&mut store, NumberFormat::PointComma);
    let mut o = financing(&city, "2025-03-01", 1_000_00, "MXN");
    o.interest_rate = None;
    let mut value = serde_json::to_value(&o).unwrap();
    value["interest_rate"] = json!("4,1");
    value["id"] = json!("");
    let saved = store
        .save_json(RecordKind::Outcome, value)
        .expect("outcome");
    assert_eq!(saved["interest_rate"], 4.1);
    let outcome = saved["id"].as_str().unwrap().to_string();
    let a = store
        .save_json(
            RecordKind::Attribution,
            json!({ "outcome_id": outcome, "membership_id": m, "share_bp": "12,5" }),
        )
        .expect("share");
    assert_eq!(a["share_bp"], 1250);
}

#[test]
fn an_integer_out_of_range_is_refused_not_stored() {
    let mut store = Store::open_in_memory().unwrap();
    let mut c = serde_json::to_value(city("Villa")).unwrap();
    c["id"] = json!("");
    c["population_year"] = json!("2147483648");
    let err = store.save_json(RecordKind::City, c).expect_err("2^31");
    assert_eq!(
        rule(err),
        ("population_year".into(), "invalid.too_large".into())
    );
}

// ---- 2. exchange rates that say what they are -----------------------------------------

#[test]
fn changing_the_reporting_currency_changes_no_converted_figure() {
    let (mut store, city, m) = store_with_membership();
    store.insert(rate("USD", "2025-01-01", 17.0)).unwrap();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            1_700_00,
            "MXN",
        ))
        .unwrap();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-02",
            CostCategory::Dues,
            100_00,
            "USD",
        ))
        .unwrap();
    let before_mxn = roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")).unwrap();
    let before_usd = roi::compute(&store, &query("2025-01-01", "2025-12-31", "USD")).unwrap();
    assert_eq!(before_mxn.totals.cost_total_minor, 3_400_00);
    assert_eq!(before_usd.totals.cost_total_minor, 200_00);
    let o = store.office().clone();
    store
        .set_office(&o.name, "USD", &o.language, o.number_format)
        .unwrap();
    let after_mxn = roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")).unwrap();
    let after_usd = roi::compute(&store, &query("2025-01-01", "2025-12-31", "USD")).unwrap();
    assert_eq!(after_mxn.totals.cost_total_minor, 3_400_00);
    assert_eq!(after_usd.totals.cost_total_minor, 200_00);
}

#[test]
fn a_conversion_uses_a_direct_rate_its_inverse_or_one_common_currency() {
    use cabildo::money::RateTable;
    let on = date("2025-06-01");
    let entries = vec![
        (
            "a".to_string(),
            "USD".to_string(),
            "MXN".to_string(),
            date("2025-01-01"),
            20.0,
        ),
        (
            "b".to_string(),
            "EUR".to_string(),
            "USD".to_string(),
            date("2025-01-01"),
            1.1,
        ),
    ];
    let table = RateTable::new(entries);
    // direct
    assert_eq!(table.convert(100, "USD", "MXN", on), Some(2000));
    // inverse
    assert_eq!(table.convert(2000, "MXN", "USD", on), Some(100));
    // through USD
    let conv = table
        .conversion("EUR", "MXN", on)
        .expect("a path through USD");
    assert!((conv.factor - 22.0).abs() < 1e-9);
    assert_eq!(conv.rates.len(), 2);
    assert_eq!(conv.rates[0].id, "b");
    assert_eq!(conv.rates[1].id, "a");
    // none before the rates exist
    assert_eq!(table.convert(100, "USD", "MXN", date("2024-12-31")), None);
    // no path at all
    assert_eq!(table.convert(100, "JPY", "MXN", on), None);
}

#[test]
fn a_file_of_the_previous_schema_gets_its_base_as_the_quote_of_every_rate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.cabildo");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", cabildo::store::APPLICATION_ID)
            .unwrap();
        conn.execute_batch(include_str!("../src/store/schema/001_initial.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../src/store/schema/002_exchange.sql"))
            .unwrap();
        conn.execute_batch(
            "INSERT INTO settings (key, value) VALUES ('office_id', 'office-a'), ('office_name', 'A'),
               ('reporting_currency', 'COP'), ('language', 'es');
             INSERT INTO exchange_rate (id, created_at, updated_at, updated_by, deleted, on_date, currency, rate)
               VALUES ('r1', 1, 1, 'office-a', 0, '2025-01-01', 'USD', 4100.0);
             PRAGMA user_version = 2;",
        )
        .unwrap();
    }
    let store = Store::open(&path).expect("migrated");
    let rates: Vec<ExchangeRate> = store.list(None).unwrap();
    assert_eq!(rates.len(), 1);
    assert_eq!(rates[0].currency, "USD");
    assert_eq!(rates[0].quote_currency, "COP");
    assert_eq!(rates[0].rate, 4100.0);
    assert_eq!(store.office().number_format, NumberFormat::CommaPoint);
}

#[test]
fn a_rate_joins_two_different_currencies_and_is_not_given_twice_a_day() {
    let mut store = Store::open_in_memory().unwrap();
    let err = store
        .insert(rate_in("MXN", "MXN", "2025-01-01", 1.0))
        .expect_err("same currency");
    assert_eq!(rule(err).1, "invalid.same_currency");
    store
        .insert(rate_in("USD", "MXN", "2025-01-01", 17.0))
        .unwrap();
    let err = store
        .insert(rate_in("MXN", "USD", "2025-01-01", 0.058))
        .expect_err("the same pair the other way, the same day");
    assert_eq!(rule(err).1, "invalid.duplicate");
    let err = store
        .insert(rate_in("EUR", "MXN", "2025-01-01", 1e12))
        .expect_err("out of range");
    assert_eq!(rule(err).1, "invalid.out_of_range");
}

// ---- 3. deleting takes what depends on it, and brings it back -------------------------

#[test]
fn deleting_a_membership_takes_its_records_to_the_trash_and_restoring_brings_them_back() {
    let (mut store, city, m) = store_with_membership();
    let mut cost_ids = Vec::new();
    for day in 1..=3 {
        cost_ids.push(
            store
                .insert(money_cost(
                    &city,
                    Some(&m),
                    &format!("2025-03-0{day}"),
                    CostCategory::Travel,
                    1_000_00,
                    "MXN",
                ))
                .unwrap()
                .meta
                .id,
        );
    }
    store
        .insert(meeting(
            &m,
            "2025-03-01",
            Ask::TechnicalAssistance,
            MeetingResult::Achieved,
        ))
        .unwrap();
    let o = store.insert(policy(&city, "2025-04-01")).unwrap().meta.id;
    store.insert(attribution(&o, &m, 10_000)).unwrap();
    let q = query("2025-01-01", "2025-12-31", "MXN");
    assert_eq!(
        roi::compute(&store, &q).unwrap().totals.cost_total_minor,
        3_000_00
    );

    let preview = store.delete_preview(RecordKind::Membership, &m).unwrap();
    let count = |kind| {
        preview
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    assert_eq!(count(RecordKind::CostEntry), 3);
    assert_eq!(count(RecordKind::Meeting), 1);
    assert_eq!(count(RecordKind::Attribution), 1);
    // Nothing changed by asking.
    assert_eq!(
        roi::compute(&store, &q).unwrap().totals.cost_total_minor,
        3_000_00
    );

    let gone = store.delete(RecordKind::Membership, &m).unwrap();
    assert_eq!(gone, preview);
    assert!(store.list::<CostEntry>(None).unwrap().is_empty());
    let trash = store.trash().unwrap();
    assert_eq!(
        trash.len(),
        1,
        "the dependents are listed under the membership"
    );
    assert_eq!(trash[0].id, m);
    assert_eq!(trash[0].dependents, 5);
    let after = roi::compute(&store, &q).unwrap();
    assert_eq!(after.totals.cost_total_minor, 0);
    assert!(
        after.general.is_empty(),
        "its costs are in the trash, not general work"
    );

    // A dependent cannot come back alone while its membership is in the trash.
    let err = store
        .restore(RecordKind::CostEntry, &cost_ids[0])
        .expect_err("its membership is in the trash");
    assert_eq!(rule(err).1, "invalid.parent_in_trash");

    store.restore(RecordKind::Membership, &m).unwrap();
    assert_eq!(store.list::<CostEntry>(None).unwrap().len(), 3);
    assert!(store.trash().unwrap().is_empty());
    assert_eq!(
        roi::compute(&store, &q).unwrap().totals.cost_total_minor,
        3_000_00
    );
}

#[test]
fn a_record_deleted_on_its_own_stays_in_the_trash_when_its_parent_comes_back() {
    let (mut store, city, m) = store_with_membership();
    let alone = store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            5_00,
            "MXN",
        ))
        .unwrap()
        .meta
        .id;
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-02",
            CostCategory::Travel,
            7_00,
            "MXN",
        ))
        .unwrap();
    store.delete(RecordKind::CostEntry, &alone).unwrap();
    store.delete(RecordKind::Membership, &m).unwrap();
    store.restore(RecordKind::Membership, &m).unwrap();
    let live: Vec<CostEntry> = store.list(None).unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].amount_minor, Some(7_00));
    assert_eq!(store.trash().unwrap().len(), 1);
}

#[test]
fn deleting_a_project_takes_its_outcomes_and_their_attributions() {
    let (mut store, city, m) = store_with_membership();
    let p = store.insert(project(&city)).unwrap().meta.id;
    let o = store
        .insert(acceleration(&city, &p, "2025-04-01", 3.0))
        .unwrap()
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).unwrap();
    let counts = store.delete(RecordKind::Project, &p).unwrap();
    let total: u64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 2);
    assert!(store.list::<Outcome>(None).unwrap().is_empty());
    store.restore(RecordKind::Project, &p).unwrap();
    assert_eq!(store.list::<Attribution>(None).unwrap().len(), 1);
}

// ---- 4. costs tied to no membership ----------------------------------------------------

#[test]
fn general_international_work_is_in_the_report_and_every_total() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            1_000_00,
            "MXN",
        ))
        .unwrap();
    store
        .insert(money_cost(
            &city,
            None,
            "2025-03-05",
            CostCategory::Other,
            250_00,
            "MXN",
        ))
        .unwrap();
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")).unwrap();
    assert_eq!(report.general.len(), 1);
    assert_eq!(report.general[0].cost.other, 250_00);
    assert_eq!(report.general[0].cost_total_minor, 250_00);
    assert_eq!(report.totals.cost_total_minor, 1_250_00);
    assert_eq!(report.totals.general_cost_minor, 250_00);
    assert_eq!(report.by_city[0].cost_total_minor, 1_250_00);
    assert_eq!(report.by_network[0].cost_total_minor, 1_000_00);
    let e = explain(
        &store,
        &query("2025-01-01", "2025-12-31", "MXN"),
        None,
        Figure::CostTotal,
        Lang::En,
    )
    .unwrap();
    assert_eq!(e.total_minor, 250_00);
    assert_eq!(e.subject, "General international work");
}

// ---- 5. shares over 100 % ---------------------------------------------------------------

#[test]
fn an_outcome_shared_over_100_percent_is_counted_once_in_proportion() {
    let (_dir, path, mut store, city, m1) = file_store();
    let m2 = store
        .insert(membership(&city, &network_id(&store, "ICLEI")))
        .unwrap()
        .meta
        .id;
    let o = store
        .insert(financing(&city, "2025-04-01", 1_000_000_00, "MXN"))
        .unwrap()
        .meta
        .id;
    store.insert(attribution(&o, &m1, 6_000)).unwrap();
    // Another office attributed 60 % too; a merge brings both (written here directly).
    store.insert(attribution(&o, &m2, 4_000)).unwrap();
    sql(&path, "UPDATE attribution SET share_bp = 6000");
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")).unwrap();
    assert_eq!(report.totals.financing_committed_minor, 1_000_000_00);
    for row in &report.rows {
        assert_eq!(row.financing_committed_minor, 500_000_00);
    }
    let w = report
        .warnings
        .iter()
        .find(|w| w.code == "shares_over_100")
        .expect("said");
    assert_eq!(w.subject, o);
    assert_eq!(w.related.len(), 2);
    assert!(w.related.iter().any(|r| r.contains("C40")));
    assert!(w.related.iter().any(|r| r.contains("ICLEI")));
}

// ---- 6. sums that cannot overflow -------------------------------------------------------

#[test]
fn the_largest_accepted_values_sum_exactly_and_no_value_makes_a_report_panic() {
    let (_dir, path, mut store, city, m) = file_store();
    let max = cabildo::store::MAX_MINOR;
    store
        .transaction(|s| {
            for i in 0..20 {
                s.insert(money_cost(
                    &city,
                    Some(&m),
                    &format!("2025-03-{:02}", i + 1),
                    CostCategory::Travel,
                    max,
                    "MXN",
                ))?;
            }
            Ok(())
        })
        .unwrap();
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")).unwrap();
    assert_eq!(report.totals.cost_total_minor, 20 * max);

    // A hostile file could hold a rate and amount whose product fits no figure: the
    // report says so and leaves it out, or refuses with a code; it never panics.
    sql(
        &path,
        "INSERT INTO exchange_rate (id, created_at, updated_at, updated_by, deleted, on_date, currency, quote_currency, rate)
         VALUES ('huge', 1, 1, 'x', 0, '2025-01-01', 'USD', 'MXN', 1e300)",
    );
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-04-01",
            CostCategory::Dues,
            max,
            "USD",
        ))
        .unwrap();
    match roi::compute(&store, &query("2025-01-01", "2025-12-31", "MXN")) {
        Ok(report) => assert!(report
            .warnings
            .iter()
            .any(|w| w.code == "value_out_of_range")),
        Err(e) => assert_eq!(e.code(), "overflow"),
    }
    // Hours and hourly rates have bounds too.
    let err = store
        .insert(role_rate(
            "Mayor",
            cabildo::records::MAX_HOURLY_MINOR + 1,
            "2025-01-01",
            None,
        ))
        .expect_err("hourly rate beyond bound");
    assert_eq!(rule(err).1, "invalid.too_large");
}

// ---- 7. the demo city is plausible ------------------------------------------------------

#[test]
fn the_demo_city_spends_nothing_after_its_anchor_and_borrows_only_in_pesos() {
    let anchor = date("2026-12-01");
    let mut store = Store::open_in_memory().unwrap();
    cabildo::demo::populate(&mut store, anchor).unwrap();
    let costs: Vec<CostEntry> = store.list(None).unwrap();
    assert!(!costs.is_empty());
    assert!(
        costs.iter().all(|c| c.spent_on <= anchor),
        "a cost after the anchor"
    );
    let outcomes: Vec<Outcome> = store.list(None).unwrap();
    assert!(outcomes.iter().all(|o| o.occurred_on <= anchor));
    for o in outcomes.iter().filter(|o| o.kind == OutcomeKind::Financing) {
        if matches!(
            o.instrument,
            Some(Instrument::Loan | Instrument::ConcessionalLoan | Instrument::Guarantee)
        ) {
            assert_eq!(
                o.currency.as_deref(),
                Some("MXN"),
                "{}: debt in pesos",
                o.description
            );
        }
    }
}

// ---- every figure traceable ---------------------------------------------------------------

#[test]
fn every_figure_of_every_demo_row_is_the_sum_of_the_records_it_lists() {
    let anchor = date("2026-12-01");
    let mut store = Store::open_in_memory().unwrap();
    cabildo::demo::populate(&mut store, anchor).unwrap();
    let q = RoiQuery::office_default(&store, None, anchor);
    let report = roi::compute(&store, &q).unwrap();
    assert!(report.rows.len() >= 4);
    let mut opened = 0;
    for row in &report.rows {
        let money = [
            ("cost_total", row.cost_total_minor),
            ("financing_committed", row.financing_committed_minor),
            ("financing_disbursed", row.financing_disbursed_minor),
        ];
        let mut figures: Vec<(String, i64)> =
            money.iter().map(|(n, v)| (n.to_string(), *v)).collect();
        for c in CostCategory::ALL {
            figures.push((format!("cost.{}", c.code()), row.cost.get(*c)));
        }
        for (name, value) in figures {
            let e = explain(
                &store,
                &q,
                Some(&row.membership_id),
                Figure::parse(&name).unwrap(),
                Lang::Es,
            )
            .unwrap();
            assert_eq!(e.total_minor, value, "{} {name}", row.network_acronym);
            let sum: i64 = e
                .contributions
                .iter()
                .filter_map(|c| c.contributes_minor)
                .sum();
            assert_eq!(sum, value);
            opened += e.contributions.len();
        }
        for (name, value) in [
            ("months_saved", row.months_saved),
            ("policies_transferred", row.policies_transferred),
            ("staff_hours", row.staff_hours),
            ("officials_hours", row.officials_hours),
        ] {
            let e = explain(
                &store,
                &q,
                Some(&row.membership_id),
                Figure::parse(name).unwrap(),
                Lang::Es,
            )
            .unwrap();
            assert!(
                (e.total - value).abs() < 1e-9,
                "{} {name}",
                row.network_acronym
            );
        }
    }
    assert!(opened > 50, "the demo's figures list their records");
    // A converted cost names the rate it used.
    let with_rates = report
        .rows
        .iter()
        .flat_map(|r| {
            explain(
                &store,
                &q,
                Some(&r.membership_id),
                Figure::CostTotal,
                Lang::En,
            )
            .unwrap()
            .contributions
        })
        .find(|c| c.currency.as_deref() == Some("USD"))
        .expect("a cost in dollars");
    assert_eq!(with_rates.rates.len(), 1);
    assert_eq!(with_rates.rates[0].quote, "MXN");
}

#[test]
fn unknown_figures_and_memberships_are_refused_with_a_code() {
    let (store, _, _) = store_with_membership();
    assert_eq!(
        Figure::parse("cost.fun").unwrap_err().code(),
        "invalid.unknown_figure"
    );
    assert_eq!(
        Figure::parse("leverage").unwrap_err().code(),
        "invalid.unknown_figure"
    );
    assert_eq!(
        Figure::parse("cost_total_minor").unwrap(),
        Figure::CostTotal
    );
    let e = explain(
        &store,
        &query("2025-01-01", "2025-12-31", "MXN"),
        Some("nope"),
        Figure::CostTotal,
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(e.code(), "not_found");
}

// ---- independent computation over two offices ----------------------------------------

/// Each membership's cost in MXN, computed plainly from the file: money converted with
/// the latest direct rate on or before its date ("1 X = r MXN"), hours valued at the
/// role rate of their date, each rounded to the cent, summed.
fn plain_costs(path: &std::path::Path, from: &str, to: &str) -> HashMap<String, i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut rates: HashMap<String, Vec<(String, f64)>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT currency, on_date, rate FROM exchange_rate WHERE deleted = 0 AND quote_currency = 'MXN' ORDER BY on_date")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })
        .unwrap()
    {
        let (cur, on, rate) = row.unwrap();
        rates.entry(cur).or_default().push((on, rate));
    }
    let rate_on = |cur: &str, on: &str| -> f64 {
        if cur == "MXN" {
            return 1.0;
        }
        rates[cur]
            .iter()
            .rev()
            .find(|(d, _)| d.as_str() <= on)
            .map(|(_, r)| *r)
            .expect("a rate")
    };
    let mut roles: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    let mut stmt = conn
        .prepare("SELECT role, valid_from, hourly_minor FROM role_rate WHERE deleted = 0 AND currency = 'MXN' ORDER BY valid_from")
        .unwrap();
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })
        .unwrap()
    {
        let (role, on, hourly) = row.unwrap();
        roles.entry(role).or_default().push((on, hourly));
    }
    let mut out: HashMap<String, i64> = HashMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT membership_id, spent_on, amount_minor, currency, hours, role FROM cost_entry
             WHERE deleted = 0 AND membership_id IS NOT NULL AND spent_on >= ?1 AND spent_on <= ?2",
        )
        .unwrap();
    let rows = stmt
        .query_map([from, to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<f64>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (m, on, amount, cur, hours, role) = row.unwrap();
        let value = match hours {
            Some(h) => {
                let hourly = roles[role.as_deref().unwrap()]
                    .iter()
                    .rev()
                    .find(|(d, _)| d.as_str() <= on.as_str())
                    .map(|(_, v)| *v)
                    .expect("a role rate");
                (h * hourly as f64).round() as i64
            }
            None => (amount.unwrap() as f64 * rate_on(cur.as_deref().unwrap(), &on)).round() as i64,
        };
        *out.entry(m).or_default() += value;
    }
    let mut financing: HashMap<String, i64> = HashMap::new();
    let mut stmt = conn
        .prepare(
            "SELECT a.membership_id, o.occurred_on, o.committed_minor, o.currency, a.share_bp
             FROM attribution a JOIN outcome o ON o.id = a.outcome_id
             WHERE a.deleted = 0 AND o.deleted = 0 AND o.kind = 'financing'
               AND o.occurred_on >= ?1 AND o.occurred_on <= ?2",
        )
        .unwrap();
    let rows = stmt
        .query_map([from, to], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .unwrap();
    for row in rows {
        let (m, on, committed, cur, share_bp) = row.unwrap();
        let value =
            (committed as f64 * rate_on(&cur, &on) * (share_bp as f64 / 10_000.0)).round() as i64;
        *financing.entry(m).or_default() += value;
    }
    for (m, v) in financing {
        out.insert(format!("financing:{m}"), v);
    }
    out
}

#[test]
fn two_offices_with_different_bases_merge_into_figures_a_plain_computation_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let a_path = dir.path().join("a.cabildo");
    let b_path = dir.path().join("b.cabildo");
    let mut a = cabildo::generate::generate(&a_path, 2, 11, "MXN", |_| {}).unwrap();
    drop(cabildo::generate::generate(&b_path, 2, 12, "USD", |_| {}).unwrap());
    let b = Store::open(&b_path).unwrap();
    assert_eq!(b.office().reporting_currency, "USD");
    let b_rates: Vec<ExchangeRate> = b.list(None).unwrap();
    assert!(b_rates.iter().all(|r| r.quote_currency == "USD"));
    drop(b);
    cabildo::exchange::merge::merge_file(
        &mut a,
        &b_path,
        &cabildo::exchange::merge::MergeOptions::default(),
        |_, _| true,
    )
    .expect("merge");
    let (from, to) = ("2024-01-01", "2025-12-31");
    let report = roi::compute(&a, &query(from, to, "MXN")).unwrap();
    drop(a);
    let plain = plain_costs(&a_path, from, to);
    assert!(report.rows.len() >= 60, "both offices' memberships");
    let mut compared = 0;
    for row in &report.rows {
        let want = plain.get(&*row.membership_id).copied().unwrap_or(0);
        assert_eq!(
            row.cost_total_minor, want,
            "{} {}",
            row.city_name, row.network_acronym
        );
        let want = plain
            .get(&format!("financing:{}", row.membership_id))
            .copied()
            .unwrap_or(0);
        assert_eq!(
            row.financing_committed_minor, want,
            "financing of {} {}",
            row.city_name, row.network_acronym
        );
        compared += 1;
    }
    assert!(compared >= 60);
    assert!(report
        .warnings
        .iter()
        .all(|w| w.code != "missing_exchange_rate"));
}

#[test]
fn charts_and_reasons_write_numbers_the_office_way() {
    let anchor = date("2026-12-01");
    let mut store = Store::open_in_memory().unwrap();
    cabildo::demo::populate(&mut store, anchor).unwrap();
    let q = RoiQuery::office_default(&store, None, anchor);
    let chart = |store: &Store| {
        cabildo::charts::render_svg(
            store,
            &cabildo::charts::ChartRequest {
                kind: cabildo::charts::ChartKind::CostByCategory,
                query: q.clone(),
                lang: Lang::Es,
                width: 1920,
                height: 1080,
            },
        )
        .unwrap()
    };
    // The demo's total is MXN 1.8 million: "MXN 1.8 M", or "MXN 1,8 M".
    assert_eq!(chart(&store).figures[0].value, "MXN 1.8 M");
    set_format(&mut store, NumberFormat::PointComma);
    assert_eq!(chart(&store).figures[0].value, "MXN 1,8 M");
    let report = roi::compute(&store, &q).unwrap();
    let passive = report
        .rows
        .iter()
        .find(|r| r.classification == roi::Classification::Passive)
        .expect("a passive row");
    assert!(
        passive.reason_es.contains("MXN 529 mil"),
        "{}",
        passive.reason_es
    );
    // Outside a report, the core writes numbers as before.
    assert_eq!(cabildo::format::number(1234.5, 1), "1,234.5");
}

#[test]
fn restoring_a_project_leaves_in_the_trash_what_another_deleted_parent_holds() {
    let (mut store, city, m) = store_with_membership();
    let p = store.insert(project(&city)).unwrap().meta.id;
    let o = store
        .insert(acceleration(&city, &p, "2025-04-01", 3.0))
        .unwrap()
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).unwrap();
    store.delete(RecordKind::Project, &p).unwrap();
    store.delete(RecordKind::Membership, &m).unwrap();
    store.restore(RecordKind::Project, &p).unwrap();
    // The outcome is back; its attribution to the deleted membership is not.
    assert_eq!(store.list::<Outcome>(None).unwrap().len(), 1);
    assert!(store.list::<Attribution>(None).unwrap().is_empty());
    store.restore(RecordKind::Membership, &m).unwrap();
    assert_eq!(store.list::<Attribution>(None).unwrap().len(), 1);
}

#[test]
fn a_cost_is_refused_for_a_membership_of_another_city() {
    let (mut store, _city, m) = store_with_membership();
    let other = store.insert(city("Otra")).unwrap().meta.id;
    let err = store
        .insert(money_cost(
            &other,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            1_00,
            "MXN",
        ))
        .expect_err("another city's membership");
    assert_eq!(
        rule(err),
        ("membership_id".into(), "invalid.other_city".into())
    );
}

#[test]
fn an_optional_currency_goes_with_its_empty_amount() {
    // The form sends the office's currency with an empty dues amount: it says nothing.
    let mut store = Store::open_in_memory().unwrap();
    let mut c = serde_json::to_value(city("Villa")).unwrap();
    c["id"] = json!("");
    let city = store.save_json(RecordKind::City, c).unwrap();
    let networks: Vec<cabildo::model::Network> = store.list(None).unwrap();
    let mut m = serde_json::to_value(cabildo::model::Membership::new(
        city["id"].as_str().unwrap(),
        &networks[0].meta.id,
    ))
    .unwrap();
    m["dues_minor"] = json!("");
    m["dues_currency"] = json!("MXN");
    let saved = store.save_json(RecordKind::Membership, m).unwrap();
    assert_eq!(saved["dues_minor"], json!(null));
    assert_eq!(saved["dues_currency"], json!(null));
}
