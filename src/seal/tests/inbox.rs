//! Sealed answers and their parts: round trips, and every refusal.

use proptest::prelude::*;
use uuid::Uuid;

use super::super::encoding::{b64, unb64};
use super::super::inbox::{aad, header};
use super::super::{
    hpke_seal, open, open_parts, seal, seal_parts, Binding, BindingField, DocId, KeyRing,
    OpenError, SealError, SealedDoc, TeamKeyPair, TeamPublicKey, INFO, MAX_DOC_JSON_BYTES,
    MAX_PARTS, MAX_SEALED_BYTES,
};
use super::SeededRng;
use crate::domain::{Response, Timestamp};
use crate::i18n::Lang;

fn team(seed: u64) -> TeamKeyPair {
    TeamKeyPair::generate(&mut SeededRng::new(seed))
}

fn binding(n: u128) -> Binding {
    Binding {
        questionnaire_id: "csat-visit".to_owned(),
        questionnaire_version: 3,
        location_id: "store-12".to_owned(),
        response_id: Uuid::from_u128(0x4a3c_0000_0000_4000_8000_0000_0000_0000 + n),
    }
}

/// A response as the app serialises it, claiming `b`.
fn response_for(b: &Binding, note: &str) -> String {
    let mut r = Response::new_draft(
        b.response_id,
        &b.questionnaire_id,
        b.questionnaire_version,
        &b.location_id,
        "device-7",
        Timestamp::new(1_700_000_000_000, 180),
    );
    r.employee_note = note.to_owned();
    serde_json::to_string(&r).unwrap()
}

fn ring(keys: &[&TeamKeyPair]) -> KeyRing {
    let mut ring = KeyRing::new();
    for k in keys {
        ring.add((*k).clone());
    }
    ring
}

fn sealed(key: &TeamKeyPair, b: &Binding) -> SealedDoc {
    let json = response_for(b, "");
    seal(&key.public_key(), b, &json, &mut SeededRng::new(99)).unwrap()
}

/// A document whose plaintext the test writes itself, under the right
/// associated data: what only a sender holding the link could make.
fn forged(key: &TeamKeyPair, doc_id: Uuid, plaintext: &[u8]) -> SealedDoc {
    let aad = aad(key.kid(), doc_id, 0, 0);
    let (enc, ct) = hpke_seal(
        key.public_key().bytes(),
        INFO,
        &aad,
        plaintext,
        &mut SeededRng::new(5),
    )
    .unwrap();
    SealedDoc {
        id: DocId::Response(doc_id).to_string(),
        doc_type: "sealed".into(),
        v: 1,
        kid: key.kid().to_owned(),
        enc: b64(&enc),
        ct: b64(&ct),
        part: None,
        parts: None,
    }
}

fn with_header(b: &Binding, body: &str) -> Vec<u8> {
    let mut p = header(b, None).finish();
    p.extend_from_slice(body.as_bytes());
    p
}

