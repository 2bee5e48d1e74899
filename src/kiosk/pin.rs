//! The manager's PIN that guards a kiosk tablet's way back to the manager's
//! screens. Only a salted, slow hash is stored (in the settings store), so
//! reading the device's storage does not show the PIN.
//!
//! PBKDF2-HMAC-SHA-256 from the RustCrypto `pbkdf2` crate: maintained,
//! pure Rust, small in wasm, and it reuses the `sha2` the backup checksum
//! already brings (argon2 is stronger against GPUs but adds its own code and
//! a memory cost that a cheap tablet pays on every unlock). A short PIN
//! has little entropy whatever the hash; the salt and the iteration count
//! make every guess cost a full derivation and stop precomputed tables, and
//! [`Attempts`] slows guessing at the tablet itself. New PINs have at least
//! six digits; PINs set by earlier builds (four or more) still unlock. The
//! parameters are stored with the hash, within fixed bounds both ways: a
//! record weakened to a few iterations matches nothing, and one raised to
//! millions (which would freeze the tablet on every try) matches nothing
//! either.

use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The settings key the hash is stored under.
pub const SETTING_KEY: &str = "kiosk.pin";

/// Iterations for new PINs: about a quarter of a second in a phone's wasm.
pub const DEFAULT_ITERATIONS: u32 = 100_000;

/// Refused below this, whatever a stored record says: a record edited to
/// one iteration must not make guessing cheap.
pub const MIN_ITERATIONS: u32 = 50_000;

/// Refused above this: a record with millions of iterations would freeze
/// the tablet on every unlock.
pub const MAX_ITERATIONS: u32 = 400_000;

/// The shortest PIN that still unlocks (set by an earlier build).
pub const MIN_PIN_LEN: usize = 4;
/// The shortest new PIN.
pub const MIN_NEW_PIN_LEN: usize = 6;
pub const MAX_PIN_LEN: usize = 12;

/// The settings key of the failed-attempt counter (device-local, like the
/// PIN: it never travels).
pub const ATTEMPTS_KEY: &str = "kiosk.pin_attempts";
/// Wrong PINs allowed before the first wait.
pub const FREE_ATTEMPTS: u32 = 5;
/// The first wait; each further wrong PIN doubles it.
pub const FIRST_WAIT_MS: u64 = 30_000;
/// The longest wait, so a tablet is never locked out for days.
pub const MAX_WAIT_MS: u64 = 60 * 60 * 1000;

pub const SALT_LEN: usize = 16;
const HASH_LEN: usize = 32;

pub const ALGORITHM: &str = "pbkdf2-sha256";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinParams {
    pub algorithm: String,
    pub iterations: u32,
}

/// What is stored: never the PIN itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinHash {
    /// Hex.
    pub salt: String,
    /// Hex.
    pub hash: String,
    pub params: PinParams,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinError {
    /// Not 6–12 digits (for a new PIN).
    BadFormat,
}

/// Whether `pin` is 4–12 ASCII digits: a PIN that may unlock.
pub fn check_format(pin: &str) -> Result<(), PinError> {
    digits(pin, MIN_PIN_LEN)
}

/// Whether `pin` may be set as a new PIN: 6–12 digits.
pub fn check_new(pin: &str) -> Result<(), PinError> {
    digits(pin, MIN_NEW_PIN_LEN)
}

fn digits(pin: &str, min: usize) -> Result<(), PinError> {
    if (min..=MAX_PIN_LEN).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PinError::BadFormat)
    }
}

/// Wrong PINs in a row and until when the next try must wait, kept in the
/// settings store so a reload does not reset it. The clock is the caller's
/// (milliseconds), so the rule is tested without waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempts {
    pub failures: u32,
    pub wait_until_ms: u64,
}

impl Attempts {
    /// How long until a PIN may be tried, `None` when it may be now. A wait
    /// longer than the longest there is (the clock was set back) counts as
    /// the longest.
    pub fn wait(&self, now_ms: u64) -> Option<u64> {
        let left = self.wait_until_ms.saturating_sub(now_ms);
        (left > 0).then_some(left.min(MAX_WAIT_MS))
    }

    /// Records a wrong PIN tried at `now_ms`: after [`FREE_ATTEMPTS`] the
    /// next try waits [`FIRST_WAIT_MS`], doubling with each further one.
    pub fn failed(&mut self, now_ms: u64) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= FREE_ATTEMPTS {
            let doublings = (self.failures - FREE_ATTEMPTS).min(20);
            let wait = (FIRST_WAIT_MS << doublings).min(MAX_WAIT_MS);
            self.wait_until_ms = now_ms.saturating_add(wait);
        }
    }

    /// The right PIN: the count starts again.
    pub fn succeeded(&mut self) {
        *self = Attempts::default();
    }
}

