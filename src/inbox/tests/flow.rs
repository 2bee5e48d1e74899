//! Whole rounds against the fake inbox: answers taken through the merge,
//! delivered twice, read again after a crash, rejected by the merge; and
//! the property that any sealed answer comes out as it went in.

use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::exchange::bundle::{PhotoRecord, RecordKind};
use crate::exchange::merge::{RejectReason, SkipReason};
use crate::inbox::{seal_submission, QuarantineReason};

#[test]
fn a_good_answer_opens_into_a_bundle_whose_merge_adds_it() {
    let key = team();
    let r = survey_answer(1, 9);
    let doc = sealed(&key, &r);
    let Outcome::Opened(o) = open_one(&ring(&key), &doc.id, value(&doc)) else {
        panic!("not opened")
    };
    assert_eq!(o.doc_ids, vec![doc.id.clone()]);
    assert_eq!(o.bundle.contents.responses, vec![r.clone()]);
    assert_eq!(o.bundle.manifest.device_id, "phone-a");
    assert_eq!(o.bundle.manifest.created_at, now());
    assert_eq!(o.bundle.manifest.counts.responses, 1);
    let (changes, report) = merge(&store(), &o.bundle, here());
    assert_eq!(changes.responses, vec![r.clone()]);
    assert_eq!(
        report.kind(RecordKind::Response).added,
        vec![r.id.to_string()]
    );
    assert!(quarantine_from_report(&report, &o, now()).is_empty());

    // The same through the whole round.
    let mut inbox = FakeInbox::default();
    inbox.put_doc(&doc);
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 10).unwrap();
    assert_eq!(m.responses(), &[r]);
    assert_eq!(m.checkpoint, Some(json!(1)));
    assert!(m.quarantine.is_empty() && m.waiting.is_empty());
}

#[test]
fn an_answer_to_a_built_in_template_brings_its_version() {
    let key = team();
    let q = crate::templates::find("tpl-retail-quick", 1).unwrap();
    let r = response(5, &q, 5, vec![]);
    let doc = sealed(&key, &r);
    let Outcome::Opened(o) = open_one(&ring(&key), &doc.id, value(&doc)) else {
        panic!()
    };
    assert_eq!(o.bundle.contents.questionnaires, vec![q]);
    let (changes, report) = merge(&Snapshot::default(), &o.bundle, here());
    assert_eq!(changes.responses, vec![r]);
    assert!(
        changes.questionnaires.is_empty(),
        "built-ins are never stored"
    );
    assert!(quarantine_from_report(&report, &o, now()).is_empty());
}

#[test]
fn a_duplicate_delivery_is_skipped_by_the_merge_and_not_quarantined() {
    let key = team();
    let r = survey_answer(1, 9);
    let doc = sealed(&key, &r);
    let mut inbox = FakeInbox::default();
    inbox.put_doc(&doc);
    inbox.put_doc(&sealed(&key, &survey_answer(2, 3)));
    // The same document listed again (a cluster's replay), in a later batch
    // and twice within one.
    inbox.put_doc(&doc);
    inbox.put_doc(&doc);
    let mut m = Manager::new();
    m.pull_all(&mut inbox, &ring(&key), 3).unwrap();
    assert_eq!(m.responses().len(), 2);
    assert!(m.quarantine.is_empty());
    let skipped: Vec<_> = m
        .reports
        .iter()
        .flat_map(|rep| rep.kind(RecordKind::Response).skipped.clone())
        .collect();
    assert_eq!(
        skipped,
        vec![
            (r.id.to_string(), SkipReason::Unchanged),
            (r.id.to_string(), SkipReason::Unchanged)
        ]
    );
}

#[test]
fn a_pull_interrupted_mid_batch_reads_it_again_without_duplicates() {
    let key = team();
    let mut inbox = FakeInbox::default();
    let answers: Vec<Response> = (1..=7).map(|n| survey_answer(n, 8)).collect();
    for r in &answers {
        inbox.put_doc(&sealed(&key, r));
    }
    let junk = format!("resp:{}", uuid(50));
    inbox.put(&junk, json!({"_id": junk, "junk": true}));
    let mut m = Manager::new();
    m.round(&mut inbox, &ring(&key), 3, true).unwrap();
    assert_eq!(
        (m.responses().len(), m.checkpoint.clone()),
        (3, Some(json!(3)))
    );
    // The device dies after reading the second batch, before storing it.
    let lost = m.round(&mut inbox, &ring(&key), 3, false).unwrap();
    assert_eq!(lost.last_seq, json!(6));
    assert_eq!(
        (m.responses().len(), m.checkpoint.clone()),
        (3, Some(json!(3)))
    );
    // Started again from the stored checkpoint: the batch is read again.
    m.pull_all(&mut inbox, &ring(&key), 3).unwrap();
    let since: Vec<&str> = inbox
        .requests
        .iter()
        .filter(|q| q.path == "/inbox/_changes")
        .map(|q| q.param("since").unwrap())
        .collect();
    assert_eq!(since, ["0", "3", "3", "6"]);
    let mut ids: Vec<_> = m.responses().iter().map(|r| r.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 7);
    assert_eq!(m.responses().len(), 7);
    assert_eq!(m.quarantine.len(), 1);
    let added: usize = m
        .reports
        .iter()
        .map(|rep| rep.kind(RecordKind::Response).added.len())
        .sum();
    assert_eq!(added, 7, "each added once");
    assert_eq!(m.checkpoint, Some(json!(8)));
}

