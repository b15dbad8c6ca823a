//! The budget cycle: what a network's dues would be under its fee rules, where a
//! membership's invoices stand (paid, partly paid, in arrears), and the proposal for a
//! fiscal year with the core's recommendation per membership. Pure rules over records;
//! the store reads them (`store/budget.rs`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::format::{self, Lang};
use crate::kinds::MAX_MINOR;
use crate::model::*;
use crate::money::RateTable;
use crate::roi::Classification;

// ---- settings ---------------------------------------------------------------------------

/// The office's budget settings.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetSettings {
    /// First month of the fiscal year, 1–12 (Mexico and Colombia: 1, January).
    pub fiscal_year_start_month: u32,
    /// Discount rate of the grant element, percent a year (5: the IMF and World
    /// Bank's unified rate; 10: the older DAC convention).
    pub discount_rate_pct: f64,
}

impl Default for BudgetSettings {
    fn default() -> Self {
        BudgetSettings {
            fiscal_year_start_month: 1,
            discount_rate_pct: 5.0,
        }
    }
}

impl BudgetSettings {
    pub fn check(&self) -> crate::Result<()> {
        use crate::Error;
        if !(1..=12).contains(&self.fiscal_year_start_month) {
            return Err(Error::invalid("fiscal_year_start_month", "out_of_range"));
        }
        if !self.discount_rate_pct.is_finite()
            || self.discount_rate_pct <= 0.0
            || self.discount_rate_pct > 100.0
        {
            return Err(Error::invalid("discount_rate_pct", "out_of_range"));
        }
        Ok(())
    }

    /// The first and last day of fiscal year `year`: it starts in the setting's month
    /// of that calendar year.
    pub fn period(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let month = self.fiscal_year_start_month.clamp(1, 12);
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = from.checked_add_months(chrono::Months::new(12))?;
        Some((from, next.pred_opt()?))
    }

    /// The fiscal year a date falls in.
    pub fn year_of(&self, on: NaiveDate) -> i32 {
        if on.month() >= self.fiscal_year_start_month {
            on.year()
        } else {
            on.year() - 1
        }
    }
}

// ---- dues estimate ------------------------------------------------------------------------

/// What a network's fee rules give for a city, on a date.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DuesEstimate {
    /// The yearly dues in minor units of `currency`, by the rule `rule_id`.
    Amount {
        #[ts(type = "number")]
        minor: i64,
        currency: String,
        rule_id: String,
        basis: FeeBasis,
        /// The minimum or maximum of the rule decided the amount.
        bounded: Option<String>,
    },
    /// The network publishes no amount (the rule says where it looked).
    Unpublished { rule_id: String, source: String },
    /// No rule of the network is valid on the date.
    NoRule,
    /// The rule needs the city's population.
    NeedsPopulation { rule_id: String },
    /// The rule needs the country's income group.
    NeedsIncomeGroup { rule_id: String },
    /// The rule's table has no band (or no amount) for this city.
    NoBand { rule_id: String },
}

impl DuesEstimate {
    pub fn minor(&self) -> Option<(i64, &str)> {
        match self {
            DuesEstimate::Amount {
                minor, currency, ..
            } => Some((*minor, currency.as_str())),
            _ => None,
        }
    }

    /// The estimate in words, for the membership's form and the budget.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            DuesEstimate::Amount {
                minor,
                currency,
                basis,
                bounded,
                ..
            } => {
                let amount = format::money(*minor, currency);
                let by = basis.label(lang).to_lowercase();
                match bounded.as_deref() {
                    Some("min") => {
                        format!("{amount} ({by}; {})", lang.pick("el mínimo", "the minimum"))
                    }
                    Some("max") => {
                        format!("{amount} ({by}; {})", lang.pick("el máximo", "the maximum"))
                    }
                    _ => format!("{amount} ({by})"),
                }
            }
            DuesEstimate::Unpublished { source, .. } => format!(
                "{} ({source})",
                lang.pick(
                    "la red no publica el monto",
                    "the network publishes no amount"
                )
            ),
            DuesEstimate::NoRule => lang
                .pick(
                    "no hay regla de cuota vigente para esta red",
                    "no fee rule of this network is in force",
                )
                .into(),
            DuesEstimate::NeedsPopulation { .. } => lang
                .pick(
                    "la regla depende de la población: regístrela en la ciudad",
                    "the rule depends on population: record it on the city",
                )
                .into(),
            DuesEstimate::NeedsIncomeGroup { .. } => lang
                .pick(
                    "la regla depende del grupo de ingreso del país: regístrelo en la ciudad",
                    "the rule depends on the country's income group: record it on the city",
                )
                .into(),
            DuesEstimate::NoBand { .. } => lang
                .pick(
                    "la tabla de la red no tiene monto para esta ciudad",
                    "the network's table has no amount for this city",
                )
                .into(),
        }
    }
}

