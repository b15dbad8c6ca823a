//! The rules of each kind applied to every received row. A row of a received file is
//! read as its kind's typed record and checked by the same rules as an edit typed
//! here (the kind's `validate`, and the store's generic rules: text lengths, money
//! bounds, currencies), so a value no form would accept never enters through a merge
//! and never spreads to the next office. Done while the plan is computed: a file that
//! breaks a rule is refused before anything is written.
//!
//! Two parts of the rules read differently for received rows:
//! - a reference must name a record of the local file or of the received one, live or
//!   in the trash (a peer may have added a meeting to a membership deleted here
//!   meanwhile: that is a merge, not a forgery);
//! - rules over several records (one open thesis per membership, one rate per currency
//!   and day, shares up to 100 %) are not reasons to refuse a file: two offices may
//!   each have written one side. They stay rules of editing; the figures warn about
//!   what the merge brings together (`shares_over_100`).

use std::sync::atomic::Ordering;

use serde_json::Value as Json;

use super::merge::INCOMING;
use super::{row_to_json, Store};
use crate::error::{Error, Result, RuleBreak};
use crate::kinds::RecordKind;

/// Rule breaks named in a refusal; the file is refused at the first, the rest of the
/// few are collected only to say more than one when there is more than one.
pub const LISTED_BREAKS: usize = 5;

/// Sets the store's received-rows scope for as long as it lives.
struct ReceivedScope<'a>(&'a Store);

impl<'a> ReceivedScope<'a> {
    fn enter(store: &'a Store) -> ReceivedScope<'a> {
        store.received_refs.borrow_mut().clear();
        store.received_scope.store(true, Ordering::Relaxed);
        ReceivedScope(store)
    }
}

impl Drop for ReceivedScope<'_> {
    fn drop(&mut self) {
        self.0.received_scope.store(false, Ordering::Relaxed);
        // Another check may follow other writes: nothing found here is kept.
        *self.0.received_refs.borrow_mut() = Default::default();
    }
}

/// The most references remembered during one check (about 60 MB of ids); past it,
/// each is looked up again.
const REMEMBERED_REFS: usize = 1_000_000;

/// The field a serde refusal is about: the one whose value it quotes.
fn field_named_in(message: &str, record: &Json) -> String {
    let Some(object) = record.as_object() else {
        return String::new();
    };
    object
        .iter()
        .find(|(_, value)| {
            let quoted = match value {
                Json::String(s) => format!("`{s}`"),
                Json::Number(n) => format!("`{n}`"),
                _ => return false,
            };
            message.contains(&quoted)
        })
        .map(|(name, _)| name.clone())
        .unwrap_or_default()
}

/// The rule a refusal of a received row stands for, if it is a refusal by a rule.
fn rule_break(kind: RecordKind, id: &str, record: &Json, error: Error) -> Result<RuleBreak> {
    let (field, rule) = match error {
        Error::Invalid { field, rule, .. } => (field, rule.to_string()),
        Error::Json(e) => {
            let message = e.to_string();
            // serde says "invalid value: integer `2147483648`, expected i32" for a
            // number its field cannot hold, "invalid type" for the wrong kind of value.
            let rule = if message.contains("invalid value: integer") {
                "out_of_range"
            } else {
                "wrong_type"
            };
            (field_named_in(&message, record), rule.to_string())
        }
        other => return Err(other),
    };
    Ok(RuleBreak {
        kind,
        id: id.to_string(),
        field,
        rule,
    })
}

impl Store {
    /// True while received rows are being checked (see the module comment).
    pub(crate) fn checking_received(&self) -> bool {
        self.received_scope.load(Ordering::Relaxed)
    }

    /// A reference of a received row: a record of either file, live or not.
    pub(crate) fn received_reference_exists(&self, kind: RecordKind, id: &str) -> Result<bool> {
        use rusqlite::OptionalExtension;
        // Neither file changes during the check: a reference found once stays found.
        if self
            .received_refs
            .borrow()
            .get(&kind)
            .is_some_and(|found| found.contains(id))
        {
            return Ok(true);
        }
        let table = kind.desc().table;
        let sql = format!(
            "SELECT 1 FROM main.\"{table}\" WHERE id = ?1 UNION ALL SELECT 1 FROM {INCOMING}.\"{table}\" WHERE id = ?1 LIMIT 1"
        );
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if found {
            let mut refs = self.received_refs.borrow_mut();
            if refs.values().map(|f| f.len()).sum::<usize>() < REMEMBERED_REFS {
                refs.entry(kind).or_default().insert(id.to_string());
            }
        }
        Ok(found)
    }

    /// Checks every received row the local file does not already hold in that very
    /// version (an identical version was checked when it was written here), with the
    /// received copy attached. Refuses with the first few breaks.
    pub(crate) fn check_received_rows(&self) -> Result<()> {
        let _scope = ReceivedScope::enter(self);
        let mut breaks = Vec::new();
        for kind in RecordKind::ALL {
            let table = kind.desc().table;
            let columns = &self.columns[kind];
            let sql = format!(
                "SELECT {cols} FROM {INCOMING}.\"{table}\" i
                 WHERE NOT EXISTS (SELECT 1 FROM main.\"{table}\" l
                                   WHERE l.id = i.id AND l.updated_at = i.updated_at AND l.updated_by = i.updated_by)
                 ORDER BY i.rowid",
                cols = columns
                    .iter()
                    .map(|c| format!("i.\"{}\"", c.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let record = row_to_json(row, columns)?;
                let id = record
                    .get("id")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_string();
                if let Err(e) = self.check_received_json(*kind, &record) {
                    breaks.push(rule_break(*kind, &id, &record, e)?);
                    if breaks.len() >= LISTED_BREAKS {
                        return Err(Error::RecordRules(breaks));
                    }
                }
            }
        }
        if breaks.is_empty() {
            Ok(())
        } else {
            Err(Error::RecordRules(breaks))
        }
    }
}
