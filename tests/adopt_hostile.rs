//! Attacks on opening a received file as the database (a hostile review): a forged
//! catalog row, a dangling catalog reference, forged settings and history, names
//! that clash with the app's own files or the file system's limits.
mod common;

use common::city;
use std::path::{Path, PathBuf};

use cabildo::exchange::adopt::{open_received, AdoptAs};
use cabildo::exchange::merge::MergeOptions;
use cabildo::model::*;
use cabildo::store::NewOffice;
use cabildo::Store;

const ORIGINAL: &str = "00000000-0000-4000-8000-00000000000a";
const CATALOG_OFFICE: &str = "00000000-0000-0000-0000-000000000000";

struct Folders {
    _root: tempfile::TempDir,
    data: PathBuf,
    mail: PathBuf,
}

fn folders() -> Folders {
    let root = tempfile::tempdir().expect("tempdir");
    let data = root.path().join("data");
    let mail = root.path().join("mail-tmp");
    std::fs::create_dir_all(&data).expect("data");
    std::fs::create_dir_all(&mail).expect("mail");
    Folders {
        data,
        mail,
        _root: root,
    }
}

fn sent_file(f: &Folders, name: &str) -> PathBuf {
    let work = f.mail.join("work");
    std::fs::create_dir_all(&work).expect("work");
    let mut store = Store::create(
        &work.join(format!("{}.work", name.len())),
        &NewOffice {
            id: Some(ORIGINAL.into()),
            name: "Oficina".into(),
            ..NewOffice::default()
        },
    )
    .expect("create");
    store.insert(city("Zapopan")).expect("city");
    let sent = f.mail.join(name);
    store.export_snapshot(&sent).expect("export");
    sent
}

fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .expect("tamper");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn adopt(sent: &Path, data: &Path, as_: AdoptAs) -> cabildo::Result<Store> {
    open_received(sent, data, &as_, &MergeOptions::default())
}

/// A seeded catalog row keeps its version (same id, updated_at, updated_by as the
/// seed) but its content breaks the rules. A merge may skip it (the local version
/// wins); adopted, the file's content becomes the database, so it is checked.
#[test]
fn a_forged_catalog_row_in_its_seeded_version_is_checked() {
    let f = folders();
    let sent = sent_file(&f, "forged.cabildo");
    tamper(
        &sent,
        &format!(
            "UPDATE network SET name = '', acronym = '', founded_year = 5000000000
             WHERE id = (SELECT id FROM network WHERE updated_by = '{CATALOG_OFFICE}' ORDER BY rowid LIMIT 1)"
        ),
    );
    let opened = adopt(&sent, &f.data, AdoptAs::SameOffice);
    if let Ok(store) = &opened {
        // What the user now has: the Networks list cannot be read at all.
        let listed = store.list::<Network>(None);
        panic!(
            "adopted a file whose catalog row breaks the rules; list::<Network> = {:?}",
            listed.map(|l| l.len())
        );
    }
}

/// A forged conflict log or merge history (checked only for its schema by a merge,
/// which never keeps them) is refused: adopted, it would break the log for good.
#[test]
fn a_forged_history_is_refused() {
    let f = folders();
    let sent = sent_file(&f, "log.cabildo");
    tamper(
        &sent,
        "INSERT INTO merge_history (id, merged_at, from_office_id, from_office_name, source_file, counts_json)
           VALUES ('h', 1, 'x', 'x', '', 'not json');
         INSERT INTO conflict_log (id, merge_id, kind, record_id, losing_json, winning_json, resolved)
           VALUES ('c', 'h', 'no_such_kind', 'r', 'not json', '{}', 0);",
    );
    let opened = adopt(&sent, &f.data, AdoptAs::SameOffice);
    if let Ok(store) = &opened {
        let log = store.conflict_log(false).map(|l| l.len());
        let history = store.merge_history().map(|l| l.len());
        panic!("adopted; conflict_log = {log:?}, merge_history = {history:?}");
    }
}

/// The office settings of the file pass the rules typed settings pass: a reporting
/// currency and a language `set_office` refuses, an office name of any length
/// (SameOffice) are refused.
#[test]
fn the_files_settings_pass_the_typed_settings_rules() {
    let f = folders();
    let sent = sent_file(&f, "settings.cabildo");
    let long = "N".repeat(5_000);
    tamper(
        &sent,
        &format!(
            "UPDATE settings SET value = '<img src=x onerror=alert(1)>' WHERE key = 'reporting_currency';
             UPDATE settings SET value = 'zz' WHERE key = 'language';
             UPDATE settings SET value = '{long}' WHERE key = 'office_name';"
        ),
    );
    let opened = adopt(&sent, &f.data, AdoptAs::SameOffice);
    eprintln!("settings adopt: {:?}", opened.as_ref().err());
    if let Ok(store) = &opened {
        let o = store.office();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let report = cabildo::roi::compute(
            store,
            &cabildo::roi::RoiQuery::office_default(store, None, today),
        );
        panic!(
            "adopted (default ROI report: {:?}): reporting_currency={:?} language={:?} name chars={}",
            report.err(),
            o.reporting_currency,
            o.language,
            o.name.chars().count()
        );
    }
}

