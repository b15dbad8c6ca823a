//! The spreadsheet import (issue 12) on sheets the tests write: Spanish headers under
//! a title block with a totals row, decimal commas, day-first and serial dates,
//! currency marks, an unknown network, a broken CSV quote, a file that is not a
//! spreadsheet; each record, warning and error asserted.

mod common;

use std::path::{Path, PathBuf};

use cabildo::format::Lang;
use cabildo::import::{self, DateOrder, ImportRequest, MapTo, Mapping, Preview};
use cabildo::model::*;
use cabildo::numbers::NumberFormat;
use cabildo::{Error, RecordKind, Store};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// Villa with memberships of C40 and ICLEI: (store, city, C40's, ICLEI's).
fn office() -> (Store, String, String, String) {
    let (mut store, city, c40) = common::store_with_membership();
    let iclei = common::network_id(&store, "ICLEI");
    let iclei = store
        .insert(common::membership(&city, &iclei))
        .expect("membership")
        .meta
        .id;
    (store, city, c40, iclei)
}

fn costs(store: &Store) -> usize {
    store.list::<CostEntry>(None).expect("costs").len()
}

fn request(lang: Lang) -> ImportRequest {
    ImportRequest {
        kind: RecordKind::CostEntry,
        sheet: None,
        mapping: Mapping::new(),
        values: Default::default(),
        lang,
        source: None,
        skip_duplicates: false,
    }
}

fn preview(store: &mut Store, path: &Path, request: &ImportRequest) -> Preview {
    let sheets = import::read_sheets(path).expect("read");
    import::run(store, &sheets, request, false, false).expect("preview")
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// A workbook as an office keeps one: a merged title, a blank row, Spanish headers,
/// a date cell, an Excel serial in the date column, a formula total at the bottom.
fn dues_workbook(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Cuotas 2025").expect("name");
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .merge_range(0, 0, 0, 5, "Gastos internacionales 2025 — Villa", &bold)
        .expect("title");
    for (col, header) in ["Fecha", "Red", "Concepto", "Categoría", "Importe", "Moneda"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, col as u16, *header).expect("header");
    }
    let date = ExcelDateTime::from_ymd(2025, 3, 3).expect("date");
    sheet
        .write_datetime_with_format(3, 0, &date, &day)
        .expect("date");
    sheet.write_string(3, 1, "c40").expect("cell");
    sheet.write_string(3, 2, "Cuota anual").expect("cell");
    sheet.write_string(3, 3, "Cuotas").expect("cell");
    sheet.write_number(3, 4, 12500.0).expect("cell");
    sheet.write_string(3, 5, "USD").expect("cell");
    // 45672 is 15 January 2025, typed as a plain number.
    sheet.write_number(4, 0, 45672.0).expect("serial");
    sheet.write_string(4, 1, "Iclei").expect("cell");
    sheet.write_string(4, 2, "Viaje a Bonn").expect("cell");
    sheet.write_string(4, 3, "Viajes").expect("cell");
    sheet.write_number(4, 4, 8940.5).expect("cell");
    sheet.write_string(4, 5, "EUR").expect("cell");
    sheet.write_string(6, 0, "Total").expect("total");
    sheet
        .write_formula(
            6,
            4,
            rust_xlsxwriter::Formula::new("=SUM(E4:E5)").set_result("21440.5"),
        )
        .expect("sum");
    book.save(path).expect("save");
}

#[test]
fn xlsx_spanish_headers_under_a_title_block_with_a_totals_row_become_costs() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("cuotas.xlsx");
    dues_workbook(&path);
    let (mut store, city, c40, iclei) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert_eq!(p.sheet, "Cuotas 2025");
    assert_eq!(p.header_row, 3);
    assert_eq!(p.title_rows, vec![1]);
    assert_eq!(p.blank_rows, vec![6]);
    assert_eq!(p.totals_row, Some(7));
    assert_eq!(p.data_rows, 2);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.records_ok, 2);
    let first = &p.records[0];
    assert_eq!(first["spent_on"], "2025-03-03");
    assert_eq!(first["membership_id"], Value::String(c40));
    assert_eq!(first["city_id"], Value::String(city));
    assert_eq!(first["category"], "dues");
    assert_eq!(first["amount_minor"], 1_250_000);
    assert_eq!(first["currency"], "USD");
    assert_eq!(first["description"], "Cuota anual");
    let second = &p.records[1];
    assert_eq!(second["spent_on"], "2025-01-15");
    assert_eq!(second["membership_id"], Value::String(iclei));
    assert_eq!(second["category"], "travel");
    assert_eq!(second["amount_minor"], 894_050);
    assert!(
        p.notes.iter().any(|n| n.contains("totales")),
        "{:?}",
        p.notes
    );
    // A preview writes nothing; the import writes both, in one go.
    assert_eq!(costs(&store), 0);
    let sheets = import::read_sheets(&path).expect("read");
    let done = import::run(&mut store, &sheets, &request(Lang::Es), true, false).expect("import");
    assert!(done.applied);
    assert_eq!(done.imported_ids.len(), 2);
    assert_eq!(costs(&store), 2);
}

