//! Every branch of one answer's delivery, against answers written as
//! CouchDB and the dev server give them (docs/sync.md, "The inbox") and a
//! fake inbox that keeps what it stores.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;

use super::*;
use crate::domain::{Response as Answer, Timestamp};
use crate::seal::{seal_parts, system_rng, Binding, TeamKeyPair};

const RESPONSE: Uuid = Uuid::from_u128(0x4a3c_1111_2222_4000_8000_0000_0000_0001);
const T0: u64 = 1_800_000_000_000;

fn server() -> ServerConfig {
    ServerConfig::parse("http://127.0.0.1:5984", "inbox", "forms", "team").unwrap()
}

fn doc(id: &str) -> SealedDoc {
    SealedDoc {
        id: id.to_owned(),
        doc_type: "sealed".into(),
        v: 1,
        kid: "kid-1".into(),
        enc: "ZW5j".into(),
        ct: format!("ct-of-{id}"),
        part: None,
        parts: None,
    }
}

fn main_id() -> String {
    format!("resp:{RESPONSE}")
}

fn part_id(n: u32) -> String {
    format!("resp:{RESPONSE}:{n}")
}

/// An answer with two photo parts, handed over out of order.
fn audit() -> Delivery {
    Delivery::new(
        vec![doc(&main_id()), doc(&part_id(2)), doc(&part_id(1))],
        T0,
    )
    .unwrap()
}

fn created(id: &str) -> Result<Response, TransportError> {
    Ok(Response::json(
        201,
        &json!({"ok": true, "id": id, "rev": "1-967a00dff5e02add41819138abb3284d"}),
    ))
}

fn conflict() -> Result<Response, TransportError> {
    Ok(Response::json(
        409,
        &json!({"error": "conflict", "reason": "Document update conflict."}),
    ))
}

fn status(code: u16, body: &str) -> Result<Response, TransportError> {
    Ok(Response::new(code, body.as_bytes().to_vec()))
}

fn offline() -> Result<Response, TransportError> {
    Err(TransportError {
        detail: "network: TypeError: Failed to fetch".into(),
    })
}

/// Sends the next document and answers it with `answer`.
fn step(
    d: &mut Delivery,
    answer: impl FnOnce(&str) -> Result<Response, TransportError>,
    now: u64,
) -> Status {
    let put = d.deliver(&server()).expect("a request to make");
    d.on_answer(&put.doc_id, &answer(&put.doc_id), now, 0)
}

/// The inbox as CouchDB keeps it for these requests: a create of a new id
/// is stored and answered 201, of an existing id 409, and nothing else is
/// accepted.
#[derive(Default)]
struct FakeInbox {
    docs: BTreeMap<String, Value>,
    created: Vec<String>,
}

impl FakeInbox {
    fn handle(&mut self, req: &Request) -> Response {
        assert_eq!(req.method, Method::Put);
        assert!(req.query.is_empty(), "the proxy refuses a query string");
        let id = req
            .path
            .strip_prefix("/inbox/")
            .expect("a document of the inbox");
        let body = req.body.clone().expect("a JSON body");
        assert_eq!(body["_id"], id, "the id in the path and the body agree");
        assert!(
            body.get("_rev").is_none(),
            "a create never names a revision"
        );
        if self.docs.contains_key(id) {
            return Response::json(
                409,
                &json!({"error": "conflict", "reason": "Document update conflict."}),
            );
        }
        self.docs.insert(id.to_owned(), body);
        self.created.push(id.to_owned());
        Response::json(201, &json!({"ok": true, "id": id, "rev": "1-abc"}))
    }
}

#[test]
fn back_off_doubles_from_5_s_to_an_hour_with_jitter_in_the_upper_half() {
    assert_eq!(next_delay_ms(1, 0), 2_500);
    assert_eq!(next_delay_ms(1, u32::MAX), 5_000);
    assert_eq!(
        next_delay_ms(0, u32::MAX),
        5_000,
        "0 reads as the first retry"
    );
    assert_eq!(next_delay_ms(2, u32::MAX), 10_000);
    assert_eq!(next_delay_ms(3, 0), 10_000);
    assert_eq!(next_delay_ms(10, u32::MAX), 2_560_000);
    assert_eq!(next_delay_ms(11, u32::MAX), 3_600_000);
    assert_eq!(next_delay_ms(11, 0), 1_800_000);
    assert_eq!(next_delay_ms(u32::MAX, u32::MAX), 3_600_000);
    // The same draw gives the same delay; different draws spread out.
    assert_eq!(next_delay_ms(4, 12345), next_delay_ms(4, 12345));
    let spread: std::collections::BTreeSet<u64> =
        (0..16u32).map(|i| next_delay_ms(4, i << 28)).collect();
    assert_eq!(spread.len(), 16);
    let mut last = 0;
    for attempts in 1..30 {
        let top = next_delay_ms(attempts, u32::MAX);
        assert!(top >= last && top <= MAX_DELAY_MS);
        for r in [0, 1, u32::MAX / 3, u32::MAX - 1] {
            let d = next_delay_ms(attempts, r);
            assert!(d >= top / 2 && d <= top, "{attempts} {r} {d}");
        }
        last = top;
    }
}

