//! Builders of valid records for integration tests.
#![allow(dead_code)]

use cabildo::model::*;
use cabildo::Store;
use chrono::NaiveDate;

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

pub fn city(name: &str) -> City {
    City {
        meta: Meta::default(),
        name: name.into(),
        country: "MX".into(),
        population: Some(1_000_000),
        population_year: Some(2020),
        latitude: Some(20.0),
        longitude: Some(-103.0),
        region: None,
        cdp_account: None,
        income_group: None,
    }
}

pub fn network_id(store: &Store, acronym: &str) -> String {
    store
        .list::<Network>(None)
        .expect("networks")
        .into_iter()
        .find(|n| n.acronym == acronym)
        .expect("seeded network")
        .meta
        .id
}

pub fn membership(city_id: &str, network_id: &str) -> Membership {
    Membership {
        joined_on: Some(date("2020-01-01")),
        ..Membership::new(city_id, network_id)
    }
}

pub fn thesis(membership_id: &str, start: &str, horizon: &str) -> Thesis {
    Thesis {
        meta: Meta::default(),
        membership_id: membership_id.into(),
        statement: "Financing for the BRT".into(),
        start_on: date(start),
        horizon_on: date(horizon),
        review_on: None,
        verdict: None,
        decision: None,
        reviewed_on: None,
    }
}

pub fn money_cost(
    city_id: &str,
    membership_id: Option<&str>,
    on: &str,
    category: CostCategory,
    minor: i64,
    currency: &str,
) -> CostEntry {
    CostEntry {
        meta: Meta::default(),
        city_id: city_id.into(),
        membership_id: membership_id.map(str::to_string),
        meeting_id: None,
        spent_on: date(on),
        category,
        amount_minor: Some(minor),
        currency: Some(currency.into()),
        hours: None,
        role: None,
        invoice_id: None,
        reference: None,
        description: Some("trip".into()),
    }
}

pub fn hours_cost(
    city_id: &str,
    membership_id: &str,
    on: &str,
    hours: f64,
    role: &str,
) -> CostEntry {
    CostEntry {
        meta: Meta::default(),
        city_id: city_id.into(),
        membership_id: Some(membership_id.into()),
        meeting_id: None,
        spent_on: date(on),
        category: CostCategory::StaffTime,
        amount_minor: None,
        currency: None,
        hours: Some(hours),
        role: Some(role.into()),
        invoice_id: None,
        reference: None,
        description: None,
    }
}

/// "1 `currency` = `rate` MXN" (MXN: the test offices' currency).
pub fn rate(currency: &str, on: &str, rate: f64) -> ExchangeRate {
    rate_in(currency, "MXN", on, rate)
}

/// "1 `base` = `rate` `quote`".
pub fn rate_in(base: &str, quote: &str, on: &str, rate: f64) -> ExchangeRate {
    ExchangeRate {
        meta: Meta::default(),
        on_date: date(on),
        currency: base.into(),
        quote_currency: quote.into(),
        rate,
        source: None,
    }
}

pub fn role_rate(role: &str, hourly_minor: i64, from: &str, to: Option<&str>) -> RoleRate {
    RoleRate {
        meta: Meta::default(),
        role: role.into(),
        hourly_minor,
        currency: "MXN".into(),
        valid_from: date(from),
        valid_to: to.map(date),
    }
}

pub fn meeting(membership_id: &str, on: &str, ask: Ask, result: MeetingResult) -> Meeting {
    Meeting {
        meta: Meta::default(),
        membership_id: membership_id.into(),
        title: "Summit".into(),
        start_on: date(on),
        end_on: None,
        place: None,
        attendees: None,
        ask,
        counterpart: None,
        result,
        follow_up: None,
        follow_up_due: None,
    }
}

pub fn project(city_id: &str) -> Project {
    Project {
        meta: Meta::default(),
        city_id: city_id.into(),
        name: "BRT line 4".into(),
        sector: Sector::Mobility,
        stage: Stage::Implementation,
        capex_minor: Some(1_000_000_00),
        capex_currency: Some("MXN".into()),
        start_on: Some(date("2024-01-01")),
        baseline_months: Some(48),
        actual_months: Some(40),
        notes: None,
    }
}

fn blank_outcome(city_id: &str, kind: OutcomeKind, on: &str) -> Outcome {
    Outcome::new(city_id, kind, date(on), "outcome")
}

pub fn financing(city_id: &str, on: &str, committed_minor: i64, currency: &str) -> Outcome {
    let mut o = blank_outcome(city_id, OutcomeKind::Financing, on);
    o.amount_minor = Some(committed_minor);
    o.currency = Some(currency.into());
    o.instrument = Some(Instrument::Grant);
    o.source_type = Some(SourceType::ClimateFund);
    o.financing_status = Some(FinancingStatus::Committed);
    o.committed_minor = Some(committed_minor);
    o.disbursed_minor = Some(0);
    o
}

pub fn acceleration(city_id: &str, project_id: &str, on: &str, months: f64) -> Outcome {
    let mut o = blank_outcome(city_id, OutcomeKind::Acceleration, on);
    o.project_id = Some(project_id.into());
    o.months_saved = Some(months);
    o
}

pub fn policy(city_id: &str, on: &str) -> Outcome {
    let mut o = blank_outcome(city_id, OutcomeKind::PolicyTransfer, on);
    o.policy_instrument = Some(PolicyInstrument::Regulation);
    o.source_peer = Some("Bogotá".into());
    o.adopted_on = Some(date(on));
    o
}

pub fn attribution(outcome_id: &str, membership_id: &str, share_bp: i32) -> Attribution {
    Attribution {
        meta: Meta::default(),
        outcome_id: outcome_id.into(),
        membership_id: membership_id.into(),
        share_bp,
    }
}

pub fn metric(city_id: &str, year: i32) -> Metric {
    Metric {
        meta: Meta::default(),
        city_id: city_id.into(),
        year,
        name: "emissions_tco2e".into(),
        value: Some(4_000_000.0),
        value_text: None,
        unit: Some("tCO2e".into()),
        source: Some("inventory".into()),
    }
}

/// A store with one city and one C40 membership: (store, city id, membership id).
pub fn store_with_membership() -> (Store, String, String) {
    let mut store = Store::open_in_memory().expect("store");
    let city = store.insert(city("Villa")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let m = store
        .insert(membership(&city, &c40))
        .expect("membership")
        .meta
        .id;
    (store, city, m)
}
