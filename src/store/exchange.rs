//! The queries of the exchange features other than the merge itself: rows for the
//! Excel and CSV exports, the CDP import's matching, and the peers overview.

use rusqlite::OptionalExtension;
use serde_json::{Map, Value as Json};

use super::Store;
use crate::error::Result;
use crate::kinds::RecordKind;

/// One imported city's memberships, as the peers overview counts them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PeerMembership {
    pub city_id: String,
    pub network_id: String,
}

impl Store {
    /// The column names of a kind's table, in order.
    pub fn column_names(&self, kind: RecordKind) -> Vec<String> {
        self.columns[&kind].iter().map(|c| c.name.clone()).collect()
    }

    /// The live records of a kind as field → value objects, in insertion order.
    pub fn records_json(&self, kind: RecordKind) -> Result<Vec<Map<String, Json>>> {
        let columns = &self.columns[&kind];
        let sql = format!(
            "SELECT * FROM \"{}\" WHERE deleted = 0 ORDER BY rowid",
            kind.desc().table
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| super::row_to_json(r, columns))?;
        let mut out = Vec::new();
        for row in rows {
            if let Json::Object(object) = row? {
                out.push(object);
            }
        }
        Ok(out)
    }

    /// Calls `each` with every live record of a kind in the order they were added,
    /// read one at a time (an export of millions holds one row, not the kind).
    pub fn for_each_record(
        &self,
        kind: RecordKind,
        mut each: impl FnMut(&Map<String, Json>) -> Result<()>,
    ) -> Result<u64> {
        let columns = &self.columns[&kind];
        let sql = format!(
            "SELECT * FROM \"{}\" WHERE deleted = 0 ORDER BY rowid",
            kind.desc().table
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(row) = rows.next()? {
            if let Json::Object(object) = super::row_to_json(row, columns)? {
                each(&object)?;
                n += 1;
            }
        }
        Ok(n)
    }

    /// How many live records a kind holds.
    pub fn count_live(&self, kind: RecordKind) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM \"{}\" WHERE deleted = 0",
            kind.desc().table
        );
        let n: i64 = self.conn.query_row(&sql, [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// The city holding a CDP account number, tombstoned or not.
    pub fn city_id_by_cdp_account(&self, account: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM city WHERE cdp_account = ?1 ORDER BY deleted, rowid")?
            .query_row([account], |r| r.get(0))
            .optional()?)
    }

    /// Live cities and their memberships among the cities imported from CDP,
    /// optionally of one country and one region.
    pub(crate) fn peer_memberships(
        &self,
        country: Option<&str>,
        region: Option<&str>,
    ) -> Result<(Vec<String>, Vec<PeerMembership>)> {
        let mut cities_stmt = self.conn.prepare(
            "SELECT c.id FROM city c
             WHERE c.deleted = 0 AND c.cdp_account IS NOT NULL
               AND (?1 IS NULL OR c.country = ?1) AND (?2 IS NULL OR c.region = ?2)
             ORDER BY c.rowid",
        )?;
        let mut cities = Vec::new();
        for id in cities_stmt.query_map(rusqlite::params![country, region], |r| r.get(0))? {
            cities.push(id?);
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT m.city_id, m.network_id FROM membership m
             JOIN city c ON c.id = m.city_id
             JOIN network n ON n.id = m.network_id
             WHERE m.deleted = 0 AND c.deleted = 0 AND n.deleted = 0 AND c.cdp_account IS NOT NULL
               AND (?1 IS NULL OR c.country = ?1) AND (?2 IS NULL OR c.region = ?2)",
        )?;
        let rows = stmt.query_map(rusqlite::params![country, region], |r| {
            Ok(PeerMembership {
                city_id: r.get(0)?,
                network_id: r.get(1)?,
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row?);
        }
        Ok((cities, out))
    }

    /// The countries and regions of the imported cities, for the peers filters.
    pub(crate) fn peer_places(&self) -> Result<(Vec<String>, Vec<String>)> {
        let list = |sql: &str| -> Result<Vec<String>> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            let mut out = Vec::new();
            for row in rows {
                out.push(row?);
            }
            Ok(out)
        };
        Ok((
            list("SELECT DISTINCT country FROM city WHERE deleted = 0 AND cdp_account IS NOT NULL ORDER BY country")?,
            list("SELECT DISTINCT region FROM city WHERE deleted = 0 AND cdp_account IS NOT NULL AND region IS NOT NULL ORDER BY region")?,
        ))
    }
}