#[test]
fn csv_with_decimal_commas_day_first_dates_and_currency_marks_is_read_that_way() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "\u{feff}Fecha;Red;Concepto;Categoría;Monto\n\
        15/01/2025;C40;Cuota;Cuotas;US$ 12.500,00\n\
        28/02/2025;ICLEI;Viaje;Viajes;€ 8.940.000\n\
        05/03/2025;C40;Taller;Otros;MX$ 3.215.450,50\n";
    let path = write(&dir, "gastos.csv", text.as_bytes());
    let (mut store, ..) = office();
    // The office writes 1,234.56; the column is plainly 1.234,56.
    assert_eq!(store.office().number_format, NumberFormat::CommaPoint);
    let p = preview(&mut store, &path, &request(Lang::En));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let amount = p
        .columns
        .iter()
        .find(|c| c.field == "amount_minor")
        .expect("amount");
    assert_eq!(amount.number_format, Some(NumberFormat::PointComma));
    assert!(amount.format_detected);
    assert!(amount.currency_from_cells);
    let date = p
        .columns
        .iter()
        .find(|c| c.field == "spent_on")
        .expect("date");
    // English would read month first; the values say day first.
    assert_eq!(date.date_order, Some(DateOrder::Dmy));
    let got: Vec<(String, i64, String)> = p
        .records
        .iter()
        .map(|r| {
            (
                r["spent_on"].as_str().unwrap_or_default().to_string(),
                r["amount_minor"].as_i64().unwrap_or_default(),
                r["currency"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2025-01-15".into(), 1_250_000, "USD".into()),
            ("2025-02-28".into(), 894_000_000, "EUR".into()),
            ("2025-03-05".into(), 321_545_050, "MXN".into()),
        ]
    );
    assert!(
        p.notes.iter().any(|n| n.contains("1.234,56")),
        "{:?}",
        p.notes
    );
}

#[test]
fn an_unknown_network_is_listed_and_its_row_refused_unless_errors_are_skipped() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Date,Network,Description,Category,Amount,Currency\n\
        2025-01-15,C40,Dues,Dues,100.00,USD\n\
        2025-01-16,Red Fantasma,Workshop,Other,50.00,USD\n\
        2025-01-17,Metropolitan League,Trip,Travel,70.00,USD\n";
    let path = write(&dir, "costs.csv", text.as_bytes());
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::En));
    assert_eq!(p.records_ok, 1);
    let rows: Vec<(usize, Option<&str>, &str)> = p
        .problems
        .iter()
        .map(|e| (e.row, e.column.as_deref(), e.reason.as_str()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, Some("Network"), "unmatched"),
            (4, Some("Network"), "unmatched")
        ]
    );
    assert_eq!(
        p.problems[0].message,
        "Matches no record of the database: Red Fantasma"
    );
    let names: Vec<&str> = p.unmatched.iter().map(|u| u.value.as_str()).collect();
    assert_eq!(names, vec!["Metropolitan League", "Red Fantasma"]);
    assert_eq!(p.unmatched[1].rows, vec![3]);

    // Rows in error refuse the import: nothing is written.
    let sheets = import::read_sheets(&path).expect("read");
    let refused = import::run(&mut store, &sheets, &request(Lang::En), true, false);
    match refused {
        Err(
            e @ Error::Invalid {
                rule: "rows_in_error",
                ..
            },
        ) => {
            assert!(import::error_message(&e, Lang::Es).contains("nada se importó"));
            assert!(import::error_message(&e, Lang::En).contains("nothing was imported"));
        }
        other => panic!("expected rows_in_error, got {other:?}"),
    }
    assert_eq!(costs(&store), 0);
    // Skipped, the good row goes in alone.
    let done = import::run(&mut store, &sheets, &request(Lang::En), true, true).expect("import");
    assert_eq!(done.imported_ids.len(), 1);
    assert_eq!(costs(&store), 1);
}

#[test]
fn a_mapping_names_columns_and_constants_and_checks_decimals_by_the_store() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Día|Valor pagado|Notas\n2025-04-01|1,200.5|hotel\n2025-04-02|10.123|taxi\n";
    let path = write(&dir, "viajes.csv", text.as_bytes());
    let (mut store, ..) = office();
    let mut req = request(Lang::Es);
    let map = |s: &str| MapTo::Column(s.into());
    let constant = |s: &str| MapTo::Constant { value: s.into() };
    req.mapping.insert("spent_on".into(), map("Día"));
    req.mapping
        .insert("amount_minor".into(), map("Valor pagado"));
    req.mapping.insert("description".into(), map("Notas"));
    req.mapping.insert("category".into(), constant("travel"));
    req.mapping.insert("currency".into(), constant("MXN"));
    let p = preview(&mut store, &path, &req);
    assert_eq!(p.records_ok, 1);
    assert_eq!(p.records[0]["amount_minor"], 120_050);
    assert_eq!(p.records[0]["category"], "travel");
    assert_eq!(p.records[0]["membership_id"], Value::Null);
    // Three decimals for a currency of two: refused, never rounded.
    assert_eq!(p.problems.len(), 1);
    assert_eq!(p.problems[0].row, 3);
    assert_eq!(p.problems[0].column.as_deref(), Some("Valor pagado"));
    assert_eq!(p.problems[0].reason, "too_many_decimals");
    assert!(p.problems[0]
        .message
        .starts_with("Tiene más decimales que su moneda"));

    let mut bad = request(Lang::En);
    bad.mapping.insert("amount_minor".into(), map("Nope"));
    let sheets = import::read_sheets(&path).expect("read");
    let e = import::run(&mut store, &sheets, &bad, false, false).expect_err("unknown column");
    assert_eq!(e.code(), "invalid.unknown_column");
}

#[test]
fn a_column_mixing_day_and_month_first_refuses_its_ambiguous_dates() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Fecha,Red,Categoría,Monto,Moneda\n\
        25/01/2025,C40,Cuotas,1,MXN\n\
        01/25/2025,C40,Cuotas,2,MXN\n\
        03/04/2025,C40,Cuotas,3,MXN\n";
    let path = write(&dir, "mixto.csv", text.as_bytes());
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    let ambiguous: Vec<(usize, &str)> = p
        .problems
        .iter()
        .map(|e| (e.row, e.reason.as_str()))
        .collect();
    // The dates that read one way only are read so; the ambiguous one is refused.
    assert_eq!(ambiguous, vec![(4, "date_order_mixed")]);
    assert_eq!(
        p.problems[0].message,
        "La columna mezcla fechas con el día primero y con el mes primero: 03/04/2025"
    );
    let dates: Vec<&str> = p
        .records
        .iter()
        .map(|r| r["spent_on"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(dates, vec!["2025-01-25", "2025-01-25"]);
}

#[test]
fn windows_1252_csv_keeps_its_accents() {
    let dir = tempfile::tempdir().expect("dir");
    let (text, _, _) =
        encoding_rs::WINDOWS_1252.encode("Fecha\tRed\tDescripción\tCategoría\tMonto\tMoneda\n2025-05-01\tC40\tReunión en Lyon\tViajes\t10\tEUR\n");
    let path = write(&dir, "latin1.csv", &text);
    assert!(std::str::from_utf8(&text).is_err());
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.records[0]["description"], "Reunión en Lyon");
}

#[test]
fn a_text_file_without_an_extension_is_read_as_csv_and_a_zip_as_a_workbook() {
    let dir = tempfile::tempdir().expect("dir");
    let path = write(
        &dir,
        "export-finanzas",
        "Fecha;Red;Categoría;Importe;Moneda\n15/01/2025;C40;Viajes;12.500,00;MXN\n".as_bytes(),
    );
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.records_ok, 1);
    // A zip without an extension is a workbook, and not a valid one.
    let zip = write(&dir, "adjunto", b"PK\x03\x04\x00\x00\x00\x00");
    let e = import::read_sheets(&zip).expect_err("a broken zip");
    assert_eq!(e.code(), "invalid.not_a_spreadsheet");
}

#[test]
fn a_broken_csv_quote_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Fecha,Red,Monto\n2025-01-01,C40,10\n2025-01-02,\"C40,20\n2025-01-03,C40,30\n";
    let path = write(&dir, "roto.csv", text.as_bytes());
    match import::read_sheets(&path) {
        Err(e @ Error::CsvMalformed { line: 3, .. }) => {
            assert_eq!(
                import::error_message(&e, Lang::Es),
                "El CSV tiene unas comillas sin cerrar o mal puestas en la línea 3"
            );
            assert_eq!(
                import::error_message(&e, Lang::En),
                "The CSV has an unclosed or misplaced quote on line 3"
            );
        }
        other => panic!("expected a malformed CSV, got {other:?}"),
    }
}

