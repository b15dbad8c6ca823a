//! Tauri commands. Each one is a few lines: take state, call the core, map
//! the error. A `#[tauri::command]` function here (or in charts.rs,
//! exchange.rs) is the command's one declaration: build.rs registers it and
//! derives its TypeScript from its signature; it must be granted in
//! capabilities/default.json (a test checks).
//!
//! Database work runs on a blocking thread (`with_store`), never on the
//! main thread, so the window stays responsive.

use std::path::{Path, PathBuf};

use cabildo::explain::Explanation;
use cabildo::model::City;
use cabildo::portfolio::PortfolioCounts;
use cabildo::roi::{Dashboard, RoiQuery};
use cabildo::store::{KindCount, TrashItem};
use cabildo::{Office, RecordKind, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

use cabildo::exchange::adopt::{open_received, AdoptAs};

use crate::error::{CommandError, ShellErrorCode};
use crate::exchange::ExchangeState;
use crate::state::{
    from_elsewhere, lock, recent_files, remember_recent, AppState, RecentFile, SharedStore,
    DEFAULT_FILE, DEMO_FILE,
};

/// The event the shell emits when records change (payload: `Change`), so
/// open views refresh themselves.
pub const RECORDS_CHANGED_EVENT: &str = "records-changed";

/// Environment variable: when set, `app_painted` prints the wall-clock time
/// at which the dashboard was first painted (scripts/measure-start.sh).
pub const MEASURE_ENV: &str = "CABILDO_MEASURE_START";

/// What `app_info` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
}

/// The application version and the folder where its files live.
#[tauri::command]
pub async fn app_info<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AppInfo, CommandError> {
    Ok(AppInfo {
        version: state.version().to_owned(),
        data_dir: state.data_dir(&app)?.to_string_lossy().into_owned(),
    })
}

/// Which database is open, and what the UI needs around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DbStatus {
    /// The open file; None before the first-start choice.
    pub path: Option<String>,
    pub office: Option<Office>,
    /// The cities of the file (the city selector shows when there are several).
    pub cities: Vec<City>,
    pub recent: Vec<RecentFile>,
    /// Why the file asked for at start (command line, last file) did not open.
    pub startup_error: Option<CommandError>,
    /// The file `--open` named at start when it came from elsewhere: not
    /// opened in place, it waits for the user to say whose it is
    /// (`db_open_received`). The usual database is open meanwhile.
    pub startup_received: Option<String>,
}

/// Runs `f` off the main thread.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| CommandError::new(ShellErrorCode::Shell, e.to_string()))?
}

/// Runs `f` on the open database, off the main thread (`no_database` when
/// none is open). Every command that reads or writes the database goes here.
pub(crate) async fn with_store<T: Send + 'static>(
    store: SharedStore,
    f: impl FnOnce(&mut Store) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    blocking(move || {
        let mut guard = lock(&store);
        let store = guard
            .as_mut()
            .ok_or_else(|| CommandError::new(ShellErrorCode::NoDatabase, "no database is open"))?;
        f(store)
    })
    .await
}

fn status_of(
    store: &SharedStore,
    data_dir: &Path,
    startup_error: Option<CommandError>,
) -> DbStatus {
    let guard = lock(store);
    let (path, office, cities) = match guard.as_ref() {
        Some(s) => (
            s.path().map(|p| p.to_string_lossy().into_owned()),
            Some(s.office().clone()),
            s.list::<City>(None).unwrap_or_default(),
        ),
        None => (None, None, Vec::new()),
    };
    DbStatus {
        path,
        office,
        cities,
        recent: recent_files(data_dir),
        startup_error,
        startup_received: None,
    }
}

/// Replaces the open database with `store` (which forwards its changes to
/// the UI) and puts its file first in the recent list.
fn install<R: Runtime>(
    app: &AppHandle<R>,
    shared: &SharedStore,
    data_dir: &Path,
    mut store: Store,
) -> Result<(), CommandError> {
    let emitter = app.clone();
    // One event per committed write or transaction, naming every kind and id.
    store.set_listener(move |changes| {
        let _ = emitter.emit(RECORDS_CHANGED_EVENT, changes);
    });
    // The app answers many reports on one file: the engine keeps costs and outcomes in memory.
    store.keep_report_indexes(true);
    if let Some(path) = store.path() {
        remember_recent(data_dir, path)?;
    }
    *lock(shared) = Some(store);
    Ok(())
}

