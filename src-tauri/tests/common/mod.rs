//! The mock-runtime harness every shell test uses: one data folder per test
//! binary, the app built on the mock runtime, and IPC calls by command name.
#![allow(dead_code)]

use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use cabildo_app::{CommandError, DATA_DIR_ENV};

/// One data folder for this test binary (the environment is process-wide);
/// tests that write use their own file inside it.
pub fn data_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::env::set_var(DATA_DIR_ENV, dir.path());
        dir
    })
    .path()
}

pub fn app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    data_dir();
    let app = cabildo_app::build_app(mock_builder())
        .build(cabildo_app::context())
        .expect("the app builds on the mock runtime");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window opens on the mock runtime");
    (app, webview)
}

pub fn invoke(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("valid URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|body| body.deserialize::<Value>().expect("JSON"))
}

pub fn ok(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Value {
    invoke(webview, cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
}

pub fn err(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> CommandError {
    let e = invoke(webview, cmd, args).expect_err("the command fails");
    serde_json::from_value(e).expect("{code, message}")
}
