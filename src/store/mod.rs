//! The store: the only module that speaks SQL.
//!
//! One generic path serves every record kind. A record is a serde struct whose field
//! names equal its table's columns; the store reads each table's declared columns
//! from the schema at open and maps records to rows and back through JSON values.
//! Adding a record kind is a table in a migration, a struct, and a `Record` impl.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::files;
use crate::kinds::{KindDesc, RecordKind};

pub(crate) mod cost_index;
pub mod dynamic;
pub(crate) mod input_index;
mod lookups;
pub(crate) mod outcome_index;
pub mod roi;
// sharing between offices (issue 5)
pub mod backups;
pub mod exchange;
pub mod incoming;
pub mod merge;
// files you can trust (issue 10)
pub mod adopt;
mod budget;
mod received;
// spreadsheets brought in (issue 12)
pub mod imports;
pub mod page;
// global search (issue 13)
pub mod search;

/// `PRAGMA application_id` of every Cabildo file ("CBLD").
pub const APPLICATION_ID: i32 = 0x4342_4C44;
pub use crate::kinds::{MAX_MINOR, MAX_TEXT_CHARS};

fn migrations() -> rusqlite_migration::Migrations<'static> {
    use rusqlite_migration::M;
    rusqlite_migration::Migrations::new(vec![
        M::up(include_str!("schema/001_initial.sql")),
        M::up(include_str!("schema/002_exchange.sql")),
        M::up(include_str!("schema/003_trust.sql")),
        M::up(include_str!("schema/004_import.sql")),
        M::up(include_str!("schema/005_import_mapping.sql")),
        M::up(include_str!("schema/006_lists.sql")),
        M::up(include_str!("schema/007_budget.sql")),
    ])
}

/// Schema version this build writes.
pub const SCHEMA_VERSION: i64 = 7;

pub use crate::records::{Lookup, Record};

/// The identity and preferences of the office that owns a database file.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Office {
    pub id: String,
    pub name: String,
    /// Base currency of the exchange-rate table and default reporting currency.
    pub reporting_currency: String,
    /// `es` or `en`.
    pub language: String,
    /// How the office writes numbers; every number typed is read by it.
    pub number_format: crate::numbers::NumberFormat,
}

/// What a write changed, for views to refresh themselves.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: RecordKind,
    pub ids: Vec<String>,
}

/// A tombstoned record as the trash lists it.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct TrashItem {
    pub kind: RecordKind,
    pub id: String,
    pub label: String,
    #[ts(type = "number")]
    pub deleted_at: i64,
    /// How many records went to the trash with it (and come back with it).
    #[ts(type = "number")]
    pub dependents: i64,
}

/// How many records of a kind go to the trash with a record (or came with it).
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct KindCount {
    pub kind: RecordKind,
    #[ts(type = "number")]
    pub count: u64,
}

/// A reference between kinds, read from the schema's foreign keys: `child.column`
/// holds the id of a `parent`.
#[derive(Debug, Clone)]
struct Relation {
    child: RecordKind,
    column: String,
    parent: RecordKind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ColumnType {
    Text,
    Integer,
    Real,
    Boolean,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    ty: ColumnType,
}

type Listener = Box<dyn Fn(&[Change]) + Send>;

/// A report with the query (as JSON) and the file's write state it answered.
type KeptReport = (String, (i64, u64), std::sync::Arc<crate::roi::RoiReport>);

pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    office: Office,
    columns: HashMap<RecordKind, Vec<Column>>,
    /// Each kind's INSERT over its columns, written once (an import inserts many rows).
    insert_sql: HashMap<RecordKind, String>,
    relations: Vec<Relation>,
    last_stamp: i64,
    listener: Option<Listener>,
    /// The changes of the open transaction, told to the listener once it commits.
    batch: std::cell::RefCell<Option<Vec<Change>>>,
    /// Set while received rows are checked by the kinds' rules (`received.rs`).
    received_scope: std::sync::atomic::AtomicBool,
    /// References found while checking received rows (thousands of costs name the
    /// same membership); emptied when the check ends.
    received_refs: std::cell::RefCell<HashMap<RecordKind, foldhash::HashSet<String>>>,
    /// The lists' counts, kept until the file is written (`page.rs`).
    totals: std::cell::RefCell<page::TotalsCache>,
    /// How many filtered pages' walks of the sort's index stopped for the sort.
    walks_stopped: std::cell::Cell<u64>,
    /// The last ROI report and the query and file state it answered: a dashboard of
    /// many cities pages through its rows without computing it again.
    last_report: std::cell::RefCell<Option<KeptReport>>,
    /// The global search's index, once opened (`search.rs`).
    search: std::cell::RefCell<Option<search::SearchIndex>>,
    /// The engine's cost index, when kept (`cost_index.rs`).
    cost_index: std::cell::RefCell<IndexSlot<cost_index::CostIndex>>,
    /// The engine's outcome index, when kept (`outcome_index.rs`).
    outcome_index: std::cell::RefCell<IndexSlot<outcome_index::OutcomeIndex>>,
    /// The report's other inputs, when kept (`input_index.rs`).
    memberships: std::cell::RefCell<IndexSlot<input_index::Kept<Vec<roi::MembershipInfo>>>>,
    meeting_index: std::cell::RefCell<IndexSlot<input_index::Kept<input_index::MeetingIndex>>>,
    thesis_index: std::cell::RefCell<IndexSlot<input_index::Kept<input_index::ThesisIndex>>>,
}

/// Whether the store keeps one of the engine's indexes, and the index once built.
#[derive(Default)]
enum IndexSlot<T> {
    /// Not kept: each report reads the tables (a one-off command).
    #[default]
    Off,
    /// Kept, to be built at the next report.
    Wanted,
    Ready(T),
    /// The file holds more than the index can (ids past its widths): the table is read.
    TooLarge,
}

