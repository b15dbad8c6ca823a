//! The council charts: each chart names its title, unit, period, data date and source and
//! writes the ROI engine's figures, in Spanish and English; text stays at least 24 px at
//! 1080; PNG has the asked size and real colours; the PDF has one page per chart plus the
//! title page; an empty period draws the "no data" chart; rendering needs no system font.

use std::collections::HashSet;
use std::path::Path;

use cabildo::charts::{self, ChartKind, ChartRequest, PackRequest};
use cabildo::format::{self, Lang};
use cabildo::model::{Project, Stage};
use cabildo::roi::{self, RoiQuery};
use cabildo::Store;
use chrono::NaiveDate;
use resvg::tiny_skia::Pixmap;

const LANGS: [Lang; 2] = [Lang::Es, Lang::En];

fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 30).expect("anchor date")
}

fn demo(dir: &Path) -> Store {
    cabildo::demo::create(&dir.join("demo.cabildo"), anchor()).expect("demo database")
}

fn query() -> RoiQuery {
    RoiQuery::last_twelve_months(anchor(), "MXN")
}

fn request(kind: ChartKind, lang: Lang) -> ChartRequest {
    ChartRequest {
        kind,
        query: query(),
        lang,
        width: 1920,
        height: 1080,
    }
}

/// The SVG's text as a reader sees it: entities decoded, and without the line breaks
/// plotters writes around each text (SVG drops them when it draws).
fn text_of(svg: &str) -> String {
    svg.replace(">\n", ">")
        .replace("\n<", "<")
        .replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// An amount as the charts write it: abbreviated major units of MXN.
fn short(minor: i64, lang: Lang) -> String {
    format::abbreviate(minor as f64 / 100.0, lang)
}

fn assert_contains(svg: &str, expected: &str, what: &str) {
    assert!(
        svg.contains(expected),
        "{what}: expected {expected:?} in the chart's text"
    );
}

/// Every `font-size` in the SVG.
fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next()?.parse().ok())
        .collect()
}

#[test]
fn every_chart_carries_title_unit_period_data_date_and_source_in_both_languages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    let data_date = chrono::DateTime::from_timestamp_millis(report.data_stamp)
        .expect("data stamp")
        .date_naive();
    for lang in LANGS {
        for kind in ChartKind::ALL {
            let chart = charts::render_svg(&store, &request(kind, lang)).expect("chart");
            let svg = text_of(&chart.svg);
            let what = format!("{} ({})", kind.code(), lang.code());
            assert!(!chart.empty, "{what} should have data in the demo");
            assert_eq!(chart.title, kind.title(lang));
            assert_contains(&svg, kind.title(lang), &what);
            assert_contains(&svg, &format::date(query().from, lang), &what);
            assert_contains(&svg, &format::date(query().to, lang), &what);
            assert_contains(&svg, lang.pick("Periodo", "Period"), &what);
            assert_contains(
                &svg,
                &format!(
                    "{} {}",
                    lang.pick("Datos al", "Data as of"),
                    format::date(data_date, lang)
                ),
                &what,
            );
            assert_contains(&svg, lang.pick("Fuente:", "Source:"), &what);
            assert_contains(&svg, cabildo::demo::DEMO_CITY, &what);
            assert!(
                svg.contains(lang.pick("Montos en MXN", "Amounts in MXN"))
                    || svg.contains(lang.pick("Número de reuniones", "Number of meetings"))
                    || svg.contains(lang.pick("Duración en meses", "Duration in months")),
                "{what}: the unit is missing"
            );
            assert!(!chart.figures.is_empty(), "{what}: no key figures");
        }
    }
}

#[test]
fn text_is_at_least_24_px_on_a_1080_high_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    for lang in LANGS {
        for kind in ChartKind::ALL {
            let chart = charts::render_svg(&store, &request(kind, lang)).expect("chart");
            let sizes = font_sizes(&chart.svg);
            assert!(!sizes.is_empty(), "{}: no text", kind.code());
            let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
            assert!(
                smallest >= 23.99,
                "{} ({}): smallest text is {smallest} px",
                kind.code(),
                lang.code()
            );
        }
    }
}

