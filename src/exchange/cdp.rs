//! Import of CDP's public "Cities disclosing" CSV: each row becomes a city (matched
//! to an existing one by CDP account number, else by name and country), a membership
//! in each network the city reported for (`Reporting Authority`, mapped to the
//! catalog; networks the catalog lacks are added), and its population as a metric.
//!
//! Dirty values are reported as warnings with their line number and kept as given
//! where the record can hold them; nothing is silently fixed or dropped. Ids are
//! derived from CDP's account numbers and the networks' names, so two offices
//! importing the same file create the same records, and a re-import changes nothing.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::countries;
use crate::catalog::CATALOG_OFFICE;
use crate::error::{Error, Result};
use crate::format::Lang;
use crate::model::*;
use crate::store::Store;

/// Largest CSV accepted (CDP's yearly files are well under a megabyte).
pub const MAX_CSV_BYTES: u64 = 64 * 1024 * 1024;

const ACCOUNT: &str = "Account Number";
const ORGANIZATION: &str = "Organization";
const CITY: &str = "City";
const COUNTRY: &str = "Country";
const REGION: &str = "CDP Region";
const AUTHORITY: &str = "Reporting Authority";
const POPULATION: &str = "Population";
const POPULATION_YEAR: &str = "Population Year";
const LOCATION: &str = "City Location";
const YEAR: &str = "Year Reported to CDP";
const REQUIRED: [&str; 10] = [
    YEAR,
    ACCOUNT,
    ORGANIZATION,
    CITY,
    COUNTRY,
    REGION,
    AUTHORITY,
    POPULATION,
    POPULATION_YEAR,
    LOCATION,
];

/// Stamp of the networks this import adds: fixed, like the seeded catalog's, so every
/// office that imports CDP data holds identical network records.
const ADDED_NETWORK_STAMP: i64 = 1_514_764_800_000; // 2018-01-01T00:00:00Z
/// Timestamp part of the derived ids (their ordering carries no meaning).
const DERIVED_ID_MILLIS: u64 = 1_514_764_800_000;

/// Something in the file that was kept as given, or could not be used.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ImportWarning {
    /// Line of the file (the header is line 1).
    #[ts(type = "number")]
    pub row: u64,
    /// Stable code the UI translates, e.g. `population_decimal_point`.
    pub code: String,
    pub column: String,
    /// The value as found in the file.
    pub value: String,
}