/// The index in `slot` when it is kept, built again by `build` when missing or `stale`.
fn kept_index<'a, T>(
    slot: &'a std::cell::RefCell<IndexSlot<T>>,
    stale: impl FnOnce(&T) -> bool,
    build: impl FnOnce() -> Result<IndexSlot<T>>,
) -> Result<Option<std::cell::Ref<'a, T>>> {
    let rebuild = match &*slot.borrow() {
        IndexSlot::Off | IndexSlot::TooLarge => return Ok(None),
        IndexSlot::Wanted => true,
        IndexSlot::Ready(index) => stale(index),
    };
    if rebuild {
        // A large file's old index goes before the new one is read.
        *slot.borrow_mut() = IndexSlot::Wanted;
        *slot.borrow_mut() = build()?;
    }
    Ok(
        std::cell::Ref::filter_map(slot.borrow(), |slot| match slot {
            IndexSlot::Ready(index) => Some(index),
            _ => None,
        })
        .ok(),
    )
}

/// The outcome index a report reads: the store's kept one, or one read for it.
pub(crate) enum ReportOutcomes<'a> {
    Kept(std::cell::Ref<'a, outcome_index::OutcomeIndex>),
    Read(outcome_index::OutcomeIndex),
}

impl std::ops::Deref for ReportOutcomes<'_> {
    type Target = outcome_index::OutcomeIndex;

    fn deref(&self) -> &Self::Target {
        match self {
            ReportOutcomes::Kept(kept) => kept,
            ReportOutcomes::Read(read) => read,
        }
    }
}

/// Options for creating a new database file.
#[derive(Debug, Clone)]
pub struct NewOffice {
    /// A given identity (generated files derive it from their seed); new when None.
    pub id: Option<String>,
    pub name: String,
    pub reporting_currency: String,
    pub language: String,
}

impl Default for NewOffice {
    fn default() -> Self {
        NewOffice {
            id: None,
            name: "Cabildo".into(),
            reporting_currency: "MXN".into(),
            language: "es".into(),
        }
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// True when the first bytes of the file are SQLite's header.
pub fn looks_like_sqlite(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    let n = file.read(&mut header)?;
    Ok(n == 16 && &header == b"SQLite format 3\0")
}

impl Store {
    /// Opens an existing Cabildo file, upgrading its schema after a backup copy,
    /// or creates a new one (with a fresh office identity and the network catalog).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_or_create(path, &NewOffice::default())
    }

    pub fn open_or_create(path: &Path, new_office: &NewOffice) -> Result<Store> {
        let exists = path.exists() && std::fs::metadata(path)?.len() > 0;
        if exists {
            Self::open_existing(path)
        } else {
            Self::create(path, new_office)
        }
    }

    /// Opens a Cabildo file only to read it: nothing in the file changes, not even its
    /// journal mode, so reports run on a write-protected or shared copy. A file of an
    /// older schema is upgraded in a private copy, never in place.
    ///
    /// The file may have come from anywhere (the command line reads received files
    /// too): it is opened with SQLite's defences (no triggers, no views, no functions
    /// from the schema) and its schema must be exactly Cabildo's for its version.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !looks_like_sqlite(path)? {
            return Err(Error::NotCabildo(path.display().to_string()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        incoming::defend(&conn)?;
        let version = readable_version(&conn, path)?;
        incoming::compare_schema(&conn, version)?;
        if version < SCHEMA_VERSION {
            let copy =
                incoming::private_dir(None)?.join(format!("cabildo-read-{}.cabildo", new_id()));
            conn.execute("VACUUM INTO ?1", [copy.to_string_lossy().as_ref()])?;
            drop(conn);
            return Self::open_existing(&copy);
        }
        configure_reading(&conn)?;
        let mut store = Self::from_connection(conn, Some(path.to_path_buf()))?;
        store.last_stamp = store.scan_stamp()?;
        store.attach_search_index();
        Ok(store)
    }

    /// Opens a file that must already be a Cabildo database; never creates one.
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !looks_like_sqlite(path)? {
            return Err(Error::NotCabildo(path.display().to_string()));
        }
        backups::remove_leftovers(path);
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )?;
        let version = readable_version(&conn, path)?;
        configure(&conn)?;
        if version < SCHEMA_VERSION {
            backup_before_migration(&conn, path, version)?;
            migrations()
                .to_latest(&mut conn)
                .map_err(|e| Error::Migration(e.to_string()))?;
        }
        let mut store = Self::from_connection(conn, Some(path.to_path_buf()))?;
        store.last_stamp = store.scan_stamp()?;
        if version < 7 {
            store.seed_fee_rules()?;
        }
        store.attach_search_index();
        Ok(store)
    }

