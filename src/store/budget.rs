//! What the budget cycle reads: the office's budget settings, the budget rates of a
//! fiscal year, invoices with their payments, and the latest thesis verdicts.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use crate::budget::{invoice_standing, BudgetSettings, InvoiceStanding, Payment};
use crate::error::Result;
use crate::model::{Invoice, Verdict};
use crate::money::RateTable;
use crate::store::roi::{date_col, enum_col};
use crate::store::Store;

impl Store {
    /// The office's budget settings; a value missing or out of its rules reads as the
    /// default (a received file's settings are its own office's).
    pub fn budget_settings(&self) -> Result<BudgetSettings> {
        let get = |key: &str| -> Result<Option<String>> {
            Ok(self
                .conn()
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?)
        };
        let default = BudgetSettings::default();
        let read = BudgetSettings {
            fiscal_year_start_month: get("fiscal_year_start_month")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(default.fiscal_year_start_month),
            discount_rate_pct: get("discount_rate_pct")?
                .and_then(|v| v.parse().ok())
                .unwrap_or(default.discount_rate_pct),
        };
        Ok(if read.check().is_ok() { read } else { default })
    }

    pub fn set_budget_settings(&mut self, settings: &BudgetSettings) -> Result<BudgetSettings> {
        settings.check()?;
        let tx = self.conn().unchecked_transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            )?;
            stmt.execute(params![
                "fiscal_year_start_month",
                settings.fiscal_year_start_month.to_string()
            ])?;
            stmt.execute(params![
                "discount_rate_pct",
                settings.discount_rate_pct.to_string()
            ])?;
        }
        tx.commit()?;
        self.budget_settings()
    }

    /// The budget rates of a fiscal year as a rate table dated `on` (its first day):
    /// conversions chain through them as through the daily rates.
    pub fn budget_rate_table(&self, year: i32, on: NaiveDate) -> Result<RateTable> {
        let mut stmt = self.conn().prepare(
            "SELECT id, currency, quote_currency, rate FROM budget_rate WHERE deleted = 0 AND fiscal_year = ?1",
        )?;
        let rows = stmt.query_map([year], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                on,
                r.get::<_, f64>(3)?,
            ))
        })?;
        Ok(RateTable::new(rows.collect::<rusqlite::Result<_>>()?))
    }

    /// Every live invoice (of a city's memberships) as of `as_of`, with its payments:
    /// the live dues costs that name it.
    pub fn invoice_standings(
        &self,
        city_id: Option<&str>,
        as_of: NaiveDate,
    ) -> Result<Vec<InvoiceStanding>> {
        let invoices: Vec<Invoice> = self.list(city_id)?;
        if invoices.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn().prepare(
            // A payment settles its own membership's invoice only: a received cost of
            // another membership naming it (the rule is not checked across records on
            // received rows) pays nothing.
            "SELECT c.invoice_id, c.spent_on, c.amount_minor, c.currency FROM cost_entry c
             JOIN invoice i ON i.id = c.invoice_id AND i.membership_id = c.membership_id
             WHERE c.deleted = 0 AND c.invoice_id IS NOT NULL AND c.category = 'dues'
               AND c.amount_minor IS NOT NULL AND c.currency IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                date_col(r, 1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut payments: HashMap<String, Vec<Payment>> = HashMap::new();
        for row in rows {
            let (invoice_id, on, amount_minor, currency) = row?;
            if let Some(paid_on) = on {
                payments
                    .entry(invoice_id.clone())
                    .or_default()
                    .push(Payment {
                        invoice_id,
                        paid_on,
                        amount_minor,
                        currency,
                    });
            }
        }
        let rates = self.rate_table()?;
        Ok(invoices
            .iter()
            .map(|inv| {
                let list: Vec<&Payment> = payments
                    .get(&inv.meta.id)
                    .map(|v| v.iter().collect())
                    .unwrap_or_default();
                invoice_standing(inv, &list, &rates, as_of)
            })
            .collect())
    }

    /// Per membership, the verdict of its latest reviewed thesis.
    pub fn latest_verdicts(&self, city_id: Option<&str>) -> Result<HashMap<String, Verdict>> {
        let mut stmt = self.conn().prepare(
            "SELECT t.membership_id, t.verdict FROM thesis t JOIN membership m ON m.id = t.membership_id
             WHERE t.deleted = 0 AND t.verdict IS NOT NULL AND (?1 IS NULL OR m.city_id = ?1)
             ORDER BY t.membership_id, COALESCE(t.reviewed_on, t.horizon_on), t.start_on, t.created_at",
        )?;
        let rows = stmt.query_map(params![city_id], |r| {
            Ok((r.get::<_, String>(0)?, enum_col::<Verdict>(r, 1)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (membership, verdict) = row?;
            if let Some(v) = verdict {
                // Ordered oldest first: the last one written stays.
                out.insert(membership, v);
            }
        }
        Ok(out)
    }
}
