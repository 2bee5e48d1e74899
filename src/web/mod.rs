//! Everything that needs a browser, built for wasm32 only. `platform`,
//! `storage` and `transport` (HTTP to the team's server, and the one place
//! the app's origin rule is enforced) wrap browser APIs for the rest; `ui`
//! holds the Leptos parts the shell and the manager's module share;
//! `shell`, `manager` and `respondent` are the three front ends, one per
//! wasm binary; `courier` is the fourth binary, with no screen of its own:
//! the sealing and delivery the field devices load on demand.

pub mod courier;
pub mod manager;
pub mod platform;
pub mod respondent;
pub mod shell;
pub mod storage;
pub mod transport;
pub mod ui;
