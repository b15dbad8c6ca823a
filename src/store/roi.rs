//! The queries behind the ROI engine. Currency conversion and hour valuation run inside
//! the aggregate through two SQL functions backed by the rate tables, so a summary over
//! a million cost entries is one pass of SQLite with no per-row trip into Rust code
//! other than those functions.

use std::collections::BTreeSet;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::{
    Ask, CostCategory, FinancingStatus, Instrument, MeetingResult, MembershipRole,
    MembershipStatus, OutcomeKind, RepaymentProfile,
};
use crate::money::{date_key, date_of_key, FactorIndex, RateTable, RoleRates};
use crate::store::Store;

/// A membership with the names the report shows.
#[derive(Debug, Clone)]
pub struct MembershipInfo {
    pub id: String,
    pub city_id: String,
    pub city_name: String,
    pub network_id: String,
    pub network_acronym: String,
    pub network_name: String,
    pub status: MembershipStatus,
    pub role: MembershipRole,
    pub core: bool,
    pub joined_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub renewal_on: Option<NaiveDate>,
}

/// Costs of one membership (or of a city's general work when `membership_id` is None)
/// and category in the period, already in the reporting currency.
#[derive(Debug, Clone)]
pub struct CostAggregate {
    pub membership_id: Option<String>,
    pub city_id: String,
    pub category: CostCategory,
    /// Sum of the entries' contributions, each rounded to the minor unit.
    pub value_minor: i128,
    pub hours: f64,
    pub first_on: Option<NaiveDate>,
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

/// One attribution of an outcome to a membership.
#[derive(Debug, Clone)]
pub struct AttributedOutcome {
    pub membership_id: String,
    pub outcome_id: String,
    pub kind: OutcomeKind,
    pub occurred_on: NaiveDate,
    /// The share as attributed, in basis points.
    pub share_bp: i64,
    /// The share counted: `share_bp` ÷ 10,000, scaled down in proportion when the
    /// outcome's live shares add up to more than 100 %, so it is counted at most once.
    pub share: f64,
    pub currency: Option<String>,
    pub amount_minor: Option<i64>,
    pub committed_minor: Option<i64>,
    pub disbursed_minor: Option<i64>,
    pub financing_status: Option<FinancingStatus>,
    pub months_saved: Option<f64>,
    /// Sum of the live shares of this outcome (within the city when scoped), in basis points.
    pub total_share_bp: i64,
    /// The terms its grant element is computed from.
    pub instrument: Option<Instrument>,
    pub interest_rate: Option<f64>,
    pub tenor_years: Option<f64>,
    pub grace_years: Option<f64>,
    pub repayment_profile: Option<RepaymentProfile>,
    pub payments_per_year: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingCounts {
    pub held: i64,
    pub with_ask: i64,
    pub asks_achieved: i64,
}

#[derive(Debug, Clone)]
pub struct ThesisInfo {
    pub membership_id: String,
    pub id: String,
    pub statement: String,
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
    membership_id: Option<String>,
    city_id: String,
    values: [i128; 6],
    hours: [f64; 6],
    first_on: [u32; 6],
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

