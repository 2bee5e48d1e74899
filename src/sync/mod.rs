//! Team sync (issue 19) above the replication protocol: which of our
//! records replicate and as which documents ([`documents`]). The protocol
//! itself is [`crate::replication`]'s; the device's revision store and the
//! screens sit in `web`.

pub mod documents;
