//! Backups of the local file, taken before every merge that writes and before a
//! restore. They live in a `backups/` folder next to the file, named after it and the
//! moment they were taken. Rotation keeps the newest `KEEP_BACKUPS`, and drops those
//! older than `MAX_BACKUP_AGE_DAYS` beyond the newest `ALWAYS_KEPT`; it runs only
//! after the write a backup protects has committed, never removes that backup, and a
//! failed attempt leaves no file to count. Each backup is synced, and so is the folder
//! after it takes its name.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::incoming::CheckedIncoming;
use super::Store;
use crate::error::{Error, Result};
use crate::files;
use crate::kinds::RecordKind;

/// How many backups of a file are kept.
pub const KEEP_BACKUPS: usize = 10;
/// Backups older than this are removed, beyond the newest `ALWAYS_KEPT`.
pub const MAX_BACKUP_AGE_DAYS: i64 = 180;
/// The newest backups are kept whatever their age (an office that merges twice a year
/// still has something to go back to).
pub const ALWAYS_KEPT: usize = 3;
const BACKUP_DIR: &str = "backups";
const STAMP_FORMAT: &str = "%Y%m%d-%H%M%S%.3f";
const EXTENSION: &str = "cabildo";

/// One backup file.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub path: String,
    pub file_name: String,
    /// When it was taken (UTC milliseconds).
    #[ts(type = "number")]
    pub taken_at: i64,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The backups folder of a database file.
pub fn backups_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(BACKUP_DIR)
}

/// Flushes a folder's entries (a rename is durable only once its folder is).
pub(crate) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes the `.partial` files a crash left in the backups folder.
pub fn remove_leftovers(db_path: &Path) {
    let Ok(entries) = std::fs::read_dir(backups_dir(db_path)) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().ends_with(".partial") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Applies the rotation (see the module comment), never removing `protected`.
pub(crate) fn rotate(db_path: &Path, protected: &Path) -> Result<()> {
    let backups = list_backups(db_path)?;
    let oldest_kept = chrono::Utc::now().timestamp_millis() - MAX_BACKUP_AGE_DAYS * 86_400_000;
    for (rank, old) in backups.iter().enumerate() {
        if Path::new(&old.path) == protected || rank < ALWAYS_KEPT {
            continue;
        }
        if rank >= KEEP_BACKUPS || old.taken_at < oldest_kept {
            let _ = std::fs::remove_file(&old.path);
        }
    }
    sync_dir(&backups_dir(db_path));
    Ok(())
}

fn stem(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "cabildo".into())
}

/// Copies the main file of a database whose log is empty and whose write lock is
/// held, then marks the copy as a rollback-journal file (header bytes 18 and 19) so
/// it stands alone without -wal and -shm companions.
fn copy_main_file(db_path: &Path, target: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    std::fs::copy(db_path, target)?;
    let mut file = std::fs::OpenOptions::new().write(true).open(target)?;
    file.seek(SeekFrom::Start(18))?;
    file.write_all(&[1, 1])?;
    file.sync_all()?;
    Ok(())
}

/// The backups of a database file, newest first.
pub fn list_backups(db_path: &Path) -> Result<Vec<BackupInfo>> {
    let dir = backups_dir(db_path);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let prefix = format!("{}-", stem(db_path));
    let suffix = format!(".{EXTENSION}");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stamp) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(&suffix))
        else {
            continue;
        };
        let Ok(taken) = chrono::NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT) else {
            continue;
        };
        out.push(BackupInfo {
            path: entry.path().display().to_string(),
            file_name: name,
            taken_at: taken.and_utc().timestamp_millis(),
            bytes: entry.metadata()?.len(),
        });
    }
    out.sort_by(|a, b| {
        b.taken_at
            .cmp(&a.taken_at)
            .then(b.file_name.cmp(&a.file_name))
    });
    Ok(out)
}

