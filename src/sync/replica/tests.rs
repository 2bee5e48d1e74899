//! Two manager devices as `Replica`s through the fake CouchDB: saving and
//! loading between the steps, fast-forwards, what waits to go out.

use super::*;
use crate::exchange::merge::ConflictReason;
use crate::exchange::test_data::{at, sample};
use crate::replication::batch::{Direction, Step};
use crate::replication::tests::fake_couch::{config, run, FakeCouch};

/// A device that saves its replica as the app does (JSON per record) and
/// can be reloaded from what it saved.
struct Device {
    id: &'static str,
    records: Snapshot,
    replica: Replica,
    docs: BTreeMap<String, String>,
    bases: BTreeMap<String, String>,
    state: String,
}

impl Device {
    fn new(id: &'static str, contents: Contents) -> Device {
        Device {
            id,
            records: Snapshot {
                contents,
                conflicts: Vec::new(),
            },
            replica: Replica::new(),
            docs: BTreeMap::new(),
            bases: BTreeMap::new(),
            state: serde_json::to_string(&ReplicaState::default()).unwrap(),
        }
    }

    fn save(&mut self) {
        let saved = self.replica.take_saved();
        for (id, d) in saved.docs {
            self.docs.insert(id, serde_json::to_string(&d).unwrap());
        }
        for (id, b) in saved.bases {
            self.bases.insert(id, serde_json::to_string(&b).unwrap());
        }
        if let Some(s) = saved.state {
            self.state = serde_json::to_string(&s).unwrap();
        }
    }

    /// The app closed and opened again: the replica is what was saved.
    fn reload(&mut self) {
        self.replica = Replica::load(
            self.docs
                .iter()
                .map(|(id, j)| (id.clone(), serde_json::from_str(j).unwrap())),
            self.bases
                .iter()
                .map(|(id, j)| (id.clone(), serde_json::from_str(j).unwrap())),
            serde_json::from_str(&self.state).unwrap(),
        );
    }

    fn replicate(&mut self, couch: &mut FakeCouch, session: &str) {
        let ids = self.replica.unpushed();
        let push = config(Direction::Push, self.id, &format!("{session}-push"));
        assert!(matches!(
            run(push, &mut self.replica.store, couch),
            Step::Done(_)
        ));
        self.replica.pushed(ids);
        let pull = config(Direction::Pull, self.id, &format!("{session}-pull"));
        assert!(matches!(
            run(pull, &mut self.replica.store, couch),
            Step::Done(_)
        ));
        self.save();
    }

    fn take(&mut self) -> Taken {
        let here = Receiver {
            device_id: self.id,
            now: at(100_000),
        };
        let taken = self.replica.take(&self.records, "team", here);
        taken.changes.apply_to(&mut self.records);
        self.save();
        taken
    }

    fn sync(&mut self, couch: &mut FakeCouch, session: &str) -> (usize, Taken) {
        let written = self.replica.write_outgoing(&self.records.contents);
        self.save();
        self.replicate(couch, session);
        (written, self.take())
    }
}

#[test]
fn two_devices_share_through_saved_replicas_and_a_second_sync_does_nothing() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    let (written, _) = a.sync(&mut couch, "a1");
    assert_eq!(written, documents_of(&sample()).len());
    assert_eq!(a.replica.waiting(&a.records.contents), 0);
    a.reload();
    b.sync(&mut couch, "b1");
    b.reload();
    assert_eq!(b.records.contents.locations, sample().locations);
    assert_eq!(b.records.contents.photos, sample().photos);
    for d in [&mut a, &mut b] {
        let before = d.replica.store.seq();
        let (written, taken) = d.sync(&mut couch, "again");
        assert_eq!(written, 0);
        assert!(taken.changes.is_empty(), "{:?}", taken.changes);
        assert_eq!(d.replica.store.seq(), before);
        d.reload();
        let (written, taken) = d.sync(&mut couch, "after-reload");
        assert_eq!(written, 0);
        assert!(taken.changes.is_empty());
    }
}

