//! The ROI engine: each classification rule on a hand-computed case, currency
//! conversion with dates between and before rates, hours valued by the rate valid on
//! the date, attribution shares, and the demo database.

mod common;

use cabildo::model::*;
use cabildo::roi::{self, Classification, RoiQuery, RoiRow, ThesisStatus};
use cabildo::Store;
use common::*;

fn query(from: &str, to: &str) -> RoiQuery {
    RoiQuery {
        from: date(from),
        to: date(to),
        currency: "MXN".into(),
        city_id: None,
    }
}

fn row(store: &Store, q: &RoiQuery, membership_id: &str) -> RoiRow {
    roi::compute(store, q)
        .expect("report")
        .rows
        .into_iter()
        .find(|r| &*r.membership_id == membership_id)
        .expect("row")
}

#[test]
fn money_is_converted_with_the_latest_rate_on_or_before_the_date() {
    let (mut store, city, m) = store_with_membership();
    store.insert(rate("USD", "2025-01-01", 17.0)).expect("rate");
    store.insert(rate("USD", "2025-03-01", 20.0)).expect("rate");
    // Between two rates: the earlier one applies. On the day of a rate: that rate.
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-15",
            CostCategory::Travel,
            100_00,
            "USD",
        ))
        .expect("cost");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            10_00,
            "USD",
        ))
        .expect("cost");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-02",
            CostCategory::Dues,
            1_000_00,
            "MXN",
        ))
        .expect("cost");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.cost.travel, 100_00 * 17 + 10_00 * 20);
    assert_eq!(r.cost.dues, 1_000_00);
    assert_eq!(r.cost_total_minor, 1_700_00 + 200_00 + 1_000_00);

    // Reporting in USD divides by the USD rate of each date.
    let mut usd = query("2025-01-01", "2025-12-31");
    usd.currency = "USD".into();
    let r = row(&store, &usd, &m);
    assert_eq!(r.cost.dues, 50_00, "MXN 1,000 at 20 MXN/USD");
    assert_eq!(r.cost.travel, 110_00);
}

#[test]
fn an_amount_before_the_first_rate_is_a_warning_not_a_silent_zero() {
    let (mut store, city, m) = store_with_membership();
    store.insert(rate("EUR", "2025-06-01", 20.0)).expect("rate");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-05-31",
            CostCategory::Travel,
            100_00,
            "EUR",
        ))
        .expect("cost");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-06-02",
            CostCategory::Travel,
            1_00,
            "EUR",
        ))
        .expect("cost");
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31")).expect("report");
    let r = report
        .rows
        .iter()
        .find(|r| *r.membership_id == *m)
        .expect("row");
    assert_eq!(
        r.cost.travel, 20_00,
        "only the convertible amount is counted"
    );
    let w = report
        .warnings
        .iter()
        .find(|w| w.code == "missing_exchange_rate")
        .expect("a warning");
    assert_eq!(
        (w.subject.as_str(), w.on),
        ("EUR", Some(date("2025-05-31")))
    );
    assert!(w.text(cabildo::format::Lang::Es).contains("tipo de cambio"));
}

#[test]
fn hours_are_valued_by_the_role_rate_valid_on_the_date() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(role_rate(
            "Specialist",
            400_00,
            "2024-01-01",
            Some("2025-03-31"),
        ))
        .expect("rate");
    store
        .insert(role_rate("Specialist", 500_00, "2025-04-01", None))
        .expect("rate");
    store
        .insert(hours_cost(&city, &m, "2025-03-31", 10.0, "Specialist"))
        .expect("hours");
    store
        .insert(hours_cost(&city, &m, "2025-04-01", 2.5, "Specialist"))
        .expect("hours");
    store
        .insert(hours_cost(&city, &m, "2025-05-01", 1.0, "Nobody"))
        .expect("hours");
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31")).expect("report");
    let r = report
        .rows
        .iter()
        .find(|r| *r.membership_id == *m)
        .expect("row");
    assert_eq!(r.cost.staff_time, 10 * 400_00 + 1_250_00);
    assert_eq!(
        r.staff_hours, 13.5,
        "hours are shown even when a rate is missing"
    );
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == "missing_role_rate" && w.subject == "Nobody"));
}

