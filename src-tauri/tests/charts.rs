//! The chart commands (issue 4), driven through Tauri's mock runtime on the
//! demo database: drawing the eight charts in both languages, exporting SVG,
//! PNG and PDF files, the council pack, refusing a bad path or size with the
//! right error code, the end-to-end save folder and the full-screen switch.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::WebviewWindow;

use cabildo_app::charts::{ChartSet, SAVE_DIR_ENV};

/// The demo database, made once (anchored on today) and opened by every test.
fn demo_file() -> &'static Path {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = data_dir().join("charts-demo.cabildo");
        cabildo::demo::create(&path, chrono::Local::now().date_naive()).expect("demo database");
        path
    })
}

fn app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    data_dir();
    let app = cabildo_app::build_app(mock_builder())
        .build(cabildo_app::context())
        .expect("the app builds on the mock runtime");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window opens on the mock runtime");
    (app, webview)
}

/// An app with the demo database open. Opening writes the recent-files list
/// of the shared data folder (through one temporary name): one at a time.
fn demo_app() -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    static OPENING: Mutex<()> = Mutex::new(());
    let (app, webview) = app();
    let path = demo_file();
    let _one_at_a_time = OPENING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    ok(&webview, "db_open", json!({ "path": path }));
    (app, webview)
}

/// The default selection of the demo (last twelve months, office currency).
fn default_query(webview: &WebviewWindow<MockRuntime>) -> Value {
    let set = ok(
        webview,
        "charts_render",
        json!({ "query": null, "cityId": null, "lang": "es", "kinds": ["leverage"],
                "width": 640, "height": 360 }),
    );
    set["query"].clone()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG signature");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (be(16), be(20))
}

#[test]
fn charts_need_an_open_database() {
    let (_app, webview) = app();
    let e = err(
        &webview,
        "charts_render",
        json!({ "lang": "es", "kinds": [], "width": 1920, "height": 1080 }),
    );
    assert_eq!(e.code, "no_database");
}

#[test]
fn the_eight_demo_charts_carry_their_spanish_and_english_titles() {
    let (_app, webview) = demo_app();
    for (lang, title) in [
        ("es", "Costo por categoría y red"),
        ("en", "Cost by category and network"),
    ] {
        let set: ChartSet = serde_json::from_value(ok(
            &webview,
            "charts_render",
            json!({ "lang": lang, "kinds": [], "width": 1920, "height": 1080 }),
        ))
        .expect("ChartSet");
        assert_eq!(set.charts.len(), 8, "all eight when no kind is named");
        let first = &set.charts[0];
        assert_eq!(first.title, title);
        assert!(first.svg.starts_with("<svg"), "inline SVG");
        assert!(first.svg.contains(title), "the SVG draws its title");
        assert!(!first.empty, "the demo has costs in the last twelve months");
        assert!(!first.figures.is_empty(), "key figures under the chart");
        for chart in &set.charts {
            assert_eq!((chart.width, chart.height), (1920, 1080));
            assert!(chart.svg.contains(&chart.title), "{:?}", chart.kind);
        }
        // The default selection: twelve months to today, the office currency.
        assert_eq!(set.query.currency, "MXN");
        assert_eq!(set.query.to, chrono::Local::now().date_naive());
    }
}

#[test]
fn charts_are_drawn_in_the_order_asked_for_one_city() {
    let (_app, webview) = demo_app();
    let mut query = default_query(&webview);
    let cities = ok(&webview, "records_list", json!({ "kind": "city" }));
    query["city_id"] = cities[0]["id"].clone();
    let set: ChartSet = serde_json::from_value(ok(
        &webview,
        "charts_render",
        json!({ "query": query, "lang": "en", "kinds": ["asks-to-results", "leverage"],
                "width": 1280, "height": 720 }),
    ))
    .expect("ChartSet");
    let kinds: Vec<&str> = set.charts.iter().map(|c| c.kind.code()).collect();
    assert_eq!(kinds, ["asks-to-results", "leverage"]);
    assert_eq!(set.charts[1].title, "Leverage map: cost against financing");
    assert!(set.charts[1].svg.contains("viewBox=\"0 0 1280 720\""));
}

#[test]
fn a_size_out_of_range_is_refused_with_its_code() {
    let (_app, webview) = demo_app();
    let e = err(
        &webview,
        "charts_render",
        json!({ "lang": "es", "kinds": ["leverage"], "width": 100, "height": 1080 }),
    );
    assert_eq!(e.code, "invalid.out_of_range");
    assert_eq!(e.field.as_deref(), Some("width"));
}

