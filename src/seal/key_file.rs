//! The team key file: the only form in which the private key leaves the
//! device. PBKDF2-HMAC-SHA-256 (RFC 8018) turns the passphrase into a key,
//! ChaCha20-Poly1305 (RFC 8439) seals the private key with it, and the
//! whole header (format, key id, public key, KDF and AEAD parameters) is the
//! associated data, so a header edited to a weaker setting or another key
//! id does not open.
//!
//! PBKDF2 rather than a memory-hard KDF: it is the `pbkdf2` crate the kiosk
//! PIN already links, over the same `sha2`. The parameters travel in the
//! file, so a later build can raise them and still read older files; a
//! reader refuses counts outside [`MIN_ITERATIONS`]..=[`MAX_ITERATIONS`] in
//! either direction before deriving anything.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::encoding::{b64, unb64, Writer};
use super::keys::kid_of;
use super::{CryptoRng, KeyFileError, TeamKeyPair, KEY_BYTES, TAG_BYTES};

pub const FORMAT: &str = "servicelens-team-key";
pub const VERSION: u64 = 1;
/// Iterations for new files: about 0.4 s in wasm on a desktop, so one to
/// two seconds on a mid-range phone, paid once per export or import.
/// Below OWASP's 600,000 for this KDF because the phone would wait 3–4 s;
/// the length rule for the passphrase carries the rest.
pub const ITERATIONS: u32 = 300_000;
/// Refused below: a file edited to few iterations must not make guessing cheap.
pub const MIN_ITERATIONS: u32 = 100_000;
/// Refused above: a hostile file must not freeze the device.
pub const MAX_ITERATIONS: u32 = 5_000_000;
pub const MIN_PASSPHRASE_CHARS: usize = 10;

const KDF: &str = "pbkdf2-sha256";
const AEAD: &str = "chacha20poly1305";
const SALT_BYTES: usize = 16;
const MAX_SALT_BYTES: usize = 64;
const NONCE_BYTES: usize = 12;
/// A key file is well under a kilobyte; anything far larger is something else.
const MAX_FILE_BYTES: usize = 16 * 1024;

#[derive(Serialize, Deserialize)]
struct KeyFile {
    format: String,
    version: u64,
    kid: String,
    /// base64url.
    public: String,
    kdf: Kdf,
    aead: AeadParams,
    /// base64url of the sealed private key and its tag.
    sealed: String,
}

#[derive(Serialize, Deserialize)]
struct Kdf {
    name: String,
    iterations: u64,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct AeadParams {
    name: String,
    nonce: String,
}

/// The associated data: every header field, in one unambiguous encoding.
fn header_aad(kid: &str, public: &[u8], iterations: u32, salt: &[u8], nonce: &[u8]) -> Vec<u8> {
    Writer::default()
        .bytes(FORMAT.as_bytes())
        .u64(VERSION)
        .bytes(kid.as_bytes())
        .bytes(public)
        .bytes(KDF.as_bytes())
        .u32(iterations)
        .bytes(salt)
        .bytes(AEAD.as_bytes())
        .bytes(nonce)
        .finish()
}

fn cipher(passphrase: &str, salt: &[u8], iterations: u32) -> ChaCha20Poly1305 {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, iterations, &mut key);
    let cipher = ChaCha20Poly1305::new(&key.into());
    key.fill(0);
    cipher
}

/// The key file's JSON text for `key`, protected by `passphrase` (at least
/// [`MIN_PASSPHRASE_CHARS`] characters, taken exactly as typed).
pub fn export_key_file(
    key: &TeamKeyPair,
    passphrase: &str,
    rng: &mut impl CryptoRng,
) -> Result<String, KeyFileError> {
    export_with_iterations(key, passphrase, ITERATIONS, rng)
}

