//! Export for people: one Excel workbook (the ROI summary first, then a sheet per
//! record kind) and CSV per record kind. Columns carry human names in the chosen
//! language; money is a number with its currency in its own column; dates are dates.
//! Only live records are exported (the trash stays in the database).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::{Map, Value as Json};

use super::columns::{
    column_label, enum_word, is_date, kind_label, money_currency, reference_kind,
};
use crate::error::{Error, Result};
use crate::files;
use crate::format::Lang;
use crate::kinds::RecordKind;
use crate::money::exponent;
use crate::roi::{self, RoiQuery};
use crate::store::Store;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A money amount in major units, shown with `decimals` places.
    Money {
        amount: f64,
        decimals: u32,
    },
    Date(NaiveDate),
    /// UTC milliseconds.
    Instant(i64),
    Flag(bool),
}

/// A kind's live records as a table for people.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportTable {
    pub kind: RecordKind,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn csv_error(e: csv::Error) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

fn money_cell(minor: i64, currency: Option<&str>) -> Cell {
    let decimals = currency.map(exponent).unwrap_or(2);
    Cell::Money {
        amount: minor as f64 / 10f64.powi(decimals as i32),
        decimals,
    }
}

fn cell_for(
    kind: RecordKind,
    column: &str,
    record: &Map<String, Json>,
    labels: &HashMap<RecordKind, HashMap<String, String>>,
    lang: Lang,
) -> Cell {
    let value = record.get(column).unwrap_or(&Json::Null);
    if value.is_null() {
        return Cell::Empty;
    }
    if let Some(currency_column) = money_currency(kind, column) {
        let currency = record.get(currency_column).and_then(Json::as_str);
        if let Some(minor) = value.as_i64() {
            return money_cell(minor, currency);
        }
    }
    if let (Some(target), Some(id)) = (reference_kind(kind, column), value.as_str()) {
        let label = labels.get(&target).and_then(|l| l.get(id));
        return Cell::Text(label.cloned().unwrap_or_else(|| id.to_string()));
    }
    if matches!(column, "created_at" | "updated_at") {
        if let Some(ms) = value.as_i64() {
            return Cell::Instant(ms);
        }
    }
    if is_date(kind, column) {
        if let Some(date) = value
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        {
            return Cell::Date(date);
        }
    }
    if let Some(word) = value
        .as_str()
        .and_then(|code| enum_word(kind, column, code, lang))
    {
        return Cell::Text(word.to_string());
    }
    if matches!(kind.field(column), Some(f) if f.ty == crate::kinds::FieldType::PercentBp) {
        if let Some(bp) = value.as_f64() {
            return Cell::Number(bp / 100.0);
        }
    }
    match value {
        Json::Bool(b) => Cell::Flag(*b),
        Json::Number(n) => n.as_f64().map(Cell::Number).unwrap_or(Cell::Empty),
        Json::String(s) => Cell::Text(s.clone()),
        _ => Cell::Text(value.to_string()),
    }
}

/// How one kind's records become rows for people: the columns, their names, and the
/// labels of the records they refer to.
struct TableShape {
    kind: RecordKind,
    columns: Vec<String>,
    headers: Vec<String>,
    labels: HashMap<RecordKind, HashMap<String, String>>,
}

impl TableShape {
    fn of(store: &Store, kind: RecordKind, lang: Lang) -> Result<TableShape> {
        let columns: Vec<String> = store
            .column_names(kind)
            .into_iter()
            .filter(|c| c != "deleted")
            .collect();
        let mut labels = HashMap::new();
        for column in &columns {
            if let Some(target) = reference_kind(kind, column) {
                if let std::collections::hash_map::Entry::Vacant(slot) = labels.entry(target) {
                    slot.insert(store.labels(target)?);
                }
            }
        }
        let headers = columns
            .iter()
            .map(|c| column_label(kind, c, lang))
            .collect();
        Ok(TableShape {
            kind,
            columns,
            headers,
            labels,
        })
    }

    fn row(&self, record: &Map<String, Json>, lang: Lang) -> Vec<Cell> {
        self.columns
            .iter()
            .map(|c| cell_for(self.kind, c, record, &self.labels, lang))
            .collect()
    }
}

