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
    cabildo::generate::generate(&other, 2, 7, |_| {}).expect("second office");

    let plan = ok(&webview, "merge_plan", json!({ "path": other }));
    let new = plan["totals"]["new"].as_u64().expect("new count");
    assert!(new > 0, "the other office's records are new here: {plan}");
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
