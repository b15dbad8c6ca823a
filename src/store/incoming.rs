//! Opening a received file. Another office's database is untrusted input: it is never
//! opened in place. It is copied (and fingerprinted) into a private temporary file,
//! opened read-only with SQLite's defensive settings, checked (integrity, identity,
//! schema version, structure, every value's type and domain, sizes), and only then
//! attached to the local database by the merge. An older schema is upgraded in the
//! copy, never in the sender's file. See SQLite's "Defense against the dark arts".

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::kinds::RecordKind;
use crate::store::{ColumnType, APPLICATION_ID, MAX_TEXT_CHARS, SCHEMA_VERSION};

/// How far ahead of this machine's clock a received stamp may be: one hour. Offices'
/// clocks differ by seconds or minutes (a wrong time zone shows as whole hours, and is
/// exactly what this catches); a stamp further ahead would win every later merge and
/// drag the local clock into the future, so such a file is refused, naming the
/// sender's clock as the cause.
pub const MAX_CLOCK_SKEW_MS: i64 = 60 * 60 * 1000;
/// Longest identifier (record id, office id) accepted; ours are 36-character UUIDs.
const MAX_ID_CHARS: i64 = 64;
/// Most distinct offices (`updated_by`) a file may hold writes of. A coordinator
/// that merges every city of a country meets thousands; more is not a real file.
pub const MAX_OFFICES: usize = 50_000;
/// Settings rows are a handful of keys plus at most one per office whose writes the
/// file holds (see `Store::remember_knowledge`), so an office with many peers can
/// still send its file and restore its backups.
const MAX_SETTINGS_ROWS: u64 = MAX_OFFICES as u64 + 100;
/// Prefix of the settings keys that hold what a file knows of each office's writes.
pub(crate) const KNOWN_STAMP_PREFIX: &str = "known_stamp:";

/// Size limits applied to a received file before anything of it is used.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Most rows accepted, counted over every record table and the settings.
    pub max_rows: u64,
    /// `SQLITE_LIMIT_LENGTH` of the connection that reads the file: no string or blob
    /// longer than this (in bytes) is ever materialised.
    pub max_value_bytes: i32,
    /// Set from another thread to stop copying and checking (`Error::Cancelled`).
    pub cancel: CancelFlag,
}

/// A flag another thread sets to cancel the copy and the check of a received file.
/// Copying stops between chunks; SQLite's reads are interrupted by a progress
/// handler, so a check of a large file stops within milliseconds.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Option<std::sync::Arc<std::sync::atomic::AtomicBool>>);

impl CancelFlag {
    /// A flag, and the handle that sets it.
    pub fn new() -> (CancelFlag, std::sync::Arc<std::sync::atomic::AtomicBool>) {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        (CancelFlag(Some(flag.clone())), flag)
    }