    pub fn roi_memberships(&self, city_id: Option<&str>) -> Result<Vec<MembershipInfo>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.id, m.city_id, c.name, m.network_id, n.acronym, n.name, m.status, m.role, m.core,
                    m.joined_on, m.ended_on, m.renewal_on
             FROM membership m JOIN city c ON c.id = m.city_id JOIN network n ON n.id = m.network_id
             WHERE m.deleted = 0 AND (?1 IS NULL OR m.city_id = ?1)
             ORDER BY c.name, n.acronym",
        )?;
        let rows = stmt.query_map([city_id], |r| {
            Ok(MembershipInfo {
                id: r.get(0)?,
                city_id: r.get(1)?,
                city_name: r.get(2)?,
                network_id: r.get(3)?,
                network_acronym: r.get(4)?,
                network_name: r.get(5)?,
                status: enum_col(r, 6)?.unwrap_or(MembershipStatus::Active),
                role: enum_col(r, 7)?.unwrap_or(MembershipRole::Member),
                core: r.get(8)?,
                joined_on: date_col(r, 9)?,
                ended_on: date_col(r, 10)?,
                renewal_on: date_col(r, 11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cost per (membership, category) in the period, converted to `currency`; costs
    /// with no membership are grouped per city.
    ///
    /// Rows are read in storage order and summed in a hash map: a million-row GROUP BY
    /// would make SQLite sort them all, which costs more than the reading itself.
    pub fn roi_costs(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
        city_id: Option<&str>,
        rates: &RateTable,
        roles: &RoleRates,
    ) -> Result<(Vec<CostAggregate>, MissingRates)> {
        let factors = FactorIndex::new(rates, currency);
        let categories: Vec<(String, CostCategory)> =
            CostCategory::ALL.iter().map(|c| (c.code(), *c)).collect();
        let mut missing = MissingRates::default();
        let mut index: HashMap<Box<[u8]>, usize> = HashMap::new();
        let mut groups: Vec<CostGroup> = Vec::new();
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
            let membership = row.get_ref(0)?.as_bytes_or_null()?;
            let city = row.get_ref(1)?.as_bytes()?;
            let group_key = membership.unwrap_or(city);
            let slot = match index.get(group_key) {
                Some(slot) => *slot,
                None => {
                    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
                    groups.push(CostGroup {
                        membership_id: membership.map(text),
                        city_id: text(city),
                        values: [0; 6],
                        hours: [0.0; 6],
                        first_on: [u32::MAX; 6],
                    });
                    index.insert(group_key.into(), groups.len() - 1);
                    groups.len() - 1
                }
            };
            let category_text = row.get_ref(2)?.as_str()?;
            let Some(c) = categories
                .iter()
                .position(|(code, _)| code == category_text)
            else {
                continue;
            };
            let Some(key) = date_key(row.get_ref(7)?.as_bytes()?) else {
                continue;
            };
            let hours = row.get_ref(5)?.as_f64_or_null()?;
            if let Some(h) = hours {
                groups[slot].hours[c] += h;
            }
            let date = date_of_key(key).unwrap_or(from);
            let value = value_cost(
                row.get_ref(3)?.as_i64_or_null()?,
                row.get_ref(4)?.as_str_or_null()?,
                hours,
                row.get_ref(6)?.as_str_or_null()?,
                date,
                roles,
                |cur| factors.factor(cur, key),
            );
            let group = &mut groups[slot];
            match value {
                CostValue::Minor(minor) => {
                    // i128: fourteen million entries of the largest amount still fit.
                    group.values[c] += i128::from(minor);
                }
                CostValue::MissingExchange(cur, on) => {
                    missing.exchange.insert((cur, on));
                }
                CostValue::MissingRole(role, on) => {
                    missing.role.insert((role, on));
                }
                CostValue::OutOfRange => missing.out_of_range += 1,
            }
            group.first_on[c] = group.first_on[c].min(key);
        }
        let mut aggregates = Vec::new();
        for group in groups {
            for (c, (_, category)) in categories.iter().enumerate() {
                if group.first_on[c] == u32::MAX {
                    continue;
                }
                aggregates.push(CostAggregate {
                    membership_id: group.membership_id.clone(),
                    city_id: group.city_id.clone(),
                    category: *category,
                    value_minor: group.values[c],
                    hours: group.hours[c],
                    first_on: date_of_key(group.first_on[c]),
                });
            }
        }
        Ok((aggregates, missing))
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

    /// Every live attribution of a live outcome that occurred on or before `to`.
    pub fn roi_outcomes(
        &self,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<AttributedOutcome>> {
        let mut stmt = self.conn().prepare(
            "SELECT a.membership_id, o.id, o.kind, o.occurred_on, a.share_bp, o.currency, o.amount_minor,
                    o.committed_minor, o.disbursed_minor, o.financing_status, o.months_saved,
                    o.instrument, o.interest_rate, o.tenor_years, o.grace_years, o.repayment_profile,
                    o.payments_per_year
             FROM attribution a JOIN outcome o ON o.id = a.outcome_id
             WHERE a.deleted = 0 AND o.deleted = 0 AND o.occurred_on <= ?1 AND (?2 IS NULL OR o.city_id = ?2)",
        )?;
        let rows = stmt.query_map(params![to.to_string(), city_id], |r| {
            Ok(AttributedOutcome {
                membership_id: r.get(0)?,
                outcome_id: r.get(1)?,
                kind: enum_col(r, 2)?.unwrap_or(OutcomeKind::PolicyTransfer),
                occurred_on: date_col(r, 3)?.unwrap_or(NaiveDate::MIN),
                share_bp: r.get::<_, i64>(4)?,
                share: 0.0,
                currency: r.get(5)?,
                amount_minor: r.get(6)?,
                committed_minor: r.get(7)?,
                disbursed_minor: r.get(8)?,
                financing_status: enum_col(r, 9)?,
                months_saved: r.get(10)?,
                total_share_bp: 0,
                instrument: enum_col(r, 11)?,
                interest_rate: r.get(12)?,
                tenor_years: r.get(13)?,
                grace_years: r.get(14)?,
                repayment_profile: enum_col(r, 15)?,
                payments_per_year: r.get(16)?,
            })
        })?;
        let mut list: Vec<AttributedOutcome> = rows.collect::<rusqlite::Result<_>>()?;
        // Shares of each outcome, summed here rather than by a correlated subquery.
        let mut totals: HashMap<String, i64> = HashMap::new();
        for o in &list {
            let total = totals.entry(o.outcome_id.clone()).or_default();
            *total = total.saturating_add(o.share_bp.clamp(0, 10_000));
        }
        for o in &mut list {
            o.total_share_bp = totals.get(&o.outcome_id).copied().unwrap_or(0);
            o.share = counted_share(o.share_bp, o.total_share_bp);
        }
        Ok(list)
    }

    /// The same attributions as `roi_outcomes`, of one membership only, by its index
    /// (the breakdown of one figure on a coordinator's file).
    pub fn roi_outcomes_of(
        &self,
        membership_id: &str,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<AttributedOutcome>> {
        let mut stmt = self.conn().prepare(
            "SELECT a.membership_id, o.id, o.kind, o.occurred_on, a.share_bp, o.currency, o.amount_minor,
                    o.committed_minor, o.disbursed_minor, o.financing_status, o.months_saved,
                    (SELECT SUM(MIN(MAX(b.share_bp, 0), 10000)) FROM attribution b
                      WHERE b.outcome_id = o.id AND b.deleted = 0),
                    o.instrument, o.interest_rate, o.tenor_years, o.grace_years, o.repayment_profile,
                    o.payments_per_year
             FROM attribution a JOIN outcome o ON o.id = a.outcome_id
             WHERE a.membership_id = ?1 AND a.deleted = 0 AND o.deleted = 0 AND o.occurred_on <= ?2
               AND (?3 IS NULL OR o.city_id = ?3)
             ORDER BY a.rowid",
        )?;
        let rows = stmt.query_map(params![membership_id, to.to_string(), city_id], |r| {
            let share_bp = r.get::<_, i64>(4)?;
            let total_share_bp = r.get::<_, Option<i64>>(11)?.unwrap_or(0);
            Ok(AttributedOutcome {
                membership_id: r.get(0)?,
                outcome_id: r.get(1)?,
                kind: enum_col(r, 2)?.unwrap_or(OutcomeKind::PolicyTransfer),
                occurred_on: date_col(r, 3)?.unwrap_or(NaiveDate::MIN),
                share_bp,
                share: counted_share(share_bp, total_share_bp),
                currency: r.get(5)?,
                amount_minor: r.get(6)?,
                committed_minor: r.get(7)?,
                disbursed_minor: r.get(8)?,
                financing_status: enum_col(r, 9)?,
                months_saved: r.get(10)?,
                total_share_bp,
                instrument: enum_col(r, 12)?,
                interest_rate: r.get(13)?,
                tenor_years: r.get(14)?,
                grace_years: r.get(15)?,
                repayment_profile: enum_col(r, 16)?,
                payments_per_year: r.get(17)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn roi_meetings(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<(String, MeetingCounts)>> {
        let none = Ask::None.code();
        let (achieved, partly) = (MeetingResult::Achieved.code(), MeetingResult::Partly.code());
        let mut stmt = self.conn().prepare(
            "SELECT e.membership_id, COUNT(*), SUM(e.ask <> ?4),
                    SUM(e.ask <> ?4 AND e.result IN (?5, ?6))
             FROM meeting e JOIN membership m ON m.id = e.membership_id
             WHERE e.deleted = 0 AND e.start_on >= ?1 AND e.start_on <= ?2 AND (?3 IS NULL OR m.city_id = ?3)
             GROUP BY e.membership_id",
        )?;
        let rows = stmt.query_map(
            params![
                from.to_string(),
                to.to_string(),
                city_id,
                none,
                achieved,
                partly
            ],
            |r| {
                Ok((
                    r.get(0)?,
                    MeetingCounts {
                        held: r.get(1)?,
                        with_ask: r.get(2)?,
                        asks_achieved: r.get(3)?,
                    },
                ))
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Theses that had started by `on`, newest start first per membership.
    pub fn roi_theses(&self, on: NaiveDate, city_id: Option<&str>) -> Result<Vec<ThesisInfo>> {
        let mut stmt = self.conn().prepare(
            "SELECT t.membership_id, t.id, t.statement, t.start_on, t.horizon_on, t.review_on, t.verdict IS NOT NULL
             FROM thesis t JOIN membership m ON m.id = t.membership_id
             WHERE t.deleted = 0 AND t.start_on <= ?1 AND (?2 IS NULL OR m.city_id = ?2)
             ORDER BY t.membership_id, t.start_on DESC, t.created_at DESC",
        )?;
        let rows = stmt.query_map(params![on.to_string(), city_id], |r| {
            Ok(ThesisInfo {
                membership_id: r.get(0)?,
                id: r.get(1)?,
                statement: r.get(2)?,
                start_on: date_col(r, 3)?.unwrap_or(NaiveDate::MIN),
                horizon_on: date_col(r, 4)?.unwrap_or(NaiveDate::MIN),
                review_on: date_col(r, 5)?,
                reviewed: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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
