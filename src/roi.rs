//! The ROI engine: for a period, a reporting currency and optionally one city, one row
//! per membership with its cost, its outcomes, its meetings, its leverage and its
//! classification with the reason, plus roll-ups per network and per city.
//! Every rule of the return lives here; front ends only show these rows.

// foldhash: the engine hashes millions of ids per report.
use foldhash::{HashMap, HashMapExt};

use std::sync::Arc;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::{self, Lang};
use crate::model::{CostCategory, FinancingStatus, MembershipRole, MembershipStatus, OutcomeKind};
use crate::store::outcome_index;
use crate::store::roi::{CostAggregate, MeetingCounts, OutcomeFacts, ThesisInfo};
use crate::store::Store;

/// Outcomes older than this, before the period's end, no longer count as delivering.
pub const OUTCOME_WINDOW_MONTHS: u32 = 18;

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoiQuery {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    pub city_id: Option<String>,
}

impl RoiQuery {
    /// The default period: the twelve months up to `today`, in the office currency.
    pub fn last_twelve_months(today: NaiveDate, currency: &str) -> RoiQuery {
        let from = today
            .checked_sub_months(Months::new(12))
            .unwrap_or(today)
            .succ_opt()
            .unwrap_or(today);
        RoiQuery {
            from,
            to: today,
            currency: currency.to_string(),
            city_id: None,
        }
    }

    /// What every report shows until asked otherwise: the twelve months up to `today`,
    /// in the office's reporting currency, for `city_id` (all cities when None).
    pub fn office_default(store: &Store, city_id: Option<String>, today: NaiveDate) -> RoiQuery {
        RoiQuery {
            city_id,
            ..RoiQuery::last_twelve_months(today, &store.office().reporting_currency)
        }
    }

    /// The period as reports write it: "1 dic 2025 – 30 nov 2026".
    pub fn period_text(&self, lang: Lang) -> String {
        format!(
            "{} – {}",
            format::date(self.from, lang),
            format::date(self.to, lang)
        )
    }
}

crate::model::text_enum!(
    /// What a membership is to the city, from its costs, outcomes and thesis.
    Classification "classification" {
        Strategic = "strategic" ("Estratégica", "Strategic"),
        Developing = "developing" ("En desarrollo", "Developing"),
        Unsteered = "unsteered" ("Sin rumbo", "Unsteered"),
        Passive = "passive" ("Pasiva", "Passive"),
        Inactive = "inactive" ("Inactiva", "Inactive"),
    }
);

crate::model::text_enum!(
    /// Where a membership's thesis stands.
    ThesisStatus "thesis_status" {
        None = "none" ("Sin tesis", "No thesis"),
        Open = "open" ("Abierta", "Open"),
        DueForReview = "due_for_review" ("Por revisar", "Due for review"),
        Reviewed = "reviewed" ("Revisada", "Reviewed"),
    }
);

/// Each membership's latest thesis on a date: the one started last on or before it
/// (`roi_theses` lists them newest first, ties by creation).
fn latest_theses(list: &[ThesisInfo]) -> HashMap<&str, &ThesisInfo> {
    let mut out: HashMap<&str, &ThesisInfo> = HashMap::new();
    for t in list {
        out.entry(&*t.membership_id).or_insert(t);
    }
    out
}

/// A membership's latest thesis steers it until it is reviewed (given a verdict).
fn is_current(t: &ThesisInfo) -> bool {
    !t.reviewed
}

/// The thesis that currently steers a membership, as the report reads it.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct CurrentThesis {
    pub membership_id: String,
    pub thesis_id: String,
}

/// The current thesis of every membership (of one city, or all) on a date: the rule
/// the classification uses, for the screens to show the same one.
pub fn current_theses(
    store: &Store,
    on: chrono::NaiveDate,
    city_id: Option<&str>,
) -> Result<Vec<CurrentThesis>> {
    let list = store.roi_theses(on, city_id)?;
    let mut out: Vec<CurrentThesis> = latest_theses(&list)
        .into_values()
        .filter(|t| is_current(t))
        .map(|t| CurrentThesis {
            membership_id: t.membership_id.to_string(),
            thesis_id: t.id.to_string(),
        })
        .collect();
    out.sort_by(|a, b| a.membership_id.cmp(&b.membership_id));
    Ok(out)
}

/// Cost per category, in minor units of the reporting currency.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Default, PartialEq)]
pub struct CategoryCosts {
    #[ts(type = "number")]
    pub dues: i64,
    #[ts(type = "number")]
    pub travel: i64,
    #[ts(type = "number")]
    pub staff_time: i64,
    #[ts(type = "number")]
    pub officials_time: i64,
    #[ts(type = "number")]
    pub hosting: i64,
    #[ts(type = "number")]
    pub other: i64,
}

impl CategoryCosts {
    pub fn get(&self, category: CostCategory) -> i64 {
        match category {
            CostCategory::Dues => self.dues,
            CostCategory::Travel => self.travel,
            CostCategory::StaffTime => self.staff_time,
            CostCategory::OfficialsTime => self.officials_time,
            CostCategory::Hosting => self.hosting,
            CostCategory::Other => self.other,
        }
    }

    fn slot(&mut self, category: CostCategory) -> &mut i64 {
        match category {
            CostCategory::Dues => &mut self.dues,
            CostCategory::Travel => &mut self.travel,
            CostCategory::StaffTime => &mut self.staff_time,
            CostCategory::OfficialsTime => &mut self.officials_time,
            CostCategory::Hosting => &mut self.hosting,
            CostCategory::Other => &mut self.other,
        }
    }

