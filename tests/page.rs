//! The lists answered by the store (issue 13): every page of a query, put together, is
//! exactly the records a plain filter of the whole kind keeps, in the order asked;
//! counts follow writes; a hostile query is refused or answered, never run as SQL.

mod common;

use cabildo::format::Lang;
use cabildo::kinds::RecordKind;
use cabildo::model::*;
use cabildo::store::page::{ListFilter, ListPage, ListQuery, ListRange, ListSort};
use cabildo::Store;
use common::*;

struct Fixture {
    store: Store,
    bogota: String,
    villa: String,
    c40: String,
    iclei_membership: String,
}

/// Two cities, three memberships, 90 costs of every category, some described with
/// accents, some without a membership.
fn fixture() -> Fixture {
    let mut store = Store::open_in_memory().expect("store");
    let bogota = store.insert(city("Bogotá")).expect("city").meta.id;
    let villa = store.insert(city("Villa")).expect("city").meta.id;
    let c40 = network_id(&store, "C40");
    let iclei = network_id(&store, "ICLEI");
    let m_bog_c40 = store.insert(membership(&bogota, &c40)).unwrap().meta.id;
    let m_bog_iclei = store.insert(membership(&bogota, &iclei)).unwrap().meta.id;
    let m_villa_c40 = store.insert(membership(&villa, &c40)).unwrap().meta.id;
    let memberships = [
        Some((&bogota, &m_bog_c40)),
        Some((&bogota, &m_bog_iclei)),
        Some((&villa, &m_villa_c40)),
        None,
    ];
    let categories = [
        CostCategory::Dues,
        CostCategory::Travel,
        CostCategory::StaffTime,
        CostCategory::Other,
    ];
    let words = [
        "Viaje a Río",
        "Cuota anual",
        "Taller de movilidad",
        "",
        "Reunión técnica",
    ];
    for i in 0..90 {
        let (city_id, membership_id) = match memberships[i % 4] {
            Some((c, m)) => (c.clone(), Some(m.clone())),
            None => (villa.clone(), None),
        };
        let on = format!("2025-{:02}-{:02}", 1 + i % 12, 1 + (i * 7) % 28);
        let category = categories[i % 4];
        let mut cost = if category == CostCategory::StaffTime {
            match &membership_id {
                Some(m) => hours_cost(&city_id, m, &on, 1.0 + i as f64, "Analista"),
                None => money_cost(&city_id, None, &on, CostCategory::Other, 100, "MXN"),
            }
        } else {
            money_cost(
                &city_id,
                membership_id.as_deref(),
                &on,
                category,
                ((i * 7919) % 1000) as i64 * 100,
                "MXN",
            )
        };
        let word = words[i % words.len()];
        cost.description = (!word.is_empty()).then(|| word.to_string());
        store.insert(cost).expect("cost");
    }
    Fixture {
        store,
        bogota,
        villa,
        c40,
        iclei_membership: m_bog_iclei,
    }
}

/// Every page of a query, put together.
fn all_pages(store: &Store, query: &ListQuery) -> (Vec<CostEntry>, u64) {
    let mut rows = Vec::new();
    let mut q = query.clone();
    q.limit = 7;
    let first: ListPage = store.list_page(&q).expect("page");
    let total = first.total;
    loop {
        let page = store.list_page(&q).expect("page");
        assert_eq!(page.total, total, "the count does not change between pages");
        if page.rows.is_empty() || page.offset < q.offset {
            break;
        }
        for row in page.rows {
            rows.push(serde_json::from_value::<CostEntry>(row).expect("cost"));
        }
        q.offset += 7;
        if q.offset >= total {
            break;
        }
    }
    (rows, total)
}

fn ids(rows: &[CostEntry]) -> Vec<String> {
    let mut v: Vec<String> = rows.iter().map(|r| r.meta.id.clone()).collect();
    v.sort();
    v
}