#[test]
fn what_the_merge_rejects_is_quarantined_not_dropped() {
    let key = team();
    let mut m = Manager::new();
    let mut inbox = FakeInbox::default();

    // A version this device does not hold.
    let mut v2 = survey();
    v2.version = 2;
    let unknown = response(1, &v2, 1, vec![]);
    inbox.put_doc(&sealed(&key, &unknown));

    // A different copy of a submitted answer already here (from a file).
    let stored = survey_answer(2, 10);
    m.store.contents.responses.push(stored.clone());
    let mut changed = stored.clone();
    changed.employee_note = "edited".into();
    inbox.put_doc(&sealed(&key, &changed));

    // Dated a day ahead of this device's clock.
    let mut ahead = survey_answer(3, 5);
    ahead.started_at = Timestamp::new(now().utc_ms + 86_400_000, 180);
    inbox.put_doc(&sealed(&key, &ahead));

    // A good answer with a photo dated ahead: the answer counts, the photo
    // is quarantined.
    let r = audit_answer(4);
    let (mut meta, bytes) = photo(&r, 1, 100);
    meta.taken_at = Timestamp::new(now().utc_ms + 86_400_000, 180);
    let sub = seal_submission(
        &key.public_key(),
        &r,
        &[(meta.clone(), bytes.as_slice())],
        &mut seal::system_rng(),
    )
    .unwrap();
    for d in deliveries(&sub) {
        inbox.handle(&d.request(DB));
    }

    m.pull_all(&mut inbox, &ring(&key), 10).unwrap();
    let mut got: Vec<(String, QuarantineReason)> = m
        .quarantine
        .values()
        .map(|q| (q.doc_id.clone(), q.reason.clone()))
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let mut want = vec![
        (
            format!("resp:{}", unknown.id),
            QuarantineReason::UnknownVersion {
                questionnaire_id: "srv".into(),
                version: 2,
            },
        ),
        (
            format!("resp:{}", changed.id),
            QuarantineReason::ChangedSubmitted,
        ),
        (
            format!("resp:{}", ahead.id),
            QuarantineReason::Refused {
                kind: RecordKind::Response,
                id: ahead.id.to_string(),
                reason: RejectReason::InFuture,
            },
        ),
        (
            format!("resp:{}", r.id),
            QuarantineReason::Refused {
                kind: RecordKind::Photo,
                id: meta.id.to_string(),
                reason: RejectReason::InFuture,
            },
        ),
    ];
    want.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(got, want);
    // Only the good answer is counted; the stored copy is unchanged.
    let mut ids: Vec<_> = m.responses().iter().map(|x| x.id).collect();
    ids.sort();
    assert_eq!(ids, {
        let mut v = vec![stored.id, r.id];
        v.sort();
        v
    });
    assert!(m.responses().contains(&stored));
    assert!(m.store.contents.photos.is_empty());
}

fn arb_answer() -> impl Strategy<Value = Response> {
    (
        1u128..1_000_000,
        0u8..=10,
        "\\PC{0,300}",
        "\\PC{0,100}",
        "[a-z0-9-]{1,40}",
        "[a-z0-9-]{1,40}",
        0i64..100_000,
    )
        .prop_map(|(n, nps, why, note, location, device, minutes)| {
            let mut r = response(
                n,
                &survey(),
                minutes,
                vec![
                    ("q-nps", AnswerValue::Scale(nps), ""),
                    ("q-why", AnswerValue::Text(why), "коммент"),
                ],
            );
            r.employee_note = note;
            r.location_id = location;
            r.device_id = device;
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any sealed answer, with or without photos, in parts of any size and
    /// batches of any size, comes out of pull and open as it went in.
    #[test]
    fn any_sealed_answer_round_trips_through_pull_and_open(
        r in arb_answer(),
        sizes in proptest::collection::vec(22usize..3_000, 0..3),
        max_part in 64usize..4_096,
        limit in 1u32..6,
        answer_first: bool,
    ) {
        let key = team();
        let photos: Vec<(PhotoMeta, Vec<u8>)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &len)| photo(&r, i as u128, len))
            .collect();
        let docs = sealed_with_photos(&key, &r, &photos, max_part);
        let mut inbox = FakeInbox::default();
        if answer_first {
            docs.iter().for_each(|d| inbox.put_doc(d));
        } else {
            docs[1..].iter().chain([&docs[0]]).for_each(|d| inbox.put_doc(d));
        }
        let mut m = Manager::new();
        m.pull_all(&mut inbox, &ring(&key), limit).unwrap();
        prop_assert_eq!(m.responses(), std::slice::from_ref(&r));
        let mut stored = m.store.contents.photos.clone();
        stored.sort_by_key(|p| p.id);
        let mut want: Vec<PhotoRecord> =
            photos.iter().map(|(m, b)| PhotoRecord::new(m, b).unwrap()).collect();
        want.sort_by_key(|p| p.id);
        prop_assert_eq!(stored, want);
        prop_assert!(m.quarantine.is_empty(), "{:?}", m.quarantine);
        prop_assert!(m.waiting.is_empty());
    }
}
