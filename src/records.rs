//! Each record kind's own rules (those over several fields or other records), and the
//! reading of typed numbers by the kind's description (`kinds.rs`). The generic store
//! does the rest: insert, update, tombstone, restore, list, merge.

use crate::error::{Error, Result};
use crate::kinds::{FieldType, RecordKind};
use crate::model::*;
use serde::{de::DeserializeOwned, Serialize};

/// A record kind the generic store can handle.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + 'static {
    const KIND: RecordKind;
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    /// Rules of this kind that need more than one field or other records.
    fn validate(&self, lookup: &dyn Lookup) -> Result<()>;
}

/// What the records' rules need to know of the other records (the store answers).
/// A received row is checked record by record: rules over several records answer as
/// if nothing else were there.
pub trait Lookup {
    /// True when a live record of the kind has the id.
    fn exists(&self, kind: RecordKind, id: &str) -> Result<bool>;
    /// True when another open thesis (no verdict) steers the membership.
    fn open_thesis_other_than(&self, membership_id: &str, id: &str) -> Result<bool>;
    /// The city of a live membership.
    fn membership_city(&self, membership_id: &str) -> Result<Option<String>>;
    /// True when another live rate prices the same pair (either way) on the same date.
    fn rate_exists_other_than(
        &self,
        currency: &str,
        quote: &str,
        on: chrono::NaiveDate,
        id: &str,
    ) -> Result<bool>;
    /// The shares of an outcome attributed by other records, in basis points.
    fn attributed_share_other_than(&self, outcome_id: &str, id: &str) -> Result<i64>;
    /// The membership of a live invoice.
    fn invoice_membership(&self, invoice_id: &str) -> Result<Option<String>>;
    /// True when another live plan covers the membership's fiscal year.
    fn budget_plan_other_than(&self, membership_id: &str, year: i32, id: &str) -> Result<bool>;
    /// True when another live budget rate prices the pair (either way) for the year.
    fn budget_rate_other_than(
        &self,
        currency: &str,
        quote: &str,
        year: i32,
        id: &str,
    ) -> Result<bool>;
}

impl RecordKind {
    /// Replaces the typed text of each numeric field of `record` by its number, read in
    /// `format`; empty text is no value. Numbers already given stay as they are.
    pub fn read_numbers(
        self,
        record: &mut serde_json::Map<String, serde_json::Value>,
        format: crate::numbers::NumberFormat,
    ) -> Result<()> {
        use crate::numbers as n;
        use serde_json::Value;
        let desc = self.desc();
        for field in desc.fields.iter().filter(|f| f.ty.is_number()) {
            let name = field.name;
            let empty = match record.get(name) {
                None | Some(Value::Null) => true,
                Some(Value::String(text)) => text.trim().is_empty(),
                _ => false,
            };
            // A currency without an amount says nothing: an optional amount left empty
            // takes its optional currency with it (dues, capital cost).
            if let (true, FieldType::Money { currency }) = (empty, field.ty) {
                // Unless another amount in the same currency is given (a plan's fare
                // and per diem).
                let shared = desc.fields.iter().any(|other| {
                    other.name != name
                        && other.ty == field.ty
                        && record.get(other.name).is_some_and(|v| match v {
                            Value::Null => false,
                            Value::String(t) => !t.trim().is_empty(),
                            _ => true,
                        })
                });
                if !shared && desc.field(currency).is_some_and(|c| !c.required) {
                    record.insert(currency.to_string(), Value::Null);
                }
            }
            let Some(Value::String(text)) = record.get(name) else {
                continue;
            };
            let text = text.clone();
            if text.trim().is_empty() {
                record.insert(name.to_string(), Value::Null);
                continue;
            }
            let value = match field.ty {
                FieldType::Money { currency } => {
                    let code = match record.get(currency) {
                        Some(Value::String(c)) if !c.trim().is_empty() => c.trim().to_uppercase(),
                        _ => return Err(Error::invalid(currency, "required")),
                    };
                    crate::money::check_currency(currency, &code)?;
                    Value::from(n::read_minor(name, &text, format, &code)?)
                }
                FieldType::Integer | FieldType::Year => {
                    let v = n::read_integer(name, &text, format)?;
                    // Checked before the record is typed: a value past its column's
                    // width is the user's error, not a type error.
                    if let Some(bounds) = field.bounds {
                        bounds.check(name, v as f64)?;
                    }
                    Value::from(v)
                }
                FieldType::Percent => Value::from(n::read_percent(name, &text, format)?),
                FieldType::PercentBp => Value::from(n::read_percent_bp(name, &text, format)?),
                _ => Value::from(n::read_number(name, &text, format)?),
            };
            record.insert(name.to_string(), value);
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
            fn validate(&self, lookup: &dyn Lookup) -> Result<()> {
                $ty::check(self, lookup)
            }
        }
    };
}

record!(City, City);
record!(Network, Network);
record!(FeeRule, FeeRule);
record!(Membership, Membership);
record!(Invoice, Invoice);
record!(BudgetPlan, BudgetPlan);
record!(Thesis, Thesis);
record!(Meeting, Meeting);
record!(CostEntry, CostEntry);
record!(RoleRate, RoleRate);
record!(ExchangeRate, ExchangeRate);
record!(BudgetRate, BudgetRate);
record!(Project, Project);
record!(Outcome, Outcome);
record!(Attribution, Attribution);
record!(Metric, Metric);

pub use crate::kinds::{MAX_HOURLY_MINOR, MAX_HOURS, MAX_RATE, MIN_RATE};

// ---- small rule helpers ------------------------------------------------------------

