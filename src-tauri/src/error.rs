//! The one error shape that crosses the IPC boundary.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An error returned by a Tauri command. It reaches the UI as
/// `{ "code": "...", "message": "..." }`; the UI switches on `code` and never
/// on the message text, which is for logs and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    /// A stable, machine-readable code in snake_case, e.g. `io`, `not_found`.
    pub code: String,
    /// A human-readable explanation (English; not shown as translated UI text).
    pub message: String,
    /// The record field a rule violation concerns (`invalid.<rule>` codes), so
    /// the UI can show the error next to it. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What a rule's text shows of the value (e.g. the number written the
    /// office's way); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For `record_rules`: the received records refused, each with its rule, for
    /// the UI to name in the user's language. Absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<cabildo::error::RuleBreak>,
}

impl CommandError {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            field: None,
            detail: None,
            problems: Vec::new(),
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
        Self::new(cabildo::Error::from(err).code(), message)
    }
}

/// The core's errors keep their code (`invalid.<rule>`, `not_found`,
/// `not_cabildo`, `newer_schema`…) and the field they concern.
impl From<cabildo::Error> for CommandError {
    fn from(err: cabildo::Error) -> Self {
        let payload = err.payload();
        Self {
            code: payload.code,
            message: payload.message,
            field: payload.field,
            detail: payload.detail,
            problems: payload.problems,
        }
    }
}

impl From<tauri::Error> for CommandError {
    fn from(err: tauri::Error) -> Self {
        Self::new("shell", err.to_string())
    }
}
