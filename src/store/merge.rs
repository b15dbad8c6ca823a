//! Merging a checked received file into the local database.
//!
//! The received copy is attached read-only and every record table is upserted from
//! it, parents first, in one transaction: row-level last-writer-wins on
//! `(updated_at, updated_by)`, which makes merging idempotent, commutative and
//! associative.
//!
//! Conflicts ("changed on both sides since they last agreed") are found with what
//! each file knows of every office's writes, a version vector kept in `settings`
//! (`known_stamp:<office id>` → newest stamp of that office's writes the file has
//! taken in). A file knows its own writes up to its clock. Because files travel
//! whole, knowing an office's write at stamp `t` means knowing all its writes up to
//! `t`. So a record whose two versions differ is a conflict exactly when neither side
//! knew the other's version when it wrote its own: the incoming file had not seen
//! the local version (its knowledge of the local writer is older than the local
//! stamp) and the local file had not seen the incoming version. When knowledge is
//! missing (a first exchange) the rule errs towards reporting a conflict, never
//! towards losing a version silently. Versions whose content is equal are never a
//! conflict. The losing side of every conflict goes to `conflict_log`.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use ts_rs::TS;

use super::backups::BackupInfo;
use super::incoming::{CheckedIncoming, KNOWN_STAMP_PREFIX};
use super::{new_id, now_ms, Change, Column, ColumnType, Store};
use crate::error::{Error, Result};
use crate::kinds::RecordKind;

/// Rows upserted per statement, so progress can be reported and the merge cancelled.
const CHUNK_ROWS: i64 = 20_000;
/// The name the received copy is attached under.
pub(crate) const INCOMING: &str = "incoming";

/// What a merge does to the records of one kind, or of all kinds. The five
/// categories are disjoint and add up to `incoming`.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeCounts {
    /// Records in the received file.
    pub incoming: u32,
    /// Not here yet: added.
    pub new: u32,
    /// Newer in the received file: replace the local version.
    pub updated: u32,
    /// Equal here, or newer here: nothing to do.
    pub unchanged: u32,
    /// Deleted in the received file after the local version: moved to the trash here.
    pub tombstoned: u32,
    /// Changed on both sides since they last agreed: the later write is kept and the
    /// other goes to the conflict log.
    pub conflicts: u32,
}

impl MergeCounts {
    /// Records the merge writes or logs.
    pub fn changes(&self) -> u32 {
        self.new + self.updated + self.tombstoned + self.conflicts
    }

    pub fn add(&mut self, other: &MergeCounts) {
        self.incoming += other.incoming;
        self.new += other.new;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.tombstoned += other.tombstoned;
        self.conflicts += other.conflicts;
    }

    /// The counts of every kind together.
    pub fn total_of(kinds: &[KindCounts]) -> MergeCounts {
        let mut totals = MergeCounts::default();
        for k in kinds {
            totals.add(&k.counts);
        }
        totals
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindCounts {
    pub kind: RecordKind,
    #[serde(flatten)]
    pub counts: MergeCounts,
}

/// Which side of a merge a version comes from.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MergeSide {
    Local,
    Incoming,
}

/// A record changed on both sides since they last agreed, both versions side by side.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ConflictPair {
    pub kind: RecordKind,
    pub record_id: String,
    /// The record named for people (from the local version).
    pub label: String,
    /// Field name → value, as the record's own type serialises it.
    #[ts(type = "Record<string, unknown>")]
    pub local: Json,
    #[ts(type = "Record<string, unknown>")]
    pub incoming: Json,
    /// The version kept: the later write by `(updated_at, updated_by)`.
    pub winner: MergeSide,
}

/// One merge, as the merge history lists it.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct MergeRecord {
    pub id: String,
    #[ts(type = "number")]
    pub merged_at: i64,
    pub from_office_id: String,
    pub from_office_name: String,
    pub source_file: String,
    /// SHA-256 of the merged file, to recognise it if it comes again.
    pub fingerprint: String,
    pub kinds: Vec<KindCounts>,
    pub totals: MergeCounts,
}

/// A losing version kept by a merge, as the conflict log lists it.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct ConflictEntry {
    pub id: String,
    pub merge_id: String,
    #[ts(type = "number")]
    pub merged_at: i64,
    pub from_office_name: String,
    pub kind: RecordKind,
    pub record_id: String,
    pub label: String,
    #[ts(type = "Record<string, unknown>")]
    pub losing: Json,
    #[ts(type = "Record<string, unknown>")]
    pub winning: Json,
    /// Restored or dismissed by the user.
    pub resolved: bool,
}

/// What the received file would do to the local one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Preview {
    pub kinds: Vec<KindCounts>,
    pub conflicts: Vec<ConflictPair>,
    /// The file holds exactly the local records (same versions, nothing more or less).
    pub same_records: bool,
    /// Deleted records of the file that this file never held (kept deleted, so a later
    /// copy of the record arrives deleted too).
    pub unseen_tombstones: u32,
    /// Networks of the seeded catalog that the file edits or deletes.
    pub catalog_changes: u32,
    /// The state of the local file the preview was computed on.
    pub local_state: LocalState,
}

/// Identifies the state of the local file: changes by this connection and commits by
/// any other. Equal states mean a preview's counts still hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalState {
    data_version: i64,
    total_changes: u64,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Applied {
    pub merge_id: Option<String>,
    pub kinds: Vec<KindCounts>,
    pub conflicts_logged: u32,
    pub backup: Option<BackupInfo>,
}