#[test]
fn parts_go_first_and_the_answer_last() {
    let d = audit();
    let Delivery::Pending {
        ref docs,
        attempts,
        next_try_at_ms,
        ..
    } = d
    else {
        panic!("{d:?}")
    };
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, [part_id(1), part_id(2), main_id()]);
    assert_eq!((attempts, next_try_at_ms), (0, T0));
    assert!(d.due(T0));
    assert_eq!(d.response_id(), RESPONSE);
    assert_eq!(d.remaining(), 3);
}

#[test]
fn refuses_documents_that_are_not_one_answer() {
    assert_eq!(Delivery::new(vec![], T0), Err(DocsError::Empty));
    assert_eq!(
        Delivery::new(vec![doc("response:1")], T0),
        Err(DocsError::BadId {
            id: "response:1".into()
        })
    );
    assert_eq!(
        Delivery::new(vec![doc(&part_id(1))], T0),
        Err(DocsError::NoAnswerDoc)
    );
    assert_eq!(
        Delivery::new(
            vec![doc(&main_id()), doc(&part_id(1)), doc(&part_id(1))],
            T0
        ),
        Err(DocsError::Duplicate { id: part_id(1) })
    );
    let other = Uuid::from_u128(7);
    assert_eq!(
        Delivery::new(vec![doc(&main_id()), doc(&format!("resp:{other}:1"))], T0),
        Err(DocsError::TwoResponses {
            first: RESPONSE,
            second: other
        })
    );
    for e in [DocsError::Empty, DocsError::NoAnswerDoc] {
        assert_ne!(e.message(Lang::Ru), e.message(Lang::En));
    }
}

#[test]
fn a_request_is_a_put_of_the_document_without_query() {
    let d = audit();
    let put = d.deliver(&server()).unwrap();
    assert_eq!(put.doc_id, part_id(1));
    assert_eq!(put.request.method, Method::Put);
    assert_eq!(put.request.path, format!("/inbox/{}", part_id(1)));
    assert_eq!(put.request.target(), put.request.path, "no query string");
    assert_eq!(
        put.request.body,
        Some(serde_json::to_value(doc(&part_id(1))).unwrap())
    );
    assert!(put
        .request
        .headers
        .contains(&("Content-Type".into(), "application/json".into())));
    // Another inbox name is used as configured; asking twice gives the same.
    let other = ServerConfig::parse("https://h/couch", "answers", "f", "t").unwrap();
    assert_eq!(
        d.deliver(&other).unwrap().request.path,
        format!("/answers/{}", part_id(1))
    );
    assert_eq!(d.deliver(&server()), Some(put));
}

#[test]
fn created_documents_lead_to_delivered() {
    let mut d = audit();
    assert_eq!(
        step(&mut d, created, T0 + 1),
        Status::WillRetry { at_ms: T0 + 1 }
    );
    assert_eq!(d.remaining(), 2);
    assert_eq!(d.deliver(&server()).unwrap().doc_id, part_id(2));
    // 202: stored on fewer nodes than the quorum, stored all the same.
    let accepted = |id: &str| {
        Ok(Response::json(
            202,
            &json!({"ok": true, "id": id, "rev": "1-x"}),
        ))
    };
    step(&mut d, accepted, T0 + 2);
    assert_eq!(step(&mut d, created, T0 + 3), Status::Delivered);
    assert_eq!(
        d,
        Delivery::Delivered {
            response_id: RESPONSE,
            at_ms: T0 + 3
        }
    );
    assert_eq!(d.deliver(&server()), None);
    assert!(!d.due(u64::MAX));
    assert_eq!(Status::Delivered.customer_msg(), Msg::AnswersReachedShop);
    assert_eq!(
        Status::Delivered.customer_msg().text(Lang::En),
        "Your answers have reached the shop."
    );
}

