//! The global search command, driven through Tauri's mock runtime.

mod common;

use common::*;

use serde_json::json;

#[test]
fn search_before_any_database_answers_no_database() {
    let (_app, webview) = app();
    let e = err(&webview, "search", json!({ "text": "c40" }));
    assert_eq!(e.code, "no_database");
}

#[test]
fn search_finds_a_demo_meeting_by_unaccented_words_and_a_hostile_query_finds_nothing() {
    let (_app, webview) = app();
    ok(&webview, "db_open_demo", json!({}));
    let found = ok(
        &webview,
        "search",
        json!({ "text": "financiamiento climatico", "limit": 3 }),
    );
    let groups = found["groups"].as_array().expect("groups");
    let meeting = groups
        .iter()
        .find(|g| g["kind"] == "meeting")
        .expect("a meeting group");
    assert_eq!(
        meeting["hits"][0]["label"]
            .as_str()
            .map(|l| l.ends_with("Taller de financiamiento climático")),
        Some(true)
    );
    assert!(groups
        .iter()
        .all(|g| g["hits"].as_array().expect("hits").len() <= 3));
    let none = ok(&webview, "search", json!({ "text": "\"NEAR(( OR *" }));
    assert_eq!(none["groups"], json!([]));
}
