//! The manager dashboard's pure side (issue 7): the view kept in the URL,
//! the cards, chart series and tables built from a [`crate::kpi::Report`],
//! which responses a drill-down lists, and the corrective actions' rules.
//! The manager's screens (`web::manager`) only render these.

pub mod actions;
pub mod cards;
pub mod charts;
#[cfg(test)]
mod dating;
pub mod drill;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fixture;
pub mod query;
pub mod visit_report;

pub use query::{DashboardQuery, PeriodChoice};
