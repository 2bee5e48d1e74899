//! Size limits. The streaming scan (`scan`) applies them before anything is
//! typed: a hostile file is refused for its size without building records
//! from it, and a phone is never asked to hold a million-item list it can
//! only fail on later.

use super::error::{BundleError, Limit};
use super::RecordKind;

/// A file the browser could still read as one string.
pub const MAX_FILE_BYTES: usize = 1 << 30;
pub const MAX_TEXT_CHARS: usize = 10_000;
pub const MAX_ID_CHARS: usize = 100;
pub const MAX_PHOTO_BYTES: u64 = 50 * 1024 * 1024;
/// Items in any list or map inside a record: sections, questions, options,
/// answers, chosen options, employees of a response, settings' values.
pub const MAX_ITEMS: usize = 10_000;
/// Objects inside objects. Records need six or so, nested conditions a few
/// more; each level copies what it holds once while its keys are sorted,
/// so this also bounds the scan's work on a hostile file.
pub const MAX_DEPTH: usize = 32;

/// Most records of a kind one bundle may hold.
pub fn max_count(kind: RecordKind) -> u64 {
    match kind {
        RecordKind::Response | RecordKind::Action => 2_000_000,
        RecordKind::Questionnaire => 10_000,
        RecordKind::Location | RecordKind::Employee => 100_000,
        RecordKind::Photo => 200_000,
        RecordKind::Setting => 1_000,
    }
}

pub(super) fn too_large(what: Limit, found: usize, max: u64, at: String) -> BundleError {
    BundleError::TooLarge {
        what,
        found: found as u64,
        max,
        at,
    }
}

pub(super) fn text_fits(s: &str, max: usize) -> bool {
    // A byte count within the limit is a char count within it too.
    s.len() <= max || s.chars().count() <= max
}
