//! Opening a file that came from elsewhere as the database (issue 10, point 5):
//! Welcome ▸ "Use it as my database", File ▸ Open of a file outside the data
//! folder, `cabildo-app --open FILE`. Such a file is untrusted input like any
//! received file, and the mail client that holds it empties its temporary folder
//! on exit. So it gets exactly the checks of a merge (`check_received`: a plain
//! file, size, header, exact schema, `integrity_check`, values, clock; then every
//! row by its kind's rules, on a scratch database, as a merge plan does), and its
//! checked private copy, not the sender's file, becomes a database of its own in
//! the data folder, with the backups beside it. See `store::adopt` for the office
//! identity of the copy.
//!
//! A file that fails a check is refused with the same error as a merge, and
//! nothing is left in the data folder. The work needs no open database and holds
//! none of its locks; it can be cancelled through `options.limits.cancel`.

use std::path::Path;

use super::merge::{check_received_into, MergeOptions};
use crate::error::Result;
use crate::store::adopt::adopt_checked;
use crate::store::incoming::private_dir_in;
use crate::store::Store;

pub use crate::store::adopt::AdoptAs;

/// Checks `incoming` as a merge would, copies it into `data_dir` under a name no
/// file there has, gives it the identity `adopt_as` says, and opens the copy.
pub fn open_received(
    incoming: &Path,
    data_dir: &Path,
    adopt_as: &AdoptAs,
    options: &MergeOptions,
) -> Result<Store> {
    std::fs::create_dir_all(data_dir)?;
    let received = check_received_into(incoming, &private_dir_in(data_dir)?, options)?;
    // The rules of each kind, as the plan of a merge checks them, over every row: the
    // file becomes the database, so even a catalog row in its seeded version is
    // checked, and a reference must name a record of the file itself.
    let scratch = Store::open_in_memory_without_catalog()?;
    scratch.check_received_rules(&received.checked)?;
    drop(scratch);
    options.limits.cancel.check()?;
    adopt_checked(received.checked, data_dir, adopt_as)
}
