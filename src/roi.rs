//! The ROI engine: for a period, a reporting currency and optionally one city, one row
//! per membership with its cost, its outcomes, its meetings, its leverage and its
//! classification with the reason, plus roll-ups per network and per city.
//! Every rule of the return lives here; front ends only show these rows.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::{self, Lang};
use crate::model::{CostCategory, FinancingStatus, MembershipRole, MembershipStatus, OutcomeKind};
use crate::store::roi::{AttributedOutcome, MeetingCounts, ThesisInfo};
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

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Inactive,
    Strategic,
    Developing,
    Passive,
    Unsteered,
}

impl Classification {
    pub const ALL: [Classification; 5] = [
        Classification::Strategic,
        Classification::Developing,
        Classification::Unsteered,
        Classification::Passive,
        Classification::Inactive,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Classification::Inactive => lang.pick("Inactiva", "Inactive"),
            Classification::Strategic => lang.pick("Estratégica", "Strategic"),
            Classification::Developing => lang.pick("En desarrollo", "Developing"),
            Classification::Passive => lang.pick("Pasiva", "Passive"),
            Classification::Unsteered => lang.pick("Sin rumbo", "Unsteered"),
        }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ThesisStatus {
    None,
    Open,
    DueForReview,
    Reviewed,
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

    pub fn total(&self) -> i64 {
        CostCategory::ALL.iter().map(|c| self.get(*c)).sum()
    }

    fn add(&mut self, other: &CategoryCosts) {
        for c in CostCategory::ALL {
            *self.slot(*c) += other.get(*c);
        }
    }
}

/// Something the figures could not take into account.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoiWarning {
    /// `missing_exchange_rate`, `missing_role_rate` or `shares_over_100`.
    pub code: String,
    /// The currency, role or outcome concerned.
    pub subject: String,
    pub on: Option<NaiveDate>,
}

impl RoiWarning {
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
            (_, Lang::Es) => format!(
                "Las participaciones del resultado «{}» suman más de 100 %",
                self.subject
            ),
            (_, Lang::En) => format!(
                "Shares of outcome “{}” add up to more than 100 %",
                self.subject
            ),
        }
    }
}