#[test]
fn a_sync_stopped_after_the_pull_takes_the_winners_after_a_reload() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    a.sync(&mut couch, "a1");
    let mut b = Device::new("manager-b", Contents::default());
    b.replica.write_outgoing(&b.records.contents);
    b.replicate(&mut couch, "b1");
    // The app closed before the records took what the pull stored.
    b.reload();
    assert!(b.records.contents.locations.is_empty());
    let (_, taken) = b.sync(&mut couch, "b2");
    assert!(!taken.changes.is_empty());
    assert_eq!(b.records.contents.locations, sample().locations);
    let submitted = sample().responses.iter().filter(|r| !r.is_draft()).count();
    assert_eq!(b.records.contents.responses.len(), submitted);
}

#[test]
fn a_peers_later_revision_of_a_location_replaces_an_unchanged_one() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    a.records.contents.locations[0].name = "Тверская, 1 (renamed)".into();
    a.sync(&mut couch, "a2");
    let (_, taken) = b.sync(&mut couch, "b2");
    assert!(taken.changes.conflicts.is_empty(), "{:?}", taken.changes);
    assert_eq!(
        b.records.contents.locations[0].name,
        "Тверская, 1 (renamed)"
    );
    assert!(b.records.conflicts.is_empty());
    // And back: B's next edit is a child of the winner, no conflict.
    b.records.contents.locations[0].name = "Тверская, 1".into();
    assert_eq!(b.sync(&mut couch, "b3").0, 1);
    let (_, taken) = a.sync(&mut couch, "a3");
    assert!(taken.changes.conflicts.is_empty());
    assert_eq!(a.records.contents.locations[0].name, "Тверская, 1");
    assert!(couch.store.conflicts("location:loc-1").is_empty());
}

/// Two devices that share `sample()`, then rename its location "A" and "B"
/// and sync A, B, A; what A's last sync took.
fn renamed_on_both() -> (Device, Device, FakeCouch, Taken) {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    a.records.contents.locations[0].name = "A".into();
    b.records.contents.locations[0].name = "B".into();
    a.sync(&mut couch, "a2");
    b.sync(&mut couch, "b2");
    let (_, taken) = a.sync(&mut couch, "a3");
    (a, b, couch, taken)
}

#[test]
fn renames_on_both_devices_stay_a_conflict_for_a_person() {
    let (a, b, _, ta) = renamed_on_both();
    let conflicts: Vec<_> = [&a, &b]
        .iter()
        .flat_map(|d| d.records.conflicts.iter().map(|c| c.reason))
        .collect();
    assert_eq!(conflicts, vec![ConflictReason::Differs], "{ta:?}");
}

#[test]
fn a_submitted_response_is_never_fast_forwarded() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    a.sync(&mut couch, "a1");
    let id = format!("response:{}", sample().responses[0].id);
    let winner = couch.store.winning_rev(&id).unwrap();
    let mut body = couch.store.get(&id).unwrap().clone();
    body["answers"]["q-greet"]["value"] =
        serde_json::to_value(crate::domain::AnswerValue::No).unwrap();
    couch
        .store
        .edit(&id, Some(&winner), Value::Object(body), vec![])
        .unwrap();
    let before = a.records.contents.responses.clone();
    a.sync(&mut couch, "a2");
    assert_eq!(a.records.contents.responses, before);
    assert_eq!(a.sync(&mut couch, "a3").0, 0, "and not pushed back");
}

#[test]
fn what_waits_to_go_out_is_counted_until_a_push_finishes() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let all = documents_of(&sample()).len();
    assert_eq!(a.replica.waiting(&a.records.contents), all);
    a.replica.write_outgoing(&a.records.contents);
    assert_eq!(a.replica.waiting(&a.records.contents), all);
    let id = format!("response:{}", sample().responses[0].id);
    assert!(!a.replica.on_server(&id));
    a.save();
    a.reload();
    assert_eq!(a.replica.waiting(&a.records.contents), all, "kept");
    a.replicate(&mut couch, "a1");
    assert_eq!(a.replica.waiting(&a.records.contents), 0);
    assert!(a.replica.on_server(&id));
    a.records.contents.locations[0].name = "new".into();
    assert_eq!(a.replica.waiting(&a.records.contents), 1);
}

