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
pub use state::{AppState, RecentFile, StartArgs, DATA_DIR_ENV, DEFAULT_FILE, DEMO_FILE};

use std::path::Path;

use tauri::plugin::TauriPlugin;
use tauri::{Builder, Emitter, Manager, Runtime};

/// The bundle identifier (tauri.conf.json), which names the app on D-Bus.
pub const APP_ID: &str = "org.cabildo.desktop";

/// The event that asks the UI to open a database (payload: its path): a
/// second launch with `--open FILE` while the app runs.
pub const OPEN_DATABASE_EVENT: &str = "open-database";

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
            commands::record_delete_preview,
            commands::record_delete,
            commands::explain,
            commands::explain_csv,
            commands::record_restore,
            commands::trash_list,
            commands::dashboard,
            commands::portfolio,
            charts::charts_render,
            charts::chart_export,
            charts::council_pack_export,
            charts::charts_save_override,
            charts::presentation_fullscreen,
            exchange::exchange_open_override,
            exchange::incoming_list,
            exchange::incoming_add,
            exchange::incoming_take,
            exchange::merge_plan,
            exchange::merge_apply,
            exchange::merge_cancel,
            exchange::export_database,
            exchange::export_xlsx,
            exchange::export_csv,
            exchange::cdp_import,
            exchange::peers_overview,
            exchange::backups_list,
            exchange::backup_restore,
            exchange::conflicts_list,
            exchange::conflict_restore,
            exchange::conflict_dismiss,
        ])
}

/// The application context (configuration, capabilities, embedded UI)
/// generated at compile time from tauri.conf.json.
pub fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::generate_context!()
}

/// The D-Bus name that makes one app per data folder: the identifier for the
/// usual folder, and one name per folder set by `CABILDO_DATA_DIR` (each
/// end-to-end spec runs its own app; two data folders are two offices).
pub fn instance_id(data_dir_override: Option<&std::ffi::OsStr>) -> String {
    match data_dir_override.filter(|d| !d.is_empty()) {
        None => APP_ID.to_owned(),
        Some(dir) => {
            // The folder as the file system names it (relative, `..`, a
            // trailing slash: one name), hashed by FNV-1a, which no Rust
            // release changes.
            let dir = std::fs::canonicalize(dir)
                .or_else(|_| std::path::absolute(dir))
                .unwrap_or_else(|_| std::path::PathBuf::from(dir));
            let hash = dir
                .as_os_str()
                .as_encoded_bytes()
                .iter()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
                });
            format!("{APP_ID}.dir{hash:016x}")
        }
    }
}

/// Takes over what a second launch asked (`argv`, run in `cwd`): its
/// database to open (`open-database`), its received files to queue (the UI,
/// told by `incoming-files`, starts their merge); brings the window forward.
pub fn hand_over<R: Runtime>(app: &tauri::AppHandle<R>, argv: Vec<String>, cwd: &str) {
    let args = StartArgs::parse(argv, Path::new(cwd));
    if let Some(database) = args.open {
        let _ = app.emit(OPEN_DATABASE_EVENT, database.to_string_lossy());
    }
    app.state::<AppState>().push_incoming(args.incoming);
    let _ = app.emit(exchange::INCOMING_FILES_EVENT, ());
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// A second launch (a file opened with Cabildo from the file manager while
/// it runs) hands its arguments to the running app over D-Bus and exits.
/// Only the real app registers it: test apps must not find each other.
fn single_instance<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(instance_id(std::env::var_os(DATA_DIR_ENV).as_deref()))
        .callback(|app, argv, cwd| hand_over(app, argv, &cwd))
        .build()
}

/// Starts the desktop application.
pub fn run() {
    let cwd = std::env::current_dir().unwrap_or_default();
    let state = AppState::with_start(StartArgs::parse(std::env::args_os(), &cwd));
    // Registered first: a second launch must hand over before anything else starts.
    build_app_with(Builder::default().plugin(single_instance()), state)
        .run(context())
        .expect("error while running the Cabildo application");
}