#[test]
fn cost_by_category_writes_each_networks_total_and_the_categories() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    for lang in LANGS {
        let chart =
            charts::render_svg(&store, &request(ChartKind::CostByCategory, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        for network in report.by_network.iter().filter(|n| n.cost_total_minor > 0) {
            let acronym = network.label.split(" — ").next().unwrap_or_default();
            assert_contains(&svg, acronym, "network");
            assert_contains(&svg, &short(network.cost_total_minor, lang), acronym);
        }
        for label in [
            lang.pick("Cuotas", "Dues"),
            lang.pick("Viajes", "Travel"),
            lang.pick("Tiempo del personal", "Staff time"),
            lang.pick("Sede de eventos", "Hosting"),
        ] {
            assert_contains(&svg, label, "category legend");
        }
        assert_eq!(
            chart.figures[0].value,
            format::money_short(report.totals.cost_total_minor, "MXN", lang)
        );
    }
}

#[test]
fn cost_vs_return_writes_financing_months_saved_and_policies_of_the_engine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    for lang in LANGS {
        let chart =
            charts::render_svg(&store, &request(ChartKind::CostVsReturn, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        assert_contains(&svg, lang.pick("Meses ahorrados", "Months saved"), "header");
        assert_contains(
            &svg,
            lang.pick("Financiamiento comprometido", "Financing committed"),
            "legend",
        );
        for network in &report.by_network {
            if network.financing_committed_minor > 0 {
                assert_contains(
                    &svg,
                    &short(network.financing_committed_minor, lang),
                    &network.label,
                );
            }
            if network.months_saved > 0.0 {
                assert_contains(
                    &svg,
                    &format!(">{}<", format::count(network.months_saved)),
                    &network.label,
                );
            }
        }
        let values: Vec<&str> = chart.figures.iter().map(|f| f.value.as_str()).collect();
        assert!(values.contains(
            &format::money_short(report.totals.financing_committed_minor, "MXN", lang).as_str()
        ));
        assert!(values.contains(&format::count(report.totals.policies_transferred).as_str()));
    }
}

#[test]
fn financing_over_time_ends_at_the_engines_committed_and_disbursed_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    assert!(report.totals.financing_committed_minor > 0);
    for lang in LANGS {
        let chart = charts::render_svg(&store, &request(ChartKind::FinancingOverTime, lang))
            .expect("chart");
        let svg = text_of(&chart.svg);
        assert_contains(
            &svg,
            &format!(
                "{}: {}",
                lang.pick("Comprometido", "Committed"),
                short(report.totals.financing_committed_minor, lang)
            ),
            "committed total",
        );
        assert_contains(
            &svg,
            &format!(
                "{}: {}",
                lang.pick("Desembolsado", "Disbursed"),
                short(report.totals.financing_disbursed_minor, lang)
            ),
            "disbursed total",
        );
        assert_contains(&svg, lang.pick("Donación", "Grant"), "instrument");
        assert_contains(
            &svg,
            lang.pick("Préstamo concesional", "Concessional loan"),
            "instrument",
        );
    }
}

#[test]
fn leverage_marks_every_membership_by_its_classification() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    for lang in LANGS {
        let chart = charts::render_svg(&store, &request(ChartKind::Leverage, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        assert_contains(
            &svg,
            &format!(
                "{} (MXN)",
                lang.pick("Costo de participación", "Cost of taking part")
            ),
            "x axis",
        );
        assert_contains(
            &svg,
            &format!(
                "{} (MXN)",
                lang.pick("Financiamiento comprometido", "Financing committed")
            ),
            "y axis",
        );
        // The strip's label may wrap onto two lines.
        for word in lang.pick("Sin financiamiento", "No financing").split(' ') {
            assert_contains(&svg, &format!(">{word}"), "strip");
        }
        let shown: Vec<_> = report
            .rows
            .iter()
            .filter(|r| r.cost_total_minor > 0 || r.financing_committed_minor > 0)
            .collect();
        for row in &shown {
            assert_contains(&svg, &row.network_acronym, "point label");
            assert_contains(&svg, row.classification.label(lang), "legend");
        }
        assert!(shown
            .iter()
            .any(|r| r.classification == roi::Classification::Passive));
    }
}

#[test]
fn project_timelines_name_each_project_and_its_months_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let projects: Vec<Project> = store.list(None).expect("projects");
    for lang in LANGS {
        let chart =
            charts::render_svg(&store, &request(ChartKind::ProjectTimelines, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        for p in projects.iter().filter(|p| p.stage != Stage::Dropped) {
            assert_contains(&svg, &p.name, "project");
        }
        // BRT Línea 4: baseline 48 months, actual 40.
        assert_contains(
            &svg,
            lang.pick("8 meses menos", "8 months sooner"),
            "saving",
        );
        assert_contains(
            &svg,
            lang.pick(
                "Plazo sin la red (línea base)",
                "Timeline without the network (baseline)",
            ),
            "legend",
        );
        assert_contains(&svg, lang.pick("Movilidad", "Mobility"), "sector");
    }
}

#[test]
fn portfolio_funnel_counts_projects_and_capital_cost_by_stage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let projects: Vec<Project> = store.list(None).expect("projects");
    let total: i64 = projects.iter().filter_map(|p| p.capex_minor).sum();
    for lang in LANGS {
        let chart =
            charts::render_svg(&store, &request(ChartKind::PortfolioFunnel, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        for stage in [
            lang.pick("Concepto", "Concept"),
            lang.pick("Financiable", "Bankable"),
            lang.pick("Ejecución", "Implementation"),
        ] {
            assert_contains(&svg, stage, "stage");
        }
        let brt = projects
            .iter()
            .find(|p| p.stage == Stage::Implementation)
            .and_then(|p| p.capex_minor)
            .expect("a project in implementation");
        assert_contains(
            &svg,
            &format!(
                "{} · {}",
                lang.pick("1 proyecto", "1 project"),
                format::money_short(brt, "MXN", lang)
            ),
            "implementation stage",
        );
        assert!(chart
            .figures
            .iter()
            .any(|f| f.value == format::money_short(total, "MXN", lang)));
    }
}

#[test]
fn asks_to_results_splits_each_networks_meetings_by_ask_and_by_result() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let report = roi::compute(&store, &query()).expect("report");
    let with_ask: i64 = report.rows.iter().map(|r| r.meetings_with_ask).sum();
    for lang in LANGS {
        let chart =
            charts::render_svg(&store, &request(ChartKind::AsksToResults, lang)).expect("chart");
        let svg = text_of(&chart.svg);
        assert_contains(&svg, lang.pick("Qué se pidió:", "What was asked:"), "panel");
        assert_contains(
            &svg,
            lang.pick("Qué se logró:", "What came of it:"),
            "panel",
        );
        assert_contains(
            &svg,
            lang.pick("Ruta de financiamiento", "Financing pathway"),
            "ask",
        );
        assert_contains(&svg, lang.pick("Logrado", "Achieved"), "result");
        for network in report.by_network.iter().filter(|n| n.meetings_held > 0) {
            let acronym = network.label.split(" — ").next().unwrap_or_default();
            assert_contains(&svg, acronym, "network");
            assert_contains(&svg, &format!(">{}<", network.meetings_held), acronym);
        }
        assert_eq!(
            chart.figures[0].value,
            format::number(report.totals.meetings_held as f64, 0)
        );
        assert_eq!(chart.figures[1].value, format::number(with_ask as f64, 0));
    }
}

#[test]
fn an_empty_period_draws_the_no_data_chart_for_every_kind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let empty = RoiQuery {
        from: NaiveDate::from_ymd_opt(1990, 1, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(1990, 12, 31).expect("date"),
        currency: "MXN".into(),
        city_id: None,
    };
    for lang in LANGS {
        for kind in ChartKind::ALL {
            let chart = charts::render_svg(
                &store,
                &ChartRequest {
                    kind,
                    query: empty.clone(),
                    lang,
                    width: 1920,
                    height: 1080,
                },
            )
            .expect("chart");
            assert!(chart.empty, "{} should be empty", kind.code());
            assert!(chart.figures.is_empty());
            let svg = text_of(&chart.svg);
            assert_contains(
                &svg,
                lang.pick("Sin datos para este periodo", "No data for this period"),
                kind.code(),
            );
            assert_contains(&svg, kind.title(lang), kind.code());
            assert_contains(&svg, "1990", kind.code());
        }
    }
}

/// Pixels of an Okabe–Ito colour (exact, as bars are filled flat).
fn count_colour(pixmap: &Pixmap, rgb: (u8, u8, u8)) -> usize {
    pixmap
        .pixels()
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue()) == rgb)
        .count()
}

#[test]
fn png_has_the_requested_size_and_shows_several_colours() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    for (kind, width, height) in [
        (ChartKind::CostByCategory, 1920, 1080),
        (ChartKind::AsksToResults, 3840, 2160),
        (ChartKind::Leverage, 1280, 720),
    ] {
        let mut req = request(kind, Lang::Es);
        req.width = width;
        req.height = height;
        let chart = charts::render_svg(&store, &req).expect("chart");
        let png = charts::png(&chart.svg, width, height).expect("png");
        let pixmap = Pixmap::decode_png(&png).expect("decodable png");
        assert_eq!((pixmap.width(), pixmap.height()), (width, height));
        let distinct: HashSet<(u8, u8, u8)> = pixmap
            .pixels()
            .iter()
            .map(|p| (p.red(), p.green(), p.blue()))
            .collect();
        assert!(distinct.len() > 20, "{}: a blank picture", kind.code());
        let palette_colours = [
            (0x00, 0x72, 0xB2),
            (0xE6, 0x9F, 0x00),
            (0x00, 0x9E, 0x73),
            (0x56, 0xB4, 0xE9),
            (0xCC, 0x79, 0xA7),
            (0xD5, 0x5E, 0x00),
        ]
        .iter()
        .filter(|c| count_colour(&pixmap, **c) > 50)
        .count();
        assert!(
            palette_colours >= 3,
            "{}: only {palette_colours} Okabe–Ito colours",
            kind.code()
        );
    }
}

