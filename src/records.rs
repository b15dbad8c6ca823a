//! The description of each record kind (table, label, city scope) and its own rules.
//! The generic store does the rest: insert, update, tombstone, restore, list, merge.

use crate::error::{Error, Result};
use crate::model::*;
use crate::store::{Record, Store};

text_enum!(
    /// Every kind of record, parents before children (the order merges apply in).
    RecordKind {
        City,
        Network,
        Membership,
        Thesis,
        Meeting,
        CostEntry,
        RoleRate,
        ExchangeRate,
        Project,
        Outcome,
        Attribution,
        Metric
    }
);

/// How a kind's rows belong to a city, for the city selector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CityScope {
    /// Shared by all cities (the catalog, rates).
    None,
    /// The city itself.
    SelfId,
    /// A `city_id` column.
    Column,
    /// Through its `membership_id`.
    ViaMembership,
}

#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    pub table: &'static str,
    /// SQL expression over alias `t` naming a record for people (trash, conflicts).
    pub label_sql: &'static str,
    pub city_scope: CityScope,
}

impl RecordKind {
    pub fn info(self) -> KindInfo {
        use CityScope as S;
        let (table, label_sql, city_scope) = match self {
            RecordKind::City => ("city", "t.name", S::SelfId),
            RecordKind::Network => ("network", "t.acronym || ' — ' || t.name", S::None),
            RecordKind::Membership => (
                "membership",
                "(SELECT c.name || ' · ' || n.acronym FROM city c, network n WHERE c.id = t.city_id AND n.id = t.network_id)",
                S::Column,
            ),
            RecordKind::Thesis => ("thesis", "t.statement", S::ViaMembership),
            RecordKind::Meeting => ("meeting", "t.start_on || ' ' || t.title", S::ViaMembership),
            RecordKind::CostEntry => (
                "cost_entry",
                // No category: a label is shown as it is, and codes like `staff_time`
                // are not words in either language.
                "t.spent_on || COALESCE(' ' || t.description, ' ' || t.role, '')",
                S::Column,
            ),
            RecordKind::RoleRate => ("role_rate", "t.role || ' ' || t.valid_from", S::None),
            RecordKind::ExchangeRate => (
                "exchange_rate",
                "'1 ' || t.currency || ' = ' || t.rate || ' ' || t.quote_currency || ' · ' || t.on_date",
                S::None,
            ),
            RecordKind::Project => ("project", "t.name", S::Column),
            RecordKind::Outcome => ("outcome", "t.occurred_on || ' ' || t.description", S::Column),
            RecordKind::Attribution => (
                "attribution",
                "(SELECT o.description FROM outcome o WHERE o.id = t.outcome_id) || ' ' || (t.share_bp / 100) || ' %'",
                S::ViaMembership,
            ),
            RecordKind::Metric => ("metric", "t.name || ' ' || t.year", S::Column),
        };
        KindInfo {
            table,
            label_sql,
            city_scope,
        }
    }
}

/// How a numeric field is typed and read (by `numbers`, in the office's format).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberField {
    /// Minor units of the currency held in the named field.
    Money(&'static str),
    /// A plain decimal number.
    Decimal,
    /// A whole number up to this bound.
    Integer(i64),
    /// Percent, as a number of percent (4.1 for 4.1 %).
    Percent,
    /// Percent with two decimals, stored in basis points.
    PercentBp,
}

const I32: i64 = i32::MAX as i64;

