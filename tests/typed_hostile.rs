//! Typed input that tries to get past the description's checks (a hostile review).
mod common;
use cabildo::kinds::RecordKind;
use cabildo::Store;
use serde_json::json;

fn code(r: cabildo::Result<serde_json::Value>) -> String {
    match r {
        Ok(v) => panic!("accepted {v}"),
        Err(e) => e.code().to_string(),
    }
}

#[test]
fn typed_dodges_of_the_description_are_refused() {
    let mut s = Store::open_in_memory().unwrap();
    let city = s.insert(common::city("X")).unwrap();
    let c = city.meta.id.clone();
    let base = |extra: serde_json::Value| {
        let mut o = json!({"id": "", "city_id": c, "spent_on": "2026-01-01"});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    let mut out = Vec::new();
    for (what, rec) in [
        (
            "time, negative hours",
            base(json!({"category": "staff_time", "hours": -1.0, "role": "a"})),
        ),
        (
            "time, no role",
            base(json!({"category": "staff_time", "hours": "2"})),
        ),
        (
            "time, huge hours",
            base(json!({"category": "staff_time", "hours": 1e300, "role": "a"})),
        ),
        (
            "cash, negative number",
            base(json!({"category": "travel", "amount_minor": -5, "currency": "MXN"})),
        ),
        (
            "cash, u64",
            base(
                json!({"category": "travel", "amount_minor": 18446744073709551615u64, "currency": "MXN"}),
            ),
        ),
        (
            "cash, float",
            base(json!({"category": "travel", "amount_minor": 1.5, "currency": "MXN"})),
        ),
        (
            "cash, lower currency",
            base(json!({"category": "travel", "amount_minor": "5", "currency": "mxn"})),
        ),
        (
            "cash, no currency",
            base(json!({"category": "travel", "amount_minor": 5})),
        ),
        (
            "category casing",
            base(json!({"category": "STAFF_TIME", "hours": 2.0})),
        ),
    ] {
        out.push((what, code(s.save_json(RecordKind::CostEntry, rec))));
    }
    let o = |extra: serde_json::Value| {
        let mut o =
            json!({"id": "", "city_id": c, "occurred_on": "2026-01-01", "description": "d"});
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    for (what, rec) in [
        (
            "financing, no amount",
            o(
                json!({"kind": "financing", "currency": "MXN", "instrument": "grant", "financing_status": "pipeline"}),
            ),
        ),
        ("financing, casing", o(json!({"kind": "Financing"}))),
        (
            "acceleration, no months",
            o(json!({"kind": "acceleration"})),
        ),
        (
            "policy, blank peer",
            o(
                json!({"kind": "policy_transfer", "policy_instrument": "regulation", "source_peer": "  "}),
            ),
        ),
        (
            "interest 101",
            o(
                json!({"kind": "financing", "amount_minor": 5, "currency": "MXN", "instrument": "grant", "financing_status": "pipeline", "interest_rate": 101.0}),
            ),
        ),
    ] {
        out.push((what, code(s.save_json(RecordKind::Outcome, rec))));
    }
    for (what, rec) in [
        (
            "metric year i64",
            json!({"id": "", "city_id": c, "year": 5000000000i64, "name": "n"}),
        ),
        (
            "metric year 1899",
            json!({"id": "", "city_id": c, "year": "1899", "name": "n"}),
        ),
        (
            "metric 10k+1 chars",
            json!({"id": "", "city_id": c, "year": 2020, "name": "n".repeat(10_001)}),
        ),
    ] {
        out.push((what, code(s.save_json(RecordKind::Metric, rec))));
    }
    for (what, rec) in [
        (
            "city pop_year -1",
            json!({"id": "", "name": "a", "country": "MX", "population_year": -1}),
        ),
        (
            "city cdp 2e18",
            json!({"id": "", "name": "a", "country": "MX", "cdp_account": 2000000000000000000i64}),
        ),
        (
            "city lat 91",
            json!({"id": "", "name": "a", "country": "MX", "latitude": "91"}),
        ),
    ] {
        out.push((what, code(s.save_json(RecordKind::City, rec))));
    }
    for (w, c) in &out {
        eprintln!("{w}: {c}");
    }
}
