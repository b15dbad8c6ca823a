//! Merging a received `.cabildo` file: plan first (nothing written), then apply after
//! a backup, in one transaction, with progress and cancellation. The rules of what is
//! new, updated, tombstoned or in conflict are described in `store::merge`.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::store::backups::BackupInfo;
use crate::store::incoming::{
    copy_incoming_into, fingerprint_file, private_dir, CheckedIncoming, IncomingLimits,
};
use crate::store::merge::LocalState;
use crate::store::{Change, Store};

pub use crate::store::backups::list_backups;
pub use crate::store::merge::{
    ConflictEntry, ConflictPair, KindCounts, MergeCounts, MergeRecord, MergeSide,
};

/// Conflicts listed in a plan; the counts always cover them all.
pub const LISTED_CONFLICTS: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub struct MergeOptions {
    pub limits: IncomingLimits,
    /// Recognise a file already merged by its fingerprint and skip it. On by default;
    /// off only to measure or to force a full re-check.
    pub skip_known_files: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            limits: IncomingLimits::default(),
            skip_known_files: true,
        }
    }
}

/// The received file as the preview describes it.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct IncomingSummary {
    pub file: String,
    pub office_id: String,
    pub office_name: String,
    /// Schema version as received; older ones are upgraded in a private copy.
    pub schema_version: i64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub records: u32,
    /// SHA-256 of the file.
    pub fingerprint: String,
}

/// What merging a file would do, computed before anything is written.
#[derive(Serialize, TS, Debug, Clone)]
pub struct MergePlan {
    pub source: IncomingSummary,
    pub kinds: Vec<KindCounts>,
    pub totals: MergeCounts,
    /// Records the merge would write or log (`totals.changes()`): 0, nothing to do.
    pub changes: u32,
    /// The first `LISTED_CONFLICTS` conflicts, both versions side by side.
    pub conflicts: Vec<ConflictPair>,
    /// When this very file (same fingerprint) was merged before: nothing left to do.
    #[ts(type = "number | null")]
    pub already_merged_at: Option<i64>,
    /// Deleted records the local file never held, among `totals.tombstoned`: kept
    /// deleted (a later copy arrives deleted) without blocking a re-creation here.
    pub unseen_tombstones: u32,
    /// Networks of the seeded catalog the file edits or deletes, counted apart.
    pub catalog_changes: u32,
    /// The checked private copy the plan was computed from; applying the plan merges
    /// exactly what was previewed, even if the original file changes meanwhile.
    #[serde(skip)]
    #[ts(skip)]
    checked: Option<Arc<CheckedIncoming>>,
    /// The local state the counts were computed on.
    #[serde(skip)]
    #[ts(skip)]
    local_state: Option<LocalState>,
}

impl PartialEq for MergePlan {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
            && self.kinds == other.kinds
            && self.totals == other.totals
            && self.conflicts == other.conflicts
            && self.already_merged_at == other.already_merged_at
    }
}

impl MergePlan {
    /// Records the merge would write or log.
    pub fn changes(&self) -> u32 {
        self.totals.changes()
    }
}

/// What a merge did.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct MergeSummary {
    /// The merge history entry; None when there was nothing to write.
    pub merge_id: Option<String>,
    pub source: IncomingSummary,
    pub kinds: Vec<KindCounts>,
    pub totals: MergeCounts,
    pub conflicts_logged: u32,
    /// The copy of the local file taken just before writing.
    pub backup: Option<BackupInfo>,
    pub already_merged: bool,
}

