//! One page of a kind's live records, searched, filtered, sorted and counted by the
//! store. A coordinator's file holds millions of costs: the UI and the command line ask
//! for the page they show and the total, never for a whole kind.
//!
//! Every name in the SQL comes from the kind's description (`kinds.rs`), never from the
//! query; the query's values are parameters.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::Lang;
use crate::kinds::{FieldType, KindDesc, RecordKind};
use crate::store::{row_to_json, Store};

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: u32 = 1_000;
/// Words of a search beyond these are ignored (each one is a condition).
const MAX_SEARCH_WORDS: usize = 8;
/// A search word longer than this cannot match a stored text any better.
const MAX_SEARCH_WORD_CHARS: usize = 100;
/// Filters beyond these are refused: the UI offers a handful.
const MAX_FILTERS: usize = 16;
/// A sort no index serves reads every matching record: past these it is refused (the
/// user narrows the list first) rather than hold the file for seconds. A reference's
/// label is looked up per record, so it counts for more.
const MAX_UNINDEXED_SORT: u64 = 1_000_000;
const MAX_LABEL_SORT: u64 = 300_000;

/// Which page of which records: what a list screen or `cabildo list` asks.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub kind: RecordKind,
    /// Only this city's records (kinds shared by all cities ignore it).
    #[serde(default)]
    pub city_id: Option<String>,
    /// Words each record must contain (accents and case aside), in its own texts,
    /// the words of its enumerations or the names of the records it refers to.
    #[serde(default)]
    pub search: String,
    /// Fields that must hold a value (an enumeration's code, a record's id, a year…).
    #[serde(default)]
    pub filters: Vec<ListFilter>,
    /// A date field between two dates (either may be open).
    #[serde(default)]
    pub range: Option<ListRange>,
    /// By one field; by when the records were added when none.
    #[serde(default)]
    pub sort: Option<ListSort>,
    #[serde(default)]
    #[ts(type = "number")]
    pub offset: u64,
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// The language whose words order enumerations.
    #[serde(default)]
    pub lang: Lang,
}

fn default_limit() -> u32 {
    50
}

