//! Lookups that the records' rules need.

use crate::error::Result;
use crate::kinds::RecordKind;
use crate::records::Lookup;
use crate::store::Store;

impl Lookup for Store {
    // Rules over several records do not refuse a received row (see `received.rs`).

    fn exists(&self, kind: RecordKind, id: &str) -> Result<bool> {
        Store::exists(self, kind, id)
    }

    fn open_thesis_other_than(&self, membership_id: &str, id: &str) -> Result<bool> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(false);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM thesis WHERE membership_id = ?1 AND id <> ?2 AND deleted = 0 AND verdict IS NULL",
            )?
            .query_row(
                [membership_id, id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn membership_city(&self, membership_id: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(None);
        }
        Ok(self
            .conn()
            .prepare_cached("SELECT city_id FROM membership WHERE id = ?1 AND deleted = 0")?
            .query_row([membership_id], |r| r.get(0))
            .optional()?)
    }

    fn rate_exists_other_than(
        &self,
        currency: &str,
        quote: &str,
        on: chrono::NaiveDate,
        id: &str,
    ) -> Result<bool> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(false);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM exchange_rate WHERE ((currency = ?1 AND quote_currency = ?2) OR (currency = ?2 AND quote_currency = ?1))
                   AND on_date = ?3 AND id <> ?4 AND deleted = 0",
            )?
            .query_row(
                rusqlite::params![currency, quote, on.to_string(), id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn attributed_share_other_than(&self, outcome_id: &str, id: &str) -> Result<i64> {
        if self.checking_received() {
            return Ok(0);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(SUM(share_bp), 0) FROM attribution WHERE outcome_id = ?1 AND id <> ?2 AND deleted = 0",
            )?
            .query_row([outcome_id, id], |r| r.get(0))?)
    }
    fn invoice_membership(&self, invoice_id: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(None);
        }
        Ok(self
            .conn()
            .prepare_cached("SELECT membership_id FROM invoice WHERE id = ?1 AND deleted = 0")?
            .query_row([invoice_id], |r| r.get(0))
            .optional()?)
    }

    fn budget_plan_other_than(&self, membership_id: &str, year: i32, id: &str) -> Result<bool> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(false);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM budget_plan WHERE membership_id = ?1 AND fiscal_year = ?2 AND id <> ?3 AND deleted = 0",
            )?
            .query_row(rusqlite::params![membership_id, year, id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn budget_rate_other_than(
        &self,
        currency: &str,
        quote: &str,
        year: i32,
        id: &str,
    ) -> Result<bool> {
        use rusqlite::OptionalExtension;
        if self.checking_received() {
            return Ok(false);
        }
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT 1 FROM budget_rate WHERE ((currency = ?1 AND quote_currency = ?2) OR (currency = ?2 AND quote_currency = ?1))
                   AND fiscal_year = ?3 AND id <> ?4 AND deleted = 0",
            )?
            .query_row(rusqlite::params![currency, quote, year, id], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

impl Store {
    /// The live catalog with, per network, the number of distinct cities holding an
    /// active membership.
    pub fn network_city_counts(&self) -> Result<Vec<(crate::model::Network, i64)>> {
        let networks: Vec<crate::model::Network> = self.list(None)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT COUNT(DISTINCT city_id) FROM membership WHERE network_id = ?1 AND deleted = 0 AND status = 'active'",
        )?;
        let mut out = Vec::with_capacity(networks.len());
        for n in networks {
            let count: i64 = stmt.query_row([&n.meta.id], |r| r.get(0))?;
            out.push((n, count));
        }
        Ok(out)
    }
}