#[test]
fn financing_and_months_and_policies_count_times_the_share() {
    let (mut store, city, m) = store_with_membership();
    store.insert(rate("USD", "2024-01-01", 20.0)).expect("rate");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-01",
            CostCategory::Dues,
            100_000_00,
            "MXN",
        ))
        .expect("cost");
    let f = store
        .insert(financing(&city, "2025-03-01", 1_000_000_00, "USD"))
        .expect("financing")
        .meta
        .id;
    store.insert(attribution(&f, &m, 2_500)).expect("25 %");
    let p = store.insert(project(&city)).expect("project").meta.id;
    let a = store
        .insert(acceleration(&city, &p, "2025-04-01", 8.0))
        .expect("acceleration")
        .meta
        .id;
    store.insert(attribution(&a, &m, 5_000)).expect("50 %");
    let pol = store
        .insert(policy(&city, "2025-05-01"))
        .expect("policy")
        .meta
        .id;
    store.insert(attribution(&pol, &m, 10_000)).expect("100 %");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.financing_committed_minor, 1_000_000_00 * 20 / 4);
    assert_eq!(r.months_saved, 4.0);
    assert_eq!(r.policies_transferred, 1.0);
    assert_eq!(r.outcomes, 3);
    assert_eq!(
        r.leverage,
        Some(50.0),
        "MXN 5 M committed for MXN 100,000 of cost"
    );
}

#[test]
fn meetings_count_asks_and_achieved_asks() {
    let (mut store, _city, m) = store_with_membership();
    store
        .insert(meeting(
            &m,
            "2025-02-01",
            Ask::FinancingPathway,
            MeetingResult::Achieved,
        ))
        .expect("m");
    store
        .insert(meeting(
            &m,
            "2025-03-01",
            Ask::TechnicalAssistance,
            MeetingResult::Partly,
        ))
        .expect("m");
    store
        .insert(meeting(
            &m,
            "2025-04-01",
            Ask::PolicyExchange,
            MeetingResult::NotAchieved,
        ))
        .expect("m");
    store
        .insert(meeting(
            &m,
            "2025-05-01",
            Ask::None,
            MeetingResult::Achieved,
        ))
        .expect("m");
    store
        .insert(meeting(
            &m,
            "2024-05-01",
            Ask::None,
            MeetingResult::Achieved,
        ))
        .expect("before the period");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(
        (r.meetings_held, r.meetings_with_ask, r.asks_achieved),
        (4, 3, 2)
    );
}

// ---- classification: one hand-computed case per rule ------------------------------

#[test]
fn rule_1_an_ended_membership_is_inactive() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-01",
            CostCategory::Dues,
            5_00,
            "MXN",
        ))
        .expect("cost");
    let mut ms: Membership = store.get(&m).expect("m");
    ms.status = MembershipStatus::Ended;
    ms.ended_on = Some(date("2025-03-01"));
    store.update(ms).expect("end it");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Inactive);
    assert!(r.reason_en.contains("ended"), "{}", r.reason_en);
}

#[test]
fn rule_1_no_cost_and_no_outcome_in_the_period_is_inactive() {
    let (store, _city, m) = store_with_membership();
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Inactive);
    assert!(
        r.reason_es.contains("sin costo ni resultados"),
        "{}",
        r.reason_es
    );
}

#[test]
fn rule_2_a_thesis_and_an_outcome_in_its_window_is_strategic() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(thesis(&m, "2025-01-01", "2026-06-30"))
        .expect("thesis");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-01",
            CostCategory::Dues,
            5_00,
            "MXN",
        ))
        .expect("cost");
    let o = store
        .insert(policy(&city, "2025-03-01"))
        .expect("o")
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).expect("a");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Strategic);
    assert_eq!(r.thesis_status, ThesisStatus::Open);
}

#[test]
fn rule_3_a_thesis_within_its_horizon_and_no_outcome_is_developing() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(thesis(&m, "2025-06-01", "2026-12-31"))
        .expect("thesis");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-07-01",
            CostCategory::Travel,
            5_00,
            "MXN",
        ))
        .expect("cost");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Developing);
}

