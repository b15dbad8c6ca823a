//! Cabildo desktop shell.
//!
//! The shell is thin: it registers state, plugins and commands, and every
//! command calls the core (`cabildo`). [`build_app`] is generic over the Tauri
//! runtime so that tests can drive the commands with `tauri::test`'s mock
//! runtime, without a window.

pub mod charts;
pub mod commands;
pub mod error;
pub mod exchange;
pub mod state;

pub use commands::{AppInfo, DbStatus, RECORDS_CHANGED_EVENT};
pub use error::CommandError;
pub use state::{AppState, RecentFile, DATA_DIR_ENV, DEFAULT_FILE, DEMO_FILE};

use std::path::PathBuf;

use tauri::{Builder, Runtime};

/// Registers Cabildo's plugins, state and commands on a Tauri builder.
///
/// `run` passes the real (Wry) builder; tests pass `tauri::test::mock_builder()`.
pub fn build_app<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    build_app_with(builder, AppState::new())
}

/// [`build_app`] with a given state (the file to open at start).
pub fn build_app_with<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(exchange::ExchangeState::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::app_painted,
            commands::db_status,
            commands::db_start_empty,
            commands::db_open_demo,
            commands::db_new,
            commands::db_open,
            commands::office_set,
            commands::records_list,
            commands::record_get,
            commands::record_save,
            commands::record_delete,
            commands::record_restore,
            commands::trash_list,
            commands::dashboard,
            charts::charts_render,
            charts::chart_export,
            charts::council_pack_export,
            charts::charts_save_override,
            charts::presentation_fullscreen,
            exchange::exchange_open_override,
            exchange::merge_plan,
            exchange::merge_apply,
            exchange::merge_cancel,
            exchange::export_database,
            exchange::export_xlsx,
            exchange::cdp_import,
            exchange::peers_overview,
            exchange::backups_list,
            exchange::backup_restore,
            exchange::conflicts_list,
            exchange::conflict_restore,
            exchange::conflict_dismiss,
        ])
}

/// The file named on the command line (`cabildo-app FILE`), if any. Options
/// (arguments starting with `-`) are ignored.
pub fn file_from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    args.into_iter()
        .skip(1)
        .find(|a| !a.to_string_lossy().starts_with('-'))
        .map(PathBuf::from)
}

/// The application context (configuration, capabilities, embedded UI)
/// generated at compile time from tauri.conf.json.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// Starts the desktop application.
pub fn run() {
    let state = AppState::with_startup_file(file_from_args(std::env::args_os()));
    build_app_with(Builder::default(), state)
        .run(context())
        .expect("error while running the Cabildo application");
}