/// Refused after the copy is placed (the file lacks a setting `read_office` needs):
/// nothing may be left in the data folder.
#[test]
fn refusal_after_placing_leaves_nothing() {
    let f = folders();
    let sent = sent_file(&f, "nosetting.cabildo");
    tamper(
        &sent,
        "DELETE FROM settings WHERE key = 'reporting_currency';",
    );
    let opened = adopt(&sent, &f.data, AdoptAs::SameOffice);
    assert!(opened.is_err(), "opened");
    assert!(walk(&f.data).is_empty(), "left: {:?}", walk(&f.data));
}

#[test]
fn name_clash_skips_taken_names_and_leftover_companions() {
    let f = folders();
    let sent = sent_file(&f, "x.cabildo");
    for name in [
        "x.cabildo",
        "x (2).cabildo",
        "x (3).cabildo-wal",
        "x (4).cabildo-journal",
    ] {
        std::fs::write(f.data.join(name), b"keep").expect("write");
    }
    // A dangling symlink under the next name.
    std::os::unix::fs::symlink(f.data.join("nowhere"), f.data.join("x (5).cabildo")).expect("ln");
    let store = adopt(&sent, &f.data, AdoptAs::SameOffice).expect("adopted");
    assert_eq!(store.path().expect("path"), f.data.join("x (6).cabildo"));
    for name in [
        "x.cabildo",
        "x (2).cabildo",
        "x (3).cabildo-wal",
        "x (4).cabildo-journal",
    ] {
        assert_eq!(std::fs::read(f.data.join(name)).expect("read"), b"keep");
    }
    assert!(!f.data.join("nowhere").exists());
}

#[test]
fn new_office_names() {
    let f = folders();
    let sent = sent_file(&f, "n.cabildo");
    for (name, code) in [
        ("", "invalid"),
        ("   \n\t", "invalid"),
        (&*"a".repeat(10_000), "invalid"),
        (&*"é".repeat(201), "invalid"),
    ] {
        let e = adopt(
            &sent,
            &f.data,
            AdoptAs::NewOffice {
                name: name.to_string(),
            },
        )
        .err()
        .expect("refused");
        assert!(e.code().starts_with(code), "{name:?} {}", e.code());
        let left: Vec<_> = walk(&f.data);
        assert!(left.is_empty(), "left {left:?}");
    }
    let store = adopt(
        &sent,
        &f.data,
        AdoptAs::NewOffice {
            name: "<b>Of</b>\u{202e}\u{0}x".into(),
        },
    )
    .expect("markup kept as text");
    assert_ne!(store.office().id, ORIGINAL);
    assert_eq!(store.office().name, "<b>Of</b>\u{202e}\u{0}x");
}

#[test]
fn symlinks_and_the_original_is_not_modified() {
    let f = folders();
    let sent = sent_file(&f, "s.cabildo");
    // The sender's file in WAL mode, with its companions beside it.
    let before = std::fs::read(&sent).expect("read");
    let meta_before = std::fs::metadata(&sent)
        .expect("meta")
        .modified()
        .expect("mtime");
    let link = f.mail.join("link.cabildo");
    std::os::unix::fs::symlink(&sent, &link).expect("ln");
    let store = adopt(&link, &f.data, AdoptAs::SameOffice).expect("adopted");
    assert_eq!(store.path().expect("p"), f.data.join("link.cabildo"));
    assert_eq!(std::fs::read(&sent).expect("read"), before);
    assert_eq!(
        std::fs::metadata(&sent).expect("m").modified().expect("t"),
        meta_before
    );
    assert!(!Path::new(&format!("{}-wal", sent.display())).exists());
    assert!(!Path::new(&format!("{}-journal", sent.display())).exists());
    let dev = f.mail.join("zero.cabildo");
    std::os::unix::fs::symlink("/dev/zero", &dev).expect("ln");
    adopt(&dev, &f.data, AdoptAs::SameOffice)
        .err()
        .expect("device refused");
    let dir = f.mail.join("dir.cabildo");
    std::fs::create_dir(&dir).expect("dir");
    adopt(&dir, &f.data, AdoptAs::SameOffice)
        .err()
        .expect("dir refused");
}

