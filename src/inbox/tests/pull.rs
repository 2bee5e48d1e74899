//! The pull's requests, and its reading of the feed's answers.

use serde_json::json;

use super::*;
use crate::i18n::Lang;

#[test]
fn requests_name_the_feed_the_checkpoint_and_the_batch() {
    let pull = InboxPull::new("/inbox/", None, 50);
    let r = pull.request();
    assert_eq!(
        (r.method, r.path.as_str()),
        (Method::Get, "/inbox/_changes")
    );
    assert_eq!(r.param("include_docs"), Some("true"));
    assert_eq!(r.param("since"), Some("0"));
    assert_eq!(r.param("limit"), Some("50"));
    assert_eq!(r.param("feed"), None);
    let w = pull.wait_request(25_000);
    assert_eq!(w.param("feed"), Some("longpoll"));
    assert_eq!(w.param("timeout"), Some("25000"));
    assert_eq!(w.param("since"), Some("0"));

    // CouchDB 3's opaque sequences go back exactly as they came.
    let opaque = json!("12-g1AAAABteJzLYWBgYMpgTmEQTUlKzi9KdUhJMtLLTCrNS9dLzskvTUnMK9HLSy3JAQ");
    let pull = InboxPull::new("/inbox", Some(opaque.clone()), 0);
    assert_eq!(pull.request().param("since"), opaque.as_str());
    assert_eq!(pull.request().param("limit"), Some("1"), "at least one");
    assert_eq!(pull.checkpoint(), Some(&opaque));
    let pull = InboxPull::new("/inbox", Some(json!(42)), 10);
    assert_eq!(pull.request().param("since"), Some("42"));
    assert_eq!(
        pull.request().target(),
        "/inbox/_changes?include_docs=true&since=42&limit=10"
    );

    let f = pull.fetch_request(&["resp:a".to_owned(), "resp:a:1".to_owned()]);
    assert_eq!(
        (f.method, f.path.as_str()),
        (Method::Post, "/inbox/_all_docs")
    );
    assert_eq!(f.param("include_docs"), Some("true"));
    assert_eq!(f.body, Some(json!({"keys": ["resp:a", "resp:a:1"]})));
}

#[test]
fn a_batch_skips_design_documents_and_deletions_and_keeps_docless_rows() {
    let mut pull = InboxPull::new(DB, None, 10);
    let body = json!({
        "results": [
            {"seq": 1, "id": "_design/inbox", "changes": [], "doc": {"_id": "_design/inbox"}},
            {"seq": 2, "id": "resp:x", "changes": [], "doc": {"_id": "resp:x"}},
            {"seq": 3, "id": "resp:y", "changes": [], "deleted": true},
            {"seq": 4, "id": "resp:z", "changes": []}
        ],
        "last_seq": 4, "pending": 7
    });
    let b = pull.read(&HttpResponse::json(200, &body)).unwrap();
    assert_eq!(
        b.docs,
        vec![
            ("resp:x".to_owned(), json!({"_id": "resp:x"})),
            ("resp:z".to_owned(), Value::Null),
        ]
    );
    assert_eq!(
        (b.last_seq.clone(), b.pending, b.rows),
        (json!(4), Some(7), 4)
    );
    assert!(b.more());
    // Read, not yet stored: the checkpoint stays.
    assert_eq!(pull.checkpoint(), None);
    assert_eq!(pull.request().param("since"), Some("0"));
    assert!(!pull.confirm(&json!(3)), "only the batch read");
    assert!(pull.confirm(&json!(4)));
    assert_eq!(pull.checkpoint(), Some(&json!(4)));
    assert_eq!(pull.request().param("since"), Some("4"));
    assert!(!pull.confirm(&json!(4)), "once");

    // Without `pending`, a full batch means more may follow.
    let mut pull = InboxPull::new(DB, None, 1);
    let one = json!({"results": [{"seq": 1, "id": "resp:x", "doc": {}}], "last_seq": 1});
    assert!(pull.read(&HttpResponse::json(200, &one)).unwrap().more());
    let none = json!({"results": [], "last_seq": 1, "pending": 0});
    assert!(!pull.read(&HttpResponse::json(200, &none)).unwrap().more());
}

