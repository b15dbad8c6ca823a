//! Bringing an office's spreadsheets in (issue 12): a sheet read into cells
//! (`sheet`), its header row found under a title block, its columns mapped to a
//! kind's fields by the words of the kind's description (`kinds.rs`), each column's
//! number and date format detected from its values, and every row built into the
//! record the store would keep and checked by the store's own rules, inside a
//! transaction that a preview rolls back and an import commits.

pub mod sheet;
pub mod template;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::Lang;
use crate::kinds::{Field, FieldType, KindDesc, LabelPart, RecordKind};
use crate::numbers::{self, NumberFormat};
use crate::store::Store;

pub use crate::text::fold;
pub use sheet::{read_sheets, Cell, Sheet};
pub use template::write_template;

/// Rows shown as they will be stored.
pub const PREVIEW_ROWS: usize = 20;
/// Rows looked at for the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// How the user maps a field: a column (by its header), optionally with its format,
/// or a constant value for every row.
#[derive(Deserialize, Serialize, TS, Debug, Clone, PartialEq)]
#[serde(untagged)]
pub enum MapTo {
    Column(String),
    Constant {
        value: String,
    },
    ColumnWith {
        column: String,
        /// A number format code (`point_comma`…) or a date order (`dmy`, `mdy`).
        #[serde(default)]
        format: Option<String>,
    },
}

/// A mapping given by the user: field name → column or constant. Fields it leaves
/// out are matched by header words; `"ignore"` as a field's column leaves it out.
pub type Mapping = BTreeMap<String, MapTo>;

/// Names of the file the user matched to records by hand: field name → (text as
/// written in the file → id of the record chosen). Such a text is resolved to that id
/// before any matching by words.
pub type ValueMap = BTreeMap<String, BTreeMap<String, String>>;

/// The order of a date's day and month.
#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    Dmy,
    Mdy,
}

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub kind: RecordKind,
    /// The sheet's name; the first sheet with a header when none.
    pub sheet: Option<String>,
    pub mapping: Mapping,
    /// Texts of reference columns matched to records by the user.
    pub values: ValueMap,
    pub lang: Lang,
    /// The file the sheets came from, so the import is recorded and the same file
    /// is not imported twice; none for sheets built in memory.
    pub source: Option<ImportSource>,
    /// Leave out the rows that look like costs already in the database.
    pub skip_duplicates: bool,
}

/// The file an import reads: its name (no folders) and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSource {
    pub file_name: String,
    pub fingerprint: String,
}

impl ImportSource {
    pub fn of(path: &std::path::Path) -> Result<ImportSource> {
        use sha2::{Digest, Sha256};
        // The size first: a file too large to import is not read to be named.
        let bytes = std::fs::metadata(path)?.len();
        if bytes > sheet::MAX_FILE_BYTES {
            return Err(Error::FileTooLarge {
                bytes,
                limit: sheet::MAX_FILE_BYTES,
            });
        }
        let bytes = std::fs::read(path)?;
        let digest = Sha256::digest(&bytes);
        Ok(ImportSource {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            fingerprint: digest.iter().map(|b| format!("{b:02x}")).collect(),
        })
    }
}

/// How one field is read.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct ColumnMap {
    pub field: String,
    pub field_label: String,
    /// The column's index (0 is A) and header; none for a constant.
    pub column: Option<usize>,
    pub header: Option<String>,
    pub constant: Option<String>,
    /// The number format the column is read in (numeric fields).
    pub number_format: Option<NumberFormat>,
    /// True when the number format was detected from the column's values.
    pub format_detected: bool,
    pub date_order: Option<DateOrder>,
    /// True when a money column's currency comes from the marks in its cells.
    pub currency_from_cells: bool,
}

/// A row that cannot be read, or a cell that was not what its column says.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// The file's row number (1 is the first line).
    pub row: usize,
    pub column: Option<String>,
    pub field: Option<String>,
    /// A stable code (`required`, `unmatched`, `too_many_decimals`…).
    pub reason: String,
    pub detail: String,
    pub message: String,
}

/// A name of the file that no record of the database matched.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct Unmatched {
    pub field: String,
    pub kind: RecordKind,
    pub value: String,
    pub rows: Vec<usize>,
    /// The closest live records of the kind, closest first (at most 5), to pick from.
    pub suggestions: Vec<Suggestion>,
}

/// A record offered for a name of the file.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: String,
    /// The record's label, as lists name it.
    pub label: String,
}

/// A name of the file that matched no record exactly but one record by close
/// spelling ("Mercociudad" for Mercociudades): resolved to it, and shown so that
/// nothing is matched silently.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct CloseMatch {
    pub field: String,
    pub kind: RecordKind,
    pub value: String,
    pub id: String,
    pub label: String,
    pub rows: Vec<usize>,
}

/// What an import would do, or did.
#[derive(Serialize, TS, Debug, Clone)]
pub struct Preview {
    pub kind: RecordKind,
    pub sheet: String,
    pub sheets: Vec<String>,
    pub header_row: usize,
    /// Every header of the header row, in column order (`""` for an empty one), so
    /// a column's index in `columns` is its place here.
    pub headers: Vec<String>,
    /// The mapping in effect, field → column or constant: the request's, then a
    /// saved one, then header words. Sent back with one entry changed, it maps the
    /// same way but for that entry.
    pub mapping: Mapping,
    /// True when a mapping saved by an earlier import of a sheet with the same
    /// headers was used.
    pub saved_mapping: bool,
    /// Rows above the header (a title block).
    pub title_rows: Vec<usize>,
    pub blank_rows: Vec<usize>,
    pub totals_row: Option<usize>,
    /// Rows above the last that a totals word opens ("Subtotal", "Total"): left
    /// out, so a sheet's subtotals are not counted as costs.
    pub subtotal_rows: Vec<usize>,
    pub columns: Vec<ColumnMap>,
    /// Headers no field reads.
    pub ignored_columns: Vec<String>,
    pub data_rows: usize,
    pub records_ok: usize,
    /// The first rows as they will be stored.
    #[ts(type = "Array<Record<string, unknown>>")]
    pub records: Vec<Value>,
    pub problems: Vec<RowProblem>,
    pub unmatched: Vec<Unmatched>,
    /// Names resolved by close spelling, for the user to confirm or change.
    pub close_matches: Vec<CloseMatch>,
    /// The ids written (an import that was applied).
    pub imported_ids: Vec<String>,
    pub applied: bool,
    /// The recorded import (`cabildo import-undo` takes it back).
    pub import_id: Option<String>,
    /// The earlier import of the same file, sheet and kind that still stands: importing
    /// again adds nothing.
    pub already_imported: Option<String>,
    /// Rows that look like a cost already in the database (same date, amount,
    /// currency and membership), for the user to keep or leave out.
    pub possible_duplicates: Vec<usize>,
    /// Of those, the rows left out (`skip_duplicates`).
    pub duplicates_left_out: usize,
    /// What the preview says about the sheet, in the user's language.
    pub notes: Vec<String>,
}

// ---- words ------------------------------------------------------------------------

/// Header words people use for a field beyond its label in the description.
fn synonyms(field: &Field) -> &'static [&'static str] {
    match (field.name, field.ty) {
        (_, FieldType::Money { .. }) => &[
            "monto", "importe", "amount", "valor", "value", "costo", "cost", "gasto", "pago",
            "cantidad", "total",
        ],
        ("spent_on" | "on_date" | "start_on", _) => &["fecha", "date", "dia", "day"],
        ("description", _) => &[
            "concepto",
            "descripcion",
            "description",
            "detalle",
            "concept",
            "detail",
        ],
        ("membership_id", _) => &[
            "red",
            "network",
            "membresia",
            "membership",
            "organismo",
            "red internacional",
        ],
        ("network_id", _) => &["red", "network", "siglas", "acronym"],
        ("city_id", _) => &["ciudad", "city", "municipio", "municipality"],
        (_, FieldType::Currency) => &["moneda", "currency", "divisa"],
        ("category", _) => &["categoria", "category", "rubro", "tipo de gasto"],
        ("title", _) => &["titulo", "title", "evento", "event", "reunion", "meeting"],
        ("hours", _) => &["horas", "hours"],
        _ => &[],
    }
}