pub(super) fn export_with_iterations(
    key: &TeamKeyPair,
    passphrase: &str,
    iterations: u32,
    rng: &mut impl CryptoRng,
) -> Result<String, KeyFileError> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(KeyFileError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS,
        });
    }
    let mut salt = [0u8; SALT_BYTES];
    let mut nonce = [0u8; NONCE_BYTES];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut nonce);
    let public = *key.public_key().bytes();
    let aad = header_aad(key.kid(), &public, iterations, &salt, &nonce);
    let mut private = key.private_bytes();
    let sealed = cipher(passphrase, &salt, iterations)
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &private,
                aad: &aad,
            },
        )
        .expect("ChaCha20-Poly1305 seals 32 bytes");
    private.fill(0);
    let file = KeyFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        kid: key.kid().to_owned(),
        public: b64(&public),
        kdf: Kdf {
            name: KDF.to_owned(),
            iterations: u64::from(iterations),
            salt: b64(&salt),
        },
        aead: AeadParams {
            name: AEAD.to_owned(),
            nonce: b64(&nonce),
        },
        sealed: b64(&sealed),
    };
    Ok(serde_json::to_string_pretty(&file).expect("strings and numbers always serialise"))
}

/// The key pair in a key file; the passphrase exactly as typed.
pub fn import_key_file(text: &str, passphrase: &str) -> Result<TeamKeyPair, KeyFileError> {
    import_with_bounds(text, passphrase, MIN_ITERATIONS, MAX_ITERATIONS)
}

fn damaged(detail: &str) -> KeyFileError {
    KeyFileError::Damaged {
        detail: detail.to_owned(),
    }
}

pub(super) fn import_with_bounds(
    text: &str,
    passphrase: &str,
    min_iterations: u32,
    max_iterations: u32,
) -> Result<TeamKeyPair, KeyFileError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(KeyFileError::NotAKeyFile);
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|_| KeyFileError::NotAKeyFile)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(KeyFileError::NotAKeyFile);
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v > VERSION => {
            return Err(KeyFileError::NewerFormat {
                found: v,
                supported: VERSION,
            })
        }
        Some(VERSION) => {}
        _ => return Err(damaged("version")),
    }
    let file: KeyFile = serde_json::from_value(value).map_err(|e| KeyFileError::Damaged {
        detail: e.to_string(),
    })?;
    if file.kdf.name != KDF || file.aead.name != AEAD {
        return Err(damaged("algorithm"));
    }
    let iterations = u32::try_from(file.kdf.iterations)
        .ok()
        .filter(|n| (min_iterations..=max_iterations).contains(n))
        .ok_or(KeyFileError::IterationsOutOfBounds {
            found: file.kdf.iterations,
            min: min_iterations,
            max: max_iterations,
        })?;
    let salt = unb64(&file.kdf.salt)
        .filter(|s| (SALT_BYTES..=MAX_SALT_BYTES).contains(&s.len()))
        .ok_or_else(|| damaged("salt"))?;
    let nonce: [u8; NONCE_BYTES] = unb64(&file.aead.nonce)
        .and_then(|n| n.try_into().ok())
        .ok_or_else(|| damaged("nonce"))?;
    let public: [u8; KEY_BYTES] = unb64(&file.public)
        .and_then(|p| p.try_into().ok())
        .ok_or_else(|| damaged("public key"))?;
    if file.kid != kid_of(&public) {
        return Err(damaged("key id"));
    }
    let sealed = unb64(&file.sealed)
        .filter(|s| s.len() == KEY_BYTES + TAG_BYTES)
        .ok_or_else(|| damaged("sealed key"))?;
    let aad = header_aad(&file.kid, &public, iterations, &salt, &nonce);
    let mut private = cipher(passphrase, &salt, iterations)
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &sealed,
                aad: &aad,
            },
        )
        .map_err(|_| KeyFileError::WrongPassphraseOrDamaged)?;
    let key = TeamKeyPair::from_private_bytes(&private);
    private.fill(0);
    let key = key.map_err(|_| damaged("private key"))?;
    // Only a writer with the passphrase could have sealed a private key
    // that does not match the header's public key; refuse it all the same.
    if key.public_key().bytes() != &public {
        return Err(damaged("the keys do not match"));
    }
    Ok(key)
}
