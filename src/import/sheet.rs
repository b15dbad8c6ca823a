//! Reading a spreadsheet into rows of cells: `.csv` (any of `,;\t|`, UTF-8 with or
//! without a byte-order mark, or Windows-1252) and `.xlsx`, `.xls`, `.ods` (calamine:
//! formulas give their cached values, dates their calendar day).

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// Largest file read (bytes).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Most rows a sheet may have.
pub const MAX_ROWS: usize = 1_000_000;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// A formula's error value (`#REF!`, `#DIV/0!`…).
    Error(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers plainly (`1200.5`, no grouping), dates ISO.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => plain_number(*n),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A number written plainly with at most nine decimals, so that a float's noise
/// (0.30000000000000004) is not read as more decimals than were typed.
pub fn plain_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let text = format!("{n:.9}");
    let text = text.trim_end_matches('0');
    text.trim_end_matches('.').to_string()
}

/// One sheet: `rows[i]` is the file's row `i + 1`, `rows[i][j]` its column `j`.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
}

/// The calendar day of an Excel date serial (1900 system: day 1 is 1900-01-01,
/// with Excel's phantom 29 February 1900).
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = if days < 61 { days + 1 } else { days };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// True for an Excel number format that shows a percentage (`0%`, `0.00%`), the
/// `%` outside quoted text and escapes.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn not_a_spreadsheet() -> Error {
    Error::invalid("file", "not_a_spreadsheet")
}

/// Reads every sheet of the file (a CSV file is one sheet named after the file).
pub fn read_sheets(path: &Path) -> Result<Vec<Sheet>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_a_spreadsheet());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Error::FileTooLarge {
            bytes: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let zip_or_ole =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    // Every workbook format is a zip (xlsx, ods) or an OLE file (xls); a file with
    // no extension that is neither is read as text, as finance systems export it.
    if matches!(ext.as_str(), "csv" | "tsv" | "txt" | "") && !zip_or_ole {
        return Ok(vec![read_csv(&bytes, &name)?]);
    }
    read_workbook(bytes)
}

/// Most bytes an `.xlsx` may hold once unzipped (a 1,000,000-row sheet of costs is
/// about 300 MB of XML).
pub const MAX_UNZIPPED_BYTES: u64 = 1536 * 1024 * 1024;
/// Most cells the rectangle a sheet spans may hold (rows × columns): the reader
/// allocates every cell of it, so one cell far away would ask for terabytes.
pub const MAX_CELLS: u64 = 40_000_000;
/// Most shared strings a workbook may announce (the reader reserves room for them).
const MAX_SHARED_STRINGS: u64 = 5_000_000;
/// Longest shared string, in bytes of XML: each cell that names it gets a copy.
const MAX_SHARED_STRING_BYTES: usize = 256 * 1024;
/// Excel's own limits: XFD (16,384 columns) and 1,048,576 rows.
const EXCEL_COLUMNS: u64 = 16_384;
const EXCEL_ROWS: u64 = 1_048_576;

fn workbook_too_large() -> Error {
    Error::invalid("file", "workbook_too_large")
}

/// Reads an `.xlsx` without building it, and refuses what would make the reader
/// allocate without bound or overflow: a cell reference past Excel's limits, a
/// sheet spanning more than `MAX_CELLS`, a shared-string count or string beyond
/// reason, more than `MAX_UNZIPPED_BYTES` unzipped. A workbook that is not a zip is
/// left to the reader (`.xls`, `.ods` are bounded by it).
fn check_xlsx(bytes: &[u8]) -> Result<()> {
    use std::io::Read;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut budget = MAX_UNZIPPED_BYTES;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index(i) else {
            return Err(not_a_spreadsheet());
        };
        let name = entry
            .name()
            .map_err(|_| not_a_spreadsheet())?
            .to_ascii_lowercase();
        let kind = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            Scan::Sheet
        } else if name == "xl/sharedstrings.xml" {
            Scan::SharedStrings
        } else {
            continue;
        };
        let mut scanner = Scanner::new(kind);
        let mut reader = entry.take(budget + 1);
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut chunk).map_err(|_| not_a_spreadsheet())?;
            if n == 0 {
                break;
            }
            if n as u64 > budget {
                return Err(workbook_too_large());
            }
            budget -= n as u64;
            for &b in &chunk[..n] {
                scanner.feed(b)?;
            }
        }
        scanner.finish()?;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Scan {
    Sheet,
    SharedStrings,
}

