//! The budget cycle (issue 14): fee rules, invoices and arrears, the recommendation,
//! the proposal at budget rates, and the grant equivalent in the engine.

mod common;

use cabildo::budget::{self, BudgetQuery, DuesEstimate, DuesSource, InvoiceStatus};
use cabildo::model::*;
use cabildo::roi::{self, Classification, RoiQuery};
use cabildo::Store;
use common::*;

fn rule(network_id: &str, from: &str, basis: FeeBasis) -> FeeRule {
    FeeRule {
        meta: Meta::default(),
        network_id: network_id.into(),
        valid_from: date(from),
        valid_to: None,
        basis,
        currency: Some("EUR".into()),
        amount_minor: None,
        per_resident: None,
        min_minor: None,
        max_minor: None,
        population_from: None,
        population_to: None,
        low_minor: None,
        lower_middle_minor: None,
        upper_middle_minor: None,
        high_minor: None,
        source: "test".into(),
        notes: None,
    }
}

fn minor(e: &DuesEstimate) -> i64 {
    e.minor()
        .unwrap_or_else(|| panic!("an amount, got {e:?}"))
        .0
}

#[test]
fn each_kind_of_fee_rule_gives_its_hand_computed_dues_within_its_bounds() {
    let n = "net";
    let on = date("2026-06-01");
    // Per resident, 0.0073 EUR, minimum 220, maximum 15,000 (Climate Alliance's once).
    let mut per = rule(n, "2020-01-01", FeeBasis::PerResident);
    per.per_resident = Some(0.0073);
    per.min_minor = Some(220_00);
    per.max_minor = Some(15_000_00);
    let rules = vec![per.clone()];
    // 1,385,629 × 0.0073 = 10,115.0917 EUR → 1,011,509 cents.
    let e = budget::estimate_dues(&rules, n, Some(1_385_629), None, on);
    assert_eq!(minor(&e), 1_011_509);
    // 10,000 × 0.0073 = 73 EUR, under the minimum.
    let e = budget::estimate_dues(&rules, n, Some(10_000), None, on);
    assert_eq!(minor(&e), 220_00);
    assert!(
        e.text(cabildo::format::Lang::En).contains("minimum"),
        "{e:?}"
    );
    // 5,000,000 × 0.0073 = 36,500 EUR, over the maximum.
    let e = budget::estimate_dues(&rules, n, Some(5_000_000), None, on);
    assert_eq!(minor(&e), 15_000_00);
    // A population past any amount the file holds still meets the maximum.
    let e = budget::estimate_dues(&rules, n, Some(100_000_000_000), None, on);
    assert_eq!(minor(&e), 15_000_00);
    assert!(matches!(
        budget::estimate_dues(&rules, n, None, None, on),
        DuesEstimate::NeedsPopulation { .. }
    ));

    // The history: from 2024 the rate is 0.0077, minimum 231; the old rule ended.
    let mut old = per.clone();
    old.valid_to = Some(date("2023-12-31"));
    let mut new = per.clone();
    new.valid_from = date("2024-01-01");
    new.per_resident = Some(0.0077);
    new.min_minor = Some(231_00);
    let history = vec![old, new];
    // 1,385,629 × 0.0077 = 10,669.3433 → 1,066,934 cents; in 2023 the old rate.
    assert_eq!(
        minor(&budget::estimate_dues(
            &history,
            n,
            Some(1_385_629),
            None,
            on
        )),
        1_066_934
    );
    assert_eq!(
        minor(&budget::estimate_dues(
            &history,
            n,
            Some(1_385_629),
            None,
            date("2023-06-01")
        )),
        1_011_509
    );
    assert_eq!(
        minor(&budget::estimate_dues(&history, n, Some(10_000), None, on)),
        231_00
    );
    assert!(matches!(
        budget::estimate_dues(&history, n, Some(1), None, date("2019-06-01")),
        DuesEstimate::NoRule
    ));

    // Flat.
    let mut flat = rule(n, "2020-01-01", FeeBasis::Flat);
    flat.amount_minor = Some(5_000_00);
    assert_eq!(
        minor(&budget::estimate_dues(&[flat], n, None, None, on)),
        5_000_00
    );

    // By the country's income group, with a floor.
    let mut table = rule(n, "2023-01-01", FeeBasis::IncomeGroup);
    table.low_minor = Some(1_390_00);
    table.lower_middle_minor = Some(2_780_00);
    table.upper_middle_minor = Some(5_560_00);
    table.high_minor = Some(11_010_00);
    table.min_minor = Some(2_000_00);
    let t = vec![table];
    let by = |g| budget::estimate_dues(&t, n, Some(1), Some(g), on);
    assert_eq!(minor(&by(IncomeGroup::UpperMiddle)), 5_560_00);
    assert_eq!(minor(&by(IncomeGroup::High)), 11_010_00);
    assert_eq!(minor(&by(IncomeGroup::Low)), 2_000_00, "the floor");
    assert!(matches!(
        budget::estimate_dues(&t, n, Some(1), None, on),
        DuesEstimate::NeedsIncomeGroup { .. }
    ));

    // By population band × income group: one rule per band, the same dates.
    let band = |from: Option<i64>, to: Option<i64>, upper: i64| {
        let mut r = rule(n, "2024-01-01", FeeBasis::PopulationIncome);
        r.population_from = from;
        r.population_to = to;
        r.upper_middle_minor = Some(upper);
        r.high_minor = Some(upper * 2);
        r
    };
    let bands = vec![
        band(None, Some(99_999), 500_00),
        band(Some(100_000), Some(999_999), 2_000_00),
        band(Some(1_000_000), None, 6_000_00),
    ];
    let at = |pop, g| budget::estimate_dues(&bands, n, Some(pop), Some(g), on);
    assert_eq!(minor(&at(50_000, IncomeGroup::UpperMiddle)), 500_00);
    assert_eq!(minor(&at(100_000, IncomeGroup::UpperMiddle)), 2_000_00);
    assert_eq!(minor(&at(999_999, IncomeGroup::High)), 4_000_00);
    assert_eq!(minor(&at(1_000_000, IncomeGroup::UpperMiddle)), 6_000_00);
    assert!(matches!(
        at(1_000_000, IncomeGroup::Low),
        DuesEstimate::NoBand { .. }
    ));

    // Unpublished says so, with where it was looked up.
    let mut none = rule(n, "2020-01-01", FeeBasis::Unpublished);
    none.source = "c40.org".into();
    match budget::estimate_dues(&[none], n, Some(1), None, on) {
        DuesEstimate::Unpublished { source, .. } => assert_eq!(source, "c40.org"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fee_rules_are_checked_like_any_record() {
    let mut store = Store::open_in_memory().expect("store");
    let c40 = network_id(&store, "C40");
    let mut r = rule(&c40, "2026-01-01", FeeBasis::IncomeGroup);
    let e = store.insert(r.clone()).expect_err("an empty table");
    assert_eq!(e.code(), "invalid.fee_table_empty");
    r.high_minor = Some(100_00);
    r.min_minor = Some(500_00);
    r.max_minor = Some(100_00);
    assert_eq!(
        store.insert(r.clone()).expect_err("min over max").code(),
        "invalid.min_over_max"
    );
    r.max_minor = None;
    r.valid_to = Some(date("2025-01-01"));
    assert_eq!(
        store.insert(r.clone()).expect_err("ends before").code(),
        "invalid.end_before_start"
    );
    r.valid_to = None;
    store.insert(r).expect("a valid rule");
    // The catalog seeds rules with their sources.
    let seeded: Vec<FeeRule> = Store::open_in_memory()
        .expect("store")
        .list(None)
        .expect("rules");
    assert!(seeded.iter().all(|r| !r.source.trim().is_empty()));
    assert!(seeded
        .iter()
        .any(|r| r.basis == FeeBasis::PerResident && r.per_resident.is_some()));
}

fn invoice(membership_id: &str, amount: i64, currency: &str, due: &str) -> Invoice {
    Invoice {
        meta: Meta::default(),
        membership_id: membership_id.into(),
        year: 2026,
        amount_minor: amount,
        currency: currency.into(),
        issued_on: Some(date("2026-01-15")),
        due_on: date(due),
        waived: false,
        reference: Some("F-1".into()),
        notes: None,
    }
}

fn payment(city: &str, m: &str, invoice: &str, on: &str, minor: i64, currency: &str) -> CostEntry {
    CostEntry {
        invoice_id: Some(invoice.into()),
        reference: Some("SPEI".into()),
        ..money_cost(city, Some(m), on, CostCategory::Dues, minor, currency)
    }
}

fn standing(store: &Store, id: &str, on: &str) -> budget::InvoiceStanding {
    store
        .invoice_standings(None, date(on))
        .expect("standings")
        .into_iter()
        .find(|s| s.invoice_id == id)
        .expect("the invoice")
}

#[test]
fn an_invoice_paid_in_parts_goes_from_unpaid_to_paid_and_its_arrears_age_by_date() {
    let (mut store, city, m) = store_with_membership();
    let inv = store
        .insert(invoice(&m, 1_000_00, "USD", "2026-03-31"))
        .expect("invoice")
        .meta
        .id;
    let s = standing(&store, &inv, "2026-03-01");
    assert_eq!(
        (s.status, s.outstanding_minor, s.arrears_minor),
        (InvoiceStatus::Unpaid, 1_000_00, 0)
    );
    store
        .insert(payment(&city, &m, &inv, "2026-03-15", 400_00, "USD"))
        .expect("first part");
    // Before the due date: partly paid, not in arrears.
    let s = standing(&store, &inv, "2026-03-20");
    assert_eq!(
        (
            s.status,
            s.paid_minor,
            s.outstanding_minor,
            s.arrears_minor,
            s.arrears_days
        ),
        (InvoiceStatus::PartlyPaid, 400_00, 600_00, 0, None)
    );
    // A month after: 600 in arrears for 30 days.
    let s = standing(&store, &inv, "2026-04-30");
    assert_eq!((s.arrears_minor, s.arrears_days), (600_00, Some(30)));
    // A payment counts from its own date on.
    store
        .insert(payment(&city, &m, &inv, "2026-05-10", 600_00, "USD"))
        .expect("second part");
    assert_eq!(
        standing(&store, &inv, "2026-05-09").status,
        InvoiceStatus::PartlyPaid
    );
    let s = standing(&store, &inv, "2026-05-10");
    assert_eq!(
        (s.status, s.outstanding_minor, s.arrears_minor, s.payments),
        (InvoiceStatus::Paid, 0, 0, 2)
    );

    // A payment in pesos is converted on its date; with no rate it is left out, and said.
    let other = store
        .insert(invoice(&m, 100_00, "USD", "2026-02-28"))
        .expect("invoice")
        .meta
        .id;
    store
        .insert(payment(&city, &m, &other, "2026-02-10", 1_000_00, "MXN"))
        .expect("peso payment");
    let s = standing(&store, &other, "2026-06-01");
    assert_eq!(s.unconverted, vec!["MXN".to_string()]);
    assert_eq!(s.arrears_minor, 100_00);
    store
        .insert(rate_in("USD", "MXN", "2026-02-01", 20.0))
        .expect("rate");
    let s = standing(&store, &other, "2026-06-01");
    // 1,000 MXN ÷ 20 = 50 USD paid; 50 left, 93 days after 28 February.
    assert_eq!(
        (s.paid_minor, s.arrears_minor, s.arrears_days),
        (50_00, 50_00, Some(93))
    );

    // A waived invoice owes nothing.
    let mut waived = invoice(&m, 500_00, "USD", "2026-01-31");
    waived.waived = true;
    let w = store.insert(waived).expect("waived").meta.id;
    let s = standing(&store, &w, "2026-06-01");
    assert_eq!((s.status, s.arrears_minor), (InvoiceStatus::Waived, 0));
}

#[test]
fn a_payment_is_the_dues_cost_counted_once_and_it_pays_only_its_own_membership() {
    let (mut store, city, m) = store_with_membership();
    let inv = store
        .insert(invoice(&m, 1_000_00, "MXN", "2026-03-31"))
        .expect("invoice")
        .meta
        .id;
    store
        .insert(payment(&city, &m, &inv, "2026-03-15", 1_000_00, "MXN"))
        .expect("payment");
    let q = RoiQuery {
        from: date("2026-01-01"),
        to: date("2026-12-31"),
        currency: "MXN".into(),
        city_id: None,
    };
    let report = roi::compute(&store, &q).expect("report");
    let row = report
        .rows
        .iter()
        .find(|r| *r.membership_id == *m)
        .expect("row");
    // The invoice is what is owed, not money spent: only the payment counts.
    assert_eq!(row.cost.get(CostCategory::Dues), 1_000_00);
    assert_eq!(row.cost_total_minor, 1_000_00);

    // A payment must be a dues cost of the invoice's own membership.
    let mut travel = payment(&city, &m, &inv, "2026-03-16", 1_00, "MXN");
    travel.category = CostCategory::Travel;
    assert_eq!(
        store.insert(travel).expect_err("travel").code(),
        "invalid.invoice_not_dues"
    );
    let iclei = network_id(&store, "ICLEI");
    let other = store.insert(membership(&city, &iclei)).expect("m").meta.id;
    assert_eq!(
        store
            .insert(payment(&city, &other, &inv, "2026-03-16", 1_00, "MXN"))
            .expect_err("another membership")
            .code(),
        "invalid.invoice_other_membership"
    );
    let mut loose = payment(&city, &m, &inv, "2026-03-16", 1_00, "MXN");
    loose.membership_id = None;
    assert_eq!(
        store.insert(loose).expect_err("no membership").code(),
        "invalid.required"
    );
}

#[test]
fn the_recommendation_follows_classification_verdict_and_arrears() {
    use Classification::*;
    use Decision::*;
    let cases = [
        (Inactive, None, None, Reduce),
        (Passive, None, Some(40), Exit),
        (Passive, Some(Verdict::NotAchieved), None, Exit),
        (Unsteered, Some(Verdict::NotAchieved), None, Exit),
        (Passive, None, None, Reduce),
        (Passive, Some(Verdict::Achieved), None, Reduce),
        (Strategic, Some(Verdict::NotAchieved), None, Reduce),
        (Developing, Some(Verdict::NotAchieved), None, Reduce),
        (Unsteered, None, None, Keep),
        (Unsteered, None, Some(10), Keep),
        (Strategic, Some(Verdict::Achieved), None, Upgrade),
        (Strategic, Some(Verdict::Achieved), Some(10), Keep),
        (Strategic, None, None, Keep),
        (Strategic, Some(Verdict::Partly), None, Keep),
        (Developing, None, None, Keep),
        (Developing, Some(Verdict::Achieved), None, Keep),
    ];
    for (classification, verdict, arrears, expected) in cases {
        let (decision, es, en) =
            budget::recommend(classification, MembershipStatus::Active, verdict, arrears);
        assert_eq!(
            decision, expected,
            "{classification:?} {verdict:?} {arrears:?}"
        );
        assert!(!es.is_empty() && !en.is_empty());
        if arrears.is_some() && expected == Keep {
            assert!(en.contains("arrears"), "{en}");
        }
    }
    for status in [MembershipStatus::Suspended, MembershipStatus::Ended] {
        assert_eq!(budget::recommend(Inactive, status, None, None).0, Exit);
    }
    // What each decision keeps of a plan of 100 with dues of 30.
    assert_eq!(budget::proposed_of(Keep, 30, 100), 100);
    assert_eq!(budget::proposed_of(Upgrade, 30, 100), 100);
    assert_eq!(budget::proposed_of(Reduce, 30, 100), 30);
    assert_eq!(budget::proposed_of(Exit, 30, 100), 0);
}

fn plan(membership_id: &str, year: i32) -> BudgetPlan {
    BudgetPlan {
        meta: Meta::default(),
        membership_id: membership_id.into(),
        fiscal_year: year,
        trips: Some(2),
        travellers: Some(3),
        days: Some(4.0),
        fare_minor: Some(1_000_00),
        daily_minor: Some(200_00),
        travel_currency: Some("EUR".into()),
        staff_hours: Some(10.0),
        staff_role: Some("Analyst".into()),
        officials_hours: None,
        officials_role: None,
        decision: None,
        justification: None,
        notes: None,
    }
}

fn budget_rate(year: i32, currency: &str, rate: f64) -> BudgetRate {
    BudgetRate {
        meta: Meta::default(),
        fiscal_year: year,
        currency: currency.into(),
        quote_currency: "MXN".into(),
        rate,
        source: Some("Treasury".into()),
    }
}

#[test]
fn the_proposal_converts_plans_at_the_years_budget_rates_and_overrides_are_kept() {
    let (mut store, _city, m) = store_with_membership();
    let mut mem: Membership = store.get(&m).expect("m");
    mem.dues_minor = Some(1_000_00);
    mem.dues_currency = Some("USD".into());
    store.update(mem).expect("dues");
    // Daily rates the engine uses for actual costs; the budget's are the office's own.
    store
        .insert(rate_in("EUR", "MXN", "2026-01-01", 19.0))
        .expect("rate");
    store
        .insert(budget_rate(2027, "EUR", 21.0))
        .expect("b rate");
    store
        .insert(role_rate("Analyst", 500_00, "2020-01-01", None))
        .expect("role");
    let p = store.insert(plan(&m, 2027)).expect("plan").meta.id;
    // One plan per membership and year.
    assert_eq!(
        store.insert(plan(&m, 2027)).expect_err("twice").code(),
        "invalid.duplicate"
    );
    let query = BudgetQuery {
        fiscal_year: 2027,
        city_id: None,
        currency: "MXN".into(),
        as_of: date("2026-12-01"),
    };
    let proposal = budget::proposal(&store, &query).expect("proposal");
    let row = proposal
        .rows
        .iter()
        .find(|r| r.membership_id == m)
        .expect("row");
    // Travel: 2 trips × 3 people × (1,000 + 4 days × 200) EUR = 10,800 EUR, at the
    // budget's 21 (not the day's 19): 226,800 MXN.
    assert_eq!(row.travel_minor, Some(226_800_00));
    // Time: 10 h × 500 MXN.
    assert_eq!(row.time_minor, Some(5_000_00));
    // Dues in USD, with no budget rate for USD: said, and left out (never 0 silently).
    assert_eq!(row.dues_source, DuesSource::Recorded);
    assert_eq!(row.dues_minor, None);
    assert!(proposal
        .warnings
        .iter()
        .any(|w| w.code == "missing_budget_rate" && w.subject == "USD"));
    store.insert(budget_rate(2027, "USD", 20.0)).expect("usd");
    let proposal = budget::proposal(&store, &query).expect("proposal");
    let row = proposal
        .rows
        .iter()
        .find(|r| r.membership_id == m)
        .expect("row");
    assert_eq!(row.dues_minor, Some(20_000_00));
    assert_eq!(row.planned_minor, 20_000_00 + 226_800_00 + 5_000_00);
    // No cost, no outcome, no thesis this year: inactive, reduced to its dues.
    assert_eq!(row.classification, Classification::Inactive);
    assert_eq!(
        (row.recommendation, row.decision),
        (Decision::Reduce, Decision::Reduce)
    );
    assert_eq!(row.proposed_minor, 20_000_00);
    assert_eq!(row.saving_minor, 226_800_00 + 5_000_00);

    // An override needs its justification, and then decides.
    let mut over: BudgetPlan = store.get(&p).expect("plan");
    over.decision = Some(Decision::Exit);
    assert_eq!(
        store.update(over.clone()).expect_err("no why").code(),
        "invalid.required"
    );
    over.justification = Some("The council moved the priority to mobility.".into());
    store.update(over).expect("override");
    let proposal = budget::proposal(&store, &query).expect("proposal");
    let row = proposal
        .rows
        .iter()
        .find(|r| r.membership_id == m)
        .expect("row");
    assert_eq!((row.decision, row.overridden), (Decision::Exit, true));
    assert_eq!(row.proposed_minor, 0);
    assert_eq!(row.saving_minor, row.planned_minor);
    assert_eq!(
        row.justification.as_deref(),
        Some("The council moved the priority to mobility.")
    );
    assert_eq!(proposal.saving_minor, row.saving_minor);
    assert_eq!(proposal.by_network.len(), 1);
    assert_eq!(proposal.by_network[0].proposed_minor, 0);
}

#[test]
fn the_fiscal_year_starts_in_the_settings_month() {
    let mut store = Store::open_in_memory().expect("store");
    let settings = store.budget_settings().expect("settings");
    assert_eq!(
        (settings.fiscal_year_start_month, settings.discount_rate_pct),
        (1, 5.0)
    );
    assert_eq!(
        settings.period(2027),
        Some((date("2027-01-01"), date("2027-12-31")))
    );
    let mut april = settings.clone();
    april.fiscal_year_start_month = 4;
    store.set_budget_settings(&april).expect("april");
    let read = store.budget_settings().expect("read");
    assert_eq!(
        read.period(2027),
        Some((date("2027-04-01"), date("2028-03-31")))
    );
    assert_eq!(read.year_of(date("2027-03-31")), 2026);
    assert_eq!(read.year_of(date("2027-04-01")), 2027);
    for bad in [0, 13] {
        let mut s = read.clone();
        s.fiscal_year_start_month = bad;
        assert!(store.set_budget_settings(&s).is_err());
    }
    for bad in [0.0, -5.0, 101.0, f64::NAN] {
        let mut s = read.clone();
        s.discount_rate_pct = bad;
        assert!(store.set_budget_settings(&s).is_err(), "{bad}");
    }
    assert_eq!(store.budget_settings().expect("kept"), read);
}

#[test]
fn the_engine_counts_committed_financing_by_its_grant_element_and_says_when_terms_are_missing() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2026-02-01",
            CostCategory::Travel,
            1_000_00,
            "MXN",
        ))
        .expect("cost");
    // A loan of 1,000,000 MXN: 2 %, 10 years, 2 of grace, equal principal, yearly.
    let mut loan = financing(&city, "2026-03-01", 1_000_000_00, "MXN");
    loan.instrument = Some(Instrument::Loan);
    loan.interest_rate = Some(2.0);
    loan.tenor_years = Some(10.0);
    loan.grace_years = Some(2.0);
    loan.repayment_profile = Some(RepaymentProfile::EqualPrincipal);
    loan.payments_per_year = Some(1);
    let loan = store.insert(loan).expect("loan").meta.id;
    store.insert(attribution(&loan, &m, 5_000)).expect("half");
    // A grant counts whole; a guarantee not at all.
    let grant = store
        .insert(financing(&city, "2026-04-01", 200_000_00, "MXN"))
        .expect("grant")
        .meta
        .id;
    store.insert(attribution(&grant, &m, 10_000)).expect("all");
    let mut guarantee = financing(&city, "2026-04-02", 300_000_00, "MXN");
    guarantee.instrument = Some(Instrument::Guarantee);
    let guarantee = store.insert(guarantee).expect("guarantee").meta.id;
    store
        .insert(attribution(&guarantee, &m, 10_000))
        .expect("all");
    let q = RoiQuery {
        from: date("2026-01-01"),
        to: date("2026-12-31"),
        currency: "MXN".into(),
        city_id: None,
    };
    let ge = match cabildo::grant::grant_element(
        Instrument::Loan,
        Some(2.0),
        Some(10.0),
        Some(2.0),
        Some(RepaymentProfile::EqualPrincipal),
        Some(1),
        5.0,
    ) {
        cabildo::grant::GrantElement::Share(s) => s,
        other => panic!("{other:?}"),
    };
    let report = roi::compute(&store, &q).expect("report");
    let row = report
        .rows
        .iter()
        .find(|r| *r.membership_id == *m)
        .expect("row");
    let expected = (1_000_000_00.0 * 0.5 * ge).round() as i64 + 200_000_00;
    assert_eq!(row.grant_equivalent_minor, expected);
    assert_eq!(report.totals.grant_equivalent_minor, expected);
    assert!(report
        .warnings
        .iter()
        .all(|w| !w.code.starts_with("loan_terms")));

    // At 10 % the same loan is worth more as a gift.
    let mut settings = store.budget_settings().expect("settings");
    settings.discount_rate_pct = 10.0;
    store.set_budget_settings(&settings).expect("10 %");
    let at_ten = roi::compute(&store, &q).expect("report");
    assert!(at_ten.totals.grant_equivalent_minor > expected);

    // A loan without tenor: a warning naming it, and not counted (neither 0 % nor 100 %).
    let mut bare = financing(&city, "2026-05-01", 500_000_00, "MXN");
    bare.instrument = Some(Instrument::ConcessionalLoan);
    bare.description = "Préstamo sin plazo".into();
    let bare = store.insert(bare).expect("bare").meta.id;
    store.insert(attribution(&bare, &m, 10_000)).expect("all");
    let report = roi::compute(&store, &q).expect("report");
    let w = report
        .warnings
        .iter()
        .find(|w| w.code == "loan_terms_missing")
        .expect("warned");
    assert!(w.label.contains("Préstamo sin plazo"), "{w:?}");
    assert_eq!(
        report.totals.grant_equivalent_minor,
        at_ten.totals.grant_equivalent_minor
    );
}

