//! Team keys, the key ring and the key file.

use sha2::{Digest, Sha256};

use super::super::encoding::{b64, hex, unb64};
use super::super::key_file::{export_with_iterations, import_with_bounds};
use super::super::{
    export_key_file, import_key_file, KeyError, KeyFileError, KeyRing, TeamKeyPair, TeamPublicKey,
    KEY_FILE_FORMAT, KEY_FILE_ITERATIONS, KEY_FILE_MAX_ITERATIONS, KEY_FILE_MIN_ITERATIONS,
    MIN_PASSPHRASE_CHARS,
};
use super::SeededRng;
use crate::i18n::Lang;

const PASS: &str = "ежевика-под-дождём 42";
/// Few iterations keep the debug-build tests fast; the real bounds are
/// checked on their own below, and one round trip runs the real count.
const FAST: u32 = 1_000;

fn team(seed: u64) -> TeamKeyPair {
    TeamKeyPair::generate(&mut SeededRng::new(seed))
}

fn fast_file(key: &TeamKeyPair) -> String {
    export_with_iterations(key, PASS, FAST, &mut SeededRng::new(8)).unwrap()
}

fn fast_import(text: &str, pass: &str) -> Result<TeamKeyPair, KeyFileError> {
    import_with_bounds(text, pass, FAST, KEY_FILE_MAX_ITERATIONS)
}

