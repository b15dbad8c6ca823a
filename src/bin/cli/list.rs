//! `cabildo list`: one page of a kind's records, by the same query as the app's lists.

use cabildo::error::{Error, Result};
use cabildo::format::Lang;
use cabildo::kinds::FieldType;
use cabildo::store::page::{ListQuery, ListSort};
use cabildo::Store;

#[derive(clap::Args)]
pub struct ListArgs {
    pub file: std::path::PathBuf,
    /// The record kind (cost_entry, meeting, membership…).
    pub kind: String,
    /// City name (exact, case-insensitive; default: all cities).
    #[arg(long)]
    pub city: Option<String>,
    /// Words every record shown must contain (accents and case aside).
    #[arg(long, default_value = "")]
    pub search: String,
    /// FIELD or FIELD:desc.
    #[arg(long)]
    pub sort: Option<String>,
    /// FIELD=VALUE: a field holds a value (a category's code, a record's id, a
    /// year…; network_id follows a record's membership). Repeatable.
    #[arg(long = "filter")]
    pub filters: Vec<String>,
    /// The page, counted from 1.
    #[arg(long, default_value_t = 1)]
    pub page: u64,
    #[arg(long, default_value_t = 50)]
    pub page_size: u32,
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value = "es")]
    pub lang: String,
}

pub fn run(args: ListArgs) -> Result<()> {
    let lang = crate::import_cli::parse_lang(&args.lang)?;
    let kind = crate::import_cli::parse_kind(&args.kind)?;
    if args.page == 0 {
        return Err(Error::Argument("--page counts from 1".into()));
    }
    if args.page_size == 0 || args.page_size > cabildo::store::page::MAX_PAGE_SIZE {
        return Err(Error::Argument(format!(
            "--page-size must be 1 to {}",
            cabildo::store::page::MAX_PAGE_SIZE
        )));
    }
    let store = crate::open_for_reading(&args.file)?;
    let mut query = ListQuery::new(kind);
    query.lang = lang;
    query.search = args.search.clone();
    query.limit = args.page_size;
    query.offset = (args.page - 1).saturating_mul(u64::from(args.page_size));
    if let Some(name) = &args.city {
        query.city_id = Some(crate::city_id_named(&store, name)?);
    }
    for filter in &args.filters {
        let (field, value) = filter
            .split_once('=')
            .ok_or_else(|| Error::Argument("--filter takes FIELD=VALUE".into()))?;
        query.filters.push(cabildo::store::page::ListFilter {
            field: field.trim().to_string(),
            value: value.to_string(),
        });
    }
    if let Some(sort) = &args.sort {
        let (field, desc) = match sort.rsplit_once(':') {
            Some((field, "desc")) => (field, true),
            Some((field, "asc")) => (field, false),
            _ => (sort.as_str(), false),
        };
        query.sort = Some(ListSort {
            field: field.to_string(),
            desc,
        });
    }
    let page = store.list_page(&query).map_err(|e| explain(e, lang))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&page)?);
        return Ok(());
    }
    print_page(&store, kind, &page, lang);
    Ok(())
}

/// A field the query does not know is named, with the fields it does.
fn explain(error: Error, lang: Lang) -> Error {
    match &error {
        Error::Invalid { field, rule, .. } if *rule == "unknown_field" => Error::Argument(format!(
            "{} {field:?}",
            lang.pick("no hay tal campo:", "no such field:")
        )),
        _ => error,
    }
}

fn print_page(
    store: &Store,
    kind: cabildo::kinds::RecordKind,
    page: &cabildo::store::page::ListPage,
    lang: Lang,
) {
    let desc = kind.desc();
    let fields: Vec<_> = desc
        .fields
        .iter()
        .filter(|f| !matches!(f.ty, FieldType::LongText))
        .collect();
    let header: Vec<&str> = fields.iter().map(|f| f.label(lang)).collect();
    println!("{}", header.join("\t"));
    for row in &page.rows {
        let cells: Vec<String> = fields
            .iter()
            .map(|f| cell(store, row, f, &page.labels, lang))
            .collect();
        println!("{}", cells.join("\t"));
    }
    let first = if page.rows.is_empty() {
        0
    } else {
        page.offset + 1
    };
    let last = page.offset + page.rows.len() as u64;
    println!(
        "{} {first}–{last} {} {}",
        lang.pick("Registros", "Records"),
        lang.pick("de", "of"),
        page.total
    );
}

fn cell(
    store: &Store,
    row: &serde_json::Value,
    field: &cabildo::kinds::Field,
    labels: &std::collections::BTreeMap<String, String>,
    lang: Lang,
) -> String {
    use serde_json::Value;
    let value = row.get(field.name).unwrap_or(&Value::Null);
    let text = match (field.ty, value) {
        (_, Value::Null) => String::new(),
        (FieldType::Ref(_), Value::String(id)) => labels.get(id).cloned().unwrap_or_default(),
        (FieldType::Enum { values, .. }, Value::String(code)) => values
            .iter()
            .find(|w| w.code == code)
            .map(|w| lang.pick(w.es, w.en).to_string())
            .unwrap_or_else(|| code.clone()),
        (FieldType::Money { currency }, Value::Number(n)) => {
            let code = row.get(currency).and_then(|c| c.as_str()).unwrap_or("");
            cabildo::format::with_number_format(store.office().number_format, || {
                cabildo::format::money(n.as_i64().unwrap_or(0), code)
            })
        }
        (FieldType::Bool, Value::Bool(b)) => lang
            .pick(if *b { "sí" } else { "no" }, if *b { "yes" } else { "no" })
            .to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    };
    // One line per record: tabs and newlines in a text would break the columns.
    text.replace(['\t', '\n', '\r'], " ")
}