#[derive(Serialize, Deserialize)]
struct HistoryDetails {
    fingerprint: String,
    schema_version: i64,
    kinds: Vec<KindCounts>,
}

fn columns_list(columns: &[Column], alias: &str) -> String {
    columns
        .iter()
        .map(|c| format!("{alias}\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True (in SQL over `l` local and `i` incoming) when both versions were written
/// without knowledge of the other and differ in content. See the module comment.
fn conflict_sql(columns: &[Column]) -> String {
    let same_content = columns
        .iter()
        .filter(|c| {
            !matches!(
                c.name.as_str(),
                "id" | "created_at" | "updated_at" | "updated_by"
            )
        })
        .map(|c| format!("l.\"{0}\" IS i.\"{0}\"", c.name))
        .collect::<Vec<_>>()
        .join(" AND ");
    // A received version that says this office wrote it, yet is not the version this
    // office holds and would replace it, is not believed either: this office knows its
    // own writes. It is a conflict, so the replaced version is kept in the log.
    format!(
        "(NOT ({same_content}) \
         AND ((COALESCE((SELECT k.stamp FROM temp.merge_known_local k WHERE k.office = i.updated_by), -1) < i.updated_at \
               AND COALESCE((SELECT k.stamp FROM temp.merge_known_incoming k WHERE k.office = l.updated_by), -1) < l.updated_at) \
              OR (i.updated_by = (SELECT office FROM temp.merge_self) AND {INCOMING_WINS})))"
    )
}

const INCOMING_WINS: &str = "(i.updated_at, i.updated_by) > (l.updated_at, l.updated_by)";
const SAME_STAMP: &str = "(i.updated_at = l.updated_at AND i.updated_by = l.updated_by)";

fn value_json(value: ValueRef, ty: ColumnType) -> Json {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Json::Null,
        ValueRef::Integer(n) => match ty {
            ColumnType::Boolean => Json::Bool(n != 0),
            ColumnType::Real => serde_json::Number::from_f64(n as f64)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            _ => Json::from(n),
        },
        ValueRef::Real(x) => serde_json::Number::from_f64(x)
            .map(Json::Number)
            .unwrap_or(Json::Null),
        ValueRef::Text(t) => Json::String(String::from_utf8_lossy(t).into_owned()),
    }
}

fn row_json(row: &rusqlite::Row, columns: &[Column], offset: usize) -> rusqlite::Result<Json> {
    let mut object = Map::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        object.insert(
            column.name.clone(),
            value_json(row.get_ref(offset + i)?, column.ty),
        );
    }
    Ok(Json::Object(object))
}

/// Most offices whose writes a file remembers knowing (`known_stamp:*` rows): what a
/// received file may hold, so this file stays acceptable to its peers and its own
/// backups stay restorable however many offices it merges from.
const MAX_KNOWN_OFFICES: usize = super::incoming::MAX_OFFICES;

/// Keeps the `limit` most recent knowledge rows, forgetting the oldest: forgetting
/// what another office knew is safe (a later merge reports a conflict rather than
/// an update), and settings never grow past the bound.
pub(crate) fn prune_knowledge(conn: &rusqlite::Connection, limit: usize) -> Result<()> {
    conn.execute(
        "DELETE FROM settings WHERE substr(key, 1, length(?1)) = ?1 AND key NOT IN (
             SELECT key FROM settings WHERE substr(key, 1, length(?1)) = ?1
             ORDER BY CAST(value AS INTEGER) DESC, key LIMIT ?2)",
        params![KNOWN_STAMP_PREFIX, limit as i64],
    )?;
    Ok(())
}

/// Rows from which the largest table is counted on two cores.
const PARALLEL_CLASSIFY_ROWS: u64 = 50_000;

/// The newest write of this office (`me`) that the attached file holds as this office
/// holds it, or an older version of a record this office holds: what the file can be
/// believed to know of this office's writes. Versions of this office's records that
/// this office never had prove nothing.
fn verified_knowledge_of(conn: &rusqlite::Connection, me: &str) -> Result<i64> {
    let mut verified = -1;
    for kind in RecordKind::ALL {
        let table = kind.desc().table;
        let newest: Option<i64> = conn.query_row(
            &format!(
                "SELECT MAX(i.updated_at) FROM {INCOMING}.\"{table}\" i JOIN main.\"{table}\" l ON l.id = i.id
                 WHERE i.updated_by = ?1 AND (l.updated_at, l.updated_by) >= (i.updated_at, i.updated_by)"
            ),
            [me],
            |r| r.get(0),
        )?;
        verified = verified.max(newest.unwrap_or(-1));
    }
    Ok(verified)
}

