//! Currencies, exchange rates and the valuation of hours.
//!
//! Amounts are stored as integer minor units. Conversion uses the rates on or before the
//! date (direct, inverse, or through one common currency); a missing rate is reported,
//! never replaced by zero.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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

/// One stored rate as a conversion used it: "1 USD = 17.25 MXN on 2026-01-31".
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct RateUsed {
    /// The rate record's id.
    pub id: String,
    pub base: String,
    pub quote: String,
    pub on: NaiveDate,
    /// Units of `quote` for one unit of `base`.
    pub rate: f64,
    /// True when the conversion went from `quote` to `base` (the rate's inverse).
    pub inverse: bool,
}

impl RateUsed {
    /// The rates a conversion used, as exports write them: "1 USD = 17.25 MXN (2026-01-01)".
    pub fn list_text(rates: &[RateUsed]) -> String {
        rates
            .iter()
            .map(|r| format!("1 {} = {} {} ({})", r.base, r.rate, r.quote, r.on))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// How an amount goes from one currency to another on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// Multiplies minor units of the source into minor units of the target.
    pub factor: f64,
    /// The rates it used, in order (none when both currencies are the same).
    pub rates: Vec<RateUsed>,
}

/// A stored rate: `1 base = rate quote` from `on`.
#[derive(Debug, Clone)]
struct DatedRate {
    on: NaiveDate,
    rate: f64,
    id: String,
}

/// Dated exchange rates, each naming both its currencies. A conversion uses, on or
/// before its date, a direct rate, the inverse of one, or a path through one common
/// currency; the newest evidence wins, so its meaning never depends on whose file the
/// rates came from.
#[derive(Debug, Clone, Default)]
pub struct RateTable {
    /// Per (base, quote), its rates in date order.
    pairs: HashMap<(String, String), Vec<DatedRate>>,
    /// Per currency, the currencies it has a rate with (either way).
    neighbours: HashMap<String, BTreeSet<String>>,
}

/// One leg of a conversion: value of one unit, the date of its evidence, the rate used.
type Leg = (f64, NaiveDate, RateUsed);

impl RateTable {
    /// `entries`: (id, base, quote, date, units of quote per unit of base).
    pub fn new(entries: Vec<(String, String, String, NaiveDate, f64)>) -> RateTable {
        let mut table = RateTable::default();
        for (id, base, quote, on, rate) in entries {
            if base == quote || !rate.is_finite() || rate <= 0.0 {
                continue;
            }
            table
                .neighbours
                .entry(base.clone())
                .or_default()
                .insert(quote.clone());
            table
                .neighbours
                .entry(quote.clone())
                .or_default()
                .insert(base.clone());
            table
                .pairs
                .entry((base, quote))
                .or_default()
                .push(DatedRate { on, rate, id });
        }
        for list in table.pairs.values_mut() {
            list.sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));
        }
        table
    }

    /// Every date on which some rate starts to apply.
    fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = self
            .pairs
            .values()
            .flat_map(|l| l.iter().map(|r| r.on))
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }

    fn latest(&self, base: &str, quote: &str, on: NaiveDate) -> Option<&DatedRate> {
        let list = self.pairs.get(&(base.to_string(), quote.to_string()))?;
        let idx = list.partition_point(|r| r.on <= on);
        (idx > 0).then(|| &list[idx - 1])
    }

    /// One unit of `from` in `to` by one stored rate, direct or inverse (the newer).
    fn leg(&self, from: &str, to: &str, on: NaiveDate) -> Option<Leg> {
        let used = |r: &DatedRate, base: &str, quote: &str, inverse: bool| RateUsed {
            id: r.id.clone(),
            base: base.to_string(),
            quote: quote.to_string(),
            on: r.on,
            rate: r.rate,
            inverse,
        };
        let direct = self
            .latest(from, to, on)
            .map(|r| (r.rate, r.on, used(r, from, to, false)));
        let inverse = self
            .latest(to, from, on)
            .map(|r| (1.0 / r.rate, r.on, used(r, to, from, true)));
        match (direct, inverse) {
            (Some(d), Some(i)) => Some(if i.1 > d.1 { i } else { d }),
            (d, i) => d.or(i),
        }
    }

    /// Value of one unit of `from` in `to` on `on`, with the rates used.
    fn unit_value(&self, from: &str, to: &str, on: NaiveDate) -> Option<(f64, Vec<RateUsed>)> {
        if from == to {
            return Some((1.0, Vec::new()));
        }
        if let Some((value, _, rate)) = self.leg(from, to, on) {
            return Some((value, vec![rate]));
        }
        // Through one common currency: the path whose older rate is newest; ties go
        // to the first currency by code, so every office picks the same path.
        let (from_n, to_n) = (self.neighbours.get(from)?, self.neighbours.get(to)?);
        let mut best: Option<(NaiveDate, f64, Vec<RateUsed>)> = None;
        for via in from_n.intersection(to_n) {
            let (Some(a), Some(b)) = (self.leg(from, via, on), self.leg(via, to, on)) else {
                continue;
            };
            let evidence = a.1.min(b.1);
            if best.as_ref().is_none_or(|(d, _, _)| evidence > *d) {
                best = Some((evidence, a.0 * b.0, vec![a.2, b.2]));
            }
        }
        best.map(|(_, value, rates)| (value, rates))
    }

    /// How minor units of `from` become minor units of `to` on a date, if they can.
    pub fn conversion(&self, from: &str, to: &str, on: NaiveDate) -> Option<Conversion> {
        let (value, rates) = self.unit_value(from, to, on)?;
        // Scaled only when the minor units differ, so a rate between two currencies
        // of two decimals is used exactly as written.
        let (e_from, e_to) = (exponent(from), exponent(to));
        let factor = match e_to.cmp(&e_from) {
            std::cmp::Ordering::Equal => value,
            std::cmp::Ordering::Greater => value * 10f64.powi((e_to - e_from) as i32),
            std::cmp::Ordering::Less => value / 10f64.powi((e_from - e_to) as i32),
        };
        factor.is_finite().then_some(Conversion { factor, rates })
    }

    /// Factor that turns minor units of `from` into minor units of `to` on a date.
    pub fn factor(&self, from: &str, to: &str, on: NaiveDate) -> Option<f64> {
        self.conversion(from, to, on).map(|c| c.factor)
    }

    /// Converts an amount, rounding to the nearest minor unit.
    pub fn convert(&self, amount_minor: i64, from: &str, to: &str, on: NaiveDate) -> Option<i64> {
        self.factor(from, to, on)
            .and_then(|f| to_minor(amount_minor as f64 * f))
    }

    fn currencies(&self) -> impl Iterator<Item = &String> {
        self.neighbours.keys()
    }
}

/// A converted value rounded to the nearest minor unit: the one rounding of every
/// figure, applied to each record's contribution so a figure is the exact sum of the
/// contributions it lists. `None` when the value is not finite or beyond `i64`.
pub fn to_minor(value: f64) -> Option<i64> {
    let rounded = value.round();
    (rounded.is_finite() && rounded.abs() < 9.0e18).then_some(rounded as i64)
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
        let mut dates = rates.change_dates();
        dates.insert(0, NaiveDate::MIN);
        let currencies = rates
            .currencies()
            .filter(|c| c.as_str() != target)
            .map(|source| {
                let points = dates
                    .iter()
                    .map(|d| (key_of(*d), rates.factor(source, target, *d)))
                    .collect();
                (source.clone(), points)
            })
            .collect();
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
