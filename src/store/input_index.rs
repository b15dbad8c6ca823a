//! The report's other inputs, kept by the app beside its cost and outcome indexes
//! (issue 13): the memberships with the names the report shows, every meeting's date,
//! ask and result, and the theses. A later report on 13,800 cities read them from
//! SQLite in about 2.3 s; from memory it filters them in milliseconds.
//!
//! Each is one rule for both paths: a one-off report reads one for its period and
//! city, the app keeps one for every date and city, and both answer through the same
//! filter, so the rows and their order are the same. The app's are dropped by the
//! store's change notes of the kinds they read (`Store::note_for_report_indexes`) and
//! read again when another process wrote.

use std::sync::Arc;

use chrono::NaiveDate;
use foldhash::HashMap;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::model::{Ask, MeetingResult, MembershipRole, MembershipStatus};
use crate::money::date_key;
use crate::store::roi::{date_col, enum_col, MeetingCounts, MembershipInfo, ThesisInfo};

/// An input as read at a file state (see `Store::write_state`).
pub(crate) struct Kept<T> {
    pub(crate) state: (i64, u64),
    pub(crate) value: T,
}

/// Shares one allocation among the rows that repeat a text (a city's name, a network's,
/// a currency).
#[derive(Default)]
pub(crate) struct Interner(HashMap<Box<str>, Arc<str>>);

impl Interner {
    pub(crate) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.0.insert(text.into(), shared.clone());
        shared
    }
}

fn text(r: &rusqlite::Row, i: usize, interner: &mut Interner) -> rusqlite::Result<Arc<str>> {
    Ok(interner.get(r.get_ref(i)?.as_str()?))
}

/// The live memberships (of `city_id`, or all) with their names, by city name, network
/// acronym and then the order they were written in.
pub(crate) fn read_memberships(
    conn: &Connection,
    city_id: Option<&str>,
) -> Result<Vec<MembershipInfo>> {
    let mut stmt = conn.prepare(
        "SELECT m.id, m.city_id, c.name, m.network_id, n.acronym, n.name, m.status, m.role, m.core,
                m.joined_on, m.ended_on, m.renewal_on, m.dues_minor, m.dues_currency
         FROM membership m JOIN city c ON c.id = m.city_id JOIN network n ON n.id = m.network_id
         WHERE m.deleted = 0 AND (?1 IS NULL OR m.city_id = ?1)
         ORDER BY c.name, n.acronym, m.rowid",
    )?;
    let mut interner = Interner::default();
    let mut rows = stmt.query([city_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(MembershipInfo {
            id: r.get_ref(0)?.as_str()?.into(),
            city_id: text(r, 1, &mut interner)?,
            city_name: text(r, 2, &mut interner)?,
            network_id: text(r, 3, &mut interner)?,
            network_acronym: text(r, 4, &mut interner)?,
            network_name: text(r, 5, &mut interner)?,
            status: enum_col(r, 6)?.unwrap_or(MembershipStatus::Active),
            role: enum_col(r, 7)?.unwrap_or(MembershipRole::Member),
            core: r.get(8)?,
            joined_on: date_col(r, 9)?,
            ended_on: date_col(r, 10)?,
            renewal_on: date_col(r, 11)?,
            dues_minor: r.get_ref(12)?.as_i64_or_null().ok().flatten(),
            dues_currency: r
                .get_ref(13)?
                .as_str_or_null()
                .ok()
                .flatten()
                .map(|c| interner.get(c)),
        });
    }
    Ok(out)
}

/// `list`'s memberships of `city_id` (every one when None).
pub(crate) fn memberships_of(
    list: &[MembershipInfo],
    city_id: Option<&str>,
) -> Vec<MembershipInfo> {
    list.iter()
        .filter(|m| city_id.is_none_or(|c| *m.city_id == *c))
        .cloned()
        .collect()
}

/// One meeting as the report counts it.
struct MeetingFact {
    /// `money::date_key` of its start.
    on: u32,
    /// What was asked (none when the column is empty or unreadable) and what came of it
    /// (pending likewise).
    ask: Ask,
    result: MeetingResult,
}

impl MeetingFact {
    fn with_ask(&self) -> bool {
        self.ask != Ask::None
    }

    /// An ask achieved, or partly.
    fn achieved(&self) -> bool {
        self.with_ask() && matches!(self.result, MeetingResult::Achieved | MeetingResult::Partly)
    }
}

/// Meetings of one membership in a period with one ask and one result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MeetingTally {
    pub membership_id: String,
    pub ask: Ask,
    pub result: MeetingResult,
    pub meetings: i64,
}

/// Live meetings grouped by membership (in id order), each group by date.
pub(crate) struct MeetingIndex {
    groups: Vec<(Arc<str>, Arc<str>, Vec<MeetingFact>)>,
}