/// A received file with a name too long for the data folder (stem + ".cabildo" + a
/// companion's suffix past 255 bytes) is adopted under a shorter one.
#[test]
fn a_long_file_name_is_shortened() {
    let f = folders();
    let name = format!("{}.db", "a".repeat(250));
    let short = sent_file(&f, "short.db");
    let sent = f.mail.join(&name);
    std::fs::rename(&short, &sent).expect("rename");
    let store = adopt(&sent, &f.data, AdoptAs::SameOffice).expect("adopted under a shorter name");
    let path = store.path().expect("path").to_path_buf();
    let file_name = path.file_name().expect("name").to_string_lossy().len();
    assert!(file_name + "-journal".len() <= 255, "{file_name} bytes");
}

/// A received file named like the app's own files never takes their place, even when
/// they do not exist yet: "Start empty" (cabildo.cabildo) and "Open the demo city"
/// (demo.cabildo) would then open the sender's data.
#[test]
fn a_received_file_never_takes_the_apps_own_names() {
    let f = folders();
    let sent = sent_file(&f, "cabildo.cabildo");
    let store = adopt(
        &sent,
        &f.data,
        AdoptAs::NewOffice {
            name: "Nueva".into(),
        },
    )
    .expect("adopted");
    assert_ne!(
        store.path().expect("p"),
        f.data.join("cabildo.cabildo"),
        "the adopted file took the name of the default database"
    );
}

/// Forged knowledge: claims beyond what the file holds are capped; a claim about the
/// new office itself cannot exist; a claim about the original is replaced.
#[test]
fn forged_known_stamps_are_capped() {
    let f = folders();
    let sent = sent_file(&f, "k.cabildo");
    let other = "00000000-0000-4000-8000-0000000000bb";
    tamper(
        &sent,
        &format!(
            "INSERT INTO settings (key, value) VALUES ('known_stamp:{other}', '1');
             INSERT INTO settings (key, value) VALUES ('known_stamp:{ORIGINAL}', '1');
             UPDATE city SET updated_by = '{other}';"
        ),
    );
    let held: i64 = rusqlite::Connection::open(&sent)
        .unwrap()
        .query_row("SELECT MAX(updated_at) FROM city", [], |r| r.get(0))
        .unwrap();
    let now = held + 10;
    tamper(
        &sent,
        &format!("UPDATE settings SET value = '{now}' WHERE key = 'known_stamp:{other}'"),
    );
    let store = adopt(&sent, &f.data, AdoptAs::SameOffice).expect("adopted");
    let p = store.path().unwrap().to_path_buf();
    drop(store);
    let conn = rusqlite::Connection::open(&p).unwrap();
    let v: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [format!("known_stamp:{other}")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v, held.to_string());
    let own: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [format!("known_stamp:{ORIGINAL}")],
            |r| r.get(0),
        )
        .ok();
    assert_eq!(own, None);
}

/// The references of the file are checked against the file alone: a file that
/// physically removed a catalog network and keeps a membership of it is refused
/// (adopted, the database would hold a dangling foreign key).
#[test]
fn a_reference_to_a_catalog_row_the_file_does_not_hold_is_refused() {
    let f = folders();
    let work = f.mail.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let mut store = Store::create(
        &work.join("fk.work"),
        &NewOffice {
            id: Some(ORIGINAL.into()),
            name: "O".into(),
            ..NewOffice::default()
        },
    )
    .unwrap();
    let c = store.insert(city("Zapopan")).unwrap();
    let networks: Vec<Network> = store.list(None).unwrap();
    let net = networks[0].meta.id.clone();
    let m = store.insert(Membership::new(&c.meta.id, &net)).unwrap();
    let sent = f.mail.join("fk.cabildo");
    store.export_snapshot(&sent).unwrap();
    drop(store);
    tamper(&sent, &format!("DELETE FROM network WHERE id = '{net}';"));
    let opened = adopt(&sent, &f.data, AdoptAs::SameOffice);
    if let Ok(mut store) = opened {
        let fk: Option<String> = rusqlite::Connection::open(store.path().unwrap())
            .unwrap()
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .ok();
        let mut membership: Membership = store.get(&m.meta.id).unwrap();
        membership.focal_point = Some("x".into());
        let edit = store.update(membership).map(|_| ());
        panic!("adopted a membership of a network the file lacks; foreign_key_check: {fk:?}; edit: {edit:?}");
    }
}