/// The same selection made plainly over the whole kind.
fn plain(store: &Store, city: Option<&str>, keep: impl Fn(&CostEntry) -> bool) -> Vec<CostEntry> {
    store
        .list::<CostEntry>(city)
        .expect("list")
        .into_iter()
        .filter(|c| keep(c))
        .collect()
}

#[test]
fn the_pages_of_a_city_and_category_are_the_records_a_plain_filter_keeps_newest_first() {
    let f = fixture();
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.city_id = Some(f.bogota.clone());
    q.filters = vec![ListFilter {
        field: "category".into(),
        value: "travel".into(),
    }];
    q.sort = Some(ListSort {
        field: "spent_on".into(),
        desc: true,
    });
    let (rows, total) = all_pages(&f.store, &q);
    let expected = plain(&f.store, Some(&f.bogota), |c| {
        c.category == CostCategory::Travel
    });
    assert!(!expected.is_empty());
    assert_eq!(total as usize, expected.len());
    assert_eq!(ids(&rows), ids(&expected));
    assert!(rows.windows(2).all(|w| w[0].spent_on >= w[1].spent_on));
}

#[test]
fn the_network_filter_follows_the_membership_and_the_date_range_is_inclusive() {
    let f = fixture();
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.filters = vec![ListFilter {
        field: "network_id".into(),
        value: f.c40.clone(),
    }];
    q.range = Some(ListRange {
        field: "spent_on".into(),
        from: Some(date("2025-03-01")),
        to: Some(date("2025-06-30")),
    });
    let (rows, total) = all_pages(&f.store, &q);
    let c40_memberships = memberships_of(&f.store, &f.c40);
    let expected = plain(&f.store, None, |c| {
        c.membership_id
            .as_ref()
            .is_some_and(|m| c40_memberships.contains(m))
            && c.spent_on >= date("2025-03-01")
            && c.spent_on <= date("2025-06-30")
    });
    assert!(!expected.is_empty());
    assert_eq!(total as usize, expected.len());
    assert_eq!(ids(&rows), ids(&expected));
}

/// The ids of a network's live memberships.
fn memberships_of(store: &Store, network_id: &str) -> Vec<String> {
    store
        .list::<Membership>(None)
        .unwrap()
        .into_iter()
        .filter(|m| m.network_id == network_id)
        .map(|m| m.meta.id)
        .collect()
}

/// Every page of a query in the order shown (`all_pages` keeps the order).
fn ordered_ids(rows: &[CostEntry]) -> Vec<String> {
    rows.iter().map(|r| r.meta.id.clone()).collect()
}

#[test]
fn a_filtered_list_keeps_the_order_of_the_whole_list_however_sqlite_finds_its_pages() {
    // A filter SQLite would serve by sorting every match is read by walking the sort's
    // index instead when that reaches the page sooner: the pages must not change.
    let f = fixture();
    let c40_memberships = memberships_of(&f.store, &f.c40);
    for (field, desc) in [
        ("spent_on", true),
        ("spent_on", false),
        ("amount_minor", true),
    ] {
        let mut whole = ListQuery::new(RecordKind::CostEntry);
        whole.sort = Some(ListSort {
            field: field.into(),
            desc,
        });
        let (everything, _) = all_pages(&f.store, &whole);
        for filters in [
            vec![ListFilter {
                field: "network_id".into(),
                value: f.c40.clone(),
            }],
            vec![ListFilter {
                field: "membership_id".into(),
                value: f.iclei_membership.clone(),
            }],
            vec![
                ListFilter {
                    field: "network_id".into(),
                    value: f.c40.clone(),
                },
                ListFilter {
                    field: "category".into(),
                    value: "dues".into(),
                },
            ],
        ] {
            let mut q = whole.clone();
            q.filters = filters.clone();
            let (rows, total) = all_pages(&f.store, &q);
            let expected: Vec<CostEntry> = everything
                .iter()
                .filter(|c| {
                    filters.iter().all(|filter| match filter.field.as_str() {
                        "network_id" => c
                            .membership_id
                            .as_ref()
                            .is_some_and(|m| c40_memberships.contains(m)),
                        "membership_id" => c.membership_id.as_deref() == Some(&filter.value),
                        _ => c.category.as_str() == filter.value,
                    })
                })
                .cloned()
                .collect();
            assert!(!expected.is_empty());
            assert_eq!(total as usize, expected.len(), "{field} {desc} {filters:?}");
            assert_eq!(
                ordered_ids(&rows),
                ordered_ids(&expected),
                "{field} {desc} {filters:?}"
            );
        }
    }
}