impl ListQuery {
    /// The first page of a kind, with nothing chosen.
    pub fn new(kind: RecordKind) -> ListQuery {
        ListQuery {
            kind,
            city_id: None,
            search: String::new(),
            filters: Vec::new(),
            range: None,
            sort: None,
            offset: 0,
            limit: default_limit(),
            lang: Lang::default(),
        }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ListFilter {
    pub field: String,
    pub value: String,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ListRange {
    pub field: String,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ListSort {
    pub field: String,
    #[serde(default)]
    pub desc: bool,
}

/// One page of records and how many match in all.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct ListPage {
    #[ts(type = "Record<string, unknown>[]")]
    pub rows: Vec<serde_json::Value>,
    /// Records matching the query, over all pages.
    #[ts(type = "number")]
    pub total: u64,
    /// The first row's position (the offset asked, or the last page's when past it).
    #[ts(type = "number")]
    pub offset: u64,
    /// The label of each record a row of the page refers to, by id: the page can name
    /// its references without the UI holding their kinds.
    pub labels: BTreeMap<String, String>,
}

/// The counts already made, valid while nothing writes the file (see `count_key`).
#[derive(Default)]
pub(crate) struct TotalsCache {
    key: (i64, u64),
    totals: HashMap<(String, Vec<String>), u64>,
}

#[derive(Clone, Copy)]
struct Plan {
    sorts: bool,
    walks_index: bool,
}

/// The WHERE clause of a query and its parameters.
struct Condition {
    sql: String,
    args: Vec<SqlValue>,
}

impl Condition {
    fn param(&mut self, value: SqlValue) -> String {
        self.args.push(value);
        format!("?{}", self.args.len())
    }
}

/// `fold` over a column or an expression, as SQL: the function the store registers.
fn folded(expr: &str) -> String {
    format!("cabildo_fold({expr})")
}

/// The texts a record is searched by: its text fields, one folded string.
fn own_text(desc: &KindDesc) -> Option<String> {
    let parts: Vec<String> = desc
        .fields
        .iter()
        .filter(|f| matches!(f.ty, FieldType::Text | FieldType::LongText))
        .map(|f| format!("COALESCE(t.{}, '')", f.name))
        .collect();
    (!parts.is_empty()).then(|| folded(&parts.join(" || ' ' || ")))
}

fn unknown_field(field: &str) -> Error {
    Error::invalid(field.to_string(), "unknown_field")
}

/// The most records a filtered page's walk of the sort's index is expected to read.
const MAX_WALK: u64 = 100_000;
/// SQLite's machine steps a walk may take before it stops for the sort: 4 to 13 a
/// record read (a membership's costs, a network's), so 150,000 to 500,000 records.
const MAX_WALK_STEPS: u64 = 20 * MAX_WALK;
const WALK_STEPS_PER_CALL: std::ffi::c_int = 10_000;

/// How a condition lets SQLite read the filtered field's index.
#[derive(Clone, Copy)]
enum FilterIndex {
    Use,
    /// The filters' text terms read no index (`+t.field`): SQLite walks the sort's index
    /// and tests each record, which finds a first page without sorting every match.
    Skip,
}

fn condition(desc: &KindDesc, query: &ListQuery) -> Result<Condition> {
    condition_with(desc, query, FilterIndex::Use)
}

fn condition_with(desc: &KindDesc, query: &ListQuery, index: FilterIndex) -> Result<Condition> {
    let mut c = Condition {
        sql: "t.deleted = 0".into(),
        args: Vec::new(),
    };
    if let Some(city) = &query.city_id {
        if let Some(scope) = desc.city_scope_sql() {
            // The scope's SQL names its parameter ?1: it is always the first.
            c.args.push(SqlValue::Text(city.clone()));
            c.sql.push_str(&format!(" AND {scope}"));
        }
    }
    if query.filters.len() > MAX_FILTERS {
        return Err(Error::Argument("too many filters".into()));
    }
    for filter in &query.filters {
        let clause = filter_sql(desc, filter, index, &mut c)?;
        c.sql.push_str(&format!(" AND {clause}"));
    }
    if let Some(range) = &query.range {
        let field = desc
            .field(&range.field)
            .filter(|f| f.ty == FieldType::Date)
            .ok_or_else(|| unknown_field(&range.field))?;
        if let Some(from) = range.from {
            let p = c.param(SqlValue::Text(from.to_string()));
            c.sql.push_str(&format!(" AND t.{} >= {p}", field.name));
        }
        if let Some(to) = range.to {
            let p = c.param(SqlValue::Text(to.to_string()));
            c.sql.push_str(&format!(" AND t.{} <= {p}", field.name));
        }
    }
    for word in search_words(&query.search) {
        let clause = word_sql(desc, &word, &mut c);
        c.sql.push_str(&format!(" AND ({clause})"));
    }
    Ok(c)
}

fn filter_sql(
    desc: &KindDesc,
    filter: &ListFilter,
    index: FilterIndex,
    c: &mut Condition,
) -> Result<String> {
    let value = filter.value.trim();
    // Unary plus only hides the index: both sides are text, so no affinity applies.
    let text_column = |name: &str| match index {
        FilterIndex::Use => format!("t.{name}"),
        FilterIndex::Skip => format!("+t.{name}"),
    };
    let Some(field) = desc.field(&filter.field) else {
        // The network of a record through its membership (meetings, costs, theses).
        let via_membership = filter.field == "network_id"
            && desc
                .field("membership_id")
                .is_some_and(|f| f.ty == FieldType::Ref(RecordKind::Membership));
        if via_membership {
            let p = c.param(SqlValue::Text(value.to_string()));
            return Ok(format!(
                "{} IN (SELECT m.id FROM membership m WHERE m.network_id = {p})",
                text_column("membership_id")
            ));
        }
        return Err(unknown_field(&filter.field));
    };
    let mut column = format!("t.{}", field.name);
    let sql_value = match field.ty {
        FieldType::Bool => match value {
            "true" | "1" => SqlValue::Integer(1),
            "false" | "0" => SqlValue::Integer(0),
            _ => return Err(Error::invalid(field.name, "wrong_type")),
        },
        FieldType::Integer | FieldType::Year => SqlValue::Integer(
            value
                .parse::<i64>()
                .map_err(|_| Error::invalid(field.name, "not_a_number"))?,
        ),
        FieldType::Enum { values, .. } => {
            if !values.iter().any(|w| w.code == value) {
                return Err(Error::invalid(field.name, "unknown_value"));
            }
            column = text_column(field.name);
            SqlValue::Text(value.to_string())
        }
        FieldType::Text | FieldType::Currency | FieldType::Ref(_) | FieldType::Date => {
            column = text_column(field.name);
            SqlValue::Text(value.to_string())
        }
        _ => return Err(unknown_field(&filter.field)),
    };
    let p = c.param(sql_value);
    Ok(format!("{column} = {p}"))
}

/// The folded words of a search, each a condition.
fn search_words(search: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in crate::text::fold(search).split(' ') {
        let word: String = word.chars().take(MAX_SEARCH_WORD_CHARS).collect();
        if !word.is_empty() && !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_SEARCH_WORDS {
            break;
        }
    }
    words
}

/// A record holds the word in its texts, the words of one of its enumeration values,
/// or the name of a record it refers to.
fn word_sql(desc: &KindDesc, word: &str, c: &mut Condition) -> String {
    // Folded words hold only letters, digits and spaces: never a LIKE wildcard.
    let pattern = c.param(SqlValue::Text(format!("%{word}%")));
    let mut any: Vec<String> = Vec::new();
    if let Some(text) = own_text(desc) {
        any.push(format!("{text} LIKE {pattern}"));
    }
    for field in desc.fields {
        match field.ty {
            FieldType::Enum { values, .. } => {
                let codes: Vec<&str> = values
                    .iter()
                    .filter(|w| {
                        crate::text::fold(w.es).contains(word)
                            || crate::text::fold(w.en).contains(word)
                    })
                    .map(|w| w.code)
                    .collect();
                if !codes.is_empty() {
                    let params: Vec<String> = codes
                        .iter()
                        .map(|code| c.param(SqlValue::Text(code.to_string())))
                        .collect();
                    any.push(format!("t.{} IN ({})", field.name, params.join(", ")));
                }
            }
            FieldType::Ref(target) => {
                let target = target.desc();
                any.push(format!(
                    "t.{} IN (SELECT r.id FROM {} r WHERE r.deleted = 0 AND {} LIKE {pattern})",
                    field.name,
                    target.table,
                    folded(&target.label_sql_over("r"))
                ));
            }
            _ => {}
        }
    }
    if any.is_empty() {
        "0".into()
    } else {
        any.join(" OR ")
    }
}

/// The ORDER BY of a query: nulls last either way, ties by when records were added.
fn order_sql(desc: &KindDesc, query: &ListQuery) -> Result<String> {
    let Some(sort) = &query.sort else {
        return Ok("t.rowid".into());
    };
    let dir = if sort.desc { "DESC" } else { "ASC" };
    if matches!(sort.field.as_str(), "created_at" | "updated_at") {
        return Ok(format!("t.{} {dir}, t.rowid {dir}", sort.field));
    }
    let field = desc
        .field(&sort.field)
        .ok_or_else(|| unknown_field(&sort.field))?;
    let column = format!("t.{}", field.name);
    let key = match field.ty {
        FieldType::Ref(target) => {
            let target = target.desc();
            format!(
                "NULLIF({}, '')",
                folded(&format!(
                    "(SELECT {} FROM {} r WHERE r.id = {column})",
                    target.label_sql_over("r"),
                    target.table
                ))
            )
        }
        // An enumeration sorts by its words in the query's language.
        FieldType::Enum { values, .. } => {
            let mut words: Vec<(String, &str)> = values
                .iter()
                .map(|w| (crate::text::fold(query.lang.pick(w.es, w.en)), w.code))
                .collect();
            words.sort();
            let cases: String = words
                .iter()
                .enumerate()
                .map(|(rank, (_, code))| format!(" WHEN '{}' THEN {rank}", code.replace('\'', "")))
                .collect();
            format!("CASE {column}{cases} END")
        }
        FieldType::Text | FieldType::LongText => format!("NULLIF({}, '')", folded(&column)),
        _ => column.clone(),
    };
    // A required field is never empty: its order can be read from an index.
    let always_there = field.required && field.when.is_none();
    if always_there && !matches!(field.ty, FieldType::Ref(_) | FieldType::Enum { .. }) {
        return Ok(format!("{key} {dir}, t.rowid {dir}"));
    }
    if key == column {
        // NULL is the smallest value: backwards, an index puts it last by itself;
        // forwards, `IS NULL` first (an index on both, schema 6, serves amounts).
        return Ok(if sort.desc {
            format!("{key} DESC, t.rowid DESC")
        } else {
            format!("{key} IS NULL, {key} ASC, t.rowid ASC")
        });
    }
    Ok(format!("{key} {dir} NULLS LAST, t.rowid {dir}"))
}

/// The refusal of a sort SQLite would make itself over too many records.
fn sort_refusal(query: &ListQuery, plan: Plan, total: u64) -> Option<Error> {
    let sort = query.sort.as_ref()?;
    let by_label = query
        .kind
        .desc()
        .field(&sort.field)
        .is_some_and(|f| matches!(f.ty, FieldType::Ref(_)));
    let most = if by_label {
        MAX_LABEL_SORT
    } else {
        MAX_UNINDEXED_SORT
    };
    (total > most && plan.sorts)
        .then(|| Error::invalid_because(sort.field.clone(), "sort_too_large", total.to_string()))
}

impl Store {
    /// One page of a kind's live records, and how many match the query in all.
    pub fn list_page(&self, query: &ListQuery) -> Result<ListPage> {
        let desc = query.kind.desc();
        let cond = condition(desc, query)?;
        let order = order_sql(desc, query)?;
        let total = self.count_matching(query, &cond)?;
        let limit = query.limit.clamp(1, MAX_PAGE_SIZE) as u64;
        let plan = self.plan(desc, &cond, &order)?;
        if plan.sorts && !query.filters.is_empty() && query.search.trim().is_empty() {
            if let Some((walk, walk_plan)) = self.walk_instead(query, &order, total, limit)? {
                // The share of the filters is an estimate: matches gathered at the far
                // end of the order would have the walk read the whole index. A walk
                // past its budget stops, and SQLite sorts the matches after all.
                match self.read_page(query, &walk, walk_plan, &order, total, true) {
                    Err(Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                        if e.code == rusqlite::ErrorCode::OperationInterrupted =>
                    {
                        self.walks_stopped.set(self.walks_stopped.get() + 1);
                        // Too many matches for SQLite to sort: the walk goes on to the end.
                        if sort_refusal(query, plan, total).is_some() {
                            return self.read_page(query, &walk, walk_plan, &order, total, false);
                        }
                    }
                    page => return page,
                }
            }
        }
        self.read_page(query, &cond, plan, &order, total, false)
    }

    /// How many filtered pages' walks of the sort's index ran past their budget and
    /// were read by SQLite's sort instead, since the store was opened.
    pub fn walks_stopped(&self) -> u64 {
        self.walks_stopped.get()
    }

    /// The page of `list_page` read by this condition and plan; with `bounded`, SQLite
    /// is interrupted past `MAX_WALK_STEPS` of its machine's steps.
    fn read_page(
        &self,
        query: &ListQuery,
        cond: &Condition,
        plan: Plan,
        order: &str,
        total: u64,
        bounded: bool,
    ) -> Result<ListPage> {
        let desc = query.kind.desc();
        let limit = query.limit.clamp(1, MAX_PAGE_SIZE) as u64;
        if let Some(refusal) = sort_refusal(query, plan, total) {
            return Err(refusal);
        }
        // Past the end, the last page (a list shrunk under the user's eyes).
        let offset = if query.offset >= total && total > 0 {
            (total - 1) / limit * limit
        } else if total == 0 {
            0
        } else {
            query.offset
        };
        // The page's rows are chosen by rowid first: the rows skipped by the offset
        // are read from the index alone, not fetched whole.
        // A sort SQLite makes itself over an index it walks whole would fetch every row
        // at random: reading the table in order is many times faster.
        let hint = if plan.sorts && plan.walks_index {
            " NOT INDEXED"
        } else {
            ""
        };
        let sql = format!(
            "SELECT t.* FROM {table} t WHERE t.rowid IN (SELECT t.rowid FROM {table} t{hint} \
             WHERE {} ORDER BY {order} LIMIT {limit} OFFSET {offset}) ORDER BY {order}",
            cond.sql,
            table = desc.table,
        );
        let columns = &self.columns[&query.kind];
        let mut stmt = self.conn.prepare(&sql)?;
        if bounded {
            let (mut calls, most) = (0, MAX_WALK_STEPS / WALK_STEPS_PER_CALL as u64);
            self.conn.progress_handler(
                WALK_STEPS_PER_CALL,
                Some(move || {
                    calls += 1;
                    calls > most
                }),
            )?;
        }
        let read = stmt
            .query_map(params_from_iter(cond.args.iter()), |row| {
                row_to_json(row, columns)
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
        if bounded {
            // The store's connection has no other progress handler to restore.
            self.conn.progress_handler(0, None::<fn() -> bool>)?;
        }
        let rows = read?;
        let labels = self.labels_of_references(desc, &rows)?;
        Ok(ListPage {
            rows,
            total,
            offset,
            labels,
        })
    }

    /// A filtered page SQLite would find by sorting every match (a network's 400,000
    /// costs) can often be found sooner by walking the sort's index and testing each
    /// record: at the filters' share of the records, reaching the page's last row reads
    /// `(offset + limit) * whole / total` of them. Up to `MAX_WALK`, that condition and
    /// its plan. The records and their order are the same either way.
    fn walk_instead(
        &self,
        query: &ListQuery,
        order: &str,
        total: u64,
        limit: u64,
    ) -> Result<Option<(Condition, Plan)>> {
        let desc = query.kind.desc();
        let walk = condition_with(desc, query, FilterIndex::Skip)?;
        let walk_plan = self.plan(desc, &walk, order)?;
        if walk_plan.sorts || total == 0 {
            return Ok(None);
        }
        let mut unfiltered = query.clone();
        unfiltered.filters.clear();
        let whole = self.count_matching(&unfiltered, &condition(desc, &unfiltered)?)?;
        let reach =
            u128::from(query.offset.min(total) + limit) * u128::from(whole) / u128::from(total);
        Ok((reach <= u128::from(MAX_WALK)).then_some((walk, walk_plan)))
    }

    /// How SQLite would read a page: whether it sorts the matching records itself (no
    /// index gives the order), and whether it walks a whole index to find them.
    fn plan(&self, desc: &KindDesc, cond: &Condition, order: &str) -> Result<Plan> {
        let select = format!(
            "SELECT t.rowid FROM {} t WHERE {} ORDER BY {order}",
            desc.table, cond.sql
        );
        self.plan_of(&select, cond)
    }

    /// The plan SQLite would follow for `select` (a query over alias `t`).
    fn plan_of(&self, select: &str, cond: &Condition) -> Result<Plan> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {select}"))?;
        let details = stmt
            .query_map(params_from_iter(cond.args.iter()), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Plan {
            sorts: details
                .iter()
                .any(|d| d.contains("TEMP B-TREE FOR ORDER BY")),
            walks_index: details.iter().any(|d| d.starts_with("SCAN t USING INDEX")),
        })
    }

    /// The count of a query, kept until the file is written (by this connection or
    /// another): paging and sorting a list do not count it again.
    fn count_matching(&self, query: &ListQuery, cond: &Condition) -> Result<u64> {
        let desc = query.kind.desc();
        let key = self.write_state()?;
        let args: Vec<String> = cond.args.iter().map(|a| format!("{a:?}")).collect();
        let entry = (format!("{} WHERE {}", desc.table, cond.sql), args);
        {
            let mut cache = self.totals.borrow_mut();
            if cache.key != key {
                cache.key = key;
                cache.totals.clear();
            }
            if let Some(total) = cache.totals.get(&entry) {
                return Ok(*total);
            }
        }
        if let Some(total) = self.kept_cost_total(query)? {
            return Ok(total);
        }
        // As for a page: walking a whole index to reach every row at random is slower
        // than reading the table (a count of the partial index alone is fine).
        let count = format!("SELECT COUNT(*) FROM {} t WHERE {}", desc.table, cond.sql);
        let walks_index = self.plan_of(&count, cond)?.walks_index;
        let hint = if walks_index { " NOT INDEXED" } else { "" };
        let sql = format!(
            "SELECT COUNT(*) FROM {} t{hint} WHERE {}",
            desc.table, cond.sql
        );
        let total: i64 = self
            .conn
            .query_row(&sql, params_from_iter(cond.args.iter()), |r| r.get(0))?;
        let total = total.max(0) as u64;
        self.totals.borrow_mut().totals.insert(entry, total);
        Ok(total)
    }

    /// The count of a Costs list from the engine's kept cost index, when the app keeps
    /// one in step with the file and the query asks only what it holds (city, network,
    /// membership, category, a period of `spent_on`): milliseconds where SQLite counts
    /// millions of rows for seconds. None: SQLite counts. The SQL in `condition` stays
    /// the rule; the tests hold the two counts equal.
    fn kept_cost_total(&self, query: &ListQuery) -> Result<Option<u64>> {
        use super::cost_index::CostCount;
        use crate::kinds::CityScope;
        use crate::model::CostCategory;
        let desc = query.kind.desc();
        if query.kind != RecordKind::CostEntry
            || desc.city_scope != CityScope::Column
            || !search_words(&query.search).is_empty()
        {
            return Ok(None);
        }
        let date = |day: Option<NaiveDate>| -> Option<Option<u32>> {
            match day {
                None => Some(None),
                Some(day) => crate::money::date_key(day.to_string().as_bytes()).map(Some),
            }
        };
        let mut ask = CostCount::default();
        if let Some(range) = &query.range {
            if range.field != "spent_on" {
                return Ok(None);
            }
            let (Some(from), Some(to)) = (date(range.from), date(range.to)) else {
                return Ok(None);
            };
            (ask.from, ask.to) = (from, to);
        }
        if let Some(city) = &query.city_id {
            ask.cities.push(city);
        }
        let mut networks: Vec<&str> = Vec::new();
        for filter in &query.filters {
            let value = filter.value.trim();
            match filter.field.as_str() {
                "city_id" => ask.cities.push(value),
                "membership_id" => ask.memberships.push(value),
                "network_id" => networks.push(value),
                "category" => match CostCategory::ALL.iter().position(|c| c.as_str() == value) {
                    Some(c) => ask.categories.push(c),
                    None => return Ok(None),
                },
                _ => return Ok(None),
            }
        }
        // Inside a transaction the change notes wait for the commit: SQLite counts.
        if self.in_transaction() {
            return Ok(None);
        }
        let state = self.write_state()?;
        let slot = self.cost_index.borrow();
        let super::IndexSlot::Ready(index) = &*slot else {
            return Ok(None);
        };
        // Written by another process since: the next report reads the index again.
        if index.state.0 != state.0 {
            return Ok(None);
        }
        for network in networks {
            // As the SQL reads it: every membership of the network, in the trash or not.
            let mut stmt = self
                .conn
                .prepare_cached("SELECT id FROM membership WHERE network_id = ?1")?;
            // An id that is not text (written by another tool): SQLite compares it.
            let Ok(ids) = stmt
                .query_map([network], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<std::collections::HashSet<_>>>()
            else {
                return Ok(None);
            };
            ask.among_memberships = Some(match ask.among_memberships.take() {
                None => ids,
                Some(before) => before.intersection(&ids).cloned().collect(),
            });
        }
        Ok(index.count(&ask))
    }

    /// The labels of the records the rows refer to, by id.
    fn labels_of_references(
        &self,
        desc: &KindDesc,
        rows: &[serde_json::Value],
    ) -> Result<BTreeMap<String, String>> {
        let mut labels = BTreeMap::new();
        for field in desc.fields {
            let FieldType::Ref(target) = field.ty else {
                continue;
            };
            let target = target.desc();
            let sql = format!(
                "SELECT {} FROM {} r WHERE r.id = ?1",
                target.label_sql_over("r"),
                target.table
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            for row in rows {
                let Some(id) = row.get(field.name).and_then(|v| v.as_str()) else {
                    continue;
                };
                if labels.contains_key(id) {
                    continue;
                }
                let label: Option<String> =
                    stmt.query_row([id], |r| r.get(0))
                        .map(Some)
                        .or_else(|e| match e {
                            rusqlite::Error::QueryReturnedNoRows => Ok(None),
                            e => Err(e),
                        })?;
                if let Some(label) = label {
                    labels.insert(id.to_string(), label);
                }
            }
        }
        Ok(labels)
    }

    /// The distinct values a field holds among a kind's live records (a filter's
    /// choices: the metrics' names, the rates' currencies), sorted, at most `limit`.
    pub fn distinct_values(
        &self,
        kind: RecordKind,
        field: &str,
        city_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<String>> {
        let desc = kind.desc();
        let field = desc
            .field(field)
            .filter(|f| matches!(f.ty, FieldType::Text | FieldType::Currency))
            .ok_or_else(|| unknown_field(field))?;
        let mut query = ListQuery::new(kind);
        query.city_id = city_id.map(str::to_string);
        let cond = condition(desc, &query)?;
        let sql = format!(
            "SELECT DISTINCT t.{name} FROM {} t WHERE {} AND t.{name} IS NOT NULL \
             ORDER BY t.{name} LIMIT {}",
            desc.table,
            cond.sql,
            limit.clamp(1, MAX_PAGE_SIZE),
            name = field.name,
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let values = stmt
            .query_map(params_from_iter(cond.args.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(values)
    }
}
