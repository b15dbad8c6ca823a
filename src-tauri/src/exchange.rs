//! Sharing between offices (issue 5): merge a received `.cabildo` file (plan,
//! then apply with progress and cancellation), export the database and an
//! Excel workbook, import CDP's public city list, and the peers overview.
//!
//! Every piece of work is done by the core (`cabildo::exchange`); these
//! commands take the state, call the core off the main thread and map the
//! error. The UI chooses paths with the native dialogs (tauri-plugin-dialog).
//! The store forwards the records a merge or an import changes as
//! `records-changed` events, so the open views refresh.
//!
//! End-to-end tests cannot drive a native open dialog: with
//! `CABILDO_E2E_OPEN_FILE` set, `exchange_open_override` gives the UI that
//! path and the UI skips the dialog.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use cabildo::exchange::cdp::{self, CdpImportReport};
use cabildo::exchange::export;
use cabildo::exchange::merge::{self, ConflictEntry, MergeOptions, MergePlan, MergeSummary};
use cabildo::exchange::peers::{self, Peers, PeersFilter};
use cabildo::format::Lang;
use cabildo::store::backups::BackupInfo;
use cabildo::store::incoming::{CancelFlag, IncomingLimits};
use cabildo::RecordKind;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::commands::with_store;
use crate::error::{CommandError, ShellErrorCode};
use crate::state::{lock, AppState};

/// Environment variable: when set, "open a file" dialogs of the sharing menu
/// use this path instead (end-to-end tests).
pub const OPEN_FILE_ENV: &str = "CABILDO_E2E_OPEN_FILE";

/// Environment variable (end-to-end tests): a pause, in milliseconds, after
/// each progress message of a merge, so that a test can see the progress and
/// press Cancel while the merge runs.
pub const MERGE_PAUSE_ENV: &str = "CABILDO_E2E_MERGE_PAUSE_MS";

/// The merge waiting for confirmation, and the cancel switches of a running
/// one and of a running check of a received file.
#[derive(Default)]
pub struct ExchangeState {
    plan: Mutex<Option<MergePlan>>,
    cancel: Arc<AtomicBool>,
    /// Set to cancel the check under way (a merge's plan, or a received file
    /// being opened as the database).
    checking: Mutex<Option<Arc<AtomicBool>>>,
}

impl ExchangeState {
    /// The options of a check of a received file that `cancel_check` stops.
    pub(crate) fn begin_check(&self) -> MergeOptions {
        let (flag, handle) = CancelFlag::new();
        *self.checking.lock().unwrap_or_else(|p| p.into_inner()) = Some(handle);
        MergeOptions {
            limits: IncomingLimits {
                cancel: flag,
                ..IncomingLimits::default()
            },
            ..MergeOptions::default()
        }
    }

    /// The check is over: nothing is left to cancel.
    pub(crate) fn end_check(&self) {
        *self.checking.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// Stops the check under way, if any (it ends with code `cancelled`).
    pub(crate) fn cancel_check(&self) {
        if let Some(handle) = self
            .checking
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            handle.store(true, Ordering::SeqCst);
        }
    }
}

/// Progress of a running merge or import, sent through a channel.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// What `cdp_import` returns: the core's report and each warning's message
/// in the language asked for (same order as `report.warnings`).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CdpImportResult {
    pub report: CdpImportReport,
    pub messages: Vec<String>,
}

/// The path the user chose (`io` when the dialog gave none).
pub(crate) fn chosen(path: &str) -> Result<PathBuf, CommandError> {
    if path.trim().is_empty() {
        return Err(CommandError::new(
            cabildo::ErrorCode::Io,
            "no file was chosen",
        ));
    }
    Ok(PathBuf::from(path))
}

/// The path with `extension` added when the name has another or none.
pub(crate) fn with_extension(path: &str, extension: &str) -> Result<PathBuf, CommandError> {
    let path = chosen(path)?;
    let matches = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(extension));
    if matches {
        return Ok(path);
    }
    let mut name = path.into_os_string();
    name.push(".");
    name.push(extension);
    Ok(PathBuf::from(name))
}

/// The file to open without a dialog when `CABILDO_E2E_OPEN_FILE` is set
/// (end-to-end tests); None otherwise, and the UI opens the dialog.
#[tauri::command]
pub async fn exchange_open_override() -> Result<Option<String>, CommandError> {
    Ok(std::env::var_os(OPEN_FILE_ENV)
        .filter(|v| !v.is_empty())
        .map(|v| v.to_string_lossy().into_owned()))
}

/// The event the shell emits when received files are opened with the
/// running app (a second launch hands its files over and exits).
pub const INCOMING_FILES_EVENT: &str = "incoming-files";