/// The claims of the received file (office, stamp) that name exactly a write the
/// local file holds: the local file knows that office wrote at that stamp, so a file
/// that names it has seen it (stamps are milliseconds; one guessed by chance is
/// vanishingly unlikely, and one learnt from a real file is knowledge indeed).
fn claims_matching_local_writes(
    conn: &rusqlite::Connection,
    claims: &[(String, i64)],
) -> Result<Vec<(String, i64)>> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS merge_claims (office TEXT NOT NULL, stamp INTEGER NOT NULL, PRIMARY KEY (office, stamp));
         DELETE FROM temp.merge_claims;",
    )?;
    {
        let mut insert = conn
            .prepare("INSERT OR IGNORE INTO temp.merge_claims (office, stamp) VALUES (?1, ?2)")?;
        for (office, stamp) in claims {
            insert.execute(params![office, stamp])?;
        }
    }
    let mut matching: Vec<(String, i64)> = Vec::new();
    if claims.is_empty() {
        return Ok(matching);
    }
    for kind in RecordKind::ALL {
        let table = kind.desc().table;
        let mut stmt = conn.prepare(&format!(
            "SELECT DISTINCT c.office, c.stamp FROM temp.merge_claims c
             WHERE EXISTS (SELECT 1 FROM main.\"{table}\" t WHERE t.updated_by = c.office AND t.updated_at = c.stamp)"
        ))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            matching.push(row?);
        }
    }
    conn.execute_batch("DELETE FROM temp.merge_claims;")?;
    Ok(matching)
}

/// What the received file can be believed to know of each office's writes (see the
/// module comment). For each office, the newest of:
/// - the newest write of that office the file holds (for this office, only versions
///   it holds as this office holds them, or older: see `verified_knowledge_of`);
/// - a claim (`known_stamp:*`) that names exactly a write the local file holds.
///
/// Any other claim counts for no more than the first: a file cannot make a version
/// pass as seen by saying so. What is believed is also all a merge stores.
fn believed_knowledge(
    conn: &rusqlite::Connection,
    me: &str,
    checked: &CheckedIncoming,
) -> Result<Vec<(String, i64)>> {
    let mut believed: HashMap<String, i64> = checked.held.iter().cloned().collect();
    if believed.contains_key(me) {
        let verified = verified_knowledge_of(conn, me)?;
        if verified < 0 {
            believed.remove(me);
        } else {
            believed.insert(me.to_string(), verified);
        }
    }
    for (office, stamp) in claims_matching_local_writes(conn, &checked.claims)? {
        let entry = believed.entry(office).or_insert(stamp);
        *entry = (*entry).max(stamp);
    }
    // A claim never raises knowledge past itself.
    for (office, claim) in &checked.claims {
        if let Some(entry) = believed.get_mut(office) {
            if office != &checked.office_id {
                *entry = (*entry).min((*claim).max(held_stamp(checked, office)));
            }
        }
    }
    let mut out: Vec<(String, i64)> = believed.into_iter().collect();
    out.sort();
    Ok(out)
}

fn held_stamp(checked: &CheckedIncoming, office: &str) -> i64 {
    checked
        .held
        .iter()
        .find(|(o, _)| o == office)
        .map(|(_, s)| *s)
        .unwrap_or(-1)
}

fn load_knowledge_into(
    conn: &rusqlite::Connection,
    me: &str,
    local: &[(String, i64)],
    incoming: &[(String, i64)],
) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS merge_known_local (office TEXT PRIMARY KEY, stamp INTEGER NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS merge_known_incoming (office TEXT PRIMARY KEY, stamp INTEGER NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS merge_self (office TEXT NOT NULL);
         DELETE FROM temp.merge_known_local;
         DELETE FROM temp.merge_known_incoming;
         DELETE FROM temp.merge_self;",
    )?;
    conn.execute("INSERT INTO temp.merge_self (office) VALUES (?1)", [me])?;
    for (table, entries) in [
        ("merge_known_local", local),
        ("merge_known_incoming", incoming),
    ] {
        let mut stmt = conn.prepare(&format!(
            "INSERT INTO temp.{table} (office, stamp) VALUES (?1, ?2)
             ON CONFLICT(office) DO UPDATE SET stamp = MAX(stamp, excluded.stamp)"
        ))?;
        for (office, stamp) in entries {
            stmt.execute(params![office, stamp])?;
        }
    }
    Ok(())
}

/// A second, read-only connection to the local file with the received copy attached
/// and both sides' knowledge loaded, for counting in another thread.
fn helper_connection(
    path: &std::path::Path,
    checked: &CheckedIncoming,
    me: &str,
    local_known: &[(String, i64)],
    believed: &[(String, i64)],
) -> Result<rusqlite::Connection> {
    use rusqlite::config::DbConfig;
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.pragma_update(None, "cell_size_check", true)?;
    conn.execute_batch("PRAGMA main.cache_size = -131072")?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS {INCOMING}"),
        [read_only_uri(checked.copy.path())],
    )?;
    conn.execute_batch(&format!("PRAGMA {INCOMING}.mmap_size = 0"))?;
    conn.set_limit(
        rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
        ATTACHED_LENGTH_LIMIT,
    )?;
    load_knowledge_into(&conn, me, local_known, believed)?;
    Ok(conn)
}

/// Counts what the attached file's rows `low..=high` of one kind would do:
/// [received, equal, new, updated, older than here, tombstoned, conflicts].
fn classify_on(
    conn: &rusqlite::Connection,
    kind: RecordKind,
    columns: &[Column],
    low: i64,
    high: i64,
) -> Result<[i64; 7]> {
    let table = kind.desc().table;
    // Sums rather than GROUP BY: no sorter over 200,000 rows.
    let sql = format!(
        "SELECT COUNT(*), COALESCE(SUM(c = 0), 0), COALESCE(SUM(c = 1), 0),
                COALESCE(SUM(c = 2), 0), COALESCE(SUM(c = 3), 0),
                COALESCE(SUM(c = 4), 0), COALESCE(SUM(c = 5), 0)
         FROM (SELECT CASE
           WHEN l.id IS NULL THEN CASE WHEN i.deleted THEN 4 ELSE 1 END
           WHEN {SAME_STAMP} THEN 0
           WHEN {conflict} THEN 5
           WHEN {INCOMING_WINS} THEN CASE WHEN i.deleted AND NOT l.deleted THEN 4 ELSE 2 END
           ELSE 3 END AS c
         FROM {INCOMING}.\"{table}\" i LEFT JOIN main.\"{table}\" l ON l.id = i.id
         WHERE i.rowid BETWEEN ?1 AND ?2)",
        conflict = conflict_sql(columns)
    );
    Ok(conn.query_row(&sql, params![low, high], |r| {
        Ok([
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ])
    })?)
}

