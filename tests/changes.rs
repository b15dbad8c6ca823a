//! Change events: told once per committed write or transaction, with every kind and id
//! written, and never for what was rolled back.

mod common;

use std::sync::{Arc, Mutex};

use cabildo::model::*;
use cabildo::store::Change;
use cabildo::{Error, RecordKind, Store};
use common::*;

fn listen(store: &mut Store) -> Arc<Mutex<Vec<Vec<Change>>>> {
    let events: Arc<Mutex<Vec<Vec<Change>>>> = Arc::default();
    let sink = events.clone();
    store.set_listener(move |changes| sink.lock().unwrap().push(changes.to_vec()));
    events
}

#[test]
fn a_transaction_is_told_once_after_it_commits_with_every_kind_and_id() {
    let (mut store, city, m) = store_with_membership();
    let events = listen(&mut store);
    let ids = store
        .transaction(|s| {
            let a = s.insert(money_cost(
                &city,
                Some(&m),
                "2025-03-01",
                CostCategory::Travel,
                1_00,
                "MXN",
            ))?;
            let b = s.insert(money_cost(
                &city,
                Some(&m),
                "2025-03-02",
                CostCategory::Travel,
                2_00,
                "MXN",
            ))?;
            let t = s.insert(thesis(&m, "2025-01-01", "2025-12-31"))?;
            assert!(
                events.lock().unwrap().is_empty(),
                "nothing told before the commit"
            );
            Ok(vec![a.meta.id, b.meta.id, t.meta.id])
        })
        .unwrap();
    let told = events.lock().unwrap().clone();
    assert_eq!(told.len(), 1, "one event for the transaction");
    let costs = told[0]
        .iter()
        .find(|c| c.kind == RecordKind::CostEntry)
        .unwrap();
    assert_eq!(costs.ids, ids[..2].to_vec());
    let theses = told[0]
        .iter()
        .find(|c| c.kind == RecordKind::Thesis)
        .unwrap();
    assert_eq!(theses.ids, vec![ids[2].clone()]);
}

#[test]
fn a_rolled_back_transaction_tells_nothing() {
    let (mut store, city, m) = store_with_membership();
    let events = listen(&mut store);
    let result: cabildo::Result<()> = store.transaction(|s| {
        s.insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            1_00,
            "MXN",
        ))?;
        Err(Error::Cancelled)
    });
    assert!(result.is_err());
    assert!(events.lock().unwrap().is_empty());
    assert!(store.list::<CostEntry>(None).unwrap().is_empty());
}

#[test]
fn a_single_write_and_a_cascaded_deletion_are_one_event_each() {
    let (mut store, city, m) = store_with_membership();
    store
        .insert(money_cost(
            &city,
            Some(&m),
            "2025-03-01",
            CostCategory::Travel,
            1_00,
            "MXN",
        ))
        .unwrap();
    let events = listen(&mut store);
    store
        .insert(money_cost(
            &city,
            None,
            "2025-03-02",
            CostCategory::Other,
            1_00,
            "MXN",
        ))
        .unwrap();
    store.delete(RecordKind::Membership, &m).unwrap();
    let told = events.lock().unwrap().clone();
    assert_eq!(told.len(), 2);
    let kinds: Vec<RecordKind> = told[1].iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&RecordKind::Membership));
    assert!(kinds.contains(&RecordKind::CostEntry));
}

#[test]
fn a_cdp_import_is_one_event() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cities.csv");
    std::fs::write(
        &csv,
        "Year Reported to CDP,Account Number,Organization,City,Country,CDP Region,Reporting Authority,Access,First Time Discloser,Population,Population Year,City Location,Last update\n\
         2018,31090,Municipio de León,León,Mexico,Latin America,CDP Cities,public,No,1578626,2015,POINT (-101.68 21.12),2020-06-25T04:52:49.050\n\
         2018,31091,Municipio de Puebla,Puebla,Mexico,Latin America,CDP Cities,public,No,1576259,2015,POINT (-98.2 19.04),2020-06-25T04:52:49.050\n",
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let events = listen(&mut store);
    cabildo::exchange::cdp::import_file(&mut store, &csv, |_, _| true).unwrap();
    assert_eq!(events.lock().unwrap().len(), 1);
}
