//! Team sync through the CouchDB replication protocol (issue 19), as a pure
//! core with no I/O: it describes HTTP requests and reads parsed answers,
//! so the browser's `fetch` and a native test transport drive the same code.
//!
//! - [`rev`], [`rev_tree`]: revisions and PouchDB's revision-tree merge,
//!   stemming and winner;
//! - [`checkpoint`]: replication ids, replication logs, where to resume;
//! - [`doc`]: one revision as it travels, checked field by field;
//! - [`http`], [`wire`]: requests and reading the server's answers;
//! - [`batch`]: the replication state machine;
//! - [`store`], [`memory_store`]: what the device database must offer, and
//!   the in-memory reference;
//! - [`error`]: why a replication stopped, in Russian and English.

pub mod batch;
pub mod checkpoint;
pub mod doc;
pub mod error;
pub mod http;
pub mod memory_store;
pub mod rev;
pub mod rev_tree;
pub mod store;
pub mod wire;

pub use batch::{run_local, Config, Direction, LocalTask, LocalValue, Replicator, Step, Summary};
pub use error::ReplicationError;
pub use memory_store::MemoryStore;
pub use store::LocalStore;

#[cfg(test)]
pub(crate) mod tests;
