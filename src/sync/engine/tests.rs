//! The bridge natively: what a record change writes, and two manager
//! devices sharing their records through the fake CouchDB with the real
//! replicator and the import's merge.

use std::collections::BTreeMap;

use super::*;
use crate::domain::{AnswerValue, Location};
use crate::exchange::merge::{ConflictReason, Receiver, Snapshot};
use crate::exchange::test_data::{at, sample};
use crate::replication::batch::{Direction, Step};
use crate::replication::store::LocalStore;
use crate::replication::tests::fake_couch::{config, run, FakeCouch};
use crate::replication::MemoryStore;

const LIMIT: usize = 1000;

fn location(name: &str) -> Doc {
    to_doc(&Record::Location(Location {
        id: "loc-9".into(),
        name: name.into(),
    }))
    .unwrap()
}

#[test]
fn a_record_writes_a_revision_only_when_it_changed() {
    let (first, base) = outgoing(&location("Main street"), None, LIMIT).expect("a new record");
    assert_eq!(first.rev.pos, 1);
    assert_eq!(first.revisions.ids.len(), 1);
    assert!(outgoing(&location("Main street"), Some(&base), LIMIT).is_none());
    let (second, next) = outgoing(&location("Main street 2"), Some(&base), LIMIT).unwrap();
    assert_eq!(second.rev.pos, 2);
    assert_eq!(
        second.revisions.ids[1], first.rev.hash,
        "a child of the base"
    );
    // The same edit on two devices is one revision.
    let (again, _) = outgoing(&location("Main street 2"), Some(&base), LIMIT).unwrap();
    assert_eq!(again.rev, second.rev);
    assert_ne!(next.digest, base.digest);
    // History is capped as the store stems it.
    let (_, capped) = outgoing(&location("x"), Some(&next), 2).unwrap();
    assert_eq!(capped.revisions.ids.len(), 2);
}

#[test]
fn an_unchanged_picture_keeps_its_revpos_and_a_new_one_moves_it() {
    let photo = sample().photos[0].clone();
    let doc = to_doc(&Record::Photo(photo.clone())).unwrap();
    let (first, base) = outgoing(&doc, None, LIMIT).unwrap();
    assert_eq!(first.attachments["photo"].revpos, 1);
    let mut moved = doc.clone();
    moved.body.insert("question_id".into(), "q-clean".into());
    let (second, base2) = outgoing(&moved, Some(&base), LIMIT).unwrap();
    assert_eq!(
        second.attachments["photo"].revpos, 1,
        "the picture did not change"
    );
    let mut repainted = moved.clone();
    repainted.attachments.get_mut("photo").unwrap().1.push(0);
    let (third, _) = outgoing(&repainted, Some(&base2), LIMIT).unwrap();
    assert_eq!(third.attachments["photo"].revpos, 3);
}

#[test]
fn a_record_taken_from_a_winner_is_not_written_back() {
    for doc in documents_of(&sample()) {
        let (written, _) = outgoing(&doc, None, LIMIT).unwrap();
        let (record, base) = incoming(&written).expect("our own document reads back");
        assert!(is_document(&record, &doc.id));
        let again = to_doc(&record).unwrap();
        assert!(outgoing(&again, Some(&base), LIMIT).is_none(), "{}", doc.id);
    }
}

#[test]
fn drafts_and_their_photos_stay_on_the_device() {
    let mut c = sample();
    let draft = c.responses.iter().find(|r| r.is_draft()).unwrap().id;
    c.photos[0].response_id = draft;
    let ids: Vec<String> = documents_of(&c).into_iter().map(|d| d.id).collect();
    assert!(!ids.contains(&format!("response:{draft}")));
    assert!(!ids.iter().any(|i| i.starts_with("photo:")), "{ids:?}");
    assert!(ids.iter().any(|i| i.starts_with("location:")));
}

/// A manager's device: its records, its revision store, its bases and how
/// far it has read its own store's changes.
struct Device {
    id: &'static str,
    records: Snapshot,
    store: MemoryStore,
    bases: BTreeMap<String, Base>,
    seen: serde_json::Value,
}

impl Device {
    fn new(id: &'static str, contents: Contents) -> Device {
        Device {
            id,
            records: Snapshot {
                contents,
                conflicts: Vec::new(),
            },
            store: MemoryStore::new(),
            bases: BTreeMap::new(),
            seen: serde_json::Value::from(0),
        }
    }

