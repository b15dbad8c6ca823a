//! Opening a file that came from elsewhere as the database (issue 10, point 5): the
//! checks of a merge, a copy in the data folder, and the office identity the user
//! chooses (the same office moving computers, or a new office with an identity of
//! its own, whose later merges with the original behave).

mod common;

use common::city;
use std::path::{Path, PathBuf};

use cabildo::exchange::adopt::{open_received, AdoptAs};
use cabildo::exchange::merge::{self, MergeOptions};
use cabildo::model::*;
use cabildo::store::NewOffice;
use cabildo::Store;

const ORIGINAL: &str = "00000000-0000-4000-8000-00000000000a";
const THIRD: &str = "00000000-0000-4000-8000-00000000000c";

/// A data folder and, apart from it, the mail client's temporary folder.
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

/// The original office's working database (kept open by the caller) and the file it
/// sent, `name` in `mail`: a city with a membership.
fn original(dir: &Path, mail: &Path, name: &str) -> (Store, PathBuf, String, String) {
    let mut store = Store::create(
        &dir.join(format!("{name}.work")),
        &NewOffice {
            id: Some(ORIGINAL.into()),
            name: "Oficina de Zapopan".into(),
            ..NewOffice::default()
        },
    )
    .expect("create");
    let c = store.insert(city("Zapopan")).expect("city");
    let networks: Vec<Network> = store.list(None).expect("networks");
    let m = store
        .insert(Membership::new(&c.meta.id, &networks[0].meta.id))
        .expect("membership");
    let sent = mail.join(name);
    store.export_snapshot(&sent).expect("export");
    (store, sent, c.meta.id, m.meta.id)
}

fn tamper(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .expect("tamper");
}

/// The names in a folder, hidden ones included, and those in its subfolders.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walk(dir) {
        out.push(
            entry
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string(),
        );
    }
    out.sort();
    out
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

fn refusal(opened: cabildo::Result<Store>) -> cabildo::Error {
    match opened {
        Ok(store) => panic!("opened {:?}", store.path()),
        Err(e) => e,
    }
}

fn setting(path: &Path, key: &str) -> Option<String> {
    use rusqlite::OptionalExtension;
    rusqlite::Connection::open(path)
        .expect("open")
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()
        .expect("query")
}