    /// The sum of the categories; `None` beyond `i64`.
    pub fn total(&self) -> Option<i64> {
        CostCategory::ALL
            .iter()
            .try_fold(0i64, |sum, c| sum.checked_add(self.get(*c)))
    }

    fn add(&mut self, other: &CategoryCosts) -> Result<()> {
        for c in CostCategory::ALL {
            *self.slot(*c) = checked(i128::from(self.get(*c)) + i128::from(other.get(*c)))?;
        }
        Ok(())
    }

    fn from_sums(sums: &[i128; 6]) -> Result<CategoryCosts> {
        let mut costs = CategoryCosts::default();
        for (i, c) in CostCategory::ALL.iter().enumerate() {
            *costs.slot(*c) = checked(sums[i])?;
        }
        Ok(costs)
    }
}

/// A sum as a figure: sums are made in `i128`, which no ledger can wrap, and a figure
/// beyond `i64` is an explicit error rather than a wrapped or clamped number.
pub(crate) fn checked(sum: i128) -> Result<i64> {
    i64::try_from(sum).map_err(|_| Error::Overflow(sum.to_string()))
}

/// Costs of a city not tied to any membership: its general international work.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct GeneralCosts {
    pub city_id: String,
    pub city_name: String,
    pub cost: CategoryCosts,
    #[ts(type = "number")]
    pub cost_total_minor: i64,
    pub staff_hours: f64,
    pub officials_hours: f64,
}

/// Something the figures could not take into account, or took in a way to know.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoiWarning {
    /// `missing_exchange_rate`, `missing_role_rate`, `shares_over_100` (the shares
    /// were scaled down in proportion), `costs_of_deleted_membership` (counted as
    /// general work) or `value_out_of_range` (left out).
    pub code: String,
    /// The currency, role, outcome or membership concerned.
    pub subject: String,
    pub on: Option<NaiveDate>,
    /// What the subject is, for people (an outcome's description); may be empty.
    #[serde(default)]
    pub label: String,
    /// The records involved (the memberships sharing an outcome), for people.
    #[serde(default)]
    pub related: Vec<String>,
}

impl RoiWarning {
    fn new(code: &str, subject: impl Into<String>, on: Option<NaiveDate>) -> RoiWarning {
        RoiWarning {
            code: code.into(),
            subject: subject.into(),
            on,
            label: String::new(),
            related: Vec::new(),
        }
    }
}

impl RoiWarning {
    fn label_or_subject(&self) -> &str {
        if self.label.is_empty() {
            &self.subject
        } else {
            &self.label
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        let on = self.on.map(|d| format::date(d, lang)).unwrap_or_default();
        match (self.code.as_str(), lang) {
            ("missing_exchange_rate", Lang::Es) => {
                format!("Falta el tipo de cambio de {} al {on}", self.subject)
            }
            ("missing_exchange_rate", Lang::En) => {
                format!("No exchange rate for {} on {on}", self.subject)
            }
            ("missing_role_rate", Lang::Es) => {
                format!("Falta la tarifa por hora de «{}» al {on}", self.subject)
            }
            ("missing_role_rate", Lang::En) => {
                format!("No hourly rate for “{}” on {on}", self.subject)
            }
            ("costs_of_deleted_membership", Lang::Es) => format!(
                "Costos de una membresía en la papelera ({}) se cuentan como trabajo internacional general",
                self.subject
            ),
            ("costs_of_deleted_membership", Lang::En) => format!(
                "Costs of a membership in the trash ({}) are counted as general international work",
                self.subject
            ),
            ("loan_terms_missing", Lang::Es) if !self.label.is_empty() => format!(
                "El préstamo «{}» no tiene tasa o plazo: su elemento de donación no se calcula y queda fuera del equivalente en donación",
                self.label
            ),
            ("loan_terms_missing", Lang::En) if !self.label.is_empty() => format!(
                "The loan “{}” has no interest rate or tenor: its grant element is not computed and it is left out of the grant equivalent",
                self.label
            ),
            ("loan_terms_missing", Lang::Es) => format!(
                "{} préstamos no tienen tasa o plazo: quedan fuera del equivalente en donación",
                self.subject
            ),
            ("loan_terms_missing", Lang::En) => format!(
                "{} loans have no interest rate or tenor: they are left out of the grant equivalent",
                self.subject
            ),
            ("loan_terms_bad", Lang::Es) if !self.label.is_empty() => format!(
                "Los términos del préstamo «{}» no son posibles (gracia igual o mayor que el plazo…): queda fuera del equivalente en donación",
                self.label
            ),
            ("loan_terms_bad", Lang::En) if !self.label.is_empty() => format!(
                "The terms of the loan “{}” are not possible (grace as long as the tenor…): it is left out of the grant equivalent",
                self.label
            ),
            ("loan_terms_bad", Lang::Es) => format!(
                "{} préstamos tienen términos imposibles (gracia igual o mayor que el plazo…): quedan fuera del equivalente en donación",
                self.subject
            ),
            ("loan_terms_bad", Lang::En) => format!(
                "{} loans have impossible terms (grace as long as the tenor…): they are left out of the grant equivalent",
                self.subject
            ),
            ("value_out_of_range", Lang::Es) => format!(
                "{} costo(s) con un valor fuera de rango quedan fuera de los totales",
                self.subject
            ),
            ("value_out_of_range", Lang::En) => format!(
                "{} cost(s) with a value out of range are left out of the totals",
                self.subject
            ),
            (_, Lang::Es) => format!(
                "Las participaciones del resultado «{}» suman más de 100 %; se cuentan en proporción entre {}",
                self.label_or_subject(),
                self.related.join(", ")
            ),
            (_, Lang::En) => format!(
                "Shares of outcome “{}” add up to more than 100 %; counted in proportion among {}",
                self.label_or_subject(),
                self.related.join(", ")
            ),
        }
    }
}

/// One membership's figures for the period.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoiRow {
    // Shared with the kept inputs: a report of 276,000 rows copies no name.
    pub membership_id: Arc<str>,
    pub city_id: Arc<str>,
    pub city_name: Arc<str>,
    pub network_id: Arc<str>,
    pub network_acronym: Arc<str>,
    pub network_name: Arc<str>,
    pub status: MembershipStatus,
    pub role: MembershipRole,
    pub core: bool,
    pub renewal_on: Option<NaiveDate>,
    /// Reporting currency of every `_minor` figure.
    pub currency: Arc<str>,
    pub cost: CategoryCosts,
    #[ts(type = "number")]
    pub cost_total_minor: i64,
    pub staff_hours: f64,
    pub officials_hours: f64,
    #[ts(type = "number")]
    pub financing_committed_minor: i64,
    #[ts(type = "number")]
    pub financing_disbursed_minor: i64,
    /// Committed financing × its grant element × the share: what it is worth as a
    /// gift (a grant counts whole, a loan by its terms, a guarantee or equity not).
    #[ts(type = "number")]
    pub grant_equivalent_minor: i64,
    /// Dues overdue and unpaid on the period's last day, and the oldest's age in days.
    #[ts(type = "number")]
    pub arrears_minor: i64,
    #[ts(type = "number | null")]
    pub arrears_days: Option<i64>,
    pub months_saved: f64,
    pub policies_transferred: f64,
    /// Outcomes attributed in the period (any kind).
    pub outcomes: i64,
    pub meetings_held: i64,
    pub meetings_with_ask: i64,
    pub asks_achieved: i64,
    /// Financing committed ÷ cost; absent when cost is zero.
    pub leverage: Option<f64>,
    pub classification: Classification,
    /// Which rule matched and why, ready to show.
    pub reason_es: String,
    pub reason_en: String,
    pub thesis_status: ThesisStatus,
    pub thesis_id: Option<Arc<str>>,
    pub thesis_statement: Option<Arc<str>>,
    pub thesis_horizon_on: Option<NaiveDate>,
    pub thesis_review_on: Option<NaiveDate>,
    pub last_outcome_on: Option<NaiveDate>,
    pub first_cost_on: Option<NaiveDate>,
}