/// How well a header names a field: 3 its label exactly, 2 a synonym exactly, 1 a
/// label or synonym among its words, 0 not at all.
/// A header longer than this is no column name (a hostile row of megabyte cells
/// would be folded once per field).
const MAX_HEADER_BYTES: usize = 200;
/// Columns of the header row that fields are matched to; columns further right
/// are not read (a hostile row of a million headers).
const MAX_HEADER_COLUMNS: usize = 1_000;

fn header_score(header: &str, field: &Field) -> u8 {
    if header.len() > MAX_HEADER_BYTES {
        return 0;
    }
    let header = fold(header);
    if header.is_empty() {
        return 0;
    }
    let labels = [
        fold(field.es),
        fold(field.en),
        fold(&field.name.replace('_', " ")),
    ];
    if labels.contains(&header) {
        return 3;
    }
    let words: Vec<String> = synonyms(field).iter().map(|w| fold(w)).collect();
    if words.contains(&header) {
        return 2;
    }
    let padded = format!(" {header} ");
    let contains = |w: &String| !w.is_empty() && padded.contains(&format!(" {w} "));
    if labels.iter().chain(words.iter()).any(contains) {
        return 1;
    }
    // The first words of a long label ("Papel" for "Papel en la red").
    if header.len() >= 4 && labels.iter().any(|l| l.starts_with(&format!("{header} "))) {
        return 1;
    }
    0
}

/// The fields an import fills (a reference to a meeting or an outcome's attribution
/// is left to the app).
fn importable(desc: &KindDesc) -> Vec<&'static Field> {
    desc.fields.iter().collect()
}

// ---- header, blank rows, totals -----------------------------------------------------

fn row_headers(row: &[Cell]) -> Vec<String> {
    row.iter()
        .take(MAX_HEADER_COLUMNS)
        .map(|c| match c {
            Cell::Text(t) => t.trim().to_string(),
            _ => String::new(),
        })
        .collect()
}

fn row_is_blank(row: &[Cell]) -> bool {
    row.iter().all(Cell::is_empty)
}

/// The row that names the most fields among the first rows (ties: the first).
fn find_header(sheet: &Sheet, fields: &[&'static Field], mapping: &Mapping) -> Option<usize> {
    let named: Vec<String> = mapping
        .values()
        .filter_map(|m| match m {
            MapTo::Column(c) | MapTo::ColumnWith { column: c, .. } => Some(fold(c)),
            MapTo::Constant { .. } => None,
        })
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let headers = row_headers(row);
        let filled = headers.iter().filter(|h| !h.is_empty()).count();
        if filled < 2 {
            continue;
        }
        let score = headers
            .iter()
            .filter(|h| h.len() <= MAX_HEADER_BYTES)
            .filter(|h| named.contains(&fold(h)) || fields.iter().any(|f| header_score(h, f) > 0))
            .count();
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

const TOTAL_WORDS: &[&str] = &[
    "total",
    "totales",
    "suma",
    "sum",
    "gran total",
    "total general",
    "grand total",
    "subtotal",
];

/// A cell that says a row totals others: a totals word alone, or opening the text
/// ("Subtotal enero", "Total 2025").
fn is_totals_word(cell: &Cell) -> bool {
    match cell {
        Cell::Text(t) => {
            let folded = fold(t);
            TOTAL_WORDS.iter().any(|w| {
                folded == *w
                    || folded
                        .strip_prefix(w)
                        .is_some_and(|rest| rest.starts_with(' '))
            })
        }
        _ => false,
    }
}

// ---- values -----------------------------------------------------------------------

/// Reads a date written as text: ISO always; `a/b/yyyy` (or `-`, `.`) by `order`.
fn read_date_text(text: &str, order: DateOrder) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10).unwrap_or(text);
    if let Ok(d) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        return Some(d);
    }
    let parts = day_month_year(text)?;
    let (d, m) = match order {
        DateOrder::Dmy => (parts.0, parts.1),
        DateOrder::Mdy => (parts.1, parts.0),
    };
    NaiveDate::from_ymd_opt(parts.2, m, d)
}

/// `a/b/yyyy` → (a, b, year), with `/`, `-` or `.` between.
fn day_month_year(text: &str) -> Option<(u32, u32, i32)> {
    let text = text.split_whitespace().next()?;
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    Some((
        parts[0].parse().ok()?,
        parts[1].parse().ok()?,
        parts[2].parse().ok()?,
    ))
}

/// The order a column's text dates are written in, when its values say: `None` when
/// they do not; `Err` when some are day first and others month first.
fn detect_date_order<'a>(
    texts: impl Iterator<Item = &'a str>,
) -> std::result::Result<Option<DateOrder>, ()> {
    let (mut dmy, mut mdy) = (false, false);
    for text in texts {
        if let Some((a, b, _)) = day_month_year(text) {
            if a > 12 && b <= 12 {
                dmy = true;
            }
            if b > 12 && a <= 12 {
                mdy = true;
            }
        }
    }
    match (dmy, mdy) {
        (true, true) => Err(()),
        (true, false) => Ok(Some(DateOrder::Dmy)),
        (false, true) => Ok(Some(DateOrder::Mdy)),
        _ => Ok(None),
    }
}

/// The format a column's numbers are written in: the office's when every value reads
/// in it, else the one format every value reads in, if there is one.
fn detect_number_format<'a>(
    texts: impl Iterator<Item = &'a str> + Clone,
    office: NumberFormat,
) -> (NumberFormat, bool) {
    let reads = |format: NumberFormat| {
        texts
            .clone()
            .all(|t| numbers::read_decimal(t, format).is_ok())
    };
    if reads(office) {
        return (office, false);
    }
    let fitting: Vec<NumberFormat> = NumberFormat::ALL
        .into_iter()
        .filter(|f| reads(*f))
        .collect();
    match fitting.as_slice() {
        [only] => (*only, true),
        // "3215,5" reads the same in both comma formats.
        [NumberFormat::PointComma, NumberFormat::SpaceComma] => (NumberFormat::PointComma, true),
        _ => (office, false),
    }
}

/// The currency a mark or code names (`US$` → USD, `€` → EUR; `$` → the office's).
fn currency_of_mark(text: &str, office_currency: &str) -> Option<String> {
    let text = text.trim();
    if text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(text.to_ascii_uppercase());
    }
    let (_, named) = numbers::read_decimal(&format!("{text} 1"), NumberFormat::CommaPoint).ok()?;
    named.map(|c| {
        if c == "$" {
            office_currency.to_string()
        } else {
            c
        }
    })
}

fn read_bool(text: &str) -> Option<bool> {
    match fold(text).as_str() {
        "si" | "s" | "yes" | "y" | "true" | "verdadero" | "x" | "1" => Some(true),
        "no" | "n" | "false" | "falso" | "0" => Some(false),
        _ => None,
    }
}

fn read_enum(text: &str, values: &[crate::model::EnumWord]) -> Option<&'static str> {
    let folded = fold(text);
    let exact = values
        .iter()
        .find(|v| fold(v.code) == folded || fold(v.es) == folded || fold(v.en) == folded);
    if let Some(v) = exact {
        return Some(v.code);
    }
    // A singular for a plural word ("Viaje" for "Viajes"), or the start of a long one.
    let stem = |w: &str| w.trim_end_matches('s').to_string();
    let close: Vec<&crate::model::EnumWord> = values
        .iter()
        .filter(|v| {
            [fold(v.es), fold(v.en)]
                .iter()
                .any(|w| stem(w) == stem(&folded) || (folded.len() >= 4 && w.starts_with(&folded)))
        })
        .collect();
    match close.as_slice() {
        [only] => Some(only.code),
        _ => None,
    }
}

// ---- references ---------------------------------------------------------------------

/// The live records a reference may name, by the folded words that name them.
struct RefIndex {
    by_word: HashMap<(RecordKind, String), Vec<String>>,
    /// (kind, id) → label of every live record indexed.
    labels: HashMap<(RecordKind, String), String>,
    /// kind → (id, the folded words that name it), for close spelling and suggestions.
    spellings: HashMap<RecordKind, Vec<(String, Vec<String>)>>,
    /// membership id → (city id, network id)
    memberships: HashMap<String, (String, String)>,
    /// network words → network ids
    networks: HashMap<String, Vec<String>>,
    cities: Vec<String>,
}

