//! A shopper's answer with photo parts: across batches, in either order,
//! damaged, incomplete, and the waiting state's bounds.

use serde_json::json;

use super::*;
use crate::exchange::bundle::{BundleError, PhotoRecord, RecordKind};
use crate::inbox::{
    seal_submission, QuarantineReason, Step, MAX_EARLY_PARTS, MAX_WAITING_ANSWERS, MAX_WAIT_MS,
};
use crate::seal::OpenError;

fn photo_records(photos: &[(PhotoMeta, Vec<u8>)]) -> Vec<PhotoRecord> {
    photos
        .iter()
        .map(|(m, b)| PhotoRecord::new(m, b).unwrap())
        .collect()
}

/// Two photos too big for one document, delivered as the field device
/// does (parts first), with a batch boundary between the parts and the
/// answer.
#[test]
fn an_audit_with_two_photo_parts_arrives_over_two_batches() {
    let key = team();
    let r = audit_answer(1);
    let photos = vec![photo(&r, 1, 300_000), photo(&r, 2, 300_000)];
    let borrowed: Vec<(PhotoMeta, &[u8])> = photos
        .iter()
        .map(|(m, b)| (m.clone(), b.as_slice()))
        .collect();
    let sub = seal_submission(&key.public_key(), &r, &borrowed, &mut seal::system_rng()).unwrap();
    assert_eq!(sub.parts.len(), 2);
    let mut inbox = FakeInbox::default();
    for d in deliveries(&sub) {
        assert_eq!(inbox.handle(&d.request(DB)).status, 201);
    }
    // Delivered again after a lost reply: already there.
    for d in deliveries(&sub) {
        assert_eq!(inbox.handle(&d.request(DB)).status, 409);
    }
    let mut m = Manager::new();
    // Batch 1: both parts, nothing to open yet; they wait by id only.
    m.round(&mut inbox, &ring(&key), 2, true).unwrap();
    assert_eq!(m.responses().len(), 0);
    assert_eq!((m.waiting.answers(), m.waiting.early_parts()), (0, 2));
    assert!(m.quarantine.is_empty());
    // Batch 2: the answer; its parts are read again and it opens whole.
    m.round(&mut inbox, &ring(&key), 2, true).unwrap();
    assert_eq!(m.responses(), std::slice::from_ref(&r));
    let mut stored = m.store.contents.photos.clone();
    stored.sort_by_key(|p| p.id);
    assert_eq!(stored, photo_records(&photos));
    assert!(m.waiting.is_empty());
    assert!(m.quarantine.is_empty());
    let fetch = inbox.requests.iter().find(|q| q.path == "/inbox/_all_docs");
    assert_eq!(
        fetch.unwrap().body.as_ref().unwrap()["keys"],
        json!(sub.doc_ids())
    );
    assert_eq!(
        m.reports[0].kind(RecordKind::Photo).added.len(),
        2,
        "{:?}",
        m.reports
    );
}

/// The answer first, then its parts one by one in later batches: it waits,
/// and opens when the last part is listed.
#[test]
fn an_answer_listed_before_its_parts_waits_for_them() {
    let key = team();
    let r = audit_answer(2);
    let photos = vec![photo(&r, 1, 50), photo(&r, 2, 70)];
    let docs = sealed_with_photos(&key, &r, &photos, 40);
    let count = docs.len() - 1;
    assert!(count >= 4);
    let mut inbox = FakeInbox::default();
    for d in &docs[..2] {
        inbox.put_doc(d);
    }
    let mut m = Manager::new();
    // The answer and its first part: it is read again at once, and waits.
    m.pull_all(&mut inbox, &ring(&key), 2).unwrap();
    assert_eq!((m.responses().len(), m.waiting.answers()), (0, 1));
    let fetches = |inbox: &FakeInbox| {
        inbox
            .requests
            .iter()
            .filter(|q| q.path == "/inbox/_all_docs")
            .count()
    };
    assert_eq!(fetches(&inbox), 1);
    // The rest come one by one; only the last one makes it read again.
    for d in &docs[2..] {
        inbox.put_doc(d);
        m.pull_all(&mut inbox, &ring(&key), 1).unwrap();
    }
    assert_eq!(fetches(&inbox), 2);
    assert_eq!(m.responses(), std::slice::from_ref(&r));
    let mut stored = m.store.contents.photos.clone();
    stored.sort_by_key(|p| p.id);
    assert_eq!(stored, photo_records(&photos));
    assert!(m.waiting.is_empty() && m.quarantine.is_empty());
}

