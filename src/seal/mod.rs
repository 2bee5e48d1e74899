//! The sealed inbox's pure core: a field device seals a response to the
//! team's public key, the manager's device opens it with the team's private
//! key. Nothing here touches the browser; the transport and storage layers
//! sit around it.
//!
//! **Suite.** HPKE (RFC 9180) base mode, single-shot, with
//! DHKEM(X25519, HKDF-SHA256), HKDF-SHA256 and ChaCha20-Poly1305, through
//! the `hpke` crate: one RFC-vetted implementation natively and in wasm,
//! checked against the RFC's Appendix A.2 vectors in `tests/rfc9180.rs`.
//! [`hpke_seal`] and [`hpke_open`] are the only callers of the crate.
//!
//! **What is bound, and where.** The opener sees only the outer document:
//! its id `resp:<uuid>` (or `resp:<uuid>:<n>` for a part), the key id and
//! the ciphertext. Everything it can read before opening goes into the
//! associated data — a domain label, the key id, the response id and the
//! part's index and count ([`aad`]) — so a ciphertext copied under another
//! id, another part number or another key id does not open. The
//! questionnaire id and version and the location are not in the clear on
//! purpose: an anonymous reader of the inbox would learn which survey and
//! which shop each answer belongs to. They travel inside the ciphertext as a
//! binding header written ahead of the response ([`Binding`]), so the AEAD
//! authenticates them exactly as it would associated data, and they stay
//! secret. After opening, the header must agree with the outer id and with
//! what the response itself claims (its id, questionnaire, version and
//! location); any difference is refused as
//! [`OpenError::BindingMismatch`] naming the field. Moving a sealed answer
//! to another survey or shop would need a new ciphertext, which only the
//! sender's own device could have written.
//!
//! Base mode does not authenticate the sender: anyone holding a link holds
//! the public key and can seal junk. Opening proves only that the content
//! is unchanged since it was sealed under that id; what the content says
//! is checked afterwards like an imported file.
//!
//! **Parts.** A shopper's photos are too big for one document: they are cut
//! into parts `resp:<uuid>:1..=n`, each sealed on its own with its index and
//! the count in the associated data, and the main document's header carries
//! the count, the total length and a SHA-256 of the whole, so parts from two
//! different sealings of one response cannot be mixed ([`open_parts`]).
//!
//! **Keys.** [`TeamKeyPair`] with a key id derived from the public key,
//! [`KeyRing`] holding the current key and old ones, and the key file
//! ([`export_key_file`], [`import_key_file`]): PBKDF2-HMAC-SHA-256 and
//! ChaCha20-Poly1305 around the private key.

mod encoding;
mod error;
mod inbox;
mod key_file;
mod keys;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use error::{BindingField, KeyError, KeyFileError, OpenError, SealError};
pub use inbox::{
    open, open_parts, seal, seal_parts, Binding, DocId, Opened, PartsInfo, SealedDoc, DOC_TYPE,
    DOC_VERSION, MAX_DOC_JSON_BYTES, MAX_PARTS, MAX_SEALED_BYTES,
};
pub use key_file::{
    export_key_file, import_key_file, FORMAT as KEY_FILE_FORMAT, ITERATIONS as KEY_FILE_ITERATIONS,
    MAX_ITERATIONS as KEY_FILE_MAX_ITERATIONS, MIN_ITERATIONS as KEY_FILE_MIN_ITERATIONS,
    MIN_PASSPHRASE_CHARS, VERSION as KEY_FILE_VERSION,
};
pub use keys::{KeyRing, TeamKeyPair, TeamPublicKey};

#[cfg(any(test, feature = "fixtures"))]
pub use inbox::forge;

/// The RNG trait every function here takes: rand_core 0.10, the version
/// hpke is written against.
pub use hpke::rand_core::CryptoRng;

use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};

type Kem = X25519HkdfSha256;
type Kdf = HkdfSha256;
type Aead = ChaCha20Poly1305;
type PrivateKey = <Kem as hpke::Kem>::PrivateKey;
type PublicKey = <Kem as hpke::Kem>::PublicKey;

/// Bytes of an X25519 public key, of a private key and of `enc`.
pub const KEY_BYTES: usize = 32;
/// Bytes the AEAD adds to every plaintext.
pub const TAG_BYTES: usize = 16;

/// HPKE's `info`: the application and format, so a ciphertext made for
/// anything else under the same key never opens here.
const INFO: &[u8] = b"servicelens/inbox/v1";

/// The platform's cryptographic random source (the OS natively,
/// `crypto.getRandomValues` in the browser).
pub fn system_rng() -> impl CryptoRng {
    hpke::rand_core::UnwrapErr(getrandom::SysRng)
}

/// Single-shot base-mode seal: `(enc, ciphertext)`. Fails only for a
/// public key HPKE refuses (a low-order point).
fn hpke_seal(
    pk: &[u8; KEY_BYTES],
    info: &[u8],
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut impl CryptoRng,
) -> Option<([u8; KEY_BYTES], Vec<u8>)> {
    let pk = PublicKey::from_bytes(pk).ok()?;
    let (enc, ct) = hpke::single_shot_seal_with_rng::<Aead, Kdf, Kem>(
        &OpModeS::Base,
        &pk,
        info,
        plaintext,
        aad,
        rng,
    )
    .ok()?;
    let mut enc_bytes = [0u8; KEY_BYTES];
    enc_bytes.copy_from_slice(&enc.to_bytes());
    Some((enc_bytes, ct))
}

/// The receiving context for one `enc`; several associated data may be
/// tried on it, since a failed open leaves its sequence number alone.
fn hpke_receiver(
    sk: &PrivateKey,
    enc: &[u8; KEY_BYTES],
    info: &[u8],
) -> Option<hpke::aead::AeadCtxR<Aead, Kdf, Kem>> {
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc).ok()?;
    hpke::setup_receiver::<Aead, Kdf, Kem>(&OpModeR::Base, sk, &enc, info).ok()
}

/// Single-shot base-mode open; `None` for any failure, which HPKE does not
/// tell apart (wrong key, changed bytes, other associated data).
fn hpke_open(
    sk: &PrivateKey,
    enc: &[u8; KEY_BYTES],
    info: &[u8],
    aad: &[u8],
    ct: &[u8],
) -> Option<Vec<u8>> {
    hpke_receiver(sk, enc, info)?.open(ct, aad).ok()
}
