//! The database commands, driven through Tauri's mock runtime: opening the
//! demo, listing, saving (valid and invalid), trash and restore, the
//! dashboard, and refusing files that are not Cabildo's.

mod common;

use common::*;

use serde_json::{json, Value};
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

use cabildo_app::DbStatus;

/// A fresh database with one city, at its own path; returns the city id.
fn new_database(webview: &WebviewWindow<MockRuntime>, name: &str) -> String {
    let path = data_dir().join(name);
    let status: DbStatus =
        serde_json::from_value(ok(webview, "db_new", json!({ "path": path }))).expect("status");
    assert_eq!(
        status.path.as_deref(),
        Some(path.to_string_lossy().as_ref())
    );
    let city = ok(
        webview,
        "record_save",
        json!({ "kind": "city", "record": { "name": "Ciudad Prueba", "country": "MX",
            "population": null, "population_year": null, "latitude": null, "longitude": null } }),
    );
    city["id"].as_str().expect("id").to_string()
}

#[test]
fn commands_before_any_database_answer_no_database() {
    let (_app, webview) = app();
    let e = err(&webview, "records_list", json!({ "kind": "network" }));
    assert_eq!(e.code, "no_database");
}

#[test]
fn demo_opens_and_its_dashboard_has_a_passive_and_a_strategic_network() {
    let (_app, webview) = app();
    let status: DbStatus =
        serde_json::from_value(ok(&webview, "db_open_demo", json!({}))).expect("status");
    assert!(status.path.expect("path").ends_with(cabildo_app::DEMO_FILE));
    assert_eq!(status.cities.len(), 1);
    assert!(status
        .recent
        .iter()
        .any(|r| r.exists && r.path.ends_with("demo.cabildo")));

    let memberships = ok(&webview, "records_list", json!({ "kind": "membership" }));
    assert!(!memberships.as_array().expect("array").is_empty());

    let dashboard = ok(&webview, "dashboard", json!({}));
    let rows = dashboard["report"]["rows"].as_array().expect("rows");
    let classes: Vec<&str> = rows
        .iter()
        .map(|r| r["classification"].as_str().expect("classification"))
        .collect();
    assert!(classes.contains(&"passive"), "{classes:?}");
    assert!(classes.contains(&"strategic"), "{classes:?}");
    assert!(rows
        .iter()
        .all(|r| !r["reason_es"].as_str().unwrap_or("").is_empty()));

    // The Projects screen's counts come from the core, per stage and sector.
    let projects = ok(&webview, "records_list", json!({ "kind": "project" }));
    let projects = projects.as_array().expect("array");
    let portfolio = ok(&webview, "portfolio", json!({}));
    assert_eq!(portfolio["projects"], json!(projects.len()));
    let stage_total: i64 = portfolio["by_stage"]
        .as_array()
        .expect("by_stage")
        .iter()
        .map(|c| c["projects"].as_i64().expect("count"))
        .sum();
    assert_eq!(stage_total, projects.len() as i64);
    let concept = |p: &Value| {
        p["by_stage"]
            .as_array()
            .expect("by_stage")
            .iter()
            .find(|c| c["stage"] == "concept")
            .map_or(0, |c| c["projects"].as_i64().expect("count"))
    };
    let before = concept(&portfolio);
    let mut another = projects[0].clone();
    another["id"] = json!("");
    another["name"] = json!("Otro proyecto");
    another["stage"] = json!("concept");
    ok(
        &webview,
        "record_save",
        json!({ "kind": "project", "record": another }),
    );
    let after = ok(
        &webview,
        "portfolio",
        json!({ "cityId": status.cities[0].meta.id }),
    );
    assert_eq!(concept(&after), before + 1);
    assert_eq!(after["projects"], json!(projects.len() + 1));
}

#[test]
fn saving_an_invalid_record_returns_the_rule_and_the_field() {
    let (_app, webview) = app();
    let city_id = new_database(&webview, "invalid.cabildo");
    let e = err(
        &webview,
        "record_save",
        json!({ "kind": "cost_entry", "record": {
            "city_id": city_id, "membership_id": null, "meeting_id": null,
            "spent_on": "2026-01-10", "category": "travel", "amount_minor": -500,
            "currency": "MXN", "hours": null, "role": null, "description": "vuelo" } }),
    );
    assert_eq!(e.code, "invalid.negative");
    assert_eq!(e.field.as_deref(), Some("amount_minor"));

    let e = err(
        &webview,
        "record_save",
        json!({ "kind": "network", "record": { "name": "", "acronym": "X", "scope": "global" } }),
    );
    assert_eq!(e.code, "invalid.required");
    assert_eq!(e.field.as_deref(), Some("name"));

    let e = err(
        &webview,
        "record_save",
        json!({ "kind": "network", "record": 5 }),
    );
    assert_eq!(e.code, "malformed");
}