/// The live records of one kind as a table with human column names.
pub fn table(store: &Store, kind: RecordKind, lang: Lang) -> Result<ExportTable> {
    let shape = TableShape::of(store, kind, lang)?;
    let mut rows = Vec::new();
    store.for_each_record(kind, |record| {
        rows.push(shape.row(record, lang));
        Ok(())
    })?;
    Ok(ExportTable {
        kind,
        headers: shape.headers,
        rows,
    })
}

// ---- CSV ----------------------------------------------------------------------------

/// A text cell that a spreadsheet would read as a formula (it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises
/// against CSV injection: texts come from received files and public data, and opening
/// an export must never run one. Numbers are written as numbers and are not touched.
pub fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

fn csv_text(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => neutralised(s).into_owned(),
        Cell::Number(x) => x.to_string(),
        Cell::Money { amount, decimals } => format!("{amount:.prec$}", prec = *decimals as usize),
        Cell::Date(d) => d.to_string(),
        Cell::Instant(ms) => chrono::DateTime::from_timestamp_millis(*ms)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        Cell::Flag(b) => lang
            .pick(if *b { "sí" } else { "no" }, if *b { "yes" } else { "no" })
            .into(),
    }
}

/// Writes one kind's live records as CSV (UTF-8 with a byte-order mark, so Excel
/// reads accents correctly), one record at a time. Returns the number written.
pub fn write_csv(store: &Store, kind: RecordKind, out: &Path, lang: Lang) -> Result<usize> {
    let shape = TableShape::of(store, kind, lang)?;
    let mut written = 0;
    files::write_via_partial(out, |partial| {
        let mut writer = csv_writer(partial, &shape.headers)?;
        written = store.for_each_record(kind, |record| {
            let row: Vec<String> = shape
                .row(record, lang)
                .iter()
                .map(|c| csv_text(c, lang))
                .collect();
            writer.write_record(&row).map_err(csv_error)
        })? as usize;
        writer.flush()?;
        Ok(())
    })?;
    Ok(written)
}

/// A CSV writer for Excel: UTF-8 with a byte-order mark, the header row written.
fn csv_writer(
    path: &Path,
    headers: &[String],
) -> Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    file.write_all("\u{FEFF}".as_bytes())?;
    let mut writer = csv::Writer::from_writer(file);
    writer.write_record(headers).map_err(csv_error)?;
    Ok(writer)
}

/// Writes a CSV file for Excel: UTF-8 with a byte-order mark, whole or not at all.
fn write_csv_rows(
    out: &Path,
    headers: &[String],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    files::write_via_partial(out, |partial| {
        let mut writer = csv_writer(partial, headers)?;
        for row in rows {
            writer.write_record(&row).map_err(csv_error)?;
        }
        writer.flush()?;
        Ok(())
    })
}

/// Writes the records behind a figure as CSV; returns how many.
pub fn write_explanation_csv(
    e: &crate::explain::Explanation,
    out: &Path,
    lang: Lang,
) -> Result<usize> {
    let mut table = crate::explain::explanation_table(e, lang).into_iter();
    let headers = table.next().unwrap_or_default();
    write_csv_rows(out, &headers, table)?;
    Ok(e.contributions.len())
}

// ---- Excel --------------------------------------------------------------------------

struct Formats {
    header: Format,
    title: Format,
    date: Format,
    instant: Format,
    money: [Format; 4],
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            instant: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            money: [
                Format::new().set_num_format("#,##0"),
                Format::new().set_num_format("#,##0.0"),
                Format::new().set_num_format("#,##0.00"),
                Format::new().set_num_format("#,##0.000"),
            ],
        }
    }
}

fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
    lang: Lang,
) -> std::result::Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => {
            sheet.write_string(row, col, s)?;
        }
        Cell::Number(x) => {
            sheet.write_number(row, col, *x)?;
        }
        Cell::Money { amount, decimals } => {
            let format = &formats.money[(*decimals as usize).min(3)];
            sheet.write_number_with_format(row, col, *amount, format)?;
        }
        Cell::Date(d) => match excel_date(*d) {
            Ok(date) => {
                sheet.write_datetime_with_format(row, col, &date, &formats.date)?;
            }
            // Excel has no dates before 1900: keep the text.
            Err(_) => {
                sheet.write_string(row, col, d.to_string())?;
            }
        },
        Cell::Instant(ms) => match ExcelDateTime::from_timestamp(ms / 1000) {
            Ok(at) => {
                sheet.write_datetime_with_format(row, col, &at, &formats.instant)?;
            }
            Err(_) => {
                sheet.write_string(row, col, csv_text(cell, lang))?;
            }
        },
        Cell::Flag(b) => {
            sheet.write_boolean(row, col, *b)?;
        }
    }
    Ok(())
}

/// Excel's rows per sheet, the header row included.
pub const MAX_SHEET_ROWS: u32 = 1_048_576;

/// Writes a kind's records on as many sheets as they need (Excel holds 1,048,576 rows
/// per sheet): "Costos", "Costos (2)"… Sheets are written in constant memory, row by
/// row, so a coordinator's millions of costs never sit in memory whole.
fn write_kind_sheets(
    workbook: &mut Workbook,
    store: &Store,
    kind: RecordKind,
    formats: &Formats,
    lang: Lang,
    rows_per_sheet: u32,
) -> Result<()> {
    let shape = TableShape::of(store, kind, lang)?;
    let data_rows = rows_per_sheet.saturating_sub(1).max(1);
    let mut sheets = 0u32;
    let mut row_in_sheet = 0u32;
    let new_sheet = |workbook: &mut Workbook, n: u32| -> Result<()> {
        // Excel takes 31 characters: a long kind's name gives way to its number.
        let name = if n == 1 {
            kind_label(kind, lang).chars().take(31).collect()
        } else {
            let suffix = format!(" ({n})");
            let room = 31usize.saturating_sub(suffix.chars().count());
            let head: String = kind_label(kind, lang).chars().take(room).collect();
            format!("{}{suffix}", head.trim_end())
        };
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xlsx_error)?;
        sheet.set_name(&name).map_err(xlsx_error)?;
        write_headers(sheet, &shape.headers, formats).map_err(xlsx_error)?;
        Ok(())
    };
    // The first sheet exists even for a kind with no records (its header).
    new_sheet(workbook, 1)?;
    sheets += 1;
    store.for_each_record(kind, |record| {
        if row_in_sheet == data_rows {
            sheets += 1;
            new_sheet(workbook, sheets)?;
            row_in_sheet = 0;
        }
        let current = workbook
            .worksheets_mut()
            .last_mut()
            .ok_or_else(|| Error::Argument("no sheet".into()))?;
        row_in_sheet += 1;
        for (col, cell) in shape.row(record, lang).iter().enumerate() {
            write_cell(current, row_in_sheet, col as u16, cell, formats, lang)
                .map_err(xlsx_error)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_headers(
    sheet: &mut Worksheet,
    headers: &[String],
    formats: &Formats,
) -> std::result::Result<(), XlsxError> {
    for (col, header) in headers.iter().enumerate() {
        sheet.set_column_width(col as u16, (header.chars().count() as f64 + 2.0).max(12.0))?;
        sheet.write_string_with_format(0, col as u16, header, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn major(minor: i64, currency: &str) -> Cell {
    money_cell(minor, Some(currency))
}

/// The ROI summary sheet: one row per membership over the last twelve months, in
/// the office's reporting currency, then the totals and any warnings.
fn write_roi_sheet(
    sheet: &mut Worksheet,
    report: &roi::RoiReport,
    lang: Lang,
    formats: &Formats,
) -> Result<()> {
    let query = &report.query;
    let currency = report.query.currency.clone();
    let x = |r: std::result::Result<&mut Worksheet, XlsxError>| r.map(|_| ()).map_err(xlsx_error);
    x(sheet.write_string_with_format(
        0,
        0,
        lang.pick("Resumen de retorno (ROI)", "Return summary (ROI)"),
        &formats.title,
    ))?;
    x(sheet.write_string(
        1,
        0,
        format!(
            "{} {} ({currency})",
            lang.pick("Periodo", "Period"),
            query.period_text(lang)
        ),
    ))?;
    let headers = [
        lang.pick("Ciudad", "City"),
        lang.pick("Red", "Network"),
        lang.pick("Clasificación", "Classification"),
        lang.pick("Costo", "Cost"),
        lang.pick("Financiamiento comprometido", "Financing committed"),
        lang.pick("Financiamiento desembolsado", "Financing disbursed"),
        lang.pick("Meses ahorrados", "Months saved"),
        lang.pick("Políticas transferidas", "Policies transferred"),
        lang.pick("Apalancamiento", "Leverage"),
        lang.pick("Moneda", "Currency"),
        lang.pick("Motivo", "Reason"),
        lang.pick("Equivalente en donación", "Grant equivalent"),
        lang.pick("Cuotas vencidas", "Dues in arrears"),
    ];
    for (col, h) in headers.iter().enumerate() {
        x(sheet.write_string_with_format(3, col as u16, *h, &formats.header))?;
        x(sheet.set_column_width(col as u16, if col == 10 { 60.0 } else { 18.0 }))?;
    }
    let mut row = 4u32;
    let mut put = |row: u32, cells: Vec<Cell>| -> Result<()> {
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, col as u16, cell, formats, lang).map_err(xlsx_error)?;
        }
        Ok(())
    };
    for r in &report.rows {
        put(
            row,
            vec![
                Cell::Text(r.city_name.to_string()),
                Cell::Text(r.network_acronym.to_string()),
                Cell::Text(r.classification.label(lang).into()),
                major(r.cost_total_minor, &currency),
                major(r.financing_committed_minor, &currency),
                major(r.financing_disbursed_minor, &currency),
                Cell::Number(r.months_saved),
                Cell::Number(r.policies_transferred),
                r.leverage.map(Cell::Number).unwrap_or(Cell::Empty),
                Cell::Text(currency.clone()),
                Cell::Text(r.reason(lang).into()),
                major(r.grant_equivalent_minor, &currency),
                major(r.arrears_minor, &currency),
            ],
        )?;
        row += 1;
    }
    for g in &report.general {
        put(
            row,
            vec![
                Cell::Text(g.city_name.clone()),
                Cell::Text(crate::explain::general_work_label(lang).into()),
                Cell::Empty,
                major(g.cost_total_minor, &currency),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Text(currency.clone()),
                Cell::Empty,
            ],
        )?;
        row += 1;
    }
    let t = &report.totals;
    put(
        row,
        vec![
            Cell::Text(lang.pick("Total", "Total").into()),
            Cell::Empty,
            Cell::Empty,
            major(t.cost_total_minor, &currency),
            major(t.financing_committed_minor, &currency),
            major(t.financing_disbursed_minor, &currency),
            Cell::Number(t.months_saved),
            Cell::Number(t.policies_transferred),
            t.leverage.map(Cell::Number).unwrap_or(Cell::Empty),
            Cell::Text(currency.clone()),
            Cell::Empty,
            major(t.grant_equivalent_minor, &currency),
            major(t.arrears_minor, &currency),
        ],
    )?;
    row += 2;
    for w in &report.warnings {
        x(sheet.write_string(
            row,
            0,
            format!("{}: {}", lang.pick("Aviso", "Warning"), w.text(lang)),
        ))?;
        row += 1;
    }
    x(sheet.set_freeze_panes(4, 0))?;
    Ok(())
}

/// The budget proposal of next fiscal year: one row per membership, then the totals,
/// the office's justifications and the warnings.
fn write_budget_sheet(
    sheet: &mut Worksheet,
    p: &crate::budget::BudgetProposal,
    lang: Lang,
    formats: &Formats,
) -> Result<()> {
    let currency = p.query.currency.clone();
    let x = |r: std::result::Result<&mut Worksheet, XlsxError>| r.map(|_| ()).map_err(xlsx_error);
    x(sheet.write_string_with_format(
        0,
        0,
        format!(
            "{} {}",
            lang.pick(
                "Propuesta de presupuesto de participación internacional",
                "International participation budget proposal"
            ),
            crate::budget::fiscal_year_text(&p.settings, p.query.fiscal_year, lang)
        ),
        &formats.title,
    ))?;
    x(sheet.write_string(
        1,
        0,
        format!(
            "{} {} – {} ({currency}); {}",
            lang.pick("Ejercicio", "Fiscal year"),
            crate::format::date(p.from, lang),
            crate::format::date(p.to, lang),
            lang.pick(
                "a los tipos de cambio presupuestarios del ejercicio",
                "at the fiscal year's budget exchange rates"
            )
        ),
    ))?;
    let headers = [
        lang.pick("Ciudad", "City"),
        lang.pick("Red", "Network"),
        lang.pick("Clasificación", "Classification"),
        lang.pick("Este año", "This year"),
        lang.pick("Cuota", "Dues"),
        lang.pick("Origen de la cuota", "Dues from"),
        lang.pick("Viajes", "Travel"),
        lang.pick("Tiempo", "Time"),
        lang.pick("Plan", "Plan"),
        lang.pick("Recomendación", "Recommendation"),
        lang.pick("Motivo", "Reason"),
        lang.pick("Decisión", "Decision"),
        lang.pick("Justificación de la oficina", "The office's justification"),
        lang.pick("Propuesta", "Proposed"),
        lang.pick("Ahorro", "Saving"),
        lang.pick("Cuotas vencidas", "Dues in arrears"),
        lang.pick("Moneda", "Currency"),
    ];
    for (col, h) in headers.iter().enumerate() {
        x(sheet.write_string_with_format(3, col as u16, *h, &formats.header))?;
        let width = if col == 10 || col == 12 { 50.0 } else { 16.0 };
        x(sheet.set_column_width(col as u16, width))?;
    }
    let mut row = 4u32;
    let mut put = |row: u32, cells: Vec<Cell>| -> Result<()> {
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, col as u16, cell, formats, lang).map_err(xlsx_error)?;
        }
        Ok(())
    };
    let opt = |v: Option<i64>| v.map(|v| major(v, &currency)).unwrap_or(Cell::Empty);
    for r in p.rows.iter().take(MAX_CONTRIBUTION_ROWS as usize) {
        put(
            row,
            vec![
                Cell::Text(r.city_name.clone()),
                Cell::Text(r.network_acronym.clone()),
                Cell::Text(r.classification.label(lang).into()),
                major(r.actual_minor, &currency),
                opt(r.dues_minor),
                Cell::Text(r.dues_source.label(lang).into()),
                opt(r.travel_minor),
                opt(r.time_minor),
                major(r.planned_minor, &currency),
                Cell::Text(r.recommendation.label(lang).into()),
                Cell::Text(lang.pick(&r.recommendation_es, &r.recommendation_en).into()),
                Cell::Text(r.decision.label(lang).into()),
                Cell::Text(
                    r.justification
                        .clone()
                        .filter(|_| r.overridden)
                        .unwrap_or_default(),
                ),
                major(r.proposed_minor, &currency),
                major(r.saving_minor, &currency),
                major(r.arrears_minor, &currency),
                Cell::Text(currency.clone()),
            ],
        )?;
        row += 1;
    }
    let mut total = vec![Cell::Text(lang.pick("Total", "Total").into())];
    total.extend([Cell::Empty, Cell::Empty, major(p.actual_minor, &currency)]);
    total.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    total.push(major(p.planned_minor, &currency));
    total.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    total.extend([
        major(p.proposed_minor, &currency),
        major(p.saving_minor, &currency),
        Cell::Empty,
        Cell::Text(currency.clone()),
    ]);
    put(row, total)?;
    row += 2;
    for w in &p.warnings {
        x(sheet.write_string(
            row,
            0,
            format!(
                "{}: {}",
                lang.pick("Aviso", "Warning"),
                w.text(p.query.fiscal_year, lang)
            ),
        ))?;
        row += 1;
    }
    x(sheet.set_freeze_panes(4, 0))?;
    Ok(())
}

/// Every invoice as of today: what was due, paid, left, its status and arrears.
fn write_dues_sheet(
    sheet: &mut Worksheet,
    store: &Store,
    today: NaiveDate,
    lang: Lang,
    formats: &Formats,
) -> Result<()> {
    let headers = [
        lang.pick("Membresía", "Membership"),
        lang.pick("Año de la cuota", "Dues year"),
        lang.pick("Número de factura", "Invoice number"),
        lang.pick("Vence el", "Due on"),
        lang.pick("Monto adeudado", "Amount due"),
        lang.pick("Pagado", "Paid"),
        lang.pick("Por pagar", "Outstanding"),
        lang.pick("Estado", "Status"),
        lang.pick("Vencido", "In arrears"),
        lang.pick("Días de atraso", "Days overdue"),
        lang.pick("Moneda", "Currency"),
    ];
    write_headers(
        sheet,
        &headers.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        formats,
    )
    .map_err(xlsx_error)?;
    let labels = store.labels(RecordKind::Membership)?;
    let invoices: std::collections::HashMap<String, crate::model::Invoice> = store
        .list::<crate::model::Invoice>(None)?
        .into_iter()
        .map(|i| (i.meta.id.clone(), i))
        .collect();
    // Excel's row limit: the sheet stops there (the invoices stay in their own sheet).
    for (i, s) in store
        .invoice_standings(None, today)?
        .iter()
        .take(MAX_CONTRIBUTION_ROWS as usize)
        .enumerate()
    {
        let row = i as u32 + 1;
        let c = Some(s.currency.as_str());
        let cells = [
            Cell::Text(labels.get(&s.membership_id).cloned().unwrap_or_default()),
            Cell::Number(f64::from(s.year)),
            Cell::Text(
                invoices
                    .get(&s.invoice_id)
                    .and_then(|i| i.reference.clone())
                    .unwrap_or_default(),
            ),
            Cell::Date(s.due_on),
            money_cell(s.due_minor, c),
            money_cell(s.paid_minor, c),
            money_cell(s.outstanding_minor, c),
            Cell::Text(s.status.label(lang).into()),
            money_cell(s.arrears_minor, c),
            s.arrears_days
                .map(|d| Cell::Number(d as f64))
                .unwrap_or(Cell::Empty),
            Cell::Text(s.currency.clone()),
        ];
        for (col, cell) in cells.iter().enumerate() {
            write_cell(sheet, row, col as u16, cell, formats, lang).map_err(xlsx_error)?;
        }
    }
    Ok(())
}

/// Most rows a sheet takes (Excel's limit is 1,048,576).
const MAX_CONTRIBUTION_ROWS: u32 = 1_000_000;

/// Every record's contribution to the summary's cost and financing figures, so an
/// auditor can recompute each total with a SUM over its rows.
fn write_contributions_sheet(
    sheet: &mut Worksheet,
    store: &Store,
    report: &roi::RoiReport,
    lang: Lang,
    formats: &Formats,
) -> Result<()> {
    use crate::explain::{explain, Figure};
    let query = &report.query;
    let currency = report.query.currency.clone();
    let l = |es: &'static str, en: &'static str| Cell::Text(lang.pick(es, en).into());
    let headers = [
        l("Ciudad", "City"),
        l("Red", "Network"),
        l("Cifra", "Figure"),
        l("Registro", "Record"),
        l("Fecha", "Date"),
        l("Descripción", "Description"),
        l("Monto", "Amount"),
        l("Moneda", "Currency"),
        l("Tipos de cambio", "Exchange rates"),
        l("Participación (%)", "Share (%)"),
        Cell::Text(format!(
            "{} ({currency})",
            lang.pick("Aporta", "Contributes")
        )),
    ];
    for (col, h) in headers.iter().enumerate() {
        write_cell(sheet, 0, col as u16, h, formats, lang).map_err(xlsx_error)?;
        sheet
            .set_column_width(col as u16, if col == 5 { 40.0 } else { 16.0 })
            .map_err(xlsx_error)?;
    }
    // (city, network, membership or None for general work, the query, figure)
    let mut targets: Vec<(String, String, Option<String>, RoiQuery, Figure)> = Vec::new();
    for r in &report.rows {
        for figure in [Figure::CostTotal, Figure::FinancingCommitted] {
            targets.push((
                r.city_name.to_string(),
                r.network_acronym.to_string(),
                Some(r.membership_id.to_string()),
                query.clone(),
                figure,
            ));
        }
    }
    for g in &report.general {
        targets.push((
            g.city_name.clone(),
            crate::explain::general_work_label(lang).into(),
            None,
            RoiQuery {
                city_id: Some(g.city_id.clone()),
                ..query.clone()
            },
            Figure::CostTotal,
        ));
    }
    let mut row = 1u32;
    for (city, network, membership, q, figure) in targets {
        let e = explain(store, &q, membership.as_deref(), figure, lang)?;
        for c in &e.contributions {
            if row >= MAX_CONTRIBUTION_ROWS {
                sheet
                    .write_string(
                        row,
                        0,
                        lang.pick(
                            "La hoja llegó al límite de filas de Excel: las demás contribuciones se ven con «cabildo explain».",
                            "The sheet reached Excel's row limit: see the other contributions with `cabildo explain`.",
                        ),
                    )
                    .map_err(xlsx_error)?;
                return Ok(());
            }
            let rates = crate::money::RateUsed::list_text(&c.rates);
            let cells = vec![
                Cell::Text(city.clone()),
                Cell::Text(network.clone()),
                Cell::Text(e.figure.clone()),
                Cell::Text(c.id.clone()),
                Cell::Date(c.on),
                Cell::Text(c.label.clone()),
                match (c.amount_minor, c.currency.as_deref()) {
                    (Some(m), cur) => money_cell(m, cur),
                    _ => c.hours.map(Cell::Number).unwrap_or(Cell::Empty),
                },
                Cell::Text(
                    c.currency
                        .clone()
                        .or(c.hourly_currency.clone())
                        .unwrap_or_default(),
                ),
                Cell::Text(rates),
                c.share_bp
                    .map(|bp| Cell::Number(bp / 100.0))
                    .unwrap_or(Cell::Empty),
                c.contributes_minor
                    .map(|m| major(m, &currency))
                    .unwrap_or(Cell::Empty),
            ];
            for (col, cell) in cells.iter().enumerate() {
                write_cell(sheet, row, col as u16, cell, formats, lang).map_err(xlsx_error)?;
            }
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

/// Writes the workbook: the ROI summary (last twelve months up to `today`) and the
/// contributions behind it, then one sheet per record kind.
pub fn write_xlsx(store: &Store, out: &Path, lang: Lang, today: NaiveDate) -> Result<()> {
    write_xlsx_split(store, out, lang, today, MAX_SHEET_ROWS)
}

/// As `write_xlsx`, a kind's records split into sheets of `rows_per_sheet` rows
/// (header included): Excel's limit, or a smaller one to test the split.
pub fn write_xlsx_split(
    store: &Store,
    out: &Path,
    lang: Lang,
    today: NaiveDate,
    rows_per_sheet: u32,
) -> Result<()> {
    // One report for the summary and its contributions, so both show the same figures.
    let report = roi::compute(store, &RoiQuery::office_default(store, None, today))?;
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(lang.pick("Resumen ROI", "ROI summary"))
            .map_err(xlsx_error)?;
        write_roi_sheet(sheet, &report, lang, &formats)?;
    }
    {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(lang.pick("Contribuciones", "Contributions"))
            .map_err(xlsx_error)?;
        write_contributions_sheet(sheet, store, &report, lang, &formats)?;
    }
    {
        let settings = store.budget_settings()?;
        let proposal = crate::budget::proposal(
            store,
            &crate::budget::BudgetQuery {
                fiscal_year: settings.year_of(today) + 1,
                city_id: None,
                currency: store.office().reporting_currency.clone(),
                as_of: today,
            },
        )?;
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(format!(
                "{} {}",
                lang.pick("Presupuesto", "Budget"),
                proposal.query.fiscal_year
            ))
            .map_err(xlsx_error)?;
        write_budget_sheet(sheet, &proposal, lang, &formats)?;
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(lang.pick("Estado de cuotas", "Dues standing"))
            .map_err(xlsx_error)?;
        write_dues_sheet(sheet, store, today, lang, &formats)?;
    }
    for kind in RecordKind::ALL {
        write_kind_sheets(&mut workbook, store, *kind, &formats, lang, rows_per_sheet)?;
    }
    files::write_via_partial(out, |partial| workbook.save(partial).map_err(xlsx_error))
}
