//! Files you can trust (issue 10), beyond the merge itself: transactions survive a
//! panic, files opened only to read are opened defensively, exports carry no formula
//! and no local path, received paths that are not plain files are refused.

mod common;

use common::city;
use std::path::Path;

use cabildo::exchange::export;
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::format::Lang;
use cabildo::model::*;
use cabildo::store::NewOffice;
use cabildo::{RecordKind, Store};

fn office(n: u8) -> NewOffice {
    NewOffice {
        id: Some(format!("00000000-0000-4000-8000-0000000000{n:02x}")),
        name: format!("Office {n}"),
        ..NewOffice::default()
    }
}

// ---- a panic never leaves a transaction open ------------------------------------------

#[test]
fn a_panic_inside_a_transaction_rolls_it_back_and_later_edits_are_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("panic.cabildo");
    let mut store = Store::create(&path, &office(1)).expect("create");
    let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = store.transaction(|s| {
            s.insert(city("Lost in the panic"))?;
            panic!("a bug in the middle of a transaction");
            #[allow(unreachable_code)]
            Ok(())
        });
    }));
    assert!(unwound.is_err(), "the panic goes on unwinding");
    assert!(!store.in_transaction(), "the transaction was rolled back");
    store
        .insert(city("Saved after the panic"))
        .expect("a later edit");
    drop(store);
    let names: Vec<String> = Store::open_existing(&path)
        .expect("reopen")
        .list::<City>(None)
        .expect("cities")
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, vec!["Saved after the panic".to_string()]);
}

// ---- the command line's read-only open is defensive ----------------------------------

#[test]
fn a_file_opened_only_to_read_with_a_trigger_or_view_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, sql) in [
        (
            "trigger",
            "CREATE TRIGGER spy AFTER UPDATE ON city BEGIN DELETE FROM metric; END;",
        ),
        ("view", "CREATE VIEW everything AS SELECT * FROM city;"),
        ("index", "CREATE INDEX by_name ON city(name);"),
    ] {
        let path = dir.path().join(format!("{name}.cabildo"));
        {
            let mut store = Store::create(&path, &office(2)).expect("create");
            store.insert(city("Aguascalientes")).expect("city");
        }
        rusqlite::Connection::open(&path)
            .expect("open")
            .execute_batch(sql)
            .expect("tamper");
        let before = std::fs::read(&path).expect("read");
        let err = match Store::open_read_only(&path) {
            Ok(_) => panic!("{name}: opened"),
            Err(e) => e,
        };
        assert_eq!(err.code(), "unexpected_schema", "{name}: {err}");
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }
}

#[test]
fn an_untampered_file_opens_read_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plain.cabildo");
    {
        let mut store = Store::create(&path, &office(2)).expect("create");
        store.insert(city("Aguascalientes")).expect("city");
    }
    let store = Store::open_read_only(&path).expect("open");
    assert_eq!(store.list::<City>(None).expect("cities").len(), 1);
}

// ---- exports carry no formula and no local path ----------------------------------------

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let mut store = Store::open_in_memory().expect("store");
    for name in [
        "=HYPERLINK(\"http://x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tTab",
        "\rCR",
        "Plain",
    ] {
        store.insert(city(name)).expect("city");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cities.csv");
    export::write_csv(&store, RecordKind::City, &out, Lang::En).expect("csv");
    let text = std::fs::read_to_string(&out).expect("read");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let at = reader
        .headers()
        .expect("headers")
        .iter()
        .position(|h| h == "City")
        .expect("the name column");
    let names: Vec<String> = reader
        .records()
        .map(|r| r.expect("row")[at].to_string())
        .collect();
    for name in &names {
        if name != "Plain" {
            assert!(name.starts_with('\''), "{name:?} is not neutralised");
        }
    }
    assert!(names.contains(&"'=HYPERLINK(\"http://x\")".to_string()));
    assert!(names.contains(&"Plain".to_string()));
    // Numbers stay numbers: a negative longitude is not text.
    assert!(text.contains(",-103"), "{text}");
}

#[test]
fn an_exported_file_names_merged_files_without_their_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sender = dir.path().join("sender.cabildo");
    let sent = dir.path().join("home-of-someone").join("sent.cabildo");
    std::fs::create_dir_all(sent.parent().expect("parent")).expect("mkdir");
    {
        let mut store = Store::create(&sender, &office(2)).expect("create");
        store.insert(city("Aguascalientes")).expect("city");
        store.export_snapshot(&sent).expect("export");
    }
    let local = dir.path().join("local.cabildo");
    let mut store = Store::create(&local, &office(1)).expect("create");
    merge::merge_file(&mut store, &sent, &MergeOptions::default(), |_, _| true).expect("merge");
    let out = dir.path().join("out.cabildo");
    store.export_snapshot(&out).expect("export");
    let bytes = std::fs::read(&out).expect("read");
    let folder = dir.path().to_string_lossy().into_owned();
    assert!(
        !contains(&bytes, folder.as_bytes()),
        "the export holds the local folder {folder}"
    );
    let history =
        merge::merge_history(&Store::open_read_only(&out).expect("open")).expect("history");
    assert_eq!(history[0].source_file, "sent.cabildo");
    // The local file keeps the full path for its own history.
    assert!(
        Path::new(&merge::merge_history(&store).expect("history")[0].source_file).is_absolute()
    );
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ---- received paths that are not plain files ------------------------------------------

