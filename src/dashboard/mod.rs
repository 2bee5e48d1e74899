//! The manager dashboard's pure side (issue 7): the view kept in the URL,
//! the cards, chart series and tables built from a [`crate::kpi::Report`],
//! and which responses a drill-down lists. The page in `app/pages/` only
//! renders these.

pub mod query;

pub use query::{DashboardQuery, PeriodChoice};
pub mod cards;
pub mod charts;
pub mod drill;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fixture;