#[test]
fn a_sealed_answer_has_the_inbox_shape_and_nothing_in_clear() {
    let key = team(1);
    let b = binding(1);
    let doc = sealed(&key, &b);
    let v: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
    let obj = v.as_object().unwrap();
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["_id", "ct", "enc", "kid", "type", "v"]);
    assert_eq!(v["_id"], format!("resp:{}", b.response_id));
    assert_eq!(v["type"], "sealed");
    assert_eq!(v["v"], 1);
    assert_eq!(v["kid"], key.kid());
    assert_eq!(unb64(v["enc"].as_str().unwrap()).unwrap().len(), 32);
    let text = doc.to_json();
    for secret in ["csat-visit", "store-12", "device-7"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

#[test]
fn couchdb_fields_are_ignored_and_missing_ones_refused() {
    let key = team(1);
    let doc = sealed(&key, &binding(1));
    let mut v: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
    v["_rev"] = "1-abc".into();
    let back = SealedDoc::from_json(&v.to_string()).unwrap();
    assert_eq!(back, doc);
    v.as_object_mut().unwrap().remove("enc");
    assert!(matches!(
        SealedDoc::from_json(&v.to_string()),
        Err(OpenError::Malformed { .. })
    ));
    assert!(matches!(
        SealedDoc::from_json("[1, 2]"),
        Err(OpenError::Malformed { .. })
    ));
    let huge = format!("{{\"_id\": \"{}\"}}", "x".repeat(MAX_DOC_JSON_BYTES));
    assert!(matches!(
        SealedDoc::from_json(&huge),
        Err(OpenError::Oversize { .. })
    ));
}

#[test]
fn an_answer_opens_with_its_binding_and_exact_json() {
    let key = team(1);
    let b = binding(1);
    let json = response_for(&b, "second till");
    let doc = seal(&key.public_key(), &b, &json, &mut SeededRng::new(3)).unwrap();
    let opened = open(&ring(&[&key]), &doc).unwrap();
    assert_eq!(opened.binding, b);
    assert_eq!(opened.response_json, json);
    assert_eq!(opened.kid, key.kid());
    assert_eq!(opened.parts, None);
}

#[test]
fn old_keys_in_the_ring_still_open() {
    let (old, new) = (team(1), team(2));
    let doc = sealed(&old, &binding(1));
    let mut keys = ring(&[&old, &new]);
    assert!(keys.make_current(new.kid()));
    assert!(open(&keys, &doc).is_ok());
}

#[test]
fn moved_to_another_id_it_does_not_open() {
    let key = team(1);
    let mut doc = sealed(&key, &binding(1));
    doc.id = DocId::Response(binding(2).response_id).to_string();
    assert_eq!(open(&ring(&[&key]), &doc), Err(OpenError::DecryptFailed));
}

#[test]
fn another_teams_answer_is_an_unknown_key() {
    let (ours, theirs) = (team(1), team(2));
    let doc = sealed(&theirs, &binding(1));
    assert_eq!(
        open(&ring(&[&ours]), &doc),
        Err(OpenError::UnknownKey {
            kid: theirs.kid().to_owned()
        })
    );
}

#[test]
fn another_teams_answer_under_our_key_id_does_not_open() {
    let (ours, theirs) = (team(1), team(2));
    let mut doc = sealed(&theirs, &binding(1));
    doc.kid = ours.kid().to_owned();
    assert_eq!(open(&ring(&[&ours]), &doc), Err(OpenError::DecryptFailed));
    // And a key id swapped between two keys we hold.
    let mut doc = sealed(&ours, &binding(1));
    doc.kid = theirs.kid().to_owned();
    assert_eq!(
        open(&ring(&[&ours, &theirs]), &doc),
        Err(OpenError::DecryptFailed)
    );
}

#[test]
fn the_shape_is_checked_before_opening() {
    let key = team(1);
    let keys = ring(&[&key]);
    let good = sealed(&key, &binding(1));
    let u = binding(1).response_id;
    type Edit = Box<dyn Fn(&mut SealedDoc)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("type", Box::new(|d| d.doc_type = "response".into())),
        ("v 0", Box::new(|d| d.v = 0)),
        ("id", Box::new(|d| d.id = "resp:42".into())),
        (
            "upper-case id",
            Box::new(move |d| d.id = format!("resp:{}", u.hyphenated().to_string().to_uppercase())),
        ),
        (
            "simple uuid",
            Box::new(move |d| d.id = format!("resp:{}", u.simple())),
        ),
        ("no prefix", Box::new(move |d| d.id = u.to_string())),
        ("enc not base64", Box::new(|d| d.enc = "***".into())),
        ("enc short", Box::new(|d| d.enc = b64(&[1; 31]))),
        ("enc padded", Box::new(|d| d.enc.push('='))),
        (
            "ct standard alphabet",
            Box::new(|d| d.ct = d.ct.replace('-', "+").replace('_', "/") + "+"),
        ),
    ];
    for (what, edit) in cases {
        let mut doc = good.clone();
        edit(&mut doc);
        assert!(
            matches!(open(&keys, &doc), Err(OpenError::Malformed { .. })),
            "{what}: {:?}",
            open(&keys, &doc)
        );
    }
    let mut newer = good.clone();
    newer.v = 2;
    assert_eq!(
        open(&keys, &newer),
        Err(OpenError::NewerVersion {
            found: 2,
            supported: 1
        })
    );
    let mut part = good.clone();
    part.id = format!("{}:1", good.id);
    assert_eq!(open(&keys, &part), Err(OpenError::NotAnAnswer));
}

