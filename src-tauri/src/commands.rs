//! Tauri commands. Each one is a few lines: take state, call the core, map
//! the error. Every command listed here must also be listed in build.rs
//! (`COMMANDS`) and granted in capabilities/default.json.

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

use crate::error::CommandError;
use crate::state::AppState;

/// What `app_info` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
}

/// The application version and the folder where its files live.
#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: state.version().to_owned(),
        data_dir: state.data_dir(&app)?.to_string_lossy().into_owned(),
    })
}
