//! The queries behind the ROI engine. Currency conversion and hour valuation run inside
//! the aggregate through two SQL functions backed by the rate tables, so a summary over
//! a million cost entries is one pass of SQLite with no per-row trip into Rust code
//! other than those functions.

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::{
    CostCategory, FinancingStatus, Instrument, MembershipRole, MembershipStatus, OutcomeKind,
    RepaymentProfile,
};
use crate::money::{date_key, date_of_key, FactorIndex, RateTable, RoleRates};
use crate::store::cost_index::IndexedCost;
use crate::store::input_index::{self, MeetingIndex, MeetingTally, ThesisIndex};
use crate::store::Store;

/// A membership with the names the report shows.
#[derive(Debug, Clone)]
pub struct MembershipInfo {
    pub id: Arc<str>,
    pub city_id: Arc<str>,
    pub city_name: Arc<str>,
    pub network_id: Arc<str>,
    pub network_acronym: Arc<str>,
    pub network_name: Arc<str>,
    pub status: MembershipStatus,
    pub role: MembershipRole,
    pub core: bool,
    pub joined_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub renewal_on: Option<NaiveDate>,
    /// The recorded yearly dues (the budget proposal's second source after invoices);
    /// an unreadable value counts as none.
    pub dues_minor: Option<i64>,
    pub dues_currency: Option<Arc<str>>,
}

/// Costs of one membership (or of a city's general work when `membership_id` is None)
/// in the period, per category (`CostCategory::ALL`'s order), already in the reporting
/// currency.
#[derive(Debug, Clone)]
pub struct CostAggregate {
    pub membership_id: Option<Arc<str>>,
    pub city_id: Arc<str>,
    /// Per category, the sum of the entries' contributions, each rounded to the minor
    /// unit.
    pub values: [i128; 6],
    pub hours: [f64; 6],
    /// Per category, the first entry's date (None: the category has no entry).
    pub first_on: [Option<NaiveDate>; 6],
}

/// What one cost entry contributes to a figure in the reporting currency.
#[derive(Debug, Clone, PartialEq)]
pub enum CostValue {
    /// Minor units of the reporting currency.
    Minor(i64),
    /// No exchange rate from this currency on this date.
    MissingExchange(String, NaiveDate),
    /// No hourly rate for this role on this date.
    MissingRole(String, NaiveDate),
    /// The converted value does not fit any figure (a hostile or mistyped record).
    OutOfRange,
}

/// The valuation rule of a cost entry, one for the summary and the breakdown of a
/// figure: money is converted on its date; hours are valued at the role's rate on
/// their date, converted the same way; each result is rounded to the minor unit.
pub fn value_cost(
    amount_minor: Option<i64>,
    currency: Option<&str>,
    hours: Option<f64>,
    role: Option<&str>,
    on: NaiveDate,
    roles: &RoleRates,
    factor: impl Fn(&str) -> Option<f64>,
) -> CostValue {
    let (value, cur) = match hours {
        Some(hours) => {
            let role = role.unwrap_or("");
            let Some((hourly, cur)) = roles.hourly(role, on) else {
                return CostValue::MissingRole(role.to_string(), on);
            };
            (hours * hourly as f64, cur)
        }
        None => (amount_minor.unwrap_or(0) as f64, currency.unwrap_or("")),
    };
    match factor(cur) {
        None => CostValue::MissingExchange(cur.to_string(), on),
        Some(f) => match crate::money::to_minor(value * f) {
            Some(minor) => CostValue::Minor(minor),
            None => CostValue::OutOfRange,
        },
    }
}

/// One cost entry as a figure's breakdown lists it.
#[derive(Debug, Clone)]
pub struct CostRow {
    pub id: String,
    pub city_id: String,
    pub spent_on: NaiveDate,
    pub category: CostCategory,
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    pub hours: Option<f64>,
    pub role: Option<String>,
    pub description: Option<String>,
}

