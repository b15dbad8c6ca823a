//! Synthetic coordinator databases for benchmarks: per city about 20 memberships,
//! 1,000 cost entries, 40 meetings, 20 projects and 100 outcomes. Deterministic for a
//! seed (ids, stamps and values); another seed gives another office.

use chrono::{Days, NaiveDate};

use crate::error::Result;
use crate::ids::IdSource;
use crate::model::*;
use crate::store::{NewOffice, Record, Store};

const COUNTRIES: &[&str] = &[
    "MX", "BR", "AR", "CO", "CL", "PE", "ES", "PT", "FR", "DE", "IT", "US", "CA", "ZA", "IN", "ID",
];
const CURRENCIES: &[&str] = &["MXN", "USD", "EUR"];
const ROLES: &[&str] = &["Technical specialist", "Director", "Mayor"];
/// Networks added beside the seeded catalog so each city can hold 20 memberships.
const EXTRA_NETWORKS: usize = 18;
const MEMBERSHIPS_PER_CITY: usize = 20;

pub struct Generator {
    rng: fastrand::Rng,
    ids: IdSource,
    stamp: i64,
    office_id: String,
    start: NaiveDate,
    days: u64,
}

impl Generator {
    fn meta(&mut self) -> Meta {
        self.stamp += 1;
        Meta {
            id: self.ids.next_id(),
            created_at: self.stamp,
            updated_at: self.stamp,
            updated_by: self.office_id.clone(),
            deleted: false,
            trashed_with: None,
        }
    }

    fn date(&mut self) -> NaiveDate {
        self.start + Days::new(self.rng.u64(0..self.days))
    }

    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.rng.usize(0..list.len())]
    }

    fn put<T: Record>(&mut self, store: &mut Store, mut record: T) -> Result<String> {
        *record.meta_mut() = self.meta();
        Ok(store.insert_stamped(record)?.meta().id.clone())
    }
}

/// Pesos per unit of each generated currency in month `m` of the generated history.
fn pesos_per_unit(currency: &str, m: u32) -> f64 {
    match currency {
        "USD" => 17.0 + m as f64 * 0.05,
        "EUR" => 18.5 + m as f64 * 0.06,
        _ => 1.0,
    }
}

/// Creates `path` with `cities` synthetic cities, for an office whose base currency is
/// `currency` (its reporting currency, in which its exchange rates are quoted).
/// `progress` is called after each city.
pub fn generate(
    path: &std::path::Path,
    cities: usize,
    seed: u64,
    currency: &str,
    mut progress: impl FnMut(usize),
) -> Result<Store> {
    crate::money::check_currency("currency", currency)?;
    let mut rng = fastrand::Rng::with_seed(seed);
    let office_id = uuid::Builder::from_random_bytes(rng.u128(..).to_le_bytes())
        .into_uuid()
        .to_string();
    let office = NewOffice {
        id: Some(office_id.clone()),
        name: format!("Synthetic coordinator {seed}"),
        reporting_currency: currency.into(),
        language: "en".into(),
    };
    let mut store = Store::create(path, &office)?;
    let base_stamp = 1_767_225_600_000 + (seed as i64 % 1_000) * 100_000_000;
    let start = NaiveDate::from_ymd_opt(2023, 7, 1).unwrap_or_default();
    let mut g = Generator {
        ids: IdSource::new(seed ^ 0x6E4E_7A7E, base_stamp as u64),
        rng,
        stamp: base_stamp,
        office_id,
        start,
        days: 3 * 365,
    };
    let mut networks: Vec<String> = store
        .list::<Network>(None)?
        .into_iter()
        .map(|n| n.meta.id)
        .collect();
    store.transaction(|store| {
        for k in 0..EXTRA_NETWORKS {
            let id = g.put(
                store,
                Network {
                    meta: Meta::default(),
                    name: format!("Regional network {}", k + 1),
                    acronym: format!("RN{}", k + 1),
                    founded_year: Some(1980 + k as i32),
                    headquarters: None,
                    scope: Scope::Regional,
                    focus: Some("synthetic".into()),
                    member_count: None,
                    fee_model: None,
                    website: None,
                    source: Some("generated".into()),
                    as_of: None,
                },
            )?;
            networks.push(id);
        }
        for m in 0..36u32 {
            let on = start
                .checked_add_months(chrono::Months::new(m))
                .unwrap_or(start);
            for other in CURRENCIES.iter().filter(|c| **c != currency) {
                let rate = pesos_per_unit(other, m) / pesos_per_unit(currency, m);
                g.put(
                    store,
                    ExchangeRate {
                        meta: Meta::default(),
                        on_date: on,
                        currency: other.to_string(),
                        quote_currency: currency.into(),
                        rate: (rate * 1_000_000.0).round() / 1_000_000.0,
                        source: Some("generated".into()),
                    },
                )?;
            }
        }
        for (role, hourly) in ROLES.iter().zip([450_00, 900_00, 2_500_00]) {
            g.put(
                store,
                RoleRate {
                    meta: Meta::default(),
                    role: role.to_string(),
                    hourly_minor: hourly,
                    currency: "MXN".into(),
                    valid_from: start,
                    valid_to: None,
                },
            )?;
        }
        Ok(())
    })?;
    for i in 0..cities {
        store.transaction(|store| city(&mut g, store, i, &networks))?;
        progress(i + 1);
    }
    Ok(store)
}