    pub fn is_set(&self) -> bool {
        self.0
            .as_ref()
            .is_some_and(|f| f.load(std::sync::atomic::Ordering::Relaxed))
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.is_set() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

impl PartialEq for CancelFlag {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Default for IncomingLimits {
    fn default() -> Self {
        IncomingLimits {
            // A coordinator's file of every Global Covenant signatory (13,800 cities)
            // is about 6.6 GB and 15 million rows; leave room for twice that.
            max_bytes: 16 * 1024 * 1024 * 1024,
            max_rows: 40_000_000,
            // A text field holds at most MAX_TEXT_CHARS characters of up to 4 bytes.
            max_value_bytes: (MAX_TEXT_CHARS as i32) * 4 + 1024,
            cancel: CancelFlag::default(),
        }
    }
}

/// What a column may hold beyond its declared SQL type. The exchange layer knows the
/// domain of each column (dates, currencies, enumerations) and tells the check.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDomain {
    Free,
    /// An ISO date `YYYY-MM-DD`.
    Date,
    /// Three capital letters.
    Currency,
    /// One of these codes.
    OneOf(Vec<String>),
}

/// A file that deletes itself (and SQLite's companions) when dropped.
#[derive(Debug)]
pub(crate) struct TempFile(PathBuf);

/// The folder of private copies of received files: beside the local database (in
/// the data folder), never the shared temporary folder, and readable by the owner
/// only. A copy left by a crash is removed by a later check after a day.
pub fn private_dir(beside: Option<&Path>) -> Result<PathBuf> {
    match beside.and_then(Path::parent) {
        Some(parent) if !parent.as_os_str().is_empty() => private_dir_in(parent),
        Some(_) => private_dir_in(Path::new(".")),
        None => {
            private_dir_at(std::env::temp_dir().join(format!("cabildo-incoming-{}", user_tag())))
        }
    }
}

/// The folder of private copies in the data folder `folder` (see `private_dir`).
pub fn private_dir_in(folder: &Path) -> Result<PathBuf> {
    private_dir_at(folder.join(".cabildo-incoming"))
}

fn private_dir_at(dir: PathBuf) -> Result<PathBuf> {
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let day = std::time::Duration::from_secs(24 * 3600);
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > day);
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(dir)
}

/// Tells users apart in a shared temporary folder (used only without a data folder).
fn user_tag() -> String {
    #[cfg(unix)]
    {
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        uid.to_string()
    }
    #[cfg(not(unix))]
    {
        "user".to_string()
    }
}

impl TempFile {
    fn new_in(dir: &Path, tag: &str) -> TempFile {
        TempFile(dir.join(format!(
            "cabildo-{tag}-{}.cabildo",
            uuid::Uuid::now_v7().simple()
        )))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

/// A received file that passed every check: a private, read-only-checked copy at the
/// current schema version, and the facts the merge needs about it.
#[derive(Debug)]
pub struct CheckedIncoming {
    pub(crate) copy: TempFile,
    /// The file as the user named it.
    pub source: PathBuf,
    /// SHA-256 of the file's bytes as received (hex).
    pub fingerprint: String,
    pub bytes: u64,
    pub office_id: String,
    pub office_name: String,
    /// Schema version of the file as received (upgraded in the copy when older).
    pub schema_version: i64,
    /// Rows per record kind, parents first.
    pub rows: Vec<(RecordKind, u64)>,
    /// Newest `updated_at` in the file.
    pub high_stamp: i64,
    /// The newest stamp the file actually holds of each office's writes (by
    /// `updated_by`): what it can prove it knows.
    pub held: Vec<(String, i64)>,
    /// What the sender says it knows of other offices' writes (`known_stamp:*`):
    /// office id → newest stamp. Claims only: the merge believes them as far as the
    /// file, or the local file, proves them (`Store::believed_knowledge`).
    pub claims: Vec<(String, i64)>,
}

impl CheckedIncoming {
    pub fn records(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// The header facts that decide whether to go on, read from the first 100 bytes.
struct Header {
    page_size: u64,
    pages: Option<u64>,
    application_id: i32,
    user_version: i64,
}

fn be_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_be_bytes(word)
}

fn parse_header(bytes: &[u8], shown: &str) -> Result<Header> {
    if bytes.len() < 100 || &bytes[..16] != b"SQLite format 3\0" {
        return Err(Error::NotCabildo(format!(
            "{shown} is not a SQLite database"
        )));
    }
    let raw_page = u16::from_be_bytes([bytes[16], bytes[17]]) as u64;
    let page_size = if raw_page == 1 { 65_536 } else { raw_page };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(Error::Corrupt(format!("{shown}: invalid page size")));
    }
    if !matches!(bytes[18], 1 | 2) || !matches!(bytes[19], 1 | 2) {
        return Err(Error::Corrupt(format!("{shown}: unknown file format")));
    }
    // Cabildo writes UTF-8 (1); SQLite refuses to attach a file in another encoding,
    // so the header says it first, in the user's words.
    if be_u32(bytes, 56) != 1 {
        return Err(Error::Corrupt(format!(
            "{shown}: unsupported text encoding"
        )));
    }
    // The in-header page count is valid only when the change counter matches
    // "version valid for" (offsets 24 and 92); older writers leave it stale.
    let pages = (be_u32(bytes, 24) == be_u32(bytes, 92) && be_u32(bytes, 28) > 0)
        .then(|| be_u32(bytes, 28) as u64);
    Ok(Header {
        page_size,
        pages,
        application_id: be_u32(bytes, 68) as i32,
        user_version: be_u32(bytes, 60) as i32 as i64,
    })
}

/// Refusals decided by the header alone: another application, a newer schema.
fn check_identity(header: &Header, shown: &str) -> Result<()> {
    if header.application_id != APPLICATION_ID {
        return Err(Error::NotCabildo(format!(
            "{shown} is a SQLite database of another application"
        )));
    }
    if header.user_version > SCHEMA_VERSION {
        return Err(Error::NewerSchema {
            found: header.user_version,
            supported: SCHEMA_VERSION,
        });
    }
    if header.user_version < 1 {
        return Err(Error::UnexpectedSchema(format!(
            "{shown} has no schema version"
        )));
    }
    Ok(())
}

/// Opens a received file for reading, refusing what is not a plain file before a
/// byte is read: a FIFO would block the open (it is opened non-blocking, then
/// refused), a device or a `/proc` or `/sys` entry would feed endless or changing
/// bytes. The checks are made on the opened handle, so the path cannot be swapped
/// between the check and the read.
pub fn open_received(path: &Path) -> Result<std::fs::File> {
    let shown = path.display().to_string();
    let canonical = std::fs::canonicalize(path)?;
    if ["/proc", "/sys", "/dev"]
        .iter()
        .any(|special| canonical.starts_with(special))
    {
        return Err(Error::Argument(format!("{shown} is not a file")));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(&canonical)?;
    if !file.metadata()?.is_file() {
        return Err(Error::Argument(format!("{shown} is not a file")));
    }
    Ok(file)
}

fn read_header(file: &mut std::fs::File, shown: &str) -> Result<Header> {
    let mut bytes = Vec::with_capacity(100);
    Read::by_ref(file).take(100).read_to_end(&mut bytes)?;
    parse_header(&bytes, shown)
}

/// SHA-256 (hex) and length of a file, read once; refuses past `max_bytes`.
/// Cheap enough to recognise a file merged before without copying or opening it.
pub fn fingerprint_file(path: &Path, max_bytes: u64) -> Result<(String, u64)> {
    fingerprint_with_format(path, max_bytes, None, &CancelFlag::default())
}

/// The fingerprint, hashing `format` in place of header bytes 18 and 19 (the private
/// copy's file-format bytes may have been rewritten; the fingerprint is of the file
/// as received).
fn fingerprint_with_format(
    path: &Path,
    max_bytes: u64,
    format: Option<[u8; 2]>,
    cancel: &CancelFlag,
) -> Result<(String, u64)> {
    let mut file = open_received(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes: u64 = 0;
    loop {
        cancel.check()?;
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        if bytes > max_bytes {
            return Err(Error::FileTooLarge {
                bytes,
                limit: max_bytes,
            });
        }
        if let (Some(original), true) = (format, bytes == n as u64 && n >= 20) {
            buffer[18..20].copy_from_slice(&original);
        }
        hasher.update(&buffer[..n]);
    }
    Ok((hex(&hasher.finalize()), bytes))
}

/// Copies the received file into a private temporary file. Refuses before copying
/// what the header already condemns, and again on the copy's own header (the
/// original may change meanwhile; the copy is what gets read).
pub fn copy_incoming(path: &Path, limits: &IncomingLimits) -> Result<IncomingCopy> {
    copy_incoming_into(path, limits, &private_dir(None)?)
}

/// `copy_incoming` with the private copy in `dir` (see `private_dir`).
pub fn copy_incoming_into(
    path: &Path,
    limits: &IncomingLimits,
    dir: &Path,
) -> Result<IncomingCopy> {
    use std::io::{Seek, SeekFrom};
    let shown = path.display().to_string();
    let mut source = open_received(path)?;
    let len = source.metadata()?.len();
    if len > limits.max_bytes {
        return Err(Error::FileTooLarge {
            bytes: len,
            limit: limits.max_bytes,
        });
    }
    check_identity(&read_header(&mut source, &shown)?, &shown)?;
    source.seek(SeekFrom::Start(0))?;

    let copy = TempFile::new_in(dir, "incoming");
    let mut target = {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(copy.path())?
    };
    // std copies file to file inside the kernel where it can; `take` bounds a file
    // that grows while it is copied. No fsync: the copy is private and temporary.
    // In chunks, so that a cancel is seen between them.
    let mut bytes: u64 = 0;
    loop {
        limits.cancel.check()?;
        let room = (limits.max_bytes + 1).saturating_sub(bytes).min(64 << 20);
        let copied = std::io::copy(&mut Read::by_ref(&mut source).take(room), &mut target)?;
        bytes += copied;
        if copied == 0 || bytes > limits.max_bytes {
            break;
        }
    }
    drop(target);
    if bytes > limits.max_bytes {
        return Err(Error::FileTooLarge {
            bytes,
            limit: limits.max_bytes,
        });
    }
    let mut first_page = Vec::with_capacity(100);
    Read::by_ref(&mut std::fs::File::open(copy.path())?)
        .take(100)
        .read_to_end(&mut first_page)?;
    let header = parse_header(&first_page, &shown)?;
    check_identity(&header, &shown)?;
    if !bytes.is_multiple_of(header.page_size)
        || header.pages.is_some_and(|p| p * header.page_size > bytes)
    {
        return Err(Error::Corrupt(format!("{shown} is truncated")));
    }
    // A file saved in WAL mode would need its -wal and -shm companions even to be read;
    // marking the private copy as a rollback-journal file (header bytes 18 and 19) lets
    // it open read-only on its own. The sender's file is not touched.
    let format = [first_page[18], first_page[19]];
    if first_page[18] == 2 || first_page[19] == 2 {
        let mut file = std::fs::OpenOptions::new().write(true).open(copy.path())?;
        use std::io::{Seek, SeekFrom};
        file.seek(SeekFrom::Start(18))?;
        file.write_all(&[1, 1])?;
    }
    Ok(IncomingCopy {
        copy,
        source: path.to_path_buf(),
        bytes,
        schema_version: header.user_version,
        format,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A private copy of a received file, not yet checked.
#[derive(Debug)]
pub struct IncomingCopy {
    copy: TempFile,
    pub source: PathBuf,
    pub bytes: u64,
    pub schema_version: i64,
    /// Header bytes 18 and 19 as received.
    format: [u8; 2],
}

/// Opens a connection on the private copy with every defence SQLite offers against a
/// hostile file: no triggers, no views, no schema-borne functions, bounded values.
fn open_defensive(path: &Path, writable: bool, limits: &IncomingLimits) -> Result<Connection> {
    let access = if writable {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    };
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    defend(&conn)?;
    conn.set_limit(Limit::SQLITE_LIMIT_LENGTH, limits.max_value_bytes)?;
    if limits.cancel.0.is_some() {
        let cancel = limits.cancel.clone();
        conn.progress_handler(10_000, Some(move || cancel.is_set()))?;
    }
    conn.pragma_update(None, "mmap_size", 0)?;
    Ok(conn)
}

/// The defences of a connection to a file that may be hostile: nothing its schema
/// holds (triggers, views, functions it names) runs, and damaged pages are caught.
pub(crate) fn defend(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.pragma_update(None, "cell_size_check", true)?;
    Ok(())
}

/// SQLite's complaints about a hostile or damaged file, in the core's terms.
fn untrusted(e: rusqlite::Error) -> Error {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) => match f.code {
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt => {
                Error::Corrupt(msg.clone().unwrap_or_else(|| f.to_string()))
            }
            rusqlite::ErrorCode::OperationInterrupted => Error::Cancelled,
            rusqlite::ErrorCode::TooBig => Error::BadValue {
                table: "?".into(),
                column: "?".into(),
                detail: "a value is longer than the limit".into(),
            },
            _ => Error::Sqlite(e),
        },
        // A value of the schema or the settings that is not what SQLite's own tables
        // hold (text that is not UTF-8, a number where text belongs): the file is
        // damaged or was written by something else.
        rusqlite::Error::Utf8Error(..)
        | rusqlite::Error::FromSqlConversionFailure(..)
        | rusqlite::Error::IntegralValueOutOfRange(..)
        | rusqlite::Error::InvalidColumnType(..) => {
            Error::Corrupt(format!("unexpected value: {e}"))
        }
        _ => Error::Sqlite(e),
    }
}

/// The schema objects of a database: (type, name, table, SQL), sorted.
fn schema_of(conn: &Connection) -> Result<Vec<(String, String, String, String)>> {
    let mut stmt = conn
        .prepare(
            "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_schema ORDER BY type, name",
        )
        .map_err(untrusted)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(untrusted)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(untrusted)?);
    }
    Ok(out)
}

type Schema = Vec<(String, String, String, String)>;

/// The schema this build creates at `version`, for comparison: built once per
/// version by running the migrations in memory, then kept.
fn reference_schema(version: i64) -> Result<Schema> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static BUILT: OnceLock<Mutex<HashMap<i64, Schema>>> = OnceLock::new();
    let built = BUILT.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(schema) = built.lock().ok().and_then(|m| m.get(&version).cloned()) {
        return Ok(schema);
    }
    let steps = usize::try_from(version)
        .map_err(|_| Error::UnexpectedSchema(format!("schema version {version}")))?;
    let mut conn = Connection::open_in_memory()?;
    super::migrations()
        .to_version(&mut conn, steps)
        .map_err(|e| Error::Migration(e.to_string()))?;
    let schema = schema_of(&conn)?;
    if let Ok(mut map) = built.lock() {
        map.insert(version, schema.clone());
    }
    Ok(schema)
}

/// Names the first difference between a file's schema and the expected one.
pub(crate) fn compare_schema(conn: &Connection, version: i64) -> Result<()> {
    let found = schema_of(conn)?;
    let expected = reference_schema(version)?;
    if found == expected {
        return Ok(());
    }
    for object in &found {
        match expected.iter().find(|e| e.0 == object.0 && e.1 == object.1) {
            None => {
                return Err(Error::UnexpectedSchema(format!(
                    "unknown {} \"{}\"",
                    object.0, object.1
                )))
            }
            Some(e) if e != object => {
                return Err(Error::UnexpectedSchema(format!(
                    "{} \"{}\" differs from Cabildo's (unknown or changed columns)",
                    object.0, object.1
                )))
            }
            Some(_) => {}
        }
    }
    let missing = expected
        .iter()
        .find(|e| !found.iter().any(|f| f.0 == e.0 && f.1 == e.1));
    Err(Error::UnexpectedSchema(match missing {
        Some(m) => format!("missing {} \"{}\"", m.0, m.1),
        None => "schema differs".into(),
    }))
}

struct ColumnRule {
    name: String,
    ty: ColumnType,
    not_null: bool,
}

/// What a value of one column must be.
enum Rule {
    /// `id`, `updated_by`: non-empty text of bounded length.
    Identifier,
    /// `created_at`, `updated_at`: milliseconds, not in the future beyond the skew.
    Stamp,
    /// `deleted`: 0 or 1.
    Flag,
    Value {
        ty: ColumnType,
        not_null: bool,
        domain: ColumnDomain,
    },
}

impl Rule {
    fn of(column: &ColumnRule, domain: ColumnDomain) -> Rule {
        match column.name.as_str() {
            "id" | "updated_by" => Rule::Identifier,
            "created_at" | "updated_at" => Rule::Stamp,
            "deleted" => Rule::Flag,
            _ => Rule::Value {
                ty: column.ty,
                not_null: column.not_null,
                domain,
            },
        }
    }

    /// What is wrong with a value, if anything. Checked in Rust rather than in SQL:
    /// a row is read once and each test is a comparison, several times faster than
    /// SQL functions over a 200,000-row file.
    fn problem(&self, value: ValueRef, newest_allowed: i64) -> Option<String> {
        match (self, value) {
            (Rule::Identifier, ValueRef::Text(t)) => {
                (t.is_empty() || t.len() as i64 > MAX_ID_CHARS || std::str::from_utf8(t).is_err())
                    .then(|| format!("an identifier of {} bytes", t.len()))
            }
            (Rule::Stamp, ValueRef::Integer(ms)) if ms > newest_allowed => {
                Some(format!("the stamp {ms} is in the future"))
            }
            (Rule::Stamp, ValueRef::Integer(ms)) => {
                (ms < 0).then(|| format!("the stamp {ms} is negative"))
            }
            (Rule::Flag, ValueRef::Integer(0 | 1)) => None,
            (Rule::Value { not_null, .. }, ValueRef::Null) => {
                not_null.then(|| "a missing value".to_string())
            }
            (Rule::Value { ty, domain, .. }, value) => {
                let typed = match (ty, value) {
                    (ColumnType::Integer, ValueRef::Integer(_)) => true,
                    (ColumnType::Real, ValueRef::Integer(_)) => true,
                    (ColumnType::Real, ValueRef::Real(x)) => x.is_finite(),
                    (ColumnType::Boolean, ValueRef::Integer(n)) => n == 0 || n == 1,
                    (ColumnType::Text, ValueRef::Text(_)) => true,
                    _ => false,
                };
                if !typed {
                    return Some(format!("a {} value", type_name(value)));
                }
                let ValueRef::Text(bytes) = value else {
                    return None;
                };
                let Ok(text) = std::str::from_utf8(bytes) else {
                    return Some("text that is not UTF-8".into());
                };
                if bytes.len() > MAX_TEXT_CHARS && text.chars().count() > MAX_TEXT_CHARS {
                    return Some(format!("a text of {} characters", text.chars().count()));
                }
                let fits = match domain {
                    ColumnDomain::Free => true,
                    ColumnDomain::Date => {
                        text.len() == 10
                            && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
                    }
                    ColumnDomain::Currency => {
                        text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
                    }
                    ColumnDomain::OneOf(codes) => codes.iter().any(|c| c == text),
                };
                (!fits).then(|| {
                    format!(
                        "“{}”, not allowed here",
                        text.chars().take(40).collect::<String>()
                    )
                })
            }
            (_, value) => Some(format!("a {} value", type_name(value))),
        }
    }
}

fn type_name(value: ValueRef) -> &'static str {
    match value {
        ValueRef::Null => "null",
        ValueRef::Integer(_) => "integer",
        ValueRef::Real(_) => "real",
        ValueRef::Text(_) => "text",
        ValueRef::Blob(_) => "blob",
    }
}

/// The refusal of a stamp beyond the skew bound: the sender's clock is wrong.
fn clock_ahead(ms: i64, newest_allowed: i64) -> Error {
    let now = newest_allowed.saturating_sub(MAX_CLOCK_SKEW_MS);
    Error::SenderClockAhead {
        ahead_minutes: ms.saturating_sub(now) / 60_000,
        limit_minutes: MAX_CLOCK_SKEW_MS / 60_000,
    }
}

/// The newest stamp of each office's writes in a table.
type Held = std::collections::HashMap<String, i64>;

/// Reads every row of a record table once, checking each value against its rule.
/// Returns the newest `updated_at`, and the newest per writing office.
fn check_table(
    conn: &Connection,
    kind: RecordKind,
    domain: &DomainOf,
    newest_allowed: i64,
) -> Result<(i64, Held)> {
    let table = kind.desc().table;
    let columns = column_rules(conn, table)?;
    let rules: Vec<Rule> = columns
        .iter()
        .map(|c| Rule::of(c, domain(kind, &c.name)))
        .collect();
    let stamp_at = columns.iter().position(|c| c.name == "updated_at");
    let writer_at = columns.iter().position(|c| c.name == "updated_by");
    let sql = format!(
        "SELECT rowid, {} FROM \"{table}\"",
        columns
            .iter()
            .map(|c| format!("\"{}\"", c.name))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let in_table = |e: rusqlite::Error| match untrusted(e) {
        Error::BadValue { detail, .. } => Error::BadValue {
            table: table.into(),
            column: "?".into(),
            detail,
        },
        other => other,
    };
    let mut stmt = conn.prepare(&sql).map_err(in_table)?;
    let mut rows = stmt.query([]).map_err(in_table)?;
    let mut newest = 0;
    let mut held = Held::new();
    while let Some(row) = rows.next().map_err(in_table)? {
        for (i, rule) in rules.iter().enumerate() {
            let value = row.get_ref(i + 1).map_err(in_table)?;
            if let (Rule::Stamp, ValueRef::Integer(ms)) = (rule, value) {
                if ms > newest_allowed {
                    return Err(clock_ahead(ms, newest_allowed));
                }
            }
            if let Some(problem) = rule.problem(value, newest_allowed) {
                let rowid: i64 = row.get(0).map_err(in_table)?;
                return Err(Error::BadValue {
                    table: table.into(),
                    column: columns[i].name.clone(),
                    detail: format!("row {rowid}: {problem}"),
                });
            }
            if Some(i) == stamp_at {
                if let ValueRef::Integer(ms) = value {
                    newest = newest.max(ms);
                }
            }
        }
        // Both columns passed their rules above: a stamp and a bounded identifier.
        if let (Some(s), Some(w)) = (stamp_at, writer_at) {
            if let (ValueRef::Integer(ms), ValueRef::Text(writer)) = (
                row.get_ref(s + 1).map_err(in_table)?,
                row.get_ref(w + 1).map_err(in_table)?,
            ) {
                let writer = String::from_utf8_lossy(writer);
                let offices = held.len();
                match held.get_mut(writer.as_ref()) {
                    Some(stamp) => *stamp = (*stamp).max(ms),
                    None if offices >= MAX_OFFICES => {
                        return Err(Error::BadValue {
                            table: table.into(),
                            column: "updated_by".into(),
                            detail: format!("writes of more than {MAX_OFFICES} offices"),
                        })
                    }
                    None => {
                        held.insert(writer.into_owned(), ms);
                    }
                }
            }
        }
    }
    Ok((newest, held))
}

/// The store's mapping of declared types (kept in step with `table_columns`).
fn column_type(declared: &str) -> ColumnType {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" => ColumnType::Integer,
        "REAL" => ColumnType::Real,
        "BOOLEAN" => ColumnType::Boolean,
        _ => ColumnType::Text,
    }
}

fn column_rules(conn: &Connection, table: &str) -> Result<Vec<ColumnRule>> {
    let mut stmt = conn
        .prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid")
        .map_err(untrusted)?;
    let rows = stmt
        .query_map([table], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })
        .map_err(untrusted)?;
    let mut rules = Vec::new();
    for row in rows {
        let (name, declared, not_null) = row.map_err(untrusted)?;
        rules.push(ColumnRule {
            name,
            ty: column_type(&declared),
            not_null,
        });
    }
    Ok(rules)
}

/// One piece of the check, run by whichever worker is free.
#[derive(Debug, Clone, Copy)]
enum Task {
    IntegrityCheck,
    Fingerprint,
    Table(RecordKind),
}

enum Outcome {
    Done,
    Fingerprint(String),
    Newest(i64, Held),
}

/// SQLite's full `integrity_check`, not `quick_check`: only the full one compares each
/// index with its table, which is what finds two rows with one primary key.
fn integrity_check(conn: &Connection) -> Result<()> {
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(untrusted)?;
    if verdict != "ok" {
        return Err(Error::Corrupt(verdict));
    }
    Ok(())
}

/// Type of the rules supplied by the exchange layer.
pub type DomainOf = dyn Fn(RecordKind, &str) -> ColumnDomain + Sync;

impl IncomingCopy {
    /// Runs every check on the private copy; upgrades an older schema in it.
    /// `fingerprint` is the file's, when already computed while it was copied.
    pub fn check(
        self,
        limits: &IncomingLimits,
        domain: &DomainOf,
        fingerprint: Option<String>,
    ) -> Result<CheckedIncoming> {
        let path = self.copy.path().to_path_buf();
        let mut checked_integrity = false;
        if self.schema_version < SCHEMA_VERSION {
            // The upgrade writes to the copy: check it whole first, then run our own
            // migrations on a copy whose schema was found equal to what they expect.
            // The exact schema comes first: the integrity check walks every object of
            // the schema, and must never reach code (FTS, R-Tree) for objects Cabildo
            // does not have.
            {
                let conn = open_defensive(&path, false, limits)?;
                compare_schema(&conn, self.schema_version)?;
                integrity_check(&conn)?;
            }
            checked_integrity = true;
            let mut conn = open_defensive(&path, true, limits)?;
            super::migrations()
                .to_latest(&mut conn)
                .map_err(|e| Error::Migration(e.to_string()))?;
        }
        let conn = open_defensive(&path, false, limits)?;
        compare_schema(&conn, SCHEMA_VERSION)?;

        // Count first: a file with too many rows is refused before it is read.
        let mut rows = Vec::new();
        let mut total: u64 = 0;
        for kind in RecordKind::ALL {
            let sql = format!("SELECT COUNT(*) FROM \"{}\"", kind.desc().table);
            let n: i64 = conn.query_row(&sql, [], |r| r.get(0)).map_err(untrusted)?;
            total += n as u64;
            rows.push((*kind, n as u64));
        }
        let settings: i64 = conn
            .query_row("SELECT COUNT(*) FROM settings", [], |r| r.get(0))
            .map_err(untrusted)?;
        total += settings as u64;
        if total > limits.max_rows || settings as u64 > MAX_SETTINGS_ROWS {
            return Err(Error::TooManyRows {
                rows: total,
                limit: limits.max_rows,
            });
        }

        // The integrity check, the fingerprint and the value checks of each table are
        // independent reads of the copy: run them on every core, largest first.
        let newest_allowed = super::now_ms() + MAX_CLOCK_SKEW_MS;
        let mut tasks: Vec<(u64, Task)> = rows
            .iter()
            .map(|(kind, n)| (*n, Task::Table(*kind)))
            .collect();
        if !checked_integrity {
            tasks.push((total / 2, Task::IntegrityCheck));
        }
        if fingerprint.is_none() {
            tasks.push((total / 4, Task::Fingerprint));
        }

        tasks.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
        let outcomes = run_tasks(&path, limits, &tasks, domain, newest_allowed, self.format)?;
        let mut high_stamp = 0;
        let mut fingerprint = fingerprint.unwrap_or_default();
        let mut held = Held::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Done => {}
                Outcome::Fingerprint(hash) => fingerprint = hash,
                Outcome::Newest(ms, of_table) => {
                    high_stamp = high_stamp.max(ms);
                    for (office, stamp) in of_table {
                        let entry = held.entry(office).or_insert(stamp);
                        *entry = (*entry).max(stamp);
                    }
                }
            }
        }
        if held.len() > MAX_OFFICES {
            return Err(Error::BadValue {
                table: "*".into(),
                column: "updated_by".into(),
                detail: format!("writes of more than {MAX_OFFICES} offices"),
            });
        }

