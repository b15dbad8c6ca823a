//! The peers overview: among the cities imported from public data (CDP), how many
//! belong to each network, and how many each pair of networks shares.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::Network;
use crate::store::Store;

/// Which imported cities to look at.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Default)]
pub struct PeersFilter {
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// CDP region, e.g. "Latin America".
    pub region: Option<String>,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct PeerNetwork {
    pub network_id: String,
    pub acronym: String,
    pub name: String,
    /// Imported cities with a membership in this network.
    pub cities: u32,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq)]
pub struct Peers {
    pub filter: PeersFilter,
    /// Imported cities that pass the filter.
    pub cities: u32,
    /// Networks with at least one of those cities, most cities first.
    pub networks: Vec<PeerNetwork>,
    /// `overlap[i][j]`: cities in both `networks[i]` and `networks[j]`; the diagonal
    /// repeats each network's own count.
    pub overlap: Vec<Vec<u32>>,
    /// Every country and region among the imported cities, for the filters.
    pub countries: Vec<String>,
    pub regions: Vec<String>,
}

pub fn peers(store: &Store, filter: &PeersFilter) -> Result<Peers> {
    let (cities, memberships) =
        store.peer_memberships(filter.country.as_deref(), filter.region.as_deref())?;
    let mut members: HashMap<String, HashSet<String>> = HashMap::new();
    for m in memberships {
        members.entry(m.network_id).or_default().insert(m.city_id);
    }
    let catalog: HashMap<String, Network> = store
        .list::<Network>(None)?
        .into_iter()
        .map(|n| (n.meta.id.clone(), n))
        .collect();
    let mut networks: Vec<PeerNetwork> = members
        .iter()
        .filter_map(|(id, cities)| {
            catalog.get(id).map(|n| PeerNetwork {
                network_id: id.clone(),
                acronym: n.acronym.clone(),
                name: n.name.clone(),
                cities: cities.len() as u32,
            })
        })
        .collect();
    networks.sort_by(|a, b| b.cities.cmp(&a.cities).then(a.acronym.cmp(&b.acronym)));
    let empty = HashSet::new();
    let sets: Vec<&HashSet<String>> = networks
        .iter()
        .map(|n| members.get(&n.network_id).unwrap_or(&empty))
        .collect();
    let overlap = sets
        .iter()
        .map(|a| {
            sets.iter()
                .map(|b| a.intersection(b).count() as u32)
                .collect()
        })
        .collect();
    let (countries, regions) = store.peer_places()?;
    Ok(Peers {
        filter: filter.clone(),
        cities: cities.len() as u32,
        networks,
        overlap,
        countries,
        regions,
    })
}