fn city(g: &mut Generator, store: &mut Store, index: usize, networks: &[String]) -> Result<()> {
    let country = g.pick(COUNTRIES).to_string();
    let population = Some(g.rng.i64(50_000..10_000_000));
    let (latitude, longitude) = (
        Some(g.rng.f64() * 120.0 - 60.0),
        Some(g.rng.f64() * 340.0 - 170.0),
    );
    let city_id = g.put(
        store,
        City {
            meta: Meta::default(),
            name: format!("Synthetic city {}", index + 1),
            country,
            population,
            population_year: Some(2020),
            latitude,
            longitude,
            region: None,
            cdp_account: None,
            income_group: None,
        },
    )?;
    let mut chosen: Vec<&String> = networks.iter().collect();
    g.rng.shuffle(&mut chosen);
    let mut memberships = Vec::with_capacity(MEMBERSHIPS_PER_CITY);
    for (k, network_id) in chosen.into_iter().take(MEMBERSHIPS_PER_CITY).enumerate() {
        let roll = g.rng.u8(0..100);
        let status = if roll < 85 {
            MembershipStatus::Active
        } else if roll < 95 {
            MembershipStatus::Suspended
        } else {
            MembershipStatus::Ended
        };
        let joined = g.date();
        let currency = g.pick(CURRENCIES).to_string();
        let dues_minor = Some(g.rng.i64(1_000_00..20_000_00));
        let id = g.put(
            store,
            Membership {
                joined_on: Some(joined),
                ended_on: (status == MembershipStatus::Ended).then(|| joined + Days::new(200)),
                status,
                renewal_on: Some(joined + Days::new(365)),
                dues_minor,
                dues_currency: Some(currency),
                core: k < 2,
                ..Membership::new(&city_id, network_id)
            },
        )?;
        if g.rng.bool() {
            let start = g.date();
            g.put(
                store,
                Thesis {
                    meta: Meta::default(),
                    membership_id: id.clone(),
                    statement: "Synthetic thesis".into(),
                    start_on: start,
                    horizon_on: start + Days::new(540),
                    review_on: Some(start + Days::new(450)),
                    verdict: None,
                    decision: None,
                    reviewed_on: None,
                },
            )?;
        }
        memberships.push(id);
    }
    let mut meetings = Vec::with_capacity(40);
    for _ in 0..40 {
        let membership_id = memberships[g.rng.usize(0..memberships.len())].clone();
        let ask = Ask::ALL[g.rng.usize(0..Ask::ALL.len())];
        let result = MeetingResult::ALL[g.rng.usize(0..MeetingResult::ALL.len())];
        let on = g.date();
        meetings.push(g.put(
            store,
            Meeting {
                meta: Meta::default(),
                membership_id,
                title: "Synthetic meeting".into(),
                start_on: on,
                end_on: Some(on),
                place: None,
                attendees: None,
                ask,
                counterpart: None,
                result,
                follow_up: None,
                follow_up_due: None,
            },
        )?);
    }
    for _ in 0..1_000 {
        let membership_id =
            (g.rng.u8(0..10) > 0).then(|| memberships[g.rng.usize(0..memberships.len())].clone());
        let roll = g.rng.u8(0..100);
        let category = match roll {
            0..=14 => CostCategory::Dues,
            15..=44 => CostCategory::Travel,
            45..=64 => CostCategory::StaffTime,
            65..=74 => CostCategory::OfficialsTime,
            75..=84 => CostCategory::Hosting,
            _ => CostCategory::Other,
        };
        let on = g.date();
        let (amount_minor, currency, hours, role) = if category.is_time() {
            (
                None,
                None,
                Some(g.rng.u8(1..40) as f64),
                Some(g.pick(ROLES).to_string()),
            )
        } else {
            (
                Some(g.rng.i64(100_00..200_000_00)),
                Some(g.pick(CURRENCIES).to_string()),
                None,
                None,
            )
        };
        let meeting_id =
            (g.rng.u8(0..20) == 0).then(|| meetings[g.rng.usize(0..meetings.len())].clone());
        g.put(
            store,
            CostEntry {
                meta: Meta::default(),
                city_id: city_id.clone(),
                membership_id,
                meeting_id,
                spent_on: on,
                category,
                amount_minor,
                currency,
                hours,
                role,
                invoice_id: None,
                reference: None,
                description: None,
            },
        )?;
    }
    let mut projects = Vec::with_capacity(20);
    for k in 0..20 {
        let baseline = g.rng.i32(12..60);
        let sector = Sector::ALL[g.rng.usize(0..Sector::ALL.len())];
        let stage = Stage::ALL[g.rng.usize(0..Stage::ALL.len())];
        let capex_minor = Some(g.rng.i64(1_000_000_00..5_000_000_000_00));
        let start_on = Some(g.date());
        let actual_months = Some(baseline - g.rng.i32(0..12).min(baseline));
        projects.push(g.put(
            store,
            Project {
                meta: Meta::default(),
                city_id: city_id.clone(),
                name: format!("Project {}", k + 1),
                sector,
                stage,
                capex_minor,
                capex_currency: Some("MXN".into()),
                start_on,
                baseline_months: Some(baseline),
                actual_months,
                notes: None,
            },
        )?);
    }
    for _ in 0..100 {
        let kind = OutcomeKind::ALL[g.rng.usize(0..3)];
        let on = g.date();
        let mut o = Outcome::new(&city_id, kind, on, "Synthetic outcome");
        match kind {
            OutcomeKind::Acceleration => {
                o.project_id = Some(projects[g.rng.usize(0..projects.len())].clone());
                o.months_saved = Some(g.rng.u8(1..12) as f64);
            }
            OutcomeKind::Financing => {
                let amount = g.rng.i64(10_000_00..50_000_000_00);
                o.amount_minor = Some(amount);
                o.currency = Some(g.pick(CURRENCIES).to_string());
                o.instrument = Some(Instrument::ALL[g.rng.usize(0..Instrument::ALL.len())]);
                o.financing_status = Some(FinancingStatus::Committed);
                o.committed_minor = Some(amount);
                o.disbursed_minor = Some(amount / 2);
                if matches!(
                    o.instrument,
                    Some(Instrument::Loan | Instrument::ConcessionalLoan)
                ) {
                    // Terms from the amount, not the generator: the rest of the file
                    // stays what it was for a seed.
                    o.interest_rate = Some((amount % 900) as f64 / 100.0);
                    o.tenor_years = Some(5.0 + (amount % 21) as f64);
                    o.grace_years = Some((amount % 4) as f64);
                    o.repayment_profile =
                        Some(crate::model::RepaymentProfile::ALL[(amount % 3) as usize]);
                    o.payments_per_year = Some(1 + amount % 2);
                }
            }
            OutcomeKind::PolicyTransfer => {
                o.policy_instrument = Some(PolicyInstrument::Regulation);
                o.source_peer = Some("Peer city".into());
                o.adopted_on = Some(on);
            }
        }
        let outcome_id = g.put(store, o)?;
        let first = g.rng.usize(0..memberships.len());
        let split = g.rng.bool();
        let share = if split { 6_000 } else { 10_000 };
        g.put(
            store,
            Attribution {
                meta: Meta::default(),
                outcome_id: outcome_id.clone(),
                membership_id: memberships[first].clone(),
                share_bp: share,
            },
        )?;
        if split {
            let second = (first + 1) % memberships.len();
            g.put(
                store,
                Attribution {
                    meta: Meta::default(),
                    outcome_id,
                    membership_id: memberships[second].clone(),
                    share_bp: 4_000,
                },
            )?;
        }
    }
    for (year, value) in [(2022, 1.0e6), (2023, 0.95e6)] {
        let scaled = value * (1.0 + g.rng.f64());
        g.put(
            store,
            Metric {
                meta: Meta::default(),
                city_id: city_id.clone(),
                year,
                name: "emissions_tco2e".into(),
                value: Some(scaled.round()),
                value_text: None,
                unit: Some("tCO2e".into()),
                source: Some("generated".into()),
            },
        )?;
    }
    Ok(())
}
