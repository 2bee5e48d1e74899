//! Team sync through the CouchDB replication protocol (issue 19), as a pure
//! core with no I/O.

pub mod rev;
pub mod rev_tree;
