//! KPI engine (issue 4): every metric of PRODUCT.md §3 computed on the device.
//!
//! Build a [`Dataset`] once from the questionnaires and responses (or stream
//! them through a [`DatasetBuilder`]), then call [`compute_all`] with a
//! [`Filter`] for each dashboard view. Which question feeds which KPI is
//! stated by each question's `metric` role
//! ([`crate::domain::questionnaire::MetricRole`]); results group across
//! questionnaire versions by stable question and section ids.

mod aggregate;
pub mod audit;
pub mod ces;
#[cfg(any(test, feature = "bench-data"))]
pub mod columns;
pub mod complaints;
pub mod csat;
pub mod csi;
pub mod dataset;
pub mod definitions;
pub mod filter;
pub mod ink;
pub mod loyalty;
pub mod nps;
pub mod ops;
pub mod ranking;
pub mod report;
pub mod stats;
#[cfg(any(test, feature = "bench-data"))]
pub mod synthetic;
pub mod weak_spots;

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use aggregate::{compute_all, first_sources};
pub use audit::{AuditKpis, SectionStat};
pub use dataset::{Dataset, DatasetBuilder, IngestStats};
pub use definitions::{definition, Definition, KpiId, DEFINITIONS};
pub use filter::{Bucket, BucketInfo, Filter, Period};
pub use report::{Breakdown, Comparison, KpiSet, Report, TrendPoint};
pub use stats::{Interval, Kpi};
