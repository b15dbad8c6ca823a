//! The budget cycle read as an attacker would (a review session's findings, each now
//! fixed): a payment of another membership, two plans for one year, loans far above
//! the discount rate, a second sheet of a long kind's name.

mod common;

use std::path::{Path, PathBuf};

use cabildo::budget::{self, BudgetQuery, InvoiceStatus};
use cabildo::exchange::export;
use cabildo::exchange::merge;
use cabildo::format::Lang;
use cabildo::model::*;
use cabildo::roi::{self, RoiQuery};
use cabildo::store::NewOffice;
use cabildo::Store;
use common::*;

const LOCAL: &str = "00000000-0000-4000-8000-000000000001";
const SENDER: &str = "00000000-0000-4000-8000-000000000002";

fn office(id: &str, name: &str) -> NewOffice {
    NewOffice {
        id: Some(id.into()),
        name: name.into(),
        ..NewOffice::default()
    }
}

/// Plain SQL on a closed file, as an attacker would; leaves it in rollback-journal
/// mode with nothing in a WAL.
fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .expect("tamper");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .expect("checkpoint");
}

/// The local office's file on disk with one city and one C40 membership.
fn local_file(dir: &Path) -> (Store, String, String) {
    let path = dir.join("local.cabildo");
    let mut store = Store::create(&path, &office(LOCAL, "Local")).expect("create");
    let c = store.insert(city("Zapopan")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let m = store.insert(membership(&c, &c40)).expect("m").meta.id;
    (store, c, m)
}

/// The copy a peer received earlier (a snapshot of the local file), to forge.
fn peer_copy(local: &Store, dir: &Path) -> PathBuf {
    let copy = dir.join("sent.cabildo");
    local.export_snapshot(&copy).expect("snapshot");
    copy
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

fn bare_plan(membership_id: &str, year: i32) -> BudgetPlan {
    BudgetPlan {
        meta: Meta::default(),
        membership_id: membership_id.into(),
        fiscal_year: year,
        trips: None,
        travellers: None,
        days: None,
        fare_minor: None,
        daily_minor: None,
        travel_currency: None,
        staff_hours: None,
        staff_role: None,
        officials_hours: None,
        officials_role: None,
        decision: None,
        justification: None,
        notes: None,
    }
}

// ---- 1. payments of another membership settle an invoice --------------------------------

#[test]
fn an_invoice_moved_to_another_membership_is_not_paid_by_the_first_ones_payments() {
    let (mut store, city, m) = store_with_membership();
    let iclei = network_id(&store, "ICLEI");
    let m2 = store.insert(membership(&city, &iclei)).expect("m2").meta.id;
    let inv = store
        .insert(invoice(&m, 1_000_00, "MXN", "2026-03-31"))
        .expect("invoice")
        .meta
        .id;
    store
        .insert(payment(&city, &m, &inv, "2026-03-15", 1_000_00, "MXN"))
        .expect("payment of m");
    let mut moved: Invoice = store.get(&inv).expect("get");
    moved.membership_id = m2.clone();
    store
        .update(moved)
        .expect("the move is a correction the user may make");
    let s = standing(&store, &inv, "2026-06-01");
    assert_eq!(s.membership_id, m2);
    // m's dues cost pays m's invoices only.
    assert_eq!(
        (s.status, s.arrears_minor),
        (InvoiceStatus::Unpaid, 1_000_00)
    );
}

#[test]
fn a_received_cost_of_another_membership_does_not_pay_this_offices_invoice() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut local, c1, m) = local_file(dir.path());
    let inv = local
        .insert(invoice(&m, 1_000_00, "MXN", "2026-03-31"))
        .expect("invoice")
        .meta
        .id;
    assert_eq!(standing(&local, &inv, "2026-06-01").arrears_minor, 1_000_00);
    let copy = peer_copy(&local, dir.path());
    let (c2, m2, pay) = {
        let mut peer = Store::open_existing(&copy).expect("peer");
        let c2 = peer.insert(city("Forjada")).expect("city").meta.id;
        let c40 = network_id(&peer, "C40");
        let m2 = peer.insert(membership(&c2, &c40)).expect("m2").meta.id;
        // Written as a payment of m (the only way the API takes it), then moved.
        let pay = peer
            .insert(payment(&c1, &m, &inv, "2026-03-15", 1_000_00, "MXN"))
            .expect("payment")
            .meta
            .id;
        (c2, m2, pay)
    };
    tamper(
        &copy,
        &format!(
            "UPDATE cost_entry SET membership_id = '{m2}', city_id = '{c2}', updated_by = '{SENDER}' WHERE id = '{pay}';
             UPDATE city SET updated_by = '{SENDER}' WHERE id = '{c2}';
             UPDATE membership SET updated_by = '{SENDER}' WHERE id = '{m2}';
             UPDATE settings SET value = '{SENDER}' WHERE key = 'office_id';"
        ),
    );
    // Rules across records are not checked on received rows: the cost comes in, but
    // it counts for nothing against the invoice.
    let plan = merge::plan_merge(&local, &copy).expect("the file is accepted");
    merge::apply_merge(&mut local, &plan, |_, _| true).expect("merge");
    let paid: CostEntry = local.get(&pay).expect("payment");
    assert_eq!(paid.membership_id.as_deref(), Some(m2.as_str()));
    let s = standing(&local, &inv, "2026-06-01");
    assert_eq!(
        (s.status, s.arrears_minor),
        (InvoiceStatus::Unpaid, 1_000_00)
    );
}