/// What the engine reads of an outcome, with no text of its own: the outcome index
/// holds one per outcome of a coordinator's file (1.4 million).
#[derive(Debug, Clone)]
pub struct OutcomeFacts {
    pub kind: OutcomeKind,
    pub occurred_on: NaiveDate,
    pub months_saved: Option<f64>,
    /// Volume and terms; None when the outcome records none of them.
    pub financing: Option<Box<FinancingFacts>>,
}

/// A financing outcome's volume and the terms its grant element is computed from.
#[derive(Debug, Clone, Default)]
pub struct FinancingFacts {
    pub currency: Option<Arc<str>>,
    pub amount_minor: Option<i64>,
    pub committed_minor: Option<i64>,
    pub disbursed_minor: Option<i64>,
    pub financing_status: Option<FinancingStatus>,
    pub instrument: Option<Instrument>,
    pub interest_rate: Option<f64>,
    pub tenor_years: Option<f64>,
    pub grace_years: Option<f64>,
    pub repayment_profile: Option<RepaymentProfile>,
    pub payments_per_year: Option<i64>,
}

static NO_FINANCING: FinancingFacts = FinancingFacts {
    currency: None,
    amount_minor: None,
    committed_minor: None,
    disbursed_minor: None,
    financing_status: None,
    instrument: None,
    interest_rate: None,
    tenor_years: None,
    grace_years: None,
    repayment_profile: None,
    payments_per_year: None,
};

impl OutcomeFacts {
    /// The volume and terms, all empty when the outcome records none.
    pub fn financing(&self) -> &FinancingFacts {
        self.financing.as_deref().unwrap_or(&NO_FINANCING)
    }

    pub fn currency(&self) -> Option<&str> {
        self.financing().currency.as_deref()
    }
}

/// The columns `outcome_facts` reads, in its order.
const OUTCOME_FACTS_COLUMNS: &str =
    "o.kind, o.occurred_on, o.months_saved, o.currency, o.amount_minor,
    o.committed_minor, o.disbursed_minor, o.financing_status, o.instrument, o.interest_rate,
    o.tenor_years, o.grace_years, o.repayment_profile, o.payments_per_year";

/// Reads `OUTCOME_FACTS_COLUMNS` from column `at` on; `currency` makes the shared text of
/// a currency code (the index keeps one per code).
pub(super) fn outcome_facts(
    r: &rusqlite::Row,
    at: usize,
    currency: &mut impl FnMut(&str) -> Arc<str>,
) -> rusqlite::Result<OutcomeFacts> {
    let financing = FinancingFacts {
        currency: r.get_ref(at + 3)?.as_str_or_null()?.map(&mut *currency),
        amount_minor: r.get(at + 4)?,
        committed_minor: r.get(at + 5)?,
        disbursed_minor: r.get(at + 6)?,
        financing_status: enum_col(r, at + 7)?,
        instrument: enum_col(r, at + 8)?,
        interest_rate: r.get(at + 9)?,
        tenor_years: r.get(at + 10)?,
        grace_years: r.get(at + 11)?,
        repayment_profile: enum_col(r, at + 12)?,
        payments_per_year: r.get(at + 13)?,
    };
    let recorded = financing.currency.is_some()
        || financing.amount_minor.is_some()
        || financing.committed_minor.is_some()
        || financing.disbursed_minor.is_some()
        || financing.financing_status.is_some()
        || financing.instrument.is_some()
        || financing.interest_rate.is_some()
        || financing.tenor_years.is_some()
        || financing.grace_years.is_some()
        || financing.repayment_profile.is_some()
        || financing.payments_per_year.is_some();
    Ok(OutcomeFacts {
        kind: enum_col(r, at)?.unwrap_or(OutcomeKind::PolicyTransfer),
        occurred_on: date_col(r, at + 1)?.unwrap_or(NaiveDate::MIN),
        months_saved: r.get(at + 2)?,
        financing: recorded.then(|| Box::new(financing)),
    })
}

