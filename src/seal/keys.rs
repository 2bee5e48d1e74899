//! The team's keys. A key id is derived from the public key, so it cannot
//! disagree with the key it names, and a device that holds old keys finds
//! the one a document was sealed to without trying each.

use std::fmt;

use hpke::{Deserializable, Kem as _, Serializable};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::encoding::{b64, hex, unb64};
use super::{CryptoRng, Kem, KeyError, PrivateKey, KEY_BYTES};

/// Hex of the first 8 bytes of SHA-256 of the public key: short enough to
/// travel in every document, long enough that a team's few keys never
/// collide by chance.
pub(super) fn kid_of(public: &[u8; KEY_BYTES]) -> String {
    hex(&Sha256::digest(public)[..8])
}

/// What a field device needs to seal to the team: in the link, as
/// base64url of the 32-byte X25519 key (the key id is derived, not sent).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TeamPublicKey {
    kid: String,
    bytes: [u8; KEY_BYTES],
}

impl TeamPublicKey {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> TeamPublicKey {
        TeamPublicKey {
            kid: kid_of(&bytes),
            bytes,
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn bytes(&self) -> &[u8; KEY_BYTES] {
        &self.bytes
    }

    /// 43 characters of base64url, safe in a URL fragment.
    pub fn to_link(&self) -> String {
        b64(&self.bytes)
    }

    pub fn from_link(text: &str) -> Result<TeamPublicKey, KeyError> {
        let bytes = unb64(text).ok_or(KeyError::NotBase64)?;
        let bytes: [u8; KEY_BYTES] =
            bytes
                .try_into()
                .map_err(|b: Vec<u8>| KeyError::WrongLength {
                    found: b.len(),
                    expected: KEY_BYTES,
                })?;
        Ok(TeamPublicKey::from_bytes(bytes))
    }
}

impl fmt::Debug for TeamPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TeamPublicKey({})", self.kid)
    }
}

impl TryFrom<String> for TeamPublicKey {
    type Error = KeyError;
    fn try_from(s: String) -> Result<Self, KeyError> {
        TeamPublicKey::from_link(&s)
    }
}

impl From<TeamPublicKey> for String {
    fn from(k: TeamPublicKey) -> String {
        k.to_link()
    }
}

/// A team key pair. The private half is reachable only through
/// [`TeamKeyPair::private_bytes`], for this device's own key store and for
/// the passphrase-protected key file; it is zeroed when dropped, and
/// `Debug` never prints it.
#[derive(Clone)]
pub struct TeamKeyPair {
    kid: String,
    public: [u8; KEY_BYTES],
    private: PrivateKey,
}

impl TeamKeyPair {
    /// A new key pair: `DeriveKeyPair` (RFC 9180 §7.1.3) of 32 random bytes.
    pub fn generate(rng: &mut impl CryptoRng) -> TeamKeyPair {
        let (private, _) = Kem::gen_keypair_with_rng(rng);
        TeamKeyPair::from_private(private)
    }

    /// The pair of a stored private key. Every 32 bytes are a valid X25519
    /// private key (it is clamped when used).
    pub fn from_private_bytes(bytes: &[u8]) -> Result<TeamKeyPair, KeyError> {
        if bytes.len() != KEY_BYTES {
            return Err(KeyError::WrongLength {
                found: bytes.len(),
                expected: KEY_BYTES,
            });
        }
        let private = PrivateKey::from_bytes(bytes).map_err(|_| KeyError::WrongLength {
            found: bytes.len(),
            expected: KEY_BYTES,
        })?;
        Ok(TeamKeyPair::from_private(private))
    }

    fn from_private(private: PrivateKey) -> TeamKeyPair {
        let mut public = [0u8; KEY_BYTES];
        public.copy_from_slice(&Kem::sk_to_pk(&private).to_bytes());
        TeamKeyPair {
            kid: kid_of(&public),
            public,
            private,
        }
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn public_key(&self) -> TeamPublicKey {
        TeamPublicKey {
            kid: self.kid.clone(),
            bytes: self.public,
        }
    }

    /// The raw private key, for this device's key store and the key file only.
    pub fn private_bytes(&self) -> [u8; KEY_BYTES] {
        let mut out = [0u8; KEY_BYTES];
        out.copy_from_slice(&self.private.to_bytes());
        out
    }

    pub(super) fn private(&self) -> &PrivateKey {
        &self.private
    }
}

impl fmt::Debug for TeamKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TeamKeyPair({}, private key hidden)", self.kid)
    }
}

impl PartialEq for TeamKeyPair {
    fn eq(&self, other: &Self) -> bool {
        // Equal public keys mean equal private keys (X25519 after clamping).
        self.public == other.public
    }
}

impl Eq for TeamKeyPair {}

/// The keys this device can open with: the current one, which new links
/// carry, and older ones kept to read answers sealed before a key change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyRing {
    keys: Vec<TeamKeyPair>,
    current: Option<String>,
}

impl KeyRing {
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// A ring holding one key, which is current.
    pub fn with_current(key: TeamKeyPair) -> KeyRing {
        let mut ring = KeyRing::new();
        ring.add(key);
        ring
    }

    /// Adds a key; the first key added becomes current, later ones only by
    /// [`KeyRing::make_current`] (an imported old key must not silently
    /// replace the key new links are made with). `false` if the ring
    /// already held it.
    pub fn add(&mut self, key: TeamKeyPair) -> bool {
        if self.get(key.kid()).is_some() {
            return false;
        }
        if self.current.is_none() {
            self.current = Some(key.kid.clone());
        }
        self.keys.push(key);
        true
    }

    /// `false` (and nothing changes) for a key id the ring does not hold.
    pub fn make_current(&mut self, kid: &str) -> bool {
        if self.get(kid).is_none() {
            return false;
        }
        self.current = Some(kid.to_owned());
        true
    }

    pub fn current(&self) -> Option<&TeamKeyPair> {
        self.get(self.current.as_deref()?)
    }

    pub fn get(&self, kid: &str) -> Option<&TeamKeyPair> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// In the order they were added.
    pub fn keys(&self) -> impl Iterator<Item = &TeamKeyPair> {
        self.keys.iter()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
