//! The spreadsheet import of the `cabildo` command line (issue 12): a preview with
//! `--dry-run`, else every row in one transaction.

use std::path::{Path, PathBuf};

use clap::Args;

use cabildo::error::{Error, Result};
use cabildo::format::Lang;
use cabildo::import::{self, ImportRequest, ImportSource, Mapping, Preview};
use cabildo::{RecordKind, Store};

#[derive(Args)]
pub struct ImportArgs {
    /// The Cabildo database.
    file: PathBuf,
    /// The spreadsheet: .xlsx, .xls, .ods or .csv.
    sheet_file: PathBuf,
    /// The record kind of the rows (cost_entry, membership, meeting, project, outcome,
    /// exchange_rate, metric…).
    #[arg(long, default_value = "cost_entry")]
    kind: String,
    /// The sheet's name (default: the first with a header).
    #[arg(long)]
    sheet: Option<String>,
    /// A JSON object: field → column header, {"value": constant} or
    /// {"column": header, "format": "point_comma"|"comma_point"|"space_comma"|"dmy"|"mdy"}.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// Print the preview only; nothing is written.
    #[arg(long)]
    dry_run: bool,
    /// Import the rows that read, leaving out the rows in error.
    #[arg(long)]
    skip_errors: bool,
    /// Leave out the rows that look like costs already recorded (same date, amount,
    /// currency, membership and category).
    #[arg(long)]
    skip_duplicates: bool,
    #[arg(long)]
    json: bool,
    #[arg(long, default_value = "en")]
    lang: String,
}

pub(crate) fn parse_kind(kind: &str) -> Result<RecordKind> {
    RecordKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| {
            let names: Vec<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
            Error::Argument(format!(
                "unknown kind {kind:?}; one of {}",
                names.join(", ")
            ))
        })
}

/// Writes the Excel template of a kind.
pub fn template(out: &Path, kind: &str, lang: &str) -> Result<()> {
    let lang = parse_lang(lang)?;
    let kind = parse_kind(kind)?;
    import::write_template(kind, lang, out)
        .map_err(|e| Error::Argument(import::error_message(&e, lang)))?;
    println!(
        "{}: {}",
        lang.pick("Plantilla escrita", "Template written"),
        out.display()
    );
    Ok(())
}

pub fn run(args: ImportArgs) -> Result<()> {
    let lang =
        Lang::parse(&args.lang).ok_or_else(|| Error::Argument("--lang must be es or en".into()))?;
    let kind = parse_kind(&args.kind)?;
    let mapping: Mapping = match &args.mapping {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)?,
        None => Mapping::new(),
    };
    crate::must_exist(&args.file)?;
    let result = import_file(&args, kind, mapping, lang);
    let preview = result.map_err(|e| Error::Argument(import::error_message(&e, lang)))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&preview)?);
    } else {
        print_preview(&preview, lang);
    }
    Ok(())
}

fn import_file(
    args: &ImportArgs,
    kind: RecordKind,
    mapping: Mapping,
    lang: Lang,
) -> Result<Preview> {
    let mut store = Store::open_existing(&args.file)?;
    let sheets = import::read_sheets(Path::new(&args.sheet_file))?;
    let request = ImportRequest {
        kind,
        sheet: args.sheet.clone(),
        mapping,
        values: Default::default(),
        lang,
        source: Some(ImportSource::of(&args.sheet_file)?),
        skip_duplicates: args.skip_duplicates,
    };
    import::run(
        &mut store,
        &sheets,
        &request,
        !args.dry_run,
        args.skip_errors,
    )
}

pub(crate) fn parse_lang(lang: &str) -> Result<Lang> {
    Lang::parse(lang).ok_or_else(|| Error::Argument("--lang must be es or en".into()))
}

/// Sends the records of one import to the trash.
pub fn undo(file: &Path, import_id: &str, lang: &str) -> Result<()> {
    let lang = parse_lang(lang)?;
    crate::must_exist(file)?;
    let undo = || -> Result<usize> { Store::open_existing(file)?.undo_import(import_id) };
    let trashed = undo().map_err(|e| Error::Argument(import::error_message(&e, lang)))?;
    println!(
        "{}: {trashed}",
        lang.pick(
            "Importación deshecha; registros enviados a la papelera",
            "Import undone; records sent to the trash"
        )
    );
    Ok(())
}

/// The imports recorded in FILE, newest first.
pub fn list(file: &Path, json: bool) -> Result<()> {
    let store = crate::open_for_reading(file)?;
    let imports = store.imports()?;
    if json {
        println!("{}", serde_json::to_string_pretty(&imports)?);
        return Ok(());
    }
    for i in &imports {
        let when = chrono::DateTime::from_timestamp_millis(i.imported_at)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        println!(
            "{}  {when}  {}  {}  {}  {}{}",
            i.id,
            i.source_file,
            i.sheet,
            i.kind.as_str(),
            i.records,
            if i.undone_at.is_some() {
                "  (undone)"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn print_preview(preview: &Preview, lang: Lang) {
    let pick = |es: &'static str, en: &'static str| lang.pick(es, en);
    println!("{} «{}»", pick("Hoja", "Sheet"), preview.sheet);
    for note in &preview.notes {
        println!("  {note}");
    }
    for c in &preview.columns {
        let from = match (&c.header, &c.constant) {
            (Some(h), _) => format!("«{h}»"),
            (None, Some(v)) => format!("= {v}"),
            _ => String::new(),
        };
        println!("  {} ← {from}", c.field_label);
    }
    if !preview.ignored_columns.is_empty() {
        println!(
            "  {}: {}",
            pick("Columnas sin usar", "Columns not used"),
            preview.ignored_columns.join(", ")
        );
    }
    for p in &preview.problems {
        println!(
            "  {} {}{}: {}",
            pick("Fila", "Row"),
            p.row,
            p.column
                .as_ref()
                .map(|c| format!(" «{c}»"))
                .unwrap_or_default(),
            p.message
        );
    }
    for u in &preview.unmatched {
        println!(
            "  {} «{}» ({})",
            pick("Sin coincidencia:", "Unmatched:"),
            u.value,
            u.kind.label(lang)
        );
    }
    if preview.already_imported.is_some() {
        println!("{}", pick("Registros por agregar: 0", "Records to add: 0"));
        return;
    }
    let verb = if preview.applied {
        pick("importados", "imported")
    } else {
        pick("por importar", "to import")
    };
    if let Some(id) = &preview.import_id {
        println!("{}: {id}", pick("Importación", "Import"));
    }
    println!(
        "{}: {} {verb}, {} {}",
        pick("Registros", "Records"),
        preview.records_ok,
        preview
            .problems
            .iter()
            .map(|p| p.row)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        pick("filas con errores", "rows in error"),
    );
}
