//! End-to-end tests: two [`MemoryStore`]s replicating through an in-memory
//! fake CouchDB that speaks the same request/response interface.
//!
//! [`MemoryStore`]: super::MemoryStore

mod bad_server;
pub(crate) mod fake_couch;
mod pull_push;