/// One membership's figures for the period.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RoiRow {
    pub membership_id: String,
    pub city_id: String,
    pub city_name: String,
    pub network_id: String,
    pub network_acronym: String,
    pub network_name: String,
    pub status: MembershipStatus,
    pub role: MembershipRole,
    pub core: bool,
    pub renewal_on: Option<NaiveDate>,
    /// Reporting currency of every `_minor` figure.
    pub currency: String,
    pub cost: CategoryCosts,
    #[ts(type = "number")]
    pub cost_total_minor: i64,
    pub staff_hours: f64,
    pub officials_hours: f64,
    #[ts(type = "number")]
    pub financing_committed_minor: i64,
    #[ts(type = "number")]
    pub financing_disbursed_minor: i64,
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
    pub thesis_id: Option<String>,
    pub thesis_statement: Option<String>,
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
    /// Costs of the city not tied to any membership (city roll-ups only).
    #[ts(type = "number")]
    pub unassigned_cost_minor: i64,
    pub staff_hours: f64,
    pub officials_hours: f64,
    #[ts(type = "number")]
    pub financing_committed_minor: i64,
    #[ts(type = "number")]
    pub financing_disbursed_minor: i64,
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
    let outcomes = store.roi_outcomes(query.to, city)?;
    let meetings: HashMap<String, MeetingCounts> = store
        .roi_meetings(query.from, query.to, city)?
        .into_iter()
        .collect();
    let mut theses: HashMap<&str, &ThesisInfo> = HashMap::new();
    let thesis_list = store.roi_theses(query.to, city)?;
    for t in &thesis_list {
        theses.entry(t.membership_id.as_str()).or_insert(t);
    }

    let mut warnings: Vec<RoiWarning> = Vec::new();
    for (currency, on) in &missing.exchange {
        warnings.push(RoiWarning {
            code: "missing_exchange_rate".into(),
            subject: currency.clone(),
            on: Some(*on),
        });
    }
    for (role, on) in &missing.role {
        warnings.push(RoiWarning {
            code: "missing_role_rate".into(),
            subject: role.clone(),
            on: Some(*on),
        });
    }

    let mut cost_by_membership: HashMap<&str, (CategoryCosts, f64, f64, Option<NaiveDate>)> =
        HashMap::new();
    let mut unassigned_by_city: HashMap<&str, i64> = HashMap::new();
    for agg in &costs {
        let minor = agg.value_minor.round() as i64;
        match &agg.membership_id {
            Some(m) => {
                let entry = cost_by_membership.entry(m.as_str()).or_default();
                *entry.0.slot(agg.category) += minor;
                match agg.category {
                    CostCategory::StaffTime => entry.1 += agg.hours,
                    CostCategory::OfficialsTime => entry.2 += agg.hours,
                    _ => {}
                }
                entry.3 = match (entry.3, agg.first_on) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            None => *unassigned_by_city.entry(agg.city_id.as_str()).or_default() += minor,
        }
    }

    let mut outcomes_by_membership: HashMap<&str, Vec<&AttributedOutcome>> = HashMap::new();
    for o in &outcomes {
        outcomes_by_membership
            .entry(o.membership_id.as_str())
            .or_default()
            .push(o);
        if o.total_share_bp > 10_000
            && !warnings
                .iter()
                .any(|w| w.code == "shares_over_100" && w.subject == o.outcome_id)
        {
            warnings.push(RoiWarning {
                code: "shares_over_100".into(),
                subject: o.outcome_id.clone(),
                on: Some(o.occurred_on),
            });
        }
    }

    let recent_from = window_start(query.to);
    let mut rows = Vec::with_capacity(memberships.len());
    for m in &memberships {
        let (cost, staff_hours, officials_hours, first_cost_on) =
            cost_by_membership.remove(m.id.as_str()).unwrap_or_default();
        let attributed = outcomes_by_membership
            .get(m.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let mut row_figures = OutcomeFigures::default();
        for o in attributed.iter().filter(|o| o.occurred_on >= query.from) {
            row_figures.add(o, &query.currency, &rates, &mut warnings);
        }
        let last_outcome_on = attributed.iter().map(|o| o.occurred_on).max();
        let thesis = theses.get(m.id.as_str()).copied();
        let thesis_status = match thesis {
            None => ThesisStatus::None,
            Some(t) if t.reviewed => ThesisStatus::Reviewed,
            Some(t) if t.review_on.is_some_and(|r| r <= query.to) || t.horizon_on <= query.to => {
                ThesisStatus::DueForReview
            }
            Some(_) => ThesisStatus::Open,
        };
        let current_thesis = thesis.filter(|t| !t.reviewed);
        let cost_total = cost.total();
        let facts = Facts {
            query,
            membership_status: m.status,
            ended: m.ended_on.is_some_and(|e| e <= query.to),
            cost_total,
            first_cost_on,
            outcomes_in_period: row_figures.count,
            recent_outcome: attributed.iter().any(|o| o.occurred_on >= recent_from),
            last_outcome_on,
            thesis: current_thesis,
            outcome_in_thesis_window: current_thesis.is_some_and(|t| {
                attributed
                    .iter()
                    .any(|o| o.occurred_on >= t.start_on && o.occurred_on <= t.horizon_on)
            }),
        };
        let (classification, reason_es, reason_en) = classify(&facts);
        let meeting = meetings.get(&m.id).cloned().unwrap_or_default();
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
            currency: query.currency.clone(),
            cost_total_minor: cost_total,
            cost,
            staff_hours,
            officials_hours,
            financing_committed_minor: row_figures.committed.round() as i64,
            financing_disbursed_minor: row_figures.disbursed.round() as i64,
            months_saved: row_figures.months_saved,
            policies_transferred: row_figures.policies,
            outcomes: row_figures.count,
            meetings_held: meeting.held,
            meetings_with_ask: meeting.with_ask,
            asks_achieved: meeting.asks_achieved,
            leverage: leverage(row_figures.committed.round() as i64, cost_total),
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

    let by_network = roll_up(
        &rows,
        |r| {
            (
                r.network_id.clone(),
                format!("{} — {}", r.network_acronym, r.network_name),
            )
        },
        &HashMap::new(),
    );
    let unassigned: HashMap<String, i64> = unassigned_by_city
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let by_city = roll_up(
        &rows,
        |r| (r.city_id.clone(), r.city_name.clone()),
        &unassigned,
    );
    let all_unassigned: HashMap<String, i64> = [(String::new(), unassigned.values().sum())]
        .into_iter()
        .collect();
    let totals = roll_up(&rows, |_| (String::new(), String::new()), &all_unassigned)
        .into_iter()
        .next()
        .unwrap_or_else(|| empty_roll_up(String::new(), String::new(), all_unassigned[""]));
    Ok(RoiReport {
        query: query.clone(),
        rows,
        by_network,
        by_city,
        totals,
        warnings,
        data_stamp: store.data_stamp()?,
    })
}

#[derive(Default)]
struct OutcomeFigures {
    committed: f64,
    disbursed: f64,
    months_saved: f64,
    policies: f64,
    count: i64,
}

impl OutcomeFigures {
    fn add(
        &mut self,
        o: &AttributedOutcome,
        currency: &str,
        rates: &crate::money::RateTable,
        warnings: &mut Vec<RoiWarning>,
    ) {
        self.count += 1;
        match o.kind {
            OutcomeKind::Acceleration => {
                self.months_saved += o.months_saved.unwrap_or(0.0) * o.share
            }
            OutcomeKind::PolicyTransfer => self.policies += o.share,
            OutcomeKind::Financing => match financing_credit(o, currency, rates) {
                FinancingCredit::Amounts {
                    committed,
                    disbursed,
                } => {
                    self.committed += committed;
                    self.disbursed += disbursed;
                }
                FinancingCredit::NoCurrency => {}
                FinancingCredit::MissingRate(from) => warnings.push(RoiWarning {
                    code: "missing_exchange_rate".into(),
                    subject: from,
                    on: Some(o.occurred_on),
                }),
            },
        }
    }
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
    o: &AttributedOutcome,
    currency: &str,
    rates: &crate::money::RateTable,
) -> FinancingCredit {
    let amount = o.amount_minor.unwrap_or(0);
    let committed = o.committed_minor.unwrap_or(match o.financing_status {
        Some(FinancingStatus::Committed | FinancingStatus::Disbursed) => amount,
        _ => 0,
    });
    let disbursed = o.disbursed_minor.unwrap_or(match o.financing_status {
        Some(FinancingStatus::Disbursed) => committed,
        _ => 0,
    });
    let Some(from) = o.currency.as_deref() else {
        return FinancingCredit::NoCurrency;
    };
    match rates.factor(from, currency, o.occurred_on) {
        Some(f) => FinancingCredit::Amounts {
            committed: committed as f64 * f * o.share,
            disbursed: disbursed as f64 * f * o.share,
        },
        None => FinancingCredit::MissingRate(from.to_string()),
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

fn empty_roll_up(id: String, label: String, unassigned: i64) -> RoiRollUp {
    RoiRollUp {
        id,
        label,
        memberships: 0,
        cost: CategoryCosts::default(),
        cost_total_minor: 0,
        unassigned_cost_minor: unassigned,
        staff_hours: 0.0,
        officials_hours: 0.0,
        financing_committed_minor: 0,
        financing_disbursed_minor: 0,
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

fn roll_up(
    rows: &[RoiRow],
    key: impl Fn(&RoiRow) -> (String, String),
    unassigned: &HashMap<String, i64>,
) -> Vec<RoiRollUp> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, RoiRollUp> = HashMap::new();
    for row in rows {
        let (id, label) = key(row);
        let group = groups.entry(id.clone()).or_insert_with(|| {
            order.push(id.clone());
            empty_roll_up(id.clone(), label, unassigned.get(&id).copied().unwrap_or(0))
        });
        group.memberships += 1;
        group.cost.add(&row.cost);
        group.cost_total_minor += row.cost_total_minor;
        group.staff_hours += row.staff_hours;
        group.officials_hours += row.officials_hours;
        group.financing_committed_minor += row.financing_committed_minor;
        group.financing_disbursed_minor += row.financing_disbursed_minor;
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
    order
        .into_iter()
        .filter_map(|id| groups.remove(&id))
        .map(|mut g| {
            g.leverage = leverage(g.financing_committed_minor, g.cost_total_minor);
            g
        })
        .collect()
}

/// What the dashboard shows beside the report.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Dashboard {
    pub report: RoiReport,
    /// Rows whose thesis is due for review.
    pub theses_due: Vec<RoiRow>,
    /// Active memberships renewing within 90 days of the period's end.
    pub renewals: Vec<RoiRow>,
}

pub fn dashboard(store: &Store, query: &RoiQuery) -> Result<Dashboard> {
    let report = compute(store, query)?;
    let theses_due = report
        .rows
        .iter()
        .filter(|r| r.thesis_status == ThesisStatus::DueForReview)
        .cloned()
        .collect();
    let horizon = query.to + chrono::Days::new(90);
    let mut renewals: Vec<RoiRow> = report
        .rows
        .iter()
        .filter(|r| {
            r.status == MembershipStatus::Active
                && r.renewal_on.is_some_and(|d| d >= query.to && d <= horizon)
        })
        .cloned()
        .collect();
    renewals.sort_by_key(|r| r.renewal_on);
    Ok(Dashboard {
        report,
        theses_due,
        renewals,
    })
}
