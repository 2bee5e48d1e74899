//! The bad input, each quarantined with its reason, nothing counted,
//! nothing stored changed, and the pull going on.

use serde_json::json;

use super::*;
use crate::domain::ResponseStatus;
use crate::exchange::bundle::BundleError;
use crate::inbox::QuarantineReason;
use crate::seal::{BindingField, MAX_DOC_JSON_BYTES};

fn tampered(doc: &SealedDoc, at: usize) -> SealedDoc {
    let mut ct: Vec<u8> = doc.ct.clone().into_bytes();
    let i = at % ct.len();
    // Another base64url character, so only the ciphertext changes.
    ct[i] = if ct[i] == b'A' { b'B' } else { b'A' };
    SealedDoc {
        ct: String::from_utf8(ct).unwrap(),
        ..doc.clone()
    }
}

#[test]
fn a_tampered_ciphertext_does_not_decrypt() {
    let key = team();
    let doc = sealed(&key, &survey_answer(1, 9));
    for at in [0, 7, doc.ct.len() / 2, doc.ct.len() - 3] {
        let bad = tampered(&doc, at);
        let o = open_one(&ring(&key), &bad.id, value(&bad));
        assert_eq!(quarantined_kind(&o), "decrypt_failed", "at {at}");
    }
}

#[test]
fn a_wrong_key_id_is_an_unknown_key() {
    let key = team();
    let mut doc = sealed(&key, &survey_answer(1, 9));
    doc.kid = "0123456789abcdef".into();
    let o = open_one(&ring(&key), &doc.id, value(&doc));
    assert_eq!(
        o,
        Outcome::Quarantined(Quarantined {
            doc_id: doc.id.clone(),
            reason: QuarantineReason::UnknownKey {
                kid: "0123456789abcdef".into()
            },
            at: now(),
        })
    );
}

#[test]
fn another_teams_answer_is_not_ours() {
    let (ours, theirs) = (team(), team());
    let doc = sealed(&theirs, &survey_answer(1, 9));
    let o = open_one(&ring(&ours), &doc.id, value(&doc));
    assert_eq!(quarantined_kind(&o), "unknown_key");
    // Sealed to their key but naming ours: it still does not open.
    let disguised = SealedDoc {
        kid: ours.kid().to_owned(),
        ..doc
    };
    let o = open_one(&ring(&ours), &disguised.id, value(&disguised));
    assert_eq!(quarantined_kind(&o), "decrypt_failed");
    // An old key kept in the ring still opens its answers.
    let mut both = ring(&theirs);
    both.add(ours.clone());
    assert!(matches!(
        open_one(
            &both,
            &disguised.id,
            value(&sealed(&theirs, &survey_answer(1, 9)))
        ),
        Outcome::Opened(_)
    ));
}

#[test]
fn a_replayed_answer_under_a_new_id_is_refused() {
    let key = team();
    let keys = ring(&key);
    let original = survey_answer(1, 9);
    let doc = sealed(&key, &original);
    // The ciphertext copied under another id: the id is in the associated
    // data, so it does not even open.
    let new_id = format!("resp:{}", uuid(77));
    let mut copied = value(&doc);
    copied["_id"] = json!(new_id);
    assert_eq!(
        quarantined_kind(&open_one(&keys, &new_id, copied)),
        "decrypt_failed"
    );
    // Re-sealed under a new id by someone holding the link, the answer
    // inside still names its own id.
    let json = serde_json::to_string(&original).unwrap();
    let forged = seal::forge(
        &key.public_key(),
        uuid(77),
        &seal::Binding::of(&original),
        json.as_bytes(),
        &mut seal::system_rng(),
    );
    match open_one(&keys, &forged.id, value(&forged)) {
        Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::BindingMismatch { field, .. },
            ..
        }) => assert_eq!(field, BindingField::DocumentId),
        other => panic!("{other:?}"),
    }
    // Re-sealed with the new id inside the header but the old response:
    // the response's own id disagrees.
    let mut moved = seal::Binding::of(&original);
    moved.response_id = uuid(77);
    let forged = seal::forge(
        &key.public_key(),
        uuid(77),
        &moved,
        json.as_bytes(),
        &mut seal::system_rng(),
    );
    match open_one(&keys, &forged.id, value(&forged)) {
        Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::BindingMismatch { field, .. },
            ..
        }) => assert_eq!(field, BindingField::ResponseId),
        other => panic!("{other:?}"),
    }
}