fn not_before<T: PartialOrd>(field: &str, start: &T, end: &Option<T>) -> Result<()> {
    match end {
        Some(end) if end < start => Err(Error::invalid(field, "end_before_start")),
        _ => Ok(()),
    }
}

fn refers(store: &dyn Lookup, field: &str, kind: RecordKind, id: &str) -> Result<()> {
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
    fn check(&self, _: &dyn Lookup) -> Result<()> {
        let c = self.country.trim();
        if !(c.len() == 2 || c.len() == 3) || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(Error::invalid("country", "country_code"));
        }
        Ok(())
    }
}

impl Network {
    fn check(&self, _: &dyn Lookup) -> Result<()> {
        Ok(())
    }
}

impl Membership {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
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
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
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
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        not_before("end_on", &self.start_on, &self.end_on)?;
        not_before("follow_up_due", &self.start_on, &self.follow_up_due)
    }
}

impl CostEntry {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
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
        if let Some(invoice) = &self.invoice_id {
            // A payment settles its own membership's dues, and is itself a dues cost.
            if self.category != CostCategory::Dues {
                return Err(Error::invalid("invoice_id", "invoice_not_dues"));
            }
            refers(store, "invoice_id", RecordKind::Invoice, invoice)?;
            let Some(membership) = &self.membership_id else {
                return Err(Error::invalid("membership_id", "required"));
            };
            if matches!(store.invoice_membership(invoice)?, Some(m) if m != *membership) {
                return Err(Error::invalid("invoice_id", "invoice_other_membership"));
            }
        }
        // Required fields and bounds are the description's; zero hours are no hours.
        if self.category.is_time() {
            if self.hours == Some(0.0) {
                return Err(Error::invalid("hours", "required"));
            }
            if self.amount_minor.is_some() {
                return Err(Error::invalid("amount_minor", "time_has_no_amount"));
            }
        }
        Ok(())
    }
}

impl RoleRate {
    fn check(&self, _: &dyn Lookup) -> Result<()> {
        if self.hourly_minor > MAX_HOURLY_MINOR {
            return Err(Error::invalid("hourly_minor", "too_large"));
        }
        not_before("valid_to", &self.valid_from, &self.valid_to)
    }
}

impl ExchangeRate {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
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
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        money_pair(
            "capex_minor",
            self.capex_minor,
            "capex_currency",
            &self.capex_currency,
        )
    }
}

impl Outcome {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        // Which fields each kind of outcome requires, and their bounds, are the
        // description's.
        match self.kind {
            OutcomeKind::Acceleration => {
                if let Some(p) = &self.project_id {
                    refers(store, "project_id", RecordKind::Project, p)?;
                }
            }
            OutcomeKind::Financing => {
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
            OutcomeKind::PolicyTransfer => {}
        }
        Ok(())
    }
}

impl Attribution {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
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

impl FeeRule {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(store, "network_id", RecordKind::Network, &self.network_id)?;
        not_before("valid_to", &self.valid_from, &self.valid_to)?;
        if let (Some(min), Some(max)) = (self.min_minor, self.max_minor) {
            if max < min {
                return Err(Error::invalid("max_minor", "min_over_max"));
            }
        }
        if let (Some(from), Some(to)) = (self.population_from, self.population_to) {
            if to < from {
                return Err(Error::invalid("population_to", "end_before_start"));
            }
        }
        let table = [
            self.low_minor,
            self.lower_middle_minor,
            self.upper_middle_minor,
            self.high_minor,
        ];
        if matches!(
            self.basis,
            FeeBasis::IncomeGroup | FeeBasis::PopulationIncome
        ) && table.iter().all(Option::is_none)
        {
            return Err(Error::invalid("low_minor", "fee_table_empty"));
        }
        Ok(())
    }
}

impl Invoice {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        if let Some(issued) = &self.issued_on {
            not_before("due_on", issued, &Some(self.due_on))?;
        }
        Ok(())
    }
}

impl BudgetPlan {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(
            store,
            "membership_id",
            RecordKind::Membership,
            &self.membership_id,
        )?;
        let money = self.fare_minor.is_some() || self.daily_minor.is_some();
        if money && self.travel_currency.is_none() {
            return Err(Error::invalid("travel_currency", "required"));
        }
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        if self.staff_hours.is_some_and(|h| h > 0.0) && blank(&self.staff_role) {
            return Err(Error::invalid("staff_role", "required"));
        }
        if self.officials_hours.is_some_and(|h| h > 0.0) && blank(&self.officials_role) {
            return Err(Error::invalid("officials_role", "required"));
        }
        // Departing from the recommendation is written down, for the council.
        if self.decision.is_some() && blank(&self.justification) {
            return Err(Error::invalid("justification", "required"));
        }
        if store.budget_plan_other_than(&self.membership_id, self.fiscal_year, &self.meta.id)? {
            return Err(Error::invalid("fiscal_year", "duplicate"));
        }
        Ok(())
    }
}

impl BudgetRate {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        if !self.rate.is_finite() || self.rate <= 0.0 {
            return Err(Error::invalid("rate", "must_be_positive"));
        }
        if self.currency == self.quote_currency {
            return Err(Error::invalid("quote_currency", "same_currency"));
        }
        if store.budget_rate_other_than(
            &self.currency,
            &self.quote_currency,
            self.fiscal_year,
            &self.meta.id,
        )? {
            return Err(Error::invalid("fiscal_year", "duplicate"));
        }
        Ok(())
    }
}

impl Metric {
    fn check(&self, store: &dyn Lookup) -> Result<()> {
        refers(store, "city_id", RecordKind::City, &self.city_id)?;
        Ok(())
    }
}