#[test]
fn a_record_is_saved_listed_deleted_to_the_trash_and_restored() {
    let (_app, webview) = app();
    new_database(&webview, "lifecycle.cabildo");
    let saved = ok(
        &webview,
        "record_save",
        json!({ "kind": "network", "record": {
            "name": "<img src=x onerror=alert(1)>", "acronym": "XSS", "scope": "regional",
            "founded_year": null, "headquarters": null, "focus": null, "member_count": null,
            "fee_model": null, "website": null, "source": "prueba", "as_of": "2026-01-01" } }),
    );
    let id = saved["id"].as_str().expect("id").to_string();
    assert_eq!(saved["name"], "<img src=x onerror=alert(1)>");

    let updated = ok(
        &webview,
        "record_save",
        json!({ "kind": "network", "record": { "id": id, "name": "Red de prueba",
            "acronym": "RDP", "scope": "regional" } }),
    );
    assert_eq!(updated["name"], "Red de prueba");
    assert_eq!(
        ok(
            &webview,
            "record_get",
            json!({ "kind": "network", "id": id })
        )["acronym"],
        "RDP"
    );

    let listed = |webview: &WebviewWindow<MockRuntime>| {
        ok(webview, "records_list", json!({ "kind": "network" }))
            .as_array()
            .expect("array")
            .iter()
            .any(|n| n["id"] == id.as_str())
    };
    assert!(listed(&webview));

    ok(
        &webview,
        "record_delete",
        json!({ "kind": "network", "id": id }),
    );
    assert!(!listed(&webview));
    let trash = ok(&webview, "trash_list", json!({}));
    assert!(trash
        .as_array()
        .expect("array")
        .iter()
        .any(|t| t["id"] == id.as_str() && t["kind"] == "network"));

    ok(
        &webview,
        "record_restore",
        json!({ "kind": "network", "id": id }),
    );
    assert!(listed(&webview));
    let e = err(
        &webview,
        "record_restore",
        json!({ "kind": "network", "id": id }),
    );
    assert_eq!(e.code, "not_found");
}

#[test]
fn the_dashboard_shows_the_cost_of_a_new_membership() {
    let (_app, webview) = app();
    let city_id = new_database(&webview, "dashboard.cabildo");
    let networks = ok(&webview, "records_list", json!({ "kind": "network" }));
    let network_id = networks[0]["id"].clone();
    let membership = ok(
        &webview,
        "record_save",
        json!({ "kind": "membership", "record": { "city_id": city_id, "network_id": network_id,
            "status": "active", "role": "member", "core": true, "joined_on": "2025-01-01" } }),
    );
    ok(
        &webview,
        "record_save",
        json!({ "kind": "cost_entry", "record": { "city_id": city_id,
            "membership_id": membership["id"], "spent_on": "2026-03-01", "category": "travel",
            "amount_minor": 1_500_000, "currency": "MXN" } }),
    );
    let dashboard = ok(
        &webview,
        "dashboard",
        json!({ "query": { "from": "2026-01-01", "to": "2026-06-30", "currency": "MXN",
            "city_id": null } }),
    );
    let rows = dashboard["report"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["cost_total_minor"], 1_500_000);
    assert_eq!(rows[0]["cost"]["travel"], 1_500_000);

    let e = err(
        &webview,
        "dashboard",
        json!({ "query": { "from": "2026-06-30", "to": "2026-01-01", "currency": "MXN",
            "city_id": null } }),
    );
    assert_eq!(e.code, "invalid.end_before_start");
}

#[test]
fn a_file_that_is_not_cabildo_is_refused_and_the_open_database_stays() {
    let (_app, webview) = app();
    new_database(&webview, "stays.cabildo");
    let bogus = data_dir().join("notes.cabildo");
    std::fs::write(&bogus, b"just some text, not a database").expect("write");
    let e = err(&webview, "db_open", json!({ "path": bogus }));
    assert_eq!(e.code, "not_cabildo");

    let status: DbStatus =
        serde_json::from_value(ok(&webview, "db_status", json!({}))).expect("status");
    assert!(status.path.expect("still open").ends_with("stays.cabildo"));

    let e = err(
        &webview,
        "db_new",
        json!({ "path": data_dir().join("stays.cabildo") }),
    );
    assert_eq!(e.code, "already_exists");
}

#[test]
fn the_office_is_renamed_and_a_bad_currency_is_refused() {
    let (_app, webview) = app();
    new_database(&webview, "office.cabildo");
    let office = ok(
        &webview,
        "office_set",
        json!({ "name": "Oficina", "reportingCurrency": "USD", "language": "en", "numberFormat": "point_comma" }),
    );
    assert_eq!(office["reporting_currency"], "USD");
    assert_eq!(office["number_format"], "point_comma");
    let e = err(
        &webview,
        "office_set",
        json!({ "name": "Oficina", "reportingCurrency": "XYZ", "language": "en", "numberFormat": "comma_point" }),
    );
    assert_eq!(e.code, "invalid.unknown_currency");
    assert_eq!(e.field.as_deref(), Some("reporting_currency"));
}

