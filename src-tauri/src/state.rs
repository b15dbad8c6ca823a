//! State managed by the shell and shared by its commands.
//!
//! State is registered on the builder (not in a `setup` hook), so it exists as
//! soon as the app is built: `setup` only runs once the event loop starts,
//! which the mock runtime used by the tests never does.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use cabildo::Store;
use serde::{Deserialize, Serialize};
use tauri::{Manager, Runtime};

use crate::error::{CommandError, ShellErrorCode};

/// Environment variable that overrides where Cabildo keeps its files.
/// End-to-end tests give every run its own fresh folder through it.
pub const DATA_DIR_ENV: &str = "CABILDO_DATA_DIR";

/// The database a fresh start creates ("Start empty"), in the data folder.
pub const DEFAULT_FILE: &str = cabildo::files::DEFAULT_DATABASE;
/// The demo database ("Open the demo city"), in the data folder.
pub const DEMO_FILE: &str = cabildo::files::DEMO_DATABASE;
/// The list of recently opened files, in the data folder.
pub const RECENT_FILE: &str = "recent.json";
/// How many recent files are remembered.
pub const RECENT_MAX: usize = 8;

/// The open database (none before the first-start choice).
pub type SharedStore = Arc<Mutex<Option<Store>>>;

/// What every command may need to know about the running application.
#[derive(Default)]
pub struct AppState {
    data_dir: OnceLock<PathBuf>,
    store: SharedStore,
    /// The file named by `--open` on the command line, opened at start
    /// instead of the last one.
    startup_file: Option<PathBuf>,
    /// Set once the start-up open has been attempted (by the first `db_status`).
    started: OnceLock<()>,
    /// Received files opened with the app (file manager, command line, a
    /// second launch), waiting to be merged into the open database, in order.
    incoming: Mutex<VecDeque<PathBuf>>,
}

/// What the command line asks of the app at start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartArgs {
    /// `--open FILE`: the database to open.
    pub open: Option<PathBuf>,
    /// The other files named: received files to merge (this is how a file
    /// manager passes the `.cabildo` files opened with Cabildo).
    pub incoming: Vec<PathBuf>,
}

impl StartArgs {
    /// Reads the arguments after the program name; relative paths are taken
    /// from `cwd` (the folder the launch happened in, which for a second
    /// launch is not this process's). Unknown options are ignored.
    pub fn parse<I, S>(args: I, cwd: &Path) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString>,
    {
        let absolute = |p: std::ffi::OsString| {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                cwd.join(p)
            }
        };
        let mut parsed = Self::default();
        let mut args = args.into_iter().map(Into::into).skip(1);
        let mut only_files = false;
        while let Some(arg) = args.next() {
            let text = arg.to_string_lossy();
            if only_files || !text.starts_with('-') {
                parsed.incoming.push(absolute(arg));
            } else if text == "--" {
                only_files = true;
            } else if text == "--open" {
                parsed.open = args.next().map(absolute);
            } else if let Some(file) = text.strip_prefix("--open=") {
                parsed.open = Some(absolute(file.into()));
            }
        }
        parsed
    }
}

impl AppState {
    pub fn new() -> Self {
        Self::default()
    }

    /// A state for what the command line asked: a database to open, files to merge.
    pub fn with_start(args: StartArgs) -> Self {
        Self {
            startup_file: args.open,
            incoming: Mutex::new(args.incoming.into()),
            ..Self::default()
        }
    }