#[test]
fn a_file_that_is_not_a_spreadsheet_is_refused_in_both_languages() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = write(&dir, "informe.xlsx", b"%PDF-1.7 not a workbook at all");
    let e = import::read_sheets(&fake).expect_err("not a spreadsheet");
    assert_eq!(e.code(), "invalid.not_a_spreadsheet");
    assert!(import::error_message(&e, Lang::Es).starts_with("El archivo no es una hoja de cálculo"));
    assert!(import::error_message(&e, Lang::En).starts_with("The file is not a spreadsheet"));
    let binary = write(&dir, "datos.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    let e = import::read_sheets(&binary).expect_err("binary");
    assert_eq!(e.code(), "invalid.not_a_spreadsheet");
}

#[test]
fn an_empty_sheet_and_a_sheet_without_a_header_are_said_so() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, ..) = office();
    let empty = write(&dir, "vacia.csv", b"\n\n");
    let sheets = import::read_sheets(&empty).expect("read");
    let e = import::run(&mut store, &sheets, &request(Lang::Es), false, false).expect_err("empty");
    assert_eq!(e.code(), "invalid.empty_sheet");
    assert_eq!(import::error_message(&e, Lang::Es), "La hoja está vacía");
    let headless = write(&dir, "sin.csv", b"a,b,c\n1,2,3\n");
    let sheets = import::read_sheets(&headless).expect("read");
    let e =
        import::run(&mut store, &sheets, &request(Lang::En), false, false).expect_err("no header");
    assert_eq!(e.code(), "invalid.no_header");
    assert_eq!(
        import::error_message(&e, Lang::En),
        "No header row with known columns was found"
    );
}

#[test]
fn a_formula_error_value_is_a_row_error_not_a_zero() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("ref.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["Fecha", "Red", "Categoría", "Monto", "Moneda"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    sheet.write_string(1, 0, "2025-02-01").expect("cell");
    sheet.write_string(1, 1, "C40").expect("cell");
    sheet.write_string(1, 2, "Cuotas").expect("cell");
    sheet
        .write_formula(
            1,
            3,
            rust_xlsxwriter::Formula::new("=#REF!*2").set_result("#REF!"),
        )
        .expect("formula");
    sheet.write_string(1, 4, "MXN").expect("cell");
    book.save(&path).expect("save");
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::En));
    assert_eq!(p.records_ok, 0);
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].reason, "formula_error");
    assert_eq!(p.problems[0].column.as_deref(), Some("Monto"));
}

#[test]
fn an_import_is_recorded_undone_to_the_trash_and_the_same_file_adds_nothing_again() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Fecha,Red,Categoría,Monto,Moneda\n2025-06-01,C40,Cuotas,10,MXN\n2025-06-02,ICLEI,Viajes,20,MXN\n";
    let path = write(&dir, "junio.csv", text.as_bytes());
    let (mut store, ..) = office();
    let mut req = request(Lang::Es);
    req.source = Some(import::ImportSource::of(&path).expect("source"));
    let sheets = import::read_sheets(&path).expect("read");
    let done = import::run(&mut store, &sheets, &req, true, false).expect("import");
    let import_id = done.import_id.clone().expect("recorded");
    assert_eq!(costs(&store), 2);
    let recorded = store.imports().expect("imports");
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].source_file, "junio.csv");
    assert_eq!(recorded[0].sheet, "junio");
    assert_eq!(recorded[0].kind, RecordKind::CostEntry);
    assert_eq!(recorded[0].record_ids, done.imported_ids);

    // Again: the preview says so, the import adds nothing.
    let again = import::run(&mut store, &sheets, &req, false, false).expect("preview");
    assert_eq!(again.already_imported.as_deref(), Some(import_id.as_str()));
    let e = import::run(&mut store, &sheets, &req, true, false).expect_err("twice");
    assert_eq!(e.code(), "invalid.already_imported");
    assert_eq!(costs(&store), 2);

    // A cost typed by hand stays; the undo takes exactly the import's two.
    let (city, c40) = {
        let c = store.list::<CostEntry>(None).expect("costs");
        (c[0].city_id.clone(), c[0].membership_id.clone())
    };
    store
        .insert(common::money_cost(
            &city,
            c40.as_deref(),
            "2025-06-03",
            CostCategory::Other,
            500,
            "MXN",
        ))
        .expect("typed");
    assert_eq!(store.undo_import(&import_id).expect("undo"), 2);
    let left = store.list::<CostEntry>(None).expect("costs");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].amount_minor, Some(500));
    let trashed: Vec<String> = store
        .trash()
        .expect("trash")
        .into_iter()
        .map(|t| t.id)
        .collect();
    for id in &done.imported_ids {
        assert!(trashed.contains(id), "{id} in the trash");
    }
    let e = store.undo_import(&import_id).expect_err("twice");
    assert_eq!(e.code(), "invalid.already_undone");
    // Undone, the file can come in again.
    import::run(&mut store, &sheets, &req, true, false).expect("import again");
    assert_eq!(costs(&store), 3);
}

#[test]
fn a_mapping_reads_from_json_and_a_bottom_row_that_sums_the_column_is_a_totals_row() {
    let mapping: Mapping = serde_json::from_str(
        r#"{"amount_minor": {"column": "Importe", "format": "point_comma"},
            "currency": {"value": "EUR"}, "category": "Rubro"}"#,
    )
    .expect("mapping");
    assert_eq!(mapping["category"], MapTo::Column("Rubro".into()));
    assert_eq!(
        mapping["currency"],
        MapTo::Constant {
            value: "EUR".into()
        }
    );

    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("suma.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["Fecha", "Red", "Rubro", "Importe"].iter().enumerate() {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    for (row, amount) in [(1u32, 100.0), (2, 250.25)] {
        sheet.write_string(row, 0, "2025-07-01").expect("cell");
        sheet.write_string(row, 1, "C40").expect("cell");
        sheet.write_string(row, 2, "Otros").expect("cell");
        sheet.write_number(row, 3, amount).expect("cell");
    }
    sheet.write_number(3, 3, 350.25).expect("sum");
    book.save(&path).expect("save");
    let (mut store, ..) = office();
    let mut req = request(Lang::En);
    req.mapping = mapping;
    let p = preview(&mut store, &path, &req);
    assert_eq!(p.totals_row, Some(4));
    assert_eq!(p.records_ok, 2, "{:?}", p.problems);
    assert_eq!(p.records[1]["amount_minor"], 25_025);
    assert_eq!(p.records[1]["currency"], "EUR");
    assert!(
        p.notes.iter().any(|n| n == "Totals row left out: row 4"),
        "{:?}",
        p.notes
    );
}

