//! The queries behind the council charts that the ROI report does not already carry:
//! meetings by ask and result.

use chrono::NaiveDate;
use rusqlite::params;

use crate::error::Result;
use crate::model::{Ask, MeetingResult};
use crate::store::roi::enum_col;
use crate::store::Store;

/// Meetings of one membership in the period with one ask and one result.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingTally {
    pub membership_id: String,
    pub ask: Ask,
    pub result: MeetingResult,
    pub meetings: i64,
}

impl Store {
    /// Meetings that started in the period, counted per membership, ask and result; the
    /// same selection as the ROI report's `meetings_held`.
    pub fn chart_meeting_tallies(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        city_id: Option<&str>,
    ) -> Result<Vec<MeetingTally>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT e.membership_id, e.ask, e.result, COUNT(*)
             FROM meeting e JOIN membership m ON m.id = e.membership_id
             WHERE e.deleted = 0 AND e.start_on >= ?1 AND e.start_on <= ?2 AND (?3 IS NULL OR m.city_id = ?3)
             GROUP BY e.membership_id, e.ask, e.result",
        )?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string(), city_id], |r| {
            Ok(MeetingTally {
                membership_id: r.get(0)?,
                ask: enum_col(r, 1)?.unwrap_or(Ask::None),
                result: enum_col(r, 2)?.unwrap_or(MeetingResult::Pending),
                meetings: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