#[test]
fn plaintext_that_is_not_a_response_is_refused() {
    let key = team();
    let keys = ring(&key);
    let r = survey_answer(1, 9);
    let b = seal::Binding::of(&r);
    let forge =
        |body: &[u8]| seal::forge(&key.public_key(), r.id, &b, body, &mut seal::system_rng());
    for body in [&b"not json"[..], b"[1,2]", b"{\"hello\": 1}"] {
        let doc = forge(body);
        assert_eq!(
            quarantined_kind(&open_one(&keys, &doc.id, value(&doc))),
            "not_a_response"
        );
    }
    // Claims that agree with the binding, but not a response a bundle holds.
    let claims = json!({"id": r.id, "questionnaire_id": "srv", "questionnaire_version": 1,
                        "location_id": "loc-1"});
    let doc = forge(claims.to_string().as_bytes());
    assert_eq!(
        quarantined_kind(&open_one(&keys, &doc.id, value(&doc))),
        "not_a_response"
    );
    // A draft: field devices send what was submitted.
    let mut draft = r.clone();
    draft.status = ResponseStatus::Draft;
    let doc = forge(serde_json::to_string(&draft).unwrap().as_bytes());
    assert_eq!(
        quarantined_kind(&open_one(&keys, &doc.id, value(&doc))),
        "not_submitted"
    );
    // A response, but over a file's limits: a comment longer than a file
    // may hold.
    let mut long = r.clone();
    long.employee_note = "x".repeat(crate::exchange::bundle::MAX_TEXT_CHARS + 1);
    let doc = forge(serde_json::to_string(&long).unwrap().as_bytes());
    match open_one(&keys, &doc.id, value(&doc)) {
        Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::InvalidRecord(BundleError::TooLarge { .. }),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // And an id a file may not hold (the bundle's record checks).
    let mut odd = r.clone();
    odd.device_id = "d".repeat(crate::exchange::bundle::MAX_ID_CHARS + 1);
    let doc = forge(serde_json::to_string(&odd).unwrap().as_bytes());
    assert_eq!(
        quarantined_kind(&open_one(&keys, &doc.id, value(&doc))),
        "invalid_record"
    );
}

#[test]
fn oversize_documents_are_refused_before_opening() {
    let key = team();
    let keys = ring(&key);
    let doc = sealed(&key, &survey_answer(1, 9));
    let mut big = value(&doc);
    big["ct"] = json!("A".repeat(MAX_DOC_JSON_BYTES));
    assert_eq!(quarantined_kind(&open_one(&keys, &doc.id, big)), "oversize");
    // Padding in a field of its own counts too.
    let mut padded = value(&doc);
    padded["padding"] = json!("x".repeat(MAX_DOC_JSON_BYTES));
    assert_eq!(
        quarantined_kind(&open_one(&keys, &doc.id, padded)),
        "oversize"
    );
    // A ciphertext over the seal's cap in a document under the JSON cap.
    let mut long_ct = value(&doc);
    long_ct["ct"] = json!("A".repeat(MAX_DOC_JSON_BYTES - 500));
    assert_eq!(
        quarantined_kind(&open_one(&keys, &doc.id, long_ct)),
        "oversize"
    );
    let part = format!("{}:1", doc.id);
    let mut big_part = value(&doc);
    big_part["_id"] = json!(part);
    big_part["ct"] = json!("A".repeat(MAX_DOC_JSON_BYTES));
    assert_eq!(
        quarantined_kind(&open_one(&keys, &part, big_part)),
        "oversize"
    );
}

#[test]
fn foreign_shapes_are_named() {
    let key = team();
    let keys = ring(&key);
    let good = sealed(&key, &survey_answer(1, 9));
    let id = good.id.clone();
    let mut other_type = value(&good);
    other_type["type"] = json!("note");
    let mut no_ct = value(&good);
    no_ct.as_object_mut().unwrap().remove("ct");
    let mut other_id = value(&good);
    other_id["_id"] = json!(format!("resp:{}", uuid(9)));
    let mut bad_b64 = value(&good);
    bad_b64["ct"] = json!("not base64!");
    let mut newer = value(&good);
    newer["v"] = json!(2);
    let cases = [
        ("hello", json!({"_id": "hello"}), "foreign_shape"),
        (id.as_str(), json!("a string"), "foreign_shape"),
        (id.as_str(), Value::Null, "foreign_shape"),
        (id.as_str(), other_type, "foreign_shape"),
        (id.as_str(), no_ct, "foreign_shape"),
        (id.as_str(), other_id, "foreign_shape"),
        (id.as_str(), bad_b64, "foreign_shape"),
        (id.as_str(), newer, "newer_version"),
    ];
    for (id, doc, kind) in cases {
        let o = open_one(&keys, id, doc.clone());
        assert_eq!(quarantined_kind(&o), kind, "{id} {doc}");
    }
    let upper = id.to_uppercase().replace("RESP", "resp");
    assert_eq!(
        quarantined_kind(&open_one(&keys, &upper, json!({"_id": upper}))),
        "foreign_shape"
    );
}

/// 500 junk documents of every kind around a few good answers, in small
/// batches: every junk document is quarantined, every good one counted, and
/// the pull reads to the end.
#[test]
fn a_flood_of_junk_is_quarantined_and_the_good_answers_are_taken() {
    let key = team();
    let other = team();
    let mut inbox = FakeInbox::default();
    let template = sealed(&key, &survey_answer(1, 9));
    let mut junk_ids = Vec::new();
    let mut good = Vec::new();
    for i in 0..500u128 {
        if i % 50 == 25 {
            let r = survey_answer(10_000 + i, (i % 11) as u8);
            inbox.put_doc(&sealed(&key, &r));
            good.push(r.id);
        }
        let id = format!("resp:{}", uuid(i));
        let doc = match i % 10 {
            0 => json!({"_id": id, "hello": "world"}),
            1 => {
                json!({"_id": id, "type": "sealed", "v": 1, "kid": key.kid(), "enc": "AAAA", "ct": "AAAA"})
            }
            2 => {
                let mut d = value(&template);
                d["_id"] = json!(id);
                d
            }
            3 => value(&SealedDoc {
                id: id.clone(),
                ..tampered(&sealed(&key, &survey_answer(i, 1)), i as usize)
            }),
            4 => value(&sealed(&other, &survey_answer(i, 2))),
            5 => {
                json!({"_id": id, "type": "sealed", "v": 1, "kid": key.kid(), "enc": template.enc, "ct": "x".repeat(2000)})
            }
            6 => json!([1, 2, 3]),
            7 => json!({"_id": format!("junk-{i}")}),
            8 => {
                let r = survey_answer(i, 3);
                let d = seal::forge(
                    &key.public_key(),
                    r.id,
                    &seal::Binding::of(&r),
                    b"{\"x\": 1}",
                    &mut seal::system_rng(),
                );
                value(&d)
            }
            _ => {
                json!({"_id": id, "type": "sealed", "v": 1, "kid": key.kid(), "enc": template.enc, "ct": "A".repeat(MAX_DOC_JSON_BYTES)})
            }
        };
        let id = match i % 10 {
            4 | 8 => doc["_id"].as_str().unwrap().to_owned(),
            7 => format!("junk-{i}"),
            _ => id,
        };
        inbox.put(&id, doc);
        junk_ids.push(id);
    }
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 37).unwrap();
    assert!(m.batches > 10);
    let mut taken: Vec<_> = m.responses().iter().map(|r| r.id).collect();
    taken.sort();
    good.sort();
    assert_eq!(taken, good);
    let mut quarantined: Vec<&str> = m.quarantine.values().map(|q| q.doc_id.as_str()).collect();
    quarantined.sort();
    quarantined.dedup();
    junk_ids.sort();
    assert_eq!(quarantined, junk_ids);
    assert_eq!(m.quarantine.len(), 500, "one reason each");
    let kinds: std::collections::BTreeSet<&str> = m.kinds().into_iter().collect();
    for k in [
        "foreign_shape",
        "decrypt_failed",
        "unknown_key",
        "not_a_response",
        "oversize",
    ] {
        assert!(kinds.contains(k), "{k} in {kinds:?}");
    }
    // Nothing of it is counted: only the good answers are in the store, and
    // a second pull from the checkpoint adds nothing.
    let before = (m.store.clone(), m.quarantine.len());
    m.pull_all(&mut inbox, &ring(&key), 37).unwrap();
    assert_eq!((m.store.clone(), m.quarantine.len()), before);
}
