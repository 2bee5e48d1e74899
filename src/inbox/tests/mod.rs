//! Native tests of the inbox: a fake inbox database answering the pull's
//! requests with documents sealed to a test team's key, and a driver that
//! runs the round of the module docs (pull, open, read again, merge, store,
//! confirm) against it.

mod bad_input;
mod flow;
mod parts;
mod pull;
mod units;

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;

use super::{
    quarantine_from_report, Batch, InboxPull, Opened, Opener, Outcome, PullError, Quarantined,
    Waiting,
};
use crate::domain::photo::PhotoMeta;
use crate::domain::{AnswerValue, Response, Timestamp};
use crate::exchange::bundle::photo_samples;
use crate::exchange::merge::{merge, MergeReport, Receiver, Snapshot};
use crate::exchange::test_data::{at, audit, response, survey, uuid};
use crate::replication::http::{Method, Request, Response as HttpResponse};
use crate::seal::{self, KeyRing, SealedDoc, TeamKeyPair};
use crate::uri::decode_component;

pub(super) const DB: &str = "/inbox";

/// One document of a submission to create, as a field device sends it.
pub(super) struct Put {
    pub doc_id: String,
    pub body: Value,
}

impl Put {
    /// `PUT <db>/<doc_id>`; `409` means already delivered.
    pub fn request(&self, db_path: &str) -> Request {
        Request::new(
            Method::Put,
            crate::replication::http::doc_path(db_path.trim_end_matches('/'), &self.doc_id),
        )
        .json(self.body.clone())
    }
}

/// A submission's documents in sending order (`Submission::into_docs`).
pub(super) fn deliveries(sub: &super::Submission) -> Vec<Put> {
    sub.clone()
        .into_docs()
        .into_iter()
        .map(|d| Put {
            doc_id: d.id.clone(),
            body: value(&d),
        })
        .collect()
}

/// The manager's device, a while after every sample was made.
pub(super) fn here() -> Receiver<'static> {
    Receiver {
        device_id: "manager-1",
        now: at(1_000_000),
    }
}

pub(super) fn team() -> TeamKeyPair {
    TeamKeyPair::generate(&mut seal::system_rng())
}

pub(super) fn ring(key: &TeamKeyPair) -> KeyRing {
    KeyRing::with_current(key.clone())
}

/// A manager's store holding the sample questionnaires.
pub(super) fn store() -> Snapshot {
    let mut s = Snapshot::default();
    s.contents.questionnaires = vec![audit(), survey()];
    s
}

/// A submitted survey answer from a customer's phone.
pub(super) fn survey_answer(n: u128, nps: u8) -> Response {
    response(
        n,
        &survey(),
        n as i64,
        vec![
            ("q-nps", AnswerValue::Scale(nps), ""),
            ("q-why", AnswerValue::Text(format!("ответ {n}")), ""),
        ],
    )
}

/// A submitted audit from a shopper's phone.
pub(super) fn audit_answer(n: u128) -> Response {
    response(
        n,
        &audit(),
        n as i64,
        vec![
            ("q-greet", AnswerValue::Yes, ""),
            ("q-clean", AnswerValue::Scale(4), ""),
        ],
    )
}

/// A photo of `r` for `q-greet`: a JPEG whose bytes go on for `len`.
pub(super) fn photo(r: &Response, n: u128, len: usize) -> (PhotoMeta, Vec<u8>) {
    let mut bytes = photo_samples::JPEG.to_vec();
    bytes.resize(len.max(bytes.len()), 0x5a);
    let meta = PhotoMeta {
        id: uuid(0x1000 + n),
        response_id: r.id,
        question_id: "q-greet".into(),
        mime: "image/jpeg".into(),
        width: 640,
        height: 480,
        bytes: 0,
        taken_at: r.started_at,
    };
    (meta, bytes)
}

/// `r` sealed to `key` as one answer document.
pub(super) fn sealed(key: &TeamKeyPair, r: &Response) -> SealedDoc {
    let json = serde_json::to_string(r).unwrap();
    seal::seal(
        &key.public_key(),
        &seal::Binding::of(r),
        &json,
        &mut seal::system_rng(),
    )
    .unwrap()
}