impl RoiRow {
    pub fn reason(&self, lang: Lang) -> &str {
        match lang {
            Lang::Es => &self.reason_es,
            Lang::En => &self.reason_en,
        }
    }
}

/// Totals of several rows (one network across cities, or one city).
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoiRollUp {
    pub id: String,
    pub label: String,
    pub memberships: i64,
    pub cost: CategoryCosts,
    #[ts(type = "number")]
    pub cost_total_minor: i64,
    /// Costs not tied to any membership (general international work), already in
    /// `cost` and `cost_total_minor` (city roll-ups and the totals; zero per network).
    #[ts(type = "number")]
    pub general_cost_minor: i64,
    pub staff_hours: f64,
    pub officials_hours: f64,
    #[ts(type = "number")]
    pub financing_committed_minor: i64,
    #[ts(type = "number")]
    pub financing_disbursed_minor: i64,
    #[ts(type = "number")]
    pub grant_equivalent_minor: i64,
    #[ts(type = "number")]
    pub arrears_minor: i64,
    pub months_saved: f64,
    pub policies_transferred: f64,
    pub meetings_held: i64,
    pub leverage: Option<f64>,
    pub strategic: i64,
    pub developing: i64,
    pub unsteered: i64,
    pub passive: i64,
    pub inactive: i64,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoiReport {
    pub query: RoiQuery,
    pub rows: Vec<RoiRow>,
    pub by_network: Vec<RoiRollUp>,
    pub by_city: Vec<RoiRollUp>,
    pub totals: RoiRollUp,
    /// Per city, its costs not tied to a membership ("general international work").
    pub general: Vec<GeneralCosts>,
    pub warnings: Vec<RoiWarning>,
    /// Newest write in the file (UTC milliseconds).
    #[ts(type = "number")]
    pub data_stamp: i64,
}

fn leverage(committed: i64, cost: i64) -> Option<f64> {
    (cost > 0).then(|| committed as f64 / cost as f64)
}

fn window_start(to: NaiveDate) -> NaiveDate {
    to.checked_sub_months(Months::new(OUTCOME_WINDOW_MONTHS))
        .unwrap_or(NaiveDate::MIN)
}

/// Computes the report. Missing rates become warnings; the amounts they concern are
/// left out of the totals rather than counted as zero silently.
pub fn compute(store: &Store, query: &RoiQuery) -> Result<RoiReport> {
    // The reasons write amounts the office's way.
    format::with_number_format(store.office().number_format, || compute_in(store, query))
}

fn compute_in(store: &Store, query: &RoiQuery) -> Result<RoiReport> {
    if query.to < query.from {
        return Err(Error::invalid("to", "end_before_start"));
    }
    crate::money::check_currency("currency", &query.currency)?;
    let city = query.city_id.as_deref();
    let rates = store.rate_table()?;
    let roles = store.role_rates()?;
    let memberships = store.roi_memberships(city)?;
    let (costs, missing) =
        store.roi_costs(query.from, query.to, &query.currency, city, &rates, &roles)?;
    let outcomes = store.report_outcomes(query.to, city)?;
    let meetings: HashMap<String, MeetingCounts> = store
        .roi_meetings(query.from, query.to, city)?
        .into_iter()
        .collect();
    let thesis_list = store.roi_theses(query.to, city)?;
    let discount_rate = store.budget_settings()?.discount_rate_pct;
    let invoice_standings = store.invoice_standings(city, query.to)?;
    let mut standings: HashMap<&str, Vec<&crate::budget::InvoiceStanding>> = HashMap::new();
    for s in &invoice_standings {
        standings
            .entry(s.membership_id.as_str())
            .or_default()
            .push(s);
    }
    let theses = latest_theses(&thesis_list);

    let mut warnings: Vec<RoiWarning> = Vec::new();
    for (currency, on) in &missing.exchange {
        warnings.push(RoiWarning::new(
            "missing_exchange_rate",
            currency,
            Some(*on),
        ));
    }
    for (role, on) in &missing.role {
        warnings.push(RoiWarning::new("missing_role_rate", role, Some(*on)));
    }
    if missing.out_of_range > 0 {
        warnings.push(RoiWarning::new(
            "value_out_of_range",
            missing.out_of_range.to_string(),
            None,
        ));
    }

    /// Running sums of one membership's or one city's general costs.
    #[derive(Default)]
    struct CostSums {
        values: [i128; 6],
        staff_hours: f64,
        officials_hours: f64,
        first_on: Option<NaiveDate>,
    }
    impl CostSums {
        fn add(&mut self, agg: &CostAggregate) {
            for (i, category) in CostCategory::ALL.iter().enumerate() {
                let Some(on) = agg.first_on[i] else {
                    continue;
                };
                self.values[i] += agg.values[i];
                match category {
                    CostCategory::StaffTime => self.staff_hours += agg.hours[i],
                    CostCategory::OfficialsTime => self.officials_hours += agg.hours[i],
                    _ => {}
                }
                self.first_on = Some(self.first_on.map_or(on, |first| first.min(on)));
            }
        }
    }
    // Each live membership's position in `memberships` (its first, were an id twice).
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(memberships.len());
    for (i, m) in memberships.iter().enumerate() {
        position.entry(&*m.id).or_insert(i);
    }
    let mut cost_by_membership: Vec<CostSums> = Vec::new();
    cost_by_membership.resize_with(memberships.len(), CostSums::default);
    let mut general_by_city: HashMap<&str, CostSums> = HashMap::new();
    for agg in &costs {
        let live = agg
            .membership_id
            .as_deref()
            .and_then(|m| position.get(m).copied());
        match (live, agg.membership_id.as_deref()) {
            (Some(i), _) => cost_by_membership[i].add(agg),
            (None, other) => {
                // A cost whose membership is in the trash (a merge can bring one) is
                // still money spent: it counts as general work, and is said.
                if let Some(m) = other {
                    warnings.push(RoiWarning::new("costs_of_deleted_membership", m, None));
                }
                general_by_city.entry(&*agg.city_id).or_default().add(agg);
            }
        }
    }

    let over_shared: Vec<_> = outcomes.over_shared(query.to, city).collect();
    if !over_shared.is_empty() {
        let names: HashMap<&str, String> = memberships
            .iter()
            .map(|m| (&*m.id, format!("{} · {}", m.city_name, m.network_acronym)))
            .collect();
        let mut ids: HashMap<i64, String> = HashMap::new();
        let mut by_outcome: std::collections::BTreeMap<String, RoiWarning> = Default::default();
        for (o, membership_id) in over_shared {
            let id = match ids.get(&o.rowid) {
                Some(id) => id.clone(),
                None => {
                    let id = outcome_index::outcome_id(store.conn(), o.rowid)?;
                    ids.insert(o.rowid, id.clone());
                    id
                }
            };
            let w = by_outcome.entry(id).or_insert_with_key(|id| {
                RoiWarning::new("shares_over_100", id, Some(o.facts.occurred_on))
            });
            w.related.push(
                names
                    .get(membership_id)
                    .cloned()
                    .unwrap_or_else(|| membership_id.to_string()),
            );
        }
        for (id, mut w) in by_outcome {
            w.label = store.label_of(crate::kinds::RecordKind::Outcome, &id)?;
            w.related.sort();
            warnings.push(w);
        }
    }

    // Loans whose terms give no grant element, by outcome rowid (named at the end).
    let mut loan_problems: Vec<(&'static str, i64)> = Vec::new();
    let recent_from = window_start(query.to);
    let currency: Arc<str> = Arc::from(query.currency.as_str());
    let mut rows = Vec::with_capacity(memberships.len());
    for (m, sums) in memberships.iter().zip(cost_by_membership) {
        let cost = CategoryCosts::from_sums(&sums.values)?;
        let (staff_hours, officials_hours, first_cost_on) =
            (sums.staff_hours, sums.officials_hours, sums.first_on);
        // One lookup of the membership's attributions, walked once per question.
        let attributions = outcomes.of_membership(&m.id, query.to, city);
        let attributed = || attributions.clone().map(|(o, _)| o.facts.occurred_on);
        let mut row_figures = OutcomeFigures::default();
        for (o, share) in attributions.clone() {
            if o.facts.occurred_on >= query.from {
                let currency = &query.currency;
                let figures = &mut row_figures;
                if let Some(code) = figures.add(
                    &o.facts,
                    share,
                    currency,
                    &rates,
                    discount_rate,
                    &mut warnings,
                ) {
                    loan_problems.push((code, o.rowid));
                }
            }
        }
        let last_outcome_on = attributed().max();
        let thesis = theses.get(&*m.id).copied();
        let thesis_status = match thesis {
            None => ThesisStatus::None,
            Some(t) if t.reviewed => ThesisStatus::Reviewed,
            Some(t) if t.review_on.is_some_and(|r| r <= query.to) || t.horizon_on <= query.to => {
                ThesisStatus::DueForReview
            }
            Some(_) => ThesisStatus::Open,
        };
        let current_thesis = thesis.filter(|t| is_current(t));
        let cost_total = cost
            .total()
            .ok_or_else(|| Error::Overflow(m.id.to_string()))?;
        let committed = checked(row_figures.committed)?;
        let (arrears_minor, arrears_days) = crate::budget::membership_arrears(
            standings.get(&*m.id).map(Vec::as_slice).unwrap_or(&[]),
            &rates,
            &query.currency,
            query.to,
        );
        let disbursed = checked(row_figures.disbursed)?;
        let facts = Facts {
            query,
            membership_status: m.status,
            ended: m.ended_on.is_some_and(|e| e <= query.to),
            cost_total,
            first_cost_on,
            outcomes_in_period: row_figures.count,
            recent_outcome: attributed().any(|on| on >= recent_from),
            last_outcome_on,
            thesis: current_thesis,
            outcome_in_thesis_window: current_thesis
                .is_some_and(|t| attributed().any(|on| on >= t.start_on && on <= t.horizon_on)),
        };
        let (classification, reason_es, reason_en) = classify(&facts);
        let meeting = meetings.get(&*m.id).cloned().unwrap_or_default();
        rows.push(RoiRow {
            membership_id: m.id.clone(),
            city_id: m.city_id.clone(),
            city_name: m.city_name.clone(),
            network_id: m.network_id.clone(),
            network_acronym: m.network_acronym.clone(),
            network_name: m.network_name.clone(),
            status: m.status,
            role: m.role,
            core: m.core,
            renewal_on: m.renewal_on,
            currency: currency.clone(),
            cost_total_minor: cost_total,
            cost,
            staff_hours,
            officials_hours,
            financing_committed_minor: committed,
            financing_disbursed_minor: disbursed,
            // A loan's grant element can be far below zero (a rate far above the
            // discount rate): the equivalent is clamped, never an overflow of the report.
            grant_equivalent_minor: row_figures.grant_equivalent.clamp(
                -i128::from(crate::kinds::MAX_MINOR),
                i128::from(crate::kinds::MAX_MINOR),
            ) as i64,
            arrears_minor,
            arrears_days,
            months_saved: row_figures.months_saved,
            policies_transferred: row_figures.policies,
            outcomes: row_figures.count,
            meetings_held: meeting.held,
            meetings_with_ask: meeting.with_ask,
            asks_achieved: meeting.asks_achieved,
            leverage: leverage(committed, cost_total),
            classification,
            reason_es,
            reason_en,
            thesis_status,
            thesis_id: thesis.map(|t| t.id.clone()),
            thesis_statement: thesis.map(|t| t.statement.clone()),
            thesis_horizon_on: thesis.map(|t| t.horizon_on),
            thesis_review_on: thesis.and_then(|t| t.review_on),
            last_outcome_on,
            first_cost_on,
        });
    }
    warnings.sort();
    warnings.dedup();
    // Loans without usable terms: one warning per kind of problem, naming the loan
    // when it is the only one (a coordinator's file may hold thousands).
    loan_problems.sort_unstable();
    loan_problems.dedup();
    for code in ["loan_terms_missing", "loan_terms_bad"] {
        let rowids: Vec<i64> = loan_problems
            .iter()
            .filter(|(c, _)| *c == code)
            .map(|(_, rowid)| *rowid)
            .collect();
        if rowids.is_empty() {
            continue;
        }
        let mut w = RoiWarning::new(code, rowids.len().to_string(), None);
        if let [only] = rowids.as_slice() {
            let id = outcome_index::outcome_id(store.conn(), *only)?;
            w.label = store.label_of(crate::kinds::RecordKind::Outcome, &id)?;
        }
        warnings.push(w);
    }

    let city_names = store.labels(crate::kinds::RecordKind::City)?;
    let mut general = Vec::with_capacity(general_by_city.len());
    for (city_id, sums) in general_by_city {
        let cost = CategoryCosts::from_sums(&sums.values)?;
        general.push(GeneralCosts {
            city_id: city_id.to_string(),
            city_name: city_names.get(city_id).cloned().unwrap_or_default(),
            cost_total_minor: cost
                .total()
                .ok_or_else(|| Error::Overflow(city_id.to_string()))?,
            cost,
            staff_hours: sums.staff_hours,
            officials_hours: sums.officials_hours,
        });
    }
    general.sort_by(|a, b| (&a.city_name, &a.city_id).cmp(&(&b.city_name, &b.city_id)));

    let by_network = roll_up(
        &rows,
        |r| &r.network_id,
        |r| format!("{} — {}", r.network_acronym, r.network_name),
        &[],
        |_| None,
    )?;
    let mut by_city = roll_up(
        &rows,
        |r| &r.city_id,
        |r| r.city_name.to_string(),
        &general,
        |g| Some((&g.city_id, g.city_name.clone())),
    )?;
    by_city.sort_by(|a, b| (&a.label, &a.id).cmp(&(&b.label, &b.id)));
    let totals = roll_up(
        &rows,
        |_| "",
        |_| String::new(),
        &general,
        |_| Some(("", String::new())),
    )?
    .into_iter()
    .next()
    .unwrap_or_else(|| empty_roll_up(String::new(), String::new()));
    Ok(RoiReport {
        query: query.clone(),
        rows,
        by_network,
        by_city,
        totals,
        general,
        warnings,
        data_stamp: store.data_stamp()?,
    })
}

#[derive(Default)]
struct OutcomeFigures {
    committed: i128,
    disbursed: i128,
    grant_equivalent: i128,
    months_saved: f64,
    policies: f64,
    count: i64,
}

impl OutcomeFigures {
    /// Adds one attribution (`share` of the outcome `o`); a loan whose terms give no
    /// grant element is left out of the grant equivalent and its warning's code returned.
    fn add(
        &mut self,
        o: &OutcomeFacts,
        share: f64,
        currency: &str,
        rates: &crate::money::RateTable,
        discount_rate: f64,
        warnings: &mut Vec<RoiWarning>,
    ) -> Option<&'static str> {
        self.count += 1;
        match o.kind {
            OutcomeKind::Acceleration => self.months_saved += months_credit(o, share),
            OutcomeKind::PolicyTransfer => self.policies += share,
            OutcomeKind::Financing => match financing_credit(o, share, currency, rates) {
                FinancingCredit::Amounts {
                    committed,
                    disbursed,
                } => {
                    let (c, d) = (
                        crate::money::to_minor(committed),
                        crate::money::to_minor(disbursed),
                    );
                    match (c, d) {
                        (Some(c), Some(d)) => {
                            self.committed += i128::from(c);
                            self.disbursed += i128::from(d);
                            match grant_share(o, discount_rate) {
                                Ok(share) => {
                                    if let Some(g) = crate::money::to_minor(committed * share) {
                                        self.grant_equivalent += i128::from(g);
                                    }
                                }
                                // Said once per outcome, counted at the end.
                                Err(code) if c > 0 => return Some(code),
                                Err(_) => {}
                            }
                        }
                        _ => warnings.push(RoiWarning::new("value_out_of_range", "1", None)),
                    }
                }
                FinancingCredit::NoCurrency => {}
                FinancingCredit::MissingRate(from) => warnings.push(RoiWarning::new(
                    "missing_exchange_rate",
                    from,
                    Some(o.occurred_on),
                )),
            },
        }
        None
    }
}

/// Months saved credited to one attribution: the outcome's months times its share.
pub fn months_credit(o: &OutcomeFacts, share: f64) -> f64 {
    o.months_saved.unwrap_or(0.0) * share
}

/// What one attribution of a financing outcome credits to its membership.
#[derive(Debug, Clone, PartialEq)]
pub enum FinancingCredit {
    /// Minor units of the reporting currency, already multiplied by the share (unrounded).
    Amounts { committed: f64, disbursed: f64 },
    /// The outcome names no currency: it counts for nothing.
    NoCurrency,
    /// No exchange rate for this currency on the outcome's date.
    MissingRate(String),
}

/// The financing rule, shared by the report and the financing chart so both always agree:
/// an amount counts as committed once the status is committed or disbursed, and as
/// disbursed (up to the committed amount) once disbursed, unless the outcome records those
/// figures itself; it is converted on the outcome's date and multiplied by the share.
pub fn financing_credit(
    o: &OutcomeFacts,
    share: f64,
    currency: &str,
    rates: &crate::money::RateTable,
) -> FinancingCredit {
    let (committed, disbursed) = financing_amounts(o);
    let Some(from) = o.currency() else {
        return FinancingCredit::NoCurrency;
    };
    match rates.factor(from, currency, o.occurred_on) {
        Some(f) => FinancingCredit::Amounts {
            committed: committed as f64 * f * share,
            disbursed: disbursed as f64 * f * share,
        },
        None => FinancingCredit::MissingRate(from.to_string()),
    }
}

/// Committed and disbursed amounts of a financing outcome in its own currency, before
/// share and conversion.
pub fn financing_amounts(o: &OutcomeFacts) -> (i64, i64) {
    let o = o.financing();
    let amount = o.amount_minor.unwrap_or(0);
    let committed = o.committed_minor.unwrap_or(match o.financing_status {
        Some(FinancingStatus::Committed | FinancingStatus::Disbursed) => amount,
        _ => 0,
    });
    let disbursed = o.disbursed_minor.unwrap_or(match o.financing_status {
        Some(FinancingStatus::Disbursed) => committed,
        _ => 0,
    });
    (committed, disbursed)
}

/// The share of an attributed financing outcome's committed amount that is a gift:
/// its grant element (a grant whole, a guarantee or equity nothing), or the warning's
/// code when a loan's terms are missing or impossible.
pub fn grant_share(o: &OutcomeFacts, discount_rate: f64) -> std::result::Result<f64, &'static str> {
    use crate::grant::GrantElement;
    let o = o.financing();
    let Some(instrument) = o.instrument else {
        return Err("loan_terms_missing");
    };
    match crate::grant::grant_element(
        instrument,
        o.interest_rate,
        o.tenor_years,
        o.grace_years,
        o.repayment_profile,
        o.payments_per_year,
        discount_rate,
    ) {
        GrantElement::Share(s) => Ok(s),
        GrantElement::Full => Ok(1.0),
        GrantElement::NotApplicable => Ok(0.0),
        GrantElement::MissingTerms(_) => Err("loan_terms_missing"),
        GrantElement::BadTerms(_) => Err("loan_terms_bad"),
    }
}