/// True when both paths name the same file (through links and `..`).
pub fn same_path(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Length and modification time: what tells that a file changed.
fn file_stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

fn summary_of(checked: &CheckedIncoming) -> IncomingSummary {
    IncomingSummary {
        file: checked.source.display().to_string(),
        office_id: checked.office_id.clone(),
        office_name: checked.office_name.clone(),
        schema_version: checked.schema_version,
        bytes: checked.bytes,
        records: checked.records() as u32,
        fingerprint: checked.fingerprint.clone(),
    }
}

/// Checks a received file and computes what merging it would do. Writes nothing to
/// the local file (the check works on a private copy).
pub fn plan_merge(store: &Store, incoming: &Path) -> Result<MergePlan> {
    plan_merge_with(store, incoming, &MergeOptions::default())
}

pub fn plan_merge_with(
    store: &Store,
    incoming: &Path,
    options: &MergeOptions,
) -> Result<MergePlan> {
    if let Some(local) = store.path() {
        if same_path(local, incoming) {
            return Err(Error::MergeIntoItself(incoming.display().to_string()));
        }
    }
    // The file is copied and, at the same time, fingerprinted: a file merged before
    // (same bytes) is recognised without being opened, and otherwise the copy is
    // already there.
    let stamp_before = file_stamp(incoming);
    let dir = private_dir(store.path())?;
    let (fingerprinted, copy) = std::thread::scope(|scope| {
        let hashing = options
            .skip_known_files
            .then(|| scope.spawn(|| fingerprint_file(incoming, options.limits.max_bytes)));
        let copy = copy_incoming_into(incoming, &options.limits, &dir);
        let fingerprinted = hashing.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Error::Argument("fingerprint failed".into())))
        });
        (fingerprinted, copy)
    });
    let mut fingerprint_of_copy = None;
    if let Some(fingerprinted) = fingerprinted {
        let (fingerprint, bytes) = fingerprinted?;
        if let Some(previous) = store.merge_with_fingerprint(&fingerprint)? {
            return Ok(MergePlan {
                source: IncomingSummary {
                    file: incoming.display().to_string(),
                    office_id: previous.from_office_id,
                    office_name: previous.from_office_name,
                    schema_version: copy.as_ref().map(|c| c.schema_version).unwrap_or(0),
                    bytes,
                    records: previous.totals.incoming,
                    fingerprint,
                },
                kinds: Vec::new(),
                totals: MergeCounts::default(),
                changes: 0,
                conflicts: Vec::new(),
                already_merged_at: Some(previous.merged_at),
                unseen_tombstones: 0,
                catalog_changes: 0,
                checked: None,
                local_state: None,
            });
        }
        // The fingerprint stands for the copy only if the file did not change while
        // both were read; otherwise the check hashes the copy itself.
        if stamp_before.is_some() && stamp_before == file_stamp(incoming) {
            fingerprint_of_copy = Some(fingerprint);
        }
    }
    let checked = copy?.check(
        &options.limits,
        &super::columns::domain,
        fingerprint_of_copy,
    )?;
    plan_from_checked(store, checked, incoming)
}

/// A received file copied and checked without the local database (see
/// `check_received`), waiting to be planned.
#[derive(Debug)]
pub struct ReceivedFile {
    pub(crate) checked: CheckedIncoming,
}

impl ReceivedFile {
    /// The file as the user named it.
    pub fn source(&self) -> &Path {
        &self.checked.source
    }
}

/// Copies and checks a received file without the local database, so that a front
/// end can do it (the long part of a plan) without holding the store, and cancel it
/// through `options.limits.cancel`. `beside` is the local database's path: the
/// private copy goes in its folder. Plan it with `plan_checked`.
pub fn check_received(
    incoming: &Path,
    beside: Option<&Path>,
    options: &MergeOptions,
) -> Result<ReceivedFile> {
    if let Some(local) = beside {
        if same_path(local, incoming) {
            return Err(Error::MergeIntoItself(incoming.display().to_string()));
        }
    }
    check_received_into(incoming, &private_dir(beside)?, options)
}

/// `check_received` with the private copy in `dir` (a `private_dir`).
pub(crate) fn check_received_into(
    incoming: &Path,
    dir: &Path,
    options: &MergeOptions,
) -> Result<ReceivedFile> {
    let copy = copy_incoming_into(incoming, &options.limits, dir)?;
    let checked = copy.check(&options.limits, &super::columns::domain, None)?;
    Ok(ReceivedFile { checked })
}

/// The plan of a file checked by `check_received`: what `plan_merge` answers.
pub fn plan_checked(store: &Store, received: ReceivedFile) -> Result<MergePlan> {
    let checked = received.checked;
    let incoming = checked.source.clone();
    if let Some(local) = store.path() {
        if same_path(local, &incoming) {
            return Err(Error::MergeIntoItself(incoming.display().to_string()));
        }
    }
    if let Some(previous) = store.merge_with_fingerprint(&checked.fingerprint)? {
        return Ok(MergePlan {
            source: summary_of(&checked),
            kinds: Vec::new(),
            totals: MergeCounts::default(),
            changes: 0,
            conflicts: Vec::new(),
            already_merged_at: Some(previous.merged_at),
            unseen_tombstones: 0,
            catalog_changes: 0,
            checked: None,
            local_state: None,
        });
    }
    plan_from_checked(store, checked, &incoming)
}

fn plan_from_checked(
    store: &Store,
    checked: CheckedIncoming,
    incoming: &Path,
) -> Result<MergePlan> {
    let preview = store.merge_preview(&checked, LISTED_CONFLICTS)?;
    if checked.office_id == store.office().id && preview.same_records {
        return Err(Error::MergeIntoItself(format!(
            "{} holds exactly this file's records",
            incoming.display()
        )));
    }
    let totals = MergeCounts::total_of(&preview.kinds);
    Ok(MergePlan {
        source: summary_of(&checked),
        totals,
        changes: totals.changes(),
        kinds: preview.kinds,
        conflicts: preview.conflicts,
        already_merged_at: None,
        unseen_tombstones: preview.unseen_tombstones,
        catalog_changes: preview.catalog_changes,
        checked: Some(Arc::new(checked)),
        local_state: Some(preview.local_state),
    })
}

