//! The CDP "Cities disclosing" CSV import: parse any bytes, and import what parses
//! into an in-memory database. Any outcome but a panic is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;

use cabildo::exchange::cdp;
use cabildo::Store;

fuzz_target!(|data: &[u8]| {
    let Ok(rows) = cdp::parse(data) else {
        return;
    };
    let Ok(mut store) = Store::open_in_memory() else {
        return;
    };
    if let Err(e) = cdp::import_rows(&mut store, &rows, |_, _| true) {
        assert!(!e.code().is_empty());
    }
});
