//! Files the app writes for people (exports, backups, charts): whole or not at all.
//! And the names of the app's own databases in the data folder.

use std::path::{Path, PathBuf};

use crate::error::Result;

/// The database of the data folder that "Start empty" creates and opens.
pub const DEFAULT_DATABASE: &str = "cabildo.cabildo";
/// The demo city's database in the data folder.
pub const DEMO_DATABASE: &str = "demo.cabildo";

/// The sibling `<name>.partial` a file is written under before it takes its name.
pub fn partial_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

/// Writes `out` through `write`, which fills a sibling temporary file that is then
/// renamed over `out`. A failed write (a full disk, a cancelled export) leaves `out` as
/// it was and no temporary file behind.
pub fn write_via_partial(out: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let partial = partial_path(out);
    // A leftover of a crashed write: VACUUM INTO refuses to write over a file.
    let _ = std::fs::remove_file(&partial);
    let result = write(&partial).and_then(|()| Ok(std::fs::rename(&partial, out)?));
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn a_complete_write_takes_the_name_and_a_failed_one_leaves_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("report.csv");
        std::fs::write(&out, "before").expect("write");
        let failed = write_via_partial(&out, |p| {
            std::fs::write(p, "half")?;
            Err(Error::Cancelled)
        });
        assert!(matches!(failed, Err(Error::Cancelled)));
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "before");
        assert!(!partial_path(&out).exists());

        write_via_partial(&out, |p| Ok(std::fs::write(p, "after")?)).expect("write");
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "after");
        assert!(!partial_path(&out).exists());
    }
}