/// Connection settings a merge changes for its duration.
#[derive(Debug, Clone, Copy)]
struct Settings {
    cache_size: i64,
    cell_size_check: bool,
    length_limit: i32,
}

/// `SQLITE_LIMIT_LENGTH` while a received copy is attached. The copy holds no value
/// longer than a field (checked); the limit also bounds what the merge itself builds
/// on this connection, such as a conflict's two versions as JSON (a record has a few
/// dozen fields of at most `MAX_TEXT_CHARS` characters).
const ATTACHED_LENGTH_LIMIT: i32 = 8 * 1024 * 1024;

/// A path as an SQLite URI that opens it read-only.
fn read_only_uri(path: &std::path::Path) -> String {
    let mut uri = String::from("file:");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri.push_str("?mode=ro");
    uri
}

impl Store {
    /// Attaches the checked copy read-only and loads both sides' knowledge. Returns
    /// the connection settings to restore on detaching.
    fn attach_incoming(&self, checked: &CheckedIncoming) -> Result<Settings> {
        use rusqlite::config::DbConfig;
        let settings = Settings {
            cache_size: self
                .conn
                .query_row("PRAGMA main.cache_size", [], |r| r.get(0))?,
            cell_size_check: self
                .conn
                .query_row("PRAGMA cell_size_check", [], |r| r.get(0))?,
            length_limit: self
                .conn
                .limit(rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH)?,
        };
        // The copy was checked with these defences; the attaching connection keeps
        // them too while it is attached, so nothing in the attached schema can run.
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
        self.conn.pragma_update(None, "cell_size_check", true)?;
        // A merge looks up every received id and parent among the local records: a
        // cache that holds the whole working set (up to 256 MB, for its duration)
        // halves the time against SQLite's default 2,000 pages.
        self.conn
            .execute_batch("PRAGMA main.cache_size = -262144")?;
        self.conn.execute(
            &format!("ATTACH DATABASE ?1 AS {INCOMING}"),
            [read_only_uri(checked.copy.path())],
        )?;
        // As when it was checked: no memory-mapped reads of the received file, and no
        // value longer than a record's can be materialised from it.
        self.conn.execute_batch(&format!(
            "PRAGMA {INCOMING}.cache_size = -65536; PRAGMA {INCOMING}.mmap_size = 0"
        ))?;
        self.conn.set_limit(
            rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
            ATTACHED_LENGTH_LIMIT,
        )?;
        if let Err(e) = self.load_knowledge(checked) {
            let _ = self.detach_incoming(settings);
            return Err(e);
        }
        Ok(settings)
    }