impl RecordKind {
    /// The numeric fields of the kind and how each is read from typed text.
    pub fn number_fields(self) -> &'static [(&'static str, NumberField)] {
        use NumberField as N;
        match self {
            RecordKind::City => &[
                ("population", N::Integer(100_000_000_000)),
                ("population_year", N::Integer(I32)),
                ("latitude", N::Decimal),
                ("longitude", N::Decimal),
                ("cdp_account", N::Integer(i64::MAX)),
            ],
            RecordKind::Network => &[("founded_year", N::Integer(I32))],
            RecordKind::Membership => &[("dues_minor", N::Money("dues_currency"))],
            RecordKind::Thesis | RecordKind::Meeting => &[],
            RecordKind::CostEntry => &[
                ("amount_minor", N::Money("currency")),
                ("hours", N::Decimal),
            ],
            RecordKind::RoleRate => &[("hourly_minor", N::Money("currency"))],
            RecordKind::ExchangeRate => &[("rate", N::Decimal)],
            RecordKind::Project => &[
                ("capex_minor", N::Money("capex_currency")),
                ("baseline_months", N::Integer(I32)),
                ("actual_months", N::Integer(I32)),
            ],
            RecordKind::Outcome => &[
                ("months_saved", N::Decimal),
                ("amount_minor", N::Money("currency")),
                ("committed_minor", N::Money("currency")),
                ("disbursed_minor", N::Money("currency")),
                ("interest_rate", N::Percent),
                ("tenor_years", N::Decimal),
                ("grace_years", N::Decimal),
            ],
            RecordKind::Attribution => &[("share_bp", N::PercentBp)],
            RecordKind::Metric => &[("year", N::Integer(I32)), ("value", N::Decimal)],
        }
    }

    /// Replaces the typed text of each numeric field of `record` by its number, read in
    /// `format`; empty text is no value. Numbers already given stay as they are.
    pub fn read_numbers(
        self,
        record: &mut serde_json::Map<String, serde_json::Value>,
        format: crate::numbers::NumberFormat,
    ) -> Result<()> {
        use crate::numbers as n;
        use serde_json::Value;
        for (field, kind) in self.number_fields() {
            let Some(Value::String(text)) = record.get(*field) else {
                continue;
            };
            let text = text.clone();
            if text.trim().is_empty() {
                record.insert(field.to_string(), Value::Null);
                continue;
            }
            let value = match kind {
                NumberField::Money(currency_field) => {
                    let currency = match record.get(*currency_field) {
                        Some(Value::String(c)) if !c.trim().is_empty() => c.trim().to_uppercase(),
                        _ => return Err(Error::invalid(*currency_field, "required")),
                    };
                    crate::money::check_currency(currency_field, &currency)?;
                    Value::from(n::read_minor(field, &text, format, &currency)?)
                }
                NumberField::Integer(max) => {
                    let v = n::read_integer(field, &text, format)?;
                    if v > *max || v < -*max {
                        return Err(Error::invalid(*field, "too_large"));
                    }
                    Value::from(v)
                }
                NumberField::Decimal => Value::from(n::read_number(field, &text, format)?),
                NumberField::Percent => Value::from(n::read_percent(field, &text, format)?),
                NumberField::PercentBp => Value::from(n::read_percent_bp(field, &text, format)?),
            };
            record.insert(field.to_string(), value);
        }
        Ok(())
    }
}

macro_rules! record {
    ($ty:ident, $kind:ident) => {
        impl Record for $ty {
            const KIND: RecordKind = RecordKind::$kind;
            fn meta(&self) -> &Meta {
                &self.meta
            }
            fn meta_mut(&mut self) -> &mut Meta {
                &mut self.meta
            }
            fn validate(&self, store: &Store) -> Result<()> {
                $ty::check(self, store)
            }
        }
    };
}

record!(City, City);
record!(Network, Network);
record!(Membership, Membership);
record!(Thesis, Thesis);
record!(Meeting, Meeting);
record!(CostEntry, CostEntry);
record!(RoleRate, RoleRate);
record!(ExchangeRate, ExchangeRate);
record!(Project, Project);
record!(Outcome, Outcome);
record!(Attribution, Attribution);
record!(Metric, Metric);

// ---- bounds ---------------------------------------------------------------------------
// Each bound keeps every product and sum the engine makes finite and exact: an amount
// (MAX_MINOR) times a conversion factor stays far inside f64's exact range per entry,
// and fourteen million entries sum in i128 without wrapping.

/// Rates are between these (1 VND in BTC-like units is out; 1 IRR in USD is in).
pub const MIN_RATE: f64 = 1e-9;
pub const MAX_RATE: f64 = 1e9;
/// Largest hourly rate, in minor units (a hundred million an hour).
pub const MAX_HOURLY_MINOR: i64 = 10_000_000_000;
/// Most hours one cost entry may record.
pub const MAX_HOURS: f64 = 100_000.0;

// ---- small rule helpers ------------------------------------------------------------

fn required(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "required"));
    }
    Ok(())
}

fn present<T>(field: &str, value: &Option<T>) -> Result<()> {
    if value.is_none() {
        return Err(Error::invalid(field, "required"));
    }
    Ok(())
}

fn not_before<T: PartialOrd>(field: &str, start: &T, end: &Option<T>) -> Result<()> {
    match end {
        Some(end) if end < start => Err(Error::invalid(field, "end_before_start")),
        _ => Ok(()),
    }
}