fn in_force(rule: &FeeRule, on: NaiveDate) -> bool {
    !rule.meta.deleted && rule.valid_from <= on && rule.valid_to.is_none_or(|to| on <= to)
}

fn group_amount(rule: &FeeRule, group: IncomeGroup) -> Option<i64> {
    match group {
        IncomeGroup::Low => rule.low_minor,
        IncomeGroup::LowerMiddle => rule.lower_middle_minor,
        IncomeGroup::UpperMiddle => rule.upper_middle_minor,
        IncomeGroup::High => rule.high_minor,
    }
}

/// The dues a city would owe a network on `on`, by the newest of the network's rules
/// in force (for a table by population, the newest rules' band that holds the city).
pub fn estimate_dues(
    rules: &[FeeRule],
    network_id: &str,
    population: Option<i64>,
    income: Option<IncomeGroup>,
    on: NaiveDate,
) -> DuesEstimate {
    let mut valid: Vec<&FeeRule> = rules
        .iter()
        .filter(|r| r.network_id == network_id && in_force(r, on))
        .collect();
    let Some(newest) = valid.iter().map(|r| r.valid_from).max() else {
        return DuesEstimate::NoRule;
    };
    valid.retain(|r| r.valid_from == newest);
    valid.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    let first = valid[0];
    let id = || first.meta.id.clone();
    let currency = first.currency.clone().unwrap_or_default();
    let bound = |raw: i64, rule: &FeeRule| -> (i64, Option<String>) {
        if let Some(min) = rule.min_minor.filter(|min| raw < *min) {
            return (min, Some("min".into()));
        }
        if let Some(max) = rule.max_minor.filter(|max| raw > *max) {
            return (max, Some("max".into()));
        }
        (raw, None)
    };
    let amount = |minor: i64, bounded: Option<String>, rule: &FeeRule| DuesEstimate::Amount {
        minor,
        currency: rule.currency.clone().unwrap_or_default(),
        rule_id: rule.meta.id.clone(),
        basis: rule.basis,
        bounded,
    };
    match first.basis {
        FeeBasis::Unpublished => DuesEstimate::Unpublished {
            rule_id: id(),
            source: first.source.clone(),
        },
        FeeBasis::Flat => match first.amount_minor {
            Some(minor) => amount(minor, None, first),
            None => DuesEstimate::NoBand { rule_id: id() },
        },
        FeeBasis::PerResident => {
            let Some(population) = population else {
                return DuesEstimate::NeedsPopulation { rule_id: id() };
            };
            let Some(rate) = first.per_resident.filter(|r| r.is_finite() && *r >= 0.0) else {
                return DuesEstimate::NoBand { rule_id: id() };
            };
            let scale = 10f64.powi(crate::money::exponent(&currency) as i32);
            let raw = population as f64 * rate * scale;
            // Past the largest amount the file holds, the maximum (if any) still decides.
            let raw = if raw.is_finite() && raw <= MAX_MINOR as f64 {
                raw.round() as i64
            } else {
                MAX_MINOR
            };
            let (minor, bounded) = bound(raw, first);
            amount(minor, bounded, first)
        }
        FeeBasis::IncomeGroup | FeeBasis::PopulationIncome => {
            let Some(group) = income else {
                return DuesEstimate::NeedsIncomeGroup { rule_id: id() };
            };
            let rule = if first.basis == FeeBasis::PopulationIncome {
                let Some(population) = population else {
                    return DuesEstimate::NeedsPopulation { rule_id: id() };
                };
                match valid.iter().find(|r| {
                    r.population_from.is_none_or(|f| population >= f)
                        && r.population_to.is_none_or(|t| population <= t)
                }) {
                    Some(r) => *r,
                    None => return DuesEstimate::NoBand { rule_id: id() },
                }
            } else {
                first
            };
            match group_amount(rule, group) {
                Some(raw) => {
                    let (minor, bounded) = bound(raw, rule);
                    amount(minor, bounded, rule)
                }
                None => DuesEstimate::NoBand {
                    rule_id: rule.meta.id.clone(),
                },
            }
        }
    }
}

// ---- invoices -------------------------------------------------------------------------------

crate::model::text_enum!(
    /// Where an invoice stands.
    InvoiceStatus "invoice_status" {
        Unpaid = "unpaid" ("Sin pagar", "Unpaid"),
        PartlyPaid = "partly_paid" ("Pagada en parte", "Partly paid"),
        Paid = "paid" ("Pagada", "Paid"),
        Waived = "waived" ("Condonada", "Waived"),
    }
);