#[test]
fn an_oversize_document_is_refused_before_decoding() {
    let key = team(1);
    let mut doc = sealed(&key, &binding(1));
    doc.ct = "A".repeat(((MAX_SEALED_BYTES + 16) * 4).div_ceil(3) + 1);
    assert!(matches!(
        open(&ring(&[&key]), &doc),
        Err(OpenError::Oversize { .. })
    ));
    // Oversize wins over an unknown key: nothing of it is looked at.
    doc.kid = "nobody".into();
    assert!(matches!(
        open(&ring(&[&key]), &doc),
        Err(OpenError::Oversize { .. })
    ));
}

#[test]
fn sealing_refuses_what_the_manager_would_refuse() {
    let key = team(1);
    let pk = key.public_key();
    let b = binding(1);
    let mut rng = SeededRng::new(1);
    let cases = [
        (BindingField::ResponseId, {
            let mut o = b.clone();
            o.response_id = binding(2).response_id;
            o
        }),
        (BindingField::Questionnaire, {
            let mut o = b.clone();
            o.questionnaire_id = "other".into();
            o
        }),
        (BindingField::Version, {
            let mut o = b.clone();
            o.questionnaire_version = 4;
            o
        }),
        (BindingField::Location, {
            let mut o = b.clone();
            o.location_id = "store-13".into();
            o
        }),
    ];
    for (field, claimed) in cases {
        let json = response_for(&claimed, "");
        match seal(&pk, &b, &json, &mut rng) {
            Err(SealError::BindingMismatch { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field:?}: {other:?}"),
        }
    }
    assert!(matches!(
        seal(&pk, &b, "not json", &mut rng),
        Err(SealError::NotAResponse { .. })
    ));
    let big = response_for(&b, &"x".repeat(MAX_SEALED_BYTES));
    assert!(matches!(
        seal(&pk, &b, &big, &mut rng),
        Err(SealError::TooLarge { .. })
    ));
}

#[test]
fn a_low_order_public_key_is_refused_at_sealing() {
    let b = binding(1);
    let json = response_for(&b, "");
    let zero = TeamPublicKey::from_bytes([0; 32]);
    assert_eq!(
        seal(&zero, &b, &json, &mut SeededRng::new(1)),
        Err(SealError::BadKey)
    );
}

/// A sealer that holds the link can write anything; what it wrote must
/// still agree with itself and with the document id.
#[test]
fn a_response_claiming_another_binding_is_refused_after_opening() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let cases = [
        (
            BindingField::Questionnaire,
            "questionnaire_id",
            serde_json::json!("other"),
        ),
        (
            BindingField::Version,
            "questionnaire_version",
            serde_json::json!(9),
        ),
        (
            BindingField::Location,
            "location_id",
            serde_json::json!("store-99"),
        ),
        (
            BindingField::ResponseId,
            "id",
            serde_json::json!(binding(7).response_id),
        ),
    ];
    for (field, name, value) in cases {
        let mut r: serde_json::Value = serde_json::from_str(&response_for(&b, "")).unwrap();
        r[name] = value;
        let doc = forged(&key, b.response_id, &with_header(&b, &r.to_string()));
        match open(&keys, &doc) {
            Err(OpenError::BindingMismatch { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field:?}: {other:?}"),
        }
    }
    // The header names another response than the document id.
    let other = binding(2);
    let doc = forged(
        &key,
        b.response_id,
        &with_header(&other, &response_for(&other, "")),
    );
    assert_eq!(
        open(&keys, &doc),
        Err(OpenError::BindingMismatch {
            field: BindingField::DocumentId,
            bound: other.response_id.to_string(),
            claimed: b.response_id.to_string(),
        })
    );
}

#[test]
fn plaintext_that_is_not_a_response_is_refused() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let bodies: Vec<Vec<u8>> = vec![
        b"{\"hello\": 1}".to_vec(),
        with_header(&b, "not json"),
        with_header(&b, "[1, 2, 3]"),
        with_header(&b, "{\"questionnaire_id\": \"csat-visit\"}"),
        {
            let mut p = header(&b, None).finish();
            p.extend_from_slice(&[0xff, 0xfe, b'{', b'}']);
            p
        },
        Vec::new(),
    ];
    for body in bodies {
        let doc = forged(&key, b.response_id, &body);
        assert!(
            matches!(open(&keys, &doc), Err(OpenError::NotAResponse { .. })),
            "{body:?}: {:?}",
            open(&keys, &doc)
        );
    }
}