#[test]
fn amounts_sort_by_value_with_the_records_without_one_last_either_way() {
    let f = fixture();
    for desc in [false, true] {
        let mut q = ListQuery::new(RecordKind::CostEntry);
        q.sort = Some(ListSort {
            field: "amount_minor".into(),
            desc,
        });
        let (rows, total) = all_pages(&f.store, &q);
        assert_eq!(total, 90);
        assert_eq!(rows.len(), 90);
        let with: Vec<i64> = rows.iter().filter_map(|r| r.amount_minor).collect();
        let first_none = rows.iter().position(|r| r.amount_minor.is_none()).unwrap();
        assert!(rows[first_none..].iter().all(|r| r.amount_minor.is_none()));
        if desc {
            assert!(with.windows(2).all(|w| w[0] >= w[1]));
        } else {
            assert!(with.windows(2).all(|w| w[0] <= w[1]));
        }
    }
}

#[test]
fn a_reference_sorts_by_the_referenced_records_label_and_a_category_by_its_words() {
    let f = fixture();
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.sort = Some(ListSort {
        field: "membership_id".into(),
        desc: false,
    });
    q.limit = 1000;
    let page = f.store.list_page(&q).unwrap();
    let labels: Vec<String> = page
        .rows
        .iter()
        .filter_map(|r| r["membership_id"].as_str())
        .map(|id| page.labels[id].clone())
        .collect();
    let mut sorted = labels.clone();
    sorted.sort_by_key(|l| cabildo::import::fold(l));
    assert_eq!(labels, sorted);
    assert!(labels
        .iter()
        .any(|l| l.contains("C40") && l.contains("Bogotá")));
    // The costs without a membership come last.
    assert!(page.rows.last().unwrap()["membership_id"].is_null());

    // Spanish: Cuota (dues) < Otro < Tiempo… < Viajes; English: Dues < Other < Staff < Travel.
    let order = |lang: Lang| {
        let mut q = ListQuery::new(RecordKind::CostEntry);
        q.lang = lang;
        q.limit = 1000;
        q.sort = Some(ListSort {
            field: "category".into(),
            desc: false,
        });
        let page = f.store.list_page(&q).unwrap();
        let mut seen: Vec<String> = Vec::new();
        for r in &page.rows {
            let c = r["category"].as_str().unwrap().to_string();
            if seen.last() != Some(&c) {
                assert!(!seen.contains(&c), "{c} comes in one run");
                seen.push(c);
            }
        }
        seen
    };
    let words = |lang: Lang, codes: &[String]| -> Vec<String> {
        codes
            .iter()
            .map(|c| {
                let w = CostCategory::WORDS.iter().find(|w| w.code == c).unwrap();
                cabildo::import::fold(lang.pick(w.es, w.en))
            })
            .collect()
    };
    for lang in [Lang::Es, Lang::En] {
        let codes = order(lang);
        let w = words(lang, &codes);
        let mut s = w.clone();
        s.sort();
        assert_eq!(w, s, "{lang:?}: categories in the order of their words");
    }
}

