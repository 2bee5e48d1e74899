//! The parts on their own: the photos' format, the field device's
//! documents, the quarantine's words.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::domain::ResponseStatus;
use crate::exchange::bundle::{BundleError, RecordKind};
use crate::exchange::merge::RejectReason;
use crate::i18n::Lang;
use crate::inbox::photos::{decode, encode};
use crate::inbox::{
    seal_submission, PhotoPayloadError, QuarantineReason, StoredQuarantine, MAX_DELIVERED_PARTS,
};
use crate::seal::{BindingField, OpenError, SealError};

#[test]
fn photos_round_trip_through_their_format() {
    let r = audit_answer(1);
    let photos = [photo(&r, 1, 30), photo(&r, 2, 5_000)];
    let borrowed: Vec<(PhotoMeta, &[u8])> = photos
        .iter()
        .map(|(m, b)| (m.clone(), b.as_slice()))
        .collect();
    let payload = encode(&borrowed);
    let list_len = u32::from_be_bytes(payload[4..8].try_into().unwrap()) as usize;
    assert_eq!(&payload[..4], &1u32.to_be_bytes());
    assert_eq!(payload.len(), 8 + list_len + 30 + 5_000, "no base64 inside");
    let back = decode(&payload, r.id).unwrap();
    assert_eq!(back.len(), 2);
    for (rec, (meta, bytes)) in back.iter().zip(&photos) {
        assert_eq!(rec.bytes().unwrap(), *bytes);
        assert_eq!(rec.meta().bytes, bytes.len() as u64);
        assert_eq!(
            (rec.id, &rec.mime, rec.width),
            (meta.id, &meta.mime, meta.width)
        );
    }
    assert_eq!(decode(&encode(&[]), r.id).unwrap(), vec![]);
}

#[test]
fn damaged_photo_payloads_are_named() {
    let r = audit_answer(1);
    let (meta, bytes) = photo(&r, 1, 30);
    let good = encode(&[(meta.clone(), bytes.as_slice())]);
    let err = |p: &[u8]| decode(p, r.id).unwrap_err();
    assert_eq!(err(&good[..3]), PhotoPayloadError::Truncated);
    assert_eq!(err(&good[..10]), PhotoPayloadError::Truncated);
    assert_eq!(
        err(&good[..good.len() - 1]),
        PhotoPayloadError::LengthMismatch {
            declared: 30,
            actual: 29
        }
    );
    assert!(matches!(
        err(&[good.as_slice(), b"x"].concat()),
        PhotoPayloadError::LengthMismatch { .. }
    ));
    let mut newer = good.clone();
    newer[3] = 2;
    assert_eq!(err(&newer), PhotoPayloadError::NewerFormat { found: 2 });
    let mut zero = good.clone();
    zero[3] = 0;
    assert!(matches!(err(&zero), PhotoPayloadError::BadList { .. }));
    let mut list = 5u32.to_be_bytes().to_vec();
    list.splice(0..0, 1u32.to_be_bytes());
    list.extend_from_slice(b"{\"a\"}");
    assert!(matches!(err(&list), PhotoPayloadError::BadList { .. }));
    let mut huge = 1u32.to_be_bytes().to_vec();
    huge.extend_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(err(&huge), PhotoPayloadError::BadList { .. }));
    assert_eq!(
        decode(&good, uuid(5)).unwrap_err(),
        PhotoPayloadError::OtherResponse { photo: meta.id }
    );
    // A declared size over a file's photo limit is refused before anything
    // is added up or encoded.
    let mut list: Vec<PhotoMeta> = vec![meta.clone()];
    list[0].bytes = crate::exchange::bundle::MAX_PHOTO_BYTES + 1;
    let text = serde_json::to_vec(&list).unwrap();
    let mut big = 1u32.to_be_bytes().to_vec();
    big.extend_from_slice(&(text.len() as u32).to_be_bytes());
    big.extend_from_slice(&text);
    assert!(matches!(err(&big), PhotoPayloadError::TooLarge { .. }));
}

