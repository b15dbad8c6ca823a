//! An Excel template of a kind's importable columns (issue 12): the headers in the
//! user's language, the very words the import matches, so a filled template imports
//! back with no mapping; one sample row; drop-down lists for enumerations and yes/no.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Formula, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::format::Lang;
use crate::kinds::{FieldType, RecordKind};

/// Rows (of the file, 1-based) the drop-down lists cover below the header.
const LIST_ROWS: u32 = 5000;

fn xlsx_error(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// The words offered for a yes/no column, the first ones `read_bool` takes.
fn bool_words(lang: Lang) -> [&'static str; 2] {
    [lang.pick("Sí", "Yes"), "No"]
}

/// Writes the template of `kind` to `path` (`.xlsx`).
pub fn write_template(kind: RecordKind, lang: Lang, path: &Path) -> Result<()> {
    write(kind, lang, path).map_err(xlsx_error)
}

fn write(kind: RecordKind, lang: Lang, path: &Path) -> std::result::Result<(), XlsxError> {
    let desc = kind.desc();
    let fields = super::importable(desc);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    // The lists live on a sheet of their own: Excel caps a list typed in the rule
    // at 255 characters, and some enumerations' words are longer together.
    let mut lists: Vec<(u16, Vec<&'static str>)> = Vec::new();
    // A rate joins two different currencies: the second currency column is another.
    let mut currencies = ["USD", "EUR"].into_iter().cycle();
    {
        let sheet = book.add_worksheet();
        sheet.set_name(kind.plural(lang))?;
        for (col, field) in fields.iter().enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(0, col, field.label(lang), &bold)?;
            sheet.set_column_width(
                col,
                (field.label(lang).chars().count() as f64 + 4.0).max(12.0),
            )?;
            match field.ty {
                FieldType::Enum { values, .. } => {
                    let words: Vec<&'static str> =
                        values.iter().map(|v| lang.pick(v.es, v.en)).collect();
                    sheet.write_string(1, col, words[0])?;
                    lists.push((col, words));
                }
                FieldType::Bool => {
                    sheet.write_string(1, col, bool_words(lang)[1])?;
                    lists.push((col, bool_words(lang).to_vec()));
                }
                FieldType::Date => {
                    let date = ExcelDateTime::from_ymd(2026, 1, 15)?;
                    sheet.write_datetime_with_format(1, col, &date, &day)?;
                }
                FieldType::Currency => {
                    sheet.write_string(1, col, currencies.next().unwrap_or("USD"))?;
                }
                FieldType::Money { .. } => {
                    sheet.write_number(1, col, 1000.0)?;
                }
                FieldType::Year => {
                    sheet.write_number(1, col, 2026.0)?;
                }
                FieldType::Integer | FieldType::Hours | FieldType::Percent => {
                    // Inside the field's bounds (payments a year are 1 or 2).
                    let sample = field.bounds.map_or(8.0, |b| 8f64.clamp(b.min, b.max));
                    sheet.write_number(1, col, sample)?;
                }
                FieldType::Decimal => {
                    sheet.write_number(1, col, 1.5)?;
                }
                // A small share: the outcome may already be attributed in part.
                FieldType::PercentBp => {
                    sheet.write_number(1, col, 10.0)?;
                }
                // A reference is named as lists name the record; the user writes it.
                FieldType::Ref(_) => {}
                FieldType::Text | FieldType::LongText => {
                    let sample = if field.name == "country" {
                        "MX"
                    } else {
                        lang.pick("Ejemplo", "Example")
                    };
                    sheet.write_string(1, col, sample)?;
                }
            }
        }
    }
    let list_sheet_name = lang.pick("Listas", "Lists");
    let list_sheet = book.add_worksheet();
    list_sheet.set_name(list_sheet_name)?;
    for (n, (_, words)) in lists.iter().enumerate() {
        for (r, word) in words.iter().enumerate() {
            list_sheet.write_string(r as u32, n as u16, *word)?;
        }
    }
    list_sheet.set_hidden(true);
    for (n, (col, words)) in lists.iter().enumerate() {
        let letter = column_letter(n as u16);
        let formula = format!("='{list_sheet_name}'!${letter}$1:${letter}${}", words.len());
        let rule = DataValidation::new()
            .allow_list_formula(Formula::new(formula))
            .set_error_title(lang.pick("Valor no válido", "Invalid value"))?
            .set_error_message(
                lang.pick("Elija un valor de la lista", "Choose a value from the list"),
            )?;
        book.worksheet_from_index(0)?
            .add_data_validation(1, *col, LIST_ROWS - 1, *col, &rule)?;
    }
    book.save(path)?;
    Ok(())
}

/// `A`, `B`, … `Z`, `AA`… for a 0-based column.
fn column_letter(mut col: u16) -> String {
    let mut out = Vec::new();
    loop {
        out.push((b'A' + (col % 26) as u8) as char);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.iter().rev().collect()
}