#[test]
fn accented_text_rasterises_as_its_own_glyphs_not_boxes() {
    let svg = |text: &str| {
        format!(
            r#"<svg width="400" height="400" viewBox="0 0 400 400" xmlns="http://www.w3.org/2000/svg"><text x="20" y="250" font-family="Noto Sans" font-size="200">{text}</text></svg>"#
        )
    };
    let render = |text: &str| charts::png(&svg(text), 400, 400).expect("png");
    // U+E000 is a private-use code point the font lacks: it draws the missing-glyph box.
    let missing = render("\u{E000}");
    for (accented, plain) in [
        ("á", "a"),
        ("é", "e"),
        ("í", "i"),
        ("ó", "o"),
        ("ú", "u"),
        ("ñ", "n"),
        ("ü", "u"),
        ("ç", "c"),
    ] {
        let picture = render(accented);
        assert_ne!(picture, missing, "{accented} drew the missing-glyph box");
        assert_ne!(picture, render(plain), "{accented} drew no accent");
    }
}

fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + "/Type /Page".len()..].starts_with('s'))
        .count()
}

#[test]
fn council_pack_has_a_title_page_and_one_page_per_chart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    for (lang, kinds) in [
        (Lang::Es, Vec::new()),
        (
            Lang::En,
            vec![
                ChartKind::Leverage,
                ChartKind::CostByCategory,
                ChartKind::AsksToResults,
            ],
        ),
    ] {
        let expected = if kinds.is_empty() { 8 } else { kinds.len() };
        let request = PackRequest {
            query: query(),
            lang,
            charts: kinds,
            generated_on: Some(anchor()),
        };
        let pdf = charts::council_pack(&store, &request).expect("pack");
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(page_count(&pdf), expected + 1);
        // The text is embedded as text, with the font subset into the file.
        assert!(String::from_utf8_lossy(&pdf).contains("/FontFile2"));

        let pages = charts::pack_pages(&store, &request).expect("pages");
        let title = text_of(&pages[0]);
        assert_contains(&title, cabildo::demo::DEMO_CITY, "title page");
        assert_contains(&title, &format::date(anchor(), lang), "title page");
        assert_contains(&title, lang.pick("Español", "English"), "title page");
        assert_contains(
            &text_of(&pages[1]),
            lang.pick("Cifras clave", "Key figures"),
            "chart page",
        );
    }
}

