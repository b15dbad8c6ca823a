//! The engine's outcome index (issue 13): every live attribution of a live outcome,
//! grouped by membership, with what the engine reads of its outcome and no text but
//! the ids it is found by, so a report reads no outcome from SQLite and builds no
//! list of two million attributions with three strings each.
//!
//! It is read by the query `roi_outcomes` reads (`live_attributions_sql`), with the
//! same shares (`share_totals`, `counted_share`) and in the same order within each
//! membership (date, then outcome, then attribution), so the figures it gives are
//! that list's. A one-off report reads one for its period and city; the app keeps
//! one for every date and city, dropped by the store's change notes of outcomes and
//! attributions, and read again when another process wrote.

use foldhash::{HashMap, HashMapExt};

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::store::input_index::Interner;
use crate::store::roi::OutcomeFacts;
use crate::store::roi::{counted_share, live_attributions_sql, outcome_facts, share_totals};

/// One live outcome: its rowid (to find its id when a warning names it), its city and
/// its facts.
pub(crate) struct IndexedOutcome {
    pub rowid: i64,
    city: u32,
    pub facts: OutcomeFacts,
}

/// One attribution of `outcome` (an index into the outcomes), with its counted share.
struct Attribution {
    outcome: u32,
    share: f64,
}

pub(crate) struct OutcomeIndex {
    /// The file state it was read at (see `Store::write_state`).
    pub(crate) state: (i64, u64),
    outcomes: Vec<IndexedOutcome>,
    /// Grouped by membership; within one, by (date, outcome rowid, attribution rowid).
    attributions: Vec<Attribution>,
    /// Each membership's range of `attributions`.
    of_membership: HashMap<Box<str>, (u32, u32)>,
    cities: Vec<Box<str>>,
    /// Attributions of outcomes whose live shares pass 100 %: (outcome, membership id).
    over_shared: Vec<(u32, Box<str>)>,
}

impl OutcomeIndex {
    /// Reads the attributions of outcomes on or before `to` (every date when None) of
    /// `city_id` (every city when None).
    pub(crate) fn read(
        conn: &Connection,
        state: (i64, u64),
        to: Option<NaiveDate>,
        city_id: Option<&str>,
    ) -> Result<OutcomeIndex> {
        let mut stmt = conn.prepare(&live_attributions_sql(
            "a.membership_id, o.city_id, a.share_bp, o.rowid, a.rowid",
            city_id.is_some(),
        ))?;
        let mut rows = stmt.query(params![to.map(|d| d.to_string()), city_id])?;
        let mut currencies = Interner::default();
        let mut currency = |c: &str| currencies.get(c);
        let mut city_of: HashMap<Box<str>, u32> = HashMap::new();
        let mut cities: Vec<Box<str>> = Vec::new();
        let mut membership_of: HashMap<Box<str>, u32> = HashMap::new();
        let mut memberships: Vec<Box<str>> = Vec::new();
        let mut outcome_of: HashMap<i64, u32> = HashMap::new();
        let mut outcomes: Vec<IndexedOutcome> = Vec::new();
        // (membership, outcome, attribution rowid, share_bp)
        let mut read: Vec<(u32, u32, i64, i64)> = Vec::new();
        while let Some(r) = rows.next()? {
            let membership = intern(
                &mut membership_of,
                &mut memberships,
                r.get_ref(0)?.as_str()?,
            );
            let rowid: i64 = r.get(3)?;
            // An outcome's attributions come together: the last one read is the usual hit.
            let outcome = match outcomes.last() {
                Some(last) if last.rowid == rowid => (outcomes.len() - 1) as u32,
                _ => match outcome_of.get(&rowid) {
                    Some(i) => *i,
                    None => {
                        let i = outcomes.len() as u32;
                        let city = intern(&mut city_of, &mut cities, r.get_ref(1)?.as_str()?);
                        outcomes.push(IndexedOutcome {
                            rowid,
                            city,
                            facts: outcome_facts(r, 5, &mut currency)?,
                        });
                        outcome_of.insert(rowid, i);
                        i
                    }
                },
            };
            read.push((membership, outcome, r.get(4)?, r.get(2)?));
        }
        drop(outcome_of);
        let totals = share_totals(
            read.iter()
                .map(|(_, o, _, share_bp)| (outcomes[*o as usize].rowid, *share_bp)),
        );
        read.sort_unstable_by_key(|(m, o, a, _)| {
            let outcome = &outcomes[*o as usize];
            (*m, outcome.facts.occurred_on, outcome.rowid, *a)
        });
        let mut attributions = Vec::with_capacity(read.len());
        let mut of_membership: HashMap<Box<str>, (u32, u32)> = HashMap::new();
        let mut over_shared = Vec::new();
        for (i, (m, o, _, share_bp)) in read.into_iter().enumerate() {
            let total = totals
                .get(&outcomes[o as usize].rowid)
                .copied()
                .unwrap_or(0);
            let range = of_membership
                .entry(memberships[m as usize].clone())
                .or_insert((i as u32, i as u32));
            range.1 = i as u32 + 1;
            if total > 10_000 {
                over_shared.push((o, memberships[m as usize].clone()));
            }
            attributions.push(Attribution {
                outcome: o,
                share: counted_share(share_bp, total),
            });
        }
        Ok(OutcomeIndex {
            state,
            outcomes,
            attributions,
            of_membership,
            cities,
            over_shared,
        })
    }

    /// The attributions of one membership to outcomes on or before `to` (of `city_id`
    /// when given), in order, each with its counted share.
    pub(crate) fn of_membership<'a>(
        &'a self,
        membership_id: &str,
        to: NaiveDate,
        city_id: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a IndexedOutcome, f64)> + Clone + 'a {
        let (start, end) = self
            .of_membership
            .get(membership_id)
            .copied()
            .unwrap_or((0, 0));
        self.attributions[start as usize..end as usize]
            .iter()
            .map(|a| (&self.outcomes[a.outcome as usize], a.share))
            .take_while(move |(o, _)| o.facts.occurred_on <= to)
            .filter(move |(o, _)| city_id.is_none_or(|c| *self.cities[o.city as usize] == *c))
    }

    /// Attributions of outcomes (on or before `to`, of `city_id` when given) whose live
    /// shares pass 100 %: the outcome and the membership's id.
    pub(crate) fn over_shared<'a>(
        &'a self,
        to: NaiveDate,
        city_id: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a IndexedOutcome, &'a str)> + 'a {
        self.over_shared
            .iter()
            .map(|(o, m)| (&self.outcomes[*o as usize], &**m))
            .filter(move |(o, _)| {
                o.facts.occurred_on <= to
                    && city_id.is_none_or(|c| *self.cities[o.city as usize] == *c)
            })
    }
}

fn intern(index: &mut HashMap<Box<str>, u32>, list: &mut Vec<Box<str>>, text: &str) -> u32 {
    if let Some(i) = index.get(text) {
        return *i;
    }
    let i = list.len() as u32;
    list.push(text.into());
    index.insert(text.into(), i);
    i
}

/// The id of the outcome at `rowid` (for the few a warning names).
pub(crate) fn outcome_id(conn: &Connection, rowid: i64) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT id FROM outcome WHERE rowid = ?1")?
        .query_row([rowid], |r| r.get(0))?)
}