#[test]
fn a_conflict_means_already_delivered() {
    let mut d = Delivery::new(vec![doc(&main_id())], T0).unwrap();
    assert_eq!(step(&mut d, |_| conflict(), T0 + 5), Status::Delivered);
    // A 409 that is not CouchDB's conflict is not taken as delivered.
    let mut d = Delivery::new(vec![doc(&main_id())], T0).unwrap();
    assert_eq!(
        step(&mut d, |_| status(409, "<html>Conflict</html>"), T0),
        Status::Failed
    );
}

#[test]
fn no_answer_retries_with_growing_back_off() {
    let mut d = audit();
    assert_eq!(
        step(&mut d, |_| offline(), T0),
        Status::WillRetry { at_ms: T0 + 2_500 }
    );
    assert_eq!(
        d.problem(),
        Some(&Problem::Unreachable {
            detail: "network: TypeError: Failed to fetch".into()
        })
    );
    assert!(!d.due(T0 + 2_499) && d.due(T0 + 2_500));
    // The same document again, with the delay doubled.
    assert_eq!(d.deliver(&server()).unwrap().doc_id, part_id(1));
    assert_eq!(
        step(&mut d, |_| offline(), T0 + 3_000),
        Status::WillRetry {
            at_ms: T0 + 3_000 + 5_000
        }
    );
    let Delivery::Pending { attempts, .. } = d else {
        panic!()
    };
    assert_eq!(attempts, 2);
    // Progress resets the back-off.
    step(&mut d, created, T0 + 9_000);
    assert_eq!(d.problem(), None);
    assert_eq!(
        step(&mut d, |_| offline(), T0 + 9_001),
        Status::WillRetry {
            at_ms: T0 + 9_001 + 2_500
        }
    );
    assert_eq!(
        Status::WillRetry { at_ms: 0 }.customer_msg(),
        Msg::AnswersSentWhenOnline
    );
    assert_eq!(
        Msg::AnswersSentWhenOnline.text(Lang::En),
        "Your answers are saved on this phone and will be sent when it is online."
    );
}

#[test]
fn a_busy_server_is_retried() {
    for code in [500, 502, 503, 504, 429, 408] {
        let mut d = audit();
        let s = step(&mut d, |_| status(code, "{\"error\":\"unknown\"}"), T0);
        assert_eq!(s, Status::WillRetry { at_ms: T0 + 2_500 }, "{code}");
        assert_eq!(d.problem(), Some(&Problem::Busy { status: code }));
        assert_eq!(d.remaining(), 3);
    }
}

#[test]
fn an_inbox_not_set_up_is_retried_not_failed() {
    let missing = r#"{"error":"not_found","reason":"Database does not exist."}"#;
    let login = r#"{"error":"unauthorized","reason":"Authentication required."}"#;
    for (code, body) in [(404, missing), (401, login)] {
        let mut d = audit();
        step(&mut d, |_| status(code, body), T0);
        assert_eq!(d.problem(), Some(&Problem::NotSetUp { status: code }));
        assert!(matches!(d.status(), Status::WillRetry { .. }));
    }
}

#[test]
fn a_stranger_answering_is_retried() {
    // A Wi-Fi login page: 200 or a redirect with HTML; or a 201 that is
    // not CouchDB's answer for this document.
    let cases = [
        status(200, "<html>Sign in to Wi-Fi</html>"),
        status(302, ""),
        status(201, "<html>ok</html>"),
        Ok(Response::json(
            201,
            &json!({"ok": true, "id": "resp:other"}),
        )),
        Ok(Response::json(201, &json!({"ok": false, "id": part_id(1)}))),
    ];
    for answer in cases {
        let mut d = audit();
        let code = answer.as_ref().unwrap().status;
        step(&mut d, |_| answer, T0);
        assert_eq!(d.problem(), Some(&Problem::Unexpected { status: code }));
        assert_eq!(d.remaining(), 3, "nothing counted as delivered");
    }
}

