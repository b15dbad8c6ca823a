//! Record operations chosen by kind at run time, with records as JSON values: what a
//! front end sends and receives. Each call is routed to the typed generic path, so the
//! same rules apply whatever the caller.

use serde_json::Value;

use crate::error::Result;
use crate::kinds::RecordKind;
use crate::model::*;
use crate::store::{Record, Store};

/// Calls `$body` with `$t` bound to the record type of `$kind`.
macro_rules! for_kind {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            RecordKind::City => {
                type $t = City;
                $body
            }
            RecordKind::Network => {
                type $t = Network;
                $body
            }
            RecordKind::FeeRule => {
                type $t = FeeRule;
                $body
            }
            RecordKind::Membership => {
                type $t = Membership;
                $body
            }
            RecordKind::Invoice => {
                type $t = Invoice;
                $body
            }
            RecordKind::BudgetPlan => {
                type $t = BudgetPlan;
                $body
            }
            RecordKind::Thesis => {
                type $t = Thesis;
                $body
            }
            RecordKind::Meeting => {
                type $t = Meeting;
                $body
            }
            RecordKind::CostEntry => {
                type $t = CostEntry;
                $body
            }
            RecordKind::RoleRate => {
                type $t = RoleRate;
                $body
            }
            RecordKind::ExchangeRate => {
                type $t = ExchangeRate;
                $body
            }
            RecordKind::BudgetRate => {
                type $t = BudgetRate;
                $body
            }
            RecordKind::Project => {
                type $t = Project;
                $body
            }
            RecordKind::Outcome => {
                type $t = Outcome;
                $body
            }
            RecordKind::Attribution => {
                type $t = Attribution;
                $body
            }
            RecordKind::Metric => {
                type $t = Metric;
                $body
            }
        }
    };
}

fn save<T: Record>(store: &mut Store, value: Value) -> Result<Value> {
    Ok(serde_json::to_value(save_typed::<T>(store, value)?)?)
}

/// The id saved, and the record as stored when asked (an import shows a few only).
fn save_id<T: Record>(
    store: &mut Store,
    value: Value,
    shown: bool,
) -> Result<(String, Option<Value>)> {
    let saved = save_typed::<T>(store, value)?;
    let value = if shown {
        Some(serde_json::to_value(&saved)?)
    } else {
        None
    };
    Ok((saved.meta().id.clone(), value))
}

fn save_typed<T: Record>(store: &mut Store, mut value: Value) -> Result<T> {
    // Numbers arrive as the user typed them; the core reads them, once, by the
    // office's number format.
    if let Value::Object(object) = &mut value {
        T::KIND.read_numbers(object, store.office().number_format)?;
    }
    let record: T = serde_json::from_value(value)?;
    if record.meta().id.is_empty() {
        store.insert(record)
    } else {
        store.update(record)
    }
}

fn list<T: Record>(store: &Store, city_id: Option<&str>) -> Result<Value> {
    Ok(serde_json::to_value(store.list::<T>(city_id)?)?)
}

fn get<T: Record>(store: &Store, id: &str) -> Result<Value> {
    Ok(serde_json::to_value(store.get::<T>(id)?)?)
}

/// A received row read as its typed record and checked by the kind's rules.
fn check_received<T: Record>(store: &Store, value: &Value) -> Result<()> {
    // Read from the borrowed value: a coordinator's file has millions of rows to check.
    let record = T::deserialize(value)?;
    match value.as_object() {
        Some(object) => store.check_rules(object, &record),
        None => Err(crate::error::Error::Argument(
            "record is not an object".into(),
        )),
    }
}

impl Store {
    /// Checks a received row (as JSON, column → value) by its kind's rules.
    pub(crate) fn check_received_json(&self, kind: RecordKind, record: &Value) -> Result<()> {
        for_kind!(kind, T => check_received::<T>(self, record))
    }

    /// The live records of a kind as JSON, optionally scoped to one city.
    pub fn list_json(&self, kind: RecordKind, city_id: Option<&str>) -> Result<Value> {
        for_kind!(kind, T => list::<T>(self, city_id))
    }

    pub fn get_json(&self, kind: RecordKind, id: &str) -> Result<Value> {
        for_kind!(kind, T => get::<T>(self, id))
    }

    /// Inserts the record when its id is empty, else updates it; returns it as stored.
    pub fn save_json(&mut self, kind: RecordKind, record: Value) -> Result<Value> {
        for_kind!(kind, T => save::<T>(self, record))
    }

    /// As `save_json`, by the same path, giving the id and, when `shown`, the record.
    pub(crate) fn save_json_id(
        &mut self,
        kind: RecordKind,
        record: Value,
        shown: bool,
    ) -> Result<(String, Option<Value>)> {
        for_kind!(kind, T => save_id::<T>(self, record, shown))
    }
}
