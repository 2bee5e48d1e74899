//! Native tests of the sealed inbox: RFC 9180 vectors (`rfc9180`), sealed
//! documents and their parts (`inbox`), keys and key files (`keys`).

mod inbox;
mod keys;
mod rfc9180;

use sha2::{Digest, Sha256};

use super::CryptoRng;

/// Hands out exactly the bytes it was given: the RFC's `ikmE` as the
/// "random" ephemeral key, so sealing is deterministic.
pub(super) struct FixedRng(pub Vec<u8>);

impl hpke::rand_core::TryRng for FixedRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        assert!(dst.len() <= self.0.len(), "FixedRng ran out of bytes");
        let rest = self.0.split_off(dst.len());
        dst.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}
impl hpke::rand_core::TryCryptoRng for FixedRng {}

/// SHA-256 in counter mode over a seed: reproducible keys for property
/// tests, so a failing case replays with the same ephemeral keys.
pub(super) struct SeededRng {
    seed: [u8; 32],
    counter: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> SeededRng {
        SeededRng {
            seed: Sha256::digest(seed.to_be_bytes()).into(),
            counter: 0,
        }
    }
}

impl hpke::rand_core::TryRng for SeededRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(32) {
            let mut h = Sha256::new();
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.counter += 1;
            chunk.copy_from_slice(&h.finalize()[..chunk.len()]);
        }
        Ok(())
    }
}
impl hpke::rand_core::TryCryptoRng for SeededRng {}

pub(super) fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "{s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

pub(super) fn unhex32(s: &str) -> [u8; 32] {
    unhex(s).try_into().unwrap()
}

/// The system RNG satisfies the trait the module takes, and is random.
#[test]
fn the_system_rng_gives_distinct_keys() {
    fn key(rng: &mut impl CryptoRng) -> super::TeamKeyPair {
        super::TeamKeyPair::generate(rng)
    }
    let mut rng = super::system_rng();
    assert_ne!(key(&mut rng).kid(), key(&mut rng).kid());
}