fn cabildo(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_cabildo"))
        .args(args)
        .output()
        .expect("run cabildo")
}

#[test]
fn the_command_line_previews_imports_refuses_and_undoes() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.cabildo");
    let f = db.to_str().expect("path");
    assert!(cabildo(&["demo", f, "--anchor", "2026-11-15"])
        .status
        .success());
    let costs_of = |db: &Path| {
        Store::open_existing(db)
            .expect("open")
            .list::<CostEntry>(None)
            .expect("costs")
            .len()
    };
    let before = costs_of(&db);
    let text = "Gastos 2025\n\nFecha;Red;Concepto;Categoría;Importe\n\
        15/01/2025;C40;Cuota;Cuotas;US$ 12.500,00\n\
        28/02/2025;Red Fantasma;Taller;Otros;MX$ 3.215,50\n";
    let sheet = write(&dir, "gastos.csv", text.as_bytes());
    let s = sheet.to_str().expect("path");

    let out = cabildo(&["import", f, s, "--dry-run", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let preview: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(preview["header_row"], 3);
    assert_eq!(preview["records_ok"], 1);
    assert_eq!(preview["problems"][0]["row"], 5);
    assert_eq!(preview["problems"][0]["reason"], "unmatched");
    assert_eq!(preview["unmatched"][0]["value"], "Red Fantasma");
    assert_eq!(costs_of(&db), before);

    // A row in error refuses the import, in the user's language.
    let out = cabildo(&["import", f, s, "--lang", "es"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nada se importó"));
    assert_eq!(costs_of(&db), before);

    let out = cabildo(&["import", f, s, "--skip-errors", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).expect("json");
    let import_id = done["import_id"].as_str().expect("import id").to_string();
    assert_eq!(costs_of(&db), before + 1);

    let out = cabildo(&["import", f, s, "--skip-errors"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already imported"));

    let out = cabildo(&["import-undo", f, &import_id, "--lang", "es"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("papelera: 1"));
    assert_eq!(costs_of(&db), before);

    let not_a_sheet = write(&dir, "foto.xlsx", b"GIF89a....");
    let out = cabildo(&[
        "import",
        f,
        not_a_sheet.to_str().expect("path"),
        "--lang",
        "es",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no es una hoja de cálculo"));
}

#[test]
fn a_cost_already_recorded_is_shown_as_a_possible_duplicate_and_can_be_left_out() {
    let dir = tempfile::tempdir().expect("dir");
    let first = write(
        &dir,
        "enero.csv",
        b"Fecha,Red,Categoria,Monto,Moneda\n2025-01-10,C40,Cuotas,100,MXN\n",
    );
    let both = write(
        &dir,
        "enero-y-febrero.csv",
        b"Fecha,Red,Categoria,Monto,Moneda\n2025-01-10,C40,Cuotas,100.00,MXN\n2025-02-10,C40,Cuotas,100,MXN\n",
    );
    let (mut store, ..) = office();
    let sheets = import::read_sheets(&first).expect("read");
    import::run(&mut store, &sheets, &request(Lang::En), true, false).expect("first");
    let sheets = import::read_sheets(&both).expect("read");
    let p = import::run(&mut store, &sheets, &request(Lang::En), false, false).expect("preview");
    assert_eq!(p.possible_duplicates, vec![2]);
    assert!(
        p.notes.iter().any(|n| n.starts_with("Possible duplicates")),
        "{:?}",
        p.notes
    );
    let mut req = request(Lang::En);
    req.skip_duplicates = true;
    let done = import::run(&mut store, &sheets, &req, true, false).expect("import");
    assert_eq!(done.duplicates_left_out, 1);
    assert_eq!(done.imported_ids.len(), 1);
    assert_eq!(costs(&store), 2);
}

#[test]
fn memberships_match_their_city_and_network_by_name_whatever_the_case_and_accents() {
    let dir = tempfile::tempdir().expect("dir");
    let text = "Ciudad,Red,Estado,Papel,Ingreso,Cuota anual,Moneda de la cuota\n\
        VILLA,eurocities,Activa,Miembro,01/03/2019,\"1.500,00\",EUR\n\
        Villa,Red de Mercociudades,activa,Observadora,15/06/2020,,\n\
        Villa,Liga Inexistente,Activa,Miembro,01/01/2021,,\n";
    let path = write(&dir, "membresias.csv", text.as_bytes());
    let (mut store, city, ..) = office();
    let mut req = request(Lang::Es);
    req.kind = RecordKind::Membership;
    let p = preview(&mut store, &path, &req);
    assert_eq!(p.records_ok, 2, "{:?}", p.problems);
    let first = &p.records[0];
    assert_eq!(first["city_id"], Value::String(city));
    assert_eq!(
        first["network_id"],
        Value::String(common::network_id(&store, "Eurocities"))
    );
    assert_eq!(first["status"], "active");
    assert_eq!(first["role"], "member");
    assert_eq!(first["joined_on"], "2019-03-01");
    assert_eq!(first["dues_minor"], 150_000);
    assert_eq!(first["core"], false);
    let second = &p.records[1];
    assert_eq!(
        second["network_id"],
        Value::String(common::network_id(&store, "Mercociudades"))
    );
    assert_eq!(second["role"], "observer");
    assert_eq!(second["dues_currency"], Value::Null);
    assert_eq!(p.unmatched.len(), 1);
    assert_eq!(p.unmatched[0].value, "Liga Inexistente");
    assert_eq!(p.unmatched[0].kind, RecordKind::Network);
    assert_eq!(
        p.problems[0].message,
        "No coincide con ningún registro de la base: Liga Inexistente"
    );
}

#[test]
fn the_demo_excel_export_reads_back_sheet_by_sheet_as_records_already_there() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.cabildo");
    let f = db.to_str().expect("path");
    assert!(cabildo(&["demo", f, "--anchor", "2026-11-15"])
        .status
        .success());
    let xlsx = dir.path().join("demo.xlsx");
    let out = cabildo(&[
        "export-xlsx",
        f,
        xlsx.to_str().expect("path"),
        "--lang",
        "en",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut store = Store::open_existing(&db).expect("open");
    let sheets = import::read_sheets(&xlsx).expect("read");
    let read = |store: &mut Store, kind: RecordKind, sheet: &str| {
        let mut req = request(Lang::En);
        req.kind = kind;
        req.sheet = Some(sheet.into());
        import::run(store, &sheets, &req, false, false).expect("preview")
    };
    // Every kind's sheet reads whole: the export's words are the description's.
    for (kind, sheet) in [
        (RecordKind::CostEntry, "Costs"),
        (RecordKind::Membership, "Memberships"),
        (RecordKind::Meeting, "Meetings"),
        (RecordKind::Project, "Projects"),
        (RecordKind::Outcome, "Outcomes"),
        (RecordKind::Metric, "Metrics"),
    ] {
        let p = read(&mut store, kind, sheet);
        let live = store.list_json(kind, None).expect("list");
        assert_eq!(p.data_rows, live.as_array().map_or(0, Vec::len), "{sheet}");
        assert_eq!(
            p.records_ok,
            p.data_rows,
            "{sheet}: {:?}",
            p.problems.first()
        );
        if kind == RecordKind::CostEntry {
            // Into the file they came from, every cost is a possible duplicate.
            assert_eq!(p.possible_duplicates.len(), p.data_rows);
        }
    }
    // A rate for a pair and date already priced is the store's own refusal.
    let rates = read(&mut store, RecordKind::ExchangeRate, "Exchange rates");
    assert!(rates.data_rows > 0);
    assert!(rates.problems.iter().all(|p| p.reason == "duplicate"));
    assert_eq!(
        rates.problems[0].message,
        "A record with these details already exists"
    );
}

#[test]
fn the_demo_excel_export_imported_into_an_empty_file_gives_the_same_roi_summary() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.cabildo");
    let f = db.to_str().expect("path");
    assert!(cabildo(&["demo", f, "--anchor", "2026-11-15"])
        .status
        .success());
    let xlsx = dir.path().join("demo.xlsx");
    let out = cabildo(&[
        "export-xlsx",
        f,
        xlsx.to_str().expect("path"),
        "--lang",
        "en",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheets = import::read_sheets(&xlsx).expect("read");
    let demo = Store::open_existing(&db).expect("open");
    let mut empty =
        Store::create(&dir.path().join("new.cabildo"), &Default::default()).expect("new");
    // Parents first, as the export writes them.
    for (kind, sheet) in [
        (RecordKind::City, "Cities"),
        (RecordKind::Membership, "Memberships"),
        (RecordKind::Invoice, "Dues invoices"),
        (RecordKind::Thesis, "Theses"),
        (RecordKind::Meeting, "Meetings"),
        (RecordKind::CostEntry, "Costs"),
        (RecordKind::RoleRate, "Hourly rates"),
        (RecordKind::ExchangeRate, "Exchange rates"),
        (RecordKind::Project, "Projects"),
        (RecordKind::Outcome, "Outcomes"),
        (RecordKind::Attribution, "Attributions"),
        (RecordKind::Metric, "Metrics"),
    ] {
        let mut req = request(Lang::En);
        req.kind = kind;
        req.sheet = Some(sheet.into());
        let done = import::run(&mut empty, &sheets, &req, true, false)
            .unwrap_or_else(|e| panic!("{sheet}: {}", import::error_message(&e, Lang::En)));
        let live = demo.list_json(kind, None).expect("list");
        assert_eq!(
            done.imported_ids.len(),
            live.as_array().map_or(0, Vec::len),
            "{sheet}"
        );
    }
    let query = cabildo::roi::RoiQuery {
        from: common::date("2025-11-16"),
        to: common::date("2026-11-15"),
        currency: "MXN".into(),
        city_id: None,
    };
    let figures = |store: &Store| {
        let report =
            serde_json::to_value(cabildo::roi::compute(store, &query).expect("roi")).expect("json");
        let mut rows: Vec<String> = report["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| {
                [
                    "network_acronym",
                    "cost_total_minor",
                    "financing_committed_minor",
                    "financing_disbursed_minor",
                    "months_saved",
                    "policies_transferred",
                    "meetings_with_ask",
                    "classification",
                ]
                .map(|k| r[k].to_string())
                .join(" ")
            })
            .collect();
        rows.sort();
        (rows, report["totals"].clone())
    };
    let (demo_rows, demo_totals) = figures(&demo);
    assert_eq!(demo_rows.len(), 6);
    assert_eq!(figures(&empty), (demo_rows, demo_totals));
}

#[test]
fn a_long_sheet_reports_progress_and_a_cancel_writes_nothing() {
    let mut text = String::from("Fecha,Red,Categoría,Monto,Moneda\n");
    for day in 0..1200 {
        text.push_str(&format!("2025-01-01,C40,Otros,{},MXN\n", day + 1));
    }
    let dir = tempfile::tempdir().expect("dir");
    let path = write(&dir, "largo.csv", text.as_bytes());
    let sheets = import::read_sheets(&path).expect("read");
    let (mut store, ..) = office();
    let mut seen = Vec::new();
    let done = import::run_with_progress(
        &mut store,
        &sheets,
        &request(Lang::En),
        true,
        false,
        &mut |d, all| {
            seen.push((d, all));
            true
        },
    )
    .expect("import");
    assert_eq!(done.imported_ids.len(), 1200);
    assert_eq!(
        seen,
        vec![(0, 1200), (500, 1200), (1000, 1200), (1200, 1200)]
    );
    let before = costs(&store);
    let stopped = import::run_with_progress(
        &mut store,
        &sheets,
        &request(Lang::En),
        true,
        true,
        &mut |d, _| d < 1000,
    );
    assert!(matches!(stopped, Err(Error::Cancelled)));
    assert_eq!(costs(&store), before);
}

/// One cost a row, naming its network as `names` say.
fn costs_naming(dir: &tempfile::TempDir, names: &[&str]) -> PathBuf {
    let mut text = String::from("Fecha,Red,Concepto,Categoría,Importe,Moneda\n");
    for (n, name) in names.iter().enumerate() {
        text.push_str(&format!("0{}/03/2025,{name},Cuota,Cuotas,100,USD\n", n + 1));
    }
    write(dir, "redes.csv", text.as_bytes())
}

#[test]
fn a_close_spelling_matches_its_one_network_and_is_listed_so_nothing_changes_silently() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, city, _c40, iclei) = office();
    let merco = common::network_id(&store, "Mercociudades");
    let merco = store
        .insert(common::membership(&city, &merco))
        .expect("membership")
        .meta
        .id;
    let path = costs_naming(
        &dir,
        &["Mercociudad", "ICLEI Local Governments for Sustainabilty"],
    );
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.records[0]["membership_id"], Value::String(merco.clone()));
    assert_eq!(p.records[1]["membership_id"], Value::String(iclei.clone()));
    let close: Vec<(&str, &str, &[usize])> = p
        .close_matches
        .iter()
        .map(|c| (c.value.as_str(), c.id.as_str(), c.rows.as_slice()))
        .collect();
    assert!(
        close.contains(&("Mercociudad", merco.as_str(), &[2][..])),
        "{close:?}"
    );
    assert!(
        close.contains(&(
            "ICLEI Local Governments for Sustainabilty",
            iclei.as_str(),
            &[3][..]
        )),
        "{close:?}"
    );
    assert!(p
        .close_matches
        .iter()
        .all(|c| c.kind == RecordKind::Membership && !c.label.is_empty()));
}

#[test]
fn an_unrelated_word_stays_unmatched_with_suggestions_and_a_chosen_value_wins() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, _city, c40, iclei) = office();
    let path = costs_naming(&dir, &["Zanahoria", "C40"]);
    let p = preview(&mut store, &path, &request(Lang::En));
    assert_eq!(p.unmatched.len(), 1, "{:?}", p.unmatched);
    let u = &p.unmatched[0];
    assert_eq!(
        (u.value.as_str(), u.rows.as_slice()),
        ("Zanahoria", &[2][..])
    );
    assert!(!u.suggestions.is_empty() && u.suggestions.len() <= 5);
    assert!(u.suggestions.iter().any(|s| s.id == c40));
    assert!(p.close_matches.is_empty());
    assert_eq!(p.problems.len(), 1);
    assert_eq!(p.problems[0].reason, "unmatched");
    // The user's choices: the unknown word is C40's membership, and "C40" itself is
    // taken as ICLEI's (a chosen value wins over an exact match).
    let mut req = request(Lang::En);
    req.values.insert(
        "membership_id".into(),
        [
            ("Zanahoria".to_string(), c40.clone()),
            ("C40".to_string(), iclei.clone()),
        ]
        .into_iter()
        .collect(),
    );
    let p = preview(&mut store, &path, &req);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(p.unmatched.is_empty());
    assert_eq!(p.records[0]["membership_id"], Value::String(c40));
    assert_eq!(p.records[1]["membership_id"], Value::String(iclei));
    // A choice that names no live record of the kind is a row problem.
    req.values.insert(
        "membership_id".into(),
        [("Zanahoria".to_string(), "no-such-id".to_string())]
            .into_iter()
            .collect(),
    );
    let p = preview(&mut store, &path, &req);
    assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
    assert_eq!(p.problems[0].reason, "unknown_reference");
    assert_eq!(p.problems[0].row, 2);
}

#[test]
fn the_preview_gives_every_header_and_the_mapping_in_effect() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, ..) = office();
    let path = costs_naming(&dir, &["C40"]);
    let mut req = request(Lang::Es);
    req.mapping
        .insert("description".into(), MapTo::Column("ignore".into()));
    let p = preview(&mut store, &path, &req);
    assert_eq!(
        p.headers,
        ["Fecha", "Red", "Concepto", "Categoría", "Importe", "Moneda"]
    );
    assert_eq!(p.mapping["membership_id"], MapTo::Column("Red".into()));
    assert_eq!(p.mapping["amount_minor"], MapTo::Column("Importe".into()));
    assert_eq!(p.mapping["description"], MapTo::Column("ignore".into()));
    assert!(!p.saved_mapping);
    // Sent back as it is, it maps the same way.
    let mut again = request(Lang::Es);
    again.mapping = p.mapping.clone();
    let q = preview(&mut store, &path, &again);
    assert_eq!(q.mapping, p.mapping);
    for key in ["membership_id", "amount_minor", "spent_on", "category"] {
        assert_eq!(q.records[0][key], p.records[0][key]);
    }
}

#[test]
fn the_mapping_of_an_applied_import_is_saved_by_the_header_shape_and_maps_next_years_sheet() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut store, _city, c40, iclei) = office();
    let header = "Fecha,Afiliación,Glosa,Categoría,Pagado,Moneda\n";
    let first = write(
        &dir,
        "2025.csv",
        format!("{header}03/03/2025,C40,Cuota,Cuotas,100,USD\n").as_bytes(),
    );
    let second = write(
        &dir,
        "2026.csv",
        format!(
            "{header}04/03/2026,Iclei,Viaje,Viajes,250,EUR\n05/03/2026,C40,Cuota,Cuotas,90,USD\n"
        )
        .as_bytes(),
    );
    // Without a mapping the three unknown headers are not read.
    let p = preview(&mut store, &second, &request(Lang::Es));
    assert!(!p.saved_mapping);
    assert!(!p.mapping.contains_key("membership_id"));
    let mut req = request(Lang::Es);
    for (field, column) in [
        ("membership_id", "Afiliación"),
        ("description", "Glosa"),
        ("amount_minor", "Pagado"),
    ] {
        req.mapping
            .insert(field.into(), MapTo::Column(column.into()));
    }
    req.source = Some(import::ImportSource::of(&first).expect("source"));
    let sheets = import::read_sheets(&first).expect("read");
    let done = import::run(&mut store, &sheets, &req, true, false).expect("import");
    assert!(
        done.applied && done.problems.is_empty(),
        "{:?}",
        done.problems
    );
    // Next year's file, same headers, other rows: it maps itself.
    let p = preview(&mut store, &second, &request(Lang::Es));
    assert!(p.saved_mapping);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(p.ignored_columns.is_empty(), "{:?}", p.ignored_columns);
    assert_eq!(p.records[0]["membership_id"], Value::String(iclei));
    assert_eq!(p.records[0]["amount_minor"], 25_000);
    assert_eq!(p.records[0]["description"], "Viaje");
    assert_eq!(p.records[1]["membership_id"], Value::String(c40));
    // A request entry overrides the saved one.
    let mut req = request(Lang::Es);
    req.mapping
        .insert("description".into(), MapTo::Column("ignore".into()));
    let p = preview(&mut store, &second, &req);
    assert!(p.saved_mapping);
    assert_eq!(p.records[0]["description"], Value::Null);
    assert_eq!(
        p.mapping["membership_id"],
        MapTo::Column("Afiliación".into())
    );
}

#[test]
fn every_kinds_template_has_drop_downs_and_imports_back_with_no_mapping() {
    let dir = tempfile::tempdir().expect("dir");
    let anchor = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).expect("date");
    let mut store = cabildo::demo::create(&dir.path().join("demo.cabildo"), anchor).expect("demo");
    let list = |store: &Store, kind: RecordKind| match store.list_json(kind, None).expect("list") {
        Value::Array(rows) => rows,
        _ => Vec::new(),
    };
    // References that agree: one membership, its city, that city's project and outcome.
    let membership = list(&store, RecordKind::Membership)[0].clone();
    let city = membership["city_id"].as_str().expect("city").to_string();
    let of_city = |kind| {
        list(&store, kind)
            .into_iter()
            .find(|r| r["city_id"] == city.as_str())
            .map(|r| r["id"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let refs = [
        (RecordKind::City, city.clone()),
        (
            RecordKind::Network,
            membership["network_id"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        ),
        (
            RecordKind::Membership,
            membership["id"].as_str().unwrap_or_default().to_string(),
        ),
        (RecordKind::Project, of_city(RecordKind::Project)),
        (RecordKind::Outcome, of_city(RecordKind::Outcome)),
    ];
    for kind in RecordKind::ALL.iter().copied() {
        for lang in [Lang::Es, Lang::En] {
            let path = dir.path().join(format!("{}-{lang:?}.xlsx", kind.as_str()));
            import::write_template(kind, lang, &path).expect("template");
            let bytes = std::fs::read(&path).expect("read");
            let mut sheets = import::read_sheets(&path).expect("sheets");
            let headers: Vec<String> = sheets[0].rows[0].iter().map(|c| c.text()).collect();
            for (col, field) in kind.desc().fields.iter().enumerate() {
                if let cabildo::kinds::FieldType::Ref(target) = field.ty {
                    let id = refs
                        .iter()
                        .find(|(k, _)| *k == target)
                        .map(|(_, id)| id.clone());
                    if let Some(id) = id {
                        sheets[0].rows[1][col] = import::Cell::Text(id);
                    }
                }
            }
            let mut req = request(lang);
            req.kind = kind;
            let p = import::run(&mut store, &sheets, &req, false, false).expect("preview");
            assert!(
                p.ignored_columns.is_empty(),
                "{kind:?} {lang:?}: {:?}",
                p.ignored_columns
            );
            assert_eq!(p.columns.len(), headers.len(), "{kind:?} {lang:?}");
            assert!(p.problems.is_empty(), "{kind:?} {lang:?}: {:?}", p.problems);
            assert_eq!(p.records_ok, 1, "{kind:?}");
            let has_list = kind.desc().fields.iter().any(|f| {
                matches!(
                    f.ty,
                    cabildo::kinds::FieldType::Enum { .. } | cabildo::kinds::FieldType::Bool
                )
            });
            assert_eq!(sheets.len(), 2, "{kind:?}: the data sheet and its lists");
            // The drop-downs, in the data sheet's XML, over rows 2 to 5000.
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
            let mut xml = String::new();
            std::io::Read::read_to_string(
                &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet1"),
                &mut xml,
            )
            .expect("xml");
            assert_eq!(xml.contains("<dataValidation "), has_list, "{kind:?}");
            if has_list {
                assert!(xml.contains("type=\"list\""), "{kind:?}");
                assert!(xml.contains("5000\""), "{kind:?}");
            }
        }
    }
}

// ---- hostile workbooks: what would make the reader allocate without bound ----------

/// The workbook at `path` with one of its parts rewritten (a file crafted by hand).
fn tampered(path: &Path, part: &str, change: impl Fn(String) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).expect("read");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("name").to_string();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).expect("part");
        if name == part {
            text = change(String::from_utf8(text).expect("xml")).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&text).expect("write");
    }
    let bytes = out.finish().expect("finish").into_inner();
    std::fs::write(path, bytes).expect("save");
}

#[test]
fn a_workbook_whose_cells_would_span_terabytes_is_refused_not_allocated() {
    let dir = tempfile::tempdir().expect("dir");
    let far = dir.path().join("lejos.xlsx");
    dues_workbook(&far);
    // One cell at the last column, a million rows down: calamine would allocate
    // every cell of the rectangle (half a terabyte).
    tampered(&far, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(
            "</sheetData>",
            r#"<row r="1000000"><c r="XFD1000000"><v>1</v></c></row></sheetData>"#,
        )
    });
    let e = import::read_sheets(&far).expect_err("too many cells");
    assert_eq!(e.code(), "invalid.workbook_too_large");
    assert!(import::error_message(&e, Lang::Es).starts_with("El libro es demasiado grande"));

    // A reference past Excel's limits would overflow the reader's arithmetic.
    for reference in ["ZZZZZZZ2", "A99999999999", "A0"] {
        let bad = dir.path().join("mal.xlsx");
        dues_workbook(&bad);
        tampered(&bad, "xl/worksheets/sheet1.xml", |xml| {
            xml.replace(
                "</sheetData>",
                &format!(r#"<row r="9"><c r="{reference}"><v>1</v></c></row></sheetData>"#),
            )
        });
        let e = import::read_sheets(&bad).expect_err(reference);
        assert_eq!(e.code(), "invalid.not_a_spreadsheet", "{reference}");
    }
}

#[test]
fn a_shared_string_table_that_announces_a_trillion_strings_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("sst.xlsx");
    dues_workbook(&path);
    tampered(&path, "xl/sharedStrings.xml", |xml| {
        let start = xml.find("uniqueCount=\"").expect("uniqueCount") + "uniqueCount=\"".len();
        let end = start + xml[start..].find('"').expect("end");
        format!("{}1000000000000{}", &xml[..start], &xml[end..])
    });
    let e = import::read_sheets(&path).expect_err("too many strings");
    assert_eq!(e.code(), "invalid.workbook_too_large");

    // One string of a megabyte, copied into every cell that names it.
    let big = dir.path().join("grande.xlsx");
    dues_workbook(&big);
    tampered(&big, "xl/sharedStrings.xml", |xml| {
        xml.replacen(
            "<t>Fecha</t>",
            &format!("<t>{}</t>", "x".repeat(1 << 20)),
            1,
        )
    });
    let e = import::read_sheets(&big).expect_err("a huge string");
    assert_eq!(e.code(), "invalid.workbook_too_large");
    // The untouched workbook still reads.
    let fine = dir.path().join("bien.xlsx");
    dues_workbook(&fine);
    assert!(import::read_sheets(&fine).is_ok());
}