    /// Creates a new database file whole or not at all: it is built under a
    /// `.partial` name (schema, office identity, catalog), synced, then renamed, so a
    /// crash never leaves a file that looks like a database without its office.
    pub fn create(path: &Path, new_office: &NewOffice) -> Result<Store> {
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
            return Err(Error::AlreadyExists(path.display().to_string()));
        }
        let partial = files::partial_path(path);
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
        }
        let built = (|| -> Result<()> {
            let conn = Connection::open(&partial)?;
            let store = Self::initialise(conn, Some(partial.clone()), new_office)?;
            drop(store);
            std::fs::File::open(&partial)?.sync_all()?;
            std::fs::rename(&partial, path)?;
            if let Some(parent) = path.parent() {
                backups::sync_dir(parent);
            }
            Ok(())
        })();
        if let Err(e) = built {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
        Self::open_existing(path)
    }

    /// A file from before fee rules existed gets the catalog's, for the seed networks
    /// it still holds (the same ids as every new file's, so merges do not duplicate).
    fn seed_fee_rules(&mut self) -> Result<()> {
        self.transaction(|store| {
            for rule in crate::catalog::fee_rules() {
                if store.exists(RecordKind::Network, &rule.network_id)?
                    && !store.exists_any(RecordKind::FeeRule, &rule.meta.id)?
                {
                    store.insert_stamped(rule)?;
                }
            }
            Ok(())
        })
    }

    /// A fresh in-memory database with the real schema (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::initialise(Connection::open_in_memory()?, None, &NewOffice::default())
    }

    /// An in-memory database with the real schema and no catalog: the scratch in
    /// which a received file about to become the database is checked, so its rows
    /// (its catalog too) are checked against itself alone.
    pub(crate) fn open_in_memory_without_catalog() -> Result<Store> {
        let store = Self::open_in_memory()?;
        store
            .conn
            .execute_batch("DELETE FROM fee_rule; DELETE FROM network;")?;
        Ok(store)
    }

    fn initialise(
        mut conn: Connection,
        path: Option<PathBuf>,
        new_office: &NewOffice,
    ) -> Result<Store> {
        configure(&conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| Error::Migration(e.to_string()))?;
        let office = Office {
            id: new_office.id.clone().unwrap_or_else(new_id),
            name: new_office.name.clone(),
            reporting_currency: new_office.reporting_currency.clone(),
            language: new_office.language.clone(),
            number_format: crate::numbers::NumberFormat::for_language(
                crate::format::Lang::parse(&new_office.language).unwrap_or_default(),
            ),
        };
        write_office(&conn, &office)?;
        let mut store = Self::from_connection(conn, path)?;
        store.transaction(|store| {
            for network in crate::catalog::networks() {
                store.insert_stamped(network)?;
            }
            for rule in crate::catalog::fee_rules() {
                store.insert_stamped(rule)?;
            }
            Ok(())
        })?;
        Ok(store)
    }

    fn from_connection(conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        register_functions(&conn)?;
        let office = read_office(&conn)?;
        let mut columns = HashMap::new();
        for kind in RecordKind::ALL {
            columns.insert(*kind, table_columns(&conn, kind.desc().table)?);
        }
        let insert_sql = columns
            .iter()
            .map(|(kind, columns)| (*kind, insert_sql(kind.desc().table, columns)))
            .collect();
        let relations = table_relations(&conn)?;
        Ok(Store {
            conn,
            path,
            office,
            columns,
            insert_sql,
            relations,
            last_stamp: 0,
            listener: None,
            batch: std::cell::RefCell::new(None),
            received_scope: std::sync::atomic::AtomicBool::new(false),
            received_refs: Default::default(),
            totals: Default::default(),
            walks_stopped: Default::default(),
            last_report: Default::default(),
            search: std::cell::RefCell::new(None),
            cost_index: Default::default(),
            outcome_index: Default::default(),
            memberships: Default::default(),
            meeting_index: Default::default(),
            thesis_index: Default::default(),
        })
    }

    /// Keeps the engine's indexes (costs, outcomes, and the memberships, meetings and
    /// theses) in memory from the next report on (an app that answers many reports), or
    /// drops them.
    pub fn keep_report_indexes(&self, keep: bool) {
        fn slot<T>(keep: bool) -> IndexSlot<T> {
            if keep {
                IndexSlot::Wanted
            } else {
                IndexSlot::Off
            }
        }
        *self.cost_index.borrow_mut() = slot(keep);
        *self.outcome_index.borrow_mut() = slot(keep);
        *self.memberships.borrow_mut() = slot(keep);
        *self.meeting_index.borrow_mut() = slot(keep);
        *self.thesis_index.borrow_mut() = slot(keep);
    }

    /// One of the report's other inputs, read by `read` when it is kept and missing or
    /// out of step with the file.
    fn kept_input<'a, T>(
        &self,
        slot: &'a std::cell::RefCell<IndexSlot<input_index::Kept<T>>>,
        read: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<Option<std::cell::Ref<'a, input_index::Kept<T>>>> {
        let state = self.write_state()?;
        kept_index(
            slot,
            |kept| kept.state.0 != state.0,
            || {
                Ok(IndexSlot::Ready(input_index::Kept {
                    state,
                    value: read(&self.conn)?,
                }))
            },
        )
    }

    pub(crate) fn kept_memberships(
        &self,
    ) -> Result<Option<std::cell::Ref<'_, input_index::Kept<Vec<roi::MembershipInfo>>>>> {
        self.kept_input(&self.memberships, |conn| {
            input_index::read_memberships(conn, None)
        })
    }

    pub(crate) fn meeting_index(
        &self,
    ) -> Result<Option<std::cell::Ref<'_, input_index::Kept<input_index::MeetingIndex>>>> {
        self.kept_input(&self.meeting_index, |conn| {
            input_index::MeetingIndex::read(conn, None, None)
        })
    }

    pub(crate) fn thesis_index(
        &self,
    ) -> Result<Option<std::cell::Ref<'_, input_index::Kept<input_index::ThesisIndex>>>> {
        self.kept_input(&self.thesis_index, |conn| {
            input_index::ThesisIndex::read(conn, None, None)
        })
    }

    /// The outcome index, read when it is kept and missing or out of step with the file.
    pub(crate) fn outcome_index(
        &self,
    ) -> Result<Option<std::cell::Ref<'_, outcome_index::OutcomeIndex>>> {
        let state = self.write_state()?;
        kept_index(
            &self.outcome_index,
            |index| index.state.0 != state.0,
            || {
                Ok(IndexSlot::Ready(outcome_index::OutcomeIndex::read(
                    &self.conn, state, None, None,
                )?))
            },
        )
    }

    /// The attributions a report of the period ending `to` (of `city_id` when given)
    /// reads: the kept outcome index, else one read for that period and city.
    pub(crate) fn report_outcomes(
        &self,
        to: chrono::NaiveDate,
        city_id: Option<&str>,
    ) -> Result<ReportOutcomes<'_>> {
        Ok(match self.outcome_index()? {
            Some(kept) => ReportOutcomes::Kept(kept),
            None => ReportOutcomes::Read(outcome_index::OutcomeIndex::read(
                &self.conn,
                self.write_state()?,
                Some(to),
                city_id,
            )?),
        })
    }

    /// The cost index, built when it is kept and missing or out of step with the file
    /// (written by another process, or by a change it was not told of).
    pub(crate) fn cost_index(&self) -> Result<Option<std::cell::Ref<'_, cost_index::CostIndex>>> {
        let state = self.write_state()?;
        kept_index(
            &self.cost_index,
            |index| index.state.0 != state.0,
            || {
                Ok(match cost_index::CostIndex::build(&self.conn, state)? {
                    Ok(index) => IndexSlot::Ready(index),
                    Err(cost_index::TooLarge) => IndexSlot::TooLarge,
                })
            },
        )
    }

    /// Builds the engine's indexes now, when they are kept (an app opening a file, so
    /// the first report does not wait for them): the cost entries held, or None when not
    /// kept.
    pub fn prepare_report_indexes(&self) -> Result<Option<usize>> {
        drop(self.kept_memberships()?);
        drop(self.meeting_index()?);
        drop(self.thesis_index()?);
        drop(self.outcome_index()?);
        Ok(self.cost_index()?.map(|index| index.len()))
    }

    /// Brings the engine's indexes in step with committed changes: the cost index by
    /// ids (a whole kind drops it, to be read again at the next report); the others,
    /// few beside costs, are read again at the next report after a change of a kind
    /// they read.
    fn note_for_report_indexes(&self, changes: &[Change]) {
        fn drop_on<T>(
            slot: &std::cell::RefCell<IndexSlot<T>>,
            changes: &[Change],
            kinds: &[RecordKind],
        ) {
            if changes.iter().any(|c| kinds.contains(&c.kind)) {
                let mut slot = slot.borrow_mut();
                if matches!(*slot, IndexSlot::Ready(_)) {
                    *slot = IndexSlot::Wanted;
                }
            }
        }
        use RecordKind::{Attribution, City, Meeting, Membership, Network, Outcome, Thesis};
        drop_on(&self.outcome_index, changes, &[Outcome, Attribution]);
        drop_on(&self.memberships, changes, &[Membership, City, Network]);
        drop_on(&self.meeting_index, changes, &[Meeting, Membership]);
        drop_on(&self.thesis_index, changes, &[Thesis, Membership]);
        let mut slot = self.cost_index.borrow_mut();
        let IndexSlot::Ready(index) = &mut *slot else {
            return;
        };
        let Some(change) = changes.iter().find(|c| c.kind == RecordKind::CostEntry) else {
            return;
        };
        let applied = match self.write_state() {
            // Another process's write since the index was read: read it again.
            Ok(state) if state.0 == index.state.0 && !change.ids.is_empty() => {
                index.apply(&self.conn, &change.ids, state)
            }
            _ => Ok(Err(cost_index::TooLarge)),
        };
        if !matches!(applied, Ok(Ok(()))) {
            *slot = IndexSlot::Wanted;
        }
    }

    /// Changes whenever the file is written, by this connection or another: what a
    /// result kept for later is valid for.
    pub(crate) fn write_state(&self) -> Result<(i64, u64)> {
        let data_version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((data_version, self.conn.total_changes()))
    }

    /// The report of a query: the one kept when nothing was written since, else
    /// `compute`'s, kept for next time.
    pub(crate) fn report_for(
        &self,
        query: &crate::roi::RoiQuery,
        compute: impl FnOnce() -> Result<crate::roi::RoiReport>,
    ) -> Result<std::sync::Arc<crate::roi::RoiReport>> {
        let key = serde_json::to_string(query)?;
        let state = self.write_state()?;
        if let Some((k, s, report)) = self.last_report.borrow().as_ref() {
            if *k == key && *s == state {
                return Ok(report.clone());
            }
        }
        // The report of a coordinator's file is hundreds of MB in millions of pieces:
        // it is shared rather than copied, and the old one is freed on another thread
        // (about half a second at 13,800 cities) while the new one is computed.
        if let Some(old) = self.last_report.borrow_mut().take() {
            // Should no thread start, the closure and the report are dropped here.
            let _ = std::thread::Builder::new().spawn(move || drop(old));
        }
        let report = std::sync::Arc::new(compute()?);
        *self.last_report.borrow_mut() = Some((key, state, report.clone()));
        Ok(report)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn office(&self) -> &Office {
        &self.office
    }

    /// Renames the office or changes its reporting currency, language or number
    /// format. The reporting currency only says how figures are reported: every
    /// exchange rate names both its currencies, so no stored value changes meaning.
    pub fn set_office(
        &mut self,
        name: &str,
        reporting_currency: &str,
        language: &str,
        number_format: crate::numbers::NumberFormat,
    ) -> Result<Office> {
        let office = Office {
            id: self.office.id.clone(),
            name: name.trim().to_string(),
            reporting_currency: reporting_currency.to_string(),
            language: language.to_string(),
            number_format,
        };
        check_office(&office)?;
        write_office(&self.conn, &office)?;
        self.office = office;
        Ok(self.office.clone())
    }

    /// Lets the shell forward changes to open views.
    /// Lets the shell forward changes to open views: once per committed write or
    /// transaction, with every kind and id it wrote.
    pub fn set_listener(&mut self, listener: impl Fn(&[Change]) + Send + 'static) {
        self.listener = Some(Box::new(listener));
    }

    fn notify(&self, kind: RecordKind, ids: Vec<String>) {
        self.notify_all(vec![Change { kind, ids }]);
    }

    /// Tells the listener what changed; inside a transaction, keeps it for the commit.
    fn notify_all(&self, changes: Vec<Change>) {
        if let Some(batch) = self.batch.borrow_mut().as_mut() {
            for change in changes {
                add_change(batch, change);
            }
            return;
        }
        let mut merged = Vec::new();
        for change in changes {
            add_change(&mut merged, change);
        }
        if merged.is_empty() {
            return;
        }
        self.note_for_search(&merged);
        self.note_for_report_indexes(&merged);
        if let Some(listener) = &self.listener {
            listener(&merged);
        }
    }

    /// The raw connection, for the modules of the core that compute over the data.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Milliseconds for a new write: never earlier than a stamp already written here,
    /// so last-writer-wins holds even when the clock steps back.
    pub fn next_stamp(&mut self) -> i64 {
        self.last_stamp = now_ms().max(self.last_stamp.saturating_add(1));
        self.last_stamp
    }

    /// Moves the local clock past a stamp seen elsewhere (after a merge), but never
    /// further than `MAX_CLOCK_SKEW_MS` ahead of this machine's clock: a sender whose
    /// clock runs ahead must not push every later local write into the future.
    pub fn observe_stamp(&mut self, stamp: i64) {
        let bound = now_ms().saturating_add(incoming::MAX_CLOCK_SKEW_MS);
        self.last_stamp = self.last_stamp.max(stamp.min(bound));
    }

    // ---- generic record operations -------------------------------------------------

    /// Adds a new record, stamped now by this office (with a new id unless it has one).
    pub fn insert<T: Record>(&mut self, mut record: T) -> Result<T> {
        let stamp = self.next_stamp();
        let office_id = self.office.id.clone();
        let meta = record.meta_mut();
        // A new id is unique: only an id given may already be taken.
        let fresh = meta.id.is_empty();
        if fresh {
            meta.id = new_id();
        }
        meta.created_at = stamp;
        meta.updated_at = stamp;
        meta.updated_by = office_id;
        meta.deleted = false;
        self.insert_row(record, !fresh)
    }

    /// Adds a record keeping the id and stamps it carries (seeded catalogs and generated
    /// data are identical in every file, so they merge as the same records).
    pub fn insert_stamped<T: Record>(&mut self, record: T) -> Result<T> {
        self.insert_row(record, true)
    }

    fn insert_row<T: Record>(&mut self, record: T, check_id: bool) -> Result<T> {
        if check_id && self.exists_any(T::KIND, &record.meta().id)? {
            return Err(Error::AlreadyExists(record.meta().id.clone()));
        }
        self.observe_stamp(record.meta().updated_at);
        let row = self.checked_row(&record)?;
        self.conn
            .prepare_cached(&self.insert_sql[&T::KIND])?
            .execute(params_from_iter(row))?;
        self.notify(T::KIND, vec![record.meta().id.clone()]);
        Ok(record)
    }

    /// Writes a new version of an existing record (which keeps its id and creation time).
    pub fn update<T: Record>(&mut self, mut record: T) -> Result<T> {
        let id = record.meta().id.clone();
        let existing: T = self.get(&id)?;
        let stamp = self.next_stamp();
        let office_id = self.office.id.clone();
        let meta = record.meta_mut();
        meta.created_at = existing.meta().created_at;
        meta.updated_at = stamp;
        meta.updated_by = office_id;
        meta.deleted = existing.meta().deleted;
        let mut row = self.checked_row(&record)?;
        let columns = &self.columns[&T::KIND];
        let sql = format!(
            "UPDATE {} SET {} WHERE id = ?{}",
            T::KIND.desc().table,
            columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{} = ?{}", c.name, i + 1))
                .collect::<Vec<_>>()
                .join(", "),
            columns.len() + 1
        );
        row.push(SqlValue::Text(id.clone()));
        self.conn.execute(&sql, params_from_iter(row))?;
        self.notify(T::KIND, vec![id]);
        Ok(record)
    }

    /// A record by id, tombstoned or not.
    pub fn get<T: Record>(&self, id: &str) -> Result<T> {
        let sql = format!("SELECT * FROM {} WHERE id = ?1", T::KIND.desc().table);
        let columns = &self.columns[&T::KIND];
        let json = self
            .conn
            .query_row(&sql, [id], |row| row_to_json(row, columns))
            .optional()?
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        Ok(serde_json::from_value(json)?)
    }

    /// The live (not tombstoned) records of a kind, optionally scoped to one city.
    pub fn list<T: Record>(&self, city_id: Option<&str>) -> Result<Vec<T>> {
        let info = T::KIND.desc();
        let (scope, args): (String, Vec<String>) = match city_id {
            Some(city) => match info.city_scope_sql() {
                Some(cond) => (format!(" AND {cond}"), vec![city.to_string()]),
                None => (String::new(), vec![]),
            },
            None => (String::new(), vec![]),
        };
        let sql = format!(
            "SELECT * FROM {} t WHERE t.deleted = 0{scope} ORDER BY t.rowid",
            info.table
        );
        let columns = &self.columns[&T::KIND];
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), |row| row_to_json(row, columns))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_value(json?)?);
        }
        Ok(out)
    }

    /// True when a live record of this kind has this id. For a received row being
    /// checked, any record of the local or the received file (see `received.rs`).
    pub fn exists(&self, kind: RecordKind, id: &str) -> Result<bool> {
        if self.checking_received() {
            return self.received_reference_exists(kind, id);
        }
        let sql = format!(
            "SELECT 1 FROM {} WHERE id = ?1 AND deleted = 0",
            kind.desc().table
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn exists_any(&self, kind: RecordKind, id: &str) -> Result<bool> {
        let sql = format!("SELECT 1 FROM {} WHERE id = ?1", kind.desc().table);
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The live records that refer to a record, directly or through others: what goes
    /// to the trash with it. Parents before children, each once.
    fn dependents(&self, kind: RecordKind, id: &str) -> Result<Vec<(RecordKind, String)>> {
        let mut seen: std::collections::HashSet<(RecordKind, String)> =
            std::collections::HashSet::new();
        let mut queue = vec![(kind, id.to_string())];
        let mut out = Vec::new();
        while let Some((parent_kind, parent_id)) = queue.pop() {
            for rel in self.relations.iter().filter(|r| r.parent == parent_kind) {
                let sql = format!(
                    "SELECT id FROM {} WHERE {} = ?1 AND deleted = 0 ORDER BY rowid",
                    rel.child.desc().table,
                    rel.column
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let ids = stmt
                    .query_map([&parent_id], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                for child in ids {
                    let key = (rel.child, child);
                    if key.1 != id && seen.insert(key.clone()) {
                        out.push(key.clone());
                        queue.push(key);
                    }
                }
            }
        }
        Ok(out)
    }

    /// What deleting a record would take to the trash with it, per kind.
    pub fn delete_preview(&self, kind: RecordKind, id: &str) -> Result<Vec<KindCount>> {
        if !self.exists(kind, id)? {
            return Err(Error::NotFound(id.to_string()));
        }
        Ok(count_by_kind(
            self.dependents(kind, id)?.iter().map(|(k, _)| *k),
        ))
    }

    /// Moves a record to the trash (a tombstone, so merges carry the deletion), and
    /// with it every live record that depends on it (a membership's costs, meetings,
    /// theses and attributions; a project's outcomes; a city's records), so no figure
    /// keeps or silently drops them. They come back together (`restore`).
    pub fn delete(&mut self, kind: RecordKind, id: &str) -> Result<Vec<KindCount>> {
        let (counts, changes) = self.transaction(|store| {
            let dependents = store.dependents(kind, id)?;
            store.set_deleted(kind, id, true)?;
            let stamp = store.last_stamp;
            let mut changes: HashMap<RecordKind, Vec<String>> = HashMap::new();
            changes.entry(kind).or_default().push(id.to_string());
            for (k, dep) in &dependents {
                let sql = format!(
                    "UPDATE {} SET deleted = 1, trashed_with = ?1, updated_at = ?2, updated_by = ?3 WHERE id = ?4",
                    k.desc().table
                );
                store
                    .conn
                    .prepare_cached(&sql)?
                    .execute(params![id, stamp, store.office.id, dep])?;
                changes.entry(*k).or_default().push(dep.clone());
            }
            Ok((count_by_kind(dependents.iter().map(|(k, _)| *k)), changes))
        })?;
        self.notify_all(
            changes
                .into_iter()
                .map(|(kind, ids)| Change { kind, ids })
                .collect(),
        );
        Ok(counts)
    }

    /// Brings a record back from the trash with the records that went with it. A
    /// record whose parent is still in the trash stays there: restore the parent.
    pub fn restore(&mut self, kind: RecordKind, id: &str) -> Result<()> {
        for rel in self.relations.iter().filter(|r| r.child == kind) {
            let sql = format!(
                "SELECT {} FROM {} WHERE id = ?1",
                rel.column,
                kind.desc().table
            );
            let parent: Option<String> = self
                .conn
                .query_row(&sql, [id], |r| r.get(0))
                .optional()?
                .flatten();
            if let Some(parent) = parent {
                if !self.exists(rel.parent, &parent)? {
                    return Err(Error::invalid_because(
                        rel.column.clone(),
                        "parent_in_trash",
                        self.label_of(rel.parent, &parent)?,
                    ));
                }
            }
        }
        let changes = self.transaction(|store| {
            store.set_deleted(kind, id, false)?;
            let stamp = store.last_stamp;
            let mut changes: Vec<(RecordKind, Vec<String>)> = vec![(kind, vec![id.to_string()])];
            for k in RecordKind::ALL {
                let table = k.desc().table;
                let ids: Vec<String> = store
                    .conn
                    .prepare(&format!(
                        "SELECT id FROM {table} WHERE trashed_with = ?1 AND deleted = 1"
                    ))?
                    .query_map([id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if ids.is_empty() {
                    continue;
                }
                store.conn.execute(
                    &format!(
                        "UPDATE {table} SET deleted = 0, trashed_with = NULL, updated_at = ?1, updated_by = ?2
                         WHERE trashed_with = ?3 AND deleted = 1"
                    ),
                    params![stamp, store.office.id, id],
                )?;
                changes.push((*k, ids));
            }
            // A record restored with this one may have another parent still in the
            // trash (an attribution of a restored project's outcome whose membership
            // was deleted since): it goes back to that parent's group, so no live
            // record ever refers to a deleted one. Repeated, for its own children.
            for _ in 0..RecordKind::ALL.len() {
                let mut moved = 0;
                for rel in &store.relations {
                    let (child, parent) = (rel.child.desc().table, rel.parent.desc().table);
                    moved += store.conn.execute(
                        &format!(
                            "UPDATE {child} SET deleted = 1,
                                trashed_with = (SELECT COALESCE(p.trashed_with, p.id) FROM {parent} p WHERE p.id = {child}.{col})
                             WHERE updated_at = ?1 AND updated_by = ?2 AND deleted = 0
                               AND {col} IN (SELECT id FROM {parent} WHERE deleted = 1)",
                            col = rel.column
                        ),
                        params![stamp, store.office.id],
                    )?;
                }
                if moved == 0 {
                    break;
                }
            }
            Ok(changes)
        })?;
        self.notify_all(
            changes
                .into_iter()
                .map(|(kind, ids)| Change { kind, ids })
                .collect(),
        );
        Ok(())
    }

    fn set_deleted(&mut self, kind: RecordKind, id: &str, deleted: bool) -> Result<()> {
        let stamp = self.next_stamp();
        let sql = format!(
            "UPDATE {} SET deleted = ?1, trashed_with = NULL, updated_at = ?2, updated_by = ?3 WHERE id = ?4 AND deleted = ?5",
            kind.desc().table
        );
        let n = self
            .conn
            .execute(&sql, params![deleted, stamp, self.office.id, id, !deleted])?;
        if n == 0 {
            return Err(Error::NotFound(id.to_string()));
        }
        Ok(())
    }

    /// How people name one record (the trash's and the conflict log's label).
    pub fn label_of(&self, kind: RecordKind, id: &str) -> Result<String> {
        let info = kind.desc();
        let sql = format!(
            "SELECT COALESCE({}, '') FROM {} t WHERE t.id = ?1",
            info.label_sql(),
            info.table
        );
        Ok(self
            .conn
            .query_row(&sql, [id], |r| r.get(0))
            .optional()?
            .unwrap_or_default())
    }

    /// Everything in the trash, most recently deleted first.
    pub fn trash(&self) -> Result<Vec<TrashItem>> {
        let mut items = Vec::new();
        for kind in RecordKind::ALL {
            let info = kind.desc();
            // What went with another record is listed under it, not on its own.
            let sql = format!(
                "SELECT t.id, COALESCE({}, ''), t.updated_at FROM {} t WHERE t.deleted = 1 AND t.trashed_with IS NULL",
                info.label_sql(), info.table
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| {
                Ok(TrashItem {
                    kind: *kind,
                    id: r.get(0)?,
                    label: r.get(1)?,
                    deleted_at: r.get(2)?,
                    dependents: 0,
                })
            })?;
            for item in rows {
                items.push(item?);
            }
        }
        let mut with: HashMap<String, i64> = HashMap::new();
        for kind in RecordKind::ALL {
            let sql = format!(
                "SELECT trashed_with, COUNT(*) FROM {} WHERE deleted = 1 AND trashed_with IS NOT NULL GROUP BY trashed_with",
                kind.desc().table
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (root, n) = row?;
                *with.entry(root).or_default() += n;
            }
        }
        for item in &mut items {
            item.dependents = with.get(&item.id).copied().unwrap_or(0);
        }
        items.sort_by_key(|item| std::cmp::Reverse(item.deleted_at));
        Ok(items)
    }

    /// Runs `f` in one transaction: all its writes land, or none. Inside another
    /// transaction it is a savepoint of that one. A panic inside `f` rolls back before
    /// it goes on unwinding: a transaction left open would make every later edit look
    /// saved and lose it at exit.
    pub fn transaction<R>(&mut self, f: impl FnOnce(&mut Store) -> Result<R>) -> Result<R> {
        let nested = !self.conn.is_autocommit();
        let (begin, commit) = if nested {
            ("SAVEPOINT nested", "RELEASE nested")
        } else {
            ("BEGIN IMMEDIATE", "COMMIT")
        };
        self.conn.execute_batch(begin)?;
        if !nested {
            *self.batch.borrow_mut() = Some(Vec::new());
        }
        let undo = |store: &Store| {
            if !nested {
                // What was not written is not told.
                *store.batch.borrow_mut() = None;
            }
            if nested {
                let _ = store
                    .conn
                    .execute_batch("ROLLBACK TO nested; RELEASE nested");
            } else {
                store.roll_back();
            }
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        match outcome {
            Ok(Ok(value)) => match self.conn.execute_batch(commit) {
                Ok(()) => {
                    if !nested {
                        let changes = self.batch.borrow_mut().take().unwrap_or_default();
                        self.notify_all(changes);
                    }
                    Ok(value)
                }
                Err(e) => {
                    undo(self);
                    Err(e.into())
                }
            },
            Ok(Err(e)) => {
                undo(self);
                Err(e)
            }
            Err(panic) => {
                undo(self);
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Ends the open transaction, if any, without its writes; the stamps handed out
    /// inside it stay used (harmless: stamps only need to grow).
    pub(crate) fn roll_back(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// True while a transaction is open on the store's connection.
    pub fn in_transaction(&self) -> bool {
        !self.conn.is_autocommit()
    }

    /// Checks the generic rules and the kind's own, then returns the row values in
    /// column order.
    fn checked_row<T: Record>(&self, record: &T) -> Result<Vec<SqlValue>> {
        let json = serde_json::to_value(record)?;
        let object = json
            .as_object()
            .ok_or_else(|| Error::Argument("record is not an object".into()))?;
        self.check_rules(object, record)?;
        let columns = &self.columns[&T::KIND];
        columns
            .iter()
            .map(|c| json_to_sql(object.get(&c.name).unwrap_or(&Json::Null), c))
            .collect()
    }

    /// The generic rules over the record's fields, then the kind's own.
    pub(crate) fn check_rules<T: Record>(
        &self,
        object: &Map<String, Json>,
        record: &T,
    ) -> Result<()> {
        T::KIND.desc().check(object)?;
        record.validate(self)
    }

    /// Consistent snapshot of the open database into a new file (rollback-journal mode),
    /// written under a temporary name and renamed, so a failed export leaves nothing.
    pub fn export_snapshot(&self, out: &Path) -> Result<()> {
        files::write_via_partial(out, |tmp| {
            self.conn
                .execute("VACUUM INTO ?1", [tmp.to_string_lossy().as_ref()])?;
            let check = Connection::open_with_flags(tmp, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            check.pragma_update(None, "journal_mode", "DELETE")?;
            // Overwritten text is zeroed, not left in the page's free space.
            check.pragma_update(None, "secure_delete", true)?;
            strip_local_paths(&check)?;
            let ok: String = check.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(Error::Corrupt(ok));
            }
            Ok(())
        })
    }

    /// SQLite's own integrity check ("ok" when sound).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// A file sent to another office names the files merged into it by their names
/// alone: the folders they were in (a user name, a mail client's temporary folder)
/// are this computer's business.
fn strip_local_paths(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, source_file FROM merge_history")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut renamed = Vec::new();
    for row in rows {
        let (id, source) = row?;
        let name = source
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string();
        if name != source {
            renamed.push((id, name));
        }
    }
    for (id, name) in renamed {
        conn.execute(
            "UPDATE merge_history SET source_file = ?2 WHERE id = ?1",
            params![id, name],
        )?;
    }
    Ok(())
}

/// The working database: write-ahead log with `synchronous = FULL`, so a committed
/// edit survives a power cut too (NORMAL keeps it through a crash of the app, but a
/// power cut may take the last commits). Measured on 1,000 single edits: see README.
fn configure(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    configure_reading(conn)
}

/// Settings that change nothing in the file.
fn configure_reading(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    // Reports read whole tables: a larger page cache and memory-mapped reads keep a
    // million-row summary from going through a read call per page. Local files only;
    // untrusted files are opened elsewhere with mmap off.
    conn.pragma_update(None, "cache_size", -32_768)?;
    conn.pragma_update(None, "mmap_size", 268_435_456)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(())
}

/// The schema version of a Cabildo file this build can read; refuses other files.
fn readable_version(conn: &Connection, path: &Path) -> Result<i64> {
    let (app_id, version) = identity_of(conn)?;
    if app_id != APPLICATION_ID {
        return Err(Error::NotCabildo(path.display().to_string()));
    }
    if version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

fn identity_of(conn: &Connection) -> Result<(i32, i64)> {
    let read = || -> rusqlite::Result<(i32, i64)> {
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app_id, version))
    };
    read().map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, msg)
            if matches!(
                f.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            Error::Corrupt(msg.unwrap_or_else(|| f.to_string()))
        }
        other => Error::Sqlite(other),
    })
}

/// Copies the file as it is before a schema upgrade, next to it.
fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let name = format!(
        "{}.v{version}-{stamp}.bak",
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "cabildo".into())
    );
    let backup = path.with_file_name(name);
    // Under a temporary name: a crash during the copy must not leave what looks like
    // a whole backup.
    files::write_via_partial(&backup, |partial| {
        conn.execute("VACUUM INTO ?1", [partial.to_string_lossy().as_ref()])?;
        std::fs::File::open(partial)?.sync_all()?;
        Ok(())
    })
}

/// Writes the office's settings as one transaction (a savepoint, so it also
/// nests in a caller's).
fn write_office(conn: &Connection, office: &Office) -> Result<()> {
    conn.execute_batch("SAVEPOINT write_office")?;
    let written = (|| -> Result<()> {
        let mut stmt = conn.prepare(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        )?;
        stmt.execute(["office_id", &office.id])?;
        stmt.execute(["office_name", &office.name])?;
        stmt.execute(["reporting_currency", &office.reporting_currency])?;
        stmt.execute(["language", &office.language])?;
        stmt.execute(["number_format", office.number_format.code()])?;
        Ok(())
    })();
    match written {
        Ok(()) => Ok(conn.execute_batch("RELEASE write_office")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO write_office; RELEASE write_office");
            Err(e)
        }
    }
}

/// Longest office name accepted.
pub(crate) const MAX_OFFICE_NAME_CHARS: usize = 200;

/// The rules an office's settings pass, typed or received.
fn check_office(office: &Office) -> Result<()> {
    let name = office.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "required"));
    }
    if name.chars().count() > MAX_OFFICE_NAME_CHARS {
        return Err(Error::invalid("name", "too_long"));
    }
    crate::money::check_currency("reporting_currency", &office.reporting_currency)?;
    if !matches!(office.language.as_str(), "es" | "en") {
        return Err(Error::invalid("language", "unknown_language"));
    }
    Ok(())
}

fn read_office(conn: &Connection) -> Result<Office> {
    let get = |key: &str| -> Result<String> {
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::NotCabildo(format!("missing setting {key}")))
    };
    let language = get("language")?;
    // Files written before the setting existed read numbers the language's way.
    let number_format = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'number_format'",
            [],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .and_then(|code| crate::numbers::NumberFormat::parse(&code))
        .unwrap_or_else(|| {
            crate::numbers::NumberFormat::for_language(
                crate::format::Lang::parse(&language).unwrap_or_default(),
            )
        });
    Ok(Office {
        id: get("office_id")?,
        name: get("office_name")?,
        reporting_currency: get("reporting_currency")?,
        language,
        number_format,
    })
}

/// Adds a change to a list with one entry per kind; an empty id list (reload the
/// whole kind) absorbs the kind's ids.
fn add_change(list: &mut Vec<Change>, change: Change) {
    match list.iter_mut().find(|c| c.kind == change.kind) {
        Some(existing) if existing.ids.is_empty() => {}
        Some(existing) if change.ids.is_empty() => existing.ids.clear(),
        Some(existing) => existing.ids.extend(change.ids),
        None => list.push(change),
    }
}

fn count_by_kind(kinds: impl Iterator<Item = RecordKind>) -> Vec<KindCount> {
    let mut counts: Vec<KindCount> = Vec::new();
    for kind in kinds {
        match counts.iter_mut().find(|c| c.kind == kind) {
            Some(c) => c.count += 1,
            None => counts.push(KindCount { kind, count: 1 }),
        }
    }
    counts.sort_by_key(|c| c.kind);
    counts
}

/// The references between record kinds, as the schema's foreign keys declare them.
fn table_relations(conn: &Connection) -> Result<Vec<Relation>> {
    let kind_of = |table: &str| {
        RecordKind::ALL
            .iter()
            .find(|k| k.desc().table == table)
            .copied()
    };
    let mut relations = Vec::new();
    for child in RecordKind::ALL {
        let mut stmt =
            conn.prepare("SELECT \"table\", \"from\" FROM pragma_foreign_key_list(?1)")?;
        let rows = stmt.query_map([child.desc().table], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (parent_table, column) = row?;
            if let Some(parent) = kind_of(&parent_table) {
                relations.push(Relation {
                    child: *child,
                    column,
                    parent,
                });
            }
        }
    }
    Ok(relations)
}

fn insert_sql(table: &str, columns: &[Column]) -> String {
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        table,
        columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        (1..=columns.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn table_columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut stmt = conn.prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")?;
    let rows = stmt.query_map([table], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut columns = Vec::new();
    for row in rows {
        let (name, declared) = row?;
        let ty = match declared.to_ascii_uppercase().as_str() {
            "INTEGER" => ColumnType::Integer,
            "REAL" => ColumnType::Real,
            "BOOLEAN" => ColumnType::Boolean,
            _ => ColumnType::Text,
        };
        columns.push(Column { name, ty });
    }
    if columns.is_empty() {
        return Err(Error::NotCabildo(format!("missing table {table}")));
    }
    Ok(columns)
}

/// The store's own SQL functions: `cabildo_fold(text)` is `import::fold`, so lists
/// search and sort by the same folded words as the import matches names. Not
/// innocuous: a file's schema can never call it.
fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "cabildo_fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            Ok(match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(t) => {
                    Some(crate::text::fold(&String::from_utf8_lossy(t)))
                }
                rusqlite::types::ValueRef::Null => None,
                other => Some(crate::text::fold(&match other {
                    rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                    rusqlite::types::ValueRef::Real(x) => x.to_string(),
                    _ => String::new(),
                })),
            })
        },
    )?;
    Ok(())
}

