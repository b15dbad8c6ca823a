//! What each column of each record kind is, for people and for checks, as the kind's
//! description (`kinds.rs`) says: its words, its domain, its currency, its reference.

use crate::format::Lang;
use crate::kinds::{FieldType, RecordKind};
use crate::store::incoming::ColumnDomain;

/// True for columns holding a calendar date (`YYYY-MM-DD`).
pub fn is_date(kind: RecordKind, column: &str) -> bool {
    matches!(kind.field(column), Some(f) if f.ty == FieldType::Date)
}

/// The currency column that goes with a money column, if it is one.
pub fn money_currency(kind: RecordKind, column: &str) -> Option<&'static str> {
    match kind.field(column)?.ty {
        FieldType::Money { currency } => Some(currency),
        _ => None,
    }
}

/// The domain of a column beyond its SQL type, as a received file is checked.
pub fn domain(kind: RecordKind, column: &str) -> ColumnDomain {
    match kind.field(column).map(|f| f.ty) {
        Some(FieldType::Enum { values, .. }) => {
            ColumnDomain::OneOf(values.iter().map(|v| v.code.to_string()).collect())
        }
        Some(FieldType::Date) => ColumnDomain::Date,
        Some(FieldType::Currency) => ColumnDomain::Currency,
        _ => ColumnDomain::Free,
    }
}

/// The sheet (or file) name of a kind.
pub fn kind_label(kind: RecordKind, lang: Lang) -> &'static str {
    kind.plural(lang)
}

/// A column's name for people (the column's own name when the kind does not know it).
pub fn column_label(kind: RecordKind, column: &str, lang: Lang) -> String {
    match kind.field(column) {
        Some(field) => field.label(lang).to_string(),
        None => column.to_string(),
    }
}

/// The kind whose records a reference column points to.
pub fn reference_kind(kind: RecordKind, column: &str) -> Option<RecordKind> {
    match kind.field(column)?.ty {
        FieldType::Ref(target) => Some(target),
        _ => None,
    }
}

/// The word of an enumeration's value in a column, if the column is an enumeration.
pub fn enum_word(kind: RecordKind, column: &str, code: &str, lang: Lang) -> Option<&'static str> {
    match kind.field(column)?.ty {
        FieldType::Enum { values, .. } => values
            .iter()
            .find(|v| v.code == code)
            .map(|v| lang.pick(v.es, v.en)),
        _ => None,
    }
}