#[test]
fn single_chart_pdf_has_one_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let chart =
        charts::render_svg(&store, &request(ChartKind::PortfolioFunnel, Lang::Es)).expect("chart");
    let pdf = charts::pdf(&[chart.svg]).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(page_count(&pdf), 1);
}

#[test]
fn sizes_outside_the_supported_range_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = demo(dir.path());
    let mut req = request(ChartKind::CostByCategory, Lang::En);
    req.width = 100;
    let err = charts::render_svg(&store, &req).expect_err("too small");
    assert_eq!(err.code(), "invalid.out_of_range");
    assert!(charts::png("<svg/>", 20_000, 100).is_err());
}

#[test]
fn chart_kinds_use_their_kebab_case_names() {
    for kind in ChartKind::ALL {
        assert_eq!(ChartKind::parse(kind.code()), Some(kind));
        assert_eq!(
            serde_json::to_string(&kind).expect("json"),
            format!("\"{}\"", kind.code())
        );
    }
    assert_eq!(ChartKind::parse("pie"), None);
}

#[test]
fn thirty_networks_each_get_a_readable_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cabildo::generate::generate(&dir.path().join("gen.cabildo"), 3, 7, "MXN", |_| {})
        .expect("generated database");
    let query = RoiQuery {
        from: NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"),
        to: NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
        currency: "MXN".into(),
        city_id: None,
    };
    let report = roi::compute(&store, &query).expect("report");
    let networks: Vec<String> = report
        .by_network
        .iter()
        .filter(|n| n.financing_committed_minor > 0 || n.cost_total_minor > 0)
        .map(|n| n.label.split(" — ").next().unwrap_or_default().to_string())
        .collect();
    assert!(networks.len() >= 25, "only {} networks", networks.len());
    for kind in [ChartKind::CostVsReturn, ChartKind::CostByCategory] {
        let chart = charts::render_svg(
            &store,
            &ChartRequest {
                kind,
                query: query.clone(),
                lang: Lang::En,
                width: 1920,
                height: 1080,
            },
        )
        .expect("chart");
        let svg = text_of(&chart.svg);
        for acronym in &networks {
            assert!(
                svg.contains(&format!(">{acronym}<")),
                "{}: {acronym} has no row of its own",
                kind.code()
            );
        }
        let smallest = font_sizes(&chart.svg)
            .into_iter()
            .fold(f64::INFINITY, f64::min);
        assert!(smallest >= 23.99);
    }
}