#[test]
fn document_ids_have_one_spelling() {
    let u = binding(1).response_id;
    assert_eq!(DocId::parse(&format!("resp:{u}")), Some(DocId::Response(u)));
    assert_eq!(
        DocId::parse(&format!("resp:{u}:12")),
        Some(DocId::Part {
            response: u,
            index: 12
        })
    );
    for bad in [
        format!("resp:{u}:0"),
        format!("resp:{u}:01"),
        format!("resp:{u}:{}", MAX_PARTS + 1),
        format!("resp:{u}:1:2"),
        format!("resp:{u}:-1"),
        format!("resp:{u}:"),
        format!("resp:{u} "),
        format!("resp:{{{u}}}"),
        format!("urn:uuid:{u}"),
        "resp:".to_owned(),
    ] {
        assert_eq!(DocId::parse(&bad), None, "{bad}");
    }
    let part = DocId::Part {
        response: u,
        index: 3,
    };
    assert_eq!(DocId::parse(&part.to_string()), Some(part));
    assert_eq!(part.response_id(), u);
}

fn photos(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn sealed_with_parts(
    key: &TeamKeyPair,
    b: &Binding,
    data: &[u8],
    part: usize,
    seed: u64,
) -> Vec<SealedDoc> {
    let json = response_for(b, "");
    seal_parts(
        &key.public_key(),
        b,
        &json,
        data,
        part,
        &mut SeededRng::new(seed),
    )
    .unwrap()
}

#[test]
fn photos_travel_in_numbered_parts_and_come_back_whole() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let data = photos(2_500);
    let docs = sealed_with_parts(&key, &b, &data, 1_000, 1);
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    let base = format!("resp:{}", b.response_id);
    assert_eq!(
        ids,
        [
            base.clone(),
            format!("{base}:1"),
            format!("{base}:2"),
            format!("{base}:3")
        ]
    );
    let main = open(&keys, &docs[0]).unwrap();
    assert_eq!(main.parts.as_ref().unwrap().count, 3);
    assert_eq!(main.parts.as_ref().unwrap().bytes, 2_500);
    // Any order of arrival.
    let mut shuffled = docs[1..].to_vec();
    shuffled.reverse();
    assert_eq!(open_parts(&keys, &main, &shuffled).unwrap(), data);
}

