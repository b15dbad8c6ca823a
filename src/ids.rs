//! Ids for seeded data (the catalog, the demo, generated files): UUIDv7-shaped and
//! drawn from a fixed seed, so the same input gives the same ids. In their own module
//! so the catalog and the generators need nothing of the store.

use crate::model::Meta;

/// Deterministic UUIDv7-shaped ids from a seed, so two demo files have the same ids.
pub struct IdSource {
    rng: fastrand::Rng,
    millis: u64,
}

impl IdSource {
    pub fn new(seed: u64, millis: u64) -> IdSource {
        IdSource {
            rng: fastrand::Rng::with_seed(seed),
            millis,
        }
    }

    pub fn next_id(&mut self) -> String {
        self.millis += 1;
        let mut random = [0u8; 10];
        self.rng.fill(&mut random);
        uuid::Builder::from_unix_timestamp_millis(self.millis, &random)
            .into_uuid()
            .to_string()
    }

    pub fn meta(&mut self) -> Meta {
        Meta {
            id: self.next_id(),
            ..Meta::default()
        }
    }
}