/// `r` with photos, cut into parts of `max_part` bytes: the answer first.
pub(super) fn sealed_with_photos(
    key: &TeamKeyPair,
    r: &Response,
    photos: &[(PhotoMeta, Vec<u8>)],
    max_part: usize,
) -> Vec<SealedDoc> {
    let borrowed: Vec<(PhotoMeta, &[u8])> = photos
        .iter()
        .map(|(m, b)| (m.clone(), b.as_slice()))
        .collect();
    let attachment = super::photos::encode(&borrowed);
    let json = serde_json::to_string(r).unwrap();
    seal::seal_parts(
        &key.public_key(),
        &seal::Binding::of(r),
        &json,
        &attachment,
        max_part,
        &mut seal::system_rng(),
    )
    .unwrap()
}

pub(super) fn value(doc: &SealedDoc) -> Value {
    serde_json::to_value(doc).unwrap()
}

/// An inbox database: documents in the order they were created, each with
/// its sequence number, answering `_changes`, `_all_docs` with keys and
/// creates as express-pouchdb does (integer sequences).
#[derive(Default)]
pub(super) struct FakeInbox {
    /// `(seq, id, doc)`; a replay is the same id listed again.
    pub feed: Vec<(u64, String, Value)>,
    pub requests: Vec<Request>,
    /// The next `_changes` answers with this instead.
    pub next_answer: Option<HttpResponse>,
}

impl FakeInbox {
    pub fn put(&mut self, id: &str, doc: Value) {
        let seq = self.feed.len() as u64 + 1;
        self.feed.push((seq, id.to_owned(), doc));
    }

    pub fn put_doc(&mut self, doc: &SealedDoc) {
        self.put(&doc.id.clone(), value(doc));
    }

    /// The stored document of `id`: the first listing (documents are never
    /// changed).
    fn get(&self, id: &str) -> Option<&Value> {
        self.feed
            .iter()
            .find(|(_, i, _)| i == id)
            .map(|(_, _, d)| d)
    }

    pub fn handle(&mut self, req: &Request) -> HttpResponse {
        self.requests.push(req.clone());
        match (req.method, req.path.as_str()) {
            (Method::Get, "/inbox/_changes") => {
                if let Some(a) = self.next_answer.take() {
                    return a;
                }
                assert_eq!(req.param("include_docs"), Some("true"));
                let since: u64 = req.param("since").unwrap().parse().unwrap();
                let limit: usize = req.param("limit").unwrap().parse().unwrap();
                let after: Vec<&(u64, String, Value)> =
                    self.feed.iter().filter(|(s, _, _)| *s > since).collect();
                let rows: Vec<Value> = after
                    .iter()
                    .take(limit)
                    .map(|(s, id, doc)| {
                        json!({"seq": s, "id": id, "changes": [{"rev": "1-x"}], "doc": doc})
                    })
                    .collect();
                let last = after[..after.len().min(limit)]
                    .last()
                    .map_or(since, |(s, _, _)| *s);
                let pending = after.len().saturating_sub(limit);
                HttpResponse::json(
                    200,
                    &json!({"results": rows, "last_seq": last, "pending": pending}),
                )
            }
            (Method::Post, "/inbox/_all_docs") => {
                assert_eq!(req.param("include_docs"), Some("true"));
                let keys = req.body.as_ref().unwrap()["keys"].as_array().unwrap();
                let rows: Vec<Value> = keys
                    .iter()
                    .map(|k| {
                        let k = k.as_str().unwrap();
                        match self.get(k) {
                            Some(doc) => {
                                json!({"id": k, "key": k, "value": {"rev": "1-x"}, "doc": doc})
                            }
                            None => json!({"key": k, "error": "not_found"}),
                        }
                    })
                    .collect();
                HttpResponse::json(200, &json!({"total_rows": self.feed.len(), "rows": rows}))
            }
            (Method::Put, path) => {
                let id = decode_component(path.strip_prefix("/inbox/").unwrap()).unwrap();
                if self.get(&id).is_some() {
                    return HttpResponse::json(409, &json!({"error": "conflict"}));
                }
                self.put(&id, req.body.clone().unwrap());
                HttpResponse::json(201, &json!({"ok": true, "id": id}))
            }
            other => panic!("unexpected request {other:?}"),
        }
    }
}