/// Renames on both devices; the losing device's person chooses their own
/// copy (`keep_mine`) or the other. The losing device, the other, the
/// server, and the chosen name.
fn choose_after_a_conflict(keep_mine: bool) -> (Device, Device, FakeCouch, String) {
    let (a, b, couch, _) = renamed_on_both();
    let (mut loser, winner) = if a.records.conflicts.is_empty() {
        (b, a)
    } else {
        (a, b)
    };
    let conflict = loser.records.conflicts.remove(0);
    let theirs = match &conflict.incoming {
        Record::Location(l) => l.name.clone(),
        other => panic!("{other:?}"),
    };
    if !keep_mine {
        loser.records.contents.locations[0].name = theirs;
    }
    let chosen = loser.records.contents.locations[0].name.clone();
    loser.replica.decide("location:loc-1");
    (loser, winner, couch, chosen)
}

fn sync_settling(d: &mut Device, couch: &mut FakeCouch, session: &str) {
    d.replica.write_outgoing(&d.records.contents);
    d.replica.settle(&d.records);
    d.save();
    d.replicate(couch, session);
    d.take();
}

#[test]
fn a_choice_between_copies_ends_the_conflict_on_every_device_and_the_server() {
    for keep_mine in [true, false] {
        let (mut loser, mut winner, mut couch, chosen) = choose_after_a_conflict(keep_mine);
        sync_settling(&mut loser, &mut couch, "l1");
        sync_settling(&mut winner, &mut couch, "w1");
        sync_settling(&mut loser, &mut couch, "l2");
        let id = "location:loc-1";
        assert!(
            couch.store.conflicts(id).is_empty(),
            "keep_mine={keep_mine}"
        );
        for d in [&loser, &winner] {
            assert!(d.replica.store.conflicts(id).is_empty());
            assert_eq!(
                d.records.contents.locations[0].name, chosen,
                "keep_mine={keep_mine}"
            );
            assert!(d.records.conflicts.is_empty(), "nobody is asked again");
        }
        // Settled: nothing more moves.
        let before = couch.store.seq();
        sync_settling(&mut winner, &mut couch, "w2");
        sync_settling(&mut loser, &mut couch, "l3");
        assert_eq!(couch.store.seq(), before);
    }
}

#[test]
fn a_copy_still_waiting_for_a_person_is_not_settled() {
    let (mut loser, _, _, _) = choose_after_a_conflict(true);
    let waiting = crate::exchange::merge::Conflict {
        key: "location:loc-1:x".into(),
        id: "loc-1".into(),
        reason: ConflictReason::Differs,
        from_device: "team".into(),
        incoming: Record::Location(loser.records.contents.locations[0].clone()),
    };
    loser.records.conflicts.push(waiting);
    assert_eq!(loser.replica.settle(&loser.records), 0);
    loser.records.conflicts.clear();
    assert_eq!(loser.replica.settle(&loser.records), 1, "decided later");
}

#[test]
fn a_store_and_a_member_of_staff_deleted_on_one_device_are_deleted_on_the_other() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    let (store, person) = ("loc-2", a.records.contents.employees[1].id.clone());
    a.records.contents.locations.retain(|l| l.id != store);
    a.records.contents.employees.retain(|e| e.id != person);
    assert_eq!(a.replica.waiting(&a.records.contents), 2);
    assert_eq!(a.sync(&mut couch, "a2").0, 2, "two deletions written");
    assert_eq!(a.replica.waiting(&a.records.contents), 0);
    assert!(couch.store.get(&format!("location:{store}")).is_none());
    assert!(couch.store.get(&format!("employee:{person}")).is_none());

    b.reload();
    let (_, taken) = b.sync(&mut couch, "b2");
    assert_eq!(taken.changes.removed.locations, vec![store.to_owned()]);
    assert_eq!(taken.changes.removed.employees, vec![person.clone()]);
    assert_eq!(b.records.contents.locations, a.records.contents.locations);
    assert_eq!(b.records.contents.employees, a.records.contents.employees);
    assert!(b.replica.refused().is_empty(), "{:?}", b.replica.refused());
    // Settled: nothing moves any more, on either device, after a reload.
    for d in [&mut a, &mut b] {
        d.reload();
        let before = couch.store.seq();
        let (written, taken) = d.sync(&mut couch, "again");
        assert_eq!(written, 0);
        assert!(taken.changes.is_empty(), "{:?}", taken.changes);
        assert_eq!(couch.store.seq(), before);
    }
    // A store made again under the same key is a child of the deletion.
    a.records.contents.locations.push(crate::domain::Location {
        id: store.into(),
        name: "Арбат, 2".into(),
    });
    assert_eq!(a.sync(&mut couch, "a3").0, 1);
    b.sync(&mut couch, "b3");
    assert!(b
        .records
        .contents
        .locations
        .iter()
        .any(|l| l.name == "Арбат, 2"));
    assert!(couch
        .store
        .conflicts(&format!("location:{store}"))
        .is_empty());
}

