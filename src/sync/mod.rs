//! Team sync (issue 19) above the replication protocol: which of our
//! records replicate and as which documents ([`documents`]), and the
//! bridge between records and revisions ([`engine`]: what a record change
//! writes, what a replicated winner makes of a record). The protocol itself
//! is [`crate::replication`]'s; the device's revision store and the screens
//! sit in `web`.

pub mod documents;
pub mod engine;
pub mod join;
pub mod replica;

use serde::{Deserialize, Serialize};

/// Whether this manager's device syncs with the team database (on the
/// team server of the inbox settings). Device-local, like every setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSettings {
    #[serde(default)]
    pub on: bool,
}