#[test]
fn a_refused_document_fails_and_is_kept() {
    let forbidden =
        r#"{"error":"forbidden","reason":"inbox: ct is longer than 1500000 characters"}"#;
    let cases = [
        (
            403,
            forbidden,
            Some("inbox: ct is longer than 1500000 characters"),
        ),
        (
            400,
            r#"{"error":"bad_request","reason":"invalid UTF-8 JSON"}"#,
            Some("invalid UTF-8 JSON"),
        ),
        (403, "<html>403 Forbidden</html>", None),
        (413, "<html>413 Request Entity Too Large</html>", None),
    ];
    for (code, body, reason) in cases {
        let mut d = audit();
        step(&mut d, created, T0);
        assert_eq!(step(&mut d, |_| status(code, body), T0 + 1), Status::Failed);
        let Delivery::Failed {
            ref docs,
            ref refusal,
            at_ms,
            ..
        } = d
        else {
            panic!("{d:?}")
        };
        assert_eq!(
            refusal,
            &Refusal {
                status: code,
                doc_id: part_id(2),
                reason: reason.map(str::to_owned)
            }
        );
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, [part_id(2), main_id()], "never dropped");
        assert_eq!(at_ms, T0 + 1);
        assert_eq!(d.deliver(&server()), None, "no automatic retry");
        assert!(!d.due(u64::MAX));
        // A person's "try again".
        d.retry(T0 + 100);
        assert!(d.due(T0 + 100));
        assert_eq!(d.deliver(&server()).unwrap().doc_id, part_id(2));
        assert_eq!(
            step(&mut d, created, T0 + 101),
            Status::WillRetry { at_ms: T0 + 101 }
        );
        assert_eq!(step(&mut d, created, T0 + 102), Status::Delivered);
    }
    assert_eq!(Status::Failed.customer_msg(), Msg::AnswersNotAccepted);
}

#[test]
fn a_long_reason_is_clipped() {
    let body = json!({"error": "forbidden", "reason": "x".repeat(10_000)}).to_string();
    let mut d = Delivery::new(vec![doc(&main_id())], T0).unwrap();
    step(&mut d, |_| status(403, &body), T0);
    let Delivery::Failed { refusal, .. } = d else {
        panic!()
    };
    assert_eq!(refusal.reason.unwrap().chars().count(), 301);
}

#[test]
fn a_late_answer_for_an_acknowledged_document_changes_nothing() {
    let mut d = audit();
    step(&mut d, created, T0);
    let before = d.clone();
    assert_eq!(
        d.on_answer(&part_id(1), &status(500, ""), T0 + 1, 0),
        before.status()
    );
    assert_eq!(d, before);
    let mut done = Delivery::Delivered {
        response_id: RESPONSE,
        at_ms: T0,
    };
    assert_eq!(
        done.on_answer(&main_id(), &offline(), T0, 0),
        Status::Delivered
    );
    done.retry(T0 + 1);
    assert_eq!(done.status(), Status::Delivered);
}

#[test]
fn the_state_survives_a_round_trip_through_json() {
    let mut d = audit();
    step(&mut d, |_| offline(), T0);
    let text = serde_json::to_string(&d).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["problem"]["kind"], "unreachable");
    assert_eq!(serde_json::from_str::<Delivery>(&text).unwrap(), d);
    // Written before `problem` existed, a record still reads.
    let mut old = v.clone();
    old.as_object_mut().unwrap().remove("problem");
    assert!(serde_json::from_value::<Delivery>(old).is_ok());
    let failed = {
        let mut d = audit();
        step(&mut d, |_| status(403, "{}"), T0);
        d
    };
    for d in [
        failed,
        Delivery::Delivered {
            response_id: RESPONSE,
            at_ms: T0,
        },
    ] {
        let text = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Delivery>(&text).unwrap(), d);
    }
}

#[test]
fn every_problem_reads_back_and_a_record_missing_its_fields_is_refused() {
    for p in [
        Problem::Unreachable {
            detail: "offline: x".to_owned(),
        },
        Problem::Busy { status: 503 },
        Problem::NotSetUp { status: 404 },
        Problem::Unexpected { status: 200 },
    ] {
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Problem>(&text).unwrap(), p, "{text}");
    }
    assert_eq!(
        serde_json::to_value(Problem::Busy { status: 503 }).unwrap(),
        json!({"kind": "busy", "status": 503})
    );
    assert!(serde_json::from_value::<Problem>(json!({"kind": "busy"})).is_err());
    let id = RESPONSE.to_string();
    assert!(
        serde_json::from_value::<Delivery>(json!({"state": "pending", "response_id": id})).is_err()
    );
    assert!(serde_json::from_value::<Delivery>(
        json!({"state": "failed", "response_id": id, "docs": [], "at_ms": 1})
    )
    .is_err());
    assert!(serde_json::from_value::<Delivery>(
        json!({"state": "gone", "response_id": id, "at_ms": 1})
    )
    .is_err());
    assert_eq!(
        serde_json::to_value(Delivery::Delivered {
            response_id: RESPONSE,
            at_ms: 5
        })
        .unwrap(),
        json!({"state": "delivered", "response_id": id, "at_ms": 5})
    );
}