/// Parts listed long before their answer and pushed out of the waiting
/// state (quarantined as orphans) are still found when the answer comes,
/// and their entries are settled.
#[test]
fn an_answer_finds_parts_pushed_out_of_the_waiting_state() {
    let key = team();
    let r = audit_answer(3);
    let photos = vec![photo(&r, 1, 100)];
    let docs = sealed_with_photos(&key, &r, &photos, 30);
    let mut inbox = FakeInbox::default();
    for d in &docs[1..] {
        inbox.put_doc(d);
    }
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 100).unwrap();
    assert_eq!(m.waiting.early_parts(), docs.len() - 1);
    // A month later they are given up on.
    let later = Timestamp::new(now().utc_ms + MAX_WAIT_MS + 1, 180);
    let step = Opener::new(&ring(&key), later).batch(&m.waiting, Vec::new());
    assert!(step.waiting.is_empty());
    assert_eq!(step.outcomes.len(), docs.len() - 1);
    for o in &step.outcomes {
        assert_eq!(quarantined_kind(o), "orphan_part");
        if let Outcome::Quarantined(q) = o {
            m.quarantine.insert(q.stored().key(), q.clone());
        }
    }
    m.waiting = step.waiting;
    // Then the answer arrives after all.
    inbox.put_doc(&docs[0]);
    m.pull_all(&mut inbox, &ring(&key), 100).unwrap();
    assert_eq!(m.responses(), &[r]);
    assert_eq!(m.store.contents.photos, photo_records(&photos));
    assert!(m.quarantine.is_empty(), "{:?}", m.quarantine);
}

#[test]
fn an_answer_whose_parts_never_come_is_quarantined_in_the_end() {
    let key = team();
    let r = audit_answer(4);
    let docs = sealed_with_photos(&key, &r, &[photo(&r, 1, 90)], 30);
    let mut inbox = FakeInbox::default();
    inbox.put_doc(&docs[0]);
    inbox.put_doc(&docs[2]);
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 10).unwrap();
    assert_eq!((m.responses().len(), m.waiting.answers()), (0, 1));
    assert!(m.quarantine.is_empty());
    // The waiting state survives being stored.
    let text = serde_json::to_string(&m.waiting).unwrap();
    let back: Waiting = serde_json::from_str(&text).unwrap();
    assert_eq!(back, m.waiting);
    assert_eq!(
        serde_json::from_str::<Waiting>("{}").unwrap(),
        Waiting::default()
    );
    let later = Timestamp::new(now().utc_ms + MAX_WAIT_MS + 1, 180);
    let step = Opener::new(&ring(&key), later).batch(&back, Vec::new());
    assert!(step.waiting.is_empty());
    let count = (docs.len() - 1) as u32;
    assert_eq!(
        step.outcomes,
        vec![Outcome::Quarantined(Quarantined {
            doc_id: docs[0].id.clone(),
            reason: QuarantineReason::IncompleteParts {
                count,
                missing: count - 1
            },
            at: later,
        })]
    );
}

