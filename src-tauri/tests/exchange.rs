//! The sharing commands (issue 5), driven through Tauri's mock runtime: plan
//! and apply the merge of a second office's file, refuse a file that is not
//! a Cabildo database (local file untouched), export the database and the
//! Excel workbook, and the peers overview.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

/// The tests open files one at a time (they share the recent-files list).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A fresh demo database named `name` in the data folder, opened in a new app.
fn open_demo(name: &str) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>, PathBuf) {
    let path = data_dir().join(name);
    cabildo::demo::create(&path, chrono::Local::now().date_naive()).expect("demo database");
    let (app, webview) = app();
    ok(&webview, "db_open", json!({ "path": path }));
    (app, webview, path)
}

/// A channel argument the mock runtime accepts (messages are dropped).
fn channel() -> Value {
    json!("__CHANNEL__:7")
}

#[test]
fn a_second_office_file_is_planned_then_merged() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_app, webview, _local) = open_demo("local.cabildo");
    let other = data_dir().join("other-office.cabildo");
    cabildo::generate::generate(&other, 2, 7, "MXN", |_| {}).expect("second office");

    let plan = ok(&webview, "merge_plan", json!({ "path": other }));
    let new = plan["totals"]["new"].as_u64().expect("new count");
    assert!(new > 0, "the other office's records are new here: {plan}");
    assert_eq!(
        plan["changes"].as_u64(),
        Some(new),
        "only new records to write"
    );
    assert!(!plan["kinds"].as_array().expect("kinds").is_empty());
    assert_eq!(plan["conflicts"].as_array().expect("conflicts").len(), 0);

    let summary = ok(&webview, "merge_apply", json!({ "progress": channel() }));
    assert_eq!(summary["totals"]["new"].as_u64(), Some(new));
    assert!(summary["merge_id"].is_string());
    assert!(summary["backup"].is_object(), "a backup is taken first");

    // The plan is used once; the same file again is recognised.
    assert_eq!(
        err(&webview, "merge_apply", json!({ "progress": channel() })).code,
        "no_plan"
    );
    let again = ok(&webview, "merge_plan", json!({ "path": other }));
    assert!(again["already_merged_at"].is_number());
    assert_eq!(again["changes"].as_u64(), Some(0));
    ok(&webview, "merge_cancel", json!({}));

    // No conflicts between two offices that share nothing.
    let conflicts = ok(&webview, "conflicts_list", json!({ "all": true }));
    assert_eq!(conflicts.as_array().map(Vec::len), Some(0));

    // The backup taken before the merge brings the file back to before it.
    let backups = ok(&webview, "backups_list", json!({}));
    let backup = backups[0]["path"].as_str().expect("a backup").to_string();
    let safety = ok(&webview, "backup_restore", json!({ "path": backup }));
    assert!(safety.is_object(), "the state replaced is backed up too");
    let replanned = ok(&webview, "merge_plan", json!({ "path": other }));
    assert!(replanned["already_merged_at"].is_null());
    assert_eq!(replanned["totals"]["new"].as_u64(), Some(new));
    assert_eq!(
        err(&webview, "backup_restore", json!({ "path": other })).code,
        "foreign_backup"
    );
}

#[test]
fn a_file_that_is_not_cabildo_is_refused_and_the_local_file_is_untouched() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_app, webview, local) = open_demo("untouched.cabildo");
    let before = std::fs::read(&local).expect("local file");
    let bogus = data_dir().join("notes.cabildo");
    std::fs::write(&bogus, b"these are not the records you are looking for").expect("write");

    let e = err(&webview, "merge_plan", json!({ "path": bogus }));
    assert_eq!(e.code, "not_cabildo", "{e}");
    assert_eq!(std::fs::read(&local).expect("local file"), before);
    assert_eq!(
        err(&webview, "merge_plan", json!({ "path": local })).code,
        "merge_into_itself"
    );
}