#[test]
fn without_photos_there_are_no_parts() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let docs = sealed_with_parts(&key, &b, &[], 1_000, 1);
    assert_eq!(docs.len(), 1);
    let main = open(&keys, &docs[0]).unwrap();
    assert_eq!(main.parts, None);
    assert_eq!(open_parts(&keys, &main, &[]).unwrap(), Vec::<u8>::new());
    let stray = sealed_with_parts(&key, &b, &photos(10), 1_000, 2);
    assert_eq!(
        open_parts(&keys, &main, &stray[1..]),
        Err(OpenError::ExtraPart { index: 1, count: 0 })
    );
}

#[test]
fn a_part_too_many_for_the_cap_is_refused_at_sealing() {
    let key = team(1);
    let b = binding(1);
    let json = response_for(&b, "");
    let r = seal_parts(
        &key.public_key(),
        &b,
        &json,
        &photos(MAX_PARTS as usize + 1),
        1,
        &mut SeededRng::new(1),
    );
    assert_eq!(
        r,
        Err(SealError::TooManyParts {
            count: u64::from(MAX_PARTS) + 1,
            max: MAX_PARTS
        })
    );
}

#[test]
fn missing_extra_duplicated_and_reordered_parts_are_named() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let docs = sealed_with_parts(&key, &b, &photos(3_000), 1_000, 1);
    let main = open(&keys, &docs[0]).unwrap();
    let (p1, p2, p3) = (&docs[1], &docs[2], &docs[3]);

    assert_eq!(
        open_parts(&keys, &main, &[p1.clone(), p3.clone()]),
        Err(OpenError::MissingPart { index: 2, count: 3 })
    );
    assert_eq!(
        open_parts(
            &keys,
            &main,
            &[p1.clone(), p2.clone(), p3.clone(), p1.clone()]
        ),
        Err(OpenError::DuplicatePart { index: 1 })
    );
    let mut extra = p3.clone();
    extra.id = format!("resp:{}:4", b.response_id);
    assert_eq!(
        open_parts(&keys, &main, &[p1.clone(), p2.clone(), p3.clone(), extra]),
        Err(OpenError::ExtraPart { index: 4, count: 3 })
    );
    // Parts 1 and 2 swapped under each other's ids.
    let (mut s1, mut s2) = (p2.clone(), p1.clone());
    s1.id = p1.id.clone();
    s2.id = p2.id.clone();
    assert_eq!(
        open_parts(&keys, &main, &[s1, s2, p3.clone()]),
        Err(OpenError::MisplacedPart { at: 1, belongs: 2 })
    );
    // A part of another response.
    let other = sealed_with_parts(&key, &binding(2), &photos(3_000), 1_000, 2);
    assert!(matches!(
        open_parts(&keys, &main, &[p1.clone(), p2.clone(), other[3].clone()]),
        Err(OpenError::Malformed { .. })
    ));
    // A changed part.
    let mut bad = p2.clone();
    let mut ct = unb64(&bad.ct).unwrap();
    ct[10] ^= 1;
    bad.ct = b64(&ct);
    assert_eq!(
        open_parts(&keys, &main, &[p1.clone(), bad, p3.clone()]),
        Err(OpenError::Part {
            index: 2,
            problem: Box::new(OpenError::DecryptFailed)
        })
    );
}

#[test]
fn parts_of_two_sendings_do_not_mix() {
    let key = team(1);
    let keys = ring(&[&key]);
    let b = binding(1);
    let first = sealed_with_parts(&key, &b, &photos(2_000), 1_000, 1);
    let mut other_photos = photos(2_000);
    other_photos[1_500] ^= 0x55;
    let second = sealed_with_parts(&key, &b, &other_photos, 1_000, 2);
    let main = open(&keys, &first[0]).unwrap();
    assert_eq!(
        open_parts(&keys, &main, &[first[1].clone(), second[2].clone()]),
        Err(OpenError::PartsMismatch)
    );
    assert_eq!(
        open_parts(&keys, &main, &first[1..]).unwrap(),
        photos(2_000)
    );
}