    fn detach_incoming(&self, settings: Settings) -> Result<()> {
        use rusqlite::config::DbConfig;
        let detached = self
            .conn
            .execute_batch(&format!("DETACH DATABASE {INCOMING}"));
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, true)?;
        self.conn
            .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, true)?;
        self.conn
            .execute_batch(&format!("PRAGMA main.cache_size = {}", settings.cache_size))?;
        self.conn
            .pragma_update(None, "cell_size_check", settings.cell_size_check)?;
        self.conn.set_limit(
            rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
            settings.length_limit,
        )?;
        Ok(detached?)
    }

    /// What this file knows of each office's writes (see the module comment).
    pub(crate) fn known_stamps(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT substr(key, length(?1) + 1), CAST(value AS INTEGER) FROM settings WHERE substr(key, 1, length(?1)) = ?1",
        )?;
        let rows = stmt.query_map([KNOWN_STAMP_PREFIX], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut known: Vec<(String, i64)> = Vec::new();
        for row in rows {
            known.push(row?);
        }
        known.retain(|(office, _)| office != &self.office.id);
        known.push((self.office.id.clone(), self.last_stamp));
        Ok(known)
    }

    fn load_knowledge(&self, checked: &CheckedIncoming) -> Result<()> {
        load_knowledge_into(
            &self.conn,
            &self.office.id,
            &self.known_stamps()?,
            &self.believed_knowledge(checked)?,
        )
    }

    /// What the attached file can be believed to know (see `believed_knowledge`).
    fn believed_knowledge(&self, checked: &CheckedIncoming) -> Result<Vec<(String, i64)>> {
        believed_knowledge(&self.conn, &self.office.id, checked)
    }

    /// The conflicts of one kind with both versions, at most `limit` of them.
    fn conflict_pairs(&self, kind: RecordKind, limit: Option<usize>) -> Result<Vec<ConflictPair>> {
        let info = kind.desc();
        let table = info.table;
        let columns = &self.columns[&kind];
        let n = columns.len();
        let sql = format!(
            "SELECT {local}, {theirs}, {INCOMING_WINS},
                    COALESCE((SELECT {label} FROM main.\"{table}\" t WHERE t.id = l.id), '')
             FROM {INCOMING}.\"{table}\" i JOIN main.\"{table}\" l ON l.id = i.id
             WHERE NOT {SAME_STAMP} AND {conflict} ORDER BY l.rowid LIMIT ?1",
            local = columns_list(columns, "l."),
            theirs = columns_list(columns, "i."),
            label = info.label_sql(),
            conflict = conflict_sql(columns)
        );
        let limit = limit.map(|l| l as i64).unwrap_or(-1);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([limit], |r| {
            let local = row_json(r, columns, 0)?;
            let incoming = row_json(r, columns, n)?;
            let incoming_wins: bool = r.get(2 * n)?;
            Ok(ConflictPair {
                kind,
                record_id: local
                    .get("id")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string(),
                label: r.get(2 * n + 1)?,
                local,
                incoming,
                winner: if incoming_wins {
                    MergeSide::Incoming
                } else {
                    MergeSide::Local
                },
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?);
        }
        Ok(out)
    }

    /// Counts, for every kind, what the attached file would do. The largest table is
    /// split in two rowid halves, the second counted on a connection of its own in
    /// another thread (a read-only one: SQLite's WAL lets it read alongside).
    fn classify_all(&self, checked: &CheckedIncoming) -> Result<(Vec<KindCounts>, u32)> {
        let largest = checked.rows.iter().max_by_key(|(_, n)| *n).copied();
        let split = match (&self.path, largest) {
            (Some(path), Some((kind, n))) if n >= PARALLEL_CLASSIFY_ROWS => {
                let (first, last): (i64, i64) = self.conn.query_row(
                    &format!(
                        "SELECT MIN(rowid), MAX(rowid) FROM {INCOMING}.\"{}\"",
                        kind.desc().table
                    ),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                // Halfway in the rowids, computed without overflow whatever they are
                // (a hostile file may hold rowids at both ends of the 64-bit range).
                let middle = ((i128::from(first) + i128::from(last)) / 2) as i64;
                Some((path.clone(), kind, middle))
            }
            _ => None,
        };
        let local_known = self.known_stamps()?;
        let believed = match &split {
            Some(_) => self.believed_knowledge(checked)?,
            None => Vec::new(),
        };
        let (mine, helped) = std::thread::scope(|scope| {
            let helper = split.as_ref().map(|(path, kind, middle)| {
                let columns = &self.columns[kind];
                let local_known = &local_known;
                let believed = &believed;
                let me = self.office.id.as_str();
                scope.spawn(move || -> Result<[i64; 7]> {
                    let conn = helper_connection(path, checked, me, local_known, believed)?;
                    classify_on(&conn, *kind, columns, middle + 1, i64::MAX)
                })
            });
            let mut mine = Vec::with_capacity(RecordKind::ALL.len());
            for kind in RecordKind::ALL {
                let high = match &split {
                    Some((_, k, middle)) if k == kind => *middle,
                    _ => i64::MAX,
                };
                mine.push(classify_on(
                    &self.conn,
                    *kind,
                    &self.columns[kind],
                    i64::MIN,
                    high,
                ));
            }
            let helped = helper.map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Argument("counting failed".into())))
            });
            (mine, helped)
        });
        let helped = helped.transpose()?;
        let mut kinds = Vec::with_capacity(RecordKind::ALL.len());
        let mut same = 0;
        for (kind, counted) in RecordKind::ALL.iter().zip(mine) {
            let mut n = counted?;
            if let (Some((_, k, _)), Some(more)) = (&split, helped) {
                if k == kind {
                    for (a, b) in n.iter_mut().zip(more) {
                        *a += b;
                    }
                }
            }
            let [incoming, equal, new, updated, incoming_older, tombstoned, conflicts] =
                n.map(|v| v as u32);
            same += equal;
            kinds.push(KindCounts {
                kind: *kind,
                counts: MergeCounts {
                    incoming,
                    new,
                    updated,
                    // Equal versions, and versions newer here.
                    unchanged: equal + incoming_older,
                    tombstoned,
                    conflicts,
                },
            });
        }
        Ok((kinds, same))
    }

    /// The preview's own lines: tombstones of records never held here, and edits or
    /// deletions of the seeded catalog's networks (a change everyone shares).
    fn preview_notes(&self) -> Result<(u32, u32)> {
        let mut unseen: i64 = 0;
        for kind in RecordKind::ALL {
            let table = kind.desc().table;
            unseen += self.conn.query_row(
                &format!(
                    "SELECT COUNT(*) FROM {INCOMING}.\"{table}\" i
                     WHERE i.deleted AND NOT EXISTS (SELECT 1 FROM main.\"{table}\" l WHERE l.id = i.id)"
                ),
                [],
                |r| r.get::<_, i64>(0),
            )?;
        }
        let catalog: i64 = self.conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM {INCOMING}.network i JOIN main.network l ON l.id = i.id
                 WHERE l.updated_by = ?1 AND NOT {SAME_STAMP} AND {INCOMING_WINS}"
            ),
            [crate::catalog::CATALOG_OFFICE],
            |r| r.get(0),
        )?;
        Ok((
            u32::try_from(unseen).unwrap_or(u32::MAX),
            u32::try_from(catalog).unwrap_or(u32::MAX),
        ))
    }

    fn record_count(&self, kind: RecordKind) -> Result<u32> {
        let sql = format!("SELECT COUNT(*) FROM main.\"{}\"", kind.desc().table);
        Ok(self.conn.query_row(&sql, [], |r| r.get::<_, i64>(0))? as u32)
    }

    fn local_state(&self) -> Result<LocalState> {
        Ok(LocalState {
            data_version: self
                .conn
                .query_row("PRAGMA main.data_version", [], |r| r.get(0))?,
            total_changes: self.conn.total_changes(),
        })
    }

    /// What merging the checked file would do, without writing anything.
    pub(crate) fn merge_preview(
        &self,
        checked: &CheckedIncoming,
        listed_conflicts: usize,
    ) -> Result<Preview> {
        let settings = self.attach_incoming(checked)?;
        let preview = self.preview_attached(checked, listed_conflicts);
        let detached = self.detach_incoming(settings);
        let mut preview = preview?;
        detached?;
        // Taken after detaching: the knowledge tables written above count as changes.
        preview.local_state = self.local_state()?;
        Ok(preview)
    }

    /// Checks every row of the checked file by its kind's rules, as a merge does
    /// before counting anything (`check_received_rows`), without computing a plan.
    /// Used on a scratch store to adopt a received file as the database.
    pub(crate) fn check_received_rules(&self, checked: &CheckedIncoming) -> Result<()> {
        let settings = self.attach_incoming(checked)?;
        let checked_rows = self.check_received_rows();
        let detached = self.detach_incoming(settings);
        checked_rows?;
        detached
    }

    fn preview_attached(
        &self,
        checked: &CheckedIncoming,
        listed_conflicts: usize,
    ) -> Result<Preview> {
        // Before anything is counted or shown: a row that breaks a rule of its kind
        // refuses the whole file.
        self.check_received_rows()?;
        let (kinds, same) = self.classify_all(checked)?;
        let mut conflicts = Vec::new();
        for k in &kinds {
            if k.counts.conflicts > 0 && conflicts.len() < listed_conflicts {
                let room = listed_conflicts - conflicts.len();
                conflicts.extend(self.conflict_pairs(k.kind, Some(room))?);
            }
        }
        let (unseen_tombstones, catalog_changes) = self.preview_notes()?;
        let incoming: u32 = kinds.iter().map(|k| k.counts.incoming).sum();
        let mut same_records = same == incoming;
        if same_records {
            let mut local = 0;
            for kind in RecordKind::ALL {
                local += self.record_count(*kind)?;
            }
            same_records = local == incoming;
        }
        Ok(Preview {
            kinds,
            conflicts,
            same_records,
            unseen_tombstones,
            catalog_changes,
            local_state: LocalState {
                data_version: 0,
                total_changes: 0,
            },
        })
    }

    /// Merges the checked file: backup, then one transaction. `progress(done, total)`
    /// returning false cancels, and the local file stays as it was. A preview taken
    /// on the same local state spares counting again.
    pub(crate) fn merge_apply(
        &mut self,
        checked: &CheckedIncoming,
        preview: Option<(LocalState, &[KindCounts])>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Applied> {
        let current = self.local_state()?;
        let counted = preview
            .filter(|(state, _)| *state == current)
            .map(|(_, kinds)| kinds.to_vec());
        let settings = self.attach_incoming(checked)?;
        let applied = self.apply_attached(checked, counted, progress);
        let detached = self.detach_incoming(settings);
        let applied = applied?;
        detached?;
        if applied.merge_id.is_some() {
            self.observe_stamp(checked.high_stamp);
            // Many records at once: an empty id list asks views to reload the kind;
            // the whole merge is one event.
            self.notify_all(
                applied
                    .kinds
                    .iter()
                    .filter(|k| k.counts.changes() > 0)
                    .map(|k| Change {
                        kind: k.kind,
                        ids: Vec::new(),
                    })
                    .collect(),
            );
        }
        Ok(applied)
    }

    fn apply_attached(
        &mut self,
        checked: &CheckedIncoming,
        counted: Option<Vec<KindCounts>>,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Applied> {
        let kinds = match counted {
            Some(kinds) => kinds,
            None => self.classify_all(checked)?.0,
        };
        let changes: u32 = kinds.iter().map(|k| k.counts.changes()).sum();
        if changes == 0 {
            // Nothing to write: no backup, no history, the file stays as it is.
            return Ok(Applied {
                merge_id: None,
                kinds,
                conflicts_logged: 0,
                backup: None,
            });
        }
        if !progress(0, checked.records()) {
            return Err(Error::Cancelled);
        }
        let backup = match self.begin_with_backup() {
            Ok(backup) => backup,
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        // A panic while writing must not leave the transaction open (see
        // `Store::transaction`).
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.write_attached(checked, &kinds, progress)
        }));
        match written {
            Ok(Ok((merge_id, conflicts_logged))) => {
                self.rotate_after(&backup)?;
                Ok(Applied {
                    merge_id: Some(merge_id),
                    kinds,
                    conflicts_logged,
                    backup,
                })
            }
            Ok(Err(e)) => {
                self.roll_back();
                Store::discard_backup(&backup);
                Err(e)
            }
            Err(panic) => {
                self.roll_back();
                Store::discard_backup(&backup);
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// The writes of a merge, inside the open transaction; commits on success.
    fn write_attached(
        &mut self,
        checked: &CheckedIncoming,
        kinds: &[KindCounts],
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<(String, u32)> {
        // Parents and children arrive in one statement stream; references are checked
        // once, at commit.
        self.conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let believed = self.believed_knowledge(checked)?;
        let merge_id = new_id();
        let total = checked.records();
        let mut done: u64 = 0;
        self.conn.execute(
            "INSERT INTO merge_history (id, merged_at, from_office_id, from_office_name, source_file, counts_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                merge_id,
                now_ms(),
                checked.office_id,
                checked.office_name,
                checked.source.display().to_string(),
                serde_json::to_string(&HistoryDetails {
                    fingerprint: checked.fingerprint.clone(),
                    schema_version: checked.schema_version,
                    kinds: kinds.to_vec(),
                })?
            ],
        )?;
        let mut conflicts_logged = 0;
        for k in kinds {
            if k.counts.conflicts > 0 {
                conflicts_logged += self.log_conflicts(k.kind, &merge_id)?;
            }
            if k.counts.changes() == 0 {
                done += k.counts.incoming as u64;
                if !progress(done, total) {
                    return Err(Error::Cancelled);
                }
                continue;
            }
            self.upsert_kind(k.kind, &mut |rows| {
                done += rows;
                progress(done.min(total), total)
            })?;
        }
        self.remember_knowledge(&believed)?;
        if let Err(e) = self.commit_then_checkpoint_aside() {
            let dangling = self.first_dangling_reference()?;
            return Err(match dangling {
                Some(detail) => Error::DanglingReference(detail),
                None => e.into(),
            });
        }
        Ok((merge_id, conflicts_logged))
    }

    /// Commits without SQLite's automatic checkpoint, which would copy the whole
    /// merge from the write-ahead log into the main file before returning, and runs
    /// that checkpoint on a connection of its own in the background instead. The
    /// data is committed either way; the checkpoint only folds the log in, and SQLite
    /// lets readers and writers go on meanwhile.
    fn commit_then_checkpoint_aside(&self) -> rusqlite::Result<()> {
        let automatic: i64 = self
            .conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
        self.conn.execute_batch("PRAGMA wal_autocheckpoint = 0")?;
        let committed = self.conn.execute_batch("COMMIT");
        let restored = self
            .conn
            .execute_batch(&format!("PRAGMA wal_autocheckpoint = {automatic}"));
        committed?;
        restored?;
        if let Some(path) = self.path.clone() {
            std::thread::spawn(move || {
                // Best effort: a checkpoint left undone is done at the next commit
                // or when the file is closed.
                if let Ok(conn) = rusqlite::Connection::open(&path) {
                    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            });
        }
        Ok(())
    }

    fn log_conflicts(&self, kind: RecordKind, merge_id: &str) -> Result<u32> {
        let pairs = self.conflict_pairs(kind, None)?;
        let mut stmt = self.conn.prepare(
            "INSERT INTO conflict_log (id, merge_id, kind, record_id, losing_json, winning_json, resolved)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)",
        )?;
        for pair in &pairs {
            let (losing, winning) = match pair.winner {
                MergeSide::Incoming => (&pair.local, &pair.incoming),
                MergeSide::Local => (&pair.incoming, &pair.local),
            };
            stmt.execute(params![
                new_id(),
                merge_id,
                kind.code(),
                pair.record_id,
                serde_json::to_string(losing)?,
                serde_json::to_string(winning)?
            ])?;
        }
        Ok(pairs.len() as u32)
    }

    /// Last-writer-wins upsert of one kind from the attached file, in rowid chunks.
    fn upsert_kind(&self, kind: RecordKind, advance: &mut dyn FnMut(u64) -> bool) -> Result<()> {
        let table = kind.desc().table;
        let columns = &self.columns[&kind];
        let updates = columns
            .iter()
            .filter(|c| c.name != "id")
            .map(|c| format!("\"{0}\" = excluded.\"{0}\"", c.name))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO main.\"{table}\" AS l ({cols}) SELECT {cols} FROM {INCOMING}.\"{table}\" WHERE rowid BETWEEN ?1 AND ?2
             ON CONFLICT(id) DO UPDATE SET {updates}
             WHERE (excluded.updated_at, excluded.updated_by) > (l.updated_at, l.updated_by)",
            cols = columns_list(columns, "")
        );
        // Chunks of CHUNK_ROWS rows found by walking the rowid index, not rowid
        // spans: a file with rowids 1 and 2^63 - 1 would otherwise take 4.6 * 10^14
        // empty chunks.
        let mut bound = self.conn.prepare(&format!(
            "SELECT rowid FROM {INCOMING}.\"{table}\" WHERE rowid >= ?1 ORDER BY rowid LIMIT 1 OFFSET ?2"
        ))?;
        let mut stmt = self.conn.prepare(&sql)?;
        let mut low = i64::MIN;
        loop {
            let high: Option<i64> = bound
                .query_row(params![low, CHUNK_ROWS - 1], |r| r.get(0))
                .optional()?;
            let last_chunk = high.is_none();
            let high = high.unwrap_or(i64::MAX);
            stmt.execute(params![low, high])?;
            let rows = if last_chunk {
                self.conn.query_row(
                    &format!(
                        "SELECT COUNT(*) FROM {INCOMING}.\"{table}\" WHERE rowid BETWEEN ?1 AND ?2"
                    ),
                    params![low, high],
                    |r| r.get::<_, i64>(0),
                )?
            } else {
                CHUNK_ROWS
            };
            if !advance(rows.max(0) as u64) {
                return Err(Error::Cancelled);
            }
            if last_chunk || high == i64::MAX {
                break;
            }
            low = high + 1;
        }
        Ok(())
    }

    /// After a merge this file knows everything the sender knew.
    ///
    /// Only what the file proved (`believed`, computed before the merge wrote
    /// anything): a claim is never stored, and so never passed on, beyond that. The
    /// rows stay bounded (`prune_knowledge`).
    fn remember_knowledge(&self, believed: &[(String, i64)]) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = CAST(MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
        )?;
        for (office, stamp) in believed {
            if office == &self.office.id {
                continue;
            }
            stmt.execute(params![
                format!("{KNOWN_STAMP_PREFIX}{office}"),
                stamp.to_string()
            ])?;
        }
        prune_knowledge(&self.conn, MAX_KNOWN_OFFICES)
    }

    fn first_dangling_reference(&self) -> Result<Option<String>> {
        let found = self
            .conn
            .query_row("PRAGMA main.foreign_key_check", [], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        Ok(found.map(|(table, rowid, parent)| {
            format!("a row of {table} (rowid {rowid}) refers to a missing {parent}")
        }))
    }

    /// The merge that took in a file with this fingerprint, if any.
    pub(crate) fn merge_with_fingerprint(&self, fingerprint: &str) -> Result<Option<MergeRecord>> {
        Ok(self
            .merge_history()?
            .into_iter()
            .find(|m| m.fingerprint == fingerprint))
    }

    /// Every merge into this file, newest first.
    pub fn merge_history(&self) -> Result<Vec<MergeRecord>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, merged_at, from_office_id, from_office_name, source_file, counts_json
             FROM merge_history ORDER BY merged_at DESC, id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, merged_at, from_office_id, from_office_name, source_file, details) = row?;
            let details: HistoryDetails = serde_json::from_str(&details)?;
            let totals = MergeCounts::total_of(&details.kinds);
            out.push(MergeRecord {
                id,
                merged_at,
                from_office_id,
                from_office_name,
                source_file,
                fingerprint: details.fingerprint,
                kinds: details.kinds,
                totals,
            });
        }
        Ok(out)
    }

    /// The conflict log, newest merge first; only the unresolved entries unless `all`.
    pub fn conflict_log(&self, all: bool) -> Result<Vec<ConflictEntry>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.merge_id, h.merged_at, h.from_office_name, c.kind, c.record_id,
                    c.losing_json, c.winning_json, c.resolved
             FROM conflict_log c JOIN merge_history h ON h.id = c.merge_id
             WHERE ?1 OR c.resolved = 0
             ORDER BY h.merged_at DESC, c.rowid",
        )?;
        let rows = stmt.query_map([all], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, bool>(8)?,
            ))
        })?;
        let mut labels: HashMap<RecordKind, HashMap<String, String>> = HashMap::new();
        let mut out = Vec::new();
        for row in rows {
            let (
                id,
                merge_id,
                merged_at,
                from_office_name,
                kind,
                record_id,
                losing,
                winning,
                resolved,
            ) = row?;
            let kind: RecordKind = serde_json::from_value(Json::String(kind))?;
            if let std::collections::hash_map::Entry::Vacant(slot) = labels.entry(kind) {
                slot.insert(self.labels(kind)?);
            }
            let label = labels
                .get(&kind)
                .and_then(|l| l.get(&record_id))
                .cloned()
                .unwrap_or_default();
            out.push(ConflictEntry {
                id,
                merge_id,
                merged_at,
                from_office_name,
                kind,
                record_id,
                label,
                losing: serde_json::from_str(&losing)?,
                winning: serde_json::from_str(&winning)?,
                resolved,
            });
        }
        Ok(out)
    }

    /// One entry of the conflict log.
    pub fn conflict_entry(&self, id: &str) -> Result<ConflictEntry> {
        self.conflict_log(true)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Error::NotFound(id.to_string()))
    }

    /// Marks a conflict as dealt with (restored or dismissed).
    pub fn resolve_conflict(&mut self, id: &str) -> Result<()> {
        let n = self
            .conn
            .execute("UPDATE conflict_log SET resolved = 1 WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::NotFound(id.to_string()));
        }
        Ok(())
    }

    /// Every record of a kind named for people: id → label.
    pub fn labels(&self, kind: RecordKind) -> Result<HashMap<String, String>> {
        let info = kind.desc();
        let sql = format!(
            "SELECT t.id, COALESCE({}, '') FROM main.\"{}\" t",
            info.label_sql(),
            info.table
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, label): (String, String) = row?;
            out.insert(id, label);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pruning_keeps_the_newest_knowledge_rows_up_to_the_limit() {
        let store = Store::open_in_memory().expect("store");
        for n in 0..10 {
            store
                .conn
                .execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    params![
                        format!("{KNOWN_STAMP_PREFIX}office-{n}"),
                        (n * 100).to_string()
                    ],
                )
                .expect("insert");
        }
        prune_knowledge(&store.conn, 3).expect("prune");
        let kept: Vec<String> = store
            .known_stamps()
            .expect("known")
            .into_iter()
            .map(|(office, _)| office)
            .filter(|office| office.starts_with("office-"))
            .collect();
        assert_eq!(kept.len(), 3);
        assert!(kept.contains(&"office-9".to_string()));
        assert!(!kept.contains(&"office-0".to_string()));
        // The office's own settings are not knowledge rows and stay.
        assert!(store.office().id.len() > 10);
    }
}
