//! The engine's cost index (issue 13): every live cost entry in a few bytes, in memory,
//! in the order the summary reads them, so a report over any period, currency or city
//! sums in memory instead of walking SQLite's date index over millions of rows.
//!
//! It is a cache of the `cost_entry` table and nothing else: rates are read per report,
//! and every value is still computed per entry by `value_cost`, so the figures are the
//! ones of the scan it replaces (`Store::roi_costs_scan`), summed in the same order
//! (date, then rowid: the order of the date index the scan reads).
//!
//! Staying in step: this store's committed writes of cost entries are applied to it
//! by their ids (`apply`, from the store's change notes); a note of a whole kind or
//! one that cannot be applied marks it to be built again, and so does another
//! process's write, which changes SQLite's `data_version` from the one it recorded.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rusqlite::{params, Connection};

use crate::error::Result;
use crate::model::CostCategory;
use crate::money::date_key;

/// One cost entry. `value` holds the amount (money) or the hours' bits (time).
#[derive(Debug, Clone, Copy)]
struct Entry {
    date: u32,
    rowid: u32,
    group: u32,
    value: u64,
    text: u16,
    category: u8,
    time: bool,
}

impl Entry {
    fn order(&self) -> (u32, u32) {
        (self.date, self.rowid)
    }
}

/// What one entry gives the summary, borrowed from the index.
pub(crate) struct IndexedCost<'a> {
    /// The index's group of the entry (None when read from the table).
    pub group: Option<u32>,
    pub date: u32,
    pub membership_id: Option<&'a str>,
    pub city_id: &'a str,
    /// Index into `CostCategory::ALL`.
    pub category: usize,
    pub amount_minor: Option<i64>,
    pub currency: Option<&'a str>,
    pub hours: Option<f64>,
    pub role: Option<&'a str>,
}

/// The groups an entry belongs to: a membership (with its city) or a city's general work.
struct Group {
    membership_id: Option<Box<str>>,
    city_id: Box<str>,
}

pub(crate) struct CostIndex {
    entries: Vec<Entry>,
    groups: Vec<Group>,
    /// A group's key: the membership's id (or nothing), 0xFF, the city's id.
    group_of: HashMap<Box<[u8]>, u32>,
    key: Vec<u8>,
    texts: Vec<Option<Box<str>>>,
    /// Currencies and roles, each once.
    text_of: HashMap<Box<str>, u16>,
    none_text: Option<u16>,
    /// Live rows the index leaves out (no known category, a date that is not one): while
    /// any is there, the index cannot count a list (`count`).
    skipped: HashSet<u32>,
    /// The file's write state the index is in step with.
    pub(crate) state: (i64, u64),
}

/// Why the index cannot hold a file (it then reads the table each time).
#[derive(Debug)]
pub(crate) struct TooLarge;

const ROW_SQL: &str =
    "SELECT rowid, membership_id, city_id, category, amount_minor, currency, hours, role, spent_on";

