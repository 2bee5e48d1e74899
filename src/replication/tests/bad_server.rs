//! A server that lies, breaks or hangs up: the replicator refuses, says why
//! in both languages, keeps its checkpoint and writes nothing of the batch.

use super::fake_couch::{config, run, FakeCouch, Tamper};
use crate::i18n::Lang;
use crate::replication::batch::{Config, Direction, Step};
use crate::replication::doc::md5_digest;
use crate::replication::http::Response;
use crate::replication::{MemoryStore, ReplicationError};
use serde_json::{json, Value};

/// A device that already synced once, and a server with new documents.
fn setup() -> (FakeCouch, MemoryStore) {
    let mut couch = FakeCouch::new();
    couch
        .store
        .edit("response:1", None, json!({"n": 1}), vec![])
        .unwrap();
    let mut device = MemoryStore::new();
    assert!(matches!(run(cfg(), &mut device, &mut couch), Step::Done(_)));
    couch
        .store
        .edit("response:2", None, json!({"n": 2}), vec![])
        .unwrap();
    couch
        .store
        .edit("response:3", None, json!({"n": 3}), vec![])
        .unwrap();
    (couch, device)
}

fn cfg() -> Config {
    config(Direction::Pull, "device", "session")
}

/// Rewrites the JSON answer of requests whose path ends with `path_end`.
fn rewrite(path_end: &'static str, f: impl Fn(&mut Value) + 'static) -> Tamper {
    Box::new(move |req, resp| {
        if !req.path.ends_with(path_end) {
            return resp;
        }
        let mut v: Value = serde_json::from_slice(&resp.body).unwrap();
        f(&mut v);
        Response::json(resp.status, &v)
    })
}

/// Runs the second pull with `tamper` and checks the refusal.
fn refused(
    tamper: Option<Tamper>,
    adjust: impl FnOnce(&mut Config, &mut FakeCouch),
) -> ReplicationError {
    let (mut couch, mut device) = setup();
    let before = device.clone();
    let server_logs = couch.locals.clone();
    couch.tamper = tamper;
    let mut c = cfg();
    c.session_id = "second".into();
    adjust(&mut c, &mut couch);
    let step = run(c, &mut device, &mut couch);
    let Step::Failed(err) = step else {
        panic!("expected a refusal, got {step:?}")
    };
    assert_eq!(
        device,
        before,
        "nothing stored, checkpoint unchanged ({})",
        err.kind()
    );
    assert_eq!(
        couch.locals, server_logs,
        "the server's checkpoint unchanged"
    );
    let (ru, en) = (err.message(Lang::Ru), err.message(Lang::En));
    assert!(!ru.is_empty() && !en.is_empty());
    assert_ne!(ru, en);
    err
}

#[test]
fn malformed_json_is_refused() {
    let tamper: Tamper = Box::new(|req, resp| {
        if req.path.ends_with("/_bulk_get") {
            Response::new(200, &b"{\"results\": [{\"id\": "[..])
        } else {
            resp
        }
    });
    let err = refused(Some(tamper), |_, _| {});
    assert_eq!(err.kind(), "not_json");
}

#[test]
fn wrong_types_are_refused() {
    let err = refused(
        Some(rewrite("/_changes", |v| v["results"] = json!({"a": 1}))),
        |_, _| {},
    );
    assert_eq!(err.kind(), "wrong_shape");
    let err = refused(
        Some(rewrite("/_changes", |v| {
            v["results"][0]["changes"][0]["rev"] = json!(17)
        })),
        |_, _| {},
    );
    assert_eq!(err.kind(), "wrong_shape");
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            v["results"][0]["docs"][0]["ok"]["_deleted"] = json!("no")
        })),
        |_, _| {},
    );
    assert_eq!(err.kind(), "bad_document");
}

#[test]
fn huge_documents_and_answers_are_refused() {
    let err = refused(None, |c, couch| {
        c.limits.max_doc_bytes = 100;
        let r = couch.store.winning_rev("response:3").unwrap();
        couch
            .store
            .edit(
                "response:3",
                Some(&r),
                json!({"text": "x".repeat(500)}),
                vec![],
            )
            .unwrap();
    });
    assert_eq!(err.kind(), "bad_document");
    assert!(err.message(Lang::En).contains("too large"));
    let err = refused(None, |c, _| c.limits.max_response_bytes = 150);
    assert_eq!(err.kind(), "response_too_large");
}

#[test]
fn a_document_other_than_the_one_asked_is_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            v["results"][0]["docs"][0]["ok"]["_id"] = json!("response:999")
        })),
        |_, _| {},
    );
    assert_eq!(
        err,
        ReplicationError::WrongDocument {
            asked: "response:2".into(),
            got: "response:999".into()
        }
    );
}

#[test]
fn a_revision_not_asked_for_is_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            let doc = &mut v["results"][0]["docs"][0]["ok"];
            doc["_rev"] = json!("1-forged");
            doc["_revisions"] = json!({"start": 1, "ids": ["forged"]});
        })),
        |_, _| {},
    );
    assert_eq!(err.kind(), "unasked_revision");
}