impl ImportWarning {
    fn new(row: u64, code: &str, column: &str, value: &str) -> ImportWarning {
        ImportWarning {
            row,
            code: code.into(),
            column: column.into(),
            value: value.into(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let v = &self.value;
        match (self.code.as_str(), lang) {
            ("population_decimal_point", Lang::Es) => format!("población «{v}» con punto decimal (¿separador de miles?); se guarda tal cual en el indicador de población"),
            ("population_decimal_point", Lang::En) => format!("population “{v}” has a decimal point (a thousands separator?); kept as given in the population metric"),
            ("population_unreadable", Lang::Es) => format!("población «{v}» ilegible; se guarda como texto en el indicador"),
            ("population_unreadable", Lang::En) => format!("population “{v}” is not a number; kept as text in the metric"),
            ("population_missing", Lang::Es) => "sin población".into(),
            ("population_missing", Lang::En) => "no population".into(),
            ("population_year_implausible", Lang::Es) => format!("año de población inverosímil «{v}»; el indicador usa el año del reporte"),
            ("population_year_implausible", Lang::En) => format!("implausible population year “{v}”; the metric uses the reporting year"),
            ("coordinates_missing", Lang::Es) => "sin coordenadas".into(),
            ("coordinates_missing", Lang::En) => "no coordinates".into(),
            ("coordinates_unreadable", Lang::Es) => format!("coordenadas ilegibles «{v}»; no se guardan"),
            ("coordinates_unreadable", Lang::En) => format!("unreadable coordinates “{v}”; not stored"),
            ("coordinates_out_of_range", Lang::Es) => format!("coordenadas fuera de rango «{v}» (¿latitud y longitud invertidas?); no se guardan"),
            ("coordinates_out_of_range", Lang::En) => format!("coordinates out of range “{v}” (latitude and longitude swapped?); not stored"),
            ("coordinates_swapped", Lang::Es) => format!("las coordenadas «{v}» parecen invertidas; se guardan tal cual"),
            ("coordinates_swapped", Lang::En) => format!("coordinates “{v}” look swapped; kept as given"),
            ("coordinates_sign_flipped", Lang::Es) => format!("las coordenadas «{v}» parecen tener un signo cambiado; se guardan tal cual"),
            ("coordinates_sign_flipped", Lang::En) => format!("coordinates “{v}” look like they have a sign flipped; kept as given"),
            ("coordinates_far_from_country", Lang::Es) => format!("las coordenadas «{v}» quedan lejos del país; se guardan tal cual"),
            ("coordinates_far_from_country", Lang::En) => format!("coordinates “{v}” are far from the country; kept as given"),
            ("unknown_country", Lang::Es) => format!("país desconocido «{v}»; la fila no se importa"),
            ("unknown_country", Lang::En) => format!("unknown country “{v}”; row not imported"),
            ("missing_account", Lang::Es) => format!("número de cuenta CDP inválido «{v}»; la fila no se importa"),
            ("missing_account", Lang::En) => format!("invalid CDP account number “{v}”; row not imported"),
            ("missing_year", Lang::Es) => format!("año de reporte inválido «{v}»; la fila no se importa"),
            ("missing_year", Lang::En) => format!("invalid reporting year “{v}”; row not imported"),
            ("missing_name", Lang::Es) => "sin nombre de ciudad ni de organización; la fila no se importa".into(),
            ("missing_name", Lang::En) => "no city or organisation name; row not imported".into(),
            ("city_deleted", Lang::Es) => format!("la ciudad «{v}» está en la papelera; no se modifica"),
            ("city_deleted", Lang::En) => format!("city “{v}” is in the trash; left as it is"),
            ("network_deleted", Lang::Es) => format!("la red «{v}» está en la papelera; no se agrega la membresía"),
            ("network_deleted", Lang::En) => format!("network “{v}” is in the trash; membership not added"),
            ("duplicate_account", Lang::Es) => format!("la cuenta CDP {v} aparece más de una vez; se usa la última fila"),
            ("duplicate_account", Lang::En) => format!("CDP account {v} appears more than once; the last row wins"),
            (code, _) => format!("{code}: {v}"),
        }
    }
}

/// What an import did.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Default)]
pub struct CdpImportReport {
    /// Data rows read.
    pub rows: u32,
    pub cities_added: u32,
    pub cities_updated: u32,
    pub cities_unchanged: u32,
    /// Rows not imported (each has a warning saying why).
    pub rows_skipped: u32,
    pub memberships_added: u32,
    /// Acronyms of the networks added to the catalog.
    pub networks_added: Vec<String>,
    pub metrics_added: u32,
    pub metrics_updated: u32,
    pub warnings: Vec<ImportWarning>,
}

impl CdpImportReport {
    /// Records the import wrote.
    pub fn changes(&self) -> u32 {
        self.cities_added
            + self.cities_updated
            + self.memberships_added
            + self.networks_added.len() as u32
            + self.metrics_added
            + self.metrics_updated
    }
}

/// One data row of the CSV, as given.
#[derive(Debug, Clone, PartialEq)]
pub struct CdpRow {
    /// Line in the file.
    pub line: u64,
    pub year: String,
    pub account: String,
    pub organization: String,
    pub city: String,
    pub country: String,
    pub region: String,
    /// The networks named in `Reporting Authority`.
    pub authorities: Vec<String>,
    pub population: String,
    pub population_year: String,
    pub location: String,
}

/// Reads and checks the whole file before anything is written: encoding, columns,
/// quoting. Any of these problems refuses the file with the line it was found on.
pub fn parse(bytes: &[u8]) -> Result<Vec<CdpRow>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Error::CsvEncoding {
        line: bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(&e, 1))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|r| !headers.iter().any(|h| h == *r))
        .map(|r| r.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::CsvColumns { missing });
    }
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let at: HashMap<&str, usize> = REQUIRED.iter().map(|r| (*r, column(r))).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| malformed(&e, 0))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().any(|f| f.contains('\n') || f.contains('\r')) {
            return Err(Error::CsvMalformed {
                line,
                detail: "a quoted field runs over several lines: a quote is probably not closed"
                    .into(),
            });
        }
        let get = |name: &str| {
            record
                .get(at.get(name).copied().unwrap_or(0))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        rows.push(CdpRow {
            line,
            year: get(YEAR),
            account: get(ACCOUNT),
            organization: get(ORGANIZATION),
            city: get(CITY),
            country: get(COUNTRY),
            region: get(REGION),
            authorities: get(AUTHORITY)
                .split(',')
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            population: get(POPULATION),
            population_year: get(POPULATION_YEAR),
            location: get(LOCATION),
        });
    }
    Ok(rows)
}