/// The received files waiting to be merged (opened with the app), in order.
#[tauri::command]
pub async fn incoming_list(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    Ok(state
        .incoming()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect())
}

/// Whether a path names the open database (false with none open). The
/// store's lock is taken off the async runtime: a running merge holds it.
async fn open_database_test(state: &AppState) -> impl Fn(&std::path::Path) -> bool {
    let store = state.store();
    let open = tauri::async_runtime::spawn_blocking(move || {
        lock(&store)
            .as_ref()
            .and_then(|s| s.path().map(PathBuf::from))
    })
    .await
    .ok()
    .flatten();
    move |path| open.as_deref().is_some_and(|db| merge::same_path(db, path))
}

/// Queues received files to merge (files dropped on the window), after
/// those already waiting; returns the waiting list. The open database is
/// not queued: after queueing the others, it is refused (`merge_into_itself`).
#[tauri::command]
pub async fn incoming_add(
    state: State<'_, AppState>,
    paths: Vec<String>,
) -> Result<Vec<String>, CommandError> {
    let is_open = open_database_test(&state).await;
    let (refused, queued): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .map(PathBuf::from)
        .partition(|p| is_open(p));
    state.push_incoming(queued);
    if let Some(own) = refused.first() {
        return Err(cabildo::Error::MergeIntoItself(own.display().to_string()).into());
    }
    incoming_list(state).await
}

/// Takes a received file off the waiting list: `path`, or the first one.
/// A file that is the open database is dropped, not returned: opening one's
/// own database with the app asks for nothing to merge.
#[tauri::command]
pub async fn incoming_take(
    state: State<'_, AppState>,
    path: Option<String>,
) -> Result<Option<String>, CommandError> {
    let is_open = open_database_test(&state).await;
    loop {
        let Some(file) = state.take_incoming(path.as_deref().map(std::path::Path::new)) else {
            return Ok(None);
        };
        if path.is_none() && is_open(&file) {
            continue;
        }
        return Ok(Some(file.to_string_lossy().into_owned()));
    }
}

/// Checks a received file and computes what merging it would do (nothing
/// is written). The plan is kept for `merge_apply`. The check, the long
/// part, runs on a private copy without holding the open database, and
/// `merge_cancel` stops it; only the plan itself takes the database.
#[tauri::command]
pub async fn merge_plan(
    state: State<'_, AppState>,
    exchange: State<'_, ExchangeState>,
    path: String,
) -> Result<MergePlan, CommandError> {
    let path = chosen(&path)?;
    let store = state.store();
    let open = store.clone();
    let local = tauri::async_runtime::spawn_blocking(move || {
        lock(&open).as_ref().map(|s| s.path().map(PathBuf::from))
    })
    .await
    .map_err(|e| CommandError::new(ShellErrorCode::Shell, e.to_string()))?
    .ok_or_else(|| CommandError::new(ShellErrorCode::NoDatabase, "no database is open"))?;
    let options = exchange.begin_check();
    let received = tauri::async_runtime::spawn_blocking(move || {
        merge::check_received(&path, local.as_deref(), &options)
    })
    .await
    .map_err(|e| CommandError::new(ShellErrorCode::Shell, e.to_string()))?;
    exchange.end_check();
    let received = received?;
    let plan = with_store(store, move |store| {
        Ok(merge::plan_checked(store, received)?)
    })
    .await?;
    *exchange.plan.lock().unwrap_or_else(|p| p.into_inner()) = Some(plan.clone());
    Ok(plan)
}

/// Applies the plan made by the last `merge_plan` (backup first, then one
/// transaction), reporting progress on `progress`. `merge_cancel` stops it
/// and leaves the local file as it was (code `cancelled`).
#[tauri::command]
pub async fn merge_apply(
    state: State<'_, AppState>,
    exchange: State<'_, ExchangeState>,
    progress: Channel<Progress>,
) -> Result<MergeSummary, CommandError> {
    let plan = exchange
        .plan
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .ok_or_else(|| {
            CommandError::new(
                ShellErrorCode::NoPlan,
                "no merge is waiting for confirmation",
            )
        })?;
    let cancel = exchange.cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    let pause = std::env::var(MERGE_PAUSE_ENV)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map(std::time::Duration::from_millis);
    with_store(state.store(), move |store| {
        let mut last_sent = 0u64;
        let summary = merge::apply_merge(store, &plan, |done, total| {
            // A few hundred messages at most, and always the last one.
            if done == total || done >= last_sent + (total / 200).max(1) {
                last_sent = done;
                let _ = progress.send(Progress { done, total });
                if let Some(pause) = pause {
                    std::thread::sleep(pause);
                }
            }
            !cancel.load(Ordering::SeqCst)
        })?;
        Ok(summary)
    })
    .await
}

