//! Pull, push, conflicts both ways, resume and replay between two
//! `MemoryStore`s through the fake CouchDB.

use super::fake_couch::{config, drive, run, FakeCouch};
use crate::replication::batch::{Direction, Replicator, Step};
use crate::replication::memory_store::NewAttachment;
use crate::replication::store::LocalStore;
use crate::replication::MemoryStore;
use serde_json::json;

fn done(step: Step) -> crate::replication::Summary {
    match step {
        Step::Done(s) => s,
        other => panic!("expected Done, got {other:?}"),
    }
}

fn photo(data: &[u8]) -> NewAttachment {
    NewAttachment {
        name: "photo.jpg".into(),
        content_type: "image/jpeg".into(),
        data: data.to_vec(),
    }
}

fn same_docs(a: &MemoryStore, b: &MemoryStore) {
    let ids_a: Vec<&str> = a.ids().collect();
    let ids_b: Vec<&str> = b.ids().collect();
    assert_eq!(ids_a, ids_b);
    for id in ids_a {
        assert_eq!(a.winning_rev(id), b.winning_rev(id), "winner of {id}");
        assert_eq!(a.conflicts(id), b.conflicts(id), "conflicts of {id}");
        assert_eq!(a.get(id), b.get(id), "body of {id}");
        assert_eq!(a.attachment(id, "photo.jpg"), b.attachment(id, "photo.jpg"));
    }
}

#[test]
fn pull_into_an_empty_device_then_nothing_more() {
    let mut couch = FakeCouch::new();
    for i in 0..5 {
        couch
            .store
            .edit(&format!("response:{i}"), None, json!({"n": i}), vec![])
            .unwrap();
    }
    couch
        .store
        .edit(
            "photo:1",
            None,
            json!({"of": "response:1"}),
            vec![photo(b"\xff\xd8jpeg")],
        )
        .unwrap();
    let mut device = MemoryStore::new();
    let cfg = config(Direction::Pull, "device-a", "s1");
    let summary = done(run(cfg.clone(), &mut device, &mut couch));
    assert_eq!(summary.stats.docs_written, 6);
    same_docs(&device, &couch.store);
    assert_eq!(
        device.attachment("photo:1", "photo.jpg"),
        Some(&b"\xff\xd8jpeg"[..])
    );
    // Both sides hold the checkpoint, with the server's opaque seq.
    let id = Replicator::new(cfg.clone()).checkpoint_doc_id().to_owned();
    let local_log = device.get_checkpoint(&id).unwrap().unwrap();
    assert_eq!(
        local_log.source_last_seq,
        json!(super::fake_couch::seq_text(6))
    );
    assert!(couch.locals.contains_key(&id));
    // A second run fetches nothing.
    let before = couch.count("/_bulk_get");
    let again = done(run(
        config(Direction::Pull, "device-a", "s2"),
        &mut device,
        &mut couch,
    ));
    assert_eq!(again.stats.docs_written, 0);
    assert_eq!(couch.count("/_bulk_get"), before);
    // It resumed from the checkpoint, not from 0.
    let last_changes = couch
        .requests
        .iter()
        .rev()
        .find(|r| r.path.ends_with("/_changes"))
        .unwrap();
    assert_eq!(
        last_changes.param("since"),
        Some(super::fake_couch::seq_text(6).as_str())
    );
}

#[test]
fn push_sends_local_documents_with_their_photos() {
    let mut couch = FakeCouch::new();
    let mut device = MemoryStore::new();
    let r1 = device
        .edit("response:1", None, json!({"score": 3}), vec![])
        .unwrap();
    device
        .edit("response:1", Some(&r1), json!({"score": 4}), vec![])
        .unwrap();
    device
        .edit("photo:9", None, json!({}), vec![photo(b"pixels")])
        .unwrap();
    let summary = done(run(
        config(Direction::Push, "device-a", "s1"),
        &mut device,
        &mut couch,
    ));
    assert_eq!(summary.stats.docs_written, 2);
    same_docs(&device, &couch.store);
    // The pushed history reaches back to the first revision.
    let tree = couch.store.rev_tree("response:1").unwrap();
    assert!(crate::replication::rev_tree::rev_exists(tree, &r1));
    assert_eq!(
        couch.store.attachment("photo:9", "photo.jpg"),
        Some(&b"pixels"[..])
    );
}