/// One payment of an invoice: a dues cost that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub invoice_id: String,
    pub paid_on: NaiveDate,
    pub amount_minor: i64,
    pub currency: String,
}

/// An invoice as of a date: what was paid (in the invoice's currency), what is left,
/// and how long it has been overdue.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct InvoiceStanding {
    pub invoice_id: String,
    pub membership_id: String,
    pub year: i32,
    pub currency: String,
    #[ts(type = "number")]
    pub due_minor: i64,
    #[ts(type = "number")]
    pub paid_minor: i64,
    #[ts(type = "number")]
    pub outstanding_minor: i64,
    pub status: InvoiceStatus,
    pub due_on: NaiveDate,
    /// Payments counted.
    pub payments: u32,
    /// Overdue and not settled: the amount left.
    #[ts(type = "number")]
    pub arrears_minor: i64,
    /// Days since it fell due, while in arrears.
    #[ts(type = "number | null")]
    pub arrears_days: Option<i64>,
    /// Currencies of payments no exchange rate converts on their date: left out, said.
    pub unconverted: Vec<String>,
}

/// Where `invoice` stands on `as_of`, given its payments (paid on or before that day
/// count). A payment in another currency is converted on its date.
pub fn invoice_standing(
    invoice: &Invoice,
    payments: &[&Payment],
    rates: &RateTable,
    as_of: NaiveDate,
) -> InvoiceStanding {
    let mut paid: i128 = 0;
    let mut counted = 0u32;
    let mut unconverted = Vec::new();
    for p in payments.iter().filter(|p| p.paid_on <= as_of) {
        let value = if p.currency == invoice.currency {
            Some(p.amount_minor)
        } else {
            rates.convert(p.amount_minor, &p.currency, &invoice.currency, p.paid_on)
        };
        match value {
            Some(v) => {
                paid += i128::from(v);
                counted += 1;
            }
            None => unconverted.push(p.currency.clone()),
        }
    }
    unconverted.sort();
    unconverted.dedup();
    let paid = paid.clamp(0, i128::from(MAX_MINOR)) as i64;
    let outstanding = invoice.amount_minor.saturating_sub(paid).max(0);
    let status = if invoice.waived {
        InvoiceStatus::Waived
    } else if outstanding == 0 {
        InvoiceStatus::Paid
    } else if paid > 0 {
        InvoiceStatus::PartlyPaid
    } else {
        InvoiceStatus::Unpaid
    };
    let overdue = !invoice.waived && outstanding > 0 && as_of > invoice.due_on;
    InvoiceStanding {
        invoice_id: invoice.meta.id.clone(),
        membership_id: invoice.membership_id.clone(),
        year: invoice.year,
        currency: invoice.currency.clone(),
        due_minor: invoice.amount_minor,
        paid_minor: paid,
        outstanding_minor: if invoice.waived { 0 } else { outstanding },
        status,
        due_on: invoice.due_on,
        payments: counted,
        arrears_minor: if overdue { outstanding } else { 0 },
        arrears_days: overdue.then(|| (as_of - invoice.due_on).num_days()),
        unconverted,
    }
}

// ---- recommendation -------------------------------------------------------------------------