#[test]
fn exporting_a_png_writes_a_file_of_the_asked_size() {
    let (_app, webview) = demo_app();
    let query = default_query(&webview);
    let out = tempfile::tempdir().expect("temp dir");
    for (width, height) in [(1920, 1080), (3840, 2160)] {
        // No extension: the command adds it.
        let asked = out.path().join(format!("costo-{width}"));
        let written = ok(
            &webview,
            "chart_export",
            json!({ "request": { "kind": "cost-by-category", "query": query, "lang": "es",
                                 "width": width, "height": height },
                    "format": "png", "path": asked }),
        );
        let written = PathBuf::from(written.as_str().expect("path"));
        assert_eq!(written, out.path().join(format!("costo-{width}.png")));
        let bytes = std::fs::read(&written).expect("the PNG was written");
        assert_eq!(png_size(&bytes), (width, height));
    }
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
}

#[test]
fn exporting_svg_and_pdf_writes_the_same_chart() {
    let (_app, webview) = demo_app();
    let query = default_query(&webview);
    let out = tempfile::tempdir().expect("temp dir");
    let request = json!({ "kind": "leverage", "query": query, "lang": "en",
                          "width": 1920, "height": 1080 });

    let svg_path = out.path().join("leverage.svg");
    ok(
        &webview,
        "chart_export",
        json!({ "request": request, "format": "svg", "path": svg_path }),
    );
    let svg = std::fs::read_to_string(&svg_path).expect("the SVG was written");
    assert!(svg.contains("Leverage map: cost against financing"));

    let pdf_path = out.path().join("leverage.PDF");
    let written = ok(
        &webview,
        "chart_export",
        json!({ "request": request, "format": "pdf", "path": pdf_path }),
    );
    assert_eq!(written.as_str(), Some(pdf_path.to_string_lossy().as_ref()));
    let pdf = std::fs::read(&pdf_path).expect("the PDF was written");
    assert!(pdf.starts_with(b"%PDF"));
}

#[test]
fn exporting_into_a_missing_folder_is_an_io_error() {
    let (_app, webview) = demo_app();
    let query = default_query(&webview);
    let out = tempfile::tempdir().expect("temp dir");
    let bad = out.path().join("no-such-folder").join("chart.png");
    let e = err(
        &webview,
        "chart_export",
        json!({ "request": { "kind": "leverage", "query": query, "lang": "es",
                             "width": 1920, "height": 1080 },
                "format": "png", "path": bad }),
    );
    assert_eq!(e.code, "io");
    assert!(!bad.exists());

    let e = err(
        &webview,
        "council_pack_export",
        json!({ "request": { "query": query, "lang": "es", "charts": [] }, "path": bad }),
    );
    assert_eq!(e.code, "io");
}

#[test]
fn the_council_pack_has_a_title_page_and_one_page_per_chosen_chart() {
    let (_app, webview) = demo_app();
    let query = default_query(&webview);
    let out = tempfile::tempdir().expect("temp dir");
    let path = out.path().join("cabildo");
    let written = ok(
        &webview,
        "council_pack_export",
        json!({ "request": { "query": query, "lang": "es",
                             "charts": ["cost-by-category", "leverage", "portfolio-funnel"] },
                "path": path }),
    );
    assert_eq!(
        written.as_str(),
        Some(out.path().join("cabildo.pdf").to_string_lossy().as_ref())
    );
    let pdf = std::fs::read(out.path().join("cabildo.pdf")).expect("the pack was written");
    assert!(pdf.starts_with(b"%PDF"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Count 4"), "title page and three charts");
}

#[test]
fn the_end_to_end_save_folder_replaces_the_dialog_only_when_set() {
    let (_app, webview) = app();
    std::env::remove_var(SAVE_DIR_ENV);
    let none = ok(
        &webview,
        "charts_save_override",
        json!({ "fileName": "x.png" }),
    );
    assert_eq!(none, Value::Null, "without the variable the UI asks");

    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("saved");
    std::env::set_var(SAVE_DIR_ENV, &folder);
    let path = ok(
        &webview,
        "charts_save_override",
        json!({ "fileName": "../../escape/costo.png" }),
    );
    std::env::remove_var(SAVE_DIR_ENV);
    assert_eq!(
        path.as_str(),
        Some(folder.join("costo.png").to_string_lossy().as_ref()),
        "only the file name is kept"
    );
    assert!(folder.is_dir(), "the folder is created");
}

#[test]
fn presentation_mode_switches_full_screen_and_reports_the_state_before() {
    let (_app, webview) = app();
    let was = ok(
        &webview,
        "presentation_fullscreen",
        json!({ "fullscreen": true }),
    );
    assert_eq!(was, json!(false));
    let was = ok(
        &webview,
        "presentation_fullscreen",
        json!({ "fullscreen": false }),
    );
    assert_eq!(
        was,
        json!(false),
        "the mock window never reports full screen"
    );
}
