//! Adopting a received file as the database (issue 10, point 5). The file arrived
//! from elsewhere (a mail attachment in the mail client's temporary folder, a USB
//! stick): it has passed every check a merge runs (`exchange::adopt`), and its
//! checked private copy, already in the data folder, becomes a database of its own
//! there under a name no other file has. The sender's file is never opened in place.
//!
//! Whose file it is, the user says:
//! - **the same office moving computers**: the copy keeps the office identity;
//! - **a new office** starting from another's file: the copy gets an identity of its
//!   own, so that two offices never share one (a shared id would make each office's
//!   writes look like the other's own, and the merge rules that trust an office's
//!   knowledge of its own writes would no longer hold).
//!
//! In both cases what the file says it knows of other offices' writes
//! (`known_stamp:*`) is kept only as far as the file proves it, by the rule of a
//! merge: never beyond the newest write of that office the file holds. A new office
//! knows the original office's writes exactly up to the newest one the copy holds,
//! so a later merge between the two sees the original's later edits as updates and
//! the new office's edits as its own, not as conflicts.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::incoming::{defend, CheckedIncoming, KNOWN_STAMP_PREFIX, MAX_OFFICES};
use super::{backups, new_id, Store};
use crate::error::{Error, Result};

/// Whose database a received file becomes.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdoptAs {
    /// The user's own office moving computers: the office identity stays.
    SameOffice,
    /// A new office starting from the file: a new office id, and this name.
    NewOffice { name: String },
}

/// Gives the checked copy its identity, moves it into `data_dir` under a free name
/// and opens it. On failure nothing is left in the data folder.
pub(crate) fn adopt_checked(
    checked: CheckedIncoming,
    data_dir: &Path,
    adopt_as: &AdoptAs,
) -> Result<Store> {
    let new_office = match adopt_as {
        AdoptAs::SameOffice => None,
        AdoptAs::NewOffice { name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(Error::invalid("name", "required"));
            }
            if name.chars().count() > super::MAX_OFFICE_NAME_CHARS {
                return Err(Error::invalid("name", "too_long"));
            }
            Some((new_id(), name.to_string()))
        }
    };
    set_identity(checked.copy.path(), &checked, new_office.as_ref())?;
    let target = place(checked.copy.path(), data_dir, &checked.source)?;
    // The private copy (`checked`) is removed when dropped; its content lives on
    // under the new name.
    drop(checked);
    // The kept history must read back (a forged entry would leave the conflict
    // log and the merge history failing on every call).
    let opened = Store::open_existing(&target).and_then(|store| {
        store.merge_history()?;
        store.conflict_log(true)?;
        Ok(store)
    });
    match opened {
        Ok(store) => Ok(store),
        Err(e) => {
            remove_with_companions(&target);
            Err(e)
        }
    }
}

