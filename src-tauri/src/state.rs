//! State managed by the shell and shared by its commands.
//!
//! State is registered on the builder (not in a `setup` hook), so it exists as
//! soon as the app is built: `setup` only runs once the event loop starts,
//! which the mock runtime used by the tests never does.

use std::path::PathBuf;
use std::sync::OnceLock;

use tauri::{Manager, Runtime};

use crate::error::CommandError;

/// Environment variable that overrides where Cabildo keeps its files.
/// End-to-end tests give every run its own fresh folder through it.
pub const DATA_DIR_ENV: &str = "CABILDO_DATA_DIR";

/// What every command may need to know about the running application.
#[derive(Debug, Default)]
pub struct AppState {
    data_dir: OnceLock<PathBuf>,
}

impl AppState {
    pub fn new() -> Self {
        Self::default()
    }

    /// The application version (cabildo-app's Cargo.toml version, which is
    /// also the version Tauri reports, tauri.conf.json having none).
    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The folder where Cabildo keeps its databases, backups and exports:
    /// `CABILDO_DATA_DIR` when set and not empty, else the platform's app data
    /// folder (`~/.local/share/org.cabildo.desktop` on Linux). Created on
    /// first use, then remembered for the life of the process.
    pub fn data_dir<R: Runtime, M: Manager<R>>(
        &self,
        manager: &M,
    ) -> Result<PathBuf, CommandError> {
        if let Some(dir) = self.data_dir.get() {
            return Ok(dir.clone());
        }
        let dir = match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => manager.path().app_data_dir()?,
        };
        std::fs::create_dir_all(&dir)?;
        Ok(self.data_dir.get_or_init(|| dir).clone())
    }
}