impl MeetingIndex {
    /// The live meetings that started in `period` (every one when None) of memberships
    /// of `city_id` (every city when None). One whose date cannot be read counts in no
    /// period.
    pub(crate) fn read(
        conn: &Connection,
        period: Option<(NaiveDate, NaiveDate)>,
        city_id: Option<&str>,
    ) -> Result<MeetingIndex> {
        let mut stmt = conn.prepare(
            "SELECT e.membership_id, m.city_id, e.start_on, e.ask, e.result
             FROM meeting e JOIN membership m ON m.id = e.membership_id
             WHERE e.deleted = 0 AND (?1 IS NULL OR e.start_on >= ?1) AND (?2 IS NULL OR e.start_on <= ?2)
                   AND (?3 IS NULL OR m.city_id = ?3)
             ORDER BY e.membership_id",
        )?;
        let (from, to) = period.unzip();
        let mut rows = stmt.query(params![
            from.map(|d| d.to_string()),
            to.map(|d| d.to_string()),
            city_id,
        ])?;
        let mut interner = Interner::default();
        let mut groups: Vec<(Arc<str>, Arc<str>, Vec<MeetingFact>)> = Vec::new();
        while let Some(r) = rows.next()? {
            let membership = r.get_ref(0)?.as_str()?;
            if groups.last().is_none_or(|(m, _, _)| **m != *membership) {
                groups.push((membership.into(), text(r, 1, &mut interner)?, Vec::new()));
            }
            let Some(on) = r
                .get_ref(2)?
                .as_str_or_null()?
                .and_then(|d| date_key(d.as_bytes()))
            else {
                continue;
            };
            if let Some((_, _, facts)) = groups.last_mut() {
                facts.push(MeetingFact {
                    on,
                    ask: enum_col(r, 3)?.unwrap_or(Ask::None),
                    result: enum_col(r, 4)?.unwrap_or(MeetingResult::Pending),
                });
            }
        }
        for (_, _, facts) in &mut groups {
            facts.sort_by_key(|f| f.on);
        }
        Ok(MeetingIndex { groups })
    }

    /// Per membership of `city_id` (every city when None) with meetings from `from` to
    /// `to`: how many were held, with an ask, and with the ask achieved (or partly).
    pub(crate) fn counts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Vec<(String, MeetingCounts)> {
        self.held(from, to, city_id)
            .map(|(membership, held)| {
                (
                    membership.to_string(),
                    MeetingCounts {
                        held: held.len() as i64,
                        with_ask: held.iter().filter(|f| f.with_ask()).count() as i64,
                        asks_achieved: held.iter().filter(|f| f.achieved()).count() as i64,
                    },
                )
            })
            .collect()
    }

    /// The same meetings as `counts`, counted per membership (in id order), ask and
    /// result.
    pub(crate) fn tallies(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Vec<MeetingTally> {
        let mut out = Vec::new();
        for (membership, held) in self.held(from, to, city_id) {
            // A few asks and results: a short list beats a map.
            let mut by: Vec<(Ask, MeetingResult, i64)> = Vec::new();
            for f in held {
                match by
                    .iter_mut()
                    .find(|(a, r, _)| (*a, *r) == (f.ask, f.result))
                {
                    Some((_, _, n)) => *n += 1,
                    None => by.push((f.ask, f.result, 1)),
                }
            }
            out.extend(by.into_iter().map(|(ask, result, meetings)| MeetingTally {
                membership_id: membership.to_string(),
                ask,
                result,
                meetings,
            }));
        }
        out
    }

    /// Per membership of `city_id` (every city when None), its meetings from `from` to
    /// `to`, when it has any.
    fn held<'s>(
        &'s self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&'s str>,
    ) -> impl Iterator<Item = (&'s str, &'s [MeetingFact])> + 's {
        let range = date_key(from.to_string().as_bytes()).zip(date_key(to.to_string().as_bytes()));
        self.groups
            .iter()
            .filter_map(move |(membership, city, facts)| {
                let (from, to) = range?;
                if city_id.is_some_and(|c| **city != *c) {
                    return None;
                }
                let start = facts.partition_point(|f| f.on < from);
                let end = facts.partition_point(|f| f.on <= to);
                let held = facts.get(start..end).filter(|s| !s.is_empty())?;
                Some((&**membership, held))
            })
    }
}

/// Live theses with their membership's city, by membership, newest start first, then
/// newest written.
pub(crate) struct ThesisIndex {
    theses: Vec<(Arc<str>, ThesisInfo)>,
}

impl ThesisIndex {
    /// The theses that had started by `on` (every one when None) of memberships of
    /// `city_id` (every city when None).
    pub(crate) fn read(
        conn: &Connection,
        on: Option<NaiveDate>,
        city_id: Option<&str>,
    ) -> Result<ThesisIndex> {
        let mut stmt = conn.prepare(
            "SELECT t.membership_id, m.city_id, t.id, t.statement, t.start_on, t.horizon_on,
                    t.review_on, t.verdict IS NOT NULL
             FROM thesis t JOIN membership m ON m.id = t.membership_id
             WHERE t.deleted = 0 AND (?1 IS NULL OR t.start_on <= ?1) AND (?2 IS NULL OR m.city_id = ?2)
             ORDER BY t.membership_id, t.start_on DESC, t.created_at DESC, t.rowid DESC",
        )?;
        let mut interner = Interner::default();
        let mut rows = stmt.query(params![on.map(|d| d.to_string()), city_id])?;
        let mut theses = Vec::new();
        while let Some(r) = rows.next()? {
            let city = text(r, 1, &mut interner)?;
            theses.push((
                city,
                ThesisInfo {
                    membership_id: text(r, 0, &mut interner)?,
                    id: r.get_ref(2)?.as_str()?.into(),
                    statement: r.get_ref(3)?.as_str()?.into(),
                    start_on: date_col(r, 4)?.unwrap_or(NaiveDate::MIN),
                    horizon_on: date_col(r, 5)?.unwrap_or(NaiveDate::MIN),
                    review_on: date_col(r, 6)?,
                    reviewed: r.get(7)?,
                },
            ));
        }
        Ok(ThesisIndex { theses })
    }

    /// The theses that had started by `on`, of `city_id` (every city when None), in
    /// the index's order.
    pub(crate) fn theses(&self, on: NaiveDate, city_id: Option<&str>) -> Vec<ThesisInfo> {
        self.theses
            .iter()
            .filter(|(city, t)| t.start_on <= on && city_id.is_none_or(|c| **city == *c))
            .map(|(_, t)| t.clone())
            .collect()
    }
}
