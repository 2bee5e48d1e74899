//! Field devices deliver on their own (issue 18): a customer's phone, a
//! kiosk or a shopper's phone sends each submitted answer, sealed
//! ([`crate::seal`]), to the team's inbox on its CouchDB-protocol server.
//! A pure core like [`crate::replication`]'s: it describes requests and
//! reads answers, and the browser's `fetch` (`web::transport`) makes them.
//!
//! - [`server`]: the team's server as configured on a device, and
//!   [`server::Allowed`], the one rule for which origins the app may
//!   contact;
//! - [`no_answer`]: why a request got no answer, as far as a browser
//!   tells;
//! - [`target`]: the server and key a link names for its answers;
//! - [`outbox`]: one answer's delivery as a state machine, with back-off,
//!   idempotent retries and what to tell the customer;
//! - [`queue`]: the outbox record (a delivery and its server) and the one
//!   loop every field device runs over it.

pub mod no_answer;
pub mod outbox;
pub mod queue;
pub mod server;
pub mod target;

pub use no_answer::NoAnswer;
pub use outbox::{
    next_delay_ms, read_status_note, status_note, Delivery, DocsError, Problem, Put, Refusal,
    Status,
};
pub use queue::{
    deliver_record, glance, next_wake_ms, not_queued, waits, Courier, OutboxRecord, QueueError,
};
pub use server::{Allowed, Database, Origin, Scheme, ServerConfig, ServerError};
pub use target::{InboxTarget, LinkTarget};