fn malformed(e: &csv::Error, fallback_line: u64) -> Error {
    let line = e.position().map(|p| p.line()).unwrap_or(fallback_line);
    let detail = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "expected {expected_len} fields, found {len} (a quote may be missing or not closed)"
        ),
        _ => e.to_string(),
    };
    Error::CsvMalformed { line, detail }
}

/// An id derived from a key, shaped like the UUIDv7 ids of the rest of the data.
fn derived_id(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    uuid::Builder::from_unix_timestamp_millis(DERIVED_ID_MILLIS, &random)
        .into_uuid()
        .to_string()
}

/// A network name reduced for matching: lower case, one kind of dash, single spaces.
fn normalize(name: &str) -> String {
    name.to_lowercase()
        .replace(['–', '—'], "-")
        .replace('&', "and")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Names CDP uses for networks the catalog knows under an acronym.
fn catalog_acronym(authority: &str) -> Option<&'static str> {
    match normalize(authority).as_str() {
        "c40" | "c40 cities" | "c40 cities climate leadership group" => Some("C40"),
        "iclei" | "iclei - local governments for sustainability" => Some("ICLEI"),
        "global covenant of mayors"
        | "global covenant of mayors for climate and energy"
        | "gcom" => Some("GCoM"),
        _ => None,
    }
}

struct NewNetwork {
    acronym: String,
    name: String,
    scope: Scope,
    founded: Option<i32>,
    headquarters: Option<&'static str>,
    focus: Option<&'static str>,
    website: Option<&'static str>,
}

/// The networks CDP reports for that the seeded catalog lacks; any other name is
/// added as it is written.
fn network_to_add(authority: &str) -> NewNetwork {
    let known =
        |acronym: &str, name: &str, scope, founded, headquarters, focus, website| NewNetwork {
            acronym: acronym.into(),
            name: name.into(),
            scope,
            founded,
            headquarters,
            focus,
            website,
        };
    match normalize(authority).as_str() {
        "cdp cities" | "cdp" => known(
            "CDP Cities",
            "CDP Cities (environmental disclosure)",
            Scope::Global,
            Some(2011),
            Some("London"),
            Some("climate disclosure"),
            Some("https://www.cdp.net/en/cities"),
        ),
        "wwf" | "wwf one planet city challenge" => known(
            "WWF",
            "WWF One Planet City Challenge",
            Scope::Global,
            Some(2011),
            Some("Gland"),
            Some("climate"),
            Some("https://wwf.panda.org"),
        ),
        "union of the baltic cities" | "ubc" => known(
            "UBC",
            "Union of the Baltic Cities",
            Scope::Regional,
            Some(1991),
            Some("Gdańsk"),
            Some("Baltic Sea region cities"),
            Some("https://www.ubc.net"),
        ),
        _ => known(authority, authority, Scope::Global, None, None, None, None),
    }
}