/// A byte-at-a-time reader of the few attributes that size what calamine builds:
/// ` r="B12"` of cells and rows, `uniqueCount="…"`/`count="…"` of the shared
/// strings, and the length of each `<si>…</si>`.
struct Scanner {
    kind: Scan,
    /// The last bytes seen, to recognise ` r="`, `count="`, `<si`, `</si>`.
    tail: [u8; 8],
    /// Inside an attribute value being read: which one, and its bytes.
    value: Option<(Attr, Vec<u8>)>,
    rows: (u64, u64),
    cols: (u64, u64),
    /// Bytes since the current `<si` began.
    string_bytes: Option<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Attr {
    Reference,
    Count,
}

impl Scanner {
    fn new(kind: Scan) -> Scanner {
        Scanner {
            kind,
            tail: [0; 8],
            value: None,
            rows: (u64::MAX, 0),
            cols: (u64::MAX, 0),
            string_bytes: None,
        }
    }

    fn ends_with(&self, pattern: &[u8]) -> bool {
        self.tail.ends_with(pattern)
    }

    fn feed(&mut self, b: u8) -> Result<()> {
        if let Some((attr, value)) = &mut self.value {
            if b == b'"' {
                let (attr, value) = (*attr, std::mem::take(value));
                self.value = None;
                self.attribute(attr, &value)?;
            } else if value.len() < 24 {
                value.push(b);
            } else {
                return Err(not_a_spreadsheet());
            }
            return Ok(());
        }
        self.tail.rotate_left(1);
        self.tail[7] = b;
        match self.kind {
            Scan::Sheet => {
                if self.ends_with(b" r=\"") {
                    self.value = Some((Attr::Reference, Vec::new()));
                }
            }
            Scan::SharedStrings => {
                if self.ends_with(b"Count=\"") || self.ends_with(b" count=\"") {
                    self.value = Some((Attr::Count, Vec::new()));
                }
                if let Some(n) = &mut self.string_bytes {
                    *n += 1;
                    if *n > MAX_SHARED_STRING_BYTES {
                        return Err(workbook_too_large());
                    }
                }
                if self.ends_with(b"</si>") {
                    self.string_bytes = None;
                } else if self.ends_with(b"<si") {
                    self.string_bytes = Some(0);
                }
            }
        }
        Ok(())
    }

    fn attribute(&mut self, attr: Attr, value: &[u8]) -> Result<()> {
        match attr {
            Attr::Count => {
                let n: u64 = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
                    .ok_or_else(not_a_spreadsheet)?;
                if n > MAX_SHARED_STRINGS {
                    return Err(workbook_too_large());
                }
            }
            Attr::Reference => {
                let letters = value.iter().take_while(|b| b.is_ascii_alphabetic()).count();
                let (col, row) = value.split_at(letters);
                if letters > 3 || row.len() > 7 || !row.iter().all(u8::is_ascii_digit) {
                    return Err(not_a_spreadsheet());
                }
                let row: u64 = std::str::from_utf8(row)
                    .ok()
                    .and_then(|r| r.parse().ok())
                    .ok_or_else(not_a_spreadsheet)?;
                if row == 0 || row > EXCEL_ROWS {
                    return Err(not_a_spreadsheet());
                }
                self.rows = (self.rows.0.min(row), self.rows.1.max(row));
                if letters > 0 {
                    let col = col.iter().fold(0u64, |n, c| {
                        n * 26 + u64::from(c.to_ascii_uppercase() - b'A' + 1)
                    });
                    if col > EXCEL_COLUMNS {
                        return Err(not_a_spreadsheet());
                    }
                    self.cols = (self.cols.0.min(col), self.cols.1.max(col));
                }
                if row as usize > MAX_ROWS {
                    return Err(Error::TooManyRows {
                        rows: row,
                        limit: MAX_ROWS as u64,
                    });
                }
            }
        }
        Ok(())
    }

