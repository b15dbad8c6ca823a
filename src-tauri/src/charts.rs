//! The council charts' commands (issue 4): draw the charts for the Charts
//! screen and presentation mode, export one chart as SVG, PNG or PDF, write
//! the council pack, and put the window in full screen for a presentation.
//!
//! Every chart is drawn by the core (`cabildo::charts`); these commands only
//! take the state, call the core, write the file and map the error. The UI
//! chooses the path with the native save dialog (tauri-plugin-dialog); the
//! file is written here, never by the web view.
//!
//! End-to-end tests cannot drive a native dialog: with `CABILDO_E2E_SAVE_DIR`
//! set, `charts_save_override` gives the UI a path in that folder and the UI
//! skips the dialog.

use std::path::{Path, PathBuf};

use cabildo::charts::{self, Chart, ChartContext, ChartKind, ChartRequest, PackRequest};
use cabildo::format::Lang;
use cabildo::roi::RoiQuery;
use serde::{Deserialize, Serialize};
use tauri::{Runtime, State, Window};
use ts_rs::TS;

use crate::commands::with_store;
use crate::error::CommandError;
use crate::exchange::with_extension;
use crate::state::AppState;

/// Environment variable: when set, exports are saved into this folder
/// without a dialog (end-to-end tests; the folder is created when missing).
pub const SAVE_DIR_ENV: &str = "CABILDO_E2E_SAVE_DIR";

/// The formats a single chart is exported to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Svg,
    Png,
    Pdf,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Pdf => "pdf",
        }
    }
}

/// What `charts_render` returns: the selection the charts were drawn for
/// (the default period and currency filled in) and the charts, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChartSet {
    pub query: RoiQuery,
    pub charts: Vec<Chart>,
}

/// An I/O error about `path`, with the core's code (a full disk has its own).
fn io_error(err: std::io::Error, path: &Path) -> CommandError {
    CommandError::from(err).about(path)
}

/// Writes the whole file or nothing (the core's rule for every file it writes).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    cabildo::files::write_via_partial(path, |partial| Ok(std::fs::write(partial, bytes)?))
        .map_err(|e| CommandError::from(e).about(path))
}

/// Draws charts of one selection (all eight when `kinds` is empty) at
/// `width` × `height` pixels, computing the ROI report once. Without a query:
/// the last twelve months in the office currency, for `city_id`.
#[tauri::command]
pub async fn charts_render(
    state: State<'_, AppState>,
    query: Option<RoiQuery>,
    city_id: Option<String>,
    lang: Lang,
    kinds: Vec<ChartKind>,
    width: u32,
    height: u32,
) -> Result<ChartSet, CommandError> {
    with_store(state.store(), move |store| {
        let query = query.unwrap_or_else(|| {
            RoiQuery::office_default(store, city_id, chrono::Local::now().date_naive())
        });
        let kinds = if kinds.is_empty() {
            ChartKind::ALL.to_vec()
        } else {
            kinds
        };
        let context = ChartContext::new(store, &query, lang)?;
        let charts = kinds
            .into_iter()
            .map(|kind| context.draw(kind, width, height))
            .collect::<cabildo::Result<Vec<Chart>>>()?;
        Ok(ChartSet {
            query: context.query().clone(),
            charts,
        })
    })
    .await
}

/// Exports one chart to `path`: the SVG drawn at the request's size, a PNG of
/// exactly that many pixels, or a one-page PDF. The extension is added when
/// missing. Returns the path written.
#[tauri::command]
pub async fn chart_export(
    state: State<'_, AppState>,
    request: ChartRequest,
    format: ExportFormat,
    path: String,
) -> Result<String, CommandError> {
    let path = with_extension(&path, format.extension())?;
    with_store(state.store(), move |store| {
        let chart = charts::render_svg(store, &request)?;
        let bytes = match format {
            ExportFormat::Svg => chart.svg.into_bytes(),
            ExportFormat::Png => charts::png(&chart.svg, request.width, request.height)?,
            ExportFormat::Pdf => charts::pdf(&[chart.svg])?,
        };
        write_file(&path, &bytes)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// Writes the council pack (title page and the chosen charts, each with its
/// key figures) as a PDF at `path`. Returns the path written.
#[tauri::command]
pub async fn council_pack_export(
    state: State<'_, AppState>,
    request: PackRequest,
    path: String,
) -> Result<String, CommandError> {
    let path = with_extension(&path, "pdf")?;
    with_store(state.store(), move |store| {
        let bytes = charts::council_pack(store, &request)?;
        write_file(&path, &bytes)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// Where to save `file_name` without asking, when `CABILDO_E2E_SAVE_DIR` is
/// set (end-to-end tests); None otherwise, and the UI opens the save dialog.
#[tauri::command]
pub async fn charts_save_override(file_name: String) -> Result<Option<String>, CommandError> {
    let dir = match std::env::var_os(SAVE_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => return Ok(None),
    };
    // Only a bare name: the folder is the one the environment gives.
    let name = Path::new(&file_name)
        .file_name()
        .ok_or_else(|| CommandError::new(cabildo::ErrorCode::Argument, "not a file name"))?;
    std::fs::create_dir_all(&dir).map_err(|e| io_error(e, &dir))?;
    Ok(Some(dir.join(name).to_string_lossy().into_owned()))
}

/// Puts the calling window in full screen (presentation mode) or takes it
/// out. Returns whether it was in full screen before, so that leaving the
/// presentation restores the window as it was.
#[tauri::command]
pub async fn presentation_fullscreen<R: Runtime>(
    window: Window<R>,
    fullscreen: bool,
) -> Result<bool, CommandError> {
    let was = window.is_fullscreen()?;
    if was != fullscreen {
        window.set_fullscreen(fullscreen)?;
    }
    if !fullscreen {
        let _ = window.set_focus();
    }
    Ok(was)
}

include!(concat!(env!("OUT_DIR"), "/contract_charts.rs"));