fn edit(text: &str, f: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn the_key_id_is_the_start_of_the_public_keys_hash() {
    let key = team(1);
    let pk = key.public_key();
    assert_eq!(key.kid(), hex(&Sha256::digest(pk.bytes())[..8]));
    assert_eq!(key.kid().len(), 16);
    assert_eq!(pk.kid(), key.kid());
    assert_ne!(team(2).kid(), key.kid());
}

#[test]
fn a_stored_private_key_gives_back_the_same_pair() {
    let key = team(1);
    let back = TeamKeyPair::from_private_bytes(&key.private_bytes()).unwrap();
    assert_eq!(back, key);
    assert_eq!(back.kid(), key.kid());
    assert_eq!(
        TeamKeyPair::from_private_bytes(&[1; 31]),
        Err(KeyError::WrongLength {
            found: 31,
            expected: 32
        })
    );
    assert!(!format!("{key:?}").contains(&hex(&key.private_bytes())));
}

#[test]
fn the_public_key_travels_as_43_characters() {
    let pk = team(1).public_key();
    let link = pk.to_link();
    assert_eq!(link.len(), 43);
    assert!(link
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(TeamPublicKey::from_link(&link).unwrap(), pk);
    let json = serde_json::to_string(&pk).unwrap();
    assert_eq!(json, format!("\"{link}\""));
    assert_eq!(serde_json::from_str::<TeamPublicKey>(&json).unwrap(), pk);
    assert_eq!(
        TeamPublicKey::from_link(&link[..42]),
        Err(KeyError::NotBase64)
    );
    assert_eq!(
        TeamPublicKey::from_link(&link[..40]),
        Err(KeyError::WrongLength {
            found: 30,
            expected: 32
        })
    );
    assert_eq!(
        TeamPublicKey::from_link(&format!("{link}=")),
        Err(KeyError::NotBase64)
    );
    assert!(serde_json::from_str::<TeamPublicKey>("\"abc\"").is_err());
}

#[test]
fn the_ring_keeps_the_current_key_and_old_ones() {
    let (a, b, c) = (team(1), team(2), team(3));
    let mut ring = KeyRing::new();
    assert!(ring.is_empty() && ring.current().is_none());
    assert!(ring.add(a.clone()));
    assert!(ring.add(b.clone()));
    assert!(!ring.add(a.clone()), "already held");
    assert_eq!(ring.len(), 2);
    assert_eq!(ring.current(), Some(&a), "the first key stays current");
    assert!(ring.make_current(b.kid()));
    assert_eq!(ring.current(), Some(&b));
    assert!(!ring.make_current(c.kid()));
    assert_eq!(ring.current(), Some(&b));
    assert_eq!(ring.get(a.kid()), Some(&a));
    assert_eq!(ring.get(c.kid()), None);
    let kids: Vec<&str> = ring.keys().map(TeamKeyPair::kid).collect();
    assert_eq!(kids, [a.kid(), b.kid()]);
    assert_eq!(KeyRing::with_current(c.clone()).current(), Some(&c));
}

/// The real export and import, at the real iteration count.
#[test]
fn a_key_file_round_trips_with_the_default_protection() {
    let key = team(1);
    let text = export_key_file(&key, PASS, &mut super::super::system_rng()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["format"], KEY_FILE_FORMAT);
    assert_eq!(v["version"], 1);
    assert_eq!(v["kid"], key.kid());
    assert_eq!(v["public"], key.public_key().to_link());
    assert_eq!(v["kdf"]["name"], "pbkdf2-sha256");
    assert_eq!(v["kdf"]["iterations"], KEY_FILE_ITERATIONS);
    assert_eq!(unb64(v["kdf"]["salt"].as_str().unwrap()).unwrap().len(), 16);
    assert_eq!(v["aead"]["name"], "chacha20poly1305");
    assert_eq!(
        unb64(v["aead"]["nonce"].as_str().unwrap()).unwrap().len(),
        12
    );
    assert_eq!(import_key_file(&text, PASS).unwrap(), key);
}

#[test]
fn the_private_key_is_not_in_the_file() {
    let key = team(1);
    let text = fast_file(&key);
    let private = key.private_bytes();
    for spelled in [hex(&private), b64(&private)] {
        assert!(!text.contains(&spelled));
    }
    assert_eq!(fast_import(&text, PASS).unwrap(), key);
}

#[test]
fn two_exports_differ_in_salt_and_nonce() {
    let key = team(1);
    let a = export_with_iterations(&key, PASS, FAST, &mut SeededRng::new(1)).unwrap();
    let b = export_with_iterations(&key, PASS, FAST, &mut SeededRng::new(2)).unwrap();
    assert_ne!(a, b);
    assert_eq!(
        fast_import(&a, PASS).unwrap(),
        fast_import(&b, PASS).unwrap()
    );
}

#[test]
fn a_wrong_passphrase_is_refused() {
    let text = fast_file(&team(1));
    for wrong in [
        "",
        "ежевика-под-дождём 43",
        "ЕЖЕВИКА-ПОД-ДОЖДЁМ 42",
        " ежевика-под-дождём 42",
    ] {
        assert_eq!(
            fast_import(&text, wrong),
            Err(KeyFileError::WrongPassphraseOrDamaged),
            "{wrong}"
        );
    }
}

#[test]
fn an_edited_header_or_sealed_key_is_refused() {
    let key = team(1);
    let other = team(2);
    let text = fast_file(&key);
    let flip = |s: &str| {
        let mut b = unb64(s).unwrap();
        b[0] ^= 1;
        b64(&b)
    };
    let wrong = KeyFileError::WrongPassphraseOrDamaged;
    let cases: Vec<(&str, String, KeyFileError)> = vec![
        (
            "iterations",
            edit(&text, |v| v["kdf"]["iterations"] = (FAST + 1).into()),
            wrong.clone(),
        ),
        (
            "salt",
            edit(&text, |v| {
                v["kdf"]["salt"] = flip(v["kdf"]["salt"].as_str().unwrap()).into()
            }),
            wrong.clone(),
        ),
        (
            "nonce",
            edit(&text, |v| {
                v["aead"]["nonce"] = flip(v["aead"]["nonce"].as_str().unwrap()).into()
            }),
            wrong.clone(),
        ),
        (
            "sealed",
            edit(&text, |v| {
                v["sealed"] = flip(v["sealed"].as_str().unwrap()).into()
            }),
            wrong.clone(),
        ),
        (
            "another key's header",
            edit(&text, |v| {
                v["kid"] = other.kid().into();
                v["public"] = other.public_key().to_link().into();
            }),
            wrong.clone(),
        ),
        (
            "kid alone",
            edit(&text, |v| v["kid"] = other.kid().into()),
            KeyFileError::Damaged {
                detail: "key id".into(),
            },
        ),
        (
            "algorithm",
            edit(&text, |v| v["kdf"]["name"] = "pbkdf2-sha1".into()),
            KeyFileError::Damaged {
                detail: "algorithm".into(),
            },
        ),
        (
            "short salt",
            edit(&text, |v| v["kdf"]["salt"] = b64(&[1; 8]).into()),
            KeyFileError::Damaged {
                detail: "salt".into(),
            },
        ),
    ];
    for (what, edited, expected) in cases {
        assert_eq!(fast_import(&edited, PASS), Err(expected), "{what}");
    }
    let missing = edit(&text, |v| {
        v.as_object_mut().unwrap().remove("sealed");
    });
    assert!(matches!(
        fast_import(&missing, PASS),
        Err(KeyFileError::Damaged { .. })
    ));
}

/// Checked before any derivation, so these return at once even though the
/// real bounds apply.
#[test]
fn iteration_counts_out_of_bounds_are_refused_both_ways() {
    let text = fast_file(&team(1));
    for n in [
        0u64,
        u64::from(KEY_FILE_MIN_ITERATIONS) - 1,
        u64::from(KEY_FILE_MAX_ITERATIONS) + 1,
        u64::from(u32::MAX) + 1,
        u64::MAX,
    ] {
        let edited = edit(&text, |v| v["kdf"]["iterations"] = n.into());
        assert_eq!(
            import_key_file(&edited, PASS),
            Err(KeyFileError::IterationsOutOfBounds {
                found: n,
                min: KEY_FILE_MIN_ITERATIONS,
                max: KEY_FILE_MAX_ITERATIONS,
            }),
            "{n}"
        );
    }
    let negative = edit(&text, |v| v["kdf"]["iterations"] = (-5).into());
    assert!(matches!(
        import_key_file(&negative, PASS),
        Err(KeyFileError::Damaged { .. })
    ));
}

#[test]
fn other_files_and_newer_formats_are_named() {
    let text = fast_file(&team(1));
    for other in [
        "",
        "not json",
        "[]",
        "{}",
        r#"{"format": "servicelens-bundle", "version": 1}"#,
        r#"{"format": 1}"#,
    ] {
        assert_eq!(
            fast_import(other, PASS),
            Err(KeyFileError::NotAKeyFile),
            "{other}"
        );
    }
    let huge = format!(
        "{{\"format\": \"{}\", \"pad\": \"{}\"}}",
        KEY_FILE_FORMAT,
        "x".repeat(20_000)
    );
    assert_eq!(fast_import(&huge, PASS), Err(KeyFileError::NotAKeyFile));
    assert_eq!(
        fast_import(&edit(&text, |v| v["version"] = 2.into()), PASS),
        Err(KeyFileError::NewerFormat {
            found: 2,
            supported: 1
        })
    );
    for bad in [
        serde_json::json!(0),
        serde_json::json!("1"),
        serde_json::json!(1.5),
    ] {
        assert_eq!(
            fast_import(&edit(&text, |v| v["version"] = bad.clone()), PASS),
            Err(KeyFileError::Damaged {
                detail: "version".into()
            }),
            "{bad}"
        );
    }
}

#[test]
fn a_short_passphrase_is_refused_counting_characters() {
    let key = team(1);
    let short: String = "й".repeat(MIN_PASSPHRASE_CHARS - 1);
    assert_eq!(
        export_with_iterations(&key, &short, FAST, &mut SeededRng::new(1)),
        Err(KeyFileError::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS
        })
    );
    // Ten Cyrillic letters are twenty bytes but ten characters: enough.
    let enough: String = "й".repeat(MIN_PASSPHRASE_CHARS);
    let text = export_with_iterations(&key, &enough, FAST, &mut SeededRng::new(1)).unwrap();
    assert_eq!(fast_import(&text, &enough).unwrap(), key);
}

#[test]
fn key_file_refusals_have_their_own_words() {
    let errors = [
        KeyFileError::NotAKeyFile,
        KeyFileError::NewerFormat {
            found: 2,
            supported: 1,
        },
        KeyFileError::WrongPassphraseOrDamaged,
        KeyFileError::IterationsOutOfBounds {
            found: 1,
            min: 2,
            max: 3,
        },
        KeyFileError::Damaged { detail: "x".into() },
        KeyFileError::PassphraseTooShort { min: 10 },
    ];
    for lang in Lang::ALL {
        let mut texts: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), errors.len());
    }
    assert_ne!(
        KeyError::NotBase64.message(Lang::Ru),
        KeyError::NotBase64.message(Lang::En)
    );
}
