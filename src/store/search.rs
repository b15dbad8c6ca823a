//! Global search (issue 13): one query finds records of every kind by their words.
//!
//! The index is a cache rebuilt from the data, never part of it: an FTS5 file beside
//! the database (`<file>.search`), or an in-memory one where no file can be written
//! beside it. The database itself gains no table, so an exported file carries no
//! virtual table and the checks on received files stay exact.
//!
//! Texts are folded by `text::fold` (case and accents off) before they are indexed
//! and before a query is read, so both sides follow one rule; the FTS tokenizer only
//! splits on the spaces fold leaves. A query is never FTS syntax: every word is
//! quoted, so quotes, `*`, `NEAR`, `OR` or parentheses are only letters or nothing.
//!
//! Staying in step: every committed write the store tells (`notify_all`) is noted in
//! the index file as pending ids (or a whole kind, after a merge) together with the
//! store's newest stamp; the next search reindexes what is pending. Another Cabildo
//! process writing the same file notes its writes the same way. A file replaced, or
//! written by something that kept no notes, is caught at open: the index records the
//! office and the newest stamp of the data it followed, and any difference rebuilds it.

use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{Change, Store};
use crate::error::{Error, Result};
use crate::kinds::{CityScope, FieldType, RecordKind};
use crate::text::fold;

/// Longest query read, in characters (the rest is ignored).
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words of a query used.
pub const MAX_QUERY_WORDS: usize = 12;
/// Most hits listed per kind.
pub const MAX_PER_KIND: usize = 100;
/// Matches counted per kind before "more than" is said.
pub const COUNT_CAP: u64 = 1000;

/// Bumped whenever what is indexed or how changes: an older index is rebuilt.
const INDEX_FORMAT: &str = "2";
/// Most words a typed word's start is widened to; beyond, FTS5's own prefix query.
const MAX_PREFIX_TERMS: usize = 32;

/// One record found.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: String,
    /// The kind's label rule (`KindDesc::label_sql`).
    pub label: String,
    /// The city the record belongs to, for kinds that belong to one.
    pub city: Option<String>,
}

/// The records of one kind found.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct SearchGroup {
    pub kind: RecordKind,
    pub hits: Vec<SearchHit>,
    /// Records of the kind that match, counted up to `COUNT_CAP`.
    #[ts(type = "number")]
    pub total: u64,
    /// True when more than `total` match.
    pub more: bool,
}

/// What a search found, grouped by kind (kinds with no match left out).
#[derive(Serialize, TS, Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    pub groups: Vec<SearchGroup>,
}

/// What bringing the index up to date did.
#[derive(Serialize, Debug, Clone, PartialEq, Default)]
pub struct IndexSync {
    /// Kinds indexed whole.
    pub kinds_rebuilt: Vec<RecordKind>,
    /// Records indexed (whole kinds and pending ids).
    pub records: u64,
    pub millis: u128,
}

/// The text fields each kind is found by. Codes, dates, numbers and references are
/// not words; a test checks each name is a text field of the kind.
pub fn searched_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::City => &["name", "region"],
        RecordKind::Network => &["acronym", "name", "headquarters"],
        RecordKind::Membership => &["focal_point", "notes"],
        RecordKind::Thesis => &["statement"],
        RecordKind::Meeting => &["title", "counterpart", "place", "attendees"],
        RecordKind::CostEntry => &["description", "role"],
        RecordKind::RoleRate => &["role"],
        RecordKind::Project => &["name", "notes"],
        RecordKind::Outcome => &["description", "evidence", "source_name", "source_peer"],
        RecordKind::Metric => &["name", "source"],
        RecordKind::FeeRule => &["source", "notes"],
        RecordKind::Invoice => &["reference", "notes"],
        RecordKind::BudgetPlan => &["justification", "notes"],
        RecordKind::ExchangeRate | RecordKind::BudgetRate | RecordKind::Attribution => &[],
    }
}

/// The kinds that have words, in the order results are grouped.
fn searched_kinds() -> impl Iterator<Item = RecordKind> {
    RecordKind::ALL
        .iter()
        .copied()
        .filter(|k| !searched_fields(*k).is_empty())
}