#[test]
fn the_council_pack_has_the_budget_page_with_each_override_and_its_justification() {
    use cabildo::charts::{self, ChartKind, PackRequest};
    let dir = tempfile::tempdir().expect("dir");
    let anchor = date("2026-11-15");
    let mut store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    // The office keeps UCLG against the core's advice, and says why.
    let plans: Vec<BudgetPlan> = store.list(None).expect("plans");
    let uclg = network_id(&store, "UCLG");
    let memberships: Vec<Membership> = store.list(None).expect("memberships");
    let m = memberships
        .iter()
        .find(|m| m.network_id == uclg)
        .expect("UCLG membership");
    let mut plan = plans
        .into_iter()
        .find(|p| p.membership_id == m.meta.id)
        .expect("UCLG plan");
    plan.decision = Some(Decision::Upgrade);
    plan.justification = Some("La ventanilla digital entra en su fase de ejecución.".into());
    store.update(plan).expect("override");
    let query = RoiQuery::office_default(&store, None, anchor);
    let pages = charts::pack_pages(
        &store,
        &PackRequest {
            query,
            lang: cabildo::format::Lang::Es,
            charts: vec![ChartKind::Budget],
            generated_on: Some(anchor),
        },
    )
    .expect("pack");
    assert_eq!(pages.len(), 2);
    let page = &pages[1];
    assert!(page.contains("Propuesta de presupuesto de participación internacional"));
    assert!(page.contains("La ventanilla digital entra en su fase de ejecución."));
    assert!(page.contains("Ampliar *"));
    // The demo's proposal has its exit.
    assert!(page.contains("Salir"));
    if let Ok(out) = std::env::var("CABILDO_LOOK") {
        let png = charts::png(page, 1920, 1358).expect("png");
        std::fs::write(std::path::Path::new(&out).join("budget-page.png"), png).expect("write");
    }
}