struct Facts<'a> {
    query: &'a RoiQuery,
    membership_status: MembershipStatus,
    ended: bool,
    cost_total: i64,
    first_cost_on: Option<NaiveDate>,
    outcomes_in_period: i64,
    recent_outcome: bool,
    last_outcome_on: Option<NaiveDate>,
    thesis: Option<&'a ThesisInfo>,
    outcome_in_thesis_window: bool,
}

/// The five rules, in order; the first that matches decides. Returns the reason in
/// Spanish and English.
fn classify(f: &Facts) -> (Classification, String, String) {
    let both = |c: Classification, es: String, en: String| (c, es, en);
    let d = |date: NaiveDate, lang: Lang| format::date(date, lang);
    let money = |lang: Lang| format::money_short(f.cost_total, &f.query.currency, lang);
    let has_outcome = f.recent_outcome || f.outcomes_in_period > 0;

    // 1. inactive
    if f.membership_status != MembershipStatus::Active || f.ended {
        let (es, en) = match f.membership_status {
            MembershipStatus::Suspended => (
                "la membresía está suspendida",
                "the membership is suspended",
            ),
            _ => ("la membresía terminó", "the membership has ended"),
        };
        return both(
            Classification::Inactive,
            format!("Inactiva: {es}."),
            format!("Inactive: {en}."),
        );
    }
    if f.cost_total == 0 && f.outcomes_in_period == 0 {
        return both(
            Classification::Inactive,
            "Inactiva: sin costo ni resultados en el periodo.".into(),
            "Inactive: no cost and no outcome in the period.".into(),
        );
    }
    // 2. strategic
    if let Some(t) = f.thesis {
        if f.outcome_in_thesis_window || f.recent_outcome {
            let last = f
                .last_outcome_on
                .map(|x| (d(x, Lang::Es), d(x, Lang::En)))
                .unwrap_or_default();
            return both(
                Classification::Strategic,
                format!(
                    "Estratégica: tesis vigente hasta el {} y resultado atribuido el {}.",
                    d(t.horizon_on, Lang::Es),
                    last.0
                ),
                format!(
                    "Strategic: current thesis to {} and an outcome attributed on {}.",
                    d(t.horizon_on, Lang::En),
                    last.1
                ),
            );
        }
        // 3. developing
        if t.horizon_on >= f.query.to {
            return both(
                Classification::Developing,
                format!(
                    "En desarrollo: tesis vigente hasta el {}, aún sin resultados.",
                    d(t.horizon_on, Lang::Es)
                ),
                format!(
                    "Developing: current thesis to {}, no outcome yet.",
                    d(t.horizon_on, Lang::En)
                ),
            );
        }
    }
    // 4. passive
    if f.cost_total > 0 && !f.recent_outcome {
        let since = f.first_cost_on.unwrap_or(f.query.from);
        let (thesis_es, thesis_en) = match f.thesis {
            Some(t) => (
                format!("tesis vencida el {}", d(t.horizon_on, Lang::Es)),
                format!("thesis expired on {}", d(t.horizon_on, Lang::En)),
            ),
            None => ("sin tesis".to_string(), "no thesis".to_string()),
        };
        return both(
            Classification::Passive,
            format!(
                "Pasiva: {} gastados desde {}, ningún resultado en {OUTCOME_WINDOW_MONTHS} meses, {thesis_es}.",
                money(Lang::Es),
                format::month_year(since, Lang::Es)
            ),
            format!(
                "Passive: {} spent since {}, no outcome in {OUTCOME_WINDOW_MONTHS} months, {thesis_en}.",
                money(Lang::En),
                format::month_year(since, Lang::En)
            ),
        );
    }
    // 5. unsteered
    if has_outcome {
        return both(
            Classification::Unsteered,
            format!(
                "Sin rumbo: {} resultado(s) en el periodo, pero sin tesis vigente.",
                f.outcomes_in_period
            ),
            format!(
                "Unsteered: {} outcome(s) in the period, but no current thesis.",
                f.outcomes_in_period
            ),
        );
    }
    both(
        Classification::Passive,
        format!("Pasiva: {} gastados, ningún resultado.", money(Lang::Es)),
        format!("Passive: {} spent, no outcome.", money(Lang::En)),
    )
}