#[test]
fn a_file_that_fails_a_check_of_a_merge_is_refused_with_its_error_and_nothing_is_copied() {
    let f = folders();
    let (mut local, _, _, _) = original(&f.data, &f.mail, "unused.cabildo");
    let before_data = listing(&f.data);
    let mut cases: Vec<(PathBuf, &str)> = Vec::new();

    // A row that breaks a rule of its kind (a merge names it: `record_rules`).
    let (_, bad_rule, _, _) = original(&f.mail, &f.mail, "bad-rule.cabildo");
    tamper(&bad_rule, "UPDATE city SET population_year = 2147483648;");
    cases.push((bad_rule, "record_rules"));
    // A reference to a record in neither file.
    let (_, dangling, _, _) = original(&f.mail, &f.mail, "dangling.cabildo");
    tamper(&dangling, "UPDATE membership SET city_id = 'nowhere';");
    cases.push((dangling, "record_rules"));
    // A structure that is not Cabildo's (a trigger).
    let (_, trigger, _, _) = original(&f.mail, &f.mail, "trigger.cabildo");
    tamper(
        &trigger,
        "CREATE TRIGGER t AFTER INSERT ON city BEGIN DELETE FROM city; END;",
    );
    cases.push((trigger, "unexpected_schema"));
    // Not a database at all.
    let text = f.mail.join("notes.cabildo");
    std::fs::write(&text, b"just some text").expect("write");
    cases.push((text, "not_cabildo"));

    for (file, code) in &cases {
        let sent = std::fs::read(file).expect("read");
        let err = refusal(open_received(
            file,
            &f.data,
            &AdoptAs::SameOffice,
            &MergeOptions::default(),
        ));
        assert_eq!(err.code(), *code, "{}: {err}", file.display());
        // The same refusal a merge of the file gives.
        let merged = merge::plan_merge(&local, file).expect_err("merge refused too");
        assert_eq!(merged.code(), *code);
        assert_eq!(
            std::fs::read(file).expect("read"),
            sent,
            "sender's file changed"
        );
        // A new office changes nothing either.
        let err = refusal(open_received(
            file,
            &f.data,
            &AdoptAs::NewOffice {
                name: "Nueva".into(),
            },
            &MergeOptions::default(),
        ));
        assert_eq!(err.code(), *code);
    }
    assert_eq!(
        listing(&f.data),
        before_data,
        "nothing left in the data folder, private copies included"
    );
    // The open database was never involved.
    assert_eq!(local.list::<City>(None).expect("cities").len(), 1);
    local.insert(city("Guadalajara")).expect("still writable");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking_and_nothing_is_copied() {
    let f = folders();
    let fifo = f.mail.join("pipe.cabildo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let data = f.data.clone();
    std::thread::spawn(move || {
        let opened = open_received(&fifo, &data, &AdoptAs::SameOffice, &MergeOptions::default());
        let _ = tx.send(opened.map(|_| ()));
    });
    let answer = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("answers instead of waiting for a writer");
    assert_eq!(answer.expect_err("refused").code(), "argument");
    assert!(walk(&f.data).is_empty(), "{:?}", listing(&f.data));
}

#[test]
fn a_good_file_is_copied_into_the_data_folder_and_the_copy_is_opened() {
    let f = folders();
    let work = f.mail.join("work");
    std::fs::create_dir_all(&work).expect("work");
    let (_original, sent, city_id, membership_id) = original(&work, &f.mail, "Zapopan.cabildo");
    let bytes = std::fs::read(&sent).expect("read");

    let store = open_received(
        &sent,
        &f.data,
        &AdoptAs::SameOffice,
        &MergeOptions::default(),
    )
    .expect("adopted");
    let path = store.path().expect("a file").to_path_buf();
    assert_eq!(path, f.data.join("Zapopan.cabildo"));
    assert_eq!(store.get::<City>(&city_id).expect("city").name, "Zapopan");
    store.get::<Membership>(&membership_id).expect("membership");
    assert_eq!(
        std::fs::read(&sent).expect("read"),
        bytes,
        "sender's file unchanged"
    );
    drop(store);

    // The mail client empties its folder: the database lives on.
    std::fs::remove_file(&sent).expect("remove");
    let mut reopened = Store::open_existing(&path).expect("reopen");
    reopened.insert(city("Tlaquepaque")).expect("writable");
    drop(reopened);
    // Backups go beside it, in the data folder.
    let reopened = Store::open_existing(&path).expect("reopen");
    let backup = reopened.backup_to_folder().expect("backup").expect("taken");
    assert!(
        Path::new(&backup.path).starts_with(&f.data),
        "{}",
        backup.path
    );
    drop(reopened);

    // The same name again takes another name: nothing is written over.
    std::fs::write(&sent, &bytes).expect("again");
    let second = open_received(
        &sent,
        &f.data,
        &AdoptAs::SameOffice,
        &MergeOptions::default(),
    )
    .expect("adopted again");
    assert_eq!(
        second.path().expect("a file"),
        f.data.join("Zapopan (2).cabildo")
    );
    assert_eq!(
        Store::open_read_only(&path)
            .expect("first")
            .list::<City>(None)
            .expect("cities")
            .len(),
        2,
        "the first copy keeps its own edits"
    );
    // No private copy is left behind.
    let private = f.data.join(".cabildo-incoming");
    assert!(walk(&private).is_empty(), "{:?}", listing(&private));
}

#[test]
fn the_same_office_moving_computers_keeps_its_identity_and_only_the_knowledge_it_proves() {
    let f = folders();
    let (_original, sent, _, _) = original(&f.data.join(".."), &f.mail, "mine.cabildo");
    // The file says it knows a third office's writes it does not hold, and claims
    // more of the catalog's than it holds.
    tamper(
        &sent,
        &format!(
            "INSERT INTO settings (key, value) VALUES ('known_stamp:{THIRD}', '1000');
             INSERT INTO settings (key, value) VALUES ('known_stamp:{catalog}', '{far}');",
            catalog = cabildo::catalog::CATALOG_OFFICE,
            far = cabildo::store::now_ms()
        ),
    );
    let store = open_received(
        &sent,
        &f.data,
        &AdoptAs::SameOffice,
        &MergeOptions::default(),
    )
    .expect("adopted");
    assert_eq!(store.office().id, ORIGINAL);
    assert_eq!(store.office().name, "Oficina de Zapopan");
    let path = store.path().expect("path").to_path_buf();
    drop(store);
    assert_eq!(setting(&path, &format!("known_stamp:{THIRD}")), None);
    let catalog_newest: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row(
            "SELECT MAX(updated_at) FROM network WHERE updated_by = ?1",
            [cabildo::catalog::CATALOG_OFFICE],
            |r| r.get(0),
        )
        .expect("catalog");
    assert_eq!(
        setting(
            &path,
            &format!("known_stamp:{}", cabildo::catalog::CATALOG_OFFICE)
        ),
        Some(catalog_newest.to_string()),
        "a claim is kept no further than what the file holds"
    );
    assert_eq!(setting(&path, &format!("known_stamp:{ORIGINAL}")), None);
}

#[test]
fn a_new_office_gets_its_own_identity_and_later_merges_with_the_original_behave() {
    let f = folders();
    let (mut original, sent, city_id, membership_id) =
        original(&f.data.join(".."), &f.mail, "zapopan.cabildo");

    // A name is required; nothing is copied without one.
    let err = refusal(open_received(
        &sent,
        &f.data,
        &AdoptAs::NewOffice { name: "  ".into() },
        &MergeOptions::default(),
    ));
    assert_eq!(err.code(), "invalid.required");
    assert_eq!(err.field_and_detail().0, Some("name"));
    assert!(walk(&f.data).is_empty(), "{:?}", listing(&f.data));

    let mut new = open_received(
        &sent,
        &f.data,
        &AdoptAs::NewOffice {
            name: "Oficina de Tonalá".into(),
        },
        &MergeOptions::default(),
    )
    .expect("adopted");
    assert_ne!(new.office().id, ORIGINAL, "offices never share an identity");
    assert_eq!(new.office().name, "Oficina de Tonalá");
    let new_path = new.path().expect("path").to_path_buf();
    assert_eq!(
        Store::open_read_only(&new_path)
            .expect("reopen")
            .office()
            .id,
        new.office().id,
        "the identity is the file's"
    );
    // The records keep their writer: the original office wrote them.
    let c: City = new.get(&city_id).expect("city");
    assert_eq!(c.meta.updated_by, ORIGINAL);

    // Each office edits a different record afterwards.
    let mut m: Membership = new.get(&membership_id).expect("membership");
    m.notes = Some("Seguimiento de Tonalá".into());
    new.update(m).expect("new office edits the membership");
    let mut c: City = original.get(&city_id).expect("city");
    c.name = "Zapopan, Jalisco".into();
    original.update(c).expect("original edits the city");

    // The original's later file, merged by the new office: its edit is an update,
    // the new office's own edit stays, and nothing is a conflict.
    let from_original = f.mail.join("from-original.cabildo");
    original.export_snapshot(&from_original).expect("export");
    let plan = merge::plan_merge(&new, &from_original).expect("plan");
    assert_eq!(plan.totals.conflicts, 0, "{:?}", plan.kinds);
    assert_eq!(plan.totals.updated, 1, "{:?}", plan.kinds);
    assert_eq!(plan.totals.new, 0);
    merge::apply_merge(&mut new, &plan, |_, _| true).expect("merge");
    assert_eq!(
        new.get::<City>(&city_id).expect("city").name,
        "Zapopan, Jalisco"
    );
    assert_eq!(
        new.get::<Membership>(&membership_id)
            .expect("membership")
            .notes
            .as_deref(),
        Some("Seguimiento de Tonalá")
    );

    // The new office's file, merged by the original: its edit is an update, and the
    // original's own edit stays.
    let from_new = f.mail.join("from-new.cabildo");
    new.export_snapshot(&from_new).expect("export");
    let plan = merge::plan_merge(&original, &from_new).expect("plan");
    assert_eq!(plan.source.office_id, new.office().id);
    assert_eq!(plan.totals.conflicts, 0, "{:?}", plan.kinds);
    assert_eq!(plan.totals.updated, 1, "{:?}", plan.kinds);
    merge::apply_merge(&mut original, &plan, |_, _| true).expect("merge");
    assert_eq!(
        original
            .get::<Membership>(&membership_id)
            .expect("membership")
            .notes
            .as_deref(),
        Some("Seguimiento de Tonalá")
    );
    assert_eq!(
        original.get::<City>(&city_id).expect("city").name,
        "Zapopan, Jalisco"
    );
    // They have converged: each other's files hold nothing more to do.
    original.export_snapshot(&from_original).expect("export");
    let again = merge::plan_merge(&new, &from_original).expect("plan");
    assert_eq!(again.changes, 0, "{:?}", again.kinds);
}