/// True when every searched field is a text field of its kind (checked by a test).
pub fn searched_fields_are_text() -> bool {
    RecordKind::ALL.iter().all(|kind| {
        searched_fields(*kind).iter().all(|name| {
            matches!(
                kind.desc().field(name).map(|f| f.ty),
                Some(FieldType::Text | FieldType::LongText)
            )
        })
    })
}

fn kind_of(code: &str) -> Option<RecordKind> {
    RecordKind::ALL.iter().copied().find(|k| k.as_str() == code)
}

fn fts_table(kind: RecordKind) -> String {
    format!("words_{}", kind.desc().table)
}

/// The tokenizer splits on spaces and control characters only: fold has already
/// chosen the words, so the index and the query see the same ones.
const TOKENIZE: &str = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co Cn Cs'";

fn create_fts_sql(kind: RecordKind) -> String {
    // Contentless (the text lives in the database, not twice) with deletes by rowid;
    // no positions are needed: a query is words, never a phrase.
    format!(
        "CREATE VIRTUAL TABLE {} USING fts5(words, content='', contentless_delete=1, detail=none, prefix='2 3', tokenize=\"{TOKENIZE}\")",
        fts_table(kind)
    )
}

/// The objects an index file holds besides the FTS tables' own.
const BOOK_SQL: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stale (kind TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS terms (kind TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (kind, term)) WITHOUT ROWID;
";

/// The index: its own connection, to a file beside the database or in memory.
pub(crate) struct SearchIndex {
    conn: Connection,
}

/// The index file of a database file.
pub fn index_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

impl SearchIndex {
    /// Opens the index file, or a fresh one in its place when it is missing, damaged or
    /// not one Cabildo writes; in memory when no file can be written there.
    fn open(db: Option<&Path>) -> Result<SearchIndex> {
        if let Some(db) = db {
            let path = index_path(db);
            match Self::open_file(&path) {
                Ok(index) => return Ok(index),
                Err(_) => {
                    // A cache: whatever is there is thrown away and built again.
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                    }
                    if let Ok(index) = Self::open_file(&path) {
                        return Ok(index);
                    }
                }
            }
        }
        let index = SearchIndex {
            conn: Connection::open_in_memory()?,
        };
        index.prepare()?;
        Ok(index)
    }

    fn open_file(path: &Path) -> Result<SearchIndex> {
        let conn = Connection::open(path)?;
        // The file sits in a folder others may write to: nothing its schema names runs.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Lost on a power cut at worst, and then rebuilt (the stamps differ).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::Corrupt(ok));
        }
        let index = SearchIndex { conn };
        index.prepare()?;
        Ok(index)
    }

    /// Creates what is missing and refuses objects Cabildo does not write.
    fn prepare(&self) -> Result<()> {
        self.conn.execute_batch(BOOK_SQL)?;
        let mut expected: Vec<String> = vec![
            "meta".into(),
            "pending".into(),
            "stale".into(),
            "terms".into(),
        ];
        for kind in searched_kinds() {
            let table = fts_table(kind);
            let sql: Option<String> = self
                .conn
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [&table],
                    |r| r.get(0),
                )
                .optional()?;
            match sql {
                Some(sql) if sql == create_fts_sql(kind) => {}
                Some(_) => {
                    self.conn.execute_batch(&format!("DROP TABLE {table}"))?;
                    self.conn.execute_batch(&create_fts_sql(kind))?;
                    self.mark_stale(kind)?;
                }
                None => {
                    self.conn.execute_batch(&create_fts_sql(kind))?;
                    self.mark_stale(kind)?;
                }
            }
            for shadow in ["data", "idx", "content", "docsize", "config"] {
                expected.push(format!("{table}_{shadow}"));
            }
            expected.push(table);
        }
        let mut stmt = self.conn.prepare(
            "SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_autoindex_%'",
        )?;
        let objects = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (ty, name) in objects {
            if ty != "table" || !expected.contains(&name) {
                return Err(Error::UnexpectedSchema(format!(
                    "search index: {ty} {name}"
                )));
            }
        }
        Ok(())
    }

    fn mark_stale(&self, kind: RecordKind) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO stale (kind) VALUES (?1)",
            [kind.as_str()],
        )?;
        Ok(())
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Rebuilds everything unless the index followed this very data (same office,
    /// same newest stamp, same format).
    fn check_follows(&self, office_id: &str, stamp: i64) -> Result<()> {
        let follows = self.meta("format")?.as_deref() == Some(INDEX_FORMAT)
            && self.meta("office_id")?.as_deref() == Some(office_id)
            && self.meta("stamp")?.as_deref() == Some(stamp.to_string().as_str());
        if !follows {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            let marked = (|| -> Result<()> {
                for kind in searched_kinds() {
                    self.mark_stale(kind)?;
                }
                self.conn.execute("DELETE FROM pending", [])?;
                self.set_meta("format", INDEX_FORMAT)?;
                self.set_meta("office_id", office_id)?;
                self.set_meta("stamp", &stamp.to_string())?;
                Ok(())
            })();
            self.finish(marked)?;
        }
        Ok(())
    }

    fn finish<T>(&self, done: Result<T>) -> Result<T> {
        match done {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Notes committed changes for the next search, with the data's newest stamp.
    fn note(&self, changes: &[Change], stamp: i64) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let noted = (|| -> Result<()> {
            let mut add = self
                .conn
                .prepare_cached("INSERT OR IGNORE INTO pending (kind, id) VALUES (?1, ?2)")?;
            for change in changes {
                if searched_fields(change.kind).is_empty() {
                    continue;
                }
                if change.ids.is_empty() {
                    self.mark_stale(change.kind)?;
                } else {
                    for id in &change.ids {
                        add.execute(params![change.kind.as_str(), id])?;
                    }
                }
            }
            self.set_meta("stamp", &stamp.to_string())
        })();
        self.finish(noted)
    }
}

/// The text a record is found by, from its searched fields' values.
fn words_of(values: &[Option<String>]) -> String {
    let mut out = String::new();
    for value in values.iter().flatten() {
        let folded = fold(value);
        if !folded.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&folded);
        }
    }
    out
}