#[test]
fn conflicts_made_on_both_sides_end_the_same_everywhere() {
    let mut couch = FakeCouch::new();
    let base = couch
        .store
        .edit("location:1", None, json!({"name": "Main St"}), vec![])
        .unwrap();
    let mut a = MemoryStore::new();
    let mut b = MemoryStore::new();
    done(run(config(Direction::Pull, "a", "a1"), &mut a, &mut couch));
    done(run(config(Direction::Pull, "b", "b1"), &mut b, &mut couch));
    // Renamed on both devices while offline, and once more on the server.
    a.edit(
        "location:1",
        Some(&base),
        json!({"name": "Main Street"}),
        vec![],
    )
    .unwrap();
    b.edit(
        "location:1",
        Some(&base),
        json!({"name": "Main st."}),
        vec![],
    )
    .unwrap();
    let on_server = couch
        .store
        .edit("location:1", Some(&base), json!({"name": "Main"}), vec![])
        .unwrap();
    // An action deleted on one device, edited on the other.
    let act = a
        .edit("action:1", None, json!({"status": "open"}), vec![])
        .unwrap();
    done(run(config(Direction::Push, "a", "a2"), &mut a, &mut couch));
    done(run(config(Direction::Pull, "b", "b2"), &mut b, &mut couch));
    b.edit("action:1", Some(&act), json!({"status": "done"}), vec![])
        .unwrap();
    a.delete("action:1", &act).unwrap();
    for round in 0..2 {
        for (dev, name) in [(&mut a, "a"), (&mut b, "b")] {
            done(run(
                config(Direction::Push, name, &format!("{name}p{round}")),
                dev,
                &mut couch,
            ));
            done(run(
                config(Direction::Pull, name, &format!("{name}l{round}")),
                dev,
                &mut couch,
            ));
        }
    }
    same_docs(&a, &couch.store);
    same_docs(&b, &couch.store);
    assert_eq!(
        a.conflicts("location:1").len(),
        2,
        "three renames: one winner, two conflicts"
    );
    assert!(
        a.conflicts("location:1").contains(&on_server)
            || a.winning_rev("location:1") == Some(on_server)
    );
    // The live edit beats the deletion, and the deletion is no conflict.
    assert_eq!(
        a.get("action:1"),
        json!({"status": "done"}).as_object().cloned()
    );
    assert!(a.conflicts("action:1").is_empty());
}

#[test]
fn an_interrupted_pull_resumes_from_its_checkpoint_without_duplicates() {
    let mut couch = FakeCouch::new();
    for i in 0..25 {
        couch
            .store
            .edit(&format!("response:{i:02}"), None, json!({"n": i}), vec![])
            .unwrap();
    }
    let mut device = MemoryStore::new();
    let mut cfg = config(Direction::Pull, "a", "s1");
    cfg.batch_size = 10;
    // Requests: db, _local, then per batch _changes, _bulk_get and the
    // server's checkpoint. Cut the connection on the second _bulk_get.
    let second_bulk_get = 2 + 3 + 1;
    couch.drop_at = Some(second_bulk_get);
    let step = run(cfg.clone(), &mut device, &mut couch);
    let Step::Failed(err) = step else {
        panic!("expected a failure, got {step:?}")
    };
    assert_eq!(err.kind(), "network");
    assert_eq!(couch.requests[second_bulk_get].path, "/team/_bulk_get");
    assert_eq!(
        device.ids().count(),
        10,
        "the first batch stays, the second wrote nothing"
    );
    let seq_after_first = device.seq();
    couch.drop_at = None;
    let mut cfg2 = cfg.clone();
    cfg2.session_id = "s2".into();
    let summary = done(run(cfg2, &mut device, &mut couch));
    assert_eq!(summary.stats.docs_written, 15, "only what was left");
    assert_eq!(device.ids().count(), 25);
    assert_eq!(
        device.seq(),
        seq_after_first + 15,
        "every document written once"
    );
    same_docs(&device, &couch.store);
}

#[test]
fn replayed_changes_change_nothing() {
    let mut couch = FakeCouch::new();
    for i in 0..4 {
        couch
            .store
            .edit(&format!("employee:{i}"), None, json!({"n": i}), vec![])
            .unwrap();
    }
    let mut device = MemoryStore::new();
    done(run(
        config(Direction::Pull, "a", "s1"),
        &mut device,
        &mut couch,
    ));
    let snapshot = device.clone();
    // As after a cluster lost its checkpoint: the feed starts over from 0.
    couch.locals.clear();
    let summary = done(run(
        config(Direction::Pull, "a", "s2"),
        &mut device,
        &mut couch,
    ));
    assert_eq!(
        summary.stats.docs_written, 0,
        "revs_diff finds nothing missing"
    );
    let mut without_logs = device.clone();
    // Only the checkpoint moved; documents and sequence are as they were.
    assert_eq!(without_logs.seq(), snapshot.seq());
    for id in snapshot.ids() {
        assert_eq!(without_logs.rev_tree(id), snapshot.rev_tree(id));
    }
    // Writing the same fetched batch twice is a no-op as well.
    let docs: Vec<_> = snapshot
        .ids()
        .map(|id| {
            snapshot
                .read_revision(id, &snapshot.winning_rev(id).unwrap())
                .unwrap()
                .unwrap()
        })
        .collect();
    without_logs.apply_batch(docs).unwrap();
    assert_eq!(without_logs.seq(), snapshot.seq());
}

