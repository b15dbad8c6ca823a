//! Import of CDP's "Cities disclosing" 2018 file, checked against counts made here
//! independently from the CSV, and the peers overview built on it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cabildo::exchange::cdp::{self, CdpImportReport};
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::exchange::peers::{self, PeersFilter};
use cabildo::model::*;
use cabildo::store::NewOffice;
use cabildo::Store;

fn cdp_2018() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/cdp-cities-disclosing-2018.csv")
}

/// What the file says, counted with the csv crate alone.
struct Expected {
    rows: usize,
    accounts: BTreeSet<String>,
    /// Reporting authority → accounts that reported for it.
    by_authority: BTreeMap<String, BTreeSet<String>>,
    /// Country name → accounts.
    by_country: BTreeMap<String, BTreeSet<String>>,
    decimal_populations: usize,
    missing_populations: usize,
    implausible_years: usize,
}

fn expected() -> Expected {
    let mut reader = csv::Reader::from_path(cdp_2018()).expect("CDP file in ../shared/data");
    let headers = reader.headers().expect("headers").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (account, authority, country, population, year) = (
        col("Account Number"),
        col("Reporting Authority"),
        col("Country"),
        col("Population"),
        col("Population Year"),
    );
    let mut e = Expected {
        rows: 0,
        accounts: BTreeSet::new(),
        by_authority: BTreeMap::new(),
        by_country: BTreeMap::new(),
        decimal_populations: 0,
        missing_populations: 0,
        implausible_years: 0,
    };
    for record in reader.records() {
        let r = record.expect("record");
        e.rows += 1;
        let acc = r[account].to_string();
        e.accounts.insert(acc.clone());
        for a in r[authority].split(',') {
            e.by_authority
                .entry(a.trim().to_string())
                .or_default()
                .insert(acc.clone());
        }
        e.by_country
            .entry(r[country].to_string())
            .or_default()
            .insert(acc.clone());
        let pop = r[population].trim();
        if pop.is_empty() {
            e.missing_populations += 1;
        } else {
            if pop.contains('.') {
                e.decimal_populations += 1;
            }
            let y: i32 = r[year].trim().parse().unwrap_or(0);
            if !(1900..=2019).contains(&y) {
                e.implausible_years += 1;
            }
        }
    }
    e
}

fn import(store: &mut Store) -> CdpImportReport {
    cdp::import_file(store, &cdp_2018(), |_, _| true).expect("import")
}

fn count(report: &CdpImportReport, code: &str) -> usize {
    report.warnings.iter().filter(|w| w.code == code).count()
}

fn network_named<'a>(peers: &'a peers::Peers, acronym: &str) -> (usize, &'a peers::PeerNetwork) {
    peers
        .networks
        .iter()
        .enumerate()
        .find(|(_, n)| n.acronym == acronym)
        .unwrap_or_else(|| panic!("network {acronym} in the peers overview"))
}

#[test]
fn every_row_becomes_a_city_with_a_membership_per_reporting_authority() {
    let e = expected();
    let mut store = Store::open_in_memory().expect("store");
    let report = import(&mut store);
    assert_eq!(report.rows as usize, e.rows);
    assert_eq!(
        report.rows_skipped,
        0,
        "{:?}",
        report
            .warnings
            .iter()
            .filter(|w| w.code.starts_with("unknown") || w.code.starts_with("missing_"))
            .collect::<Vec<_>>()
    );
    assert_eq!(report.cities_added as usize, e.accounts.len());
    let memberships: usize = e.by_authority.values().map(|a| a.len()).sum();
    assert_eq!(report.memberships_added as usize, memberships);
    // C40 is in the seeded catalog; CDP Cities is not.
    assert_eq!(report.networks_added, vec!["CDP Cities".to_string()]);

    let overview = peers::peers(&store, &PeersFilter::default()).expect("peers");
    assert_eq!(overview.cities as usize, e.accounts.len());
    let (cdp_at, cdp_net) = network_named(&overview, "CDP Cities");
    let (c40_at, c40_net) = network_named(&overview, "C40");
    assert_eq!(cdp_net.cities as usize, e.by_authority["CDP Cities"].len());
    assert_eq!(c40_net.cities as usize, e.by_authority["C40"].len());
    let both = e.by_authority["CDP Cities"]
        .intersection(&e.by_authority["C40"])
        .count();
    assert_eq!(overview.overlap[c40_at][cdp_at] as usize, both);
    assert_eq!(overview.overlap[cdp_at][c40_at] as usize, both);
    assert_eq!(overview.overlap[c40_at][c40_at], c40_net.cities);
    assert_eq!(overview.networks.len(), e.by_authority.len());
}

