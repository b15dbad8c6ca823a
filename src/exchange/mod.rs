//! Sharing between offices (issue 5): merging received `.cabildo` files, exporting to
//! Excel and CSV, importing CDP's public "Cities disclosing" data, and the peers
//! overview built on it. The rules live here; the SQL lives in `store`.

pub mod adopt;
pub mod cdp;
pub mod columns;
pub mod countries;
pub mod export;
pub mod merge;
pub mod peers;