#[test]
fn without_bulk_get_the_replicator_falls_back_to_open_revs() {
    for status in [400, 404, 405] {
        let mut couch = FakeCouch::new();
        couch.bulk_get_status = Some(status);
        let r = couch
            .store
            .edit("q:1", None, json!({"v": 1}), vec![photo(b"abc")])
            .unwrap();
        couch
            .store
            .edit("q:1", Some(&r), json!({"v": 2}), vec![photo(b"abc")])
            .unwrap();
        couch
            .store
            .edit("q:2", None, json!({"v": 1}), vec![])
            .unwrap();
        let mut device = MemoryStore::new();
        let mut rep = Replicator::new(config(Direction::Pull, "a", "s"));
        done(drive(&mut rep, &mut device, &mut couch));
        assert!(!rep.uses_bulk_get());
        assert_eq!(couch.count("/_bulk_get"), 1, "asked once, then never again");
        assert_eq!(
            couch
                .requests
                .iter()
                .filter(|r| r.param("open_revs").is_some())
                .count(),
            2
        );
        same_docs(&device, &couch.store);
    }
}

#[test]
fn an_unchanged_photo_is_not_sent_again_either_way() {
    let mut couch = FakeCouch::new();
    let big = vec![7u8; 3000];
    let r1 = couch
        .store
        .edit("photo:1", None, json!({"caption": "a"}), vec![photo(&big)])
        .unwrap();
    let mut device = MemoryStore::new();
    done(run(
        config(Direction::Pull, "a", "s1"),
        &mut device,
        &mut couch,
    ));
    // The caption changes on the server, the picture does not.
    couch
        .store
        .edit(
            "photo:1",
            Some(&r1),
            json!({"caption": "b"}),
            vec![photo(&big)],
        )
        .unwrap();
    couch.requests.clear();
    done(run(
        config(Direction::Pull, "a", "s2"),
        &mut device,
        &mut couch,
    ));
    let bulk_get = couch
        .requests
        .iter()
        .find(|r| r.path.ends_with("/_bulk_get"))
        .unwrap();
    assert_eq!(
        bulk_get.body.as_ref().unwrap()["docs"][0]["atts_since"],
        json!([r1.to_string()])
    );
    assert_eq!(device.get("photo:1").unwrap()["caption"], json!("b"));
    assert_eq!(device.attachment("photo:1", "photo.jpg"), Some(&big[..]));
    // Now edited on the device and pushed: the photo goes as a stub.
    let r2 = device.winning_rev("photo:1").unwrap();
    device
        .edit(
            "photo:1",
            Some(&r2),
            json!({"caption": "c"}),
            vec![photo(&big)],
        )
        .unwrap();
    couch.requests.clear();
    done(run(
        config(Direction::Push, "a", "s3"),
        &mut device,
        &mut couch,
    ));
    let bulk_docs = couch
        .requests
        .iter()
        .find(|r| r.path.ends_with("/_bulk_docs"))
        .unwrap();
    let att = &bulk_docs.body.as_ref().unwrap()["docs"][0]["_attachments"]["photo.jpg"];
    assert_eq!(att["stub"], json!(true));
    assert!(att.get("data").is_none());
    assert_eq!(couch.store.get("photo:1").unwrap()["caption"], json!("c"));
    assert_eq!(
        couch.store.attachment("photo:1", "photo.jpg"),
        Some(&big[..])
    );
    // A changed photo does travel.
    let r3 = device.winning_rev("photo:1").unwrap();
    device
        .edit(
            "photo:1",
            Some(&r3),
            json!({"caption": "c"}),
            vec![photo(b"new")],
        )
        .unwrap();
    couch.requests.clear();
    done(run(
        config(Direction::Push, "a", "s4"),
        &mut device,
        &mut couch,
    ));
    assert_eq!(
        couch.store.attachment("photo:1", "photo.jpg"),
        Some(&b"new"[..])
    );
}