fn row_to_json(row: &rusqlite::Row, columns: &[Column]) -> rusqlite::Result<Json> {
    let mut object = Map::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let value = match row.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Json::Null,
            rusqlite::types::ValueRef::Integer(n) => match column.ty {
                ColumnType::Boolean => Json::Bool(n != 0),
                ColumnType::Real => serde_json::Number::from_f64(n as f64)
                    .map(Json::Number)
                    .unwrap_or(Json::Null),
                _ => Json::from(n),
            },
            rusqlite::types::ValueRef::Real(x) => serde_json::Number::from_f64(x)
                .map(Json::Number)
                .unwrap_or(Json::Null),
            rusqlite::types::ValueRef::Text(t) => {
                Json::String(String::from_utf8_lossy(t).into_owned())
            }
            rusqlite::types::ValueRef::Blob(_) => Json::Null,
        };
        object.insert(column.name.clone(), value);
    }
    Ok(Json::Object(object))
}

fn json_to_sql(value: &Json, column: &Column) -> Result<SqlValue> {
    let bad = || Error::invalid(column.name.clone(), "wrong_type");
    Ok(match (value, column.ty) {
        (Json::Null, _) => SqlValue::Null,
        (Json::Bool(b), ColumnType::Boolean | ColumnType::Integer) => SqlValue::Integer(*b as i64),
        (Json::Number(n), ColumnType::Integer | ColumnType::Boolean) => {
            SqlValue::Integer(n.as_i64().ok_or_else(bad)?)
        }
        (Json::Number(n), ColumnType::Real) => SqlValue::Real(n.as_f64().ok_or_else(bad)?),
        (Json::String(s), ColumnType::Text) => SqlValue::Text(s.clone()),
        _ => return Err(bad()),
    })
}

impl KindDesc {
    /// SQL condition on alias `t` that keeps the rows of one city (`?1`).
    fn city_scope_sql(&self) -> Option<String> {
        use crate::kinds::CityScope;
        match self.city_scope {
            CityScope::None => None,
            CityScope::SelfId => Some("t.id = ?1".into()),
            CityScope::Column => Some("t.city_id = ?1".into()),
            CityScope::ViaMembership => Some(
                "t.membership_id IN (SELECT m.id FROM membership m WHERE m.city_id = ?1)".into(),
            ),
        }
    }
}
