//! ServiceLens. Two layers and three front ends:
//!
//! - the pure core (every module here but `web`): the domain, KPIs, the
//!   dashboard's rules, file and link formats, exports; plain Rust that
//!   builds for any target and is tested natively;
//! - `web` (wasm32 only): the browser around it — platform, storage, the
//!   shared Leptos parts, and the three front ends: the shell
//!   (`index.html`, `src/bin/shell.rs`), the manager's module
//!   (`manager.html`, `src/bin/manager.rs`) and the respondent's page
//!   (`respond.html`, `src/bin/respond.rs`).
//!
//! `tests/layers.rs` checks which layer may import which.

pub mod dashboard;
pub mod delivery;
pub mod distribution;
pub mod domain;
pub mod exchange;
pub mod export;
pub mod first_run;
pub mod i18n;
pub mod inbox;
pub mod kiosk;
pub mod kpi;
pub mod link;
pub mod menu;
pub mod replication;
pub mod response_pages;
pub mod routes;
pub mod schema;
pub mod seal;
pub mod sync;
pub mod templates;
pub mod uri;

#[cfg(target_arch = "wasm32")]
pub mod web;