#[test]
fn live_pull_waits_on_longpoll_and_picks_up_new_changes() {
    let mut couch = FakeCouch::new();
    couch
        .store
        .edit("response:1", None, json!({}), vec![])
        .unwrap();
    let mut device = MemoryStore::new();
    let mut cfg = config(Direction::Pull, "a", "live");
    cfg.live = true;
    let mut rep = Replicator::new(cfg);
    // Run until the first longpoll request appears.
    let longpoll = loop {
        let req = rep
            .next_request(&mut device)
            .expect("live pull never stops");
        if req.param("feed") == Some("longpoll") {
            break req;
        }
        let resp = couch.handle(&req);
        rep.on_response(resp);
    };
    assert_eq!(device.ids().count(), 1);
    assert_eq!(longpoll.param("timeout"), Some("25000"));
    // The longpoll times out empty, then a document arrives.
    let resp = couch.handle(&longpoll);
    rep.on_response(resp);
    couch
        .store
        .edit("response:2", None, json!({}), vec![])
        .unwrap();
    for _ in 0..20 {
        let req = rep.next_request(&mut device).unwrap();
        let resp = couch.handle(&req);
        rep.on_response(resp);
        if device.ids().count() == 2 {
            break;
        }
    }
    assert_eq!(device.ids().count(), 2);
}

#[test]
fn live_push_idles_until_woken() {
    let mut couch = FakeCouch::new();
    let mut device = MemoryStore::new();
    device.edit("response:1", None, json!({}), vec![]).unwrap();
    let mut cfg = config(Direction::Push, "a", "live");
    cfg.live = true;
    let mut rep = Replicator::new(cfg);
    assert_eq!(drive(&mut rep, &mut device, &mut couch), Step::Idle);
    assert_eq!(couch.store.ids().count(), 1);
    device.edit("response:2", None, json!({}), vec![]).unwrap();
    rep.wake();
    assert_eq!(drive(&mut rep, &mut device, &mut couch), Step::Idle);
    assert_eq!(couch.store.ids().count(), 2);
}

/// Six photo documents of 1,000 bytes each.
fn six_photos(store: &mut MemoryStore) {
    for i in 0..6u8 {
        store
            .edit(
                &format!("photo:{i}"),
                None,
                json!({"of": format!("response:{i}")}),
                vec![photo(&[i; 1000])],
            )
            .unwrap();
    }
}

#[test]
fn a_batch_of_photos_larger_than_one_answer_comes_in_smaller_asks() {
    let mut couch = FakeCouch::new();
    six_photos(&mut couch.store);
    // One photo's answer fits (about 1.5 KB with its base64), six do not.
    let mut cfg = config(Direction::Pull, "device-a", "s1");
    cfg.limits.max_response_bytes = 4_000;
    let mut device = MemoryStore::new();
    let summary = done(run(cfg, &mut device, &mut couch));
    assert_eq!(summary.stats.docs_written, 6);
    same_docs(&device, &couch.store);
    // One too large, then halves until each answer fits.
    assert!(
        couch.count("/_bulk_get") >= 4,
        "{}",
        couch.count("/_bulk_get")
    );

    // A single document over the cap is still refused, and nothing stored.
    let mut couch = FakeCouch::new();
    couch
        .store
        .edit("photo:big", None, json!({}), vec![photo(&[7; 5_000])])
        .unwrap();
    let mut cfg = config(Direction::Pull, "device-b", "s1");
    cfg.limits.max_response_bytes = 4_000;
    let mut device = MemoryStore::new();
    match run(cfg, &mut device, &mut couch) {
        Step::Failed(e) => assert_eq!(e.kind(), "response_too_large"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(device.ids().count(), 0);
}

#[test]
fn a_push_of_photos_larger_than_one_request_goes_in_several() {
    let mut couch = FakeCouch::new();
    let mut device = MemoryStore::new();
    six_photos(&mut device);
    let mut cfg = config(Direction::Push, "device-a", "s1");
    // About two photos a request.
    cfg.limits.max_request_bytes = 3_500;
    let summary = done(run(cfg, &mut device, &mut couch));
    assert_eq!(summary.stats.docs_written, 6);
    same_docs(&device, &couch.store);
    assert!(
        couch.count("/_bulk_docs") >= 3,
        "{}",
        couch.count("/_bulk_docs")
    );
    for r in couch
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/_bulk_docs"))
    {
        let body = r.body.as_ref().unwrap().to_string();
        assert!(
            body.len() <= 3_500 || r.body.as_ref().unwrap()["docs"].as_array().unwrap().len() == 1
        );
    }
}