#[test]
fn the_excel_export_has_the_budget_and_the_dues_standing() {
    let dir = tempfile::tempdir().expect("dir");
    let anchor = date("2026-11-15");
    let store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    let out = dir.path().join("demo.xlsx");
    cabildo::exchange::export::write_xlsx(&store, &out, cabildo::format::Lang::En, anchor)
        .expect("export");
    let sheets = cabildo::import::read_sheets(&out).expect("read");
    let text = |name: &str| -> Vec<Vec<String>> {
        sheets
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("sheet {name}"))
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.text()).collect())
            .collect()
    };
    let budget = text("Budget 2027");
    let metropolis = budget
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "Metropolis"))
        .expect("Metropolis row");
    assert!(metropolis.contains(&"Exit".to_string()), "{metropolis:?}");
    assert!(budget
        .iter()
        .any(|r| r.first().is_some_and(|c| c == "Total")));
    let dues = text("Dues standing");
    assert_eq!(dues[0][7], "Status");
    // Four invoices paid by the latest payments, Mercociudades' this year in arrears.
    assert_eq!(dues.iter().filter(|r| r[7] == "Paid").count(), 4);
    let late = dues.iter().find(|r| r[7] == "Unpaid").expect("in arrears");
    assert!(late[0].starts_with("Mercociudades"), "{late:?}");
    assert!(late[9].parse::<f64>().is_ok_and(|d| d > 0.0), "{late:?}");
}