enum NetworkRef {
    Live(String),
    Deleted,
}

struct Importer<'a> {
    store: &'a mut Store,
    report: CdpImportReport,
    networks: HashMap<String, NetworkRef>,
    /// Live cities without a CDP account, by (country, lower-case name): the ones a
    /// row may match by name. Read once; a matched city leaves the map.
    entered_by_hand: HashMap<(String, String), City>,
}

impl Importer<'_> {
    /// A tombstone written by another office (a deletion this office received, often
    /// of a record it never held) does not stand in the way of an import: only this
    /// office's own deletions are kept by it.
    fn deleted_elsewhere(&self, meta: &Meta) -> bool {
        meta.deleted && meta.updated_by != self.store.office().id
    }

    /// Brings a record deleted elsewhere back, as this office's write.
    fn revive<T: crate::store::Record>(&mut self, id: &str) -> Result<T> {
        self.store.restore(T::KIND, id)?;
        self.store.get(id)
    }

    fn warn(&mut self, row: &CdpRow, code: &str, column: &str, value: &str) {
        self.report
            .warnings
            .push(ImportWarning::new(row.line, code, column, value));
    }

    fn network(&mut self, authority: &str) -> Result<NetworkRef> {
        let key = normalize(authority);
        if let Some(found) = self.networks.get(&key) {
            return Ok(match found {
                NetworkRef::Live(id) => NetworkRef::Live(id.clone()),
                NetworkRef::Deleted => NetworkRef::Deleted,
            });
        }
        let wanted = network_to_add(authority);
        let acronym = catalog_acronym(authority).map(str::to_string);
        let live: Vec<Network> = self.store.list(None)?;
        let existing = live.iter().find(|n| {
            let by_acronym = acronym
                .as_deref()
                .is_some_and(|a| n.acronym.eq_ignore_ascii_case(a));
            by_acronym
                || normalize(&n.name) == key
                || normalize(&n.acronym) == key
                || (acronym.is_none() && n.acronym.eq_ignore_ascii_case(&wanted.acronym))
        });
        let found = match existing {
            Some(n) => NetworkRef::Live(n.meta.id.clone()),
            None => {
                let id = derived_id(&format!("cdp-network:{}", normalize(&wanted.name)));
                match self.store.get::<Network>(&id) {
                    Ok(n) if self.deleted_elsewhere(&n.meta) => {
                        NetworkRef::Live(self.revive::<Network>(&n.meta.id)?.meta.id)
                    }
                    Ok(n) if n.meta.deleted => NetworkRef::Deleted,
                    Ok(n) => NetworkRef::Live(n.meta.id),
                    Err(Error::NotFound(_)) => {
                        self.store.insert_stamped(Network {
                            meta: Meta {
                                id: id.clone(),
                                created_at: ADDED_NETWORK_STAMP,
                                updated_at: ADDED_NETWORK_STAMP,
                                updated_by: CATALOG_OFFICE.into(),
                                deleted: false,
                                trashed_with: None,
                            },
                            name: wanted.name.clone(),
                            acronym: wanted.acronym.clone(),
                            founded_year: wanted.founded,
                            headquarters: wanted.headquarters.map(str::to_string),
                            scope: wanted.scope,
                            focus: wanted.focus.map(str::to_string),
                            member_count: None,
                            fee_model: None,
                            website: wanted.website.map(str::to_string),
                            source: Some("CDP Cities Disclosing (Reporting Authority)".into()),
                            as_of: None,
                        })?;
                        self.report.networks_added.push(wanted.acronym.clone());
                        NetworkRef::Live(id)
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let copy = match &found {
            NetworkRef::Live(id) => NetworkRef::Live(id.clone()),
            NetworkRef::Deleted => NetworkRef::Deleted,
        };
        self.networks.insert(key, copy);
        Ok(found)
    }

    fn row(&mut self, row: &CdpRow) -> Result<()> {
        let Ok(account) = row.account.parse::<i64>() else {
            self.warn(row, "missing_account", ACCOUNT, &row.account);
            self.report.rows_skipped += 1;
            return Ok(());
        };
        let Ok(report_year) = row.year.parse::<i32>() else {
            self.warn(row, "missing_year", YEAR, &row.year);
            self.report.rows_skipped += 1;
            return Ok(());
        };
        let Some(country) = countries::iso_code(&row.country) else {
            self.warn(row, "unknown_country", COUNTRY, &row.country);
            self.report.rows_skipped += 1;
            return Ok(());
        };
        let name = if row.city.is_empty() {
            row.organization.clone()
        } else {
            row.city.clone()
        };
        if name.is_empty() {
            self.warn(row, "missing_name", CITY, "");
            self.report.rows_skipped += 1;
            return Ok(());
        }

        let population = self.population(row);
        let population_year = self.population_year(row, report_year, population.is_some());
        let coordinates = self.coordinates(row, country);

        let Some(city_id) = self.city(
            row,
            account,
            &name,
            country,
            &population,
            population_year,
            coordinates,
        )?
        else {
            return Ok(());
        };
        for authority in &row.authorities {
            match self.network(authority)? {
                NetworkRef::Live(network_id) => self.membership(&city_id, &network_id)?,
                NetworkRef::Deleted => self.warn(row, "network_deleted", AUTHORITY, authority),
            }
        }
        if let Some(population) = population {
            self.population_metric(row, &city_id, report_year, population_year, population)?;
        }
        Ok(())
    }

    /// The population as given: an integer, or a number or text kept in the metric.
    fn population(&mut self, row: &CdpRow) -> Option<Population> {
        let raw = row.population.as_str();
        if raw.is_empty() {
            self.warn(row, "population_missing", POPULATION, raw);
            return None;
        }
        if let Ok(n) = raw.parse::<i64>() {
            if n >= 0 {
                return Some(Population {
                    whole: Some(n),
                    value: Some(n as f64),
                    text: None,
                });
            }
        }
        match raw.parse::<f64>() {
            Ok(x) if x.is_finite() => {
                self.warn(row, "population_decimal_point", POPULATION, raw);
                Some(Population {
                    whole: None,
                    value: Some(x),
                    text: Some(raw.to_string()),
                })
            }
            _ => {
                self.warn(row, "population_unreadable", POPULATION, raw);
                Some(Population {
                    whole: None,
                    value: None,
                    text: Some(raw.to_string()),
                })
            }
        }
    }

    /// The population year when plausible (from 1900 to the year after the report).
    fn population_year(
        &mut self,
        row: &CdpRow,
        report_year: i32,
        has_population: bool,
    ) -> Option<i32> {
        let raw = row.population_year.as_str();
        match raw.parse::<i32>() {
            Ok(y) if (1900..=report_year + 1).contains(&y) => Some(y),
            _ => {
                // A missing population comes with a placeholder year; one warning is enough.
                if has_population {
                    self.warn(row, "population_year_implausible", POPULATION_YEAR, raw);
                }
                None
            }
        }
    }

    /// `POINT (longitude latitude)` when the record can hold it.
    fn coordinates(&mut self, row: &CdpRow, country: &str) -> Option<(f64, f64)> {
        let raw = row.location.as_str();
        if raw.is_empty() {
            self.warn(row, "coordinates_missing", LOCATION, raw);
            return None;
        }
        let parsed = raw
            .strip_prefix("POINT")
            .map(str::trim)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|inner| {
                let mut parts = inner.split_whitespace();
                let lon = parts.next()?.parse::<f64>().ok()?;
                let lat = parts.next()?.parse::<f64>().ok()?;
                parts.next().is_none().then_some((lat, lon))
            });
        let Some((lat, lon)) = parsed.filter(|(a, b)| a.is_finite() && b.is_finite()) else {
            self.warn(row, "coordinates_unreadable", LOCATION, raw);
            return None;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            self.warn(row, "coordinates_out_of_range", LOCATION, raw);
            return None;
        }
        if countries::contains(country, lat, lon) == Some(false) {
            // Say what the slip most likely was, when one explains it.
            let inside = |lat: f64, lon: f64| countries::contains(country, lat, lon) == Some(true);
            let code = if (-90.0..=90.0).contains(&lon) && inside(lon, lat) {
                "coordinates_swapped"
            } else if inside(-lat, lon) || inside(lat, -lon) || inside(-lat, -lon) {
                "coordinates_sign_flipped"
            } else {
                "coordinates_far_from_country"
            };
            self.warn(row, code, LOCATION, raw);
        }
        Some((lat, lon))
    }

    #[allow(clippy::too_many_arguments)]
    fn city(
        &mut self,
        row: &CdpRow,
        account: i64,
        name: &str,
        country: &str,
        population: &Option<Population>,
        population_year: Option<i32>,
        coordinates: Option<(f64, f64)>,
    ) -> Result<Option<String>> {
        let existing = match self.store.city_id_by_cdp_account(account)? {
            Some(id) => Some(self.store.get::<City>(&id)?),
            // A city entered by hand (no CDP account yet), same name and country.
            None => self
                .entered_by_hand
                .remove(&(country.to_string(), name.to_lowercase())),
        };
        let existing = match existing {
            Some(c) if self.deleted_elsewhere(&c.meta) => Some(self.revive::<City>(&c.meta.id)?),
            other => other,
        };
        let base = match &existing {
            Some(c) if c.meta.deleted => {
                self.warn(row, "city_deleted", CITY, &c.name);
                self.report.rows_skipped += 1;
                return Ok(None);
            }
            Some(c) => c.clone(),
            None => City {
                meta: Meta {
                    id: derived_id(&format!("cdp-city:{account}")),
                    ..Meta::default()
                },
                name: name.to_string(),
                country: country.to_string(),
                population: None,
                population_year: None,
                latitude: None,
                longitude: None,
                region: None,
                cdp_account: None,
                income_group: None,
            },
        };
        let mut city = base.clone();
        city.name = name.to_string();
        city.country = country.to_string();
        city.cdp_account = Some(account);
        if !row.region.is_empty() {
            city.region = Some(row.region.clone());
        }
        // What this row does not say is left as it was, never blanked.
        if let Some(whole) = population.as_ref().and_then(|p| p.whole) {
            city.population = Some(whole);
            city.population_year = population_year.or(city.population_year);
        }
        if let Some((lat, lon)) = coordinates {
            city.latitude = Some(lat);
            city.longitude = Some(lon);
        }
        let id = city.meta.id.clone();
        match existing {
            None => {
                if let Ok(taken) = self.store.get::<City>(&id) {
                    if self.deleted_elsewhere(&taken.meta) {
                        // A deletion received from another office: the import
                        // brings the city back.
                        let mut revived = city;
                        revived.meta = self.revive::<City>(&id)?.meta;
                        self.store.update(revived)?;
                        self.report.cities_updated += 1;
                        return Ok(Some(id));
                    }
                    // The derived id is taken by a city that lost its account number.
                    self.warn(row, "city_deleted", CITY, name);
                    self.report.rows_skipped += 1;
                    return Ok(None);
                }
                self.store.insert(city)?;
                self.report.cities_added += 1;
            }
            Some(_) if city != base => {
                self.store.update(city)?;
                self.report.cities_updated += 1;
            }
            Some(_) => self.report.cities_unchanged += 1,
        }
        Ok(Some(id))
    }

    fn membership(&mut self, city_id: &str, network_id: &str) -> Result<()> {
        let held = self
            .store
            .list::<Membership>(Some(city_id))?
            .iter()
            .any(|m| m.network_id == network_id);
        if held {
            return Ok(());
        }
        let id = derived_id(&format!("cdp-membership:{city_id}:{network_id}"));
        if self.store.get::<Membership>(&id).is_ok() {
            // Deleted by the user: the deletion stands.
            return Ok(());
        }
        self.store.insert(Membership {
            meta: Meta {
                id,
                ..Meta::default()
            },
            ..Membership::new(city_id, network_id)
        })?;
        self.report.memberships_added += 1;
        Ok(())
    }

    fn population_metric(
        &mut self,
        row: &CdpRow,
        city_id: &str,
        report_year: i32,
        population_year: Option<i32>,
        population: Population,
    ) -> Result<()> {
        let year = population_year.unwrap_or(report_year);
        let mut source = format!("CDP Cities Disclosing {report_year}");
        if population_year.is_none() {
            source.push_str(&format!(
                "; population year as given: {}",
                row.population_year
            ));
        }
        let id = derived_id(&format!("cdp-metric:{city_id}:population:{year}"));
        let wanted = Metric {
            meta: Meta {
                id: id.clone(),
                ..Meta::default()
            },
            city_id: city_id.into(),
            year,
            name: "population".into(),
            value: population.value,
            value_text: population.text,
            unit: Some("inhabitants".into()),
            source: Some(source),
        };
        match self.store.get::<Metric>(&id) {
            Err(Error::NotFound(_)) => {
                self.store.insert(wanted)?;
                self.report.metrics_added += 1;
            }
            Err(e) => return Err(e),
            Ok(existing) if self.deleted_elsewhere(&existing.meta) => {
                let mut updated = wanted;
                updated.meta = self.revive::<Metric>(&existing.meta.id)?.meta;
                self.store.update(updated)?;
                self.report.metrics_updated += 1;
            }
            Ok(existing) if existing.meta.deleted => {}
            Ok(existing) => {
                let mut updated = wanted;
                updated.meta = existing.meta.clone();
                if updated != existing {
                    self.store.update(updated)?;
                    self.report.metrics_updated += 1;
                }
            }
        }
        Ok(())
    }
}

struct Population {
    /// The population when the file gives a whole number.
    whole: Option<i64>,
    value: Option<f64>,
    /// The text as given, when it is not a whole number.
    text: Option<String>,
}

/// Imports parsed rows in one transaction. `progress(done, total)` returning false
/// cancels and writes nothing.
pub fn import_rows(
    store: &mut Store,
    rows: &[CdpRow],
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<CdpImportReport> {
    let mut seen: HashMap<&str, u64> = HashMap::new();
    let mut duplicates = Vec::new();
    for row in rows {
        if seen.insert(row.account.as_str(), row.line).is_some() {
            duplicates.push(ImportWarning::new(
                row.line,
                "duplicate_account",
                ACCOUNT,
                &row.account,
            ));
        }
    }
    let total = rows.len() as u64;
    store.transaction(|store| {
        let mut importer = Importer {
            store,
            report: CdpImportReport {
                rows: rows.len() as u32,
                warnings: duplicates,
                ..CdpImportReport::default()
            },
            networks: HashMap::new(),
            entered_by_hand: HashMap::new(),
        };
        for city in importer.store.list::<City>(None)? {
            if city.cdp_account.is_none() {
                importer
                    .entered_by_hand
                    .entry((city.country.clone(), city.name.to_lowercase()))
                    .or_insert(city);
            }
        }
        for (i, row) in rows.iter().enumerate() {
            importer.row(row)?;
            if !progress(i as u64 + 1, total) {
                return Err(Error::Cancelled);
            }
        }
        importer.report.warnings.sort_by_key(|w| w.row);
        Ok(importer.report)
    })
}

/// Reads, checks and imports a CDP CSV file.
pub fn import_file(
    store: &mut Store,
    path: &Path,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<CdpImportReport> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_CSV_BYTES {
        return Err(Error::FileTooLarge {
            bytes: size,
            limit: MAX_CSV_BYTES,
        });
    }
    let bytes = std::fs::read(path)?;
    let rows = parse(&bytes)?;
    import_rows(store, &rows, progress)
}