#[test]
fn a_mac_workbook_counts_its_dates_from_1904() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("mac.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = Format::new().set_num_format("dd/mm/yyyy");
    for (col, header) in ["Fecha", "Red", "Categoría", "Importe", "Moneda"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    // 44575 days after 1 January 1904 is 15 January 2026.
    sheet
        .write_number_with_format(1, 0, 44575.0, &day)
        .expect("date");
    sheet.write_string(1, 1, "C40").expect("cell");
    sheet.write_string(1, 2, "Viajes").expect("cell");
    sheet.write_number(1, 3, 100.0).expect("cell");
    sheet.write_string(1, 4, "USD").expect("cell");
    book.save(&path).expect("save");
    tampered(&path, "xl/workbook.xml", |xml| {
        xml.replace("<workbookPr ", r#"<workbookPr date1904="1" "#)
    });
    let sheets = import::read_sheets(&path).expect("read");
    assert_eq!(
        sheets[0].rows[1][0],
        import::Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).expect("day"))
    );
}

#[test]
fn a_utf8_csv_with_one_stray_byte_keeps_its_accents() {
    let dir = tempfile::tempdir().expect("dir");
    let mut bytes = "Membresía;Fecha;Categoría;Monto;Moneda;Descripción\nC40;2025-05-01;Viajes;10;EUR;Cuota año señal \u{2014} ".as_bytes().to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"\n");
    let path = write(&dir, "mixto.csv", &bytes);
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let description = p.records[0]["description"].as_str().expect("text");
    assert!(description.starts_with("Cuota año señal"), "{description}");
}