#[test]
fn search_ignores_accents_and_case_and_finds_category_words_and_referenced_names() {
    let f = fixture();
    let count = |search: &str| {
        let mut q = ListQuery::new(RecordKind::CostEntry);
        q.search = search.into();
        f.store.list_page(&q).unwrap().total as usize
    };
    let described = |w: &str| {
        plain(&f.store, None, |c| {
            c.description.as_deref().is_some_and(|d| d.contains(w))
        })
        .len()
    };
    assert_eq!(count("RIO"), described("Río"));
    assert_eq!(count("reunion tecnica"), described("Reunión técnica"));
    assert!(count("reunion tecnica") > 0);
    // "Tiempo de personal" / "Staff time" are the words of staff_time.
    let staff = plain(&f.store, None, |c| c.category == CostCategory::StaffTime).len();
    assert!(count("tiempo personal") >= staff && staff > 0);
    // The city of a cost, through its city_id, and the network of its membership.
    let in_bogota = plain(&f.store, Some(&f.bogota), |_| true).len();
    assert_eq!(count("bogota"), in_bogota);
    let iclei = plain(&f.store, None, |c| {
        c.membership_id.as_deref() == Some(f.iclei_membership.as_str())
    })
    .len();
    assert_eq!(count("iclei"), iclei);
    assert_eq!(count("zzzz nothing"), 0);
    assert_eq!(count("   "), 90);
}

#[test]
fn the_count_follows_a_write_a_deletion_and_a_restore() {
    let mut f = fixture();
    let q = ListQuery::new(RecordKind::CostEntry);
    assert_eq!(f.store.list_page(&q).unwrap().total, 90);
    let id = f
        .store
        .insert(money_cost(
            &f.villa,
            None,
            "2026-01-01",
            CostCategory::Other,
            5,
            "MXN",
        ))
        .unwrap()
        .meta
        .id;
    assert_eq!(f.store.list_page(&q).unwrap().total, 91);
    f.store.delete(RecordKind::CostEntry, &id).unwrap();
    assert_eq!(f.store.list_page(&q).unwrap().total, 90);
    f.store.restore(RecordKind::CostEntry, &id).unwrap();
    assert_eq!(f.store.list_page(&q).unwrap().total, 91);
}

#[test]
fn a_page_past_the_end_is_the_last_page_and_the_size_is_bounded() {
    let f = fixture();
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.limit = 20;
    q.offset = u64::MAX;
    let page = f.store.list_page(&q).unwrap();
    assert_eq!(page.offset, 80);
    assert_eq!(page.rows.len(), 10);
    q.limit = u32::MAX;
    q.offset = 0;
    assert_eq!(f.store.list_page(&q).unwrap().rows.len(), 90);
    q.limit = 0;
    assert_eq!(f.store.list_page(&q).unwrap().rows.len(), 1);
}