#[test]
fn a_deletion_is_previewed_and_a_figure_opens_to_its_records_through_the_shell() {
    let (_app, webview) = app();
    let city = new_database(&webview, "explain.cabildo");
    let networks = ok(&webview, "records_list", json!({ "kind": "network" }));
    let network = networks.as_array().expect("networks")[0]["id"].clone();
    let m = ok(
        &webview,
        "record_save",
        json!({ "kind": "membership", "record": { "city_id": city, "network_id": network, "joined_on": null,
            "ended_on": null, "status": "active", "role": "member", "focal_point": null, "renewal_on": null,
            "dues_minor": null, "dues_currency": null, "core": false, "notes": null } }),
    )["id"]
        .clone();
    // The amount as typed; the core reads it by the office's format.
    ok(
        &webview,
        "record_save",
        json!({ "kind": "cost_entry", "record": { "city_id": city, "membership_id": m, "meeting_id": null,
            "spent_on": "2026-01-15", "category": "travel", "amount_minor": "1,500.50", "currency": "MXN",
            "hours": null, "role": null, "description": "Vuelo" } }),
    );
    let query =
        json!({ "from": "2026-01-01", "to": "2026-12-31", "currency": "MXN", "city_id": null });
    let e = ok(
        &webview,
        "explain",
        json!({ "query": query, "membershipId": m, "figure": "cost_total", "lang": "es" }),
    );
    assert_eq!(e["total_minor"], 150050);
    assert_eq!(e["contributions"].as_array().expect("list").len(), 1);
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("cost");
    let written = ok(
        &webview,
        "explain_csv",
        json!({ "path": out, "query": query, "membershipId": m, "figure": "cost_total", "lang": "en" }),
    );
    let text = std::fs::read_to_string(written.as_str().expect("path")).expect("csv");
    assert!(text.contains("1500.50"), "{text}");

    let preview = ok(
        &webview,
        "record_delete_preview",
        json!({ "kind": "membership", "id": m }),
    );
    assert_eq!(preview, json!([{ "kind": "cost_entry", "count": 1 }]));
    let gone = ok(
        &webview,
        "record_delete",
        json!({ "kind": "membership", "id": m }),
    );
    assert_eq!(gone, preview);
}

#[test]
fn the_command_line_names_the_database_to_open_and_the_files_to_merge() {
    use cabildo_app::StartArgs;
    use std::path::{Path, PathBuf};
    let cwd = Path::new("/home/ana/Descargas");
    let args = StartArgs::parse(
        [
            "cabildo-app",
            "--verbose",
            "--open",
            "/data/office.cabildo",
            "from-mayor.cabildo",
            "/tmp/b.cabildo",
        ],
        cwd,
    );
    assert_eq!(args.open, Some(PathBuf::from("/data/office.cabildo")));
    // A file manager passes the files opened with the app as plain arguments;
    // relative ones are taken from the folder the launch happened in.
    assert_eq!(
        args.incoming,
        vec![
            PathBuf::from("/home/ana/Descargas/from-mayor.cabildo"),
            PathBuf::from("/tmp/b.cabildo")
        ]
    );
    let args = StartArgs::parse(
        ["cabildo-app", "--open=x.cabildo", "--", "-odd-name.cabildo"],
        cwd,
    );
    assert_eq!(args.open, Some(cwd.join("x.cabildo")));
    assert_eq!(args.incoming, vec![cwd.join("-odd-name.cabildo")]);
    assert_eq!(StartArgs::parse(["cabildo-app"], cwd), StartArgs::default());
}

#[test]
fn the_instance_name_is_one_per_data_folder() {
    use cabildo_app::{instance_id, APP_ID};
    use std::ffi::OsStr;
    // The D-Bus name is the bundle identifier of tauri.conf.json.
    assert_eq!(
        APP_ID,
        cabildo_app::context::<tauri::test::MockRuntime>()
            .config()
            .identifier
    );
    assert_eq!(instance_id(None), APP_ID);
    assert_eq!(instance_id(Some(OsStr::new(""))), APP_ID);
    let a = instance_id(Some(OsStr::new("/tmp/a")));
    assert_eq!(a, instance_id(Some(OsStr::new("/tmp/a"))));
    assert_ne!(a, instance_id(Some(OsStr::new("/tmp/b"))));
    // The folder as the file system names it: spelled otherwise, the same name.
    let dir = tempfile::tempdir().expect("temp dir");
    let name = dir
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let spelled = format!("{}/../{name}/", dir.path().display());
    assert_eq!(
        instance_id(Some(dir.path().as_os_str())),
        instance_id(Some(OsStr::new(&spelled)))
    );
    // A valid D-Bus well-known name: elements of [A-Za-z0-9_], none starting with a digit.
    assert!(a.split('.').all(|e| !e.is_empty()
        && !e.starts_with(|c: char| c.is_ascii_digit())
        && e.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')));
}
