//! The network catalog seeded into every new database: facts as found in public
//! sources, each network with its source and as-of date. Users edit and extend it.
//! Plain data: the store inserts it (no dependency back on the store).

use chrono::NaiveDate;

use crate::ids::IdSource;
use crate::model::{FeeBasis, FeeRule, Meta, Network, Scope};

struct Seed {
    acronym: &'static str,
    name: &'static str,
    founded: Option<i32>,
    hq: &'static str,
    scope: Scope,
    focus: &'static str,
    members: &'static str,
    fee: &'static str,
    website: &'static str,
    source: &'static str,
}

const AS_OF: (i32, u32, u32) = (2025, 6, 30);
const CATALOG_SEED: u64 = 0xCA7A_1060;
/// `updated_by` of the records Cabildo itself seeds.
pub const CATALOG_OFFICE: &str = "00000000-0000-0000-0000-000000000000";

const SEEDS: &[Seed] = &[
    Seed {
        acronym: "C40",
        name: "C40 Cities Climate Leadership Group",
        founded: Some(2005),
        hq: "London",
        scope: Scope::Global,
        focus: "climate",
        members: "~96–100",
        fee: "no published dues; performance-based participation",
        website: "https://www.c40.org",
        source: "c40.org; Wikipedia",
    },
    Seed {
        acronym: "ICLEI",
        name: "ICLEI – Local Governments for Sustainability",
        founded: Some(1990),
        hq: "Bonn",
        scope: Scope::Global,
        focus: "sustainability",
        members: "2,500+",
        fee: "dues by population band × national income group",
        website: "https://iclei.org",
        source: "InterMayors 2025; iclei.org",
    },
    Seed {
        acronym: "UCLG",
        name: "United Cities and Local Governments",
        founded: Some(2004),
        hq: "Barcelona",
        scope: Scope::Global,
        focus: "local self-government",
        members: "1,000+ cities, 112 associations",
        fee: "by inhabitants × country development (statutes art. 14)",
        website: "https://www.uclg.org",
        source: "uclg.org",
    },
    Seed {
        acronym: "Metropolis",
        name: "World Association of the Major Metropolises",
        founded: Some(1985),
        hq: "Barcelona",
        scope: Scope::Metropolitan,
        focus: "metropolitan governance",
        members: "~130–139",
        fee: "table by World Bank income level: €1,390–€11,010 (2023–25)",
        website: "https://www.metropolis.org",
        source: "metropolis.org",
    },
    Seed {
        acronym: "Mercociudades",
        name: "Red de Mercociudades",
        founded: Some(1995),
        hq: "Montevideo",
        scope: Scope::Regional,
        focus: "regional integration (South America, with Mexico)",
        members: "400+ in 12 countries",
        fee: "set by the assembly",
        website: "https://mercociudades.org",
        source: "InterMayors 2025; mercociudades.org",
    },
    Seed {
        acronym: "GCoM",
        name: "Global Covenant of Mayors for Climate & Energy",
        founded: Some(2016),
        hq: "Brussels",
        scope: Scope::Global,
        focus: "mitigation, adaptation, energy access",
        members: "13,800+ (1.2 billion people)",
        fee: "free",
        website: "https://www.globalcovenantofmayors.org",
        source: "InterMayors 2025; globalcovenantofmayors.org",
    },
    Seed {
        acronym: "Eurocities",
        name: "Eurocities",
        founded: Some(1986),
        hq: "Brussels",
        scope: Scope::Regional,
        focus: "urban policy (Europe)",
        members: "200+ in 38 countries",
        fee: "tiers; amounts not published",
        website: "https://eurocities.eu",
        source: "eurocities.eu",
    },
    Seed {
        acronym: "Climate Alliance",
        name: "Climate Alliance (Klima-Bündnis)",
        founded: Some(1990),
        hq: "Frankfurt",
        scope: Scope::Regional,
        focus: "climate (Europe)",
        members: "1,800+",
        fee: "€0.0073 per resident, min €220, max €15,000",
        website: "https://www.climatealliance.org",
        source: "climatealliance.org",
    },
    Seed {
        acronym: "R-Cities",
        name: "Resilient Cities Network",
        founded: Some(2020),
        hq: "Singapore",
        scope: Scope::Global,
        focus: "resilience",
        members: "~100",
        fee: "not published",
        website: "https://resilientcitiesnetwork.org",
        source: "resilientcitiesnetwork.org",
    },
    Seed {
        acronym: "AIMF",
        name: "Association internationale des maires francophones",
        founded: Some(1979),
        hq: "Paris",
        scope: Scope::Global,
        focus: "francophone cities",
        members: "325 in 54 countries",
        fee: "dues + entry fee",
        website: "https://www.aimf.asso.fr",
        source: "aimf.asso.fr",
    },
    Seed {
        acronym: "FLACMA",
        name: "Federación Latinoamericana de Ciudades, Municipios y Asociaciones",
        founded: Some(1981),
        hq: "(rotating)",
        scope: Scope::Regional,
        focus: "Latin America; UCLG section",
        members: "23 countries' associations",
        fee: "not published",
        website: "https://flacma.lat",
        source: "flacma.lat",
    },
    Seed {
        acronym: "UCCI",
        name: "Unión de Ciudades Capitales Iberoamericanas",
        founded: Some(1982),
        hq: "Madrid",
        scope: Scope::Regional,
        focus: "Ibero-American capitals",
        members: "29",
        fee: "not published",
        website: "https://ciudadesiberoamericanas.org",
        source: "ciudadesiberoamericanas.org",
    },
];