    fn finish(&self) -> Result<()> {
        if self.kind == Scan::Sheet && self.rows.1 > 0 && self.cols.1 > 0 {
            let rows = self.rows.1 - self.rows.0.min(self.rows.1) + 1;
            let cols = self.cols.1 - self.cols.0.min(self.cols.1) + 1;
            if rows.saturating_mul(cols) > MAX_CELLS {
                return Err(workbook_too_large());
            }
        }
        Ok(())
    }
}

fn read_workbook(bytes: Vec<u8>) -> Result<Vec<Sheet>> {
    check_xlsx(&bytes)?;
    // The reader is another crate's: a panic of it on a malformed file is that
    // file's fault, said as such, never a crash of the app.
    std::panic::catch_unwind(move || read_checked_workbook(bytes))
        .unwrap_or_else(|_| Err(not_a_spreadsheet()))
}

fn read_checked_workbook(bytes: Vec<u8>) -> Result<Vec<Sheet>> {
    use calamine::{Data, Reader};
    let mut workbook = match calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            let text = e.to_string().to_lowercase();
            return Err(if text.contains("password") || text.contains("encrypt") {
                Error::invalid("file", "password_protected")
            } else {
                not_a_spreadsheet()
            });
        }
    };
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| {
            let text = e.to_string().to_lowercase();
            if text.contains("password") || text.contains("encrypt") {
                Error::invalid("file", "password_protected")
            } else {
                not_a_spreadsheet()
            }
        })?;
        // A cell formatted as a percentage shows 25 % and holds 0.25: it is read as
        // it shows (an attribution's share, a rate). Only .xlsx gives its formats.
        let styles = match &mut workbook {
            calamine::Sheets::Xlsx(xlsx) => xlsx.worksheet_style(&name).ok(),
            _ => None,
        };
        let shown_as_percent = |row: u32, col: u32| {
            styles
                .as_ref()
                .and_then(|s| s.get((row, col)))
                .and_then(|style| style.number_format.as_ref())
                .is_some_and(|f| is_percent_format(&f.format_code))
        };
        let (row0, col0) = range.start().unwrap_or((0, 0));
        if range.height() + row0 as usize > MAX_ROWS {
            return Err(Error::TooManyRows {
                rows: (range.height() + row0 as usize) as u64,
                limit: MAX_ROWS as u64,
            });
        }
        let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); row0 as usize];
        for (i, row) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; col0 as usize];
            let at = |j: usize| (row0 + i as u32, col0 + j as u32);
            let number = |n: f64, j: usize| {
                let (r, c) = at(j);
                Cell::Number(if shown_as_percent(r, c) { n * 100.0 } else { n })
            };
            cells.extend(row.iter().enumerate().map(|(j, data)| match data {
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(i) => number(*i as f64, j),
                Data::Float(f) => number(*f, j),
                Data::Bool(b) => Cell::Bool(*b),
                // The reader knows the workbook's date system (1900, or Mac's 1904).
                Data::DateTime(dt) => match dt.as_datetime() {
                    Some(d) if dt.is_datetime() && excel_serial_date(dt.as_f64()).is_some() => {
                        Cell::Date(d.date())
                    }
                    _ => Cell::Number(dt.as_f64()),
                },
                Data::DateTimeIso(s) => {
                    match NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d") {
                        Ok(d) => Cell::Date(d),
                        Err(_) => Cell::Text(s.clone()),
                    }
                }
                Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Error(e) => Cell::Error(format!("{e}")),
            }));
            rows.push(cells);
        }
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// The text of a CSV file: UTF-8 (a byte-order mark taken off) or, when it is not
/// valid UTF-8, Windows-1252 (what Excel writes for CSV in Spanish locales).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            // A UTF-8 file with a stray byte stays UTF-8 (the byte shown as �, which
            // the preview shows), rather than every accent of it read as Windows-1252
            // ("aÃ±o"): UTF-8 when its well-formed accented letters outnumber the
            // bytes that are not.
            let lossy = String::from_utf8_lossy(bytes);
            let bad = lossy
                .chars()
                .filter(|&c| c == char::REPLACEMENT_CHARACTER)
                .count();
            let good = lossy
                .chars()
                .filter(|&c| !c.is_ascii() && c != char::REPLACEMENT_CHARACTER)
                .count();
            if good > bad {
                lossy.into_owned()
            } else {
                encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
            }
        }
    }
}

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The delimiter that splits the first lines most consistently (outside quotes).
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for delim in DELIMITERS {
        let counts: Vec<usize> = lines
            .iter()
            .map(|line| {
                let mut quoted = false;
                line.bytes()
                    .filter(|b| {
                        if *b == b'"' {
                            quoted = !quoted;
                        }
                        !quoted && *b == delim
                    })
                    .count()
            })
            .collect();
        // The most common non-zero count, and on how many lines it occurs.
        let mut tally: std::collections::BTreeMap<usize, usize> = Default::default();
        for c in counts.iter().filter(|c| **c > 0) {
            *tally.entry(*c).or_default() += 1;
        }
        if let Some((count, lines)) = tally.into_iter().max_by_key(|(c, n)| (*n, *c)) {
            if (lines, count) > (best.1, best.2) {
                best = (delim, lines, count);
            }
        }
    }
    best.0
}

