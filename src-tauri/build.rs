//! Build script of the desktop shell.
//!
//! Declares the app manifest: every Tauri command of Cabildo is listed here, so
//! that Tauri checks it against the capabilities in `capabilities/*.json`. A
//! command missing from this list is not permission-checked; a command listed
//! here but not granted in a capability is refused at run time.

/// The commands that `build_app` registers. Keep in sync with
/// `tauri::generate_handler!` in src/lib.rs and grant each `allow-<command>`
/// in capabilities/default.json.
const COMMANDS: &[&str] = &[
    "app_info",
    "app_painted",
    "db_status",
    "db_start_empty",
    "db_open_demo",
    "db_new",
    "db_open",
    "office_set",
    "records_list",
    "record_get",
    "record_save",
    "record_delete_preview",
    "record_delete",
    "explain",
    "explain_csv",
    "record_restore",
    "trash_list",
    "dashboard",
    "portfolio",
    "charts_render",
    "chart_export",
    "council_pack_export",
    "charts_save_override",
    "presentation_fullscreen",
    "exchange_open_override",
    "incoming_list",
    "incoming_add",
    "incoming_take",
    "merge_plan",
    "merge_apply",
    "merge_cancel",
    "export_database",
    "export_xlsx",
    "export_csv",
    "cdp_import",
    "peers_overview",
    "backups_list",
    "backup_restore",
    "conflicts_list",
    "conflict_restore",
    "conflict_dismiss",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