/// The live attributions of live outcomes that occurred on or before ?1 (every date
/// when NULL), of the city ?2 (every city when NULL), with `columns` before the facts.
///
/// Every city's outcomes are read in storage order (walking an index by date visits the
/// table at random, six times slower on a coordinator's file); one city's by its index.
pub(super) fn live_attributions_sql(columns: &str, one_city: bool) -> String {
    let (outcomes, of_city) = if one_city {
        ("outcome o", "o.city_id = ?2")
    } else {
        ("outcome o NOT INDEXED", "?2 IS NULL")
    };
    format!(
        "SELECT {columns}, {OUTCOME_FACTS_COLUMNS}
         FROM {outcomes} JOIN attribution a ON a.outcome_id = o.id
         WHERE a.deleted = 0 AND o.deleted = 0 AND (?1 IS NULL OR o.occurred_on <= ?1) AND {of_city}"
    )
}

/// Sums the live shares of each outcome (by rowid), each clamped to 0–100 %.
pub(super) fn share_totals(shares: impl Iterator<Item = (i64, i64)>) -> HashMap<i64, i64> {
    let mut totals: HashMap<i64, i64> = HashMap::new();
    for (outcome, share_bp) in shares {
        let total = totals.entry(outcome).or_default();
        *total = total.saturating_add(share_bp.clamp(0, 10_000));
    }
    totals
}

/// One attribution of an outcome to a membership.
#[derive(Debug, Clone)]
pub struct AttributedOutcome {
    pub membership_id: String,
    pub outcome_id: String,
    /// The share as attributed, in basis points.
    pub share_bp: i64,
    /// The share counted: `share_bp` ÷ 10,000, scaled down in proportion when the
    /// outcome's live shares add up to more than 100 %, so it is counted at most once.
    pub share: f64,
    /// Sum of the live shares of this outcome (within the city when scoped), in basis points.
    pub total_share_bp: i64,
    pub facts: OutcomeFacts,
}

impl std::ops::Deref for AttributedOutcome {
    type Target = OutcomeFacts;
    fn deref(&self) -> &OutcomeFacts {
        &self.facts
    }
}

#[derive(Debug, Clone, Default)]
pub struct MeetingCounts {
    pub held: i64,
    pub with_ask: i64,
    pub asks_achieved: i64,
}

#[derive(Debug, Clone)]
pub struct ThesisInfo {
    pub membership_id: Arc<str>,
    pub id: Arc<str>,
    pub statement: Arc<str>,
    pub start_on: NaiveDate,
    pub horizon_on: NaiveDate,
    pub review_on: Option<NaiveDate>,
    pub reviewed: bool,
}

const COSTS_SQL: &str =
    "SELECT membership_id, city_id, category, amount_minor, currency, hours, role, spent_on
     FROM cost_entry WHERE deleted = 0 AND spent_on >= ?1 AND spent_on <= ?2";

/// Running sums of one membership (or one city's general costs), per category index.
struct CostGroup {
    membership_id: Option<Arc<str>>,
    city_id: Arc<str>,
    values: [i128; 6],
    hours: [f64; 6],
    first_on: [u32; 6],
}

/// The summary's sums over cost entries read in its order, by membership (or by city
/// for general work) and category. One rule for the table's scan and the index.
struct CostSums<'a> {
    from: NaiveDate,
    roles: &'a RoleRates,
    factors: FactorIndex,
    index: HashMap<Box<[u8]>, usize>,
    /// The slot of each of the cost index's groups, once seen (`u32::MAX` before).
    slot_of_group: Vec<u32>,
    groups: Vec<CostGroup>,
    missing: MissingRates,
}

impl<'a> CostSums<'a> {
    fn new(from: NaiveDate, currency: &str, rates: &'a RateTable, roles: &'a RoleRates) -> Self {
        CostSums {
            from,
            roles,
            factors: FactorIndex::new(rates, currency),
            index: HashMap::new(),
            slot_of_group: Vec::new(),
            groups: Vec::new(),
            missing: MissingRates::default(),
        }
    }

