//! The manager's PIN that guards a kiosk tablet's way back to the manager's
//! screens. Only a salted, slow hash is stored (in the settings store), so
//! reading the device's storage does not show the PIN.
//!
//! PBKDF2-HMAC-SHA-256 from the RustCrypto `pbkdf2` crate: maintained,
//! pure Rust, small in wasm, and it reuses the `sha2` the backup checksum
//! already brings (argon2 is stronger against GPUs but adds its own code and
//! a memory cost that a cheap tablet pays on every unlock). A 4–8 digit PIN
//! has little entropy whatever the hash; the salt and the iteration count
//! make every guess cost a full derivation and stop precomputed tables. The
//! parameters are stored with the hash, so a later build can raise them
//! and still check PINs set before.

use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The settings key the hash is stored under.
pub const SETTING_KEY: &str = "kiosk.pin";

/// Iterations for new PINs: about a quarter of a second in a phone's wasm.
pub const DEFAULT_ITERATIONS: u32 = 100_000;

/// Refused below this, whatever a stored record says: a record edited to
/// one iteration must not make guessing cheap.
pub const MIN_ITERATIONS: u32 = 1_000;

/// Above this a record would freeze the tablet on every unlock.
pub const MAX_ITERATIONS: u32 = 10_000_000;

pub const MIN_PIN_LEN: usize = 4;
pub const MAX_PIN_LEN: usize = 8;

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
    /// Not 4–8 digits.
    BadFormat,
}

/// Whether `pin` is 4–8 ASCII digits: what a tablet's number pad types.
pub fn check_format(pin: &str) -> Result<(), PinError> {
    if (MIN_PIN_LEN..=MAX_PIN_LEN).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(PinError::BadFormat)
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

impl PinHash {
    /// Hashes a new PIN with `salt`, which the caller takes from the
    /// platform's cryptographic random source.
    pub fn new(pin: &str, salt: [u8; SALT_LEN], iterations: u32) -> Result<PinHash, PinError> {
        check_format(pin)?;
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

    // Few iterations keep debug-build tests fast; the rule is the same.
    const FAST: u32 = MIN_ITERATIONS;
    const SALT: [u8; SALT_LEN] = *b"0123456789abcdef";

    #[test]
    fn the_right_pin_verifies_and_others_do_not() {
        let h = PinHash::new("2468", SALT, FAST).unwrap();
        assert!(h.verify("2468"));
        for wrong in ["2469", "24680", "246", "", "abcd", " 2468", "8642"] {
            assert!(!h.verify(wrong), "{wrong}");
        }
    }

    #[test]
    fn the_pin_is_not_stored() {
        let h = PinHash::new("13579", SALT, FAST).unwrap();
        let json = serde_json::to_string(&h).unwrap();
        assert!(!json.contains("13579"), "{json}");
        assert_eq!(h.hash.len(), 64);
        assert_eq!(h.salt, hex(&SALT));
        assert_eq!(h.params.algorithm, "pbkdf2-sha256");
        let back: PinHash = serde_json::from_str(&json).unwrap();
        assert!(back.verify("13579"));
    }

    #[test]
    fn the_salt_changes_the_hash() {
        let a = PinHash::new("1234", SALT, FAST).unwrap();
        let b = PinHash::new("1234", *b"fedcba9876543210", FAST).unwrap();
        assert_ne!(a.hash, b.hash);
        assert!(a.verify("1234") && b.verify("1234"));
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
    fn pin_format_is_four_to_eight_digits() {
        for ok in ["0000", "12345678"] {
            assert_eq!(check_format(ok), Ok(()));
        }
        for bad in ["123", "123456789", "12a4", "١٢٣٤", ""] {
            assert_eq!(check_format(bad), Err(PinError::BadFormat), "{bad}");
            assert_eq!(PinHash::new(bad, SALT, FAST), Err(PinError::BadFormat));
        }
    }

    #[test]
    fn tampered_records_match_nothing() {
        let good = PinHash::new("2468", SALT, FAST).unwrap();
        let mut weak = good.clone();
        weak.params.iterations = 1;
        assert!(!weak.verify("2468"));
        let mut foreign = good.clone();
        foreign.params.algorithm = "md5".into();
        assert!(!foreign.verify("2468"));
        let mut broken = good.clone();
        broken.hash.pop();
        assert!(!broken.verify("2468"));
        let mut odd = good.clone();
        odd.salt = "zz".repeat(16);
        assert!(!odd.verify("2468"));
        // Iterations below the floor are raised, not trusted.
        assert_eq!(
            PinHash::new("2468", SALT, 1).unwrap().params.iterations,
            MIN_ITERATIONS
        );
    }
}