#[test]
fn damaged_parts_are_quarantined_with_the_answer() {
    let key = team();
    let keys = ring(&key);
    let r = audit_answer(5);
    let photos = vec![photo(&r, 1, 100)];
    let docs = sealed_with_photos(&key, &r, &photos, 40);
    let batch = |docs: Vec<SealedDoc>| -> Step {
        Opener::new(&keys, now()).batch(
            &Waiting::default(),
            docs.iter().map(|d| (d.id.clone(), value(d))).collect(),
        )
    };
    // Parts of two sealings of the same answer mixed.
    let mut other = photos.clone();
    // Same size, so the same count; the content differs.
    other[0].0.width = 641;
    let again = sealed_with_photos(&key, &r, &other, 40);
    let mut mixed = again.clone();
    mixed[0] = docs[0].clone();
    match &batch(mixed).outcomes[..] {
        [Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::DamagedParts(OpenError::PartsMismatch),
            ..
        })] => {}
        other => panic!("{other:?}"),
    }
    // Two parts swapped under each other's numbers.
    let mut swapped = docs.clone();
    let (a, b) = (swapped[1].ct.clone(), swapped[2].ct.clone());
    let enc = (swapped[1].enc.clone(), swapped[2].enc.clone());
    swapped[1].ct = b;
    swapped[2].ct = a;
    swapped[1].enc = enc.1;
    swapped[2].enc = enc.0;
    match &batch(swapped).outcomes[..] {
        [Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::DamagedParts(OpenError::MisplacedPart { at: 1, belongs: 2 }),
            ..
        })] => {}
        other => panic!("{other:?}"),
    }
    // A part beyond the declared count.
    let mut extra = docs.clone();
    let n = docs.len() as u32;
    let mut beyond = value(&docs[1]);
    let beyond_id = format!("resp:{}:{n}", r.id);
    beyond["_id"] = json!(beyond_id);
    let step = Opener::new(&keys, now()).batch(
        &Waiting::default(),
        extra
            .drain(..)
            .map(|d| (d.id.clone(), value(&d)))
            .chain([(beyond_id.clone(), beyond)])
            .collect(),
    );
    let kinds: Vec<&str> = step
        .outcomes
        .iter()
        .map(|o| match o {
            Outcome::Opened(_) => "opened",
            q => quarantined_kind(q),
        })
        .collect();
    assert_eq!(kinds, ["damaged_parts", "opened"], "{:?}", step.outcomes);
    // A part of an answer that is itself refused has nothing to belong to.
    let mut refused = docs.clone();
    refused[0].kid = "ffffffffffffffff".into();
    let kinds: Vec<&str> = batch(refused)
        .outcomes
        .iter()
        .map(quarantined_kind)
        .collect();
    assert_eq!(kinds[0], "unknown_key");
    assert!(kinds[1..].iter().all(|k| *k == "orphan_part"));
    assert_eq!(kinds.len(), docs.len());
}