/// What the core proposes for a membership, from its classification, its latest
/// thesis verdict and its arrears, with the reason in words.
pub fn recommend(
    classification: Classification,
    status: MembershipStatus,
    verdict: Option<Verdict>,
    arrears_days: Option<i64>,
) -> (Decision, String, String) {
    let arrears = arrears_days.is_some();
    let out = |d: Decision, es: &str, en: &str| (d, es.to_string(), en.to_string());
    match (classification, verdict) {
        (Classification::Inactive, _) if status != MembershipStatus::Active => out(
            Decision::Exit,
            "Salir: la membresía está suspendida o terminada; no se presupuesta.",
            "Exit: the membership is suspended or ended; nothing is budgeted.",
        ),
        (Classification::Inactive, _) => out(
            Decision::Reduce,
            "Reducir: sin costo ni resultados este año; se mantiene la cuota, sin viajes ni tiempo, hasta fijar una tesis.",
            "Reduce: no cost and no results this year; the dues are kept, with no travel or time, until a thesis is set.",
        ),
        (Classification::Passive, _) if arrears => out(
            Decision::Exit,
            "Salir: pasiva (costó sin resultados) y con cuotas vencidas.",
            "Exit: passive (it cost without results) and with dues in arrears.",
        ),
        (Classification::Passive | Classification::Unsteered, Some(Verdict::NotAchieved)) => out(
            Decision::Exit,
            "Salir: la tesis no se cumplió y la red no dio resultados que la sostengan.",
            "Exit: the thesis was not achieved and the network gave no results to sustain it.",
        ),
        (Classification::Passive, _) => out(
            Decision::Reduce,
            "Reducir: pasiva (costó sin resultados); se mantiene la cuota, sin viajes ni tiempo, hasta fijar una tesis.",
            "Reduce: passive (it cost without results); the dues are kept, with no travel or time, until a thesis is set.",
        ),
        (_, Some(Verdict::NotAchieved)) => out(
            Decision::Reduce,
            "Reducir: la última tesis no se cumplió; se mantiene la cuota, sin viajes ni tiempo.",
            "Reduce: the last thesis was not achieved; the dues are kept, with no travel or time.",
        ),
        (Classification::Strategic, Some(Verdict::Achieved)) if !arrears => out(
            Decision::Upgrade,
            "Ampliar: estratégica y su tesis se cumplió.",
            "Upgrade: strategic, and its thesis was achieved.",
        ),
        (_, _) if arrears => out(
            Decision::Keep,
            "Mantener, regularizando primero las cuotas vencidas.",
            "Keep, settling the dues in arrears first.",
        ),
        (Classification::Unsteered, _) => out(
            Decision::Keep,
            "Mantener: da resultados, pero sin tesis vigente: fije una antes de ampliar.",
            "Keep: it gives results, but has no current thesis: set one before upgrading.",
        ),
        (Classification::Strategic, _) => out(
            Decision::Keep,
            "Mantener: estratégica, con tesis vigente y resultados.",
            "Keep: strategic, with a current thesis and results.",
        ),
        (Classification::Developing, _) => out(
            Decision::Keep,
            "Mantener: tesis vigente, resultados aún por llegar.",
            "Keep: current thesis, results still to come.",
        ),
    }
}

/// What a decision keeps of the plan: everything (keep, upgrade), the dues only
/// (reduce), nothing (exit).
pub fn proposed_of(decision: Decision, dues: i64, planned_total: i64) -> i64 {
    match decision {
        Decision::Keep | Decision::Upgrade => planned_total,
        Decision::Reduce => dues.min(planned_total),
        Decision::Exit => 0,
    }
}

/// The year of a date, as a fiscal year in the settings' convention.
pub fn fiscal_year_text(settings: &BudgetSettings, year: i32, lang: Lang) -> String {
    match settings.period(year) {
        Some((from, to)) if settings.fiscal_year_start_month != 1 => format!(
            "{year} ({} – {})",
            format::month_year(from, lang),
            format::month_year(to, lang)
        ),
        _ => year.to_string(),
    }
}

// ---- the proposal ---------------------------------------------------------------------------

crate::model::text_enum!(
    /// Where a membership's expected dues come from.
    DuesSource "dues_source" {
        Invoice = "invoice" ("Factura del año", "The year's invoice"),
        Recorded = "recorded" ("Cuota registrada", "Recorded dues"),
        Estimate = "estimate" ("Estimación por la regla de la red", "Estimate by the network's rule"),
        Unknown = "unknown" ("Sin dato", "Unknown"),
    }
);

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetQuery {
    pub fiscal_year: i32,
    pub city_id: Option<String>,
    /// The currency of every figure.
    pub currency: String,
    /// The day arrears are counted on (today).
    pub as_of: NaiveDate,
}

/// One membership in the proposal. Every `_minor` is in the query's currency, at the
/// budget rates of the year (the actual cost at the rates of each day).
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetRow {
    pub membership_id: String,
    pub city_id: String,
    pub city_name: String,
    pub network_id: String,
    pub network_acronym: String,
    pub classification: Classification,
    pub verdict: Option<Verdict>,
    #[ts(type = "number")]
    pub arrears_minor: i64,
    #[ts(type = "number | null")]
    pub arrears_days: Option<i64>,
    #[ts(type = "number | null")]
    pub dues_minor: Option<i64>,
    pub dues_source: DuesSource,
    #[ts(type = "number | null")]
    pub travel_minor: Option<i64>,
    #[ts(type = "number | null")]
    pub time_minor: Option<i64>,
    #[ts(type = "number")]
    pub planned_minor: i64,
    /// What it cost in the fiscal year before.
    #[ts(type = "number")]
    pub actual_minor: i64,
    pub recommendation: Decision,
    pub recommendation_es: String,
    pub recommendation_en: String,
    /// The decision that counts: the office's when it overrode, else the recommendation.
    pub decision: Decision,
    pub overridden: bool,
    pub justification: Option<String>,
    #[ts(type = "number")]
    pub proposed_minor: i64,
    /// What a reduce or an exit saves against the plan.
    #[ts(type = "number")]
    pub saving_minor: i64,
    pub plan_id: Option<String>,
}