fn derive(pin: &str, salt: &[u8], iterations: u32) -> [u8; HASH_LEN] {
    let mut out = [0u8; HASH_LEN];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, iterations, &mut out);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What trying a PIN gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    Right,
    /// Wrong; `wait_ms` until the next try may be made, if any.
    Wrong {
        wait_ms: Option<u64>,
    },
    /// Not tried: too many wrong PINs, wait this long.
    Wait {
        ms: u64,
    },
    /// No PIN is set on this device.
    NoPin,
}

/// Tries `typed` against the stored PIN at `now_ms`, counting in
/// `attempts` (which the caller stores back whatever the outcome).
pub fn check(stored: Option<&PinHash>, attempts: &mut Attempts, typed: &str, now_ms: u64) -> Check {
    if let Some(ms) = attempts.wait(now_ms) {
        return Check::Wait { ms };
    }
    let Some(hash) = stored else {
        return Check::NoPin;
    };
    if hash.verify(typed) {
        attempts.succeeded();
        Check::Right
    } else {
        attempts.failed(now_ms);
        Check::Wrong {
            wait_ms: attempts.wait(now_ms),
        }
    }
}

impl PinHash {
    /// Hashes a new PIN with `salt`, which the caller takes from the
    /// platform's cryptographic random source.
    pub fn new(pin: &str, salt: [u8; SALT_LEN], iterations: u32) -> Result<PinHash, PinError> {
        check_new(pin)?;
        let iterations = iterations.clamp(MIN_ITERATIONS, MAX_ITERATIONS);
        Ok(PinHash {
            salt: hex(&salt),
            hash: hex(&derive(pin, &salt, iterations)),
            params: PinParams {
                algorithm: ALGORITHM.to_owned(),
                iterations,
            },
        })
    }