        let (office_id, office_name, mut claims) = read_settings(&conn, newest_allowed)?;
        claims.retain(|(office, _)| office != &office_id);
        let mut held: Vec<(String, i64)> = held.into_iter().collect();
        held.sort();
        Ok(CheckedIncoming {
            copy: self.copy,
            source: self.source,
            fingerprint,
            bytes: self.bytes,
            office_id,
            office_name,
            schema_version: self.schema_version,
            rows,
            high_stamp,
            held,
            claims,
        })
    }
}

/// Runs the tasks on up to two workers, each with its own defensive connection.
/// Errors are reported in a fixed order (damage first, then by task), whichever
/// worker met them first.
fn run_tasks(
    path: &Path,
    limits: &IncomingLimits,
    tasks: &[(u64, Task)],
    domain: &DomainOf,
    newest_allowed: i64,
    format: [u8; 2],
) -> Result<Vec<Outcome>> {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Vec<Mutex<Option<Result<Outcome>>>> =
        tasks.iter().map(|_| Mutex::new(None)).collect();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 2);
    let work = || {
        let conn = match open_defensive(path, false, limits).and_then(|conn| {
            // Each worker reads a large part of the file once or twice.
            conn.execute_batch("PRAGMA cache_size = -32768")?;
            Ok(conn)
        }) {
            Ok(conn) => conn,
            Err(e) => {
                failed.store(true, Ordering::Relaxed);
                if let Ok(mut slot) = results[0].lock() {
                    slot.get_or_insert(Err(e));
                }
                return;
            }
        };
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= tasks.len() || failed.load(Ordering::Relaxed) {
                break;
            }
            let outcome = match tasks[i].1 {
                Task::IntegrityCheck => integrity_check(&conn).map(|_| Outcome::Done),
                Task::Fingerprint => {
                    fingerprint_with_format(path, u64::MAX, Some(format), &limits.cancel)
                        .map(|(hash, _)| Outcome::Fingerprint(hash))
                }
                Task::Table(kind) => check_table(&conn, kind, domain, newest_allowed)
                    .map(|(newest, held)| Outcome::Newest(newest, held)),
            };
            if outcome.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            if let Ok(mut slot) = results[i].lock() {
                *slot = Some(outcome);
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..workers {
            scope.spawn(work);
        }
        work();
    });
    let mut outcomes = Vec::with_capacity(tasks.len());
    let mut first_error: Option<Error> = None;
    for slot in results {
        match slot.into_inner().ok().flatten() {
            Some(Ok(outcome)) => outcomes.push(outcome),
            Some(Err(e)) => {
                // Damage explains everything else: it is reported first.
                let replace = match &first_error {
                    None => true,
                    Some(Error::Corrupt(_)) => false,
                    Some(_) => matches!(e, Error::Corrupt(_)),
                };
                if replace {
                    first_error = Some(e);
                }
            }
            // Skipped after another task failed.
            None => {}
        }
    }
    match first_error {
        Some(e) => Err(e),
        None if outcomes.len() == tasks.len() => Ok(outcomes),
        None => Err(Error::Corrupt("the check did not complete".into())),
    }
}