/// Cancels the running merge or the check of its file, and forgets a plan
/// not yet applied.
#[tauri::command]
pub async fn merge_cancel(exchange: State<'_, ExchangeState>) -> Result<(), CommandError> {
    exchange.cancel_check();
    exchange.cancel.store(true, Ordering::SeqCst);
    *exchange.plan.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(())
}

/// Writes a snapshot of the open database to `path` (`.cabildo` added when
/// missing). Returns the path written.
#[tauri::command]
pub async fn export_database(
    state: State<'_, AppState>,
    path: String,
) -> Result<String, CommandError> {
    let path = with_extension(&path, "cabildo")?;
    with_store(state.store(), move |store| {
        store.export_snapshot(&path)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// Writes every kind of record as an Excel workbook in `lang` (`.xlsx`
/// added when missing). Returns the path written.
#[tauri::command]
pub async fn export_xlsx(
    state: State<'_, AppState>,
    path: String,
    lang: Lang,
) -> Result<String, CommandError> {
    let path = with_extension(&path, "xlsx")?;
    let today = chrono::Local::now().date_naive();
    with_store(state.store(), move |store| {
        export::write_xlsx(store, &path, lang, today)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// What `export_csv` returns: where it wrote, and how many records.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct CsvExport {
    pub path: String,
    pub records: usize,
}

/// Writes every live record of one kind as CSV (UTF-8 with a byte-order
/// mark, column names in `lang`; `.csv` added when missing).
#[tauri::command]
pub async fn export_csv(
    state: State<'_, AppState>,
    path: String,
    kind: RecordKind,
    lang: Lang,
) -> Result<CsvExport, CommandError> {
    let path = with_extension(&path, "csv")?;
    with_store(state.store(), move |store| {
        let records = export::write_csv(store, kind, &path, lang)?;
        Ok(CsvExport {
            path: path.to_string_lossy().into_owned(),
            records,
        })
    })
    .await
}

/// Imports CDP's list of cities disclosing from a CSV file, in one
/// transaction. The warnings' messages come in `lang`.
#[tauri::command]
pub async fn cdp_import(
    state: State<'_, AppState>,
    path: String,
    lang: Lang,
) -> Result<CdpImportResult, CommandError> {
    let path = chosen(&path)?;
    with_store(state.store(), move |store| {
        let report = cdp::import_file(store, &path, |_, _| true)?;
        let messages = report.warnings.iter().map(|w| w.message(lang)).collect();
        Ok(CdpImportResult { report, messages })
    })
    .await
}

/// The peers overview of the imported cities passing `filter`.
#[tauri::command]
pub async fn peers_overview(
    state: State<'_, AppState>,
    filter: PeersFilter,
) -> Result<Peers, CommandError> {
    with_store(state.store(), move |store| {
        Ok(peers::peers(store, &filter)?)
    })
    .await
}

/// The backups of the open database (taken before each merge or restore),
/// newest first.
#[tauri::command]
pub async fn backups_list(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, CommandError> {
    with_store(state.store(), |store| Ok(merge::backups_of(store)?)).await
}

/// Replaces the open database by one of its backups, after backing up the
/// current state (returned). A backup of another office: code `foreign_backup`.
#[tauri::command]
pub async fn backup_restore(
    state: State<'_, AppState>,
    path: String,
) -> Result<Option<BackupInfo>, CommandError> {
    let path = chosen(&path)?;
    with_store(state.store(), move |store| {
        Ok(merge::restore_backup(store, &path)?)
    })
    .await
}

/// The versions that lost a merge: unresolved ones, or all with `all`.
#[tauri::command]
pub async fn conflicts_list(
    state: State<'_, AppState>,
    all: bool,
) -> Result<Vec<ConflictEntry>, CommandError> {
    with_store(state.store(), move |store| {
        Ok(merge::conflict_log(store, all)?)
    })
    .await
}

/// Writes a logged losing version back as the current version of its record.
#[tauri::command]
pub async fn conflict_restore(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    with_store(state.store(), move |store| {
        merge::restore_conflict(store, &id)?;
        Ok(())
    })
    .await
}

/// Marks a logged conflict as reviewed without restoring it.
#[tauri::command]
pub async fn conflict_dismiss(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    with_store(state.store(), move |store| {
        Ok(merge::dismiss_conflict(store, &id)?)
    })
    .await
}

include!(concat!(env!("OUT_DIR"), "/contract_exchange.rs"));
