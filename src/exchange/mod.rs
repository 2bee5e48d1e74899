//! Files that leave the app and come back: each names its format and a
//! format version, so a file written by an older build is migrated and one
//! written by a newer build is refused with a message instead of being
//! half-read. The merge decides what of an incoming file the device keeps.

pub mod bundle;
pub mod directory;
pub mod import_file;
pub mod merge;
pub mod questionnaire_file;
pub mod trust;

#[cfg(test)]
pub(crate) mod test_data;