#[test]
fn rule_4_cost_and_no_outcome_in_18_months_is_passive_and_says_why() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-10",
            CostCategory::Dues,
            1_200_000_00,
            "MXN",
        ))
        .expect("cost");
    // An outcome 19 months before the period's end does not count.
    let o = store
        .insert(policy(&city, "2024-05-30"))
        .expect("o")
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).expect("a");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Passive);
    assert_eq!(
        r.reason_en,
        "Passive: MXN 1.2M spent since March 2025, no outcome in 18 months, no thesis."
    );
    assert_eq!(
        r.reason_es,
        "Pasiva: MXN 1.2 M gastados desde marzo de 2025, ningún resultado en 18 meses, sin tesis."
    );
}

#[test]
fn rule_4_an_expired_thesis_without_outcome_is_passive() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(thesis(&m, "2023-01-01", "2024-06-30"))
        .expect("thesis");
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-10",
            CostCategory::Dues,
            5_00,
            "MXN",
        ))
        .expect("cost");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Passive);
    assert_eq!(r.thesis_status, ThesisStatus::DueForReview);
}

#[test]
fn rule_5_outcomes_without_a_thesis_are_unsteered() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-01",
            CostCategory::Dues,
            5_00,
            "MXN",
        ))
        .expect("cost");
    let o = store
        .insert(policy(&city, "2025-03-01"))
        .expect("o")
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).expect("a");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Unsteered);
    assert_eq!(r.thesis_status, ThesisStatus::None);
}

#[test]
fn the_rules_are_evaluated_in_order_so_an_ended_membership_with_outcomes_is_inactive() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(thesis(&m, "2025-01-01", "2026-06-30"))
        .expect("thesis");
    let o = store
        .insert(policy(&city, "2025-03-01"))
        .expect("o")
        .meta
        .id;
    store.insert(attribution(&o, &m, 10_000)).expect("a");
    let mut ms: Membership = store.get(&m).expect("m");
    ms.status = MembershipStatus::Suspended;
    store.update(ms).expect("suspend");
    let r = row(&store, &query("2025-01-01", "2025-12-31"), &m);
    assert_eq!(r.classification, Classification::Inactive);
}

#[test]
fn rows_roll_up_per_network_and_per_city_and_general_costs_stay_with_the_city() {
    let (mut store, city, m) = store_with_membership();
    let other = store.insert(common::city("Bravo")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let m2 = store.insert(membership(&other, &c40)).expect("m2").meta.id;
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-02-01",
            CostCategory::Dues,
            100_00,
            "MXN",
        ))
        .expect("c");
    store
        .insert(money_cost(
            &other,
            Some(&m2),
            "2025-02-01",
            CostCategory::Travel,
            50_00,
            "MXN",
        ))
        .expect("c");
    store
        .insert(money_cost(
            &city,
            None,
            "2025-02-01",
            CostCategory::Other,
            7_00,
            "MXN",
        ))
        .expect("general");
    let report = roi::compute(&store, &query("2025-01-01", "2025-12-31")).expect("report");
    let c40_total = report.by_network.iter().find(|n| n.id == c40).expect("c40");
    assert_eq!(
        (c40_total.memberships, c40_total.cost_total_minor),
        (2, 150_00)
    );
    let villa = report.by_city.iter().find(|c| c.id == city).expect("city");
    // General international work counts in the city's and the overall totals.
    assert_eq!(
        (villa.cost_total_minor, villa.general_cost_minor),
        (107_00, 7_00)
    );
    assert_eq!(report.totals.cost_total_minor, 157_00);
    assert_eq!(report.totals.general_cost_minor, 7_00);

    let mut one_city = query("2025-01-01", "2025-12-31");
    one_city.city_id = Some(other.clone());
    let scoped = roi::compute(&store, &one_city).expect("report");
    assert_eq!(scoped.rows.len(), 1);
    assert_eq!(&*scoped.rows[0].city_id, other.as_str());
}

#[test]
fn a_period_that_ends_before_it_starts_is_refused() {
    let (store, _city, _m) = store_with_membership();
    let err = roi::compute(&store, &query("2025-12-31", "2025-01-01")).expect_err("bad period");
    assert_eq!(err.code(), "invalid.end_before_start");
}