/// The page saves its state after each answer; a crash may come after the
/// server stored a document and before that save. Every replay from any
/// saved state then gets a 409 for what was stored, and nothing is created
/// twice: the answer last.
#[test]
fn a_replay_after_a_crash_never_duplicates() {
    let team = TeamKeyPair::generate(&mut system_rng());
    let mut answer = Answer::new_draft(
        RESPONSE,
        "csat",
        2,
        "store-1",
        "dev-1",
        Timestamp::new(T0 as i64, 180),
    );
    answer.employee_note = "ok".into();
    let docs = seal_parts(
        &team.public_key(),
        &Binding::of(&answer),
        &serde_json::to_string(&answer).unwrap(),
        &[7u8; 2500],
        1000,
        &mut system_rng(),
    )
    .unwrap();
    assert_eq!(docs.len(), 4, "the answer and three parts");
    let start = Delivery::new(docs.clone(), T0).unwrap();

    // Crash after each possible number of stored documents, with the state
    // saved before the last of them was acknowledged.
    for crash_after in 1..=docs.len() {
        let mut inbox = FakeInbox::default();
        let mut d = start.clone();
        let mut saved = d.clone();
        for i in 0..crash_after {
            let put = d.deliver(&server()).unwrap();
            let answer = inbox.handle(&put.request);
            if i + 1 < crash_after {
                d.on_answer(&put.doc_id, &Ok(answer), T0, 0);
                saved = d.clone();
            }
        }
        // Restart from what IndexedDB held.
        let mut d: Delivery =
            serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
        let mut conflicts = 0;
        while let Some(put) = d.deliver(&server()) {
            let answer = inbox.handle(&put.request);
            conflicts += usize::from(answer.status == 409);
            d.on_answer(&put.doc_id, &Ok(answer), T0 + 1, 0);
        }
        assert_eq!(d.status(), Status::Delivered, "crash after {crash_after}");
        assert_eq!(conflicts, 1, "exactly the document stored before the crash");
        assert_eq!(inbox.created.len(), docs.len(), "each stored once");
        assert_eq!(inbox.created.last(), Some(&main_id()), "the answer last");
        for doc in &docs {
            assert_eq!(inbox.docs[&doc.id], serde_json::to_value(doc).unwrap());
        }
    }
}

#[test]
fn every_message_reads_in_both_languages() {
    let problems = [
        Problem::Unreachable {
            detail: "network".into(),
        },
        Problem::Busy { status: 503 },
        Problem::NotSetUp { status: 404 },
        Problem::NotSetUp { status: 401 },
        Problem::Unexpected { status: 200 },
    ];
    for p in &problems {
        assert_ne!(p.message(Lang::Ru), p.message(Lang::En));
    }
    assert_ne!(problems[2].message(Lang::En), problems[3].message(Lang::En));
    let r = Refusal {
        status: 403,
        doc_id: main_id(),
        reason: Some("bad shape".into()),
    };
    assert!(r.message(Lang::En).contains("HTTP 403: bad shape"));
    assert!(r.message(Lang::Ru).contains(&main_id()));
    for m in [
        Msg::AnswersReachedShop,
        Msg::AnswersSentWhenOnline,
        Msg::AnswersNotAccepted,
    ] {
        let customer = m.text(Lang::En);
        for jargon in ["server", "HTTP", "inbox", "sync", "error"] {
            assert!(
                !customer.to_lowercase().contains(&jargon.to_lowercase()),
                "{customer}"
            );
        }
    }
}

#[test]
fn a_status_note_reads_back_as_written_and_nothing_else_reads() {
    let id = Uuid::new_v4();
    for status in [
        Status::Delivered,
        Status::Failed,
        Status::WillRetry { at_ms: 0 },
        Status::WillRetry { at_ms: u64::MAX },
    ] {
        let note = status_note(id, status);
        let text = id.to_string();
        assert_eq!(read_status_note(&note), Some((text.as_str(), status)));
    }
    for junk in [
        "",
        "delivered",
        &format!("{id}"),
        &format!("{id} sent"),
        &format!("{id} retry"),
        &format!("{id} retry soon"),
        &format!("{id} delivered now"),
        &format!("{id} retry 5 6"),
        "not-a-uuid delivered",
        "0123 delivered",
    ] {
        assert_eq!(read_status_note(junk), None, "{junk}");
    }
}