    /// Whether `pin` is the one this record was made from. A damaged or
    /// foreign record matches no PIN (the kiosk then stays locked; clearing
    /// the site's data is the way out, as for a forgotten PIN).
    pub fn verify(&self, pin: &str) -> bool {
        if check_format(pin).is_err()
            || self.params.algorithm != ALGORITHM
            || !(MIN_ITERATIONS..=MAX_ITERATIONS).contains(&self.params.iterations)
        {
            return false;
        }
        let (Some(salt), Some(expected)) = (unhex(&self.salt), unhex(&self.hash)) else {
            return false;
        };
        if salt.len() < 8 || expected.len() != HASH_LEN {
            return false;
        }
        let actual = derive(pin, &salt, self.params.iterations);
        // Compares every byte whatever the first difference, so the time
        // taken says nothing about how close a guess was.
        actual
            .iter()
            .zip(&expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DAY_MS;

    // Few iterations keep debug-build tests fast; the rule is the same.
    const FAST: u32 = MIN_ITERATIONS;
    const SALT: [u8; SALT_LEN] = *b"0123456789abcdef";

    #[test]
    fn the_right_pin_verifies_and_others_do_not() {
        let h = PinHash::new("246813", SALT, FAST).unwrap();
        assert!(h.verify("246813"));
        for wrong in [
            "246814", "2468130", "24681", "", "abcdef", " 246813", "318642",
        ] {
            assert!(!h.verify(wrong), "{wrong}");
        }
    }

    /// A four-digit PIN set by an earlier build still unlocks.
    #[test]
    fn an_earlier_four_digit_pin_still_verifies() {
        let mut h = PinHash::new("246813", SALT, FAST).unwrap();
        h.hash = hex(&derive("2468", &SALT, FAST));
        assert!(h.verify("2468"));
        assert_eq!(PinHash::new("2468", SALT, FAST), Err(PinError::BadFormat));
    }

    #[test]
    fn wrong_pins_wait_longer_and_longer() {
        let mut a = Attempts::default();
        let mut now = 1_000_000;
        for _ in 1..FREE_ATTEMPTS {
            a.failed(now);
            assert_eq!(a.wait(now), None);
        }
        a.failed(now);
        assert_eq!(a.wait(now), Some(30_000));
        assert_eq!(a.wait(now + 29_999), Some(1));
        assert_eq!(a.wait(now + 30_000), None);
        now += 30_000;
        a.failed(now);
        assert_eq!(a.wait(now), Some(60_000));
        now += 60_000;
        a.failed(now);
        assert_eq!(a.wait(now), Some(120_000));
        for _ in 0..40 {
            a.failed(now);
        }
        assert_eq!(a.wait(now), Some(MAX_WAIT_MS));
        // A clock set back does not lock the tablet for longer.
        assert_eq!(a.wait(0), Some(MAX_WAIT_MS));
        a.succeeded();
        assert_eq!(a, Attempts::default());
        assert_eq!(a.wait(now), None);
    }

    #[test]
    fn a_waiting_tablet_does_not_even_try_the_pin() {
        let h = PinHash::new("246813", SALT, FAST).unwrap();
        let mut a = Attempts::default();
        for _ in 1..FREE_ATTEMPTS {
            assert_eq!(
                check(Some(&h), &mut a, "000000", 0),
                Check::Wrong { wait_ms: None }
            );
        }
        assert_eq!(
            check(Some(&h), &mut a, "000000", 0),
            Check::Wrong {
                wait_ms: Some(FIRST_WAIT_MS)
            }
        );
        // The right PIN during the wait is not even tried.
        assert_eq!(
            check(Some(&h), &mut a, "246813", 1_000),
            Check::Wait { ms: 29_000 }
        );
        assert_eq!(check(Some(&h), &mut a, "246813", 30_000), Check::Right);
        assert_eq!(a, Attempts::default());
        assert_eq!(check(None, &mut a, "246813", 30_000), Check::NoPin);
    }

    /// All 10,000 four-digit PINs cost days at the tablet, not minutes.
    #[test]
    fn a_scripted_keyboard_is_slowed_to_a_crawl() {
        let (mut a, mut now) = (Attempts::default(), 0u64);
        for _ in 0..10_000 {
            now += a.wait(now).unwrap_or(0) + 1_000;
            a.failed(now);
        }
        assert!(now > 7 * DAY_MS as u64, "{now}");
    }

    #[test]
    fn the_pin_is_not_stored() {
        let h = PinHash::new("135790", SALT, FAST).unwrap();
        let json = serde_json::to_string(&h).unwrap();
        assert!(!json.contains("135790"), "{json}");
        assert_eq!(h.hash.len(), 64);
        assert_eq!(h.salt, hex(&SALT));
        assert_eq!(h.params.algorithm, "pbkdf2-sha256");
        let back: PinHash = serde_json::from_str(&json).unwrap();
        assert!(back.verify("135790"));
    }

    #[test]
    fn the_salt_changes_the_hash() {
        let a = PinHash::new("123456", SALT, FAST).unwrap();
        let b = PinHash::new("123456", *b"fedcba9876543210", FAST).unwrap();
        assert_ne!(a.hash, b.hash);
        assert!(a.verify("123456") && b.verify("123456"));
    }

    /// RFC 7914 §11 lists PBKDF2-HMAC-SHA-256 vectors; this is its first
    /// ("passwd", "salt", 1 iteration), so the crate is wired as specified.
    #[test]
    fn derivation_matches_a_published_vector() {
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            hex(&out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
    }

    #[test]
    fn new_pins_are_six_to_twelve_digits() {
        for ok in ["000000", "123456789012"] {
            assert_eq!(check_new(ok), Ok(()));
        }
        for bad in ["12345", "1234", "1234567890123", "12a456", "١٢٣٤٥٦", ""] {
            assert_eq!(check_new(bad), Err(PinError::BadFormat), "{bad}");
            assert_eq!(PinHash::new(bad, SALT, FAST), Err(PinError::BadFormat));
        }
        assert_eq!(check_format("1234"), Ok(()));
    }

    #[test]
    fn tampered_records_match_nothing() {
        let good = PinHash::new("246813", SALT, FAST).unwrap();
        let mut weak = good.clone();
        weak.params.iterations = 1;
        assert!(!weak.verify("246813"));
        // The finding: a record with ten million iterations, which would
        // freeze the tablet at every try, is refused before deriving.
        let mut slow = good.clone();
        slow.params.iterations = 10_000_000;
        assert!(!slow.verify("246813"));
        let mut foreign = good.clone();
        foreign.params.algorithm = "md5".into();
        assert!(!foreign.verify("246813"));
        let mut broken = good.clone();
        broken.hash.pop();
        assert!(!broken.verify("246813"));
        let mut odd = good.clone();
        odd.salt = "zz".repeat(16);
        assert!(!odd.verify("246813"));
        // Iterations out of bounds are brought within, not trusted.
        assert_eq!(
            PinHash::new("246813", SALT, 1).unwrap().params.iterations,
            MIN_ITERATIONS
        );
        assert_eq!(
            PinHash::new("246813", SALT, u32::MAX)
                .unwrap()
                .params
                .iterations,
            MAX_ITERATIONS
        );
    }
}