/// A row's problem as compared: row, column, field, reason, detail.
type Found = (usize, Option<String>, Option<String>, String, String);
/// What an import found: records ok, problems, possible duplicates, duplicates left
/// out, names unmatched with their rows.
type Findings = (
    usize,
    Vec<Found>,
    Vec<usize>,
    usize,
    Vec<(String, Vec<usize>)>,
);

/// What a preview of a sheet finds, as compared with what its import did.
fn findings(p: &Preview) -> Findings {
    (
        p.records_ok,
        p.problems
            .iter()
            .map(|e| {
                (
                    e.row,
                    e.column.clone(),
                    e.field.clone(),
                    e.reason.clone(),
                    e.detail.clone(),
                )
            })
            .collect(),
        p.possible_duplicates.clone(),
        p.duplicates_left_out,
        p.unmatched
            .iter()
            .map(|u| (u.value.clone(), u.rows.clone()))
            .collect(),
    )
}

#[test]
fn a_preview_finds_exactly_the_problems_counts_and_duplicates_its_import_does() {
    let dir = tempfile::tempdir().expect("dir");
    let first = write(
        &dir,
        "enero.csv",
        b"Date,Network,Category,Amount,Currency\n2025-01-10,C40,Dues,100,MXN\n",
    );
    // Good rows, a cost already recorded, an unknown network, an amount missing (the
    // store's rule), an unreadable date, a time cost without hours (the store's rule),
    // a negative amount, and the same row twice.
    let mixed = write(
        &dir,
        "mixed.csv",
        "Date,Network,Description,Category,Amount,Currency,Hours,Role\n\
         2025-02-01,C40,Dues,Dues,250.00,MXN,,\n\
         2025-01-10,C40,Dues again,Dues,100.00,MXN,,\n\
         2025-02-02,Red Fantasma,Trip,Travel,70.00,MXN,,\n\
         2025-02-03,ICLEI,Trip,Travel,,MXN,,\n\
         2025-02-31,ICLEI,Trip,Travel,10.00,MXN,,\n\
         2025-02-04,ICLEI,Work,Staff time,,,,Analyst\n\
         2025-02-05,ICLEI,Refund,Travel,-5.00,MXN,,\n\
         2025-02-06,ICLEI,Event,Events,30.00,MXN,,\n\
         2025-02-06,ICLEI,Event,Events,30.00,MXN,,\n"
            .as_bytes(),
    );
    for skip_duplicates in [false, true] {
        let (mut store, ..) = office();
        let sheets = import::read_sheets(&first).expect("read");
        import::run(&mut store, &sheets, &request(Lang::En), true, false).expect("first");
        let before = costs(&store);
        let mut req = request(Lang::En);
        req.skip_duplicates = skip_duplicates;
        let sheets = import::read_sheets(&mixed).expect("read");
        let seen = import::run(&mut store, &sheets, &req, false, false).expect("preview");
        assert_eq!(costs(&store), before, "a preview writes nothing");
        let reasons: Vec<&str> = seen.problems.iter().map(|e| e.reason.as_str()).collect();
        for reason in ["unmatched", "required", "unreadable_date", "negative"] {
            assert!(reasons.contains(&reason), "{reason} not in {reasons:?}");
        }
        assert_eq!(seen.possible_duplicates, vec![3]);
        // A refused import finds the same, and writes nothing.
        match import::run(&mut store, &sheets, &req, true, false) {
            Err(Error::Invalid {
                rule: "rows_in_error",
                ..
            }) => {}
            other => panic!("expected rows_in_error, got {other:?}"),
        }
        assert_eq!(costs(&store), before);
        // The import with errors skipped does what its preview said, row for row.
        let done = import::run(&mut store, &sheets, &req, true, true).expect("import");
        assert!(done.applied);
        assert_eq!(findings(&done), findings(&seen));
        assert_eq!(done.imported_ids.len(), seen.records_ok);
        assert_eq!(costs(&store), before + seen.records_ok);
        // The records shown are those written, but for their ids and stamps.
        let unstamped = |p: &Preview| -> Vec<Value> {
            p.records
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    for stamp in ["id", "created_at", "updated_at"] {
                        r[stamp] = Value::Null;
                    }
                    r
                })
                .collect()
        };
        assert_eq!(unstamped(&done), unstamped(&seen));
    }
}

