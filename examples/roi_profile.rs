//! Times each phase of the ROI engine on FILE: `cargo run --release --example roi_profile -- FILE`.
use std::time::Instant;

use cabildo::roi::{self, RoiQuery};
fn main() {
    let file = std::env::args().nth(1).expect("file");
    let t = Instant::now();
    let store = cabildo::Store::open(std::path::Path::new(&file)).expect("open");
    println!("open {:.2} s", t.elapsed().as_secs_f64());
    let today = chrono::Utc::now().date_naive();
    let q = RoiQuery::last_twelve_months(today, &store.office().reporting_currency);
    let lap = |name: &str, t: Instant| println!("{name:<16} {:.2} s", t.elapsed().as_secs_f64());
    // `--index`: only the app's path (index built, then reports from it), for a profiler.
    if std::env::args().any(|a| a == "--index") {
        store.keep_report_indexes(true);
        let t = Instant::now();
        store.prepare_report_indexes().unwrap();
        lap("index build", t);
        for _ in 0..3 {
            let t = Instant::now();
            let _ = roi::compute(&store, &q).unwrap();
            lap("compute (index)", t);
        }
        return;
    }
    let t = Instant::now();
    let rates = store.rate_table().unwrap();
    let roles = store.role_rates().unwrap();
    lap("rates", t);
    let t = Instant::now();
    let m = store.roi_memberships(None).unwrap();
    lap("memberships", t);
    let t = Instant::now();
    let (c, _) = store
        .roi_costs(q.from, q.to, &q.currency, None, &rates, &roles)
        .unwrap();
    lap("costs", t);
    let t = Instant::now();
    let o = store.roi_outcomes(q.to, None).unwrap();
    lap("outcomes", t);
    let t = Instant::now();
    let e = store.roi_meetings(q.from, q.to, None).unwrap();
    lap("meetings", t);
    let t = Instant::now();
    let th = store.roi_theses(q.to, None).unwrap();
    lap("theses", t);
    let t = Instant::now();
    let inv = store.invoice_standings(None, q.to).unwrap();
    lap("invoices", t);
    println!("{} memberships, {} cost groups, {} attributions, {} meeting groups, {} theses, {} invoices", m.len(), c.len(), o.len(), e.len(), th.len(), inv.len());
    let t = Instant::now();
    let r = roi::compute(&store, &q).unwrap();
    lap("compute", t);
    let t = Instant::now();
    let q2 = RoiQuery {
        from: q.from.checked_sub_months(chrono::Months::new(12)).unwrap(),
        ..q.clone()
    };
    let _ = roi::compute(&store, &q2).unwrap();
    lap("compute 24m", t);
    println!("{} rows", r.rows.len());
    store.keep_report_indexes(true);
    let t = Instant::now();
    println!("{:?} entries", store.prepare_report_indexes().unwrap());
    lap("index build", t);
    let t = Instant::now();
    let (c2, _) = store
        .roi_costs(q.from, q.to, &q.currency, None, &rates, &roles)
        .unwrap();
    lap("costs (index)", t);
    assert_eq!(format!("{c:?}"), format!("{c2:?}"));
    let t = Instant::now();
    let r2 = roi::compute(&store, &q).unwrap();
    lap("compute (index)", t);
    assert_eq!(r, r2);
    let t = Instant::now();
    let _ = roi::compute(&store, &q2).unwrap();
    lap("compute 24m (idx)", t);
}