fn empty_roll_up(id: String, label: String) -> RoiRollUp {
    RoiRollUp {
        id,
        label,
        memberships: 0,
        cost: CategoryCosts::default(),
        cost_total_minor: 0,
        general_cost_minor: 0,
        staff_hours: 0.0,
        officials_hours: 0.0,
        financing_committed_minor: 0,
        financing_disbursed_minor: 0,
        grant_equivalent_minor: 0,
        arrears_minor: 0,
        months_saved: 0.0,
        policies_transferred: 0.0,
        meetings_held: 0,
        leverage: None,
        strategic: 0,
        developing: 0,
        unsteered: 0,
        passive: 0,
        inactive: 0,
    }
}

/// Groups rows (and general costs, where `general_key` places them) into roll-ups,
/// in the order their keys first appear; a group's label is made once, from its
/// first row.
fn roll_up<'r>(
    rows: &'r [RoiRow],
    key: impl Fn(&'r RoiRow) -> &'r str,
    label: impl Fn(&RoiRow) -> String,
    general: &'r [GeneralCosts],
    general_key: impl Fn(&'r GeneralCosts) -> Option<(&'r str, String)>,
) -> Result<Vec<RoiRollUp>> {
    let add = |a: i64, b: i64| checked(i128::from(a) + i128::from(b));
    let mut slots: HashMap<&'r str, usize> = HashMap::new();
    let mut groups: Vec<RoiRollUp> = Vec::new();
    let mut slot_of = |id: &'r str, label: &dyn Fn() -> String| -> usize {
        *slots.entry(id).or_insert_with(|| {
            groups.push(empty_roll_up(id.to_string(), label()));
            groups.len() - 1
        })
    };
    // Every key is placed before any sum, so the groups' order is the rows' keys, then
    // the general costs'.
    let row_slots: Vec<usize> = rows.iter().map(|r| slot_of(key(r), &|| label(r))).collect();
    let mut general_slots = Vec::new();
    for g in general {
        if let Some((id, label)) = general_key(g) {
            general_slots.push((slot_of(id, &|| label.clone()), g));
        }
    }
    for (row, slot) in rows.iter().zip(row_slots) {
        let group = &mut groups[slot];
        group.memberships += 1;
        group.cost.add(&row.cost)?;
        group.cost_total_minor = add(group.cost_total_minor, row.cost_total_minor)?;
        group.staff_hours += row.staff_hours;
        group.officials_hours += row.officials_hours;
        group.financing_committed_minor = add(
            group.financing_committed_minor,
            row.financing_committed_minor,
        )?;
        group.financing_disbursed_minor = add(
            group.financing_disbursed_minor,
            row.financing_disbursed_minor,
        )?;
        group.grant_equivalent_minor = group
            .grant_equivalent_minor
            .saturating_add(row.grant_equivalent_minor);
        group.arrears_minor = add(group.arrears_minor, row.arrears_minor)?;
        group.months_saved += row.months_saved;
        group.policies_transferred += row.policies_transferred;
        group.meetings_held += row.meetings_held;
        *match row.classification {
            Classification::Strategic => &mut group.strategic,
            Classification::Developing => &mut group.developing,
            Classification::Unsteered => &mut group.unsteered,
            Classification::Passive => &mut group.passive,
            Classification::Inactive => &mut group.inactive,
        } += 1;
    }
    for (slot, g) in general_slots {
        let group = &mut groups[slot];
        group.cost.add(&g.cost)?;
        group.cost_total_minor = add(group.cost_total_minor, g.cost_total_minor)?;
        group.general_cost_minor = add(group.general_cost_minor, g.cost_total_minor)?;
        group.staff_hours += g.staff_hours;
        group.officials_hours += g.officials_hours;
    }
    for g in &mut groups {
        g.leverage = leverage(g.financing_committed_minor, g.cost_total_minor);
    }
    Ok(groups)
}