#[test]
fn a_row_whose_amount_sums_the_rows_above_but_is_filled_like_them_is_a_record_and_subtotals_are_left_out(
) {
    let dir = tempfile::tempdir().expect("dir");
    // 100 + 200 = 300, and the 300 is a real cost with its date, network and category.
    let text = "Fecha;Red;Categoría;Importe;Moneda\n\
        2025-01-10;C40;Viajes;100;EUR\n\
        2025-01-11;C40;Viajes;200;EUR\n\
        Subtotal enero;;;300;\n\
        2025-02-01;C40;Viajes;300;EUR\n";
    let path = write(&dir, "suma-real.csv", text.as_bytes());
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert_eq!(p.totals_row, None);
    assert_eq!(p.subtotal_rows, vec![4]);
    assert_eq!(p.records_ok, 3, "{:?}", p.problems);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert!(
        p.notes
            .iter()
            .any(|n| n == "Filas de subtotales omitidas: filas: 4"),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_cell_formatted_as_a_percentage_is_read_as_it_shows() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("atribuciones.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let percent = Format::new().set_num_format("0.00%");
    let quoted = Format::new().set_num_format("0\" %\"");
    sheet.write_string(0, 0, "Participación").expect("header");
    sheet
        .write_number_with_format(1, 0, 0.25, &percent)
        .expect("25 %");
    sheet
        .write_number_with_format(2, 0, 0.075, &percent)
        .expect("7.5 %");
    sheet.write_number(3, 0, 0.25).expect("plain");
    sheet
        .write_number_with_format(4, 0, 12.0, &quoted)
        .expect("a % in quotes");
    book.save(&path).expect("save");
    let sheets = import::read_sheets(&path).expect("read");
    let column: Vec<import::Cell> = sheets[0].rows[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(
        column,
        vec![
            import::Cell::Number(25.0),
            import::Cell::Number(7.5),
            import::Cell::Number(0.25),
            import::Cell::Number(12.0),
        ]
    );
}

#[test]
fn a_header_row_with_a_megabyte_cell_still_finds_its_columns() {
    let dir = tempfile::tempdir().expect("dir");
    let text = format!(
        "Fecha;Red;Categoría;Importe;Moneda;{}\n2025-01-10;C40;Viajes;100;EUR;x\n",
        "Observaciones ".repeat(80_000)
    );
    let path = write(&dir, "largo.csv", text.as_bytes());
    let (mut store, ..) = office();
    let p = preview(&mut store, &path, &request(Lang::Es));
    assert_eq!(p.header_row, 1);
    assert_eq!(p.records_ok, 1, "{:?}", p.problems);
}