#[test]
fn dirty_values_are_reported_with_their_line_and_kept_as_given() {
    let e = expected();
    let mut store = Store::open_in_memory().expect("store");
    let report = import(&mut store);
    assert_eq!(
        count(&report, "population_decimal_point"),
        e.decimal_populations
    );
    assert_eq!(count(&report, "population_missing"), e.missing_populations);
    assert_eq!(
        count(&report, "population_year_implausible"),
        e.implausible_years
    );
    assert!(e.decimal_populations > 0 && e.implausible_years > 0);
    assert!(report.warnings.iter().all(|w| w.row >= 2));

    // Niterói, line 16 of the file: "499.028" kept as given in the population metric.
    let dirty = report
        .warnings
        .iter()
        .find(|w| w.code == "population_decimal_point" && w.value == "499.028")
        .expect("the 499.028 population");
    assert_eq!(dirty.row, 16);
    let metrics: Vec<Metric> = store.list(None).expect("metrics");
    let kept = metrics
        .iter()
        .find(|m| m.value_text.as_deref() == Some("499.028"))
        .expect("kept as given");
    assert_eq!(kept.value, Some(499.028));
    let city: City = store.get(&kept.city_id).expect("city");
    assert_eq!(
        city.population, None,
        "not silently turned into 499 or 499028"
    );
    for lang in [cabildo::format::Lang::Es, cabildo::format::Lang::En] {
        assert!(dirty.message(lang).contains("499.028"));
    }
}

#[test]
fn misplaced_coordinates_are_warned_about_and_kept_as_given() {
    let mut store = Store::open_in_memory().expect("store");
    let report = import(&mut store);
    let warned = |line: u64| {
        report
            .warnings
            .iter()
            .find(|w| w.row == line && w.code.starts_with("coordinates"))
            .map(|w| w.code.as_str())
    };
    // Lines checked by hand against the 2018 file.
    assert_eq!(warned(2), None, "Helsingør is where it should be");
    assert_eq!(
        warned(47),
        Some("coordinates_swapped"),
        "San José, Costa Rica"
    );
    assert_eq!(
        warned(23),
        Some("coordinates_sign_flipped"),
        "Saanich, longitude +123"
    );
    assert_eq!(
        warned(332),
        Some("coordinates_far_from_country"),
        "Tunja given Madrid's point"
    );
    let cities: Vec<City> = store.list(None).expect("cities");
    let san_jose = cities
        .iter()
        .find(|c| c.name == "San José" && c.country == "CR")
        .expect("San José");
    assert_eq!(
        (san_jose.longitude, san_jose.latitude),
        (Some(9.9326), Some(-84.0796)),
        "kept as given, not silently swapped"
    );
    let elsinore = cities
        .iter()
        .find(|c| c.cdp_account == Some(58671))
        .expect("Helsingør");
    assert_eq!(elsinore.country, "DK");
    assert_eq!(elsinore.latitude, Some(56.0308));
    assert_eq!(elsinore.longitude, Some(12.5921));
    assert_eq!(elsinore.region.as_deref(), Some("Europe"));
}