fn non_negative(field: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !v.is_finite() => Err(Error::invalid(field, "not_a_number")),
        Some(v) if v < 0.0 => Err(Error::invalid(field, "negative")),
        _ => Ok(()),
    }
}

fn refers(store: &Store, field: &str, kind: RecordKind, id: &str) -> Result<()> {
    if !store.exists(kind, id)? {
        return Err(Error::invalid(field, "unknown_reference"));
    }
    Ok(())
}

fn money_pair(
    amount_field: &str,
    amount: Option<i64>,
    currency_field: &str,
    currency: &Option<String>,
) -> Result<()> {
    if amount.is_some() && currency.is_none() {
        return Err(Error::invalid(currency_field, "required"));
    }
    if currency.is_some() && amount.is_none() {
        return Err(Error::invalid(amount_field, "required"));
    }
    Ok(())
}

// ---- each kind's own rules -----------------------------------------------------------

impl City {
    fn check(&self, _: &Store) -> Result<()> {
        required("name", &self.name)?;
        let c = self.country.trim();
        if !(c.len() == 2 || c.len() == 3) || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(Error::invalid("country", "country_code"));
        }
        if matches!(self.population, Some(p) if p < 0) {
            return Err(Error::invalid("population", "negative"));
        }
        if matches!(self.latitude, Some(l) if !(-90.0..=90.0).contains(&l)) {
            return Err(Error::invalid("latitude", "out_of_range"));
        }
        if matches!(self.longitude, Some(l) if !(-180.0..=180.0).contains(&l)) {
            return Err(Error::invalid("longitude", "out_of_range"));
        }
        Ok(())
    }
}

impl Network {
    fn check(&self, _: &Store) -> Result<()> {
        required("name", &self.name)?;
        required("acronym", &self.acronym)
    }
}

impl Membership {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        refers(store, "network_id", RecordKind::Network, &self.network_id)?;
        if let Some(joined) = &self.joined_on {
            not_before("ended_on", joined, &self.ended_on)?;
        }
        money_pair(
            "dues_minor",
            self.dues_minor,
            "dues_currency",
            &self.dues_currency,
        )
    }
}

impl Thesis {
    fn check(&self, store: &Store) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        required("statement", &self.statement)?;
        not_before("horizon_on", &self.start_on, &Some(self.horizon_on))?;
        not_before("review_on", &self.start_on, &self.review_on)?;
        if self.verdict.is_none()
            && store.open_thesis_other_than(&self.membership_id, &self.meta.id)?
        {
            return Err(Error::invalid("membership_id", "thesis_already_open"));
        }
        Ok(())
    }
}

impl Meeting {
    fn check(&self, store: &Store) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        required("title", &self.title)?;
        not_before("end_on", &self.start_on, &self.end_on)?;
        not_before("follow_up_due", &self.start_on, &self.follow_up_due)
    }
}

impl CostEntry {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        if let Some(m) = &self.membership_id {
            refers(store, "membership_id", RecordKind::Membership, m)?;
            // A cost counts in its membership's city: the summary scoped to a city and
            // the breakdown of a figure must see the same records.
            if matches!(store.membership_city(m)?, Some(city) if city != self.city_id) {
                return Err(Error::invalid("membership_id", "other_city"));
            }
        }
        if let Some(m) = &self.meeting_id {
            refers(store, "meeting_id", RecordKind::Meeting, m)?;
        }
        if self.category.is_time() {
            non_negative("hours", self.hours)?;
            match self.hours {
                Some(h) if h > 0.0 && h <= MAX_HOURS => {}
                Some(h) if h > MAX_HOURS => return Err(Error::invalid("hours", "too_large")),
                _ => return Err(Error::invalid("hours", "required")),
            }
            required("role", self.role.as_deref().unwrap_or(""))?;
            if self.amount_minor.is_some() {
                return Err(Error::invalid("amount_minor", "time_has_no_amount"));
            }
        } else {
            present("amount_minor", &self.amount_minor)?;
            money_pair(
                "amount_minor",
                self.amount_minor,
                "currency",
                &self.currency,
            )?;
        }
        Ok(())
    }
}

impl RoleRate {
    fn check(&self, _: &Store) -> Result<()> {
        required("role", &self.role)?;
        if self.hourly_minor > MAX_HOURLY_MINOR {
            return Err(Error::invalid("hourly_minor", "too_large"));
        }
        not_before("valid_to", &self.valid_from, &self.valid_to)
    }
}

