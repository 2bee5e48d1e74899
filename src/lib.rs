//! ServiceLens: the pure core (domain, i18n, templates, routes, kpi) builds
//! and tests natively; the browser layers (platform, storage, app) build for
//! wasm32 only.

pub mod dashboard;
pub mod domain;
pub mod formats;
pub mod i18n;
pub mod kiosk;
pub mod kpi;
pub mod routes;
pub mod seal;
pub mod templates;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod respondent;
#[cfg(target_arch = "wasm32")]
pub mod storage;