/// One network's totals: this year against the proposal (the council pack's chart).
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetByNetwork {
    pub network_id: String,
    pub label: String,
    #[ts(type = "number")]
    pub actual_minor: i64,
    #[ts(type = "number")]
    pub proposed_minor: i64,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetWarning {
    /// `missing_budget_rate` (subject: the currency), `missing_role_rate` (the role),
    /// `no_dues` and `plan_out_of_range` (the membership), `unconverted_payment` (the
    /// currency).
    pub code: String,
    pub subject: String,
    /// The warning in words, ready to show.
    pub text_es: String,
    pub text_en: String,
}

impl BudgetWarning {
    fn new(code: String, subject: String, year: i32) -> BudgetWarning {
        let mut w = BudgetWarning {
            code,
            subject,
            text_es: String::new(),
            text_en: String::new(),
        };
        w.text_es = w.text(year, Lang::Es);
        w.text_en = w.text(year, Lang::En);
        w
    }

    pub fn text(&self, year: i32, lang: Lang) -> String {
        let s = &self.subject;
        match (self.code.as_str(), lang) {
            ("missing_budget_rate", Lang::Es) => format!("Falta el tipo de cambio presupuestario de {s} para {year}: esos montos quedan fuera"),
            ("missing_budget_rate", Lang::En) => format!("No budget exchange rate for {s} in {year}: those amounts are left out"),
            ("missing_role_rate", Lang::Es) => format!("Falta la tarifa por hora de «{s}»: esas horas quedan sin valorar"),
            ("missing_role_rate", Lang::En) => format!("No hourly rate for “{s}”: those hours are not valued"),
            ("no_dues", Lang::Es) => format!("{s}: sin factura, cuota registrada ni regla con monto: la cuota no se presupuesta"),
            ("no_dues", Lang::En) => format!("{s}: no invoice, recorded dues or rule with an amount: no dues are budgeted"),
            ("no_dues_many", Lang::Es) => format!("{s} membresías sin factura, cuota registrada ni regla con monto: su cuota no se presupuesta"),
            ("no_dues_many", Lang::En) => format!("{s} memberships with no invoice, recorded dues or rule with an amount: no dues are budgeted for them"),
            ("plan_out_of_range_many", Lang::Es) => format!("{s} planes de viaje pasan del monto más grande que el archivo guarda; no se presupuestan"),
            ("plan_out_of_range_many", Lang::En) => format!("{s} travel plans are past the largest amount the file holds; they are not budgeted"),
            ("duplicate_plan_many", Lang::Es) => format!("{s} membresías tienen dos planes para {year}: cuenta el más reciente de cada una"),
            ("duplicate_plan_many", Lang::En) => format!("{s} memberships have two plans for {year}: the newest of each counts"),
            ("duplicate_plan", Lang::Es) => format!("{s} tiene dos planes para {year} (llegaron de dos oficinas): cuenta el más reciente; borre el otro"),
            ("duplicate_plan", Lang::En) => format!("{s} has two plans for {year} (they came from two offices): the newest counts; delete the other"),
            ("plan_out_of_range", Lang::Es) => format!("{s}: el plan de viajes pasa del monto más grande que el archivo guarda; no se presupuesta"),
            ("plan_out_of_range", Lang::En) => format!("{s}: the travel plan is past the largest amount the file holds; it is not budgeted"),
            ("unconverted_payment", Lang::Es) => format!("Pagos en {s} sin tipo de cambio a su fecha: no se restan del adeudo"),
            ("unconverted_payment", Lang::En) => format!("Payments in {s} with no exchange rate on their date: not taken off the amount owed"),
            (_, _) => format!("{}: {s}", self.code),
        }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BudgetProposal {
    pub query: BudgetQuery,
    pub settings: BudgetSettings,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<BudgetRow>,
    pub by_network: Vec<BudgetByNetwork>,
    #[ts(type = "number")]
    pub actual_minor: i64,
    #[ts(type = "number")]
    pub planned_minor: i64,
    #[ts(type = "number")]
    pub proposed_minor: i64,
    #[ts(type = "number")]
    pub saving_minor: i64,
    pub warnings: Vec<BudgetWarning>,
}

/// Past this many warnings of one code about memberships, one warning counts them (a
/// coordinator's file may have thousands of memberships without dues).
const MAX_NAMED_WARNINGS: usize = 20;

fn collapse(warnings: std::collections::BTreeSet<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for code in ["no_dues", "plan_out_of_range", "duplicate_plan"] {
        let n = warnings.iter().filter(|(c, _)| c == code).count();
        if n > MAX_NAMED_WARNINGS {
            out.push((format!("{code}_many"), n.to_string()));
        }
    }
    for (code, subject) in warnings {
        if !out.iter().any(|(c, _)| *c == format!("{code}_many")) {
            out.push((code, subject));
        }
    }
    out
}

/// Arrears of one membership, in `currency` at the rates of `as_of`.
pub fn membership_arrears(
    standings: &[&InvoiceStanding],
    rates: &RateTable,
    currency: &str,
    as_of: NaiveDate,
) -> (i64, Option<i64>) {
    let mut total: i128 = 0;
    let mut oldest: Option<i64> = None;
    for s in standings.iter().filter(|s| s.arrears_minor > 0) {
        if let Some(v) = rates.convert(s.arrears_minor, &s.currency, currency, as_of) {
            total += i128::from(v);
        } else if s.currency == currency {
            total += i128::from(s.arrears_minor);
        }
        oldest = oldest.max(s.arrears_days);
    }
    (total.clamp(0, i128::from(MAX_MINOR)) as i64, oldest)
}

/// The budget proposal for a fiscal year: per live, not ended membership its expected
/// dues (the year's invoices, else the recorded dues, else the estimate by the
/// network's rule), its planned travel and time at the year's budget rates, the
/// actual cost of the year before, and the decision.
pub fn proposal(store: &crate::Store, query: &BudgetQuery) -> crate::Result<BudgetProposal> {
    use std::collections::{BTreeMap, BTreeSet, HashMap};
    crate::money::check_currency("currency", &query.currency)?;
    let settings = store.budget_settings()?;
    let (from, to) = settings
        .period(query.fiscal_year)
        .ok_or_else(|| crate::Error::invalid("fiscal_year", "out_of_range"))?;
    let (prev_from, prev_to) = settings
        .period(query.fiscal_year - 1)
        .ok_or_else(|| crate::Error::invalid("fiscal_year", "out_of_range"))?;
    let city = query.city_id.as_deref();

    // This year, as the engine counts it: cost and classification per membership.
    let mut roi_query = crate::roi::RoiQuery::office_default(store, query.city_id.clone(), prev_to);
    roi_query.from = prev_from;
    roi_query.to = prev_to;
    roi_query.currency = query.currency.clone();
    let report = crate::roi::compute(store, &roi_query)?;

    let budget_rates = store.budget_rate_table(query.fiscal_year, from)?;
    let rates = store.rate_table()?;
    let roles = store.role_rates()?;
    // Rules by network, read once: a received file may hold many.
    let mut rules_of: HashMap<String, Vec<FeeRule>> = HashMap::new();
    for r in store.list::<FeeRule>(None)? {
        rules_of.entry(r.network_id.clone()).or_default().push(r);
    }
    // The report's own memberships (kept by the app): a typed list of 276,000 took
    // seconds on a coordinator's file.
    let memberships: HashMap<std::sync::Arc<str>, crate::store::roi::MembershipInfo> = store
        .roi_memberships(city)?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let cities: HashMap<String, City> = store
        .list::<City>(city)?
        .into_iter()
        .map(|c| (c.meta.id.clone(), c))
        .collect();
    // One plan per membership and year; two can meet after a merge (the rule is not
    // checked across received rows): the newest write counts, ties by id, and it is said,
    // so every office reads the same proposal from the same records.
    let mut plans: HashMap<String, BudgetPlan> = HashMap::new();
    let mut doubled: BTreeSet<String> = BTreeSet::new();
    for p in store.list::<BudgetPlan>(city)? {
        if p.fiscal_year != query.fiscal_year {
            continue;
        }
        match plans.get(&p.membership_id) {
            Some(kept) => {
                doubled.insert(p.membership_id.clone());
                let newer = (p.meta.updated_at, &p.meta.id) > (kept.meta.updated_at, &kept.meta.id);
                if newer {
                    plans.insert(p.membership_id.clone(), p);
                }
            }
            None => {
                plans.insert(p.membership_id.clone(), p);
            }
        }
    }
    let mut invoices_of_year: HashMap<String, Vec<Invoice>> = HashMap::new();
    for inv in store.list::<Invoice>(city)? {
        if inv.year == query.fiscal_year && !inv.waived {
            invoices_of_year
                .entry(inv.membership_id.clone())
                .or_default()
                .push(inv);
        }
    }
    let standings = store.invoice_standings(city, query.as_of)?;
    let mut standings_of: HashMap<&str, Vec<&InvoiceStanding>> = HashMap::new();
    let mut warnings: BTreeSet<(String, String)> = BTreeSet::new();
    for m in &doubled {
        warnings.insert((
            "duplicate_plan".into(),
            store.label_of(crate::RecordKind::Membership, m)?,
        ));
    }
    for s in &standings {
        standings_of
            .entry(s.membership_id.as_str())
            .or_default()
            .push(s);
        for c in &s.unconverted {
            warnings.insert(("unconverted_payment".into(), c.clone()));
        }
    }
    let verdicts = store.latest_verdicts(city)?;

    // An amount at the year's budget rates; a missing rate is said, not zero.
    let convert = |minor: i64, from_currency: &str, warnings: &mut BTreeSet<(String, String)>| {
        if from_currency == query.currency {
            return Some(minor);
        }
        let v = budget_rates.convert(minor, from_currency, &query.currency, from);
        if v.is_none() {
            warnings.insert(("missing_budget_rate".into(), from_currency.to_string()));
        }
        v
    };

    let mut rows = Vec::new();
    for r in &report.rows {
        let Some(m) = memberships.get(&*r.membership_id) else {
            continue;
        };
        if m.status == MembershipStatus::Ended || m.ended_on.is_some_and(|e| e < from) {
            continue;
        }
        let label = format!("{} · {}", r.network_acronym, r.city_name);
        // Dues: the year's invoices, else the recorded dues, else the estimate.
        let (dues_minor, dues_source) = if let Some(list) = invoices_of_year.get(&*m.id) {
            let mut sum: Option<i64> = Some(0);
            for inv in list {
                sum = match (sum, convert(inv.amount_minor, &inv.currency, &mut warnings)) {
                    (Some(a), Some(b)) => a.checked_add(b),
                    _ => None,
                };
            }
            (sum, DuesSource::Invoice)
        } else if let (Some(d), Some(c)) = (m.dues_minor, m.dues_currency.as_deref()) {
            (convert(d, c, &mut warnings), DuesSource::Recorded)
        } else {
            let c = cities.get(&*m.city_id);
            let estimate = estimate_dues(
                rules_of
                    .get(&*m.network_id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]),
                &m.network_id,
                c.and_then(|c| c.population),
                c.and_then(|c| c.income_group),
                from,
            );
            match estimate.minor() {
                Some((minor, currency)) => (
                    convert(minor, currency, &mut warnings),
                    DuesSource::Estimate,
                ),
                None => {
                    warnings.insert(("no_dues".into(), label.clone()));
                    (None, DuesSource::Unknown)
                }
            }
        };
        let plan = plans.get(&*m.id);
        let travel_minor = plan.and_then(|p| {
            let currency = p.travel_currency.as_deref()?;
            let people = (p.trips.unwrap_or(0) as f64) * (p.travellers.unwrap_or(0) as f64);
            let raw = people
                * (p.fare_minor.unwrap_or(0) as f64
                    + p.days.unwrap_or(0.0) * p.daily_minor.unwrap_or(0) as f64);
            let Some(raw) = crate::money::to_minor(raw).filter(|v| *v <= MAX_MINOR) else {
                warnings.insert(("plan_out_of_range".into(), label.clone()));
                return None;
            };
            convert(raw, currency, &mut warnings)
        });
        let mut time_minor: Option<i64> = None;
        if let Some(p) = plan {
            for (hours, role) in [
                (p.staff_hours, p.staff_role.as_deref()),
                (p.officials_hours, p.officials_role.as_deref()),
            ] {
                let (Some(hours), Some(role)) = (hours.filter(|h| *h > 0.0), role) else {
                    continue;
                };
                let Some((hourly, currency)) = roles.hourly(role, from) else {
                    warnings.insert(("missing_role_rate".into(), role.to_string()));
                    continue;
                };
                let Some(raw) = crate::money::to_minor(hours * hourly as f64) else {
                    continue;
                };
                if let Some(v) = convert(raw, currency, &mut warnings) {
                    time_minor = Some(time_minor.unwrap_or(0).saturating_add(v));
                }
            }
        }
        let (arrears_minor, arrears_days) = membership_arrears(
            standings_of.get(&*m.id).map(Vec::as_slice).unwrap_or(&[]),
            &rates,
            &query.currency,
            query.as_of,
        );
        let verdict = verdicts.get(&*m.id).copied();
        let (recommendation, recommendation_es, recommendation_en) =
            recommend(r.classification, m.status, verdict, arrears_days);
        let overridden = plan.and_then(|p| p.decision);
        let decision = overridden.unwrap_or(recommendation);
        let dues = dues_minor.unwrap_or(0);
        let planned = dues
            .saturating_add(travel_minor.unwrap_or(0))
            .saturating_add(time_minor.unwrap_or(0));
        let proposed = proposed_of(decision, dues, planned);
        rows.push(BudgetRow {
            membership_id: m.id.to_string(),
            city_id: r.city_id.to_string(),
            city_name: r.city_name.to_string(),
            network_id: r.network_id.to_string(),
            network_acronym: r.network_acronym.to_string(),
            classification: r.classification,
            verdict,
            arrears_minor,
            arrears_days,
            dues_minor,
            dues_source,
            travel_minor,
            time_minor,
            planned_minor: planned,
            actual_minor: r.cost_total_minor,
            recommendation,
            recommendation_es,
            recommendation_en,
            decision,
            overridden: overridden.is_some(),
            justification: plan
                .filter(|p| p.decision.is_some())
                .and_then(|p| p.justification.clone()),
            proposed_minor: proposed,
            saving_minor: planned - proposed,
            plan_id: plan.map(|p| p.meta.id.clone()),
        });
    }
    let mut by_network: BTreeMap<(String, String), (i128, i128)> = BTreeMap::new();
    let sum = |f: &dyn Fn(&BudgetRow) -> i64| -> i64 {
        rows.iter()
            .map(|r| i128::from(f(r)))
            .sum::<i128>()
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    };
    let (actual, planned, proposed, saving) = (
        sum(&|r| r.actual_minor),
        sum(&|r| r.planned_minor),
        sum(&|r| r.proposed_minor),
        sum(&|r| r.saving_minor),
    );
    for r in &rows {
        let e = by_network
            .entry((r.network_acronym.clone(), r.network_id.clone()))
            .or_default();
        e.0 += i128::from(r.actual_minor);
        e.1 += i128::from(r.proposed_minor);
    }
    let clamp = |v: i128| v.clamp(0, i128::from(i64::MAX)) as i64;
    Ok(BudgetProposal {
        query: query.clone(),
        settings,
        from,
        to,
        rows,
        by_network: by_network
            .into_iter()
            .map(|((label, network_id), (a, p))| BudgetByNetwork {
                network_id,
                label,
                actual_minor: clamp(a),
                proposed_minor: clamp(p),
            })
            .collect(),
        actual_minor: actual,
        planned_minor: planned,
        proposed_minor: proposed,
        saving_minor: saving,
        warnings: collapse(warnings)
            .into_iter()
            .map(|(code, subject)| BudgetWarning::new(code, subject, query.fiscal_year))
            .collect(),
    })
}

/// A network's dues for one city: what the city records (when a member) beside what
/// the network's rules give, for every network of the catalog ("what would joining
/// cost?").
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct NetworkDues {
    pub network_id: String,
    pub network_acronym: String,
    pub network_name: String,
    /// The city's live membership, when it has one.
    pub membership_id: Option<String>,
    #[ts(type = "number | null")]
    pub recorded_minor: Option<i64>,
    pub recorded_currency: Option<String>,
    pub estimate: DuesEstimate,
    pub estimate_es: String,
    pub estimate_en: String,
}

/// The dues of every network of the catalog for a city, on `on`.
pub fn dues_for_city(
    store: &crate::Store,
    city_id: &str,
    on: NaiveDate,
) -> crate::Result<Vec<NetworkDues>> {
    let city: City = store.get(city_id)?;
    let rules: Vec<FeeRule> = store.list(None)?;
    let memberships: Vec<Membership> = store.list(Some(city_id))?;
    let mut networks: Vec<Network> = store.list(None)?;
    networks.sort_by_key(|n| n.acronym.to_lowercase());
    Ok(networks
        .into_iter()
        .map(|n| {
            let m = memberships
                .iter()
                .find(|m| m.network_id == n.meta.id && m.status != MembershipStatus::Ended);
            let estimate =
                estimate_dues(&rules, &n.meta.id, city.population, city.income_group, on);
            NetworkDues {
                network_id: n.meta.id.clone(),
                network_acronym: n.acronym.clone(),
                network_name: n.name.clone(),
                membership_id: m.map(|m| m.meta.id.clone()),
                recorded_minor: m.and_then(|m| m.dues_minor),
                recorded_currency: m.and_then(|m| m.dues_currency.clone()),
                estimate_es: estimate.text(Lang::Es),
                estimate_en: estimate.text(Lang::En),
                estimate,
            }
        })
        .collect())
}