#[test]
fn swapped_or_impossible_coordinates_are_warned_about() {
    let mut rows = cdp::parse(&std::fs::read(cdp_2018()).expect("read")).expect("parse");
    rows.truncate(3);
    // Helsingør with latitude and longitude exchanged; Providencia beyond the pole.
    rows[0].location = "POINT (56.0308 12.5921)".into();
    rows[1].location = "POINT (-33.4313 -170.6092)".into();
    let mut store = Store::open_in_memory().expect("store");
    let report = cdp::import_rows(&mut store, &rows, |_, _| true).expect("import");
    let codes: Vec<(u64, &str)> = report
        .warnings
        .iter()
        .filter(|w| w.code.starts_with("coordinates"))
        .map(|w| (w.row, w.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![(2, "coordinates_swapped"), (3, "coordinates_out_of_range")]
    );
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let mut store = Store::open_in_memory().expect("store");
    let first = import(&mut store);
    let again = import(&mut store);
    assert_eq!(again.changes(), 0, "{again:?}");
    assert_eq!(again.cities_unchanged, first.cities_added);
    assert_eq!(again.warnings, first.warnings);
}

#[test]
fn next_years_file_updates_the_same_cities() {
    let mut rows = cdp::parse(&std::fs::read(cdp_2018()).expect("read")).expect("parse");
    let mut store = Store::open_in_memory().expect("store");
    let first = cdp::import_rows(&mut store, &rows, |_, _| true).expect("2018");
    for row in &mut rows {
        row.year = "2019".into();
    }
    rows[0].population = "63000".into();
    rows[0].population_year = "2018".into();
    rows[1]
        .authorities
        .extend(["WWF".to_string(), "Union of the Baltic Cities".to_string()]);
    let next = cdp::import_rows(&mut store, &rows, |_, _| true).expect("2019");
    assert_eq!(next.cities_added, 0);
    assert_eq!(
        next.cities_updated, 1,
        "only the city whose population changed"
    );
    assert_eq!(next.memberships_added, 2);
    assert_eq!(
        next.networks_added,
        vec!["WWF".to_string(), "UBC".to_string()]
    );
    let cities: Vec<City> = store.list(None).expect("cities");
    assert_eq!(cities.len() as u32, first.cities_added);
    let elsinore = cities
        .iter()
        .find(|c| c.cdp_account == Some(58671))
        .expect("city");
    assert_eq!(elsinore.population, Some(63_000));
    assert_eq!(elsinore.population_year, Some(2018));
}

#[test]
fn a_city_entered_by_hand_is_matched_by_name_and_country() {
    let mut store = Store::open_in_memory().expect("store");
    let mine = store
        .insert(City {
            meta: Meta::default(),
            name: "Fresno".into(),
            country: "US".into(),
            population: None,
            population_year: None,
            latitude: None,
            longitude: None,
            region: None,
            cdp_account: None,
            income_group: None,
        })
        .expect("city");
    let report = import(&mut store);
    assert_eq!(report.cities_updated, 1);
    let fresno: City = store.get(&mine.meta.id).expect("same record");
    assert_eq!(fresno.cdp_account, Some(50553));
    assert_eq!(fresno.population, Some(527_438));
}

#[test]
fn peers_can_be_filtered_by_country_and_region() {
    let e = expected();
    let mut store = Store::open_in_memory().expect("store");
    import(&mut store);
    let brazil = peers::peers(
        &store,
        &PeersFilter {
            country: Some("BR".into()),
            region: None,
        },
    )
    .expect("peers");
    assert_eq!(brazil.cities as usize, e.by_country["Brazil"].len());
    let latin = peers::peers(
        &store,
        &PeersFilter {
            country: None,
            region: Some("Latin America".into()),
        },
    )
    .expect("peers");
    assert!(latin.cities > brazil.cities);
    assert!(latin.countries.contains(&"MX".to_string()));
    assert!(latin.regions.contains(&"Europe".to_string()));
}

#[test]
fn two_offices_importing_the_same_file_merge_without_conflicts_or_duplicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut offices = Vec::new();
    for n in 1..=2u8 {
        let mut store = Store::create(
            &dir.path().join(format!("office{n}.cabildo")),
            &NewOffice {
                id: Some(format!("00000000-0000-4000-8000-0000000000{n:02x}")),
                name: format!("Office {n}"),
                ..NewOffice::default()
            },
        )
        .expect("create");
        import(&mut store);
        offices.push(store);
    }
    let sent = dir.path().join("office2.sent.cabildo");
    offices[1].export_snapshot(&sent).expect("export");
    let cities_before = offices[0].list::<City>(None).expect("cities").len();
    let summary = merge::merge_file(&mut offices[0], &sent, &MergeOptions::default(), |_, _| {
        true
    })
    .expect("merge");
    assert_eq!(summary.totals.conflicts, 0);
    assert_eq!(summary.totals.new, 0);
    assert_eq!(
        offices[0].list::<City>(None).expect("cities").len(),
        cities_before
    );
}

#[test]
fn the_import_creates_the_file_from_the_command_line_and_prints_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("peers.cabildo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args([
            "import-cdp",
            file.to_str().expect("path"),
            cdp_2018().to_str().expect("path"),
            "--json",
        ])
        .output()
        .expect("run cabildo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: CdpImportReport = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(report.cities_added as usize, expected().accounts.len());
    assert!(file.exists());
}
