//! Fuzzes the backup bundle parser: it must refuse or read any input without
//! panicking, looping or allocating without bound.
//!
//! Run from the repository root, seeded with the malformed-file corpus:
//!
//! ```sh
//! RUSTC_BOOTSTRAP=1 cargo fuzz run bundle fuzz/corpus/bundle tests/malformed \
//!     -- -max_total_time=600 -dict=fuzz/bundle.dict
//! ```
//!
//! cargo-fuzz passes `-Z` flags to rustc (sanitizers), so it needs a nightly
//! compiler or `RUSTC_BOOTSTRAP=1` on stable.

#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use servicelens::exchange::bundle::{document_checksum, parse_bundle};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_bundle(text);
    // Almost every mutation breaks the checksum and stops there; sealing the
    // mutated document again takes the input past it, into the typed checks.
    if let Ok(mut doc) = serde_json::from_str::<Value>(text) {
        let sum = document_checksum(&doc);
        if let (Some(Value::Object(manifest)), Some(sum)) = (doc.get_mut("manifest"), sum) {
            manifest.insert("checksum".into(), Value::String(sum));
            let _ = parse_bundle(&doc.to_string());
        }
    }
});