    fn add(&mut self, cost: &IndexedCost) {
        let known = cost.group.and_then(|g| {
            let slot = *self.slot_of_group.get(g as usize)?;
            (slot != u32::MAX).then_some(slot as usize)
        });
        let slot = match known {
            Some(slot) => slot,
            None => self.slot_of(cost),
        };
        self.add_to(slot, cost);
    }

    /// The slot of an entry's membership (or of its city's general work), new when first
    /// seen: its city is the city of the first entry read.
    fn slot_of(&mut self, cost: &IndexedCost) -> usize {
        let group_key = cost.membership_id.unwrap_or(cost.city_id).as_bytes();
        let slot = match self.index.get(group_key) {
            Some(slot) => *slot,
            None => {
                self.groups.push(CostGroup {
                    membership_id: cost.membership_id.map(Arc::from),
                    city_id: Arc::from(cost.city_id),
                    values: [0; 6],
                    hours: [0.0; 6],
                    first_on: [u32::MAX; 6],
                });
                self.index.insert(group_key.into(), self.groups.len() - 1);
                self.groups.len() - 1
            }
        };
        if let Some(g) = cost.group {
            let g = g as usize;
            if self.slot_of_group.len() <= g {
                self.slot_of_group.resize(g + 1, u32::MAX);
            }
            self.slot_of_group[g] = u32::try_from(slot).unwrap_or(u32::MAX);
        }
        slot
    }

    fn add_to(&mut self, slot: usize, cost: &IndexedCost) {
        let (c, key) = (cost.category, cost.date);
        if let Some(h) = cost.hours {
            self.groups[slot].hours[c] += h;
        }
        let date = date_of_key(key).unwrap_or(self.from);
        let factors = &self.factors;
        let value = value_cost(
            cost.amount_minor,
            cost.currency,
            cost.hours,
            cost.role,
            date,
            self.roles,
            |cur| factors.factor(cur, key),
        );
        let group = &mut self.groups[slot];
        match value {
            CostValue::Minor(minor) => {
                // i128: fourteen million entries of the largest amount still fit.
                group.values[c] += i128::from(minor);
            }
            CostValue::MissingExchange(cur, on) => {
                self.missing.exchange.insert((cur, on));
            }
            CostValue::MissingRole(role, on) => {
                self.missing.role.insert((role, on));
            }
            CostValue::OutOfRange => self.missing.out_of_range += 1,
        }
        group.first_on[c] = group.first_on[c].min(key);
    }

    fn finish(self) -> (Vec<CostAggregate>, MissingRates) {
        let aggregates = self
            .groups
            .into_iter()
            .map(|group| CostAggregate {
                membership_id: group.membership_id,
                city_id: group.city_id,
                values: group.values,
                hours: group.hours,
                // Keys were read from valid dates: only a category with no entry is None.
                first_on: group.first_on.map(|key| match key {
                    u32::MAX => None,
                    key => date_of_key(key),
                }),
            })
            .collect();
        (aggregates, self.missing)
    }
}

/// The share of an outcome a membership is credited with: its basis points, scaled
/// down in proportion when the outcome's live shares (`total_bp`) pass 100 %, so the
/// outcome counts at most once.
pub fn counted_share(share_bp: i64, total_bp: i64) -> f64 {
    share_bp.clamp(0, 10_000) as f64 / total_bp.max(10_000) as f64
}

/// What was missing while converting: (currency, date) and (role, date).
#[derive(Debug, Clone, Default)]
pub struct MissingRates {
    pub exchange: BTreeSet<(String, NaiveDate)>,
    pub role: BTreeSet<(String, NaiveDate)>,
    /// Cost entries whose value fits no figure, left out of the totals.
    pub out_of_range: u64,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    date_key(text.as_bytes()).and_then(date_of_key)
}

pub(super) fn date_col(row: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .as_deref()
        .and_then(parse_date))
}