/// What the dashboard shows beside the report.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub report: RoiReport,
    /// Rows whose thesis is due for review (at most `MAX_DASHBOARD_LIST`).
    pub theses_due: Vec<RoiRow>,
    #[ts(type = "number")]
    pub theses_due_total: u64,
    /// Active memberships renewing within 90 days of the period's end (at most
    /// `MAX_DASHBOARD_LIST`, soonest first).
    pub renewals: Vec<RoiRow>,
    #[ts(type = "number")]
    pub renewals_total: u64,
    /// The membership rows the window chose, before paging (all rows without one).
    #[ts(type = "number")]
    pub rows_total: u64,
}

/// Which membership rows a dashboard of many cities carries: those of one network or
/// one city, one page of them (a limit of 0: none, the roll-ups alone). The roll-ups
/// are always whole.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Default)]
pub struct RowsWindow {
    #[serde(default)]
    pub network_id: Option<String>,
    #[serde(default)]
    pub city_id: Option<String>,
    #[serde(default)]
    #[ts(type = "number")]
    pub offset: u64,
    #[serde(default)]
    pub limit: u32,
}

/// The most theses due and renewals a dashboard lists (the rest are counted).
pub const MAX_DASHBOARD_LIST: usize = 50;
/// The most membership rows one page of a dashboard carries.
pub const MAX_DASHBOARD_ROWS: u32 = 500;

