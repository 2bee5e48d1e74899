//! Files that leave the app and come back: each names its format and a
//! format version, so a file written by an older build is migrated and one
//! written by a newer build is refused with a message instead of being
//! half-read.

pub mod bundle;
pub mod crc32;
pub mod csv;
pub mod directory;
pub mod import_file;
pub mod link;
pub mod merge;
pub mod pages;
pub mod qr;
pub mod questionnaire_file;
pub mod short_link;
pub mod table;
pub mod xlsx;

#[cfg(test)]
mod test_data;
