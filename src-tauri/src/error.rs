//! The one error shape that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// The codes the shell gives of its own (the core's are `cabildo::ErrorCode`
/// and `invalid.<rule>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShellErrorCode {
    /// A command that needs the database ran before one was open.
    NoDatabase,
    /// `merge_apply` with no plan waiting for confirmation.
    NoPlan,
    /// The shell itself failed (a task, the window, the recent list).
    Shell,
    /// `db_open` of a file from elsewhere: it is checked and copied first
    /// (`db_open_received`), after the user says whose it is.
    FromElsewhere,
    /// Given by the UI, not the shell: Tauri refused the call itself (an
    /// unknown command, a permission, arguments of the wrong shape).
    Ipc,
}

/// A code an error of the shell carries: its own, or one of the core's.
pub enum Code {
    Core(cabildo::ErrorCode),
    Shell(ShellErrorCode),
}

impl From<cabildo::ErrorCode> for Code {
    fn from(code: cabildo::ErrorCode) -> Self {
        Code::Core(code)
    }
}

impl From<ShellErrorCode> for Code {
    fn from(code: ShellErrorCode) -> Self {
        Code::Shell(code)
    }
}

impl fmt::Display for ShellErrorCode {
    /// serde's spelling (`no_database`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(code)) => f.write_str(&code),
            _ => Err(fmt::Error),
        }
    }
}

/// The one error that crosses the IPC boundary: every command fails with it.
/// It reaches the UI as `{ code, message, … }`; the UI switches on `code`
/// (typed as `CommandErrorCode`, every code there is) and never on the
/// message text, which is for logs and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommandError {
    /// A stable, machine-readable code in snake_case, e.g. `io`, `not_found`,
    /// `invalid.negative`.
    #[ts(type = "CommandErrorCode")]
    pub code: String,
    /// A human-readable explanation (English; not shown as translated UI text).
    pub message: String,
    /// The record field a rule violation concerns (`invalid.<rule>` codes), so
    /// the UI can show the error next to it. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// What a rule's text shows of the value (e.g. the number written the
    /// office's way); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<String>,
    /// For `record_rules`: the received records refused, each with its rule, for
    /// the UI to name in the user's language. Absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<cabildo::error::RuleBreak>>", optional)]
    pub problems: Vec<cabildo::error::RuleBreak>,
    /// The error in the user's language, where the core words it itself (a
    /// spreadsheet that cannot be imported); the UI shows it as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<String>,
}

impl CommandError {
    pub fn new(code: impl Into<Code>, message: impl Into<String>) -> Self {
        let code = match code.into() {
            Code::Core(code) => code.to_string(),
            Code::Shell(code) => code.to_string(),
        };
        Self {
            code,
            message: message.into(),
            field: None,
            detail: None,
            problems: Vec::new(),
            text: None,
        }
    }
}

impl CommandError {
    /// The message names the file it concerns.
    pub fn about(mut self, path: &std::path::Path) -> Self {
        self.message = format!("{}: {}", path.display(), self.message);
        self
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for CommandError {}

/// Through the core's error, so a full disk gets its code (`disk_full`) in one place.
impl From<std::io::Error> for CommandError {
    fn from(err: std::io::Error) -> Self {
        let message = err.to_string();
        Self {
            message,
            ..cabildo::Error::from(err).into()
        }
    }
}

/// The core's errors keep their code (`invalid.<rule>`, `not_found`,
/// `not_cabildo`, `newer_schema`…) and the field they concern.
impl From<cabildo::Error> for CommandError {
    fn from(err: cabildo::Error) -> Self {
        let (field, detail) = err.field_and_detail();
        Self {
            code: err.code(),
            message: err.to_string(),
            field: field.map(str::to_owned),
            detail: detail.map(str::to_owned),
            problems: err.rule_breaks().to_vec(),
            text: None,
        }
    }
}

impl From<tauri::Error> for CommandError {
    fn from(err: tauri::Error) -> Self {
        Self::new(ShellErrorCode::Shell, err.to_string())
    }
}
