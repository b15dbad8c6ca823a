//! Build script of the desktop shell.
//!
//! Declares the app manifest: every Tauri command of Cabildo is listed here, so
//! that Tauri checks it against the capabilities in `capabilities/*.json`. A
//! command missing from this list is not permission-checked; a command listed
//! here but not granted in a capability is refused at run time.

/// The commands that `build_app` registers. Keep in sync with
/// `tauri::generate_handler!` in src/lib.rs and grant each `allow-<command>`
/// in capabilities/default.json.
const COMMANDS: &[&str] = &["app_info"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run the Tauri build script");
}
