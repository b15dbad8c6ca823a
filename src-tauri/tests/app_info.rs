//! The shell's commands, driven through Tauri's mock runtime (no window, no
//! WebKit): the same builder, context and capabilities as the real app.

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;

use cabildo_app::{AppInfo, CommandError, DATA_DIR_ENV};

fn invoke_request(cmd: &str) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // On Linux the app's own origin is tauri://localhost; the capability
        // in capabilities/default.json is granted to that local origin.
        url: "tauri://localhost".parse().expect("valid URL"),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn app_info_returns_package_version_and_data_dir_from_env() {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let wanted = data_dir.path().join("nested").join("cabildo-data");
    // The only test in this binary that touches the environment.
    std::env::set_var(DATA_DIR_ENV, &wanted);

    let app = cabildo_app::build_app(mock_builder())
        .build(cabildo_app::context())
        .expect("the app builds on the mock runtime");
    // Windows listed in tauri.conf.json open when the event loop starts, which
    // the mock app never runs: open the main window by hand, with its label
    // (the capability is granted to "main").
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window opens on the mock runtime");

    let response = get_ipc_response(&webview, invoke_request("app_info"))
        .expect("app_info is granted to the main window and succeeds");
    let info: AppInfo = response.deserialize().expect("AppInfo JSON");

    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.data_dir, wanted.to_string_lossy());
    assert!(wanted.is_dir(), "the data folder is created at start-up");

    // A command that the app does not declare is refused, and the refusal
    // reaches the caller as an error, not as a value.
    let refused = get_ipc_response(&webview, invoke_request("no_such_command"));
    assert!(refused.is_err(), "unknown commands are rejected");
}

#[test]
fn command_error_crosses_as_code_and_message() {
    let err = CommandError::new(cabildo::ErrorCode::NotFound, "no membership with that id");
    let json = serde_json::to_value(&err).expect("serializable");
    assert_eq!(
        json,
        serde_json::json!({ "code": "not_found", "message": "no membership with that id" })
    );

    let io: CommandError = std::io::Error::new(std::io::ErrorKind::NotFound, "gone").into();
    assert_eq!(io.code, "io");
    assert_eq!(io.message, "gone");
}
