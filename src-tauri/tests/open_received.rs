//! A file from elsewhere as the database (issue 10, point 5), through the
//! shell on the mock runtime: File ▸ Open of a file outside the data folder is
//! not opened in place (`from_elsewhere`); `db_open_received` checks it as a
//! merge would, copies it into the data folder and opens the copy; a refused
//! file leaves nothing there; `--open` of such a file waits for the question.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use cabildo_app::DbStatus;
use serde_json::json;

/// The tests open files one at a time (they share the recent-files list).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A folder outside the data folder (a mail client's temporary folder).
fn mail_dir() -> PathBuf {
    let dir = data_dir()
        .parent()
        .expect("parent")
        .join(format!("mail-of-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mail dir");
    dir
}

fn received(name: &str, seed: u64) -> PathBuf {
    let file = mail_dir().join(name);
    let _ = std::fs::remove_file(&file);
    cabildo::generate::generate(&file, 1, seed, "MXN", |_| {}).expect("received file");
    file
}

fn cabildo_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir())
        .expect("data dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cabildo"))
        .collect();
    names.sort();
    names
}

fn status(value: serde_json::Value) -> DbStatus {
    serde_json::from_value(value).expect("status")
}

#[test]
fn a_file_from_elsewhere_is_checked_copied_into_the_data_folder_and_opened() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_app, webview) = app();
    let local = data_dir().join("mine.cabildo");
    cabildo::demo::create(&local, chrono::Local::now().date_naive()).expect("demo");
    ok(&webview, "db_open", json!({ "path": local }));

    let file = received("from-the-mail.cabildo", 61);
    let e = err(&webview, "db_open", json!({ "path": file }));
    assert_eq!(e.code, "from_elsewhere");
    let open = status(ok(&webview, "db_status", json!({})));
    assert_eq!(open.path.map(PathBuf::from), Some(local.clone()));

    let opened = status(ok(
        &webview,
        "db_open_received",
        json!({ "path": file, "adoptAs": { "kind": "new_office", "name": "Oficina Nueva" } }),
    ));
    let copy = PathBuf::from(opened.path.expect("open"));
    assert_eq!(copy, data_dir().join("from-the-mail.cabildo"));
    let office = opened.office.expect("office");
    assert_eq!(office.name, "Oficina Nueva");
    assert_eq!(opened.recent[0].path, copy.to_string_lossy());
    // The copy is the app's own now: it opens directly, and merges like any.
    ok(&webview, "db_open", json!({ "path": copy }));
    let plan = ok(&webview, "merge_plan", json!({ "path": local }));
    assert!(plan["totals"]["new"].as_u64().unwrap_or(0) > 0, "{plan}");
    ok(&webview, "merge_cancel", json!({}));
}

#[test]
fn a_file_that_fails_the_checks_is_refused_like_a_merge_and_nothing_is_copied() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_app, webview) = app();
    let file = received("forged.cabildo", 62);
    rusqlite::Connection::open(&file)
        .expect("open")
        .execute_batch("UPDATE city SET population_year = 2147483648;")
        .expect("forge");
    let before = cabildo_files();
    for adopt_as in [
        json!({ "kind": "same_office" }),
        json!({ "kind": "new_office", "name": "Nueva" }),
    ] {
        let e = err(
            &webview,
            "db_open_received",
            json!({ "path": file, "adoptAs": adopt_as }),
        );
        assert_eq!(e.code, "record_rules", "{}", e.message);
    }
    assert_eq!(cabildo_files(), before);
    let missing = mail_dir().join("not-there.cabildo");
    let e = err(
        &webview,
        "db_open_received",
        json!({ "path": missing, "adoptAs": { "kind": "same_office" } }),
    );
    assert_eq!(e.code, "io", "{}", e.message);
    ok(&webview, "db_open_received_cancel", json!({}));
}

#[test]
fn a_file_from_elsewhere_named_at_start_waits_for_the_question() {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let file = received("named-at-start.cabildo", 63);
    let state = cabildo_app::AppState::with_start(cabildo_app::StartArgs {
        open: Some(file.clone()),
        incoming: Vec::new(),
    });
    let app = cabildo_app::build_app_with(tauri::test::mock_builder(), state)
        .build(cabildo_app::context())
        .expect("app");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    let started = status(ok(&webview, "db_status", json!({})));
    assert_eq!(
        started.startup_received.as_deref().map(Path::new),
        Some(file.as_path())
    );
    assert_ne!(
        started.path.as_deref().map(Path::new),
        Some(file.as_path()),
        "never opened in place"
    );
    let opened = status(ok(
        &webview,
        "db_open_received",
        json!({ "path": file, "adoptAs": { "kind": "same_office" } }),
    ));
    assert!(Path::new(&opened.path.expect("open")).starts_with(data_dir()));
}

#[test]
fn files_in_the_data_folder_and_recent_files_are_not_from_elsewhere() {
    use cabildo_app::state::{from_elsewhere, remember_recent};
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let dir = data_dir();
    assert!(!from_elsewhere(dir, &dir.join("demo.cabildo")));
    let elsewhere = mail_dir().join("own-elsewhere.cabildo");
    assert!(from_elsewhere(dir, &elsewhere));
    assert!(from_elsewhere(dir, &dir.join("backups").join("x.cabildo")));
    // A file of File ▸ New saved elsewhere, opened before: the user's own.
    remember_recent(dir, &elsewhere).expect("recent");
    assert!(!from_elsewhere(dir, &elsewhere));
}
