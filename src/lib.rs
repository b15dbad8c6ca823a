//! Cabildo's core: the ledger of a city's memberships in international city networks,
//! what taking part costs, the outcomes that followed, and the return of each network.
//! See DESIGN.md: the core owns every rule and every number; only `store` speaks SQL.

pub mod bindings;
pub mod budget;
pub mod catalog;
pub mod charts;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod explain;
pub mod files;
pub mod format;
pub mod generate;
pub mod grant;
pub mod ids;
pub mod import;
pub mod kinds;
pub mod model;
pub mod money;
pub mod numbers;
pub mod portfolio;
pub mod records;
pub mod roi;
pub mod store;
pub mod text;

pub use error::{Error, ErrorCode, Result};
pub use kinds::RecordKind;
pub use store::{Office, Record, Store};