#[cfg(unix)]
#[test]
fn a_fifo_or_a_proc_path_is_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.cabildo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let store = Store::create(&dir.path().join("local.cabildo"), &office(1)).expect("create");
    let (tx, rx) = std::sync::mpsc::channel();
    let fifo_path = fifo.clone();
    let local = dir.path().join("local.cabildo");
    std::thread::spawn(move || {
        let store = Store::open_existing(&local).expect("open");
        let _ = tx.send(merge::plan_merge(&store, &fifo_path).map(|_| ()));
    });
    let answer = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the plan answers instead of waiting for a writer");
    assert_eq!(answer.expect_err("refused").code(), "argument");
    let err = merge::plan_merge(&store, Path::new("/proc/self/status")).expect_err("refused");
    assert_eq!(err.code(), "argument", "{err}");
}

#[cfg(unix)]
#[test]
fn the_private_copy_of_a_received_file_is_in_the_data_folder_for_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let local = dir.path().join("local.cabildo");
    let private = cabildo::store::incoming::private_dir(Some(&local)).expect("dir");
    assert!(private.starts_with(dir.path()), "{}", private.display());
    let mode = std::fs::metadata(&private)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700);
}

// ---- backups ---------------------------------------------------------------------------

#[test]
fn restoring_an_older_backup_says_how_much_newer_the_file_was_and_keeps_it_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("office.cabildo");
    let mut store = Store::create(&path, &office(1)).expect("create");
    store.insert(city("Before")).expect("city");
    let older = store.backup_to_folder().expect("backup").expect("file");
    std::thread::sleep(std::time::Duration::from_millis(20));
    store.insert(city("After")).expect("a later city");
    let report = merge::restore_backup_report(&mut store, Path::new(&older.path)).expect("restore");
    assert!(report.newer_by_ms >= 20, "{report:?}");
    let safety = report.safety.expect("the replaced state is kept");
    let kept = Store::open_read_only(Path::new(&safety.path)).expect("open the copy");
    assert_eq!(kept.list::<City>(None).expect("cities").len(), 2);
    assert_eq!(store.list::<City>(None).expect("cities").len(), 1);
}

#[test]
fn a_backup_is_never_rotated_away_by_the_write_it_protects_and_leftovers_are_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("office.cabildo");
    let store = Store::create(&path, &office(1)).expect("create");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).expect("dir");
    // Backups named in the future (a clock that was ahead): the new one sorts last.
    for n in 0..12 {
        std::fs::copy(
            &path,
            backups.join(format!("office-2099{:02}01-000000.000.cabildo", n + 1)),
        )
        .expect("copy");
    }
    std::fs::write(backups.join("office-x.cabildo.partial"), b"half").expect("partial");
    let taken = store.backup_to_folder().expect("backup").expect("file");
    assert!(Path::new(&taken.path).exists(), "the new backup was kept");
    let listed = cabildo::store::backups::list_backups(&path).expect("list");
    assert!(listed.len() <= cabildo::store::backups::KEEP_BACKUPS + 1);
    drop(store);
    Store::open_existing(&path).expect("open");
    assert!(!backups.join("office-x.cabildo.partial").exists());
}

#[test]
fn a_new_database_is_created_whole_under_its_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new.cabildo");
    // A leftover of a creation interrupted before.
    std::fs::write(cabildo::files::partial_path(&path), b"half a file").expect("leftover");
    let store = Store::create(&path, &office(1)).expect("create");
    assert_eq!(store.office().id, "00000000-0000-4000-8000-000000000001");
    assert!(!cabildo::files::partial_path(&path).exists());
    drop(store);
    let err = match Store::create(&path, &office(2)) {
        Ok(_) => panic!("an existing database is never replaced"),
        Err(e) => e,
    };
    assert_eq!(err.code(), "already_exists");
    assert_eq!(
        Store::open_existing(&path).expect("open").office().id,
        "00000000-0000-4000-8000-000000000001"
    );
}

// ---- checking a received file without the store, and cancelling it ---------------------

#[test]
fn a_received_file_is_checked_without_the_store_then_planned_the_same() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sent = dir.path().join("sent.cabildo");
    cabildo::generate::generate(&sent, 1, 3, "MXN", |_| {}).expect("generate");
    let local = dir.path().join("local.cabildo");
    let store = Store::create(&local, &office(1)).expect("create");
    let received = merge::check_received(&sent, Some(&local), &MergeOptions::default())
        .expect("checked without the store");
    let plan = merge::plan_checked(&store, received).expect("plan");
    assert_eq!(plan, merge::plan_merge(&store, &sent).expect("plan"));
    assert!(plan.totals.new > 1000);
}

#[test]
fn cancelling_the_copy_or_the_check_of_a_received_file_stops_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sent = dir.path().join("sent.cabildo");
    cabildo::generate::generate(&sent, 1, 3, "MXN", |_| {}).expect("generate");
    let local = dir.path().join("local.cabildo");
    let (cancel, handle) = cabildo::store::incoming::CancelFlag::new();
    let mut options = MergeOptions::default();
    options.limits.cancel = cancel;
    // Before the copy.
    handle.store(true, std::sync::atomic::Ordering::Relaxed);
    let err = merge::check_received(&sent, Some(&local), &options).expect_err("cancelled");
    assert_eq!(err.code(), "cancelled");
    // After the copy, inside SQLite's reads.
    handle.store(false, std::sync::atomic::Ordering::Relaxed);
    let private = cabildo::store::incoming::private_dir(Some(&local)).expect("dir");
    let copy = cabildo::store::incoming::copy_incoming_into(&sent, &options.limits, &private)
        .expect("copied");
    handle.store(true, std::sync::atomic::Ordering::Relaxed);
    let err = copy
        .check(&options.limits, &cabildo::exchange::columns::domain, None)
        .expect_err("cancelled");
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(
        std::fs::read_dir(&private).expect("dir").count(),
        0,
        "no private copy is left behind"
    );
}