/// Applies a plan: backs up the local file, then merges in one transaction.
/// `progress(done, total)` is called as records are merged; returning false cancels
/// and leaves the local file as it was. The counts are recomputed inside the merge,
/// so they hold even if the local file changed since the plan.
pub fn apply_merge(
    store: &mut Store,
    plan: &MergePlan,
    mut progress: impl FnMut(u64, u64) -> bool,
) -> Result<MergeSummary> {
    let Some(checked) = &plan.checked else {
        return Ok(MergeSummary {
            merge_id: None,
            source: plan.source.clone(),
            kinds: plan.kinds.clone(),
            totals: plan.totals,
            conflicts_logged: 0,
            backup: None,
            already_merged: plan.already_merged_at.is_some(),
        });
    };
    let preview = plan.local_state.map(|state| (state, plan.kinds.as_slice()));
    let applied = store.merge_apply(checked, preview, &mut progress)?;
    Ok(MergeSummary {
        merge_id: applied.merge_id,
        source: plan.source.clone(),
        totals: MergeCounts::total_of(&applied.kinds),
        kinds: applied.kinds,
        conflicts_logged: applied.conflicts_logged,
        backup: applied.backup,
        already_merged: false,
    })
}

/// Plans and applies in one call (the command line's `merge`).
pub fn merge_file(
    store: &mut Store,
    incoming: &Path,
    options: &MergeOptions,
    progress: impl FnMut(u64, u64) -> bool,
) -> Result<MergeSummary> {
    let plan = plan_merge_with(store, incoming, options)?;
    apply_merge(store, &plan, progress)
}

/// Every merge into the local file, newest first.
pub fn merge_history(store: &Store) -> Result<Vec<MergeRecord>> {
    store.merge_history()
}

/// The losing versions kept by merges; only unresolved ones unless `all`.
pub fn conflict_log(store: &Store, all: bool) -> Result<Vec<ConflictEntry>> {
    store.conflict_log(all)
}

/// Writes a logged losing version back as a new version of its record (stamped now by
/// this office, so it wins the next merges too), and marks the entry resolved.
pub fn restore_conflict(store: &mut Store, conflict_id: &str) -> Result<Change> {
    let entry = store.conflict_entry(conflict_id)?;
    let serde_json::Value::Object(mut losing) = entry.losing else {
        return Err(Error::Argument("the logged version is not a record".into()));
    };
    let deleted = losing
        .get("deleted")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    store.transaction(|store| {
        // The record's own rules apply to the restored content, as to any edit.
        losing.insert("deleted".into(), serde_json::Value::Bool(false));
        let current = store.get_json(entry.kind, &entry.record_id)?;
        let now_deleted = current
            .get("deleted")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        if now_deleted {
            store.restore(entry.kind, &entry.record_id)?;
        }
        store.save_json(entry.kind, serde_json::Value::Object(losing))?;
        if deleted {
            store.delete(entry.kind, &entry.record_id)?;
        }
        store.resolve_conflict(conflict_id)
    })?;
    Ok(Change {
        kind: entry.kind,
        ids: vec![entry.record_id],
    })
}

/// Marks a logged conflict as reviewed without restoring it.
pub fn dismiss_conflict(store: &mut Store, conflict_id: &str) -> Result<()> {
    store.resolve_conflict(conflict_id)
}

/// Replaces the local database with one of its backups, after backing up the current
/// state. The backup is checked like any received file and must be this office's.
/// Returns the backup taken of the state that was replaced.
pub fn restore_backup(store: &mut Store, backup: &Path) -> Result<Option<BackupInfo>> {
    Ok(restore_backup_report(store, backup)?.safety)
}

/// What a restore replaced.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct RestoreReport {
    /// The backup taken of the state that was replaced.
    pub safety: Option<BackupInfo>,
    /// How much newer the replaced state's latest write was than the backup's
    /// (milliseconds; 0 or less when the backup was not older).
    #[ts(type = "number")]
    pub newer_by_ms: i64,
}

/// `restore_backup`, saying how much newer the replaced file was.
pub fn restore_backup_report(store: &mut Store, backup: &Path) -> Result<RestoreReport> {
    let limits = IncomingLimits::default();
    let dir = private_dir(store.path())?;
    let checked =
        copy_incoming_into(backup, &limits, &dir)?.check(&limits, &super::columns::domain, None)?;
    let newer_by_ms = store.data_stamp()?.saturating_sub(checked.high_stamp);
    let safety = store.restore_checked(&checked)?;
    Ok(RestoreReport {
        safety,
        newer_by_ms,
    })
}

/// The backups of the open database, newest first.
pub fn backups_of(store: &Store) -> Result<Vec<BackupInfo>> {
    match store.path() {
        Some(path) => list_backups(path),
        None => Ok(Vec::new()),
    }
}