pub(super) fn enum_col<T: serde::de::DeserializeOwned>(
    row: &rusqlite::Row,
    i: usize,
) -> rusqlite::Result<Option<T>> {
    use serde::de::IntoDeserializer;
    let Some(text) = row
        .get_ref(i)?
        .as_str_or_null()
        .map_err(rusqlite::Error::from)?
    else {
        return Ok(None);
    };
    let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
        text.into_deserializer();
    Ok(T::deserialize(deserializer).ok())
}

impl Store {
    pub fn rate_table(&self) -> Result<RateTable> {
        let mut stmt = self.conn().prepare(
            "SELECT id, currency, quote_currency, on_date, rate FROM exchange_rate WHERE deleted = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                date_col(r, 3)?,
                r.get::<_, f64>(4)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, base, quote, on, rate) = row?;
            if let Some(on) = on {
                entries.push((id, base, quote, on, rate));
            }
        }
        Ok(RateTable::new(entries))
    }

    pub fn role_rates(&self) -> Result<RoleRates> {
        let mut stmt = self
            .conn()
            .prepare("SELECT role, valid_from, valid_to, hourly_minor, currency FROM role_rate WHERE deleted = 0")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                date_col(r, 1)?,
                date_col(r, 2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (role, from, to, hourly, currency) = row?;
            if let Some(from) = from {
                entries.push((role, from, to, hourly, currency));
            }
        }
        Ok(RoleRates::new(entries))
    }

    /// The live memberships (of `city_id`, or all) with the names the report shows, by
    /// city name and network acronym: from the kept list when the store keeps one.
    pub fn roi_memberships(&self, city_id: Option<&str>) -> Result<Vec<MembershipInfo>> {
        match self.kept_memberships()? {
            Some(kept) => Ok(input_index::memberships_of(&kept.value, city_id)),
            None => input_index::read_memberships(self.conn(), city_id),
        }
    }

    /// Cost per (membership, category) in the period, converted to `currency`; costs
    /// with no membership are grouped per city.
    ///
    /// From the cost index when the store keeps one (`keep_report_indexes`), else from the
    /// table: the same entries, valued by the same rule and summed in the same order.
    pub fn roi_costs(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
        city_id: Option<&str>,
        rates: &RateTable,
        roles: &RoleRates,
    ) -> Result<(Vec<CostAggregate>, MissingRates)> {
        if let Some(index) = self.cost_index()? {
            let mut sums = CostSums::new(from, currency, rates, roles);
            sums.slot_of_group = vec![u32::MAX; index.groups()];
            let (Some(from_key), Some(to_key)) = (
                date_key(from.to_string().as_bytes()),
                date_key(to.to_string().as_bytes()),
            ) else {
                return Ok(sums.finish());
            };
            for cost in index.between(from_key, to_key) {
                if city_id.is_some_and(|c| c != cost.city_id) {
                    continue;
                }
                sums.add(&cost);
            }
            return Ok(sums.finish());
        }
        self.roi_costs_scan(from, to, currency, city_id, rates, roles)
    }

    /// `roi_costs` read from the table, along its date index.
    ///
    /// Rows are summed in a hash map: a million-row GROUP BY would make SQLite sort
    /// them all, which costs more than the reading itself.
    fn roi_costs_scan(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
        city_id: Option<&str>,
        rates: &RateTable,
        roles: &RoleRates,
    ) -> Result<(Vec<CostAggregate>, MissingRates)> {
        let mut sums = CostSums::new(from, currency, rates, roles);
        let sql = match city_id {
            Some(_) => COSTS_SQL.to_string() + " AND city_id = ?3",
            None => COSTS_SQL.to_string(),
        };
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = match city_id {
            Some(city) => stmt.query(params![from.to_string(), to.to_string(), city])?,
            None => stmt.query(params![from.to_string(), to.to_string()])?,
        };
        while let Some(row) = rows.next()? {
            let category_text = row.get_ref(2)?.as_str()?;
            let Some(category) = CostCategory::ALL
                .iter()
                .position(|c| c.as_str() == category_text)
            else {
                continue;
            };
            let Some(date) = date_key(row.get_ref(7)?.as_bytes()?) else {
                continue;
            };
            let hours = row.get_ref(5)?.as_f64_or_null()?;
            sums.add(&IndexedCost {
                group: None,
                date,
                membership_id: row.get_ref(0)?.as_str_or_null()?,
                city_id: row.get_ref(1)?.as_str()?,
                category,
                amount_minor: row.get_ref(3)?.as_i64_or_null()?,
                currency: row.get_ref(4)?.as_str_or_null()?,
                hours,
                role: row.get_ref(6)?.as_str_or_null()?,
            });
        }
        Ok(sums.finish())
    }

    /// The live cost entries of one membership in the period, or (`None`) the general
    /// work of `city_id` (or of every city): entries with no membership or whose
    /// membership is not live. In storage order, like the summary reads them.
    pub fn cost_rows(
        &self,
        membership_id: Option<&str>,
        city_id: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<CostRow>> {
        let select = "SELECT id, city_id, spent_on, category, amount_minor, currency, hours, role, description
             FROM cost_entry c WHERE deleted = 0 AND spent_on >= ?1 AND spent_on <= ?2";
        let not_live = "(membership_id IS NULL OR NOT EXISTS
             (SELECT 1 FROM membership m WHERE m.id = c.membership_id AND m.deleted = 0))";
        // Each shape has its own statement so SQLite can use the index of its column.
        let sql = match (membership_id, city_id) {
            (Some(_), _) => format!("{select} AND membership_id = ?3 ORDER BY rowid"),
            (None, Some(_)) => format!("{select} AND city_id = ?3 AND {not_live} ORDER BY rowid"),
            (None, None) => format!("{select} AND ?3 IS NULL AND {not_live} ORDER BY rowid"),
        };
        let third = membership_id.or(city_id);
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string(), third], |r| {
            Ok((
                CostRow {
                    id: r.get(0)?,
                    city_id: r.get(1)?,
                    spent_on: date_col(r, 2)?.unwrap_or(from),
                    category: CostCategory::Other,
                    amount_minor: r.get(4)?,
                    currency: r.get(5)?,
                    hours: r.get(6)?,
                    role: r.get(7)?,
                    description: r.get(8)?,
                },
                enum_col::<CostCategory>(r, 3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut row, category) = row?;
            // The summary skips entries of no known category; so does the breakdown.
            let Some(category) = category else { continue };
            row.category = category;
            out.push(row);
        }
        Ok(out)
    }

    /// Every live attribution of a live outcome that occurred on or before `to`, in
    /// the order of the outcomes' date index (date, then outcome, then attribution).
    pub fn roi_outcomes(
        &self,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<AttributedOutcome>> {
        let mut stmt = self.conn().prepare(&live_attributions_sql(
            "a.membership_id, o.id, a.share_bp, o.rowid, a.rowid",
            city_id.is_some(),
        ))?;
        let mut currency = |c: &str| Arc::from(c);
        let mut rows = stmt.query(params![to.to_string(), city_id])?;
        let mut list: Vec<(i64, i64, AttributedOutcome)> = Vec::new();
        while let Some(r) = rows.next()? {
            let outcome = AttributedOutcome {
                membership_id: r.get(0)?,
                outcome_id: r.get(1)?,
                share_bp: r.get(2)?,
                share: 0.0,
                total_share_bp: 0,
                facts: outcome_facts(r, 5, &mut currency)?,
            };
            list.push((r.get(3)?, r.get(4)?, outcome));
        }
        list.sort_unstable_by_key(|(o, a, outcome)| (outcome.occurred_on, *o, *a));
        let totals = share_totals(list.iter().map(|(o, _, outcome)| (*o, outcome.share_bp)));
        Ok(list
            .into_iter()
            .map(|(o, _, mut outcome)| {
                outcome.total_share_bp = totals.get(&o).copied().unwrap_or(0);
                outcome.share = counted_share(outcome.share_bp, outcome.total_share_bp);
                outcome
            })
            .collect())
    }

    /// The same attributions as `roi_outcomes`, of one membership only, by its index
    /// (the breakdown of one figure on a coordinator's file).
    pub fn roi_outcomes_of(
        &self,
        membership_id: &str,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<AttributedOutcome>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT a.membership_id, o.id, a.share_bp,
                    (SELECT SUM(MIN(MAX(b.share_bp, 0), 10000)) FROM attribution b
                      WHERE b.outcome_id = o.id AND b.deleted = 0),
                    {OUTCOME_FACTS_COLUMNS}
             FROM attribution a JOIN outcome o ON o.id = a.outcome_id
             WHERE a.membership_id = ?1 AND a.deleted = 0 AND o.deleted = 0 AND o.occurred_on <= ?2
               AND (?3 IS NULL OR o.city_id = ?3)
             ORDER BY a.rowid"
        ))?;
        let mut currency = |c: &str| Arc::from(c);
        let mut rows = stmt.query(params![membership_id, to.to_string(), city_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let share_bp = r.get::<_, i64>(2)?;
            let total_share_bp = r.get::<_, Option<i64>>(3)?.unwrap_or(0);
            out.push(AttributedOutcome {
                membership_id: r.get(0)?,
                outcome_id: r.get(1)?,
                share_bp,
                share: counted_share(share_bp, total_share_bp),
                total_share_bp,
                facts: outcome_facts(r, 4, &mut currency)?,
            });
        }
        Ok(out)
    }

    /// Meetings held from `from` to `to` per membership (of `city_id`, or all): from the
    /// kept meeting index when the store keeps one.
    pub fn roi_meetings(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<(String, MeetingCounts)>> {
        self.meetings_in(from, to, city_id, MeetingIndex::counts)
    }

    /// The same meetings as `roi_meetings`, counted per membership, ask and result (the
    /// asks-to-results chart): from the kept meeting index when the store keeps one.
    pub(crate) fn meeting_tallies(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<MeetingTally>> {
        self.meetings_in(from, to, city_id, MeetingIndex::tallies)
    }

    /// One answer about the meetings of a period: from the kept meeting index, else from
    /// one read for that period and city.
    fn meetings_in<T>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
        answer: impl Fn(&MeetingIndex, NaiveDate, NaiveDate, Option<&str>) -> T,
    ) -> Result<T> {
        Ok(match self.meeting_index()? {
            Some(kept) => answer(&kept.value, from, to, city_id),
            None => answer(
                &MeetingIndex::read(self.conn(), Some((from, to)), city_id)?,
                from,
                to,
                city_id,
            ),
        })
    }

    /// Theses that had started by `on`, newest start first per membership: from the
    /// kept thesis index when the store keeps one.
    pub fn roi_theses(&self, on: NaiveDate, city_id: Option<&str>) -> Result<Vec<ThesisInfo>> {
        Ok(match self.thesis_index()? {
            Some(kept) => kept.value.theses(on, city_id),
            None => ThesisIndex::read(self.conn(), Some(on), city_id)?.theses(on, city_id),
        })
    }

    /// Newest write in the file: the "data date" of reports and charts. Kept by the
    /// store's clock, which every write and merge moves forward.
    pub fn data_stamp(&self) -> Result<i64> {
        Ok(self.last_stamp)
    }

    /// Reads the newest stamp from the tables (once, at open).
    pub(super) fn scan_stamp(&self) -> Result<i64> {
        let mut latest = 0;
        for kind in crate::kinds::RecordKind::ALL {
            let sql = format!(
                "SELECT COALESCE(MAX(updated_at), 0) FROM {}",
                kind.desc().table
            );
            latest = latest.max(self.conn().query_row(&sql, [], |r| r.get::<_, i64>(0))?);
        }
        Ok(latest)
    }
}