/// The seed networks, as records: the store inserts them into every new database.
/// Seeded networks carry the same ids and stamps in every file, so files merge without
/// duplicating the catalog.
pub fn networks() -> Vec<Network> {
    let as_of = NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2);
    let stamp = as_of
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(0);
    let mut ids = IdSource::new(CATALOG_SEED, stamp as u64);
    SEEDS
        .iter()
        .map(|s| Network {
            meta: Meta {
                id: ids.next_id(),
                created_at: stamp,
                updated_at: stamp,
                updated_by: CATALOG_OFFICE.into(),
                deleted: false,
                trashed_with: None,
            },
            name: s.name.into(),
            acronym: s.acronym.into(),
            founded_year: s.founded,
            headquarters: Some(s.hq.into()),
            scope: s.scope,
            focus: Some(s.focus.into()),
            member_count: Some(s.members.into()),
            fee_model: Some(s.fee.into()),
            website: Some(s.website.into()),
            source: Some(s.source.into()),
            as_of,
        })
        .collect()
}

/// One fee rule of the seed: a network's dues over a period, as its source states them.
struct FeeSeed {
    acronym: &'static str,
    valid_from: (i32, u32, u32),
    valid_to: Option<(i32, u32, u32)>,
    basis: FeeBasis,
    currency: Option<&'static str>,
    /// Flat amount, minor units.
    amount: Option<i64>,
    /// Major units per resident.
    per_resident: Option<f64>,
    min: Option<i64>,
    max: Option<i64>,
    /// Low, lower-middle, upper-middle, high income, minor units (0: not published).
    by_income: Option<[i64; 4]>,
    source: &'static str,
    notes: &'static str,
}

const FEE_SEEDS: &[FeeSeed] = &FEE_RULES;

include!("catalog_fees.rs");

const FEE_SEED: u64 = 0xCA7A_FEE5;

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The seed fee rules, as records, for the seed networks (`networks()`): the same ids
/// and stamps in every file, like the networks.
pub fn fee_rules() -> Vec<FeeRule> {
    let networks = networks();
    let stamp = networks.first().map_or(0, |n| n.meta.created_at);
    let mut ids = IdSource::new(FEE_SEED, stamp as u64);
    FEE_SEEDS
        .iter()
        .filter_map(|s| {
            let network = networks.iter().find(|n| n.acronym == s.acronym)?;
            // In the seed's tables 0 is "not published" (no rule charges nothing by group).
            let income = s
                .by_income
                .map(|t| t.map(|v| (v > 0).then_some(v)))
                .unwrap_or([None; 4]);
            Some(FeeRule {
                meta: Meta {
                    id: ids.next_id(),
                    created_at: stamp,
                    updated_at: stamp,
                    updated_by: CATALOG_OFFICE.into(),
                    deleted: false,
                    trashed_with: None,
                },
                network_id: network.meta.id.clone(),
                valid_from: ymd(s.valid_from),
                valid_to: s.valid_to.map(ymd),
                basis: s.basis,
                currency: s.currency.map(str::to_string),
                amount_minor: s.amount,
                per_resident: s.per_resident,
                min_minor: s.min,
                max_minor: s.max,
                population_from: None,
                population_to: None,
                low_minor: income[0],
                lower_middle_minor: income[1],
                upper_middle_minor: income[2],
                high_minor: income[3],
                source: s.source.into(),
                notes: (!s.notes.is_empty()).then(|| s.notes.to_string()),
            })
        })
        .collect()
}