#[test]
fn revisions_that_contradict_the_rev_are_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            v["results"][0]["docs"][0]["ok"]["_revisions"] = json!({"start": 2, "ids": ["x", "y"]})
        })),
        |_, _| {},
    );
    assert_eq!(err.kind(), "bad_document");
}

#[test]
fn a_left_out_revision_is_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            v["results"].as_array_mut().unwrap().pop();
        })),
        |_, _| {},
    );
    assert_eq!(err.kind(), "incomplete");
}

#[test]
fn a_photo_whose_bytes_do_not_match_its_digest_is_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            let att = &mut v["results"][0]["docs"][0]["ok"]["_attachments"]["p.jpg"];
            att["digest"] = json!(md5_digest(b"something else"));
        })),
        |_, couch| {
            let r = couch.store.winning_rev("response:2").unwrap();
            couch
                .store
                .edit(
                    "response:2",
                    Some(&r),
                    json!({}),
                    vec![crate::replication::memory_store::NewAttachment {
                        name: "p.jpg".into(),
                        content_type: "image/jpeg".into(),
                        data: b"jpeg".to_vec(),
                    }],
                )
                .unwrap();
        },
    );
    assert!(matches!(
        err,
        ReplicationError::BadDocument {
            problem: crate::replication::doc::DocProblem::DigestMismatch { .. },
            ..
        }
    ));
}

#[test]
fn a_stub_for_a_photo_the_device_never_had_is_refused() {
    let err = refused(
        Some(rewrite("/_bulk_get", |v| {
            v["results"][0]["docs"][0]["ok"]["_attachments"] = json!({"p.jpg": {
                "content_type": "image/jpeg", "digest": md5_digest(b"never"),
                "revpos": 1, "stub": true, "length": 5}});
        })),
        |_, _| {},
    );
    assert!(matches!(
        err,
        ReplicationError::Local(crate::replication::store::StoreError::MissingStub { .. })
    ));
}

#[test]
fn a_connection_dropped_mid_batch_changes_nothing() {
    // Requests of the second run: db, _local, _changes, _bulk_get.
    let err = refused(None, |_, couch| {
        couch.drop_at = Some(couch.requests.len() + 3)
    });
    assert_eq!(err.kind(), "network");
    assert!(err.is_transient());
}

#[test]
fn statuses_in_plain_words() {
    let status = |path: &'static str, code: u16| -> Tamper {
        Box::new(move |req, resp| {
            if req.path.ends_with(path) {
                Response::json(code, &json!({"error": "x", "reason": "because"}))
            } else {
                resp
            }
        })
    };
    assert_eq!(
        refused(Some(status("/team", 401)), |_, _| {}),
        ReplicationError::Unauthorized
    );
    assert_eq!(
        refused(Some(status("/team", 404)), |_, _| {}),
        ReplicationError::DatabaseNotFound
    );
    assert_eq!(
        refused(Some(status("/_changes", 403)), |_, _| {}).kind(),
        "forbidden"
    );
    let err = refused(Some(status("/_bulk_get", 500)), |_, _| {});
    assert_eq!(
        err,
        ReplicationError::ServerError {
            status: 500,
            reason: "because".into()
        }
    );
}

#[test]
fn a_push_target_claiming_unasked_revisions_is_refused() {
    let mut couch = FakeCouch::new();
    let mut device = MemoryStore::new();
    device.edit("response:1", None, json!({}), vec![]).unwrap();
    couch.tamper = Some(rewrite("/_revs_diff", |v| {
        *v = json!({"response:1": {"missing": ["9-invented"]}});
    }));
    let before = device.clone();
    let step = run(
        config(Direction::Push, "device", "s"),
        &mut device,
        &mut couch,
    );
    let Step::Failed(err) = step else {
        panic!("{step:?}")
    };
    assert_eq!(err.kind(), "unasked_revision");
    assert_eq!(device, before);
    assert_eq!(couch.store.ids().count(), 0);
}

#[test]
fn a_cluster_short_of_its_write_quorum_answers_202_and_the_push_goes_on() {
    let mut couch = FakeCouch::new();
    let mut device = MemoryStore::new();
    device.edit("response:1", None, json!({}), vec![]).unwrap();
    couch.tamper = Some(Box::new(|req, resp| {
        let written = req.path.ends_with("/_bulk_docs") || req.path.contains("/_local/");
        if written && matches!(resp.status, 200 | 201) && req.method.as_str() != "GET" {
            Response::new(202, resp.body)
        } else {
            resp
        }
    }));
    let step = run(
        config(Direction::Push, "device", "s"),
        &mut device,
        &mut couch,
    );
    assert!(matches!(step, Step::Done(_)), "{step:?}");
    assert!(couch.store.get("response:1").is_some());
    let accepted = couch
        .requests
        .iter()
        .filter(|r| r.path.ends_with("/_bulk_docs"))
        .count();
    assert_eq!(accepted, 1);
}
