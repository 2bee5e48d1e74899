//! Everything that needs a browser, built for wasm32 only. `platform` and
//! `storage` wrap browser APIs for the rest; `ui` holds the Leptos parts the
//! shell and the manager's module share; `shell`, `manager` and
//! `respondent` are the three front ends, one per wasm binary.

pub mod manager;
pub mod platform;
pub mod respondent;
pub mod shell;
pub mod storage;
pub mod ui;
