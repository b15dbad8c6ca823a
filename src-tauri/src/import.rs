//! Import ▸ Spreadsheet (issue 12): a sheet read once, previewed as often as the
//! user changes the mapping, then imported in one transaction with progress and
//! cancel; the imports recorded and undone; the template of a kind.
//!
//! The core does the work (`cabildo::import`): these commands read the file off
//! the store's lock, keep its cells while the dialog is open (a 100,000-row sheet
//! is read once, not at every change of a column), and map the errors. An
//! import's errors also carry the core's words for them in the user's language
//! (`CommandError::text`): the reasons a sheet cannot be read are the core's.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use cabildo::format::Lang;
use cabildo::import::{self, ImportRequest, ImportSource, Mapping, Preview, Sheet, ValueMap};
use cabildo::store::imports::ImportEntry;
use cabildo::RecordKind;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::commands::{blocking, with_store};
use crate::error::CommandError;
use crate::exchange::{chosen, with_extension, Progress};
use crate::state::AppState;

/// The sheets of the file being imported, and the cancel switch of the running
/// preview or import.
#[derive(Default)]
pub struct ImportState {
    read: Arc<Mutex<Option<ReadFile>>>,
    cancel: Arc<AtomicBool>,
}

/// A spreadsheet read into cells: reused while its bytes are the same.
struct ReadFile {
    path: PathBuf,
    source: ImportSource,
    sheets: Arc<Vec<Sheet>>,
}

/// What the user chose in the dialog: the file, the sheet, the kind, the
/// mapping of fields to columns (or constants, with a column's format) and of
/// unmatched names to records.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ImportSpec {
    pub path: String,
    pub kind: RecordKind,
    /// The sheet's name; the first with a header when none.
    #[serde(default)]
    #[ts(optional)]
    pub sheet: Option<String>,
    #[serde(default)]
    pub mapping: Mapping,
    #[serde(default)]
    pub values: ValueMap,
    /// Leave out the rows that look like records already in the database.
    #[serde(default)]
    pub skip_duplicates: bool,
}

/// The file's sheets: read now, or the copy read before while the file has the
/// same bytes (its fingerprint).
fn sheets_of(
    read: &Mutex<Option<ReadFile>>,
    path: &Path,
) -> Result<(ImportSource, Arc<Vec<Sheet>>), cabildo::Error> {
    let source = ImportSource::of(path)?;
    if let Some(file) = read.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
        if file.path == path && file.source == source {
            return Ok((source, file.sheets.clone()));
        }
    }
    let sheets = Arc::new(import::read_sheets(path)?);
    *read.lock().unwrap_or_else(|p| p.into_inner()) = Some(ReadFile {
        path: path.to_path_buf(),
        source: source.clone(),
        sheets: sheets.clone(),
    });
    Ok((source, sheets))
}

/// A core error with the core's words for it in `lang`.
fn worded(error: cabildo::Error, lang: Lang) -> CommandError {
    let text = import::error_message(&error, lang);
    CommandError {
        text: Some(text),
        ..CommandError::from(error)
    }
}

/// Reads the sheet (once while its bytes are the same) and runs the import,
/// writing only when `apply`; progress goes to `progress`, `import_cancel`
/// stops it with code `cancelled` and nothing written.
async fn run(
    state: &State<'_, AppState>,
    imports: &State<'_, ImportState>,
    spec: ImportSpec,
    lang: Lang,
    apply: bool,
    skip_errors: bool,
    progress: Channel<Progress>,
) -> Result<Preview, CommandError> {
    let path = chosen(&spec.path)?;
    let cancel = imports.cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    // The file is read off the store's lock: reading a large workbook must not
    // block the other screens.
    let read = imports.read.clone();
    let (source, sheets) =
        blocking(move || sheets_of(&read, &path).map_err(|e| worded(e, lang))).await?;
    let request = ImportRequest {
        kind: spec.kind,
        sheet: spec.sheet.filter(|s| !s.trim().is_empty()),
        mapping: spec.mapping,
        values: spec.values,
        lang,
        source: Some(source),
        skip_duplicates: spec.skip_duplicates,
    };
    with_store(state.store(), move |store| {
        let mut last_sent = 0u64;
        import::run_with_progress(
            store,
            &sheets,
            &request,
            apply,
            skip_errors,
            &mut |done, total| {
                // A few hundred messages at most, and always the last one.
                if done == total || done >= last_sent + (total / 200).max(1) {
                    last_sent = done;
                    let _ = progress.send(Progress { done, total });
                }
                !cancel.load(Ordering::SeqCst)
            },
        )
        .map_err(|e| worded(e, lang))
    })
    .await
}

/// What the spreadsheet would bring in: nothing is written.
#[tauri::command]
pub async fn import_preview(
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
    spec: ImportSpec,
    lang: Lang,
    progress: Channel<Progress>,
) -> Result<Preview, CommandError> {
    run(&state, &imports, spec, lang, false, false, progress).await
}

/// Imports the spreadsheet in one transaction and records the import. Refused
/// while a row is in error, unless `skip_errors` (those rows left out).
#[tauri::command]
pub async fn import_apply(
    state: State<'_, AppState>,
    imports: State<'_, ImportState>,
    spec: ImportSpec,
    skip_errors: bool,
    lang: Lang,
    progress: Channel<Progress>,
) -> Result<Preview, CommandError> {
    run(&state, &imports, spec, lang, true, skip_errors, progress).await
}

/// Stops the running preview or import (it ends with code `cancelled`).
#[tauri::command]
pub async fn import_cancel(imports: State<'_, ImportState>) -> Result<(), CommandError> {
    imports.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The dialog is closed: the cells read are let go.
#[tauri::command]
pub async fn import_close(imports: State<'_, ImportState>) -> Result<(), CommandError> {
    *imports.read.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(())
}

/// Every import recorded, the newest first.
#[tauri::command]
pub async fn imports_list(state: State<'_, AppState>) -> Result<Vec<ImportEntry>, CommandError> {
    with_store(state.store(), |store| Ok(store.imports()?)).await
}

/// Sends exactly the records of one import (those still live) to the trash;
/// returns how many.
#[tauri::command]
pub async fn import_undo(
    state: State<'_, AppState>,
    import_id: String,
    lang: Lang,
) -> Result<usize, CommandError> {
    with_store(state.store(), move |store| {
        store.undo_import(&import_id).map_err(|e| worded(e, lang))
    })
    .await
}

/// Writes the Excel template of a kind in `lang` (`.xlsx` added when missing);
/// returns the path written.
#[tauri::command]
pub async fn import_template(
    kind: RecordKind,
    path: String,
    lang: Lang,
) -> Result<String, CommandError> {
    let path = with_extension(&path, "xlsx")?;
    blocking(move || {
        import::write_template(kind, lang, &path).map_err(|e| worded(e, lang))?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

include!(concat!(env!("OUT_DIR"), "/contract_import.rs"));
