//! The one error type of the core. Every variant has a stable `code` that front ends
//! switch on (and translate); the English `Display` text is for logs and the CLI.

use serde::Serialize;
use ts_rs::TS;

use crate::kinds::RecordKind;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(thiserror::Error, Debug)]
pub enum Error {
    /// A value broke a data rule. `field` names the record field, `rule` the broken rule
    /// (a code such as `required` or `end_before_start`).
    #[error("invalid {field}: {rule}{}", detail_suffix(.detail))]
    Invalid {
        field: String,
        rule: &'static str,
        detail: String,
    },
    #[error("record not found: {0}")]
    NotFound(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("not a Cabildo database: {0}")]
    NotCabildo(String),
    #[error("this file was written by a newer Cabildo (schema {found}; this version reads up to {supported})")]
    NewerSchema { found: i64, supported: i64 },
    #[error("the database file is damaged: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("malformed data: {0}")]
    Json(#[from] serde_json::Error),
    #[error("bad argument: {0}")]
    Argument(String),
    /// Drawing, rasterising or writing a chart failed (not an input problem).
    #[error("chart rendering failed: {0}")]
    Chart(String),
    #[error("cancelled")]
    Cancelled,
    /// A sum beyond what a figure can hold (only hostile or mistyped data gets there).
    #[error("a figure is too large to compute ({0})")]
    Overflow(String),
    // ---- sharing between offices (issue 5) ----
    #[error("the file is too large to merge ({bytes} bytes; the limit is {limit})")]
    FileTooLarge { bytes: u64, limit: u64 },
    #[error("the file has {rows} rows or more; the limit is {limit}")]
    TooManyRows { rows: u64, limit: u64 },
    /// The file holds tables, columns, indexes, triggers or views this version does not write.
    #[error("the file's structure is not Cabildo's: {0}")]
    UnexpectedSchema(String),
    /// A stored value has the wrong type, is too long, or is outside its domain.
    #[error("the file holds a value Cabildo does not accept: {table}.{column} ({detail})")]
    BadValue {
        table: String,
        column: String,
        detail: String,
    },
    #[error("a file cannot be merged into itself: {0}")]
    MergeIntoItself(String),
    #[error("the merge would leave references to missing records: {0}")]
    DanglingReference(String),
    #[error("this backup belongs to another office ({0})")]
    ForeignBackup(String),
    #[error("the CSV file lacks the columns: {}", .missing.join(", "))]
    CsvColumns { missing: Vec<String> },
    #[error("line {line} of the CSV file is not UTF-8 text (save it as UTF-8 and try again)")]
    CsvEncoding { line: u64 },
    #[error("line {line} of the CSV file is malformed: {detail}")]
    CsvMalformed { line: u64, detail: String },
    // ---- files you can trust (issue 10) ----
    /// A received file holds stamps further ahead of this machine's clock than
    /// `MAX_CLOCK_SKEW_MS`: the sender's clock (or time zone) is wrong.
    #[error("the sender's clock is wrong: the file holds changes dated {ahead_minutes} minutes ahead of this computer's clock (at most {limit_minutes} are accepted)")]
    SenderClockAhead {
        ahead_minutes: i64,
        limit_minutes: i64,
    },
    /// Received records that break the rules of their kind, the first few of them.
    #[error("the file holds records that break Cabildo's rules: {}", describe_breaks(.0))]
    RecordRules(Vec<RuleBreak>),
}

/// One received record that breaks a rule of its kind.
#[derive(Serialize, serde::Deserialize, TS, Debug, Clone, PartialEq, Eq)]
pub struct RuleBreak {
    pub kind: RecordKind,
    pub id: String,
    /// The field the rule is about (a column name), empty when it is the whole record.
    pub field: String,
    /// The rule's code, as in `invalid.<rule>`.
    pub rule: String,
}

fn describe_breaks(breaks: &[RuleBreak]) -> String {
    breaks
        .iter()
        .map(|b| format!("{} {} {}: {}", b.kind.code(), b.id, b.field, b.rule))
        .collect::<Vec<_>>()
        .join("; ")
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    }
}

impl Error {
    pub fn invalid(field: impl Into<String>, rule: &'static str) -> Self {
        Error::Invalid {
            field: field.into(),
            rule,
            detail: String::new(),
        }
    }