/// Opens (or creates, with `create`) a file and makes it the open database.
/// On failure the database open before stays open.
async fn switch_to<R: Runtime>(
    app: AppHandle<R>,
    state: &AppState,
    open: impl FnOnce() -> cabildo::Result<Store> + Send + 'static,
) -> Result<DbStatus, CommandError> {
    let data_dir = state.data_dir(&app)?;
    let shared = state.store();
    blocking(move || {
        let store = open()?;
        install(&app, &shared, &data_dir, store)?;
        Ok(status_of(&shared, &data_dir, None))
    })
    .await
}

/// The open database and the recent files. The first call opens the file
/// given on the command line, else the most recent file, else the default
/// file when it exists; with none, the UI offers the first-start choice.
#[tauri::command]
pub async fn db_status<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<DbStatus, CommandError> {
    let data_dir = state.data_dir(&app)?;
    let shared = state.store();
    // The start-up open happens once, and never replaces a file already open.
    if !state.begin_startup() || lock(&shared).is_some() {
        return blocking(move || Ok(status_of(&shared, &data_dir, None))).await;
    }
    let startup_file = state.startup_file().map(Path::to_path_buf);
    blocking(move || {
        let mut startup_error = None;
        let mut candidates: Vec<PathBuf> = Vec::new();
        // A file from elsewhere is never opened in place: the UI asks whose
        // it is, and the usual database opens meanwhile.
        let (startup_file, startup_received) = match startup_file {
            Some(file) if from_elsewhere(&data_dir, &file) => (None, Some(file)),
            other => (other, None),
        };
        if let Some(file) = startup_file {
            candidates.push(file);
        } else {
            candidates.extend(
                recent_files(&data_dir)
                    .into_iter()
                    .filter(|r| r.exists)
                    .take(1)
                    .map(|r| PathBuf::from(r.path)),
            );
            let default = data_dir.join(DEFAULT_FILE);
            if default.is_file() {
                candidates.push(default);
            }
        }
        for file in candidates {
            match Store::open_existing(&file) {
                Ok(store) => {
                    install(&app, &shared, &data_dir, store)?;
                    break;
                }
                Err(err) => {
                    startup_error.get_or_insert(CommandError::from(err));
                }
            }
        }
        Ok(DbStatus {
            startup_received: startup_received.map(|f| f.to_string_lossy().into_owned()),
            ..status_of(&shared, &data_dir, startup_error)
        })
    })
    .await
}

/// "Start empty": the default file in the data folder (created when missing).
#[tauri::command]
pub async fn db_start_empty<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    language: Option<String>,
) -> Result<DbStatus, CommandError> {
    let path = state.data_dir(&app)?.join(DEFAULT_FILE);
    let office = cabildo::store::NewOffice {
        language: language.unwrap_or_else(|| "es".into()),
        ..Default::default()
    };
    switch_to(app, &state, move || Store::open_or_create(&path, &office)).await
}

/// "Open the demo city": the demo file in the data folder, made (anchored on
/// today) when missing.
#[tauri::command]
pub async fn db_open_demo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<DbStatus, CommandError> {
    let path = state.data_dir(&app)?.join(DEMO_FILE);
    switch_to(app, &state, move || {
        if path.is_file() {
            Store::open_existing(&path)
        } else {
            cabildo::demo::create(&path, chrono::Local::now().date_naive())
        }
    })
    .await
}

/// File ▸ New: a new, empty database at `path` (never over an existing file).
#[tauri::command]
pub async fn db_new<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
    language: Option<String>,
) -> Result<DbStatus, CommandError> {
    let mut path = PathBuf::from(path);
    if path.extension().is_none() {
        path.set_extension("cabildo");
    }
    if path.exists() {
        return Err(CommandError::new(
            cabildo::ErrorCode::AlreadyExists,
            format!("{} already exists", path.display()),
        ));
    }
    let office = cabildo::store::NewOffice {
        language: language.unwrap_or_else(|| "es".into()),
        ..Default::default()
    };
    switch_to(app, &state, move || Store::create(&path, &office)).await
}