#[test]
fn photos_are_checked_as_a_files_photos_are() {
    let key = team();
    let keys = ring(&key);
    let r = audit_answer(6);
    let open = |photos: &[(PhotoMeta, Vec<u8>)]| -> Outcome {
        let docs = sealed_with_photos(&key, &r, photos, seal::MAX_SEALED_BYTES);
        let step = Opener::new(&keys, now()).batch(
            &Waiting::default(),
            docs.iter().map(|d| (d.id.clone(), value(d))).collect(),
        );
        assert_eq!(step.outcomes.len(), 1);
        step.outcomes.into_iter().next().unwrap()
    };
    let good = photo(&r, 1, 64);
    let Outcome::Opened(o) = open(std::slice::from_ref(&good)) else {
        panic!()
    };
    assert_eq!(
        o.bundle.contents.photos,
        photo_records(std::slice::from_ref(&good))
    );
    assert_eq!(o.doc_ids.len(), 2);
    // Not an image, whatever the metadata says.
    let mut script = good.clone();
    script.1 = b"<script>alert(1)</script>".to_vec();
    match open(&[script]) {
        Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::InvalidRecord(BundleError::BadPhoto { .. }),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // A photo of another response, slipped into this answer.
    let mut foreign = good.clone();
    foreign.0.response_id = uuid(999);
    match open(&[foreign]) {
        Outcome::Quarantined(Quarantined {
            reason:
                QuarantineReason::BadPhotos(crate::inbox::PhotoPayloadError::OtherResponse { .. }),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // The same photo id twice.
    let twice = [good.clone(), good.clone()];
    match open(&twice) {
        Outcome::Quarantined(Quarantined {
            reason: QuarantineReason::InvalidRecord(BundleError::DuplicateId { .. }),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn parts_of_a_stored_answer_replayed_neither_wait_nor_are_quarantined() {
    let key = team();
    let r = audit_answer(7);
    let docs = sealed_with_photos(&key, &r, &[photo(&r, 1, 90)], 30);
    let mut inbox = FakeInbox::default();
    for d in &docs {
        inbox.put_doc(d);
    }
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 100).unwrap();
    assert_eq!(m.responses().len(), 1);
    // A cluster replays the parts, and the answer apart from them.
    for d in docs[1..].iter().chain([&docs[0]]) {
        inbox.put_doc(d);
    }
    let store = m.store.clone();
    m.pull_all(&mut inbox, &ring(&key), 1).unwrap();
    assert_eq!(m.store, store);
    assert!(m.waiting.is_empty() && m.quarantine.is_empty());
}

#[test]
fn the_waiting_state_is_bounded() {
    let key = team();
    let keys = ring(&key);
    // Answers declaring parts that never come, as many as are kept (the
    // state as stored, so the test does not seal a thousand answers), and
    // one more.
    let since = |i: i64| Timestamp::new(now().utc_ms - 1_000 + i, 180);
    let full: serde_json::Map<String, Value> = (0..MAX_WAITING_ANSWERS as i64)
        .map(|i| {
            let entry = json!({"count": 3, "seen": [1], "since": since(i % 500)});
            (uuid(100 + i as u128).to_string(), entry)
        })
        .collect();
    let full: Waiting = serde_json::from_value(json!({"answers": full})).unwrap();
    assert_eq!(full.answers(), MAX_WAITING_ANSWERS);
    let r = audit_answer(99);
    let one = sealed_with_photos(&key, &r, &[photo(&r, 1, 40)], seal::MAX_SEALED_BYTES);
    let step = Opener::new(&keys, now()).batch(&full, vec![(one[0].id.clone(), value(&one[0]))]);
    assert_eq!(step.waiting.answers(), MAX_WAITING_ANSWERS);
    // The oldest is given up on, the new one is read again.
    assert_eq!(
        step.outcomes,
        vec![Outcome::Quarantined(Quarantined {
            doc_id: format!("resp:{}", uuid(100)),
            reason: QuarantineReason::IncompleteParts {
                count: 3,
                missing: 2
            },
            at: now(),
        })]
    );
    assert_eq!(step.fetches.len(), 1);
    assert_eq!(step.fetches[0].response_id, r.id);
    let waiting = step.waiting;

    // Parts whose answers never come, more than are kept: the oldest go.
    let part = |u: Uuid, index: u32| {
        let id = format!("resp:{u}:{index}");
        let doc = json!({"_id": id, "type": "sealed", "v": 1, "kid": key.kid(),
                         "enc": "AAAA", "ct": "AAAA"});
        (id, doc)
    };
    let first: Vec<(String, Value)> = (1..=10).map(|i| part(uuid(1), i)).collect();
    let step = Opener::new(&keys, now()).batch(&waiting, first);
    assert_eq!(step.waiting.early_parts(), 10);
    let newer = Timestamp::new(now().utc_ms + 1, 180);
    let flood: Vec<(String, Value)> = (0..MAX_EARLY_PARTS as u128)
        .map(|i| part(uuid(10_000 + i), 1))
        .collect();
    let step = Opener::new(&keys, newer).batch(&step.waiting, flood);
    assert_eq!(step.waiting.early_parts(), MAX_EARLY_PARTS);
    let kinds: Vec<&str> = step.outcomes.iter().map(quarantined_kind).collect();
    assert_eq!(kinds, vec!["orphan_part"; 10]);
    assert_eq!(
        step.waiting.answers(),
        MAX_WAITING_ANSWERS,
        "answers untouched"
    );
}
