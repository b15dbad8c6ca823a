//! The description of each record kind (src/kinds.rs) is the one the schema, the
//! records and every derived view agree with. A field added in one place only (the
//! description, the struct or the migration) fails here; the forms, the list columns,
//! the Excel and CSV columns and the merge's domains are built from the description,
//! so they see a field as soon as these three agree.

use std::collections::BTreeSet;

use cabildo::exchange::columns::{column_label, domain};
use cabildo::format::Lang;
use cabildo::kinds::{FieldType, RecordKind, META_FIELDS};
use cabildo::store::incoming::ColumnDomain;
use cabildo::Store;

fn described(kind: RecordKind) -> BTreeSet<String> {
    kind.desc()
        .fields
        .iter()
        .map(|f| f.name.to_string())
        .collect()
}

fn meta() -> BTreeSet<String> {
    META_FIELDS.iter().map(|f| f.name.to_string()).collect()
}

#[test]
fn every_column_of_every_table_is_described_and_nothing_else() {
    let store = Store::open_in_memory().expect("store");
    for kind in RecordKind::ALL {
        let columns: BTreeSet<String> = store.column_names(*kind).into_iter().collect();
        let own: BTreeSet<String> = columns.difference(&meta()).cloned().collect();
        assert_eq!(
            own,
            described(*kind),
            "{kind:?}: the table and the description"
        );
        assert!(
            meta().is_subset(&columns),
            "{kind:?} has every shared column"
        );
    }
}

#[test]
fn every_field_of_every_record_is_described_and_nothing_else() {
    let dir = tempfile::tempdir().expect("dir");
    let anchor = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).expect("date");
    let store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    for kind in RecordKind::ALL {
        let records = store.list_json(*kind, None).expect("list");
        let first = records
            .as_array()
            .and_then(|a| a.first())
            .and_then(|r| r.as_object())
            .unwrap_or_else(|| panic!("the demo has a {kind:?}"));
        let keys: BTreeSet<String> = first.keys().cloned().collect();
        let own: BTreeSet<String> = keys.difference(&meta()).cloned().collect();
        assert_eq!(
            own,
            described(*kind),
            "{kind:?}: the record and the description"
        );
    }
}

#[test]
fn every_field_has_words_and_a_consistent_type() {
    for kind in RecordKind::ALL {
        let desc = kind.desc();
        assert_eq!(desc.kind, *kind);
        for field in desc.fields {
            let name = format!("{kind:?}.{}", field.name);
            assert!(
                !field.es.trim().is_empty() && !field.en.trim().is_empty(),
                "{name}"
            );
            assert_ne!(
                column_label(*kind, field.name, Lang::Es),
                field.name,
                "{name}"
            );
            match field.ty {
                // Typed whole numbers are bounded before they reach a 32- or 64-bit column.
                FieldType::Integer | FieldType::Year => {
                    assert!(field.bounds.is_some(), "{name} has bounds")
                }
                FieldType::Money { currency } => assert_eq!(
                    desc.field(currency).map(|f| f.ty),
                    Some(FieldType::Currency),
                    "{name}: its currency field"
                ),
                FieldType::Enum { values, .. } => {
                    let codes: Vec<String> = values.iter().map(|v| v.code.to_string()).collect();
                    assert_eq!(
                        domain(*kind, field.name),
                        ColumnDomain::OneOf(codes),
                        "{name}"
                    );
                }
                FieldType::Date => assert_eq!(domain(*kind, field.name), ColumnDomain::Date),
                FieldType::Currency => {
                    assert_eq!(domain(*kind, field.name), ColumnDomain::Currency)
                }
                _ => {}
            }
            if let Some(when) = &field.when {
                let other = desc.field(when.field).expect("the field a condition names");
                let FieldType::Enum { values, .. } = other.ty else {
                    panic!("{name}: a condition over an enumeration");
                };
                for code in when.any_of {
                    assert!(values.iter().any(|v| v.code == *code), "{name}: {code}");
                }
            }
            if let Some(b) = field.bounds {
                assert!(b.min <= b.max, "{name}");
            }
        }
    }
}

#[test]
fn the_description_says_what_each_outcome_kind_requires() {
    use serde_json::json;
    let mut store = Store::open_in_memory().expect("store");
    let city = store
        .save_json(RecordKind::City, json!({"id": "", "name": "Villa", "country": "MX", "population": null, "population_year": null, "latitude": null, "longitude": null}))
        .expect("city");
    let policy = json!({
        "id": "", "city_id": city["id"], "kind": "policy_transfer", "occurred_on": "2026-01-10",
        "description": "Reglamento de movilidad", "evidence": null, "project_id": null, "months_saved": null,
        "amount_minor": null, "currency": null, "instrument": null, "source_type": null, "source_name": null,
        "interest_rate": null, "tenor_years": null, "grace_years": null, "financing_status": null,
        "committed_minor": null, "disbursed_minor": null, "policy_instrument": "regulation",
        "source_peer": null, "adopted_on": null
    });
    let err = store
        .save_json(RecordKind::Outcome, policy.clone())
        .expect_err("a policy transfer names its source");
    assert_eq!(err.code(), "invalid.required");
    assert_eq!(err.field_and_detail().0, Some("source_peer"));
    let mut ok = policy;
    ok["source_peer"] = json!("Bogotá");
    store.save_json(RecordKind::Outcome, ok).expect("complete");
}

#[test]
fn a_record_is_named_by_its_kinds_label_rule() {
    use cabildo::model::{Membership, Network};
    let mut store = Store::open_in_memory().expect("store");
    let city = store
        .save_json(
            RecordKind::City,
            serde_json::json!({"id": "", "name": "Villa", "country": "MX", "population": null, "population_year": null, "latitude": null, "longitude": null}),
        )
        .expect("city");
    let city_id = city["id"].as_str().expect("id");
    let networks: Vec<Network> = store.list(None).expect("catalog");
    let c40 = networks.iter().find(|n| n.acronym == "C40").expect("C40");
    let m = store
        .insert(Membership::new(city_id, &c40.meta.id))
        .expect("membership");
    assert_eq!(
        store
            .label_of(RecordKind::Membership, &m.meta.id)
            .expect("label"),
        "C40 · Villa"
    );
    assert_eq!(
        store
            .label_of(RecordKind::Network, &c40.meta.id)
            .expect("label"),
        format!("C40 — {}", c40.name)
    );
}