/// File ▸ Open (and the recent files): an existing Cabildo file of the data
/// folder or of the recent list. A file that is not Cabildo's, or from a
/// newer version, is refused and the current database stays open. A file
/// from elsewhere (`state::from_elsewhere`) is not opened in place: code
/// `from_elsewhere`, and the UI asks whose it is for `db_open_received`.
#[tauri::command]
pub async fn db_open<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: String,
) -> Result<DbStatus, CommandError> {
    let path = PathBuf::from(path);
    if from_elsewhere(&state.data_dir(&app)?, &path) {
        return Err(CommandError::new(
            ShellErrorCode::FromElsewhere,
            format!(
                "{} is not in the data folder: it is checked and copied there first",
                path.display()
            ),
        ));
    }
    switch_to(app, &state, move || Store::open_existing(&path)).await
}

/// A file from elsewhere as the database (Welcome ▸ "Use it as my
/// database", File ▸ Open, `--open`): the checks of a merge, then a copy in
/// the data folder, opened, with the identity `adopt_as` says (the same
/// office moving computers, or a new office). Refused as a merge would
/// refuse it, with nothing copied; the open database stays open and is not
/// held while the file is checked. `db_open_received_cancel` stops it.
#[tauri::command]
pub async fn db_open_received<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    exchange: State<'_, ExchangeState>,
    path: String,
    adopt_as: AdoptAs,
) -> Result<DbStatus, CommandError> {
    let data_dir = state.data_dir(&app)?;
    let shared = state.store();
    let path = PathBuf::from(path);
    let options = exchange.begin_check();
    let opened = blocking(move || {
        let store = open_received(&path, &data_dir, &adopt_as, &options)?;
        install(&app, &shared, &data_dir, store)?;
        Ok(status_of(&shared, &data_dir, None))
    })
    .await;
    exchange.end_check();
    opened
}

/// Stops `db_open_received` while it checks (it ends with code `cancelled`
/// and nothing copied).
#[tauri::command]
pub async fn db_open_received_cancel(
    exchange: State<'_, ExchangeState>,
) -> Result<(), CommandError> {
    exchange.cancel_check();
    Ok(())
}

/// Renames the office, or changes its reporting currency or language.
#[tauri::command]
pub async fn office_set(
    state: State<'_, AppState>,
    name: String,
    reporting_currency: String,
    language: String,
    number_format: cabildo::numbers::NumberFormat,
) -> Result<Office, CommandError> {
    with_store(state.store(), move |s| {
        Ok(s.set_office(&name, &reporting_currency, &language, number_format)?)
    })
    .await
}

/// The live records of a kind, optionally of one city.
#[tauri::command]
pub async fn records_list(
    state: State<'_, AppState>,
    kind: RecordKind,
    city_id: Option<String>,
) -> Result<Value, CommandError> {
    with_store(state.store(), move |s| {
        Ok(s.list_json(kind, city_id.as_deref())?)
    })
    .await
}

/// One page of a kind's records: searched, filtered, sorted and counted by the core.
#[tauri::command]
pub async fn records_page(
    state: State<'_, AppState>,
    query: cabildo::store::page::ListQuery,
) -> Result<cabildo::store::page::ListPage, CommandError> {
    with_store(state.store(), move |s| Ok(s.list_page(&query)?)).await
}

/// The values a text field holds (a list filter's choices).
#[tauri::command]
pub async fn records_distinct(
    state: State<'_, AppState>,
    kind: RecordKind,
    field: String,
    city_id: Option<String>,
) -> Result<Vec<String>, CommandError> {
    with_store(state.store(), move |s| {
        Ok(s.distinct_values(kind, &field, city_id.as_deref(), 500)?)
    })
    .await
}