impl CostIndex {
    /// Reads every live cost entry of the table, in storage order (the fastest read).
    pub(crate) fn build(
        conn: &Connection,
        state: (i64, u64),
    ) -> Result<std::result::Result<CostIndex, TooLarge>> {
        let mut index = CostIndex {
            entries: Vec::new(),
            groups: Vec::new(),
            group_of: HashMap::new(),
            key: Vec::new(),
            texts: Vec::new(),
            text_of: HashMap::new(),
            none_text: None,
            skipped: HashSet::new(),
            state,
        };
        let count: i64 = conn.query_row(
            "SELECT COUNT(*) FROM cost_entry WHERE deleted = 0",
            [],
            |r| r.get(0),
        )?;
        index
            .entries
            .reserve_exact(usize::try_from(count).unwrap_or(0));
        let sql = format!("{ROW_SQL} FROM cost_entry NOT INDEXED WHERE deleted = 0");
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            match index.entry_of(row)? {
                Ok(Some(entry)) => index.entries.push(entry),
                Ok(None) => index.skip(row)?,
                Err(TooLarge) => return Ok(Err(TooLarge)),
            }
        }
        index.entries.sort_unstable_by_key(Entry::order);
        index.entries.shrink_to_fit();
        Ok(Ok(index))
    }

    /// Notes a live row left out (its rowid fits: `entry_of` checked it first).
    fn skip(&mut self, row: &rusqlite::Row) -> Result<()> {
        self.skipped
            .insert(u32::try_from(row.get::<_, i64>(0)?).unwrap_or(u32::MAX));
        Ok(())
    }

    /// The entry of a row, or None when the summary would never count it (no known
    /// category, a date that is not one).
    fn entry_of(
        &mut self,
        row: &rusqlite::Row,
    ) -> Result<std::result::Result<Option<Entry>, TooLarge>> {
        let Ok(rowid) = u32::try_from(row.get::<_, i64>(0)?) else {
            return Ok(Err(TooLarge));
        };
        let category_text = row.get_ref(3)?.as_str()?;
        let Some(category) = CostCategory::ALL
            .iter()
            .position(|c| c.as_str() == category_text)
        else {
            return Ok(Ok(None));
        };
        let Some(date) = date_key(row.get_ref(8)?.as_bytes()?) else {
            return Ok(Ok(None));
        };
        let membership = row.get_ref(1)?.as_str_or_null()?;
        let city = row.get_ref(2)?.as_str()?;
        self.key.clear();
        // No membership and an empty one are two groups, as SQL tells NULL from ''.
        self.key.push(u8::from(membership.is_some()));
        self.key
            .extend_from_slice(membership.unwrap_or("").as_bytes());
        self.key.push(0xFF);
        self.key.extend_from_slice(city.as_bytes());
        let group = match self.group_of.get(self.key.as_slice()) {
            Some(g) => *g,
            None => {
                let Ok(g) = u32::try_from(self.groups.len()) else {
                    return Ok(Err(TooLarge));
                };
                self.groups.push(Group {
                    membership_id: membership.map(Box::from),
                    city_id: Box::from(city),
                });
                self.group_of.insert(self.key.as_slice().into(), g);
                g
            }
        };
        let hours = row.get_ref(6)?.as_f64_or_null()?;
        let (time, value, text) = match hours {
            Some(h) => (true, h.to_bits(), row.get_ref(7)?.as_str_or_null()?),
            None => (
                false,
                row.get_ref(4)?.as_i64_or_null()?.unwrap_or(0) as u64,
                row.get_ref(5)?.as_str_or_null()?,
            ),
        };
        let found = match text {
            None => self.none_text,
            Some(t) => self.text_of.get(t).copied(),
        };
        let text = match found {
            Some(t) => t,
            None => {
                let Ok(t) = u16::try_from(self.texts.len()) else {
                    return Ok(Err(TooLarge));
                };
                self.texts.push(text.map(Box::from));
                match text {
                    Some(text) => {
                        self.text_of.insert(Box::from(text), t);
                    }
                    None => self.none_text = Some(t),
                }
                t
            }
        };
        Ok(Ok(Some(Entry {
            date,
            rowid,
            group,
            value,
            text,
            category: category as u8,
            time,
        })))
    }

    /// Applies committed changes of these cost entries (by id): each one's old entry
    /// goes, its current row comes back if it is live.
    pub(crate) fn apply(
        &mut self,
        conn: &Connection,
        ids: &[String],
        state: (i64, u64),
    ) -> Result<std::result::Result<(), TooLarge>> {
        let sql = format!("{ROW_SQL}, deleted FROM cost_entry WHERE id = ?1");
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut changed: HashSet<u32> = HashSet::new();
        let mut fresh: Vec<Entry> = Vec::new();
        for id in ids {
            let mut rows = stmt.query(params![id])?;
            let Some(row) = rows.next()? else { continue };
            let Ok(rowid) = u32::try_from(row.get::<_, i64>(0)?) else {
                return Ok(Err(TooLarge));
            };
            changed.insert(rowid);
            self.skipped.remove(&rowid);
            if row.get::<_, bool>(9)? {
                continue;
            }
            match self.entry_of(row)? {
                Ok(Some(entry)) => fresh.push(entry),
                Ok(None) => self.skip(row)?,
                Err(TooLarge) => return Ok(Err(TooLarge)),
            }
        }
        if !changed.is_empty() {
            self.entries.retain(|e| !changed.contains(&e.rowid));
        }
        fresh.sort_unstable_by_key(Entry::order);
        fresh.dedup_by_key(|e| e.rowid);
        merge_sorted(&mut self.entries, fresh);
        self.state = state;
        Ok(Ok(()))
    }

    /// The entries dated `from..=to` (date keys), in the summary's order.
    pub(crate) fn between(&self, from: u32, to: u32) -> impl Iterator<Item = IndexedCost<'_>> {
        let start = self.entries.partition_point(|e| e.date < from);
        let end = self.entries.partition_point(|e| e.date <= to);
        self.entries[start..end.max(start)].iter().map(|e| {
            let group = &self.groups[e.group as usize];
            let text = self.texts[e.text as usize].as_deref();
            let (amount_minor, currency, hours, role) = if e.time {
                (None, None, Some(f64::from_bits(e.value)), text)
            } else {
                (Some(e.value as i64), text, None, None)
            };
            IndexedCost {
                group: Some(e.group),
                date: e.date,
                membership_id: group.membership_id.as_deref(),
                city_id: &group.city_id,
                category: e.category as usize,
                amount_minor,
                currency,
                hours,
                role,
            }
        })
    }
}

