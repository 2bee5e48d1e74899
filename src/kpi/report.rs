//! What [`super::compute_all`] returns: every KPI for the filtered data,
//! broken down by location, employee, questionnaire and time bucket, with
//! sections, weak spots, rankings and the previous period.

use super::audit::{AuditKpis, SectionStat};
use super::ces::Ces;
use super::complaints::Complaints;
use super::csi::Csi;
use super::filter::{BucketInfo, Period};
use super::ink::Ink;
use super::nps::Nps;
use super::ops::OpsKpis;
use super::ranking::Rankings;
use super::stats::Kpi;
use super::weak_spots::{LocationWeakSpots, WeakSpot};

/// Every KPI of PRODUCT.md §3 for one group of responses.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiSet {
    /// Submitted responses of any kind in the group.
    pub responses: u64,
    pub audit: AuditKpis,
    pub nps: Nps,
    /// 0–100%.
    pub csat: Kpi,
    pub csi: Csi,
    pub ces: Ces,
    /// Персонал, Офис, Продукт.
    pub ink: [Ink; 3],
    /// ИЭЛ, −100…100.
    pub loyalty: Kpi,
    pub ops: OpsKpis,
    pub complaints: Complaints,
}

/// The KPIs of one location, employee or questionnaire, named by its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub id: String,
    pub kpis: KpiSet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    pub bucket: BucketInfo,
    pub kpis: KpiSet,
}

/// The same filter over the period of equal length just before.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub period: Period,
    pub kpis: KpiSet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Option<Period>,
    pub overall: KpiSet,
    pub previous: Option<Comparison>,
    /// Groups with at least one response, by id.
    pub by_location: Vec<Breakdown>,
    pub by_employee: Vec<Breakdown>,
    pub by_questionnaire: Vec<Breakdown>,
    /// Every bucket from the first to the last of the period (or of the
    /// data), empty ones included so a chart shows the gaps.
    pub trend: Vec<TrendPoint>,
    pub sections: Vec<SectionStat>,
    pub weak_spots: Vec<WeakSpot>,
    pub weak_spots_by_location: Vec<LocationWeakSpots>,
    pub rankings: Rankings,
}