    /// Writes what changed, pushes, pulls, and takes what came: one sync.
    /// Returns how many revisions it wrote and what it took.
    fn sync(&mut self, couch: &mut FakeCouch, session: &str) -> (usize, Taken) {
        let mut written = 0;
        for doc in documents_of(&self.records.contents) {
            if let Some((rev, base)) = outgoing(&doc, self.bases.get(&doc.id), LIMIT) {
                self.store.put_with_history(rev).unwrap();
                self.bases.insert(doc.id.clone(), base);
                written += 1;
            }
        }
        for direction in [Direction::Push, Direction::Pull] {
            let cfg = config(direction, self.id, session);
            assert!(matches!(run(cfg, &mut self.store, couch), Step::Done(_)));
        }
        let page = self.store.changes_since(&self.seen, usize::MAX).unwrap();
        self.seen = page.last_seq.clone();
        let winners: Vec<ReplicatedDoc> = page
            .results
            .iter()
            .filter_map(|c| self.store.read_revision(&c.id, &c.revs[0]).unwrap())
            .collect();
        let here = Receiver {
            device_id: self.id,
            now: at(100_000),
        };
        let taken = take_incoming(&self.records, winners.iter().cloned(), "team", here);
        taken.changes.apply_to(&mut self.records);
        for (id, base) in &taken.bases {
            self.bases.insert(id.clone(), base.clone());
        }
        (written, taken)
    }
}

#[test]
fn two_managers_share_their_records_and_a_second_sync_changes_nothing() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    let (written, _) = a.sync(&mut couch, "a1");
    assert_eq!(written, documents_of(&sample()).len());

    let (written, taken) = b.sync(&mut couch, "b1");
    assert_eq!(written, 0);
    assert!(taken.refused.is_empty(), "{:?}", taken.refused);
    let c = &b.records.contents;
    let submitted = sample().responses.iter().filter(|r| !r.is_draft()).count();
    assert_eq!(
        c.responses.len(),
        submitted,
        "the draft stayed on its device"
    );
    assert_eq!(c.locations, sample().locations);
    assert_eq!(c.employees, sample().employees);
    assert_eq!(c.actions, sample().actions);
    assert_eq!(c.photos, sample().photos);
    assert!(b.records.conflicts.is_empty());

    // Nothing changed: neither device writes a revision or takes a record.
    let quiet = |device: &mut Device, couch: &mut FakeCouch, session: &str| {
        let before = device.store.seq();
        let (written, taken) = device.sync(couch, session);
        assert_eq!(written, 0);
        assert!(taken.changes.is_empty(), "{:?}", taken.changes);
        assert_eq!(device.store.seq(), before);
    };
    quiet(&mut a, &mut couch, "a2");
    quiet(&mut b, &mut couch, "b2");
    quiet(&mut a, &mut couch, "a3");
}

#[test]
fn a_location_renamed_on_two_devices_is_a_conflict_for_a_person_and_is_not_pushed_back() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    a.records.contents.locations[0].name = "Тверская, 1 (renamed on A)".into();
    b.records.contents.locations[0].name = "Тверская, 1 (renamed on B)".into();
    let (written_a, _) = a.sync(&mut couch, "a2");
    let (written_b, taken_b) = b.sync(&mut couch, "b2");
    assert_eq!((written_a, written_b), (1, 1));
    let (_, taken_a) = a.sync(&mut couch, "a3");
    let id = "location:loc-1";
    // Both branches are kept, on the server and on both devices alike.
    let winner = couch.store.winning_rev(id).unwrap();
    assert_eq!(couch.store.conflicts(id).len(), 1);
    for d in [&a, &b] {
        assert_eq!(d.store.winning_rev(id), Some(winner.clone()));
        assert_eq!(d.store.conflicts(id).len(), 1);
    }
    // The device whose name lost keeps it and lists the winner's for a
    // person; nothing is decided for them, nothing is pushed back.
    let lost = if taken_a.changes.conflicts.is_empty() {
        (&b, &taken_b)
    } else {
        (&a, &taken_a)
    };
    let conflict = &lost.1.changes.conflicts[0];
    // Locations carry no change time: a different copy is a conflict.
    assert_eq!(conflict.reason, ConflictReason::Differs);
    assert_eq!(lost.0.records.conflicts.len(), 1);
    for (device, session) in [(&mut a, "a4"), (&mut b, "b4")] {
        let (written, _) = device.sync(&mut couch, session);
        assert_eq!(written, 0, "a kept copy is not an edit");
    }
}

#[test]
fn a_submitted_response_changed_by_a_peer_is_refused_and_not_pushed_back() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    // A peer (another app, a tool) rewrites an answer on the server.
    let id = format!("response:{}", sample().responses[0].id);
    let winner = couch.store.winning_rev(&id).unwrap();
    let mut body = couch.store.get(&id).unwrap().clone();
    body["answers"]["q-greet"]["value"] = serde_json::to_value(AnswerValue::No).unwrap();
    couch
        .store
        .edit(&id, Some(&winner), serde_json::Value::Object(body), vec![])
        .unwrap();
    let before = b.records.contents.responses.clone();
    let (_, taken) = b.sync(&mut couch, "b2");
    assert_eq!(
        b.records.contents.responses, before,
        "a submitted response is final"
    );
    assert!(taken.bases.iter().all(|(d, _)| *d != id));
    let (written, _) = b.sync(&mut couch, "b3");
    assert_eq!(written, 0);
}