#[test]
fn every_refusal_has_its_own_words_in_both_languages() {
    let errors = [
        OpenError::Malformed { detail: "x".into() },
        OpenError::NewerVersion {
            found: 2,
            supported: 1,
        },
        OpenError::UnknownKey { kid: "ab".into() },
        OpenError::Oversize { bytes: 2, max: 1 },
        OpenError::DecryptFailed,
        OpenError::NotAnAnswer,
        OpenError::NotAResponse { detail: "x".into() },
        OpenError::BindingMismatch {
            field: BindingField::Location,
            bound: "a".into(),
            claimed: "b".into(),
        },
        OpenError::MissingPart { index: 1, count: 2 },
        OpenError::ExtraPart { index: 3, count: 2 },
        OpenError::DuplicatePart { index: 1 },
        OpenError::MisplacedPart { at: 1, belongs: 2 },
        OpenError::PartsMismatch,
        OpenError::Part {
            index: 2,
            problem: Box::new(OpenError::DecryptFailed),
        },
    ];
    for lang in Lang::ALL {
        let texts: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
        let mut unique = texts.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), texts.len(), "{texts:#?}");
    }
    let kinds: std::collections::BTreeSet<&str> = errors.iter().map(OpenError::kind).collect();
    assert_eq!(kinds.len(), errors.len());
    for e in &errors {
        let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
        assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
        assert!(!en.chars().any(|c| ('а'..='я').contains(&c)), "{en}");
    }
}

fn arb_binding() -> impl Strategy<Value = Binding> {
    ("\\PC{1,40}", any::<u32>(), "\\PC{0,40}", any::<u128>()).prop_map(|(q, v, l, u)| Binding {
        questionnaire_id: q,
        questionnaire_version: v,
        location_id: l,
        response_id: Uuid::from_u128(u),
    })
}

proptest! {
    // Each case runs X25519 a few times (parts: twice per part) in a debug
    // build, where it takes milliseconds.
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn seal_then_open_gives_back_the_answer(b in arb_binding(), note in "\\PC{0,300}", seed: u64) {
        let key = team(seed);
        let json = response_for(&b, &note);
        let doc = seal(&key.public_key(), &b, &json, &mut SeededRng::new(seed ^ 1)).unwrap();
        let back = SealedDoc::from_json(&doc.to_json()).unwrap();
        let opened = open(&ring(&[&key]), &back).unwrap();
        prop_assert_eq!(opened.binding, b);
        prop_assert_eq!(opened.response_json, json);
    }

    #[test]
    fn any_changed_byte_of_enc_or_ct_fails_to_open(seed: u64, in_enc: bool, at: usize, flip in 1u8..) {
        let key = team(seed);
        let b = binding(u128::from(seed));
        let mut doc = sealed(&key, &b);
        let field = if in_enc { &mut doc.enc } else { &mut doc.ct };
        let mut bytes = unb64(field).unwrap();
        let i = at % bytes.len();
        bytes[i] ^= flip;
        *field = b64(&bytes);
        prop_assert_eq!(open(&ring(&[&key]), &doc), Err(OpenError::DecryptFailed));
    }

    #[test]
    fn parts_come_back_whole_for_any_size(
        (part, len) in (1usize..6, 1usize..400)
            .prop_flat_map(|(n, part)| (Just(part), (n - 1) * part + 1..=n * part)),
        seed: u64,
    ) {
        let key = team(seed);
        let keys = ring(&[&key]);
        let b = binding(7);
        let data: Vec<u8> = (0..len).map(|i| (i as u64 ^ seed) as u8).collect();
        let docs = sealed_with_parts(&key, &b, &data, part, seed);
        prop_assert_eq!(docs.len(), 1 + len.div_ceil(part));
        let main = open(&keys, &docs[0]).unwrap();
        prop_assert_eq!(open_parts(&keys, &main, &docs[1..]).unwrap(), data);
    }
}