/// The words of what the user typed, folded and bounded: every word must match,
/// the last one also as the start of a word.
pub(crate) fn query_words(text: &str) -> Vec<String> {
    let bounded: String = text.chars().take(MAX_QUERY_CHARS).collect();
    fold(&bounded)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_QUERY_WORDS)
        .map(str::to_string)
        .collect()
}

/// A word as an FTS5 string: never syntax, whatever it holds.
fn quote(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

impl SearchIndex {
    /// The FTS5 query of the words over one kind; None when the kind cannot match.
    /// A word's start is widened to the kind's words that start so (an OR of whole
    /// words, read lazily), not left to FTS5's prefix query, which gathers every
    /// match of a common start before the first answer.
    fn expression(&self, kind: RecordKind, words: &[String]) -> Result<Option<String>> {
        let Some((last, rest)) = words.split_last() else {
            return Ok(None);
        };
        let mut parts: Vec<String> = rest.iter().map(|w| quote(w)).collect();
        // A one-letter start would gather most of the index: it must match whole.
        if last.chars().count() < 2 {
            parts.push(quote(last));
            return Ok(Some(parts.join(" AND ")));
        }
        let upper = format!("{last}\u{10FFFF}");
        let terms: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT term FROM terms WHERE kind = ?1 AND term >= ?2 AND term < ?3 ORDER BY term LIMIT ?4",
            )?
            .query_map(
                params![kind.as_str(), last, upper, MAX_PREFIX_TERMS as i64 + 1],
                |r| r.get::<_, String>(0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        if terms.is_empty() {
            return Ok(None);
        }
        if terms.len() > MAX_PREFIX_TERMS {
            parts.push(format!("{}*", quote(last)));
        } else {
            let any: Vec<String> = terms.iter().map(|t| quote(t)).collect();
            parts.push(format!("({})", any.join(" OR ")));
        }
        Ok(Some(parts.join(" AND ")))
    }

    fn add_terms<'a>(&self, kind: RecordKind, words: impl Iterator<Item = &'a str>) -> Result<()> {
        let mut add = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO terms (kind, term) VALUES (?1, ?2)")?;
        for word in words {
            add.execute(params![kind.as_str(), word])?;
        }
        Ok(())
    }
}

impl Store {
    /// Opens the index file at open when one exists, so that writes are noted in it
    /// and a file changed behind it is rebuilt at the next search.
    pub(super) fn attach_search_index(&self) {
        if let Some(path) = self.path() {
            if index_path(path).exists() {
                // A cache: one that cannot be opened now is built at the next search.
                let _ = self.load_search_index();
            }
        }
    }

    fn load_search_index(&self) -> Result<()> {
        if self.search.borrow().is_some() {
            return Ok(());
        }
        let index = SearchIndex::open(self.path())?;
        index.check_follows(&self.office().id, self.last_stamp)?;
        *self.search.borrow_mut() = Some(index);
        Ok(())
    }

    /// Notes committed changes in the index, when there is one. Never fails a write:
    /// an index that cannot be told is dropped, and rebuilt from the data when needed.
    pub(super) fn note_for_search(&self, changes: &[Change]) {
        let failed = match self.search.borrow().as_ref() {
            Some(index) => index.note(changes, self.last_stamp).is_err(),
            None => false,
        };
        if failed {
            *self.search.borrow_mut() = None;
            if let Some(path) = self.path() {
                let _ = std::fs::remove_file(index_path(path));
            }
        }
    }

    /// Brings the index up to date: kinds marked stale are indexed whole, pending ids
    /// one by one.
    pub fn sync_search_index(&self) -> Result<IndexSync> {
        let started = std::time::Instant::now();
        self.load_search_index()?;
        let guard = self.search.borrow();
        let index = guard
            .as_ref()
            .ok_or_else(|| Error::Argument("search index".into()))?;
        let mut sync = IndexSync::default();
        let stale: Vec<String> = index
            .conn
            .prepare("SELECT kind FROM stale")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let pending: Vec<(String, String)> = index
            .conn
            .prepare("SELECT kind, id FROM pending")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if stale.is_empty() && pending.is_empty() {
            return Ok(sync);
        }
        index.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = (|| -> Result<()> {
            for code in &stale {
                let Some(kind) = kind_of(code) else {
                    continue;
                };
                sync.records += self.index_kind(index, kind)?;
                sync.kinds_rebuilt.push(kind);
            }
            for (code, id) in &pending {
                match kind_of(code) {
                    Some(kind) if !stale.contains(code) => {
                        self.index_record(index, kind, id)?;
                        sync.records += 1;
                    }
                    _ => {}
                }
            }
            index.conn.execute("DELETE FROM stale", [])?;
            index.conn.execute("DELETE FROM pending", [])?;
            Ok(())
        })();
        index.finish(done)?;
        sync.millis = started.elapsed().as_millis();
        Ok(sync)
    }

    /// Rebuilds the whole index from the data (benchmarks, a user's repair).
    pub fn rebuild_search_index(&self) -> Result<IndexSync> {
        self.load_search_index()?;
        if let Some(index) = self.search.borrow().as_ref() {
            for kind in searched_kinds() {
                index.mark_stale(kind)?;
            }
        }
        self.sync_search_index()
    }

    /// The select of a kind's rowid and searched fields.
    fn words_select(kind: RecordKind) -> String {
        format!(
            "SELECT rowid, {} FROM {} WHERE deleted = 0",
            searched_fields(kind).join(", "),
            kind.desc().table
        )
    }

    fn index_kind(&self, index: &SearchIndex, kind: RecordKind) -> Result<u64> {
        let table = fts_table(kind);
        // Dropped and made again: faster than deleting every row of a large index.
        index
            .conn
            .execute_batch(&format!("DROP TABLE IF EXISTS {table}"))?;
        index.conn.execute_batch(&create_fts_sql(kind))?;
        index
            .conn
            .execute("DELETE FROM terms WHERE kind = ?1", [kind.as_str()])?;
        let mut terms: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut insert = index.conn.prepare(&format!(
            "INSERT INTO {table} (rowid, words) VALUES (?1, ?2)"
        ))?;
        let n = searched_fields(kind).len();
        let mut stmt = self.conn().prepare(&Self::words_select(kind))?;
        let mut rows = stmt.query([])?;
        let mut count = 0;
        let mut values = Vec::with_capacity(n);
        while let Some(row) = rows.next()? {
            values.clear();
            for i in 0..n {
                values.push(row.get::<_, Option<String>>(i + 1)?);
            }
            let words = words_of(&values);
            if !words.is_empty() {
                insert.execute(params![row.get::<_, i64>(0)?, words])?;
                for word in words.split(' ') {
                    if !terms.contains(word) {
                        terms.insert(word.to_string());
                    }
                }
            }
            count += 1;
        }
        drop(insert);
        index.add_terms(kind, terms.iter().map(String::as_str))?;
        // One segment: queries read one b-tree instead of many.
        index.conn.execute(
            &format!("INSERT INTO {table} ({table}) VALUES ('optimize')"),
            [],
        )?;
        Ok(count)
    }

    fn index_record(&self, index: &SearchIndex, kind: RecordKind, id: &str) -> Result<()> {
        let table = fts_table(kind);
        let n = searched_fields(kind).len();
        let sql = format!(
            "SELECT rowid, deleted, {} FROM {} WHERE id = ?1",
            searched_fields(kind).join(", "),
            kind.desc().table
        );
        let row = self
            .conn()
            .query_row(&sql, [id], |r| {
                let mut values = Vec::with_capacity(n);
                for i in 0..n {
                    values.push(r.get::<_, Option<String>>(i + 2)?);
                }
                Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?, values))
            })
            .optional()?;
        let Some((rowid, deleted, values)) = row else {
            return Ok(());
        };
        index
            .conn
            .prepare_cached(&format!("DELETE FROM {table} WHERE rowid = ?1"))?
            .execute([rowid])?;
        let words = words_of(&values);
        if !deleted && !words.is_empty() {
            index.add_terms(kind, words.split(' '))?;
            index
                .conn
                .prepare_cached(&format!(
                    "INSERT INTO {table} (rowid, words) VALUES (?1, ?2)"
                ))?
                .execute(params![rowid, words])?;
        }
        Ok(())
    }

    /// Finds live records of every kind by their words (case and accents ignored; every
    /// word must match, the last also as a word's start). At most `per_kind_limit`
    /// hits per kind, each kind with its count.
    pub fn search(&self, text: &str, per_kind_limit: usize) -> Result<SearchResults> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(SearchResults::default());
        }
        self.sync_search_index()?;
        let limit = per_kind_limit.clamp(1, MAX_PER_KIND);
        let guard = self.search.borrow();
        let index = guard
            .as_ref()
            .ok_or_else(|| Error::Argument("search index".into()))?;
        let mut results = SearchResults::default();
        for kind in searched_kinds() {
            let Some(expression) = index.expression(kind, &words)? else {
                continue;
            };
            let mut stmt = index.conn.prepare_cached(&format!(
                "SELECT rowid FROM {} WHERE {0} MATCH ?1 LIMIT ?2",
                fts_table(kind)
            ))?;
            let rowids = stmt
                .query_map(params![expression, COUNT_CAP as i64 + 1], |r| {
                    r.get::<_, i64>(0)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            if rowids.is_empty() {
                continue;
            }
            let more = rowids.len() as u64 > COUNT_CAP;
            let total = (rowids.len() as u64).min(COUNT_CAP);
            let mut hits = Vec::new();
            let mut read = self.conn().prepare_cached(&hit_sql(kind))?;
            for rowid in rowids.iter().take(limit) {
                let hit = read
                    .query_row([rowid], |r| {
                        Ok(SearchHit {
                            kind,
                            id: r.get(0)?,
                            label: r.get(1)?,
                            city: r.get(2)?,
                        })
                    })
                    .optional()?;
                hits.extend(hit);
            }
            if !hits.is_empty() {
                results.groups.push(SearchGroup {
                    kind,
                    hits,
                    total,
                    more,
                });
            }
        }
        Ok(results)
    }
}

/// One live record by rowid: its id, its label by the kind's rule, its city's name.
fn hit_sql(kind: RecordKind) -> String {
    let desc = kind.desc();
    let city = match desc.city_scope {
        CityScope::Column => "(SELECT c.name FROM city c WHERE c.id = t.city_id)",
        CityScope::ViaMembership => {
            "(SELECT c.name FROM membership m JOIN city c ON c.id = m.city_id WHERE m.id = t.membership_id)"
        }
        CityScope::None | CityScope::SelfId => "NULL",
    };
    format!(
        "SELECT t.id, COALESCE({}, ''), {city} FROM {} t WHERE t.rowid = ?1 AND t.deleted = 0",
        desc.label_sql(),
        desc.table
    )
}