#[test]
fn the_demo_city_shows_every_classification() {
    let dir = tempfile::tempdir().expect("dir");
    let anchor = date("2026-11-15");
    let store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    let report =
        roi::compute(&store, &RoiQuery::last_twelve_months(anchor, "MXN")).expect("report");
    for class in Classification::ALL {
        assert!(
            report.rows.iter().any(|r| r.classification == *class),
            "{class:?} appears in the demo"
        );
    }
    let passive = report
        .rows
        .iter()
        .find(|r| r.classification == Classification::Passive)
        .expect("passive");
    assert_eq!(&*passive.network_acronym, "Metropolis");
    assert!(
        report.warnings.is_empty(),
        "the demo has every rate it needs: {:?}",
        report.warnings
    );
    let dashboard =
        roi::dashboard(&store, &RoiQuery::last_twelve_months(anchor, "MXN")).expect("dashboard");
    assert!(
        !dashboard.theses_due.is_empty(),
        "a thesis is due for review"
    );
    assert!(!dashboard.renewals.is_empty(), "a renewal is coming");
}

#[test]
fn the_demo_is_deterministic_for_an_anchor_date() {
    let dir = tempfile::tempdir().expect("dir");
    let anchor = date("2026-11-15");
    let a = cabildo::demo::create(&dir.path().join("a.cabildo"), anchor).expect("demo");
    let b = cabildo::demo::create(&dir.path().join("b.cabildo"), anchor).expect("demo");
    let ids = |s: &Store| {
        s.list::<CostEntry>(None)
            .expect("list")
            .into_iter()
            .map(|c| (c.meta.id, c.amount_minor, c.hours))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(ids(&a).len(), ids(&b).len());
}

#[test]
fn the_screens_current_thesis_is_the_one_the_classification_reads() {
    use cabildo::roi::ThesisStatus;
    let dir = tempfile::tempdir().expect("dir");
    let anchor = date("2026-11-15");
    let store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    let report =
        roi::compute(&store, &RoiQuery::last_twelve_months(anchor, "MXN")).expect("report");
    let current = roi::current_theses(&store, anchor, None).expect("current");
    let mut expected: Vec<(String, String)> = report
        .rows
        .iter()
        .filter(|r| {
            matches!(
                r.thesis_status,
                ThesisStatus::Open | ThesisStatus::DueForReview
            )
        })
        .filter_map(|r| {
            Some((
                r.membership_id.to_string(),
                r.thesis_id.as_deref()?.to_string(),
            ))
        })
        .collect();
    expected.sort();
    let got: Vec<(String, String)> = current
        .into_iter()
        .map(|c| (c.membership_id, c.thesis_id))
        .collect();
    assert!(!got.is_empty(), "the demo has open theses");
    assert_eq!(got, expected);
}

#[test]
fn a_dashboards_window_carries_one_networks_or_one_citys_rows_a_page_at_a_time_and_whole_roll_ups()
{
    use cabildo::roi::{dashboard, dashboard_window, RowsWindow};
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("five.cabildo");
    let store = cabildo::generate::generate(&path, 5, 3, "MXN", |_| {}).expect("generate");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let query = cabildo::roi::RoiQuery::office_default(&store, None, today);
    let whole = dashboard(&store, &query).expect("dashboard");
    assert_eq!(whole.rows_total as usize, whole.report.rows.len());
    let network = whole.report.rows[0].network_id.clone();
    let of_network: Vec<_> = whole
        .report
        .rows
        .iter()
        .filter(|r| r.network_id == network)
        .map(|r| r.membership_id.clone())
        .collect();
    assert!(of_network.len() > 1, "a network of several cities");

    let mut window = RowsWindow {
        network_id: Some(network.to_string()),
        limit: 2,
        ..RowsWindow::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = dashboard_window(&store, &query, Some(&window)).expect("window");
        assert_eq!(page.rows_total as usize, of_network.len());
        assert_eq!(
            page.report.by_network, whole.report.by_network,
            "roll-ups are whole"
        );
        assert_eq!(page.report.by_city, whole.report.by_city);
        assert_eq!(page.report.totals, whole.report.totals);
        assert!(
            page.report.general.is_empty(),
            "general work is no network's"
        );
        if page.report.rows.is_empty() {
            break;
        }
        assert!(page.report.rows.len() <= 2);
        seen.extend(page.report.rows.into_iter().map(|r| r.membership_id));
        window.offset += 2;
    }
    assert_eq!(
        seen, of_network,
        "every row of the network once, in the report's order"
    );

    let city = whole.report.by_city[1].id.clone();
    let page = dashboard_window(
        &store,
        &query,
        Some(&RowsWindow {
            city_id: Some(city.clone()),
            limit: 500,
            ..RowsWindow::default()
        }),
    )
    .expect("city");
    assert!(page.report.rows.iter().all(|r| *r.city_id == *city));
    assert_eq!(
        page.rows_total as i64, whole.report.by_city[1].memberships,
        "the city's roll-up counts its rows"
    );
    assert!(page.report.general.iter().all(|g| g.city_id == city));
}

#[test]
fn the_dashboard_kept_for_paging_follows_every_write() {
    use cabildo::roi::dashboard;
    let (mut store, city, m) = common::store_with_membership();
    let query = RoiQuery {
        from: common::date("2025-01-01"),
        to: common::date("2025-12-31"),
        currency: "MXN".into(),
        city_id: None,
    };
    let before = dashboard(&store, &query)
        .unwrap()
        .report
        .totals
        .cost_total_minor;
    assert_eq!(
        dashboard(&store, &query)
            .unwrap()
            .report
            .totals
            .cost_total_minor,
        before
    );
    store
        .insert(common::money_cost(
            &city,
            Some(&m),
            "2025-05-05",
            CostCategory::Travel,
            12_345,
            "MXN",
        ))
        .unwrap();
    let after = dashboard(&store, &query)
        .unwrap()
        .report
        .totals
        .cost_total_minor;
    assert_eq!(after, before + 12_345);
    let other = RoiQuery {
        from: common::date("2025-06-01"),
        ..query.clone()
    };
    assert_eq!(
        dashboard(&store, &other)
            .unwrap()
            .report
            .totals
            .cost_total_minor,
        before
    );
}

#[test]
fn live_costs_of_a_membership_in_the_trash_count_as_the_citys_general_work_and_are_said() {
    // A merge can bring costs whose membership is in the trash: another process's
    // write stands for it here.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trash.cabildo");
    let mut store = Store::open(&path).expect("store");
    let city = store.insert(common::city("Villa")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let kept = store.insert(membership(&city, &c40)).expect("kept").meta.id;
    let iclei = network_id(&store, "ICLEI");
    let gone = store
        .insert(membership(&city, &iclei))
        .expect("gone")
        .meta
        .id;
    for (m, category, minor) in [
        (Some(&kept), CostCategory::Dues, 100_00),
        (Some(&gone), CostCategory::Dues, 40_00),
        (Some(&gone), CostCategory::Travel, 2_00),
        (None, CostCategory::Other, 7_00),
    ] {
        store
            .insert(money_cost(
                &city,
                m.map(String::as_str),
                "2025-02-01",
                category,
                minor,
                "MXN",
            ))
            .expect("cost");
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let trashed = conn
        .execute("UPDATE membership SET deleted = 1 WHERE id = ?1", [&gone])
        .unwrap();
    assert_eq!(trashed, 1);
    drop(conn);

    let q = query("2025-01-01", "2025-12-31");
    let report = roi::compute(&store, &q).expect("report");
    assert_eq!(
        report
            .rows
            .iter()
            .map(|r| &*r.membership_id)
            .collect::<Vec<_>>(),
        [kept.as_str()]
    );
    let villa = report.by_city.iter().find(|c| c.id == city).expect("city");
    assert_eq!(
        (villa.cost_total_minor, villa.general_cost_minor),
        (149_00, 49_00)
    );
    assert_eq!(villa.cost.dues, 140_00);
    assert_eq!(report.totals.cost_total_minor, 149_00);
    let said: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| w.code == "costs_of_deleted_membership")
        .map(|w| w.subject.as_str())
        .collect();
    assert_eq!(said, [gone.as_str()], "said once, not once per category");

    // The app's path (the kept indexes) answers the same.
    store.keep_report_indexes(true);
    let mut kept_report = roi::compute(&store, &q).expect("kept report");
    kept_report.data_stamp = report.data_stamp;
    assert_eq!(kept_report, report);
}