#[test]
fn malformed_answers_are_errors_and_the_checkpoint_stays() {
    let bodies: Vec<Vec<u8>> = vec![
        b"{\"results\": [".to_vec(),
        b"<html>proxy error</html>".to_vec(),
        b"[]".to_vec(),
        br#"{"results": {}, "last_seq": 1}"#.to_vec(),
        br#"{"results": []}"#.to_vec(),
        br#"{"results": [], "last_seq": null}"#.to_vec(),
        br#"{"results": [{"seq": 1}], "last_seq": 1}"#.to_vec(),
        br#"{"results": [{"seq": 1, "id": 7}], "last_seq": 1}"#.to_vec(),
        br#"{"results": [], "last_seq": 1, "pending": "lots"}"#.to_vec(),
    ];
    for body in bodies {
        let mut pull = InboxPull::new(DB, Some(json!(5)), 10);
        let e = pull
            .read(&HttpResponse::new(200, body.clone()))
            .unwrap_err();
        assert_eq!(e.kind(), "malformed", "{}", String::from_utf8_lossy(&body));
        assert!(!e.retry_later());
        assert_eq!(pull.checkpoint(), Some(&json!(5)));
        assert!(!pull.confirm(&json!(1)));
        assert_eq!(pull.request().param("since"), Some("5"));
    }
    // The same through the driver: nothing stored, nothing moved.
    let key = team();
    let mut inbox = FakeInbox::default();
    inbox.put_doc(&sealed(&key, &survey_answer(1, 9)));
    inbox.next_answer = Some(HttpResponse::new(
        200,
        b"{\"results\": [{\"seq\": 1,".to_vec(),
    ));
    let mut m = Manager::new();
    assert!(matches!(
        m.pull_all(&mut inbox, &ring(&key), 10),
        Err(PullError::Malformed { .. })
    ));
    assert_eq!((m.checkpoint.clone(), m.responses().len()), (None, 0));
    assert!(m.quarantine.is_empty());
    // The next try reads it.
    m.pull_all(&mut inbox, &ring(&key), 10).unwrap();
    assert_eq!(m.responses().len(), 1);
    assert_eq!(m.checkpoint, Some(json!(1)));
}

#[test]
fn statuses_say_what_to_do() {
    let mut pull = InboxPull::new(DB, None, 10);
    let cases = [
        (401, "not_allowed", false),
        (403, "not_allowed", false),
        (404, "no_inbox", false),
        (500, "status", true),
        (429, "status", true),
        (400, "status", false),
    ];
    for (status, kind, retry) in cases {
        let body = json!({"error": "x", "reason": "because"});
        let e = pull.read(&HttpResponse::json(status, &body)).unwrap_err();
        assert_eq!((e.kind(), e.retry_later()), (kind, retry), "{status}");
        if kind == "status" {
            assert!(e.message(Lang::En).contains("because"));
        }
    }
    let t = PullError::from(crate::replication::http::TransportError {
        detail: "offline".into(),
    });
    assert!(t.retry_later());
    let all = [
        t,
        PullError::NotAllowed { status: 401 },
        PullError::NoInbox,
        PullError::Status {
            status: 500,
            reason: "r".into(),
        },
        PullError::Malformed { detail: "d".into() },
    ];
    for e in &all {
        let (ru, en) = (e.message(Lang::Ru), e.message(Lang::En));
        assert!(!ru.is_empty() && !en.is_empty() && ru != en, "{e:?}");
    }
    assert!(pull
        .read_fetched(&HttpResponse::new(200, b"{}".to_vec()))
        .is_err());
}

#[test]
fn a_fetch_tells_found_from_missing() {
    let pull = InboxPull::new(DB, None, 10);
    let body = json!({"rows": [
        {"id": "a", "key": "a", "value": {"rev": "1-x"}, "doc": {"_id": "a"}},
        {"key": "b", "error": "not_found"},
        {"id": "c", "key": "c", "value": {"rev": "2-y", "deleted": true}, "doc": null}
    ]});
    let docs = pull.read_fetched(&HttpResponse::json(200, &body)).unwrap();
    assert_eq!(
        docs,
        vec![
            ("a".to_owned(), Some(json!({"_id": "a"}))),
            ("b".to_owned(), None),
            ("c".to_owned(), None),
        ]
    );
}