pub fn dashboard(store: &Store, query: &RoiQuery) -> Result<Dashboard> {
    dashboard_window(store, query, None)
}

/// The dashboard; with a window, only that window's membership rows (and the general
/// work of its city): a coordinator's file has hundreds of thousands of memberships.
pub fn dashboard_window(
    store: &Store,
    query: &RoiQuery,
    window: Option<&RowsWindow>,
) -> Result<Dashboard> {
    let kept = store.report_for(query, || compute(store, query))?;
    let mut theses_due: Vec<RoiRow> = kept
        .rows
        .iter()
        .filter(|r| r.thesis_status == ThesisStatus::DueForReview)
        .cloned()
        .collect();
    let theses_due_total = theses_due.len() as u64;
    theses_due.truncate(MAX_DASHBOARD_LIST);
    let horizon = query.to + chrono::Days::new(90);
    let mut renewals: Vec<RoiRow> = kept
        .rows
        .iter()
        .filter(|r| {
            r.status == MembershipStatus::Active
                && r.renewal_on.is_some_and(|d| d >= query.to && d <= horizon)
        })
        .cloned()
        .collect();
    renewals.sort_by_key(|r| r.renewal_on);
    let renewals_total = renewals.len() as u64;
    renewals.truncate(MAX_DASHBOARD_LIST);
    // Only the window's rows are copied out of the kept report.
    let (rows, rows_total, general) = match window {
        None => (
            kept.rows.clone(),
            kept.rows.len() as u64,
            kept.general.clone(),
        ),
        Some(w) => {
            let chosen = |r: &&RoiRow| {
                w.network_id.as_ref().is_none_or(|n| **n == *r.network_id)
                    && w.city_id.as_ref().is_none_or(|c| **c == *r.city_id)
            };
            let rows_total = kept.rows.iter().filter(chosen).count() as u64;
            let limit = w.limit.min(MAX_DASHBOARD_ROWS) as usize;
            let offset = usize::try_from(w.offset).unwrap_or(usize::MAX);
            let rows = kept
                .rows
                .iter()
                .filter(chosen)
                .skip(offset)
                .take(limit)
                .cloned()
                .collect();
            // General work is a city's, never a network's.
            let general = kept
                .general
                .iter()
                .filter(|g| {
                    w.network_id.is_none() && w.city_id.as_ref().is_some_and(|c| *c == g.city_id)
                })
                .cloned()
                .collect();
            (rows, rows_total, general)
        }
    };
    let report = RoiReport {
        query: kept.query.clone(),
        rows,
        by_network: kept.by_network.clone(),
        by_city: kept.by_city.clone(),
        totals: kept.totals.clone(),
        general,
        warnings: kept.warnings.clone(),
        data_stamp: kept.data_stamp,
    };
    Ok(Dashboard {
        report,
        theses_due,
        theses_due_total,
        renewals,
        renewals_total,
        rows_total,
    })
}
