//! Photo evidence attached to an answer. The picture itself is a Blob in
//! IndexedDB (never base64 on the device); this is what describes it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::timestamp::Timestamp;

/// Longest edge after resizing on the device: sharp enough to read a price
/// tag, small enough that a 40-item audit with photos stays a few MB.
pub const MAX_EDGE: u32 = 1600;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub id: Uuid,
    pub response_id: Uuid,
    pub question_id: String,
    pub mime: String,
    pub width: u32,
    pub height: u32,
    /// Size of the stored (resized) picture.
    pub bytes: u64,
    pub taken_at: Timestamp,
}

/// The size that fits `max_edge` keeping the aspect ratio; pictures already
/// small enough keep their size (never upscaled).
pub fn fit_within(width: u32, height: u32, max_edge: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= max_edge || longest == 0 {
        return (width, height);
    }
    let scale = f64::from(max_edge) / f64::from(longest);
    let w = (f64::from(width) * scale).round().max(1.0) as u32;
    let h = (f64::from(height) * scale).round().max(1.0) as u32;
    (w.min(max_edge), h.min(max_edge))
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn large_pictures_shrink_to_the_longest_edge() {
        assert_eq!(fit_within(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit_within(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit_within(1600, 900, 1600), (1600, 900));
        assert_eq!(fit_within(800, 600, 1600), (800, 600));
        assert_eq!(fit_within(10_000, 1, 1600), (1600, 1));
        assert_eq!(fit_within(0, 0, 1600), (0, 0));
    }

    proptest! {
        #[test]
        fn result_fits_and_keeps_the_shape(w in 1u32..20_000, h in 1u32..20_000) {
            let (fw, fh) = fit_within(w, h, MAX_EDGE);
            prop_assert!(fw.max(fh) <= MAX_EDGE.max(w.max(h).min(MAX_EDGE)));
            prop_assert!(fw >= 1 && fh >= 1 && fw <= w && fh <= h);
            if w.max(h) > MAX_EDGE {
                prop_assert_eq!(fw.max(fh), MAX_EDGE);
                let before = f64::from(w) / f64::from(h);
                let after = f64::from(fw) / f64::from(fh);
                // Rounding to whole pixels (and at least one) moves the short
                // side by at most a pixel, relative to the smaller of its
                // exact and rounded length (a 1×3201 picture's short side is
                // half a pixel exactly, one after).
                let exact = f64::from(w.min(h)) * f64::from(MAX_EDGE) / f64::from(w.max(h));
                let short = f64::from(fw.min(fh)).min(exact);
                prop_assert!((before - after).abs() <= before / short + 1e-9);
            }
        }
    }
}
