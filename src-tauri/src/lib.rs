//! Cabildo desktop shell.
//!
//! The shell is thin: it registers state, plugins and commands, and every
//! command calls the core (`cabildo`). [`build_app`] is generic over the Tauri
//! runtime so that tests can drive the commands with `tauri::test`'s mock
//! runtime, without a window.

pub mod commands;
pub mod error;
pub mod state;

pub use commands::AppInfo;
pub use error::CommandError;
pub use state::{AppState, DATA_DIR_ENV};

use tauri::{Builder, Runtime};

/// Registers Cabildo's plugins, state and commands on a Tauri builder.
///
/// `run` passes the real (Wry) builder; tests pass `tauri::test::mock_builder()`.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::new())
        .invoke_handler(tauri::generate_handler![commands::app_info])
}

/// The application context (configuration, capabilities, embedded UI)
/// generated at compile time from tauri.conf.json.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Starts the desktop application.
pub fn run() {
    build_app(Builder::default())
        .run(context())
        .expect("error while running the Cabildo application");
}