    /// The application version (cabildo-app's Cargo.toml version, which is
    /// also the version Tauri reports, tauri.conf.json having none).
    pub fn version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }

    /// The folder where Cabildo keeps its databases, backups and exports:
    /// `CABILDO_DATA_DIR` when set and not empty, else the platform's app data
    /// folder (`~/.local/share/org.cabildo.desktop` on Linux). Created on
    /// first use, then remembered for the life of the process.
    pub fn data_dir<R: Runtime, M: Manager<R>>(
        &self,
        manager: &M,
    ) -> Result<PathBuf, CommandError> {
        if let Some(dir) = self.data_dir.get() {
            return Ok(dir.clone());
        }
        let dir = match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => manager.path().app_data_dir()?,
        };
        std::fs::create_dir_all(&dir)?;
        Ok(self.data_dir.get_or_init(|| dir).clone())
    }

    /// The shared handle on the open database (cloned into blocking tasks).
    pub fn store(&self) -> SharedStore {
        self.store.clone()
    }

    pub fn startup_file(&self) -> Option<&Path> {
        self.startup_file.as_deref()
    }

    /// True the first time it is called: the caller performs the start-up open.
    pub fn begin_startup(&self) -> bool {
        self.started.set(()).is_ok()
    }

    fn incoming_queue(&self) -> MutexGuard<'_, VecDeque<PathBuf>> {
        self.incoming
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues received files to merge (a file already waiting is not queued twice).
    pub fn push_incoming(&self, files: impl IntoIterator<Item = PathBuf>) {
        let mut queue = self.incoming_queue();
        for file in files {
            if !queue.contains(&file) {
                queue.push_back(file);
            }
        }
    }

    /// The received files waiting to be merged, in order.
    pub fn incoming(&self) -> Vec<PathBuf> {
        self.incoming_queue().iter().cloned().collect()
    }

    /// Takes `file` (or, with None, the first file) off the waiting list.
    pub fn take_incoming(&self, file: Option<&Path>) -> Option<PathBuf> {
        let mut queue = self.incoming_queue();
        match file {
            None => queue.pop_front(),
            Some(file) => {
                let at = queue.iter().position(|f| f == file)?;
                queue.remove(at)
            }
        }
    }
}

/// Locks the database handle (a panicked writer leaves it usable: SQLite
/// transactions keep the file consistent).
pub fn lock(store: &SharedStore) -> MutexGuard<'_, Option<Store>> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One entry of the recent-files list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RecentFile {
    pub path: String,
    /// False when the file has been moved or deleted since.
    pub exists: bool,
}

/// The recent files, most recent first (an unreadable list is an empty one).
pub fn read_recent(data_dir: &Path) -> Vec<String> {
    std::fs::read(data_dir.join(RECENT_FILE))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<String>>(&bytes).ok())
        .unwrap_or_default()
}

/// Puts `path` first in the recent-files list and saves it (through a
/// temporary file renamed over the list, one writer at a time per process;
/// the temporary name carries the process id, so two apps never share it).
pub fn remember_recent(data_dir: &Path, path: &Path) -> Result<(), CommandError> {
    static WRITING: Mutex<()> = Mutex::new(());
    let _one_at_a_time = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let path = path.to_string_lossy().into_owned();
    let mut list = read_recent(data_dir);
    list.retain(|p| p != &path);
    list.insert(0, path);
    list.truncate(RECENT_MAX);
    let json = serde_json::to_vec_pretty(&list)
        .map_err(|e| CommandError::new(ShellErrorCode::Shell, e.to_string()))?;
    let tmp = data_dir.join(format!("{RECENT_FILE}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, data_dir.join(RECENT_FILE))?;
    Ok(())
}

pub fn recent_files(data_dir: &Path) -> Vec<RecentFile> {
    read_recent(data_dir)
        .into_iter()
        .map(|path| RecentFile {
            exists: Path::new(&path).is_file(),
            path,
        })
        .collect()
}

/// Whether a file named to be opened as the database came from elsewhere (a
/// mail client's temporary folder, a USB stick, a colleague's share): it is
/// not directly in the data folder, where the app keeps the databases it
/// makes (the demo, "Start empty", the received files it adopted), and it is
/// not one of the recent files (opened or made here before, such as a file
/// of File ▸ New saved elsewhere). Such a file is checked like a received
/// file and copied into the data folder before it is opened.
pub fn from_elsewhere(data_dir: &Path, path: &Path) -> bool {
    // A link, dangling or not, is never the data folder's own: it may point
    // anywhere, and change before it is opened.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return true;
    }
    let canonical = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            // A file not there (yet): its folder as the file system names it.
            match (p.parent().map(std::fs::canonicalize), p.file_name()) {
                (Some(Ok(folder)), Some(name)) => folder.join(name),
                _ => p.to_path_buf(),
            }
        })
    };
    let file = canonical(path);
    let in_data_dir = file
        .parent()
        .is_some_and(|parent| parent == canonical(data_dir));
    let recent = read_recent(data_dir)
        .iter()
        .any(|r| canonical(Path::new(r)) == file);
    !(in_data_dir || recent)
}