type OfficeFacts = (String, String, Vec<(String, i64)>);

/// The sender's identity and what it knows of each office's writes.
fn read_settings(conn: &Connection, newest_allowed: i64) -> Result<OfficeFacts> {
    let mut stmt = conn
        .prepare("SELECT key, value FROM settings WHERE typeof(key) = 'text' AND typeof(value) = 'text' AND length(key) <= 200 AND length(value) <= 1000")
        .map_err(untrusted)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .map_err(untrusted)?;
    let mut office_id = None;
    let mut office_name = None;
    let mut known = Vec::new();
    let bad = |detail: String| Error::BadValue {
        table: "settings".into(),
        column: "value".into(),
        detail,
    };
    for row in rows {
        let (key, value) = row.map_err(untrusted)?;
        match key.as_str() {
            "office_id" => office_id = Some(value),
            "office_name" => office_name = Some(value),
            _ => {
                if let Some(office) = key.strip_prefix(KNOWN_STAMP_PREFIX) {
                    let stamp: i64 = value
                        .parse()
                        .map_err(|_| bad(format!("{key} is not a number")))?;
                    if stamp > newest_allowed {
                        return Err(clock_ahead(stamp, newest_allowed));
                    }
                    if stamp < 0 {
                        return Err(bad(format!("{key} is negative")));
                    }
                    known.push((office.to_string(), stamp));
                }
            }
        }
    }
    let office_id = office_id
        .filter(|id| {
            !id.is_empty()
                && id.len() as i64 <= MAX_ID_CHARS
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .ok_or_else(|| Error::NotCabildo("the file has no valid office identity".into()))?;
    Ok((office_id, office_name.unwrap_or_default(), known))
}