impl ExchangeRate {
    fn check(&self, store: &Store) -> Result<()> {
        if !self.rate.is_finite() || self.rate <= 0.0 {
            return Err(Error::invalid("rate", "must_be_positive"));
        }
        if !(MIN_RATE..=MAX_RATE).contains(&self.rate) {
            return Err(Error::invalid("rate", "out_of_range"));
        }
        if self.currency == self.quote_currency {
            return Err(Error::invalid("quote_currency", "same_currency"));
        }
        if store.rate_exists_other_than(
            &self.currency,
            &self.quote_currency,
            self.on_date,
            &self.meta.id,
        )? {
            return Err(Error::invalid("on_date", "duplicate"));
        }
        Ok(())
    }
}

impl Project {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        required("name", &self.name)?;
        money_pair(
            "capex_minor",
            self.capex_minor,
            "capex_currency",
            &self.capex_currency,
        )?;
        for (field, months) in [
            ("baseline_months", self.baseline_months),
            ("actual_months", self.actual_months),
        ] {
            if matches!(months, Some(m) if m < 0) {
                return Err(Error::invalid(field, "negative"));
            }
            if matches!(months, Some(m) if m > 1200) {
                return Err(Error::invalid(field, "too_large"));
            }
        }
        Ok(())
    }
}

impl Outcome {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        required("description", &self.description)?;
        match self.kind {
            OutcomeKind::Acceleration => {
                present("project_id", &self.project_id)?;
                if let Some(p) = &self.project_id {
                    refers(store, "project_id", RecordKind::Project, p)?;
                }
                present("months_saved", &self.months_saved)?;
                non_negative("months_saved", self.months_saved)?;
                if matches!(self.months_saved, Some(m) if m > 1200.0) {
                    return Err(Error::invalid("months_saved", "too_large"));
                }
            }
            OutcomeKind::Financing => {
                present("amount_minor", &self.amount_minor)?;
                money_pair(
                    "amount_minor",
                    self.amount_minor,
                    "currency",
                    &self.currency,
                )?;
                present("instrument", &self.instrument)?;
                present("financing_status", &self.financing_status)?;
                for (field, v) in [
                    ("interest_rate", self.interest_rate),
                    ("tenor_years", self.tenor_years),
                    ("grace_years", self.grace_years),
                ] {
                    non_negative(field, v)?;
                    if matches!(v, Some(x) if x > 100.0) {
                        return Err(Error::invalid(field, "too_large"));
                    }
                }
                if let (Some(g), Some(t)) = (self.grace_years, self.tenor_years) {
                    if g > t {
                        return Err(Error::invalid("grace_years", "grace_over_tenor"));
                    }
                }
                let amount = self.amount_minor.unwrap_or(0);
                if matches!(self.committed_minor, Some(c) if c > amount) {
                    return Err(Error::invalid("committed_minor", "over_amount"));
                }
                if let Some(d) = self.disbursed_minor {
                    if d > self.committed_minor.unwrap_or(amount) {
                        return Err(Error::invalid("disbursed_minor", "over_committed"));
                    }
                }
            }
            OutcomeKind::PolicyTransfer => {
                present("policy_instrument", &self.policy_instrument)?;
                required("source_peer", self.source_peer.as_deref().unwrap_or(""))?;
            }
        }
        Ok(())
    }
}

impl Attribution {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "outcome_id", RecordKind::Outcome, &self.outcome_id)?;
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        if self.share_bp <= 0 {
            return Err(Error::invalid("share_bp", "must_be_positive"));
        }
        let others = store.attributed_share_other_than(&self.outcome_id, &self.meta.id)?;
        if others + i64::from(self.share_bp) > 10_000 {
            return Err(Error::invalid_because(
                "share_bp",
                "shares_over_100",
                format!("{} % already attributed", others as f64 / 100.0),
            ));
        }
        Ok(())
    }
}

impl Metric {
    fn check(&self, store: &Store) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        required("name", &self.name)?;
        if !(1900..=2200).contains(&self.year) {
            return Err(Error::invalid("year", "out_of_range"));
        }
        if let Some(v) = self.value {
            if !v.is_finite() {
                return Err(Error::invalid("value", "not_a_number"));
            }
        }
        Ok(())
    }
}
