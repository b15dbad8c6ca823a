//! Opening and planning a received `.cabildo` file: the bytes are written as a file
//! and planned against a small local database. Any outcome but a panic is fine; a
//! refusal must carry an error code.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use cabildo::exchange::merge;
use cabildo::Store;

struct Local {
    dir: tempfile_dir::Dir,
    bytes: Vec<u8>,
}

mod tempfile_dir {
    /// A private folder for the run, removed at exit by the OS's temporary cleaning.
    pub struct Dir(pub std::path::PathBuf);
    impl Dir {
        pub fn new() -> Dir {
            let path = std::env::temp_dir().join(format!("cabildo-fuzz-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&path);
            Dir(path)
        }
    }
}

fn local() -> &'static Local {
    static LOCAL: OnceLock<Local> = OnceLock::new();
    LOCAL.get_or_init(|| {
        let dir = tempfile_dir::Dir::new();
        let path = dir.0.join("local.cabildo");
        let _ = std::fs::remove_file(&path);
        {
            let _store = Store::create(&path, &cabildo::store::NewOffice::default())
                .expect("local database");
        }
        let bytes = std::fs::read(&path).expect("read local");
        Local { dir, bytes }
    })
}

fuzz_target!(|data: &[u8]| {
    let local = local();
    let received = local.dir.0.join("received.cabildo");
    if std::fs::write(&received, data).is_err() {
        return;
    }
    let path = local.dir.0.join("local.cabildo");
    let store = match Store::open_existing(&path) {
        Ok(store) => store,
        Err(e) => panic!("the local file no longer opens: {e}"),
    };
    if let Err(e) = merge::plan_merge(&store, &received) {
        assert!(!e.code().is_empty());
    }
    drop(store);
    // Planning never writes: the local file is as it was.
    assert!(std::fs::read(&path).map(|b| b == local.bytes).unwrap_or(false));
});