#[test]
fn a_plan_past_the_largest_amount_is_said_and_left_out_never_wrapped() {
    let (mut store, _city, m) = store_with_membership();
    let mut huge = plan(&m, 2027);
    huge.trips = Some(10_000);
    huge.travellers = Some(10_000);
    huge.fare_minor = Some(cabildo::kinds::MAX_MINOR);
    huge.travel_currency = Some("MXN".into());
    huge.staff_hours = None;
    huge.staff_role = None;
    store
        .insert(huge)
        .expect("a plan within each field's bounds");
    let proposal = budget::proposal(
        &store,
        &BudgetQuery {
            fiscal_year: 2027,
            city_id: None,
            currency: "MXN".into(),
            as_of: date("2026-12-01"),
        },
    )
    .expect("proposal");
    let row = proposal
        .rows
        .iter()
        .find(|r| r.membership_id == m)
        .expect("row");
    assert_eq!(row.travel_minor, None);
    assert!(proposal
        .warnings
        .iter()
        .any(|w| w.code == "plan_out_of_range"));
    assert!(proposal.planned_minor >= 0);
}

#[test]
fn each_financing_outcome_says_its_grant_element_in_words() {
    let city = "c";
    let mut grant = financing(city, "2026-01-01", 100_00, "MXN");
    let view = cabildo::grant::of_outcome(&grant, 5.0).expect("financing");
    assert_eq!(view.share, Some(1.0));
    assert!(view.text_es.contains("100 %"), "{}", view.text_es);
    grant.instrument = Some(Instrument::Guarantee);
    let view = cabildo::grant::of_outcome(&grant, 5.0).expect("financing");
    assert_eq!(view.share, None);
    assert!(
        view.text_en.contains("has no grant element"),
        "{}",
        view.text_en
    );
    grant.instrument = Some(Instrument::Loan);
    grant.interest_rate = Some(2.0);
    let view = cabildo::grant::of_outcome(&grant, 5.0).expect("financing");
    assert_eq!(view.share, None);
    assert!(view.text_es.contains("Plazo (años)"), "{}", view.text_es);
    grant.tenor_years = Some(10.0);
    let view = cabildo::grant::of_outcome(&grant, 5.0).expect("financing");
    assert!(view.share.is_some_and(|s| s > 0.0 && s < 1.0));
    assert!(cabildo::grant::of_outcome(&acceleration(city, "p", "2026-01-01", 2.0), 5.0).is_none());
}

