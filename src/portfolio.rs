//! The project portfolio's shape: which projects belong to it on a date, and how many stand
//! at each stage and in each sector. The Projects screen shows these counts; the portfolio
//! funnel chart draws the same membership rule with capital costs.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::model::{Project, Sector, Stage};
use crate::store::Store;

/// Whether a project is part of the portfolio as it stood on `as_of` (None: today's
/// portfolio, every live project). A project started after that day was not yet in it.
pub fn in_portfolio(project: &Project, as_of: Option<NaiveDate>) -> bool {
    match (as_of, project.start_on) {
        (Some(day), Some(start)) => start <= day,
        _ => true,
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq)]
pub struct StageCount {
    pub stage: Stage,
    #[ts(type = "number")]
    pub projects: i64,
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq)]
pub struct SectorCount {
    pub sector: Sector,
    #[ts(type = "number")]
    pub projects: i64,
}

/// How many projects stand at each stage (in the stages' order, concept to dropped) and in
/// each sector. Stages and sectors without projects are left out.
#[derive(Serialize, Deserialize, TS, Debug, Clone, PartialEq, Eq, Default)]
pub struct PortfolioCounts {
    #[ts(type = "number")]
    pub projects: i64,
    pub by_stage: Vec<StageCount>,
    pub by_sector: Vec<SectorCount>,
}

/// The counts of the given projects that belong to the portfolio on `as_of`.
pub fn counts(projects: &[Project], as_of: Option<NaiveDate>) -> PortfolioCounts {
    let members: Vec<&Project> = projects.iter().filter(|p| in_portfolio(p, as_of)).collect();
    PortfolioCounts {
        projects: members.len() as i64,
        by_stage: tally(&members, Stage::ALL, |p| p.stage)
            .map(|(stage, projects)| StageCount { stage, projects })
            .collect(),
        by_sector: tally(&members, Sector::ALL, |p| p.sector)
            .map(|(sector, projects)| SectorCount { sector, projects })
            .collect(),
    }
}

/// How many projects have each value of `key`, in the order of `values`; zeros left out.
fn tally<'a, K: Copy + PartialEq + 'a>(
    projects: &'a [&Project],
    values: &'a [K],
    key: impl Fn(&Project) -> K + 'a,
) -> impl Iterator<Item = (K, i64)> + 'a {
    values
        .iter()
        .map(move |&value| {
            let n = projects.iter().filter(|p| key(p) == value).count() as i64;
            (value, n)
        })
        .filter(|&(_, n)| n > 0)
}

/// The portfolio the Projects screen lists: every live project of one city (all cities
/// when None), planned ones with a later start included. The funnel chart, which rebuilds
/// the portfolio as it stood at a period's end, leaves those out.
pub fn current(store: &Store, city_id: Option<&str>) -> Result<PortfolioCounts> {
    let projects: Vec<Project> = store.list(city_id)?;
    Ok(counts(&projects, None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meta;

    fn project(sector: Sector, stage: Stage, start_on: Option<&str>) -> Project {
        Project {
            meta: Meta::default(),
            city_id: "c".into(),
            name: "p".into(),
            sector,
            stage,
            capex_minor: None,
            capex_currency: None,
            start_on: start_on.map(|s| s.parse().expect("date")),
            baseline_months: None,
            actual_months: None,
            notes: None,
        }
    }

    #[test]
    fn counts_by_stage_and_sector_in_their_order_leaving_out_empty_ones() {
        let projects = [
            project(Sector::Water, Stage::Bankable, None),
            project(Sector::Mobility, Stage::Concept, Some("2026-01-10")),
            project(Sector::Water, Stage::Concept, Some("2025-05-01")),
            project(Sector::Energy, Stage::Dropped, None),
        ];
        let c = counts(&projects, None);
        assert_eq!(c.projects, 4);
        assert_eq!(
            c.by_stage,
            vec![
                StageCount {
                    stage: Stage::Concept,
                    projects: 2
                },
                StageCount {
                    stage: Stage::Bankable,
                    projects: 1
                },
                StageCount {
                    stage: Stage::Dropped,
                    projects: 1
                },
            ]
        );
        assert_eq!(
            c.by_sector,
            vec![
                SectorCount {
                    sector: Sector::Mobility,
                    projects: 1
                },
                SectorCount {
                    sector: Sector::Water,
                    projects: 2
                },
                SectorCount {
                    sector: Sector::Energy,
                    projects: 1
                },
            ]
        );
    }

    #[test]
    fn a_project_started_after_the_day_is_not_yet_in_the_portfolio() {
        let later = project(Sector::Water, Stage::Concept, Some("2026-06-02"));
        let undated = project(Sector::Water, Stage::Concept, None);
        let day = "2026-06-01".parse().ok();
        assert!(!in_portfolio(&later, day));
        assert!(in_portfolio(&later, "2026-06-02".parse().ok()));
        assert!(in_portfolio(&later, None));
        assert!(in_portfolio(&undated, day));
        assert_eq!(counts(&[later, undated], day).projects, 1);
    }

    #[test]
    fn no_projects_no_counts() {
        assert_eq!(counts(&[], None), PortfolioCounts::default());
    }
}