/// Which live cost entries a list counts (`Store::list_page`, for the conditions the
/// Costs screen offers): all the given constraints hold.
#[derive(Debug, Default)]
pub(crate) struct CostCount<'a> {
    /// The entry's city is each of these.
    pub cities: Vec<&'a str>,
    /// The entry's membership is each of these.
    pub memberships: Vec<&'a str>,
    /// The entry's membership is one of these (a network's memberships).
    pub among_memberships: Option<std::collections::HashSet<String>>,
    /// Indexes into `CostCategory::ALL`; the entry's category is each of them.
    pub categories: Vec<usize>,
    /// Date keys, inclusive.
    pub from: Option<u32>,
    pub to: Option<u32>,
}

impl CostIndex {
    /// How many live entries match, or None when some live row is not in the index.
    pub(crate) fn count(&self, ask: &CostCount) -> Option<u64> {
        if !self.skipped.is_empty() {
            return None;
        }
        let from = ask.from.unwrap_or(0);
        let to = ask.to.unwrap_or(u32::MAX);
        let start = self.entries.partition_point(|e| e.date < from);
        let end = self.entries.partition_point(|e| e.date <= to).max(start);
        let dated = &self.entries[start..end];
        let category = match ask.categories.split_first() {
            None => None,
            Some((first, rest)) if rest.iter().all(|c| c == first) => Some(*first),
            Some(_) => return Some(0),
        };
        let by_group = !ask.cities.is_empty()
            || !ask.memberships.is_empty()
            || ask.among_memberships.is_some();
        if !by_group && category.is_none() {
            return Some(dated.len() as u64);
        }
        let counted: Vec<bool> = self
            .groups
            .iter()
            .map(|g| {
                let membership = g.membership_id.as_deref();
                ask.cities.iter().all(|c| *c == &*g.city_id)
                    && ask.memberships.iter().all(|m| membership == Some(*m))
                    && ask
                        .among_memberships
                        .as_ref()
                        .is_none_or(|among| membership.is_some_and(|m| among.contains(m)))
            })
            .collect();
        let count = dated
            .iter()
            .filter(|e| {
                counted[e.group as usize] && category.is_none_or(|c| usize::from(e.category) == c)
            })
            .count();
        Some(count as u64)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn groups(&self) -> usize {
        self.groups.len()
    }
}

/// Merges `fresh` (sorted) into `entries` (sorted) in place, from the back.
fn merge_sorted(entries: &mut Vec<Entry>, fresh: Vec<Entry>) {
    if fresh.is_empty() {
        return;
    }
    let old_len = entries.len();
    let Some(first) = fresh.first().copied() else {
        return;
    };
    entries.resize(old_len + fresh.len(), first);
    let (mut i, mut j, mut k) = (old_len, fresh.len(), entries.len());
    while j > 0 {
        if i > 0 && entries[i - 1].order() > fresh[j - 1].order() {
            entries[k - 1] = entries[i - 1];
            i -= 1;
        } else {
            entries[k - 1] = fresh[j - 1];
            j -= 1;
        }
        k -= 1;
    }
}
