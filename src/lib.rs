//! ServiceLens: the pure core (domain, i18n, templates, routes) builds and
//! tests natively; the browser layers (storage, UI) build for wasm32 only.

pub mod domain;
pub mod i18n;
pub mod kpi;
pub mod routes;
pub mod templates;
