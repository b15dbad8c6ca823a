//! The queries behind the ROI engine. Currency conversion and hour valuation run inside
//! the aggregate through two SQL functions backed by the rate tables, so a summary over
//! a million cost entries is one pass of SQLite with no per-row trip into Rust code
//! other than those functions.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use rusqlite::params;

use crate::error::Result;
use crate::model::{
    Ask, CostCategory, FinancingStatus, MeetingResult, MembershipRole, MembershipStatus,
    OutcomeKind,
};
use crate::money::{RateTable, RoleRates};
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
    pub value_minor: f64,
    pub hours: f64,
    pub first_on: Option<NaiveDate>,
}

/// One attribution of an outcome to a membership.
#[derive(Debug, Clone)]
pub struct AttributedOutcome {
    pub membership_id: String,
    pub outcome_id: String,
    pub kind: OutcomeKind,
    pub occurred_on: NaiveDate,
    pub share: f64,
    pub currency: Option<String>,
    pub amount_minor: Option<i64>,
    pub committed_minor: Option<i64>,
    pub disbursed_minor: Option<i64>,
    pub financing_status: Option<FinancingStatus>,
    pub months_saved: Option<f64>,
    /// Sum of all live shares of this outcome, in basis points.
    pub total_share_bp: i64,
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

/// What was missing while converting: (currency, date) and (role, date).
#[derive(Debug, Clone, Default)]
pub struct MissingRates {
    pub exchange: BTreeSet<(String, NaiveDate)>,
    pub role: BTreeSet<(String, NaiveDate)>,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn date_col(row: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(row
        .get::<_, Option<String>>(i)?
        .as_deref()
        .and_then(parse_date))
}

fn enum_col<T: serde::de::DeserializeOwned>(
    row: &rusqlite::Row,
    i: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(i)?;
    Ok(text.and_then(|t| serde_json::from_value(serde_json::Value::String(t)).ok()))
}

impl Store {
    pub fn rate_table(&self) -> Result<RateTable> {
        let mut stmt = self
            .conn()
            .prepare("SELECT currency, on_date, rate FROM exchange_rate WHERE deleted = 0")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, date_col(r, 1)?, r.get::<_, f64>(2)?))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (currency, on, rate) = row?;
            if let Some(on) = on {
                entries.push((currency, on, rate));
            }
        }
        Ok(RateTable::new(&self.office().reporting_currency, entries))
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

    /// Cost per (membership, category) in the period, converted to `currency`.
    pub fn roi_costs(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
        city_id: Option<&str>,
        rates: Arc<RateTable>,
        roles: Arc<RoleRates>,
    ) -> Result<(Vec<CostAggregate>, MissingRates)> {
        let missing = Arc::new(Mutex::new(MissingRates::default()));
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
        {
            let (rates, missing, target) = (rates.clone(), missing.clone(), currency.to_string());
            self.conn()
                .create_scalar_function("cabildo_fx", 2, flags, move |ctx| {
                    let from: String = ctx.get(0)?;
                    let on: String = ctx.get(1)?;
                    let Some(on) = parse_date(&on) else {
                        return Ok(None);
                    };
                    let factor = rates.factor(&from, &target, on);
                    if factor.is_none() {
                        if let Ok(mut m) = missing.lock() {
                            m.exchange.insert((from, on));
                        }
                    }
                    Ok(factor)
                })?;
        }
        {
            let (missing, target) = (missing.clone(), currency.to_string());
            self.conn()
                .create_scalar_function("cabildo_hour", 2, flags, move |ctx| {
                    let role: String = ctx.get(0)?;
                    let on: String = ctx.get(1)?;
                    let Some(on) = parse_date(&on) else {
                        return Ok(None);
                    };
                    match roles.hourly(&role, on) {
                        None => {
                            if let Ok(mut m) = missing.lock() {
                                m.role.insert((role, on));
                            }
                            Ok(None)
                        }
                        Some((hourly, cur)) => {
                            let factor = rates.factor(cur, &target, on);
                            if factor.is_none() {
                                if let Ok(mut m) = missing.lock() {
                                    m.exchange.insert((cur.to_string(), on));
                                }
                            }
                            Ok(factor.map(|f| hourly as f64 * f))
                        }
                    }
                })?;
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT membership_id, city_id, category,
                    TOTAL(CASE WHEN hours IS NULL THEN amount_minor * cabildo_fx(currency, spent_on)
                               ELSE hours * cabildo_hour(role, spent_on) END),
                    TOTAL(hours), MIN(spent_on)
             FROM cost_entry
             WHERE deleted = 0 AND spent_on >= ?1 AND spent_on <= ?2 AND (?3 IS NULL OR city_id = ?3)
             GROUP BY membership_id, city_id, category",
        )?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string(), city_id], |r| {
            Ok(CostAggregate {
                membership_id: r.get(0)?,
                city_id: r.get(1)?,
                category: enum_col(r, 2)?.unwrap_or(CostCategory::Other),
                value_minor: r.get(3)?,
                hours: r.get(4)?,
                first_on: date_col(r, 5)?,
            })
        })?;
        let aggregates = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let missing = missing.lock().map(|m| m.clone()).unwrap_or_default();
        Ok((aggregates, missing))
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
                    (SELECT SUM(a2.share_bp) FROM attribution a2 WHERE a2.outcome_id = o.id AND a2.deleted = 0)
             FROM attribution a JOIN outcome o ON o.id = a.outcome_id
             JOIN membership m ON m.id = a.membership_id
             WHERE a.deleted = 0 AND o.deleted = 0 AND o.occurred_on <= ?1 AND (?2 IS NULL OR m.city_id = ?2)",
        )?;
        let rows = stmt.query_map(params![to.to_string(), city_id], |r| {
            Ok(AttributedOutcome {
                membership_id: r.get(0)?,
                outcome_id: r.get(1)?,
                kind: enum_col(r, 2)?.unwrap_or(OutcomeKind::PolicyTransfer),
                occurred_on: date_col(r, 3)?.unwrap_or(NaiveDate::MIN),
                share: r.get::<_, i64>(4)? as f64 / 10_000.0,
                currency: r.get(5)?,
                amount_minor: r.get(6)?,
                committed_minor: r.get(7)?,
                disbursed_minor: r.get(8)?,
                financing_status: enum_col(r, 9)?,
                months_saved: r.get(10)?,
                total_share_bp: r.get::<_, Option<i64>>(11)?.unwrap_or(0),
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

    /// Newest write in the file: the "data date" of reports and charts.
    pub fn data_stamp(&self) -> Result<i64> {
        let mut latest = 0;
        for kind in crate::records::RecordKind::ALL {
            let sql = format!(
                "SELECT COALESCE(MAX(updated_at), 0) FROM {}",
                kind.info().table
            );
            latest = latest.max(self.conn().query_row(&sql, [], |r| r.get::<_, i64>(0))?);
        }
        Ok(latest)
    }
}