#[test]
fn the_cli_renders_a_png_with_no_system_fonts() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(demo(dir.path()));
    // An empty fontconfig configuration: no font directory at all.
    let config = dir.path().join("fonts.conf");
    std::fs::write(
        &config,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n",
    )
    .expect("fontconfig file");
    let out = dir.path().join("chart.png");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args(["chart"])
        .arg(dir.path().join("demo.cabildo"))
        .args(["cost-by-category", "--lang", "es", "--to", "2025-06-30"])
        .args(["--width", "1600", "--height", "900", "--out"])
        .arg(&out)
        .env("FONTCONFIG_FILE", &config)
        .env("FONTCONFIG_PATH", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .env("HOME", dir.path())
        .status()
        .expect("cabildo runs");
    assert!(status.success());
    let pixmap = Pixmap::decode_png(&std::fs::read(&out).expect("png written")).expect("png");
    assert_eq!((pixmap.width(), pixmap.height()), (1600, 900));
    // The title's band holds dark text pixels: the text was drawn with the embedded font.
    let dark = pixmap
        .pixels()
        .iter()
        .take(1600 * 80)
        .filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80)
        .count();
    assert!(dark > 2_000, "the title drew only {dark} dark pixels");
}

/// The app draws from the report indexes it keeps; the command line reads the tables.
/// Every chart must be the same picture either way, in both languages, over periods
/// that cut through the data, for all cities and for one.
#[test]
fn charts_from_the_kept_indexes_equal_charts_from_the_tables() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("gen.cabildo");
    drop(cabildo::generate::generate(&path, 6, 5, "MXN", |_| {}).expect("generate"));
    let kept = Store::open(&path).expect("open");
    kept.keep_report_indexes(true);
    let plain = Store::open_read_only(&path).expect("reference store");
    let cities: Vec<cabildo::model::City> = plain.list(None).expect("cities");
    let today = chrono::Utc::now().date_naive();
    let mut queries = vec![RoiQuery::last_twelve_months(today, "MXN")];
    let mut longer = RoiQuery::last_twelve_months(today, "USD");
    longer.from = NaiveDate::from_ymd_opt(2021, 3, 15).expect("date");
    queries.push(longer.clone());
    longer.city_id = Some(cities[cities.len() / 2].meta.id.clone());
    queries.push(longer);
    let mut drawn_with_data = 0;
    for query in &queries {
        for lang in LANGS {
            let a = charts::ChartContext::new(&kept, query, lang).expect("kept context");
            let b = charts::ChartContext::new(&plain, query, lang).expect("plain context");
            for kind in ChartKind::ALL {
                let x = a.draw(kind, 1280, 720).expect("kept chart");
                let y = b.draw(kind, 1280, 720).expect("plain chart");
                assert_eq!(x.figures, y.figures, "{kind:?} {lang:?} {query:?}");
                assert!(x.svg == y.svg, "{kind:?} {lang:?} {query:?}: SVGs differ");
                drawn_with_data += usize::from(!x.empty);
            }
        }
    }
    // Not a comparison of empty charts.
    assert!(drawn_with_data >= 40, "{drawn_with_data} charts with data");
}