    pub fn invalid_because(
        field: impl Into<String>,
        rule: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.into(),
            rule,
            detail: detail.into(),
        }
    }

    /// Stable machine code; `invalid.<rule>` for rule violations.
    pub fn code(&self) -> String {
        match self {
            Error::Invalid { rule, .. } => format!("invalid.{rule}"),
            other => other.fixed_code().map(String::from).unwrap_or_default(),
        }
    }

    /// The code of every error but a rule violation (`invalid.<rule>`).
    fn fixed_code(&self) -> Option<ErrorCode> {
        Some(match self {
            Error::Invalid { .. } => return None,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::AlreadyExists(_) => ErrorCode::AlreadyExists,
            Error::NotCabildo(_) => ErrorCode::NotCabildo,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::Corrupt(_) => ErrorCode::Corrupt,
            Error::Sqlite(e) if is_disk_full(e) => ErrorCode::DiskFull,
            Error::Sqlite(_) => ErrorCode::Database,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Io(e) if e.kind() == std::io::ErrorKind::StorageFull => ErrorCode::DiskFull,
            Error::Io(_) => ErrorCode::Io,
            Error::Json(_) => ErrorCode::Malformed,
            Error::Argument(_) => ErrorCode::Argument,
            Error::Chart(_) => ErrorCode::Chart,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Overflow(_) => ErrorCode::Overflow,
            Error::FileTooLarge { .. } => ErrorCode::FileTooLarge,
            Error::TooManyRows { .. } => ErrorCode::TooManyRows,
            Error::UnexpectedSchema(_) => ErrorCode::UnexpectedSchema,
            Error::BadValue { .. } => ErrorCode::BadValue,
            Error::MergeIntoItself(_) => ErrorCode::MergeIntoItself,
            Error::DanglingReference(_) => ErrorCode::DanglingReference,
            Error::ForeignBackup(_) => ErrorCode::ForeignBackup,
            Error::CsvColumns { .. } => ErrorCode::CsvColumns,
            Error::CsvEncoding { .. } => ErrorCode::CsvEncoding,
            Error::CsvMalformed { .. } => ErrorCode::CsvMalformed,
            Error::SenderClockAhead { .. } => ErrorCode::SenderClockAhead,
            Error::RecordRules(_) => ErrorCode::RecordRules,
        })
    }

    /// The record field a rule violation concerns, and what its text shows of the value.
    pub fn field_and_detail(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Error::Invalid { field, detail, .. } => {
                (Some(field), (!detail.is_empty()).then_some(detail.as_str()))
            }
            _ => (None, None),
        }
    }

    /// For `record_rules`: the received records refused, each with its rule.
    pub fn rule_breaks(&self) -> &[RuleBreak] {
        match self {
            Error::RecordRules(breaks) => breaks,
            _ => &[],
        }
    }
}

/// The codes of the core's errors, but for rule violations, which are
/// `invalid.<rule>`. Front ends switch on them (the UI gets them as a
/// TypeScript union) and translate them; the text beside them is for logs.
#[derive(Serialize, serde::Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    AlreadyExists,
    NotCabildo,
    NewerSchema,
    Corrupt,
    DiskFull,
    Database,
    Migration,
    Io,
    Malformed,
    Argument,
    Chart,
    Cancelled,
    Overflow,
    FileTooLarge,
    TooManyRows,
    UnexpectedSchema,
    BadValue,
    MergeIntoItself,
    DanglingReference,
    ForeignBackup,
    CsvColumns,
    CsvEncoding,
    CsvMalformed,
    SenderClockAhead,
    RecordRules,
}

impl std::fmt::Display for ErrorCode {
    /// The code as it crosses to a front end (`not_found`): serde's spelling.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(code)) => f.write_str(&code),
            _ => Err(std::fmt::Error),
        }
    }
}

impl From<ErrorCode> for String {
    fn from(code: ErrorCode) -> Self {
        code.to_string()
    }
}

fn is_disk_full(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull)
}

/// A stored value of an unexpected type: the file holds data Cabildo did not write.
impl From<rusqlite::types::FromSqlError> for Error {
    fn from(e: rusqlite::types::FromSqlError) -> Self {
        Error::Corrupt(format!("unexpected value: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_has_its_own_code_whether_sqlite_or_a_file_says_so() {
        let io = Error::Io(std::io::Error::from(std::io::ErrorKind::StorageFull));
        assert_eq!(io.code(), "disk_full");
        let other = Error::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        assert_eq!(other.code(), "io");
    }

    #[test]
    fn a_code_is_written_in_snake_case_as_it_serializes() {
        assert_eq!(
            ErrorCode::SenderClockAhead.to_string(),
            "sender_clock_ahead"
        );
        assert_eq!(Error::NotFound("x".into()).code(), "not_found");
        assert_eq!(
            Error::invalid("amount", "negative").code(),
            "invalid.negative"
        );
    }
}