/// What the manager's device holds: its store, the quarantine (keyed as
/// it would be stored), the waiting state and the checkpoint.
#[derive(Default)]
pub(super) struct Manager {
    pub store: Snapshot,
    pub quarantine: BTreeMap<String, Quarantined>,
    pub waiting: Waiting,
    pub checkpoint: Option<Value>,
    pub reports: Vec<MergeReport>,
    pub batches: usize,
}

impl Manager {
    pub fn new() -> Manager {
        Manager {
            store: store(),
            ..Manager::default()
        }
    }

    pub fn kinds(&self) -> Vec<&'static str> {
        self.quarantine.values().map(|q| q.reason.kind()).collect()
    }

    pub fn responses(&self) -> &[Response] {
        &self.store.contents.responses
    }

    /// One batch, stored as one transaction when `commit` (else the device
    /// "crashed" after reading it: nothing of it is kept).
    pub fn round(
        &mut self,
        inbox: &mut FakeInbox,
        keys: &KeyRing,
        limit: u32,
        commit: bool,
    ) -> Result<Batch, PullError> {
        let mut pull = InboxPull::new(DB, self.checkpoint.clone(), limit);
        let mut batch = pull.read(&inbox.handle(&pull.request()))?;
        let stored: Vec<Uuid> = self.store.contents.responses.iter().map(|r| r.id).collect();
        let is_stored = |u: Uuid| stored.contains(&u);
        let opener = Opener::new(keys, here().now).with_stored(&is_stored);
        let mut step = opener.batch(&self.waiting, std::mem::take(&mut batch.docs));
        for f in &step.fetches {
            let docs = pull.read_fetched(&inbox.handle(&pull.fetch_request(&f.doc_ids)))?;
            step.outcomes
                .extend(opener.fetched(&mut step.waiting, f, docs));
        }
        // The transaction: everything below is kept together or not at all.
        let mut store = self.store.clone();
        let mut quarantine = self.quarantine.clone();
        let mut reports = Vec::new();
        for o in step.outcomes {
            match o {
                Outcome::Opened(opened) => {
                    let (changes, report) = merge(&store, &opened.bundle, here());
                    changes.apply_to(&mut store);
                    settle(&mut quarantine, &opened);
                    for q in quarantine_from_report(&report, &opened, here().now) {
                        quarantine.insert(q.stored().key(), q);
                    }
                    reports.push(report);
                }
                Outcome::Quarantined(q) => {
                    quarantine.insert(q.stored().key(), q);
                }
            }
        }
        if commit {
            assert!(pull.confirm(&batch.last_seq));
            self.store = store;
            self.quarantine = quarantine;
            self.waiting = step.waiting;
            self.checkpoint = pull.checkpoint().cloned();
            self.reports.extend(reports);
            self.batches += 1;
        }
        Ok(batch)
    }

    /// Rounds until the feed has nothing more.
    pub fn pull_all(
        &mut self,
        inbox: &mut FakeInbox,
        keys: &KeyRing,
        limit: u32,
    ) -> Result<(), PullError> {
        for _ in 0..10_000 {
            if !self.round(inbox, keys, limit, true)?.more() {
                return Ok(());
            }
        }
        panic!("the pull never ended");
    }
}

/// Quarantine entries of documents now taken are settled.
fn settle(quarantine: &mut BTreeMap<String, Quarantined>, opened: &Opened) {
    quarantine.retain(|_, q| !opened.doc_ids.contains(&q.doc_id));
}

/// The only outcome of opening `docs` as one batch from an empty state.
pub(super) fn open_one(keys: &KeyRing, id: &str, doc: Value) -> Outcome {
    let step = Opener::new(keys, here().now).batch(&Waiting::default(), vec![(id.to_owned(), doc)]);
    assert!(step.fetches.is_empty());
    assert_eq!(step.outcomes.len(), 1, "{:?}", step.outcomes);
    step.outcomes.into_iter().next().unwrap()
}

pub(super) fn quarantined_kind(o: &Outcome) -> &'static str {
    match o {
        Outcome::Quarantined(q) => q.reason.kind(),
        Outcome::Opened(_) => panic!("opened, expected quarantine"),
    }
}

pub(super) fn now() -> Timestamp {
    here().now
}
