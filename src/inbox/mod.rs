//! The sealed inbox's manager side, sans IO: pulling the inbox database's
//! `_changes` feed from a checkpoint ([`pull`]), opening what it lists with
//! the team's keys and checking it as an imported file is checked
//! ([`open`]), and the quarantine of everything that fails ([`quarantine`]).
//! The field device's side, [`seal_submission`], is here too, because the
//! photos' format ([`photos`]) is one decision for both ends.
//!
//! One round, as the manager's screens drive it (the transport is `fetch`
//! in the browser; the tests use a fake inbox):
//!
//! ```text
//! let mut pull = InboxPull::new("/inbox", stored_checkpoint, DEFAULT_BATCH);
//! loop {
//!     let mut batch = pull.read(&send(pull.request())?)?;
//!     let opener = Opener::new(&keys, now).with_stored(&is_stored);
//!     let mut step = opener.batch(&waiting, std::mem::take(&mut batch.docs));
//!     for f in &step.fetches {
//!         let docs = pull.read_fetched(&send(pull.fetch_request(&f.doc_ids))?)?;
//!         step.outcomes.extend(opener.fetched(&mut step.waiting, f, docs));
//!     }
//!     for each Outcome::Opened(o): merge(&snapshot, &o.bundle, receiver), apply the changes,
//!         quarantine_from_report(&report, &o, now), settle quarantine entries of o.doc_ids;
//!     for each Outcome::Quarantined(q): store q.stored();
//!     store records, quarantine, step.waiting and batch.last_seq in one transaction;
//!     pull.confirm(&batch.last_seq); waiting = step.waiting;
//!     if !batch.more() { break }   // then wait_request() for new answers
//! }
//! ```
//!
//! Any error before the transaction leaves the stored checkpoint and
//! waiting state as they were, so the batch is simply read again: every
//! step is idempotent (the merge skips what it stores already).

pub mod open;
pub mod photos;
pub mod pull;
pub mod quarantine;
pub mod settings;
pub mod setup;
pub mod submission;
pub mod take;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use open::{
    Fetch, Opened, Opener, Outcome, Step, Waiting, MAX_EARLY_PARTS, MAX_WAITING_ANSWERS,
    MAX_WAIT_MS,
};
pub use photos::{PhotoPayloadError, PHOTOS_VERSION};
pub use pull::{Batch, InboxPull, PullError, DEFAULT_BATCH};
pub use quarantine::{quarantine_from_report, QuarantineReason, Quarantined, StoredQuarantine};
pub use submission::{seal_submission, Submission, MAX_DELIVERED_PARTS};
pub use take::{take, Taken};