/// The line where a quoted field opens and never closes, if one does.
fn unclosed_quote(text: &str, delim: u8) -> Option<u64> {
    let bytes = text.as_bytes();
    let (mut line, mut opened_at) = (1u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            } else if b == b'\n' {
                line += 1;
            }
        } else if b == b'"' && field_start {
            quoted = true;
            opened_at = line;
        } else if b == b'\n' {
            line += 1;
            field_start = true;
            i += 1;
            continue;
        }
        field_start = !quoted && (b == delim || b == b'\n');
        i += 1;
    }
    quoted.then_some(opened_at)
}

/// Reads CSV bytes into one sheet, every cell as text.
pub fn read_csv(bytes: &[u8], name: &str) -> Result<Sheet> {
    if bytes.contains(&0) {
        return Err(not_a_spreadsheet());
    }
    let text = decode_text(bytes);
    let delim = detect_delimiter(&text);
    if let Some(line) = unclosed_quote(&text, delim) {
        return Err(Error::CsvMalformed {
            line,
            detail: "unclosed_quote".into(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // (byte offset, newlines before it)
    let mut counted = (0usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| Error::CsvMalformed {
            line: e.position().map(|p| p.line()).unwrap_or(0),
            detail: e.to_string(),
        })?;
        // The record's line: its position may be that of blank lines the reader skipped.
        let line = match record.position() {
            Some(p) => {
                let bytes = text.as_bytes();
                let mut b = (p.byte() as usize).min(bytes.len());
                while b < bytes.len() && matches!(bytes[b], b'\n' | b'\r') {
                    b += 1;
                }
                // Counted from the previous record on: one pass over the file.
                let from = counted.0.min(b);
                counted.1 += bytes[from..b].iter().filter(|c| **c == b'\n').count();
                counted.0 = b;
                1 + counted.1
            }
            None => rows.len() + 1,
        };
        // Keep row numbers the file's lines (a quoted field may span lines).
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(|s| Cell::Text(s.to_string())).collect());
        if rows.len() > MAX_ROWS {
            return Err(Error::TooManyRows {
                rows: rows.len() as u64,
                limit: MAX_ROWS as u64,
            });
        }
    }
    Ok(Sheet {
        name: name.to_string(),
        rows,
    })
}