#[test]
fn a_submission_is_what_the_inbox_rules_accept_parts_first() {
    let key = team();
    let r = audit_answer(1);
    let (meta, bytes) = photo(&r, 1, seal::MAX_SEALED_BYTES + 10);
    let sub = seal_submission(
        &key.public_key(),
        &r,
        &[(meta, bytes.as_slice())],
        &mut seal::system_rng(),
    )
    .unwrap();
    let d = deliveries(&sub);
    assert_eq!(d.len(), 3);
    let main = format!("resp:{}", r.id);
    let order: Vec<&str> = d.iter().map(|x| x.doc_id.as_str()).collect();
    assert_eq!(
        order,
        [format!("{main}:1"), format!("{main}:2"), main.clone()]
    );
    assert_eq!(
        sub.doc_ids(),
        [main.clone(), format!("{main}:1"), format!("{main}:2")]
    );
    // couch/inbox.design.json: the fields allowed, `part` equal to the id's
    // number, `parts` from 1 to 99, kid and base64url shapes.
    for (i, x) in d.iter().enumerate() {
        let fields: BTreeSet<&str> = x
            .body
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let extra = if x.doc_id == main { "parts" } else { "part" };
        let want: BTreeSet<&str> = ["_id", "type", "v", "kid", "enc", "ct", extra].into();
        assert_eq!(fields, want);
        assert_eq!(x.body["_id"], json!(x.doc_id));
        assert_eq!(
            (x.body["type"].clone(), x.body["v"].clone()),
            (json!("sealed"), json!(1))
        );
        if x.doc_id == main {
            assert_eq!(x.body["parts"], json!(2));
        } else {
            assert_eq!(x.body["part"], json!(i + 1));
        }
        let kid = x.body["kid"].as_str().unwrap();
        assert!((1..=64).contains(&kid.len()) && kid.bytes().all(|b| b.is_ascii_alphanumeric()));
        for f in ["enc", "ct"] {
            let s = x.body[f].as_str().unwrap();
            assert!(
                s.len() % 4 != 1
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
        }
        assert!(x.body["ct"].as_str().unwrap().len() <= 1_500_000);
        let req = x.request("/inbox/");
        assert_eq!(req.method, Method::Put);
        assert_eq!(
            decode_component(req.path.strip_prefix("/inbox/").unwrap()).unwrap(),
            x.doc_id
        );
        assert!(
            req.query.is_empty(),
            "the proxy passes creates without a query only"
        );
        assert_eq!(req.body.as_ref(), Some(&x.body));
    }
    // Without photos: one document, no `parts`.
    let survey = survey_answer(2, 7);
    let sub = seal_submission(&key.public_key(), &survey, &[], &mut seal::system_rng()).unwrap();
    assert!(sub.parts.is_empty());
    let d = deliveries(&sub);
    assert_eq!(d.len(), 1);
    assert!(d[0].body.get("parts").is_none());
}

#[test]
fn a_submission_refuses_what_the_manager_would() {
    let key = team();
    let pk = key.public_key();
    let mut rng = seal::system_rng();
    let r = audit_answer(1);
    let mut draft = r.clone();
    draft.status = ResponseStatus::Draft;
    assert!(matches!(
        seal_submission(&pk, &draft, &[], &mut rng),
        Err(SealError::NotAResponse { .. })
    ));
    let (mut meta, bytes) = photo(&r, 1, 30);
    meta.response_id = uuid(999);
    assert!(matches!(
        seal_submission(&pk, &r, &[(meta, bytes.as_slice())], &mut rng),
        Err(SealError::BindingMismatch {
            field: BindingField::ResponseId,
            ..
        })
    ));
    // More photos than 99 parts hold: checked before anything is sealed.
    let (meta, _) = photo(&r, 1, 30);
    let big = vec![0xFFu8; seal::MAX_SEALED_BYTES * MAX_DELIVERED_PARTS as usize + 1];
    assert!(matches!(
        seal_submission(&pk, &r, &[(meta, big.as_slice())], &mut rng),
        Err(SealError::TooManyParts { max: 99, .. })
    ));
}

#[test]
fn every_reason_has_a_name_and_words_in_both_languages() {
    let reasons = vec![
        QuarantineReason::UnknownKey { kid: "k".into() },
        QuarantineReason::DecryptFailed,
        QuarantineReason::ForeignShape { detail: "d".into() },
        QuarantineReason::NewerVersion { found: 2 },
        QuarantineReason::BindingMismatch {
            field: BindingField::DocumentId,
            bound: "a".into(),
            claimed: "b".into(),
        },
        QuarantineReason::NotAResponse { detail: "d".into() },
        QuarantineReason::NotSubmitted,
        QuarantineReason::Oversize { bytes: 2, max: 1 },
        QuarantineReason::DamagedParts(OpenError::PartsMismatch),
        QuarantineReason::BadPhotos(PhotoPayloadError::Truncated),
        QuarantineReason::IncompleteParts {
            count: 3,
            missing: 1,
        },
        QuarantineReason::OrphanPart,
        QuarantineReason::Gone,
        QuarantineReason::InvalidRecord(BundleError::NotBundle),
        QuarantineReason::UnknownVersion {
            questionnaire_id: "q".into(),
            version: 2,
        },
        QuarantineReason::ChangedSubmitted,
        QuarantineReason::Refused {
            kind: RecordKind::Photo,
            id: "p".into(),
            reason: RejectReason::InFuture,
        },
    ];
    let kinds: BTreeSet<&str> = reasons.iter().map(QuarantineReason::kind).collect();
    assert_eq!(kinds.len(), reasons.len(), "names are distinct");
    for lang in Lang::ALL {
        let texts: BTreeSet<String> = reasons.iter().map(|r| r.message(lang)).collect();
        assert_eq!(texts.len(), reasons.len(), "{lang:?}: texts are distinct");
    }
    for r in &reasons {
        let (ru, en) = (r.message(Lang::Ru), r.message(Lang::En));
        assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{r:?}");
        assert!(ru.chars().any(|c| ('а'..='я').contains(&c)), "{ru}");
        let q = Quarantined {
            doc_id: "resp:x".into(),
            reason: r.clone(),
            at: now(),
        };
        let stored = q.stored();
        assert_eq!(
            (stored.kind.as_str(), stored.message.en.as_str()),
            (r.kind(), en.as_str())
        );
        let text = serde_json::to_string(&stored).unwrap();
        assert_eq!(
            serde_json::from_str::<StoredQuarantine>(&text).unwrap(),
            stored
        );
        assert_eq!(stored.key(), format!("resp:x|{}", r.kind()));
    }
    // Every refusal of opening becomes a reason.
    let open_errors = [
        OpenError::Malformed { detail: "x".into() },
        OpenError::NotAnAnswer,
        OpenError::MissingPart { index: 1, count: 2 },
        OpenError::Part {
            index: 1,
            problem: Box::new(OpenError::DecryptFailed),
        },
    ];
    let mapped: Vec<&str> = open_errors
        .into_iter()
        .map(|e| QuarantineReason::from_open(e).kind())
        .collect();
    assert_eq!(
        mapped,
        [
            "foreign_shape",
            "foreign_shape",
            "damaged_parts",
            "damaged_parts"
        ]
    );
    for e in [
        PhotoPayloadError::NewerFormat { found: 2 },
        PhotoPayloadError::Truncated,
        PhotoPayloadError::BadList { detail: "d".into() },
        PhotoPayloadError::LengthMismatch {
            declared: 1,
            actual: 2,
        },
        PhotoPayloadError::OtherResponse { photo: uuid(1) },
        PhotoPayloadError::TooLarge {
            photo: uuid(1),
            bytes: 2,
            max: 1,
        },
    ] {
        assert_ne!(e.message(Lang::Ru), e.message(Lang::En));
    }
}