#[test]
fn a_rename_made_meanwhile_outlives_a_deletion_with_no_conflict() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    let mut b = Device::new("manager-b", Contents::default());
    a.sync(&mut couch, "a1");
    b.sync(&mut couch, "b1");
    a.records.contents.locations.retain(|l| l.id != "loc-1");
    b.records
        .contents
        .locations
        .iter_mut()
        .find(|l| l.id == "loc-1")
        .unwrap()
        .name = "Тверская, 1 (после ремонта)".into();
    a.sync(&mut couch, "a2");
    let (_, taken) = b.sync(&mut couch, "b2");
    assert!(taken.changes.removed.is_empty(), "the edit is kept");
    a.sync(&mut couch, "a3");
    for d in [&a, &b] {
        let loc = d
            .records
            .contents
            .locations
            .iter()
            .find(|l| l.id == "loc-1");
        assert_eq!(
            loc.map(|l| l.name.as_str()),
            Some("Тверская, 1 (после ремонта)")
        );
        assert!(d.records.conflicts.is_empty());
    }
}

#[test]
fn a_submitted_response_deleted_on_the_server_is_kept_and_listed() {
    let mut couch = FakeCouch::new();
    let mut a = Device::new("manager-a", sample());
    a.sync(&mut couch, "a1");
    let id = format!("response:{}", sample().responses[0].id);
    let winner = couch.store.winning_rev(&id).unwrap();
    couch.store.delete(&id, &winner).unwrap();
    let before = a.records.contents.responses.clone();
    let (_, taken) = a.sync(&mut couch, "a2");
    assert!(taken.changes.is_empty());
    assert_eq!(a.records.contents.responses, before);
    assert_eq!(
        a.replica.refused().get(&id),
        Some(&Refusal::Document(DocError::Deleted))
    );
    a.reload();
    assert!(a.replica.refused().contains_key(&id), "the list is saved");
    assert!(a.replica.refused()[&id]
        .message(&id, Lang::En)
        .contains("this device keeps its record"));
}

#[test]
fn documents_not_taken_are_listed_tried_again_and_dropped_once_taken() {
    let mut couch = FakeCouch::new();
    // A device whose responses reached the server before their
    // questionnaires (as from an older build that did not send them).
    let mut without = sample();
    without.questionnaires.clear();
    let mut a = Device::new("manager-a", without);
    a.sync(&mut couch, "a1");
    couch
        .store
        .edit(
            "widget:1",
            None,
            serde_json::json!({"type": "widget", "v": 1}),
            vec![],
        )
        .unwrap();
    let mut b = Device::new("manager-b", Contents::default());
    b.sync(&mut couch, "b1");
    let response = format!("response:{}", sample().responses[0].id);
    assert!(b.records.contents.responses.is_empty());
    assert!(matches!(
        b.replica.refused().get(&response),
        Some(Refusal::Record(RejectReason::UnknownQuestionnaire { .. }))
    ));
    assert!(matches!(
        b.replica.refused().get("widget:1"),
        Some(Refusal::Document(DocError::UnknownType { .. }))
    ));
    // The questionnaires arrive later, from another device: the responses
    // refused before are taken without any of them changing.
    let mut c = Device::new("manager-c", sample());
    c.sync(&mut couch, "c1");
    b.reload();
    b.sync(&mut couch, "b2");
    let submitted = sample().responses.iter().filter(|r| !r.is_draft()).count();
    assert_eq!(b.records.contents.responses.len(), submitted);
    assert_eq!(
        b.replica.refused().keys().collect::<Vec<_>>(),
        vec!["widget:1"],
        "only what is still not a record"
    );
    // Deleted on the server, it is gone from the list too.
    let rev = couch.store.winning_rev("widget:1").unwrap();
    couch.store.delete("widget:1", &rev).unwrap();
    b.sync(&mut couch, "b3");
    assert!(b.replica.refused().is_empty());
}