#[test]
fn exports_and_peers_work_on_the_open_database() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_app, webview, _local) = open_demo("exports.cabildo");
    let out = data_dir().join("copy");
    let written = ok(&webview, "export_database", json!({ "path": out }));
    assert!(written.as_str().expect("path").ends_with("copy.cabildo"));
    assert!(Path::new(written.as_str().expect("path")).is_file());

    let xlsx = ok(
        &webview,
        "export_xlsx",
        json!({ "path": data_dir().join("book"), "lang": "en" }),
    );
    let bytes = std::fs::read(xlsx.as_str().expect("path")).expect("workbook");
    assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");

    let csv = ok(
        &webview,
        "export_csv",
        json!({ "path": data_dir().join("ciudades"), "kind": "city", "lang": "es" }),
    );
    assert_eq!(
        csv["records"].as_u64(),
        Some(1),
        "the demo has one city: {csv}"
    );
    let text = std::fs::read_to_string(csv["path"].as_str().expect("path")).expect("csv");
    assert!(csv["path"]
        .as_str()
        .expect("path")
        .ends_with("ciudades.csv"));
    assert!(text.starts_with('\u{FEFF}'), "a byte-order mark for Excel");
    assert!(text.contains("Villa Esperanza"), "{text}");

    let peers = ok(&webview, "peers_overview", json!({ "filter": {} }));
    assert!(peers["networks"].is_array());
    assert_eq!(
        err(&webview, "cdp_import", json!({ "path": "", "lang": "es" })).code,
        "io"
    );
}

#[test]
fn the_open_override_follows_the_environment() {
    let (_app, webview) = app();
    assert_eq!(
        ok(&webview, "exchange_open_override", json!({})),
        Value::Null
    );
}

#[test]
fn files_opened_with_the_app_wait_in_order_and_skip_the_open_database() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (app, webview, local) = open_demo("incoming-local.cabildo");
    assert_eq!(ok(&webview, "incoming_list", json!({})), json!([]));
    assert_eq!(ok(&webview, "incoming_take", json!({})), Value::Null);

    let first = data_dir().join("from-mayor.cabildo");
    let second = data_dir().join("from-environment.cabildo");
    cabildo::generate::generate(&first, 1, 21, "MXN", |_| {}).expect("first office");
    // A second launch hands over: its own database (skipped), two received
    // files (the second named twice, queued once), relative to its folder.
    cabildo_app::hand_over(
        app.handle(),
        vec![
            "cabildo-app".into(),
            local.to_string_lossy().into_owned(),
            "from-mayor.cabildo".into(),
            second.to_string_lossy().into_owned(),
            second.to_string_lossy().into_owned(),
        ],
        &data_dir().to_string_lossy(),
    );
    let waiting = ok(&webview, "incoming_list", json!({}));
    assert_eq!(waiting.as_array().map(Vec::len), Some(3), "{waiting}");

    // The open database is dropped; the first received file comes next and
    // its merge is planned like any other.
    let next = ok(&webview, "incoming_take", json!({}));
    assert_eq!(next.as_str().map(PathBuf::from), Some(first.clone()));
    let plan = ok(&webview, "merge_plan", json!({ "path": next }));
    assert!(plan["totals"]["new"].as_u64().unwrap_or(0) > 0, "{plan}");
    ok(&webview, "merge_cancel", json!({}));

    // Files dropped on the window join the queue after those waiting.
    let dropped = data_dir().join("dropped.cabildo");
    let waiting = ok(&webview, "incoming_add", json!({ "paths": [dropped] }));
    assert_eq!(waiting.as_array().map(Vec::len), Some(2), "{waiting}");
    assert_eq!(
        waiting[1].as_str().map(PathBuf::from),
        Some(dropped.clone())
    );
    ok(&webview, "incoming_take", json!({ "path": dropped }));
    // Dropping the open database itself is refused with its message; the
    // other files dropped with it are queued.
    let e = err(
        &webview,
        "incoming_add",
        json!({ "paths": [local, dropped] }),
    );
    assert_eq!(e.code, "merge_into_itself");
    let waiting = ok(&webview, "incoming_list", json!({}));
    assert_eq!(
        waiting[1].as_str().map(PathBuf::from),
        Some(dropped.clone())
    );
    ok(&webview, "incoming_take", json!({ "path": dropped }));

    // A named file is taken out of turn ("use it as my database"); then none is left.
    let named = ok(&webview, "incoming_take", json!({ "path": second }));
    assert_eq!(named.as_str().map(PathBuf::from), Some(second.clone()));
    assert_eq!(ok(&webview, "incoming_list", json!({})), json!([]));
    assert_eq!(ok(&webview, "incoming_take", json!({})), Value::Null);
}

#[test]
fn files_named_at_start_wait_for_a_database() {
    data_dir();
    let received = data_dir().join("received-at-start.cabildo");
    let state = cabildo_app::AppState::with_start(cabildo_app::StartArgs {
        open: None,
        incoming: vec![received.clone()],
    });
    let app = cabildo_app::build_app_with(tauri::test::mock_builder(), state)
        .build(cabildo_app::context())
        .expect("app");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    assert_eq!(
        ok(&webview, "incoming_list", json!({})),
        json!([received.to_string_lossy()])
    );
}
