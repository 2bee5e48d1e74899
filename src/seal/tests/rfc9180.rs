//! RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
//! ChaCha20Poly1305, base mode. The values below are the RFC's
//! (https://www.rfc-editor.org/rfc/rfc9180.html#appendix-A.2.1), copied as
//! constants; they check the crate is wired as the RFC specifies, through
//! the same `hpke_seal`/`hpke_open` the inbox uses.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hpke::{Deserializable, Kem as _, OpModeS, Serializable};

use super::super::{hpke_open, hpke_seal, Aead as SuiteAead, Kdf, Kem, PrivateKey, TeamKeyPair};
use super::{unhex, unhex32, FixedRng};

const INFO: &str = "4f6465206f6e2061204772656369616e2055726e";
const IKM_E: &str = "909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b";
const PK_EM: &str = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
const SK_EM: &str = "f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600";
const IKM_R: &str = "1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df";
const PK_RM: &str = "4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a";
const SK_RM: &str = "8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb";
const ENC: &str = "1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a";
const SHARED_SECRET: &str = "0bbe78490412b4bbea4812666f7916932b828bba79942424abb65244930d69a7";
const KEY: &str = "ad2744de8e17f4ebba575b3f5f5a8fa1f69c2a07f6e7500bc60ca6e3e3ec1c91";
const BASE_NONCE: &str = "5c4d98150661b848853b547f";
const PT: &str = "4265617574792069732074727574682c20747275746820626561757479";
/// Sequence number 0.
const AAD_0: &str = "436f756e742d30";
const CT_0: &str =
    "1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28";
/// Sequence number 1.
const AAD_1: &str = "436f756e742d31";
const NONCE_1: &str = "5c4d98150661b848853b547e";
const CT_1: &str =
    "6b53c051e4199c518de79594e1c4ab18b96f081549d45ce015be002090bb119e85285337cc95ba5f59992dc98c";
/// Exported value for an empty exporter context, L = 32.
const EXPORT_EMPTY: &str = "4bbd6243b8bb54cec311fac9df81841b6fd61f56538a775e7c80a9f40160606e";

fn private(hex: &str) -> PrivateKey {
    PrivateKey::from_bytes(&unhex(hex)).unwrap()
}

/// RFC 7748 §5 clamping. The RFC lists private keys as `DeriveKeyPair`
/// outputs them; x25519-dalek stores them clamped, the form X25519 uses
/// them in, so the two spellings name the same key.
fn clamped(hex: &str) -> [u8; 32] {
    let mut k = unhex32(hex);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    k
}

#[test]
fn derive_key_pair_gives_the_rfc_keys() {
    let (sk_r, pk_r) = Kem::derive_keypair(&unhex(IKM_R));
    assert_eq!(sk_r.to_bytes().as_slice(), clamped(SK_RM));
    assert_eq!(pk_r.to_bytes().as_slice(), unhex(PK_RM));
    let (sk_e, pk_e) = Kem::derive_keypair(&unhex(IKM_E));
    assert_eq!(sk_e.to_bytes().as_slice(), clamped(SK_EM));
    assert_eq!(pk_e.to_bytes().as_slice(), unhex(PK_EM));
    // The RFC's unclamped spelling is the same key.
    assert_eq!(
        Kem::sk_to_pk(&private(SK_EM)).to_bytes().as_slice(),
        unhex(PK_EM)
    );
}

/// A team key is `DeriveKeyPair` of 32 random bytes: with `ikmR` as the
/// randomness, it is the RFC's recipient key, and its id is derived from
/// that public key.
#[test]
fn a_generated_team_key_is_derive_key_pair_of_the_randomness() {
    let key = TeamKeyPair::generate(&mut FixedRng(unhex(IKM_R)));
    assert_eq!(key.private_bytes(), clamped(SK_RM));
    assert_eq!(key.public_key().bytes(), &unhex32(PK_RM));
    let again = TeamKeyPair::from_private_bytes(&unhex(SK_RM)).unwrap();
    assert_eq!(again.public_key().bytes(), &unhex32(PK_RM));
    assert_eq!(again.kid(), key.kid());
}

/// Our seal, given `ikmE` as its randomness, writes the RFC's `enc` and
/// first ciphertext byte for byte.
#[test]
fn sealing_reproduces_the_rfc_ciphertext() {
    let (enc, ct) = hpke_seal(
        &unhex32(PK_RM),
        &unhex(INFO),
        &unhex(AAD_0),
        &unhex(PT),
        &mut FixedRng(unhex(IKM_E)),
    )
    .unwrap();
    assert_eq!(enc, unhex32(ENC));
    assert_eq!(ct, unhex(CT_0));
}

#[test]
fn opening_the_rfc_ciphertext_gives_the_rfc_plaintext() {
    let pt = hpke_open(
        &private(SK_RM),
        &unhex32(ENC),
        &unhex(INFO),
        &unhex(AAD_0),
        &unhex(CT_0),
    );
    assert_eq!(pt, Some(unhex(PT)));
    // The same ciphertext under the next sequence number's associated data
    // does not open.
    let other = hpke_open(
        &private(SK_RM),
        &unhex32(ENC),
        &unhex(INFO),
        &unhex(AAD_1),
        &unhex(CT_0),
    );
    assert_eq!(other, None);
}

#[test]
fn decapsulation_gives_the_rfc_shared_secret() {
    let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(&unhex(ENC)).unwrap();
    let shared = Kem::decap(&private(SK_RM), None, &enc).unwrap();
    assert_eq!(shared.0.as_slice(), unhex(SHARED_SECRET));
}

/// The key schedule's `key` and `base_nonce` are not exposed by the crate;
/// ChaCha20-Poly1305 under them gives the RFC's ciphertexts for sequence
/// numbers 0 and 1, which ties them to what the crate computed above.
#[test]
fn the_rfc_key_and_nonces_give_its_ciphertexts() {
    let aead = ChaCha20Poly1305::new_from_slice(&unhex(KEY)).unwrap();
    for (nonce, aad, ct) in [(BASE_NONCE, AAD_0, CT_0), (NONCE_1, AAD_1, CT_1)] {
        let nonce: [u8; 12] = unhex(nonce).try_into().unwrap();
        let out = aead
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &unhex(PT),
                    aad: &unhex(aad),
                },
            )
            .unwrap();
        assert_eq!(out, unhex(ct));
    }
}

/// A sender context (not single-shot) continues to sequence number 1 and
/// exports the RFC's secret: the crate's whole key schedule matches.
#[test]
fn the_sender_context_matches_the_rfc_sequence_and_export() {
    let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(&unhex(PK_RM)).unwrap();
    let (enc, mut ctx) = hpke::setup_sender_with_rng::<SuiteAead, Kdf, Kem>(
        &OpModeS::Base,
        &pk,
        &unhex(INFO),
        &mut FixedRng(unhex(IKM_E)),
    )
    .unwrap();
    assert_eq!(enc.to_bytes().as_slice(), unhex(ENC));
    assert_eq!(ctx.seal(&unhex(PT), &unhex(AAD_0)).unwrap(), unhex(CT_0));
    assert_eq!(ctx.seal(&unhex(PT), &unhex(AAD_1)).unwrap(), unhex(CT_1));
    let mut exported = [0u8; 32];
    ctx.export(b"", &mut exported).unwrap();
    assert_eq!(exported, unhex32(EXPORT_EMPTY));
}