impl Store {
    /// Copies the database as it is now into its backups folder and drops the oldest
    /// backups beyond `KEEP_BACKUPS`. None for an in-memory database.
    pub fn backup_to_folder(&self) -> Result<Option<BackupInfo>> {
        let backup = self.begin_with_backup();
        let ended = self
            .conn
            .execute_batch(if backup.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let backup = backup?;
        ended?;
        self.rotate_after(&backup)?;
        Ok(backup)
    }

    /// Rotation once the write a backup protects has committed.
    pub(crate) fn rotate_after(&self, backup: &Option<BackupInfo>) -> Result<()> {
        match (&self.path, backup) {
            (Some(db_path), Some(backup)) => rotate(db_path, Path::new(&backup.path)),
            _ => Ok(()),
        }
    }

    /// A backup whose write failed (rolled back) is the state the file is still in:
    /// it is removed, so that failed attempts never push older backups out.
    pub(crate) fn discard_backup(backup: &Option<BackupInfo>) {
        if let Some(backup) = backup {
            let _ = std::fs::remove_file(&backup.path);
        }
    }

    /// Opens a write transaction (`BEGIN IMMEDIATE`) and backs the database up inside
    /// it, so nothing can come between the backup and the writes that follow. The
    /// caller commits or rolls back.
    ///
    /// The write-ahead log is first folded into the main file; with the log empty and
    /// the write lock held, the main file alone is a consistent snapshot and is copied
    /// as a file (in the kernel, about as fast as the disk). When the log cannot be
    /// emptied (another process is reading), SQLite's backup API copies page by page.
    pub(crate) fn begin_with_backup(&self) -> Result<Option<BackupInfo>> {
        let Some(db_path) = self.path.clone() else {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            return Ok(None);
        };
        let folded: bool = self
            .conn
            .query_row("PRAGMA main.wal_checkpoint(TRUNCATE)", [], |r| {
                Ok(r.get::<_, i64>(0)? == 0)
            })
            .unwrap_or(false);
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let wal = PathBuf::from(format!("{}-wal", db_path.display()));
        let log_empty = std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true);
        let journal: String = self
            .conn
            .query_row("PRAGMA main.journal_mode", [], |r| r.get(0))?;
        let as_file = folded && log_empty && journal.eq_ignore_ascii_case("wal");
        let dir = backups_dir(&db_path);
        std::fs::create_dir_all(&dir)?;
        let (target, taken_at) = loop {
            let now = chrono::Utc::now();
            let stamp = now.format(STAMP_FORMAT).to_string();
            let candidate = dir.join(format!("{}-{stamp}.{EXTENSION}", stem(&db_path)));
            if !candidate.exists() {
                break (candidate, now.timestamp_millis());
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        files::write_via_partial(&target, |partial| {
            if as_file {
                copy_main_file(&db_path, partial)
            } else {
                self.copy_database_to(partial)?;
                std::fs::File::open(partial)?.sync_all()?;
                Ok(())
            }
        })?;
        sync_dir(&dir);
        let bytes = std::fs::metadata(&target)?.len();
        Ok(Some(BackupInfo {
            path: target.display().to_string(),
            file_name: target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            taken_at,
            bytes,
        }))
    }

    /// A page-by-page copy through SQLite's backup API (consistent, and much faster
    /// than `VACUUM INTO`, which rebuilds every index), left in rollback-journal mode
    /// so the copy is one self-contained file.
    ///
    /// The pages are read through a connection of their own: this store's connection
    /// holds the write transaction, and SQLite refuses to back up from a connection
    /// that is writing (it answers "locked" for ever). With the write lock held here,
    /// the reading connection sees exactly the state the merge starts from.
    fn copy_database_to(&self, target: &Path) -> Result<()> {
        let Some(source_path) = self.path.as_deref() else {
            return Err(Error::Argument(
                "an in-memory database has no file to back up".into(),
            ));
        };
        let source =
            Connection::open_with_flags(source_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut copy = Connection::open(target)?;
        {
            let backup = Backup::new(&source, &mut copy)?;
            let mut waits = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::Busy | StepResult::Locked if waits < 200 => {
                        waits += 1;
                        std::thread::sleep(std::time::Duration::from_millis(50))
                    }
                    StepResult::Busy | StepResult::Locked => {
                        return Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                            Some("the database stayed busy during the backup".into()),
                        )))
                    }
                    _ => {}
                }
            }
        }
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        Ok(())
    }

    /// Replaces the whole database with a checked backup of this office's, after
    /// backing up the current state (so the restore itself can be undone).
    pub(crate) fn restore_checked(
        &mut self,
        checked: &CheckedIncoming,
    ) -> Result<Option<BackupInfo>> {
        if checked.office_id != self.office.id {
            return Err(Error::ForeignBackup(checked.office_name.clone()));
        }
        let safety = self.backup_to_folder()?;
        self.conn.restore(
            rusqlite::MAIN_DB,
            checked.copy.path(),
            None::<fn(rusqlite::backup::Progress)>,
        )?;
        self.office = super::read_office(&self.conn)?;
        // Stamps must keep growing: a restored older state must not make later writes
        // look older than ones already sent to other offices.
        let restored = self.data_stamp()?;
        self.observe_stamp(restored);
        self.notify_all(
            RecordKind::ALL
                .iter()
                .map(|kind| crate::store::Change {
                    kind: *kind,
                    ids: Vec::new(),
                })
                .collect(),
        );
        Ok(safety)
    }
}