#[test]
fn the_catalog_keeps_climate_alliances_fee_history_with_its_sources() {
    let store = Store::open_in_memory().expect("store");
    let rules: Vec<FeeRule> = store.list(None).expect("rules");
    let ca = network_id(&store, "Climate Alliance");
    let at = |on: &str| budget::estimate_dues(&rules, &ca, Some(1_250_000), None, date(on));
    // 1,250,000 × 0.0073, × 0.0077 and × 0.0085 EUR, each within 220/231/250 – 15,000.
    assert_eq!(minor(&at("2024-06-01")), 912_500);
    assert_eq!(minor(&at("2026-01-01")), 962_500);
    assert_eq!(minor(&at("2026-12-02")), 1_062_500);
    assert_eq!(
        minor(&budget::estimate_dues(
            &rules,
            &ca,
            Some(5_000_000),
            None,
            date("2026-12-02")
        )),
        15_000_00
    );
    // A network that publishes no amount says so, with where it was looked up.
    let iclei = network_id(&store, "ICLEI");
    assert!(matches!(
        budget::estimate_dues(&rules, &iclei, Some(1), None, date("2026-12-02")),
        DuesEstimate::Unpublished { .. }
    ));
    // Metropolis' table: the amounts found published, the others left empty.
    let metropolis = network_id(&store, "Metropolis");
    let on = date("2024-06-01");
    assert_eq!(
        minor(&budget::estimate_dues(
            &rules,
            &metropolis,
            None,
            Some(IncomeGroup::High),
            on
        )),
        11_010_00
    );
    assert!(matches!(
        budget::estimate_dues(
            &rules,
            &metropolis,
            None,
            Some(IncomeGroup::UpperMiddle),
            on
        ),
        DuesEstimate::NoBand { .. }
    ));
}

/// The app computes the proposal from the report's kept memberships: an edit of the
/// recorded dues shows in the next proposal, as the tables say.
#[test]
fn the_kept_proposal_follows_an_edit_of_the_recorded_dues() {
    let (mut store, _city, m) = store_with_membership();
    store.keep_report_indexes(true);
    let query = BudgetQuery {
        fiscal_year: 2027,
        city_id: None,
        currency: "USD".into(),
        as_of: date("2026-12-01"),
    };
    let dues_of = |store: &Store| {
        budget::proposal(store, &query)
            .expect("proposal")
            .rows
            .into_iter()
            .find(|r| r.membership_id == m)
            .map(|r| (r.dues_minor, r.dues_source))
    };
    let before = dues_of(&store);
    assert_ne!(before, Some((Some(1_234_00), DuesSource::Recorded)));
    let mut mem: Membership = store.get(&m).expect("m");
    mem.dues_minor = Some(1_234_00);
    mem.dues_currency = Some("USD".into());
    store.update(mem).expect("dues");
    assert_eq!(
        dues_of(&store),
        Some((Some(1_234_00), DuesSource::Recorded))
    );
    let kept = dues_of(&store);
    store.keep_report_indexes(false);
    assert_eq!(dues_of(&store), kept);
}