/// Writes the office identity of the copy and the knowledge it keeps, in one
/// transaction of the private copy (never of the sender's file).
fn set_identity(
    copy: &Path,
    checked: &CheckedIncoming,
    new_office: Option<&(String, String)>,
) -> Result<()> {
    let conn = Connection::open_with_flags(
        copy,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Checked, but received: nothing of its schema runs while it is written.
    defend(&conn)?;
    let held = |office: &str| {
        checked
            .held
            .iter()
            .find(|(o, _)| o == office)
            .map(|(_, stamp)| *stamp)
    };
    // The office's settings pass the rules typed settings pass (`check_office`).
    let mut office = super::read_office(&conn)?;
    if let Some((_, name)) = new_office {
        office.name = name.clone();
    }
    super::check_office(&office)?;
    let office_id = new_office
        .map(|(id, _)| id.as_str())
        .unwrap_or(&checked.office_id);
    let mut known: Vec<(String, i64)> = Vec::new();
    for (office, claim) in &checked.claims {
        // What the file claims, capped by what it holds of that office (a merge
        // believes no more: `Store::believed_knowledge`).
        if office == office_id {
            continue;
        }
        if let Some(stamp) = held(office) {
            known.push((office.clone(), (*claim).min(stamp)));
        }
    }
    if new_office.is_some() {
        // The new office holds the original office's writes up to the newest one
        // in the copy, and knows them: they are the records it starts from.
        known.retain(|(office, _)| office != &checked.office_id);
        if let Some(stamp) = held(&checked.office_id) {
            known.push((checked.office_id.clone(), stamp));
        }
    }
    known.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    known.truncate(MAX_OFFICES);

    conn.execute_batch("BEGIN IMMEDIATE")?;
    let written = (|| -> Result<()> {
        conn.execute(
            "DELETE FROM settings WHERE substr(key, 1, length(?1)) = ?1",
            [KNOWN_STAMP_PREFIX],
        )?;
        let mut insert = conn.prepare("INSERT INTO settings (key, value) VALUES (?1, ?2)")?;
        for (office, stamp) in &known {
            insert.execute(params![
                format!("{KNOWN_STAMP_PREFIX}{office}"),
                stamp.to_string()
            ])?;
        }
        if new_office.is_some() {
            // Another office's merges, conflicts and imports are no history of the new one.
            conn.execute_batch(
                "DELETE FROM conflict_log; DELETE FROM merge_history; DELETE FROM import_history;",
            )?;
        }
        if let Some((id, name)) = new_office {
            let mut set = conn.prepare(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?;
            set.execute(["office_id", id])?;
            set.execute(["office_name", name])?;
        }
        Ok(())
    })();
    match written {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    drop(conn);
    std::fs::File::open(copy)?.sync_all()?;
    Ok(())
}

/// The names a database may take in the data folder: the received file's name, then
/// the same with a number.
/// Never the app's own databases (they would open the sender's data), and a stem
/// short enough for every file system's 255-byte names with its companions' suffixes.
fn candidate_names(source: &Path) -> impl Iterator<Item = String> {
    const MAX_STEM_BYTES: usize = 200;
    let mut stem = source
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty() && !s.starts_with('.'))
        .unwrap_or_else(|| "cabildo".to_string());
    if stem.len() > MAX_STEM_BYTES {
        let mut cut = MAX_STEM_BYTES;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    (1..=999)
        .map(move |n| match n {
            1 => format!("{stem}.cabildo"),
            n => format!("{stem} ({n}).cabildo"),
        })
        .filter(|name| {
            ![crate::files::DEFAULT_DATABASE, crate::files::DEMO_DATABASE]
                .iter()
                .any(|own| name.eq_ignore_ascii_case(own))
        })
}

/// SQLite's companions of a database file.
const COMPANIONS: [&str; 4] = ["", "-journal", "-wal", "-shm"];

fn remove_with_companions(path: &Path) {
    for suffix in COMPANIONS {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// Gives the copy a name of its own in `data_dir`, never over another file (nor
/// beside a journal or log left under that name, which SQLite would replay into it).
/// A hard link, which fails when the name is taken; a copy where links are not
/// supported.
fn place(copy: &Path, data_dir: &Path, source: &Path) -> Result<PathBuf> {
    for name in candidate_names(source) {
        let target = data_dir.join(&name);
        let taken = COMPANIONS
            .iter()
            .any(|suffix| Path::new(&format!("{}{suffix}", target.display())).exists());
        if taken {
            continue;
        }
        let placed = std::fs::hard_link(copy, &target).or_else(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                return Err(e);
            }
            copy_new(copy, &target)
        });
        match placed {
            Ok(()) => {
                backups::sync_dir(data_dir);
                return Ok(target);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::AlreadyExists(format!(
        "{}: every name for it is taken in {}",
        source.display(),
        data_dir.display()
    )))
}

/// Copies `from` to a new file `to` (refused when `to` exists), synced.
fn copy_new(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    let copied =
        std::io::copy(&mut std::fs::File::open(from)?, &mut target).and_then(|_| target.sync_all());
    if copied.is_err() {
        let _ = std::fs::remove_file(to);
    }
    copied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_received_file_then_take_a_number() {
        let names: Vec<String> = candidate_names(Path::new("/tmp/mail/Oficina Norte.cabildo"))
            .take(3)
            .collect();
        assert_eq!(
            names,
            [
                "Oficina Norte.cabildo",
                "Oficina Norte (2).cabildo",
                "Oficina Norte (3).cabildo"
            ]
        );
        // A name of no use falls back to "cabildo", never the app's own file.
        assert_eq!(
            candidate_names(Path::new("/tmp/.cabildo"))
                .next()
                .as_deref(),
            Some("cabildo (2).cabildo")
        );
        assert!(!candidate_names(Path::new("/mail/DEMO.cabildo")).any(|n| n == "DEMO.cabildo"));
    }
}