#[test]
fn a_hostile_query_is_refused_by_name_or_matches_nothing_and_changes_nothing() {
    let f = fixture();
    let refused = |q: ListQuery| match f.store.list_page(&q) {
        Err(cabildo::Error::Invalid { rule, .. }) => rule,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.sort = Some(ListSort {
        field: "spent_on; DROP TABLE cost_entry".into(),
        desc: false,
    });
    assert_eq!(refused(q), "unknown_field");
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.filters = vec![ListFilter {
        field: "1=1 OR city_id".into(),
        value: "x".into(),
    }];
    assert_eq!(refused(q), "unknown_field");
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.filters = vec![ListFilter {
        field: "category".into(),
        value: "travel' OR '1'='1".into(),
    }];
    assert_eq!(refused(q), "unknown_value");
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.range = Some(ListRange {
        field: "description".into(),
        from: None,
        to: None,
    });
    assert_eq!(refused(q), "unknown_field");

    // Marks fold to nothing: no word, every record.
    for (search, expected) in [
        ("%".to_string(), 90),
        ("_".to_string(), 90),
        ("\0".to_string(), 90),
        ("' OR 1=1 --".to_string(), 0),
        ("x".repeat(1_000_000), 0),
        ("a b c d e f g h i j k l m n o p".to_string(), 0),
    ] {
        let mut q = ListQuery::new(RecordKind::CostEntry);
        q.search = search.clone();
        let page = f.store.list_page(&q).expect("a search never fails");
        assert_eq!(
            page.total,
            expected,
            "{:?}",
            &search[..search.len().min(20)]
        );
    }
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.filters = vec![ListFilter {
        field: "city_id".into(),
        value: "' OR 1=1 --".into(),
    }];
    assert_eq!(f.store.list_page(&q).unwrap().total, 0);
    assert_eq!(
        f.store
            .list_page(&ListQuery::new(RecordKind::CostEntry))
            .unwrap()
            .total,
        90
    );
}

#[test]
fn every_kind_lists_and_sorts_by_each_of_its_fields() {
    let f = fixture();
    for kind in RecordKind::ALL {
        for field in kind.desc().fields {
            for desc in [false, true] {
                let mut q = ListQuery::new(*kind);
                q.sort = Some(ListSort {
                    field: field.name.into(),
                    desc,
                });
                q.search = "a".into();
                f.store
                    .list_page(&q)
                    .unwrap_or_else(|e| panic!("{kind:?} by {}: {e}", field.name));
            }
        }
    }
}

#[test]
fn the_distinct_values_of_a_field_are_a_filters_choices() {
    let f = fixture();
    let roles = f
        .store
        .distinct_values(RecordKind::CostEntry, "role", None, 100)
        .unwrap();
    assert_eq!(roles, vec!["Analista".to_string()]);
    assert!(f
        .store
        .distinct_values(RecordKind::CostEntry, "amount_minor", None, 100)
        .is_err());
}

#[test]
fn a_walk_whose_matches_lie_at_the_far_end_stops_and_the_matches_are_sorted_instead() {
    // One network's costs (its one membership's), a twentieth of 300,000, all older than
    // every other: the walk of the newest-first index would read the whole of it before
    // the first match.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("walk.cabildo");
    drop(cabildo::generate::generate(&path, 1, 5, "MXN", |_| {}).expect("generate"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "INSERT INTO cost_entry (id, created_at, updated_at, updated_by, deleted, city_id,
             membership_id, spent_on, category, amount_minor, currency, hours, role)
         SELECT lower(hex(randomblob(16))), created_at, updated_at, updated_by, 0, city_id,
             membership_id, spent_on, category, amount_minor, currency, hours, role
         FROM cost_entry,
             (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
              SELECT i FROM n)
         WHERE deleted = 0;",
    )
    .unwrap();
    let member: String = conn
        .query_row(
            "SELECT membership_id FROM cost_entry WHERE membership_id IS NOT NULL
             GROUP BY membership_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE cost_entry SET spent_on = '2001-01-01' WHERE membership_id = ?1",
        [&member],
    )
    .unwrap();
    let network: String = conn
        .query_row(
            "SELECT network_id FROM membership WHERE id = ?1",
            [&member],
            |r| r.get(0),
        )
        .unwrap();
    let expected: Vec<String> = conn
        .prepare(
            "SELECT id FROM cost_entry WHERE deleted = 0 AND membership_id = ?1
             ORDER BY spent_on DESC, rowid DESC LIMIT 50",
        )
        .unwrap()
        .query_map([&member], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let whole: i64 = conn
        .query_row(
            "SELECT count(*) FROM cost_entry WHERE deleted = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(whole > 250_000, "{whole} costs");
    drop(conn);

    let store = Store::open(&path).unwrap();
    let mut q = ListQuery::new(RecordKind::CostEntry);
    q.sort = Some(ListSort {
        field: "spent_on".into(),
        desc: true,
    });
    q.filters = vec![ListFilter {
        field: "network_id".into(),
        value: network,
    }];
    q.limit = 50;
    assert_eq!(store.walks_stopped(), 0);
    let page = store
        .list_page(&q)
        .expect("the page, by the sort after the walk stopped");
    assert_eq!(store.walks_stopped(), 1, "the walk ran to its end");
    let ids: Vec<String> = page
        .rows
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, expected);
}