impl RefIndex {
    fn build(store: &Store, kinds: &[RecordKind]) -> Result<RefIndex> {
        let mut index = RefIndex {
            by_word: HashMap::new(),
            labels: HashMap::new(),
            spellings: HashMap::new(),
            memberships: HashMap::new(),
            networks: HashMap::new(),
            cities: Vec::new(),
        };
        let add =
            |map: &mut HashMap<(RecordKind, String), Vec<String>>, kind, word: &str, id: &str| {
                let word = fold(word);
                if !word.is_empty() {
                    let ids = map.entry((kind, word)).or_default();
                    if !ids.iter().any(|i| i == id) {
                        ids.push(id.to_string());
                    }
                }
            };
        let mut wanted: Vec<RecordKind> = kinds.to_vec();
        if wanted.contains(&RecordKind::Membership) {
            wanted.extend([RecordKind::Network, RecordKind::City]);
        }
        wanted.push(RecordKind::City);
        // The kinds a label names through a reference ("C40 · Villa"), parents first.
        for kind in wanted.clone() {
            for part in kind.desc().label {
                if let LabelPart::Via(reference, _) = part {
                    if let Some(FieldType::Ref(parent)) = kind.desc().field(reference).map(|f| f.ty)
                    {
                        wanted.push(parent);
                    }
                }
            }
        }
        wanted.sort_by_key(|k| RecordKind::ALL.iter().position(|a| a == k));
        wanted.dedup();
        for kind in wanted {
            let Value::Array(records) = store.list_json(kind, None)? else {
                continue;
            };
            // The whole label, as lists and exports name the record (the kind's label
            // rule, written once as the store's SQL).
            let labels = store.labels(kind)?;
            for record in &records {
                let id = record["id"].as_str().unwrap_or_default();
                add(&mut index.by_word, kind, id, id);
                match kind {
                    RecordKind::Network => {
                        for key in ["acronym", "name"] {
                            if let Some(word) = record[key].as_str() {
                                let ids = index.networks.entry(fold(word)).or_default();
                                if !ids.iter().any(|i| i == id) {
                                    ids.push(id.to_string());
                                }
                            }
                        }
                    }
                    RecordKind::City => index.cities.push(id.to_string()),
                    RecordKind::Membership => {
                        let city = record["city_id"].as_str().unwrap_or_default().to_string();
                        let network = record["network_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string();
                        index.memberships.insert(id.to_string(), (city, network));
                    }
                    _ => {}
                }
                for part in kind.desc().label {
                    if let LabelPart::Field(name) | LabelPart::Either(name, _) = part {
                        if let Some(word) = record[*name].as_str() {
                            add(&mut index.by_word, kind, word, id);
                        }
                    }
                }
                if let Some(label) = labels.get(id) {
                    add(&mut index.by_word, kind, label, id);
                }
                let label = labels.get(id).cloned().unwrap_or_default();
                let mut words: Vec<String> = vec![fold(&label)];
                let own: &[&str] = match kind {
                    RecordKind::Network => &["acronym", "name"],
                    RecordKind::City => &["name"],
                    _ => &[],
                };
                words.extend(own.iter().filter_map(|k| record[*k].as_str()).map(fold));
                if kind == RecordKind::Membership {
                    // A membership is named by its network.
                    let network = record["network_id"].as_str().unwrap_or_default();
                    if let Some(list) = index.spellings.get(&RecordKind::Network) {
                        if let Some((_, w)) = list.iter().find(|(i, _)| i == network) {
                            words.extend(w.iter().cloned());
                        }
                    }
                }
                words.retain(|w| !w.is_empty());
                index
                    .spellings
                    .entry(kind)
                    .or_default()
                    .push((id.to_string(), words));
                index.labels.insert((kind, id.to_string()), label);
            }
        }
        Ok(index)
    }

    /// True when `id` is a live record of `kind`.
    fn is_live(&self, kind: RecordKind, id: &str) -> bool {
        self.labels.contains_key(&(kind, id.to_string()))
    }

    /// The records of `kind` by how close their words are to `word`, closest first.
    fn by_closeness(&self, kind: RecordKind, word: &str) -> Vec<(f64, &String)> {
        let mut scored: Vec<(f64, &String)> = self
            .spellings
            .get(&kind)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|(id, words)| {
                let best = words
                    .iter()
                    .map(|w| spelling_likeness(word, w))
                    .fold(0.0, f64::max);
                (best, id)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
    }

    /// The one record of `kind` spelled closely like `word`, when exactly one is.
    fn close_one(&self, kind: RecordKind, word: &str) -> Option<String> {
        let letters = word.chars().count();
        if !(MIN_CLOSE_CHARS..=MAX_CLOSE_CHARS).contains(&letters) {
            return None;
        }
        let close: Vec<&String> = self
            .by_closeness(kind, word)
            .into_iter()
            .take_while(|(score, _)| *score >= CLOSE_SPELLING)
            .map(|(_, id)| id)
            .collect();
        match close.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    }

    /// Up to five records of `kind` closest to `text`, for the user to pick from; for
    /// a membership, those of `city` when it has any.
    fn suggest(&self, kind: RecordKind, text: &str, city: Option<&str>) -> Vec<Suggestion> {
        let in_city = |id: &String| {
            kind != RecordKind::Membership
                || city.is_none_or(|c| self.memberships.get(id).is_some_and(|(mc, _)| mc == c))
        };
        if text.chars().count() > MAX_CLOSE_CHARS {
            return Vec::new();
        }
        let scored = self.by_closeness(kind, &fold(text));
        let mut picked: Vec<&String> = scored
            .iter()
            .map(|(_, id)| *id)
            .filter(|id| in_city(id))
            .take(5)
            .collect();
        if picked.is_empty() {
            picked = scored.iter().map(|(_, id)| *id).take(5).collect();
        }
        picked
            .into_iter()
            .map(|id| Suggestion {
                id: id.clone(),
                label: self.label(kind, id),
            })
            .collect()
    }

    fn label(&self, kind: RecordKind, id: &str) -> String {
        self.labels
            .get(&(kind, id.to_string()))
            .cloned()
            .unwrap_or_default()
    }

    /// The record the text names exactly, else the one it names by close spelling
    /// (networks, cities, memberships by their network).
    fn resolve(&self, kind: RecordKind, text: &str, city: Option<&str>) -> Resolved {
        if let Some(id) = self.resolve_exact(kind, text, city) {
            return Resolved::Exact(id);
        }
        let close = match kind {
            RecordKind::Network | RecordKind::City => self.close_one(kind, &fold(text)),
            RecordKind::Membership => {
                let network_word = text.split('·').next().map(fold).unwrap_or_default();
                self.close_one(RecordKind::Network, &network_word)
                    .and_then(|n| self.membership_in(city, &[n]))
            }
            _ => None,
        };
        close.map_or(Resolved::None, Resolved::Close)
    }

    /// The one membership of `networks` held by `city` (or the only city).
    fn membership_in(&self, city: Option<&str>, networks: &[String]) -> Option<String> {
        let city = city
            .map(str::to_string)
            .or_else(|| match self.cities.as_slice() {
                [only] => Some(only.clone()),
                _ => None,
            })?;
        let hits: Vec<&String> = self
            .memberships
            .iter()
            .filter(|(_, (c, n))| *c == city && networks.contains(n))
            .map(|(id, _)| id)
            .collect();
        match hits.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    }

    /// The one record of `kind` the text names; for a membership, the network it
    /// names (by acronym or name) held by `city` (or the only city).
    fn resolve_exact(&self, kind: RecordKind, text: &str, city: Option<&str>) -> Option<String> {
        let word = fold(text);
        if let Some(ids) = self.by_word.get(&(kind, word.clone())) {
            if ids.len() == 1 {
                return Some(ids[0].clone());
            }
        }
        if kind == RecordKind::Membership {
            // "C40 · Ciudad" or just "C40".
            let network_word = text.split('·').next().map(fold).unwrap_or_default();
            let networks = self.networks.get(&network_word)?;
            return self.membership_in(city, networks);
        }
        if kind == RecordKind::Network {
            // The catalog's label: "C40 — C40 Cities Climate Leadership Group".
            let acronym = text.split('—').next().map(fold).unwrap_or_default();
            for word in [&word, &acronym] {
                if let Some(ids) = self.networks.get(word) {
                    if ids.len() == 1 {
                        return Some(ids[0].clone());
                    }
                }
            }
        }
        None
    }
}

/// (kind, the first row's city, rows) of a text no record matched.
type UnmatchedRows = (RecordKind, Option<String>, Vec<usize>);

/// How a reference's text was resolved.
#[derive(Clone)]
enum Resolved {
    Exact(String),
    /// By close spelling: shown to the user.
    Close(String),
    None,
}

/// Likeness of two folded texts' spelling, 1.0 the same: Damerau-Levenshtein edits
/// over the longer length (a transposed or missing letter is one edit).
fn spelling_likeness(a: &str, b: &str) -> f64 {
    strsim::normalized_damerau_levenshtein(a, b)
}

/// At least this likeness is a close spelling: one edit in five letters
/// ("Mercociudad" for "Mercociudades" is 0.85; "UCLG" and "UCCI" are 0.5).
const CLOSE_SPELLING: f64 = 0.8;
/// Shorter texts (acronyms) are matched exactly only: one letter makes another acronym.
const MIN_CLOSE_CHARS: usize = 5;
/// Names longer than this are not compared by spelling (no record is named by a
/// paragraph, and each comparison costs the product of the lengths).
const MAX_CLOSE_CHARS: usize = 120;
/// Unmatched names that get suggestions: a sheet of thousands of unknown names
/// would otherwise compare each with every record.
const SUGGESTED_NAMES: usize = 200;

// ---- messages -----------------------------------------------------------------------

/// A reason in the user's language.
pub fn reason_message(reason: &str, detail: &str, lang: Lang) -> String {
    let words = REASONS.iter().find(|(code, _, _)| *code == reason);
    let mut text = match words {
        Some((_, es, en)) => lang.pick(es, en).to_string(),
        None => format!(
            "{} ({reason})",
            lang.pick("No cumple la regla", "Breaks the rule")
        ),
    };
    if !detail.is_empty() {
        text.push_str(&format!(": {detail}"));
    }
    text
}

/// The reasons a row or a cell is refused, in Spanish and English.
const REASONS: &[(&str, &str, &str)] = &[
    (
        "required",
        "Falta un valor obligatorio",
        "A required value is missing",
    ),
    (
        "unmatched",
        "No coincide con ningún registro de la base",
        "Matches no record of the database",
    ),
    (
        "unknown_value",
        "No es uno de los valores posibles",
        "Is not one of the possible values",
    ),
    ("unreadable_date", "No es una fecha", "Is not a date"),
    (
        "date_order_mixed",
        "La columna mezcla fechas con el día primero y con el mes primero",
        "The column mixes day-first and month-first dates",
    ),
    (
        "formula_error",
        "La fórmula da un error",
        "The formula gives an error",
    ),
    ("not_a_bool", "No es sí o no", "Is not yes or no"),
    (
        "unknown_currency",
        "No es una moneda conocida",
        "Is not a known currency",
    ),
    (
        "too_many_decimals",
        "Tiene más decimales que su moneda",
        "Has more decimals than its currency",
    ),
    ("not_a_number", "No es un número", "Is not a number"),
    ("negative", "No puede ser negativo", "Cannot be negative"),
    ("too_large", "Es demasiado grande", "Is too large"),
    (
        "out_of_range",
        "Está fuera del rango permitido",
        "Is out of the allowed range",
    ),
    (
        "not_an_integer",
        "Debe ser un número entero",
        "Must be a whole number",
    ),
    (
        "decimal_point_expected",
        "Escriba los decimales con punto",
        "Write the decimals with a point",
    ),
    (
        "decimal_comma_expected",
        "Escriba los decimales con coma",
        "Write the decimals with a comma",
    ),
    (
        "currency_mismatch",
        "La marca de moneda no es la de la columna de moneda",
        "The currency mark is not the currency column's",
    ),
    (
        "too_long",
        "El texto es demasiado largo",
        "The text is too long",
    ),
    (
        "duplicate",
        "Ya existe un registro con estos datos",
        "A record with these details already exists",
    ),
    (
        "end_before_start",
        "La fecha final es anterior a la inicial",
        "The end date is before the start date",
    ),
    (
        "unknown_reference",
        "El registro nombrado no existe o está en la papelera",
        "The record named does not exist or is in the trash",
    ),
    (
        "thesis_already_open",
        "Esta membresía ya tiene una tesis abierta",
        "This membership already has an open thesis",
    ),
    (
        "country_code",
        "Use el código ISO del país en mayúsculas (MX, MEX)",
        "Use the country's ISO code in capitals (MX, MEX)",
    ),
    (
        "must_be_positive",
        "Debe ser mayor que cero",
        "It must be greater than zero",
    ),
    (
        "invoice_not_dues",
        "Solo un pago de cuotas puede saldar una factura",
        "Only a dues payment can settle an invoice",
    ),
    (
        "invoice_other_membership",
        "La factura es de otra membresía",
        "The invoice belongs to another membership",
    ),
    (
        "min_over_max",
        "El máximo es menor que el mínimo",
        "The maximum is below the minimum",
    ),
    (
        "fee_table_empty",
        "La tabla no tiene ningún monto: indique al menos el de un grupo de ingreso",
        "The table has no amount: give at least one income group's",
    ),
    (
        "time_has_no_amount",
        "El tiempo se registra en horas, sin monto",
        "Time is recorded in hours, with no amount",
    ),
    (
        "over_amount",
        "Lo comprometido no puede superar el monto",
        "The committed amount cannot exceed the amount",
    ),
    (
        "over_committed",
        "Lo desembolsado no puede superar lo comprometido",
        "The disbursed amount cannot exceed the committed amount",
    ),
    (
        "grace_over_tenor",
        "La gracia no puede superar el plazo",
        "The grace period cannot exceed the tenor",
    ),
    (
        "same_currency",
        "Un tipo de cambio une dos monedas distintas",
        "An exchange rate joins two different currencies",
    ),
    (
        "other_city",
        "Esa membresía es de otra ciudad",
        "That membership belongs to another city",
    ),
    (
        "shares_over_100",
        "Las atribuciones del resultado sumarían más de 100 %",
        "The outcome's attributions would add up to more than 100 %",
    ),
];

/// An error of the import as a whole (the file, the sheet), in the user's language.
pub fn error_message(error: &Error, lang: Lang) -> String {
    let pick = |es: &str, en: &str| lang.pick(es, en).to_string();
    match error {
        Error::Invalid { rule, detail, .. } => match *rule {
            "not_a_spreadsheet" => pick(
                "El archivo no es una hoja de cálculo (.xlsx, .xls, .ods o .csv)",
                "The file is not a spreadsheet (.xlsx, .xls, .ods or .csv)",
            ),
            "workbook_too_large" => pick(
                "El libro es demasiado grande para leerlo: una hoja abarca demasiadas celdas o el archivo descomprimido pasa de 1,5 GB",
                "The workbook is too large to read: a sheet spans too many cells or the file unzipped exceeds 1.5 GB",
            ),
            "password_protected" => pick(
                "El libro está protegido con contraseña: quite la contraseña en Excel y vuelva a intentarlo",
                "The workbook is password-protected: remove the password in Excel and try again",
            ),
            "empty_sheet" => pick("La hoja está vacía", "The sheet is empty"),
            "no_header" => pick(
                "No se encontró una fila de encabezados con columnas conocidas",
                "No header row with known columns was found",
            ),
            "no_such_sheet" => format!("{}: {detail}", pick("No hay una hoja con ese nombre", "There is no sheet with that name")),
            "unknown_field" => format!("{}: {detail}", pick("La correspondencia nombra un campo que no existe", "The mapping names a field that does not exist")),
            "unknown_column" => format!("{}: {detail}", pick("La correspondencia nombra una columna que no está en la hoja", "The mapping names a column that is not in the sheet")),
            "already_imported" => format!("{} ({detail})", pick(
                "Este archivo ya se importó; nada se agregó (deshaga esa importación para importarlo de nuevo)",
                "This file was already imported; nothing was added (undo that import to import it again)",
            )),
            "already_undone" => pick("Esa importación ya se deshizo", "That import was already undone"),
            "rows_in_error" => format!("{}: {detail}", pick(
                "Hay filas con errores; nada se importó (use --skip-errors para dejarlas fuera)",
                "Some rows have errors; nothing was imported (use --skip-errors to leave them out)",
            )),
            other => reason_message(other, detail, lang),
        },
        Error::CsvMalformed { line, .. } => format!(
            "{} {line}",
            pick(
                "El CSV tiene unas comillas sin cerrar o mal puestas en la línea",
                "The CSV has an unclosed or misplaced quote on line"
            )
        ),
        Error::FileTooLarge { limit, .. } => format!("{} ({limit} bytes)", pick("El archivo es demasiado grande", "The file is too large")),
        Error::TooManyRows { limit, .. } => format!("{} ({limit})", pick("La hoja tiene demasiadas filas", "The sheet has too many rows")),
        Error::Io(e) => format!("{}: {e}", pick("No se pudo leer el archivo", "The file could not be read")),
        other => other.to_string(),
    }
}

// ---- the preview ----------------------------------------------------------------------

/// How each mapped field gets its value.
struct Plan<'a> {
    field: &'a Field,
    source: Source,
    number_format: NumberFormat,
    date_order: DateOrder,
    mixed_dates: bool,
}

enum Source {
    Column(usize),
    Constant(String),
}

fn parse_format(code: &str) -> (Option<NumberFormat>, Option<DateOrder>) {
    match code {
        "dmy" => (None, Some(DateOrder::Dmy)),
        "mdy" => (None, Some(DateOrder::Mdy)),
        other => (NumberFormat::parse(other), None),
    }
}

/// Reads the sheet and builds every row as the record the store would keep, checked
/// by the store's rules; `apply` writes them in one transaction (refused when a row
/// is in error, unless `skip_errors`). Without `apply` nothing is written.
pub fn run(
    store: &mut Store,
    sheets: &[Sheet],
    request: &ImportRequest,
    apply: bool,
    skip_errors: bool,
) -> Result<Preview> {
    run_with_progress(store, sheets, request, apply, skip_errors, &mut |_, _| true)
}

/// Rows between two calls of `progress`.
const PROGRESS_EVERY: usize = 500;

/// `run`, telling `progress` (rows done, rows in all) as it goes; when `progress`
/// answers false the work stops with `Error::Cancelled` and nothing is written.
pub fn run_with_progress(
    store: &mut Store,
    sheets: &[Sheet],
    request: &ImportRequest,
    apply: bool,
    skip_errors: bool,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<Preview> {
    let desc = request.kind.desc();
    let fields = importable(desc);
    let lang = request.lang;
    for name in request.mapping.keys().chain(request.values.keys()) {
        if desc.field(name).is_none() {
            return Err(Error::invalid_because(
                "mapping",
                "unknown_field",
                name.clone(),
            ));
        }
    }
    // The sheet: the one named, or the first with a header.
    let chosen = match &request.sheet {
        Some(name) => {
            let sheet = sheets
                .iter()
                .find(|s| s.name == *name || fold(&s.name) == fold(name))
                .ok_or_else(|| Error::invalid_because("sheet", "no_such_sheet", name.clone()))?;
            let header = find_header(sheet, &fields, &request.mapping);
            (sheet, header)
        }
        None => {
            let found = sheets
                .iter()
                .find_map(|s| find_header(s, &fields, &request.mapping).map(|h| (s, Some(h))));
            match found {
                Some(pair) => pair,
                None => match sheets.first() {
                    Some(s) => (s, None),
                    None => return Err(Error::invalid("sheet", "empty_sheet")),
                },
            }
        }
    };
    let (sheet, header) = chosen;
    if sheet.rows.iter().all(|r| row_is_blank(r)) {
        return Err(Error::invalid("sheet", "empty_sheet"));
    }
    let header_index = header.ok_or_else(|| Error::invalid("sheet", "no_header"))?;
    let headers = row_headers(&sheet.rows[header_index]);
    let column_of = |name: &str| headers.iter().position(|h| fold(h) == fold(name));

    // A mapping saved by an earlier import of a sheet of this shape, under the request's.
    let shape = header_shape(request.kind, &headers);
    let (saved_map, saved_values) = saved_mapping(store, &shape)?;
    let mut mapping: Mapping = saved_map
        .into_iter()
        .filter(|(name, map)| {
            desc.field(name).is_some()
                && match map {
                    MapTo::Column(c) | MapTo::ColumnWith { column: c, .. } => {
                        fold(c) == "ignore" || column_of(c).is_some()
                    }
                    MapTo::Constant { .. } => true,
                }
        })
        .collect();
    let saved_used = !mapping.is_empty();
    mapping.extend(request.mapping.clone());

    // Fields to columns: the user's mapping first, then the best header words.
    let mut sources: BTreeMap<&str, (Source, Option<String>)> = BTreeMap::new();
    let mut taken: Vec<usize> = Vec::new();
    for (name, map) in &mapping {
        let field = desc.field(name).map(|f| f.name).unwrap_or_default();
        match map {
            MapTo::Constant { value } => {
                sources.insert(field, (Source::Constant(value.clone()), None));
            }
            MapTo::Column(column) | MapTo::ColumnWith { column, .. } => {
                if fold(column) == "ignore" {
                    sources.insert(field, (Source::Constant(String::new()), None));
                    continue;
                }
                let index = column_of(column).ok_or_else(|| {
                    Error::invalid_because("mapping", "unknown_column", column.clone())
                })?;
                let format = match map {
                    MapTo::ColumnWith { format, .. } => format.clone(),
                    _ => None,
                };
                taken.push(index);
                sources.insert(field, (Source::Column(index), format));
            }
        }
    }
    let mut candidates: Vec<(u8, usize, &'static Field)> = Vec::new();
    for field in &fields {
        if sources.contains_key(field.name) {
            continue;
        }
        for (i, h) in headers.iter().enumerate() {
            let score = header_score(h, field);
            if score > 0 && !taken.contains(&i) {
                candidates.push((score, i, field));
            }
        }
    }
    // Best score first; at equal score the field described first.
    candidates.sort_by_key(|(score, i, field)| {
        (
            std::cmp::Reverse(*score),
            fields.iter().position(|f| f.name == field.name),
            *i,
        )
    });
    for (_, i, field) in candidates {
        if sources.contains_key(field.name) || taken.contains(&i) {
            continue;
        }
        taken.push(i);
        sources.insert(field.name, (Source::Column(i), None));
    }

    // The data rows: after the header, blank rows and a totals row left out.
    let mut blank_rows = Vec::new();
    let mut data: Vec<usize> = Vec::new();
    for i in header_index + 1..sheet.rows.len() {
        if row_is_blank(&sheet.rows[i]) {
            blank_rows.push(i + 1);
        } else {
            data.push(i);
        }
    }
    let mut totals_row = None;
    let worded = |r: usize| sheet.rows[r].iter().take(3).any(is_totals_word);
    // A subtotal in the middle fills fewer cells than the records around it (a
    // record whose description opens with "Total…" is filled like the others).
    let filled = |r: usize| sheet.rows[r].iter().filter(|c| !c.is_empty()).count();
    let mut counts: Vec<usize> = data.iter().map(|&r| filled(r)).collect();
    counts.sort_unstable();
    let typical = counts.get(counts.len() / 2).copied().unwrap_or(0);
    let subtotal_rows: Vec<usize> = data
        .iter()
        .take(data.len().saturating_sub(1))
        .filter(|&&r| worded(r) && filled(r) < typical)
        .map(|&r| r + 1)
        .collect();
    data.retain(|&r| !subtotal_rows.contains(&(r + 1)));
    if let Some(&last) = data.last() {
        let worded_last = worded(last) && filled(last) < typical;
        let summed = !worded_last && data.len() > 2 && is_sum_row(sheet, &data, &sources, desc);
        if worded_last || summed {
            totals_row = Some(last + 1);
            data.pop();
        }
    }

    let cell =
        |row: usize, col: usize| -> &Cell { sheet.rows[row].get(col).unwrap_or(&Cell::Empty) };
    let office = store.office().clone();
    let lang_order = match lang {
        Lang::Es => DateOrder::Dmy,
        Lang::En => DateOrder::Mdy,
    };
    let mut plans: Vec<Plan> = Vec::new();
    let mut columns = Vec::new();
    let mut effective = Mapping::new();
    for field in &fields {
        let Some((source, format)) = sources.remove(field.name) else {
            continue;
        };
        let map_to = match (&source, &format) {
            (Source::Constant(v), _) if v.is_empty() => MapTo::Column("ignore".into()),
            (Source::Constant(v), _) => MapTo::Constant { value: v.clone() },
            (Source::Column(c), None) => {
                MapTo::Column(headers.get(*c).cloned().unwrap_or_default())
            }
            (Source::Column(c), Some(f)) => MapTo::ColumnWith {
                column: headers.get(*c).cloned().unwrap_or_default(),
                format: Some(f.clone()),
            },
        };
        effective.insert(field.name.to_string(), map_to);
        let (given_number, given_order) =
            format.as_deref().map(parse_format).unwrap_or((None, None));
        let texts: Vec<String> = match &source {
            Source::Column(c) => data
                .iter()
                .filter_map(|r| match cell(*r, *c) {
                    Cell::Text(t) if !t.trim().is_empty() => Some(t.trim().to_string()),
                    _ => None,
                })
                .collect(),
            Source::Constant(v) => vec![v.clone()],
        };
        let (number_format, detected) = match given_number {
            Some(f) => (f, false),
            None if field.ty.is_number() && !texts.is_empty() => {
                detect_number_format(texts.iter().map(String::as_str), office.number_format)
            }
            None => (office.number_format, false),
        };
        let (date_order, mixed) = match given_order {
            Some(o) => (o, false),
            None if field.ty == FieldType::Date => {
                match detect_date_order(texts.iter().map(String::as_str)) {
                    Ok(Some(o)) => (o, false),
                    Ok(None) => (lang_order, false),
                    Err(()) => (lang_order, true),
                }
            }
            None => (lang_order, false),
        };
        let currency_from_cells = match field.ty {
            FieldType::Money { currency } => {
                !fields_mapped(&plans, currency, &sources)
                    && texts.iter().any(|t| {
                        numbers::read_decimal(t, number_format).is_ok_and(|(_, c)| c.is_some())
                    })
            }
            _ => false,
        };
        let (column, header, constant) = match &source {
            Source::Column(c) => (Some(*c), headers.get(*c).cloned(), None),
            Source::Constant(v) => (None, None, Some(v.clone())),
        };
        columns.push(ColumnMap {
            field: field.name.to_string(),
            field_label: field.label(lang).to_string(),
            column,
            header,
            constant,
            number_format: field.ty.is_number().then_some(number_format),
            format_detected: detected,
            date_order: (field.ty == FieldType::Date).then_some(date_order),
            currency_from_cells,
        });
        plans.push(Plan {
            field,
            source,
            number_format,
            date_order,
            mixed_dates: mixed,
        });
    }
    let ignored_columns: Vec<String> = headers
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !taken.contains(i))
        .map(|(_, h)| h.clone())
        .collect();

    let ref_kinds: Vec<RecordKind> = plans
        .iter()
        .filter_map(|p| match p.field.ty {
            FieldType::Ref(k) => Some(k),
            _ => None,
        })
        .collect();
    let refs = RefIndex::build(store, &ref_kinds)?;
    let only_city = match refs.cities.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    };

    let mut preview = Preview {
        kind: request.kind,
        sheet: sheet.name.clone(),
        sheets: sheets.iter().map(|s| s.name.clone()).collect(),
        header_row: header_index + 1,
        headers: headers.clone(),
        mapping: effective,
        saved_mapping: saved_used,
        title_rows: (0..header_index)
            .filter(|i| !row_is_blank(&sheet.rows[*i]))
            .map(|i| i + 1)
            .collect(),
        blank_rows,
        totals_row,
        subtotal_rows,
        columns,
        ignored_columns,
        data_rows: data.len(),
        records_ok: 0,
        records: Vec::new(),
        problems: Vec::new(),
        unmatched: Vec::new(),
        close_matches: Vec::new(),
        imported_ids: Vec::new(),
        applied: false,
        import_id: None,
        already_imported: None,
        possible_duplicates: Vec::new(),
        duplicates_left_out: 0,
        notes: Vec::new(),
    };
    let mut existing = ExistingCosts::default();
    if let Some(source) = &request.source {
        preview.already_imported = store
            .import_standing(&source.fingerprint, &sheet.name, request.kind)?
            .map(|e| e.id);
    }
    if let (true, Some(id)) = (apply, &preview.already_imported) {
        return Err(Error::invalid_because(
            "file",
            "already_imported",
            id.clone(),
        ));
    }
    let mut unmatched: BTreeMap<(String, String), UnmatchedRows> = BTreeMap::new();
    // (field, text) → (kind, id, rows)
    let mut close: BTreeMap<(String, String), (RecordKind, String, Vec<usize>)> = BTreeMap::new();
    let mut resolved: HashMap<(RecordKind, String, Option<String>), Resolved> = HashMap::new();
    // A column of a few words over many rows: each word read once.
    let mut enum_words: HashMap<(&str, String), Option<&'static str>> = HashMap::new();
    // The user's choices, by field and folded text (as the file's words are matched).
    // Saved choices whose record is gone are forgotten; the request's win.
    let mut values = ValueMap::new();
    for (field, texts) in saved_values {
        let Some(FieldType::Ref(kind)) = desc.field(&field).map(|f| f.ty) else {
            continue;
        };
        let live: BTreeMap<String, String> = texts
            .into_iter()
            .filter(|(_, id)| refs.is_live(kind, id))
            .collect();
        values.insert(field, live);
    }
    for (field, texts) in &request.values {
        values
            .entry(field.clone())
            .or_default()
            .extend(texts.clone());
    }
    values.retain(|_, texts| !texts.is_empty());
    let chosen: HashMap<(&str, String), &String> = values
        .iter()
        .filter_map(|(field, texts)| desc.field(field).map(|f| (f.name, texts)))
        .flat_map(|(field, texts)| texts.iter().map(move |(t, id)| ((field, fold(t)), id)))
        .collect();

    // Every row built and saved inside one transaction; a preview rolls it back.
    let mut outcome: Option<Preview> = None;
    let result = store.transaction(|store| {
        let mut cancelled = false;
        for (done, &r) in data.iter().enumerate() {
            if done % PROGRESS_EVERY == 0 && !progress(done as u64, data.len() as u64) {
                cancelled = true;
                break;
            }
            let row_number = r + 1;
            let mut problems: Vec<RowProblem> = Vec::new();
            let mut record = Map::new();
            record.insert("id".into(), Value::String(String::new()));
            let column_header = |plan: &Plan| match plan.source {
                Source::Column(c) => headers.get(c).cloned(),
                Source::Constant(_) => None,
            };
            let problem = |plan: &Plan, reason: &str, detail: String| RowProblem {
                row: row_number,
                column: column_header(plan),
                field: Some(plan.field.name.to_string()),
                reason: reason.to_string(),
                message: reason_message(reason, &detail, lang),
                detail,
            };
            // Plain values first; references and numbers need the others.
            let mut deferred: Vec<(&Plan, Cell)> = Vec::new();
            for plan in &plans {
                let value = match &plan.source {
                    Source::Column(c) => cell(r, *c).clone(),
                    Source::Constant(v) if v.is_empty() => Cell::Empty,
                    Source::Constant(v) => Cell::Text(v.clone()),
                };
                if let Cell::Error(e) = &value {
                    problems.push(problem(plan, "formula_error", e.clone()));
                    continue;
                }
                if value.is_empty() {
                    continue;
                }
                let text = value.text();
                match plan.field.ty {
                    FieldType::Date => {
                        let date = match &value {
                            Cell::Date(d) => Some(*d),
                            Cell::Number(n) => sheet::excel_serial_date(*n),
                            _ if plan.mixed_dates
                                && day_month_year(&text)
                                    .is_some_and(|(a, b, _)| a <= 12 && b <= 12) =>
                            {
                                problems.push(problem(plan, "date_order_mixed", text.clone()));
                                continue;
                            }
                            // In a mixed column, a date that reads one way only reads so.
                            _ if plan.mixed_dates => match day_month_year(&text) {
                                Some((a, _, _)) if a > 12 => read_date_text(&text, DateOrder::Dmy),
                                Some(_) => read_date_text(&text, DateOrder::Mdy),
                                None => read_date_text(&text, plan.date_order),
                            },
                            _ => read_date_text(&text, plan.date_order),
                        };
                        match date {
                            Some(d) => {
                                record.insert(plan.field.name.into(), Value::String(d.to_string()));
                            }
                            None => problems.push(problem(plan, "unreadable_date", text)),
                        }
                    }
                    FieldType::Bool => match &value {
                        Cell::Bool(b) => {
                            record.insert(plan.field.name.into(), Value::Bool(*b));
                        }
                        _ => match read_bool(&text) {
                            Some(b) => {
                                record.insert(plan.field.name.into(), Value::Bool(b));
                            }
                            None => problems.push(problem(plan, "not_a_bool", text)),
                        },
                    },
                    FieldType::Enum { values, .. } => match *enum_words
                        .entry((plan.field.name, text.clone()))
                        .or_insert_with(|| read_enum(&text, values))
                    {
                        Some(code) => {
                            record.insert(plan.field.name.into(), Value::String(code.into()));
                        }
                        None => problems.push(problem(plan, "unknown_value", text)),
                    },
                    FieldType::Currency => {
                        match currency_of_mark(&text, &office.reporting_currency) {
                            Some(code) => {
                                record.insert(plan.field.name.into(), Value::String(code));
                            }
                            None => problems.push(problem(plan, "unknown_currency", text)),
                        }
                    }
                    FieldType::Text | FieldType::LongText => {
                        record.insert(plan.field.name.into(), Value::String(text));
                    }
                    _ => deferred.push((plan, value)),
                }
            }
            // References: a city first (a membership is named by network within it).
            deferred.sort_by_key(|(p, _)| !matches!(p.field.ty, FieldType::Ref(RecordKind::City)));
            for (plan, value) in deferred {
                let text = value.text();
                match plan.field.ty {
                    FieldType::Ref(kind) => {
                        let city = record
                            .get("city_id")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        // The user's choice for this text first.
                        if let Some(id) = chosen.get(&(plan.field.name, fold(&text))) {
                            if refs.is_live(kind, id) {
                                record.insert(plan.field.name.into(), Value::String((*id).clone()));
                            } else {
                                problems.push(problem(plan, "unknown_reference", (*id).clone()));
                            }
                            continue;
                        }
                        // A sheet names the same few records over and over.
                        let key = (kind, fold(&text), city.clone());
                        let found = match resolved.get(&key) {
                            Some(r) => r.clone(),
                            None => {
                                let r = refs.resolve(kind, &text, city.as_deref());
                                resolved.insert(key, r.clone());
                                r
                            }
                        };
                        match found {
                            Resolved::Exact(id) => {
                                record.insert(plan.field.name.into(), Value::String(id));
                            }
                            Resolved::Close(id) => {
                                close
                                    .entry((plan.field.name.to_string(), text.clone()))
                                    .or_insert((kind, id.clone(), Vec::new()))
                                    .2
                                    .push(row_number);
                                record.insert(plan.field.name.into(), Value::String(id));
                            }
                            Resolved::None => {
                                unmatched
                                    .entry((plan.field.name.to_string(), text.clone()))
                                    .or_insert((kind, city.clone(), Vec::new()))
                                    .2
                                    .push(row_number);
                                problems.push(problem(plan, "unmatched", text));
                            }
                        }
                    }
                    FieldType::Money { currency } => {
                        let (text, format) = match &value {
                            Cell::Number(_) => (text, NumberFormat::CommaPoint),
                            _ => (text, plan.number_format),
                        };
                        // A mark in the cell gives the currency when no column does.
                        if record.get(currency).is_none_or(Value::is_null) {
                            if let Ok((_, Some(named))) = numbers::read_decimal(&text, format) {
                                let code = if named == "$" {
                                    office.reporting_currency.clone()
                                } else {
                                    named
                                };
                                record.insert(currency.into(), Value::String(code));
                            }
                        }
                        let mut one = Map::new();
                        one.insert(plan.field.name.into(), Value::String(text.clone()));
                        if let Some(c) = record.get(currency) {
                            one.insert(currency.into(), c.clone());
                        }
                        match request.kind.read_numbers(&mut one, format) {
                            Ok(()) => {
                                record.insert(plan.field.name.into(), one[plan.field.name].clone());
                            }
                            Err(Error::Invalid { field, rule, .. }) if field == currency => {
                                problems.push(RowProblem {
                                    row: row_number,
                                    column: None,
                                    field: Some(field),
                                    reason: rule.to_string(),
                                    message: format!(
                                        "{}: {}",
                                        lang.pick("Moneda", "Currency"),
                                        reason_message(rule, "", lang)
                                    ),
                                    detail: String::new(),
                                });
                            }
                            Err(e) => {
                                let (rule, detail) = rule_of(&e);
                                problems.push(problem(plan, rule, detail));
                            }
                        }
                    }
                    _ => {
                        let format = match &value {
                            Cell::Number(_) => NumberFormat::CommaPoint,
                            _ => plan.number_format,
                        };
                        let mut one = Map::new();
                        one.insert(plan.field.name.into(), Value::String(text));
                        match request.kind.read_numbers(&mut one, format) {
                            Ok(()) => {
                                record.insert(plan.field.name.into(), one[plan.field.name].clone());
                            }
                            Err(e) => {
                                let (rule, detail) = rule_of(&e);
                                problems.push(problem(plan, rule, detail));
                            }
                        }
                    }
                }
            }
            // The one city of a single-city file, when the sheet names none.
            if let (Some(field), Some(city)) = (desc.field("city_id"), &only_city) {
                if record.get(field.name).is_none_or(Value::is_null) {
                    record.insert(field.name.into(), Value::String(city.clone()));
                }
            }
            // A yes/no the sheet does not give is no, as an unticked box in a form.
            for field in desc.fields.iter().filter(|f| f.ty == FieldType::Bool) {
                record.entry(field.name).or_insert(Value::Bool(false));
            }
            if problems.is_empty() {
                if let Some(key) = duplicate_key(request.kind, &record) {
                    if existing.contains(store, &record, &key)? {
                        preview.possible_duplicates.push(row_number);
                        if request.skip_duplicates {
                            preview.duplicates_left_out += 1;
                            continue;
                        }
                    }
                }
                // One insert, which fails whole: no savepoint per row (each one copied
                // the pages it touched to a sub-journal file, a third of the time).
                let shown = preview.records.len() < PREVIEW_ROWS;
                let saved = store.save_json_id(request.kind, Value::Object(record), shown);
                match saved {
                    Ok((id, value)) => {
                        preview.records_ok += 1;
                        preview.imported_ids.push(id);
                        preview.records.extend(value);
                    }
                    Err(e) => {
                        let (rule, mut detail) = rule_of(&e);
                        let field = match &e {
                            Error::Invalid { field, .. } if !field.is_empty() => {
                                Some(field.clone())
                            }
                            // A required field missing: named in the user's words.
                            Error::Json(_) if rule == "required" => {
                                let name = std::mem::take(&mut detail);
                                detail = desc
                                    .field(&name)
                                    .map(|f| f.label(lang).to_string())
                                    .unwrap_or_else(|| name.clone());
                                Some(name)
                            }
                            _ => None,
                        };
                        let column = field.as_deref().and_then(|f| {
                            plans
                                .iter()
                                .find(|p| p.field.name == f)
                                .and_then(|p| match p.source {
                                    Source::Column(c) => headers.get(c).cloned(),
                                    Source::Constant(_) => None,
                                })
                        });
                        problems.push(RowProblem {
                            row: row_number,
                            column,
                            field,
                            reason: rule.to_string(),
                            message: reason_message(rule, &detail, lang),
                            detail,
                        });
                    }
                }
            }
            preview.problems.extend(problems);
        }
        if cancelled {
            return Err(Error::Cancelled);
        }
        progress(data.len() as u64, data.len() as u64);
        preview.unmatched = std::mem::take(&mut unmatched)
            .into_iter()
            .enumerate()
            .map(|(n, ((field, value), (kind, city, rows)))| Unmatched {
                suggestions: if n < SUGGESTED_NAMES {
                    refs.suggest(kind, &value, city.as_deref())
                } else {
                    Vec::new()
                },
                field,
                kind,
                value,
                rows,
            })
            .collect();
        preview.close_matches = std::mem::take(&mut close)
            .into_iter()
            .map(|((field, value), (kind, id, rows))| CloseMatch {
                label: refs.label(kind, &id),
                field,
                kind,
                value,
                id,
                rows,
            })
            .collect();
        preview.notes = notes(&preview, lang);
        let refuse = !preview.problems.is_empty() && !skip_errors;
        if apply && !refuse {
            preview.applied = true;
            if let Some(source) = &request.source {
                let rows_left_out: std::collections::BTreeSet<usize> =
                    preview.problems.iter().map(|p| p.row).collect();
                preview.import_id = Some(store.record_import(
                    &source.file_name,
                    &source.fingerprint,
                    &preview.sheet,
                    request.kind,
                    &preview.imported_ids,
                    rows_left_out.len(),
                )?);
                // Next year's workbook of the same shape maps itself.
                store.save_import_mapping(
                    &shape,
                    request.kind,
                    &headers,
                    &serde_json::to_string(&preview.mapping)?,
                    &serde_json::to_string(&values)?,
                )?;
            }
            outcome = Some(preview);
            return Ok(());
        }
        if !apply {
            preview.imported_ids.clear();
        }
        let rows: std::collections::BTreeSet<usize> = if apply && refuse {
            preview.problems.iter().map(|p| p.row).collect()
        } else {
            Default::default()
        };
        outcome = Some(preview);
        if apply && refuse {
            // The first rows, and how many in all: a long sheet's list would fill the screen.
            let mut shown: Vec<String> = rows.iter().take(10).map(|r| r.to_string()).collect();
            if rows.len() > 10 {
                shown.push(format!("… ({})", rows.len()));
            }
            return Err(Error::invalid_because(
                "rows",
                "rows_in_error",
                shown.join(", "),
            ));
        }
        Err(Error::Cancelled)
    });
    match result {
        Ok(()) | Err(Error::Cancelled) => outcome.ok_or(Error::Cancelled),
        Err(e) => Err(e),
    }
}

/// The shape of a header: the kind and its folded headers in order, hashed.
fn header_shape(kind: RecordKind, headers: &[String]) -> String {
    use sha2::{Digest, Sha256};
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let digest = Sha256::digest(format!("{}\u{1e}{}", kind.as_str(), folded.join("\u{1f}")));
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The mapping and values saved for a shape; none when there are none or they no
/// longer read (a file written by another build).
fn saved_mapping(store: &Store, shape: &str) -> Result<(Mapping, ValueMap)> {
    let Some((mapping, values)) = store.import_mapping(shape)? else {
        return Ok(Default::default());
    };
    Ok((
        serde_json::from_str(&mapping).unwrap_or_default(),
        serde_json::from_str(&values).unwrap_or_default(),
    ))
}

/// What makes two costs look the same: date, amount, currency, membership.
fn duplicate_key(kind: RecordKind, record: &Map<String, Value>) -> Option<String> {
    if kind != RecordKind::CostEntry {
        return None;
    }
    let part = |name: &str| match record.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(v) => v.to_string(),
    };
    Some(
        [
            "spent_on",
            "amount_minor",
            "hours",
            "currency",
            "membership_id",
            "category",
        ]
        .map(part)
        .join("\u{1f}"),
    )
}

/// The costs already stored, by city and membership, loaded the first time a row
/// names that pair: a coordinator's file holds a million costs, and a sheet names
/// a few memberships. Loaded before any row of the pair is written, so two equal
/// rows of one sheet are not each other's duplicates.
#[derive(Default)]
struct ExistingCosts {
    by_group: HashMap<(String, String), std::collections::HashSet<String>>,
}

impl ExistingCosts {
    fn contains(&mut self, store: &Store, record: &Map<String, Value>, key: &str) -> Result<bool> {
        let text = |name: &str| record.get(name).and_then(Value::as_str).unwrap_or_default();
        let group = (
            text("city_id").to_string(),
            text("membership_id").to_string(),
        );
        if !self.by_group.contains_key(&group) {
            let keys = store
                .cost_identities(&group.0, &group.1)?
                .iter()
                .filter_map(|stored| duplicate_key(RecordKind::CostEntry, stored))
                .collect();
            self.by_group.insert(group.clone(), keys);
        }
        Ok(self
            .by_group
            .get(&group)
            .is_some_and(|keys| keys.contains(key)))
    }
}

fn fields_mapped(
    plans: &[Plan],
    name: &str,
    rest: &BTreeMap<&str, (Source, Option<String>)>,
) -> bool {
    plans.iter().any(|p| p.field.name == name) || rest.contains_key(name)
}

fn rule_of(e: &Error) -> (&'static str, String) {
    match e {
        Error::Invalid { rule, detail, .. } => (rule, detail.clone()),
        Error::NotFound(d) => ("not_found", d.clone()),
        // A required field the row leaves empty fails the record's reading before
        // its rules run; it is the rule "required" all the same.
        Error::Json(e) if e.to_string().starts_with("missing field `") => {
            let text = e.to_string();
            let field = text.split('`').nth(1).unwrap_or_default().to_string();
            ("required", field)
        }
        other => ("rejected", other.to_string()),
    }
}

/// True when the last data row's amount is the sum of the amounts above it.
fn is_sum_row(
    sheet: &Sheet,
    data: &[usize],
    sources: &BTreeMap<&str, (Source, Option<String>)>,
    desc: &KindDesc,
) -> bool {
    let Some(&last) = data.last() else {
        return false;
    };
    let money_columns: Vec<usize> = sources
        .iter()
        .filter(|(name, _)| desc.field(name).is_some_and(|f| f.ty.is_number()))
        .filter_map(|(_, (s, _))| match s {
            Source::Column(c) => Some(*c),
            Source::Constant(_) => None,
        })
        .collect();
    let value = |r: usize, c: usize| -> Option<f64> {
        match sheet.rows[r].get(c)? {
            Cell::Number(n) => Some(*n),
            _ => None,
        }
    };
    // A row that sums the column but is filled like the rows above (a date, a
    // network, a category…) is a record whose amount happens to be their sum: kept.
    let filled = |r: usize| sheet.rows[r].iter().filter(|c| !c.is_empty()).count();
    let mut above_filled: Vec<usize> = data[..data.len() - 1].iter().map(|&r| filled(r)).collect();
    above_filled.sort_unstable();
    let typical = above_filled
        .get(above_filled.len() / 2)
        .copied()
        .unwrap_or(0);
    if filled(last) >= typical {
        return false;
    }
    money_columns.iter().any(|&c| {
        let Some(total) = value(last, c) else {
            return false;
        };
        let above: f64 = data[..data.len() - 1]
            .iter()
            .filter_map(|&r| value(r, c))
            .sum();
        total != 0.0 && (total - above).abs() < 0.005
    })
}

fn notes(preview: &Preview, lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(id) = &preview.already_imported {
        notes.push(format!(
            "{} ({id})",
            lang.pick(
                "Este archivo ya se importó: importarlo de nuevo no agrega nada",
                "This file was already imported: importing it again adds nothing"
            )
        ));
    }
    if !preview.possible_duplicates.is_empty() {
        let rows: Vec<String> = preview
            .possible_duplicates
            .iter()
            .map(|r| r.to_string())
            .collect();
        notes.push(format!(
            "{}: {}",
            lang.pick(
                "Posibles duplicados de costos ya registrados (misma fecha, monto y membresía), filas",
                "Possible duplicates of costs already recorded (same date, amount and membership), rows"
            ),
            rows.join(", ")
        ));
    }
    if !preview.title_rows.is_empty() {
        notes.push(format!(
            "{} {}",
            lang.pick("Encabezados en la fila", "Headers on row"),
            preview.header_row
        ));
    }
    if !preview.blank_rows.is_empty() {
        notes.push(format!(
            "{}: {}",
            lang.pick("Filas en blanco omitidas", "Blank rows left out"),
            preview.blank_rows.len()
        ));
    }
    if !preview.subtotal_rows.is_empty() {
        let rows: Vec<String> = preview.subtotal_rows.iter().map(usize::to_string).collect();
        notes.push(format!(
            "{}: {}",
            lang.pick(
                "Filas de subtotales omitidas: filas",
                "Subtotal rows left out: rows"
            ),
            rows.join(", ")
        ));
    }
    if let Some(row) = preview.totals_row {
        notes.push(format!(
            "{} {row}",
            lang.pick("Fila de totales omitida: fila", "Totals row left out: row")
        ));
    }
    for c in &preview.columns {
        if c.format_detected {
            if let (Some(f), Some(h)) = (c.number_format, &c.header) {
                let sample = numbers::write_number(1234.56, 2, f);
                let (open, close) = match lang {
                    Lang::Es => ("«", "»"),
                    Lang::En => ("“", "”"),
                };
                notes.push(format!(
                    "{} {open}{h}{close}: {sample}",
                    lang.pick(
                        "Formato de números detectado en",
                        "Number format detected in"
                    )
                ));
            }
        }
    }
    notes
}
