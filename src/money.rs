//! Currencies, exchange rates and the valuation of hours.
//!
//! Amounts are stored as integer minor units. Conversion goes through the office's base
//! currency with the latest rate on or before the date; a missing rate is reported,
//! never replaced by zero.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// Checks an ISO 4217 code (upper-case, known).
pub fn check_currency(field: &str, code: &str) -> Result<()> {
    match iso_currency::Currency::from_code(code) {
        Some(_) => Ok(()),
        None => Err(Error::invalid_because(field, "unknown_currency", code)),
    }
}

/// Number of decimal digits of the currency's minor unit (2 for MXN, 0 for JPY).
pub fn exponent(code: &str) -> u32 {
    iso_currency::Currency::from_code(code)
        .and_then(|c| c.exponent())
        .map(u32::from)
        .unwrap_or(2)
}

fn scale(code: &str) -> f64 {
    10f64.powi(exponent(code) as i32)
}

/// Dated exchange rates: value of one unit of a currency in the base currency.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    base: String,
    rates: HashMap<String, Vec<(NaiveDate, f64)>>,
}

impl RateTable {
    pub fn new(base: &str, mut entries: Vec<(String, NaiveDate, f64)>) -> RateTable {
        entries.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut rates: HashMap<String, Vec<(NaiveDate, f64)>> = HashMap::new();
        for (currency, on, rate) in entries {
            rates.entry(currency).or_default().push((on, rate));
        }
        RateTable {
            base: base.to_string(),
            rates,
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Base-currency value of one unit of `currency` on `on`, if a rate is known.
    pub fn rate(&self, currency: &str, on: NaiveDate) -> Option<f64> {
        if currency == self.base {
            return Some(1.0);
        }
        let list = self.rates.get(currency)?;
        let idx = list.partition_point(|(d, _)| *d <= on);
        (idx > 0).then(|| list[idx - 1].1)
    }

    /// Factor that turns minor units of `from` into minor units of `to` on a date.
    pub fn factor(&self, from: &str, to: &str, on: NaiveDate) -> Option<f64> {
        if from == to {
            return Some(1.0);
        }
        let value_in_base = self.rate(from, on)?;
        let to_rate = self.rate(to, on)?;
        Some(value_in_base / to_rate * scale(to) / scale(from))
    }

    /// Converts an amount, rounding to the nearest minor unit.
    pub fn convert(&self, amount_minor: i64, from: &str, to: &str, on: NaiveDate) -> Option<i64> {
        self.factor(from, to, on)
            .map(|f| (amount_minor as f64 * f).round() as i64)
    }
}

/// Dated hourly rates per role.
#[derive(Debug, Clone, Default)]
pub struct RoleRates {
    rates: HashMap<String, Vec<RoleRateSpan>>,
}

#[derive(Debug, Clone)]
struct RoleRateSpan {
    from: NaiveDate,
    to: Option<NaiveDate>,
    hourly_minor: i64,
    currency: String,
}

impl RoleRates {
    pub fn new(entries: Vec<(String, NaiveDate, Option<NaiveDate>, i64, String)>) -> RoleRates {
        let mut rates: HashMap<String, Vec<RoleRateSpan>> = HashMap::new();
        for (role, from, to, hourly_minor, currency) in entries {
            rates.entry(role).or_default().push(RoleRateSpan {
                from,
                to,
                hourly_minor,
                currency,
            });
        }
        for spans in rates.values_mut() {
            spans.sort_by_key(|s| s.from);
        }
        RoleRates { rates }
    }

    /// The hourly rate valid for `role` on `on`: the latest one that started on or before
    /// the date and has not ended.
    pub fn hourly(&self, role: &str, on: NaiveDate) -> Option<(i64, &str)> {
        self.rates
            .get(role)?
            .iter()
            .rev()
            .find(|s| s.from <= on && s.to.is_none_or(|to| on <= to))
            .map(|s| (s.hourly_minor, s.currency.as_str()))
    }

    /// Hours valued in minor units of `to`: `None` when the role rate or the exchange
    /// rate is missing.
    pub fn value(
        &self,
        role: &str,
        hours: f64,
        on: NaiveDate,
        rates: &RateTable,
        to: &str,
    ) -> Option<f64> {
        let (hourly, currency) = self.hourly(role, on)?;
        let factor = rates.factor(currency, to, on)?;
        Some(hours * hourly as f64 * factor)
    }

    pub fn roles(&self) -> impl Iterator<Item = &str> {
        self.rates.keys().map(String::as_str)
    }
}

/// A calendar date as the integer yyyymmdd: ordered like the date, read straight from
/// the stored `YYYY-MM-DD` text without calendar arithmetic.
pub fn date_key(text: &[u8]) -> Option<u32> {
    if text.len() != 10 || text[4] != b'-' || text[7] != b'-' {
        return None;
    }
    let mut key = 0u32;
    for (i, b) in text.iter().enumerate() {
        if i == 4 || i == 7 {
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        key = key * 10 + u32::from(b - b'0');
    }
    Some(key)
}

fn key_of(d: NaiveDate) -> u32 {
    use chrono::Datelike;
    d.year().max(0) as u32 * 10_000 + d.month() * 100 + d.day()
}

/// `RateTable::factor` towards one target currency, precomputed at every date where
/// a rate changes, so an aggregate over a million rows looks factors up by binary
/// search on integer dates instead of walking the table.
/// (change date key, factor or None when a rate is missing), in date order.
type FactorPoints = Vec<(u32, Option<f64>)>;

pub struct FactorIndex {
    /// Per source currency, its factor points.
    currencies: Vec<(String, FactorPoints)>,
    target: String,
}

impl FactorIndex {
    pub fn new(rates: &RateTable, target: &str) -> FactorIndex {
        let mut change_dates: Vec<NaiveDate> = rates
            .rates
            .get(target)
            .map(|l| l.iter().map(|(d, _)| *d).collect())
            .unwrap_or_default();
        change_dates.push(NaiveDate::MIN);
        let mut sources: Vec<&String> = rates.rates.keys().collect();
        let base = rates.base.clone();
        sources.push(&base);
        let mut currencies = Vec::new();
        for source in sources {
            let mut dates = change_dates.clone();
            if let Some(list) = rates.rates.get(source) {
                dates.extend(list.iter().map(|(d, _)| *d));
            }
            dates.sort();
            dates.dedup();
            let points = dates
                .into_iter()
                .map(|d| (key_of(d), rates.factor(source, target, d)))
                .collect();
            currencies.push((source.clone(), points));
        }
        FactorIndex {
            currencies,
            target: target.to_string(),
        }
    }

    /// Factor from `currency` to the target on the date with key `on` (see `date_key`).
    pub fn factor(&self, currency: &str, on: u32) -> Option<f64> {
        if currency == self.target {
            return Some(1.0);
        }
        let (_, points) = self.currencies.iter().find(|(c, _)| c == currency)?;
        let idx = points.partition_point(|(d, _)| *d <= on);
        if idx == 0 {
            return None;
        }
        points[idx - 1].1
    }
}

/// Parses a `date_key` back into a date (for warnings).
pub fn date_of_key(key: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((key / 10_000) as i32, (key / 100) % 100, key % 100)
}