#[tauri::command]
pub async fn record_get(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<Value, CommandError> {
    with_store(state.store(), move |s| Ok(s.get_json(kind, &id)?)).await
}

/// Inserts (empty id) or updates a record; the core validates it.
#[tauri::command]
pub async fn record_save(
    state: State<'_, AppState>,
    kind: RecordKind,
    record: Value,
) -> Result<Value, CommandError> {
    with_store(state.store(), move |s| Ok(s.save_json(kind, record)?)).await
}

/// What deleting a record would take to the trash with it, per kind.
#[tauri::command]
pub async fn record_delete_preview(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<Vec<KindCount>, CommandError> {
    with_store(state.store(), move |s| Ok(s.delete_preview(kind, &id)?)).await
}

/// Moves a record to the trash, with the records that depend on it.
#[tauri::command]
pub async fn record_delete(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<Vec<KindCount>, CommandError> {
    with_store(state.store(), move |s| Ok(s.delete(kind, &id)?)).await
}

/// Brings a record back from the trash.
#[tauri::command]
pub async fn record_restore(
    state: State<'_, AppState>,
    kind: RecordKind,
    id: String,
) -> Result<(), CommandError> {
    with_store(state.store(), move |s| Ok(s.restore(kind, &id)?)).await
}

#[tauri::command]
pub async fn trash_list(state: State<'_, AppState>) -> Result<Vec<TrashItem>, CommandError> {
    with_store(state.store(), |s| Ok(s.trash()?)).await
}

/// The ROI dashboard for a period and currency; without a query, the last
/// twelve months to today in the office's reporting currency, for `city_id`
/// (all cities when None).
#[tauri::command]
pub async fn dashboard(
    state: State<'_, AppState>,
    query: Option<RoiQuery>,
    city_id: Option<String>,
    rows: Option<cabildo::roi::RowsWindow>,
) -> Result<Dashboard, CommandError> {
    with_store(state.store(), move |s| {
        let query = query.unwrap_or_else(|| {
            RoiQuery::office_default(s, city_id, chrono::Local::now().date_naive())
        });
        Ok(cabildo::roi::dashboard_window(s, &query, rows.as_ref())?)
    })
    .await
}

/// The records behind one figure of a dashboard row (`membership_id` None: the
/// general international work of the query's city).
#[tauri::command]
pub async fn explain(
    state: State<'_, AppState>,
    query: RoiQuery,
    membership_id: Option<String>,
    figure: String,
    lang: cabildo::format::Lang,
) -> Result<Explanation, CommandError> {
    with_store(state.store(), move |s| {
        let figure = cabildo::explain::Figure::parse(&figure)?;
        Ok(cabildo::explain::explain(
            s,
            &query,
            membership_id.as_deref(),
            figure,
            lang,
        )?)
    })
    .await
}

/// Writes the records behind a figure as CSV (`.csv` added when missing).
#[tauri::command]
pub async fn explain_csv(
    state: State<'_, AppState>,
    path: String,
    query: RoiQuery,
    membership_id: Option<String>,
    figure: String,
    lang: cabildo::format::Lang,
) -> Result<String, CommandError> {
    let path = crate::exchange::with_extension(&path, "csv")?;
    with_store(state.store(), move |s| {
        let figure = cabildo::explain::Figure::parse(&figure)?;
        let e = cabildo::explain::explain(s, &query, membership_id.as_deref(), figure, lang)?;
        cabildo::exchange::export::write_explanation_csv(&e, &path, lang)?;
        Ok(path.to_string_lossy().into_owned())
    })
    .await
}

/// How many projects stand at each stage and in each sector, for `city_id`
/// (all cities when None).
#[tauri::command]
pub async fn portfolio(
    state: State<'_, AppState>,
    city_id: Option<String>,
) -> Result<PortfolioCounts, CommandError> {
    with_store(state.store(), move |s| {
        Ok(cabildo::portfolio::current(s, city_id.as_deref())?)
    })
    .await
}

/// The thesis that steers each membership today (of `city_id`, or all cities):
/// the core's rule, the one the classification reads.
#[tauri::command]
pub async fn theses_current(
    state: State<'_, AppState>,
    city_id: Option<String>,
) -> Result<Vec<cabildo::roi::CurrentThesis>, CommandError> {
    let today = chrono::Local::now().date_naive();
    with_store(state.store(), move |s| {
        Ok(cabildo::roi::current_theses(s, today, city_id.as_deref())?)
    })
    .await
}

/// Called by the UI once the dashboard has been painted. With
/// `CABILDO_MEASURE_START` set, prints the wall-clock time (Unix ms) so a
/// script can measure the start-up from process spawn.
#[tauri::command]
pub async fn app_painted() -> Result<(), CommandError> {
    if std::env::var_os(MEASURE_ENV).is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        println!("CABILDO_PAINTED {now}");
    }
    Ok(())
}

include!(concat!(env!("OUT_DIR"), "/contract_commands.rs"));
