//! The record of spreadsheets brought in (issue 12): which file, sheet and kind, when,
//! by which office, the counts, and the ids written, so that undoing an import sends
//! exactly its records to the trash.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::kinds::RecordKind;
use crate::store::{new_id, now_ms, Store};

/// One import as recorded.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct ImportEntry {
    pub id: String,
    /// UTC milliseconds.
    pub imported_at: i64,
    pub office_id: String,
    pub office_name: String,
    /// The file's name, without its folders.
    pub source_file: String,
    /// SHA-256 of the file's bytes.
    pub fingerprint: String,
    pub sheet: String,
    pub kind: RecordKind,
    pub records: usize,
    pub rows_left_out: usize,
    pub record_ids: Vec<String>,
    pub undone_at: Option<i64>,
}

#[derive(Serialize, serde::Deserialize)]
struct Counts {
    records: usize,
    rows_left_out: usize,
}

const COLUMNS: &str = "id, imported_at, office_id, office_name, source_file, fingerprint, sheet, kind, counts_json, record_ids_json, undone_at";

/// A row as stored: the entry's columns, then its kind, counts and ids as text.
type StoredRow = (ImportEntry, String, String, String);

fn entry(row: &rusqlite::Row) -> rusqlite::Result<StoredRow> {
    Ok((
        ImportEntry {
            id: row.get(0)?,
            imported_at: row.get(1)?,
            office_id: row.get(2)?,
            office_name: row.get(3)?,
            source_file: row.get(4)?,
            fingerprint: row.get(5)?,
            sheet: row.get(6)?,
            kind: RecordKind::CostEntry,
            records: 0,
            rows_left_out: 0,
            record_ids: Vec::new(),
            undone_at: row.get(10)?,
        },
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
    ))
}

fn finish((mut e, kind, counts, ids): StoredRow) -> Result<ImportEntry> {
    e.kind = RecordKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| Error::Corrupt(format!("import {} names no kind", e.id)))?;
    let counts: Counts = serde_json::from_str(&counts)?;
    e.records = counts.records;
    e.rows_left_out = counts.rows_left_out;
    e.record_ids = serde_json::from_str(&ids)?;
    Ok(e)
}

impl Store {
    /// The live costs of one city and membership (`""`: none), as JSON objects of
    /// the fields that tell two costs apart, for an import's duplicate check.
    pub(crate) fn cost_identities(
        &self,
        city_id: &str,
        membership_id: &str,
    ) -> Result<Vec<serde_json::Map<String, serde_json::Value>>> {
        use serde_json::Value;
        let table = RecordKind::CostEntry.desc().table;
        let mut statement = self.conn().prepare_cached(&format!(
            "SELECT spent_on, amount_minor, hours, currency, membership_id, category FROM {table} \
             WHERE deleted = 0 AND city_id = ?1 AND coalesce(membership_id, '') = ?2"
        ))?;
        let rows = statement.query_map([city_id, membership_id], |row| {
            let mut stored = serde_json::Map::new();
            stored.insert("spent_on".into(), Value::from(row.get::<_, String>(0)?));
            stored.insert("amount_minor".into(), row.get::<_, Option<i64>>(1)?.into());
            stored.insert("hours".into(), row.get::<_, Option<f64>>(2)?.into());
            stored.insert("currency".into(), row.get::<_, Option<String>>(3)?.into());
            stored.insert(
                "membership_id".into(),
                row.get::<_, Option<String>>(4)?.into(),
            );
            stored.insert("category".into(), Value::from(row.get::<_, String>(5)?));
            Ok(stored)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records an import of `record_ids` (inside the import's transaction).
    pub fn record_import(
        &mut self,
        source_file: &str,
        fingerprint: &str,
        sheet: &str,
        kind: RecordKind,
        record_ids: &[String],
        rows_left_out: usize,
    ) -> Result<String> {
        let id = new_id();
        let office = self.office().clone();
        self.conn.execute(
            &format!("INSERT INTO import_history ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL)"),
            params![
                id,
                now_ms(),
                office.id,
                office.name,
                source_file,
                fingerprint,
                sheet,
                kind.as_str(),
                serde_json::to_string(&Counts {
                    records: record_ids.len(),
                    rows_left_out
                })?,
                serde_json::to_string(record_ids)?,
            ],
        )?;
        Ok(id)
    }

    /// Every import, newest first.
    pub fn imports(&self) -> Result<Vec<ImportEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM import_history ORDER BY imported_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map([], entry)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// The import of this file (by fingerprint), sheet and kind that still stands.
    pub fn import_standing(
        &self,
        fingerprint: &str,
        sheet: &str,
        kind: RecordKind,
    ) -> Result<Option<ImportEntry>> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM import_history
                     WHERE fingerprint = ?1 AND sheet = ?2 AND kind = ?3 AND undone_at IS NULL
                     ORDER BY imported_at DESC LIMIT 1"
                ),
                params![fingerprint, sheet, kind.as_str()],
                entry,
            )
            .optional()?;
        found.map(finish).transpose()
    }

    /// Sends the records of an import that are still live to the trash, in one
    /// transaction, and marks the import undone. Returns how many went.
    pub fn undo_import(&mut self, import_id: &str) -> Result<usize> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM import_history WHERE id = ?1"),
                [import_id],
                entry,
            )
            .optional()?;
        let import = match found {
            Some(row) => finish(row)?,
            None => return Err(Error::NotFound(format!("import {import_id}"))),
        };
        if import.undone_at.is_some() {
            return Err(Error::invalid_because(
                "import",
                "already_undone",
                import_id,
            ));
        }
        self.transaction(|store| {
            let mut trashed = 0;
            for id in &import.record_ids {
                if store.exists(import.kind, id)? {
                    store.delete(import.kind, id)?;
                    trashed += 1;
                }
            }
            store.conn.execute(
                "UPDATE import_history SET undone_at = ?2 WHERE id = ?1",
                params![import_id, now_ms()],
            )?;
            Ok(trashed)
        })
    }

    /// Saves the mapping (and the values chosen) of a sheet of this header shape, as
    /// JSON, replacing an earlier one.
    pub fn save_import_mapping(
        &mut self,
        shape: &str,
        kind: RecordKind,
        headers: &[String],
        mapping_json: &str,
        values_json: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO import_mapping (shape, kind, headers_json, mapping_json, values_json, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                shape,
                kind.as_str(),
                serde_json::to_string(headers)?,
                mapping_json,
                values_json,
                now_ms()
            ],
        )?;
        Ok(())
    }

    /// The mapping and values (JSON) saved for a header shape.
    pub fn import_mapping(&self, shape: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT mapping_json, values_json FROM import_mapping WHERE shape = ?1",
                [shape],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