// ---- 2. two plans for one membership and year -------------------------------------------

#[test]
fn two_plans_for_one_year_after_a_merge_the_newest_counts_and_it_is_said() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut local, _city, m) = local_file(dir.path());
    let p1 = local.insert(bare_plan(&m, 2027)).expect("p1").meta.id;
    let copy = peer_copy(&local, dir.path());
    let p2 = {
        let mut peer = Store::open_existing(&copy).expect("peer");
        let mut forged = bare_plan(&m, 2028);
        forged.decision = Some(Decision::Exit);
        forged.justification = Some("Forged by the peer".into());
        peer.insert(forged).expect("p2").meta.id
    };
    tamper(
        &copy,
        &format!(
            "UPDATE budget_plan SET fiscal_year = 2027, updated_by = '{SENDER}' WHERE id = '{p2}';
             UPDATE settings SET value = '{SENDER}' WHERE key = 'office_id';"
        ),
    );
    let plan = merge::plan_merge(&local, &copy).expect("plan");
    merge::apply_merge(&mut local, &plan, |_, _| true).expect("merge");
    let proposal = budget::proposal(
        &local,
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
    // The newest write counts (the peer's, stamped later), whatever the merge order.
    assert_eq!(row.plan_id.as_deref(), Some(p2.as_str()));
    assert_eq!((row.decision, row.overridden), (Decision::Exit, true));
    assert!(proposal.warnings.iter().any(|w| w.code == "duplicate_plan"));
    let _ = p1;
}

fn dear_loan(city: &str) -> Outcome {
    let mut loan = financing(city, "2026-03-01", cabildo::kinds::MAX_MINOR, "MXN");
    loan.instrument = Some(Instrument::Loan);
    loan.interest_rate = Some(100.0);
    loan.tenor_years = Some(100.0);
    loan.repayment_profile = Some(RepaymentProfile::Bullet);
    loan.payments_per_year = Some(2);
    loan
}

#[test]
fn loans_far_above_the_discount_rate_never_make_the_report_overflow() {
    let (mut store, city, m) = store_with_membership();
    let q = RoiQuery {
        from: date("2026-01-01"),
        to: date("2026-12-31"),
        currency: "MXN".into(),
        city_id: None,
    };
    let share = match cabildo::grant::grant_element(
        Instrument::Loan,
        Some(100.0),
        Some(100.0),
        None,
        Some(RepaymentProfile::Bullet),
        Some(2),
        5.0,
    ) {
        cabildo::grant::GrantElement::Share(s) => s,
        other => panic!("{other:?}"),
    };
    assert!(share < -15.0, "{share}");
    // One loan: its "worth as a gift" is about −19 times what it lends (clamped to the
    // largest amount the file holds).
    let first = store.insert(dear_loan(&city)).expect("loan").meta.id;
    store.insert(attribution(&first, &m, 10_000)).expect("all");
    let report = roi::compute(&store, &q).expect("report");
    let row = report
        .rows
        .iter()
        .find(|r| *r.membership_id == *m)
        .expect("row");
    assert!(row.grant_equivalent_minor < 0, "said as a cost, not a gift");
    // 600 of them: the grant equivalent (≈ −1.1 × 10^19) is clamped, the report stands.
    for _ in 1..600 {
        let id = store.insert(dear_loan(&city)).expect("loan").meta.id;
        store.insert(attribution(&id, &m, 10_000)).expect("all");
    }
    let report = roi::compute(&store, &q).expect("report");
    assert_eq!(
        report.totals.grant_equivalent_minor,
        -cabildo::kinds::MAX_MINOR
    );
    budget::proposal(
        &store,
        &BudgetQuery {
            fiscal_year: 2027,
            city_id: None,
            currency: "MXN".into(),
            as_of: date("2027-06-01"),
        },
    )
    .expect("the proposal stands too");
}

// ---- 5. the Spanish Excel export fails once budget rates need a second sheet ------------

#[test]
fn a_second_sheet_of_a_long_kinds_name_fits_excels_31_characters() {
    let mut store = Store::open_in_memory().expect("store");
    for c in ["EUR", "USD", "BRL"] {
        store
            .insert(BudgetRate {
                meta: Meta::default(),
                fiscal_year: 2027,
                currency: c.into(),
                quote_currency: "MXN".into(),
                rate: 20.0,
                source: None,
            })
            .expect("rate");
    }
    let dir = tempfile::tempdir().expect("dir");
    let today = date("2026-06-30");
    // Sheets of 3 rows (header + 2): the third rate goes to "… (2)".
    export::write_xlsx_split(&store, &dir.path().join("en.xlsx"), Lang::En, today, 3)
        .expect("English: 'Budget exchange rates (2)' fits");
    // "Tipos de cambio presupuestarios (2)" would be 35 characters: it is shortened.
    export::write_xlsx_split(&store, &dir.path().join("es.xlsx"), Lang::Es, today, 3)
        .expect("Spanish: the name gives way to the number");
}
