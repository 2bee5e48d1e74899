//! A field device's outbox, the part every device shares: the record kept
//! per submitted answer ([`OutboxRecord`]: the [`Delivery`] state and the
//! server it goes to) and the one delivery loop ([`deliver_record`]) that
//! the customer's page, the kiosk and the shopper's phone all run. The
//! loop is generic over a [`Courier`] (the browser's `fetch` and the
//! device's IndexedDB, or a fake in tests), so the order of its steps is
//! decided once: one request at a time, and the new state stored after
//! every answer before the next request is made. A crash at any point
//! therefore costs at most one repeated `PUT`, which the server answers
//! with `409` (delivered).
//!
//! The record keeps the server beside the delivery because the device must
//! be able to retry long after the link that named the server is gone
//! (the customer closed the tab, the kiosk moved on to another survey).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::outbox::{Delivery, DocsError, Status};
use super::server::ServerConfig;
use super::target::InboxTarget;
use crate::domain::photo::PhotoMeta;
use crate::domain::{Response as Answer, ResponseStatus};
use crate::i18n::Lang;
use crate::inbox::seal_submission;
use crate::replication::http::{Request, Response, TransportError};
use crate::seal::{CryptoRng, SealError};

/// One submitted answer in a device's outbox (`schema::OUTBOX`, keyed by
/// `response_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRecord {
    pub response_id: Uuid,
    /// Where it goes: the server of the link the answer was given under.
    pub server: ServerConfig,
    pub delivery: Delivery,
}

/// Why an answer could not be put in the outbox. It stays stored as a
/// response either way, so the file export still carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueError {
    Seal(SealError),
    Docs(DocsError),
}

impl QueueError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            QueueError::Seal(e) => e.message(lang),
            QueueError::Docs(e) => e.message(lang),
        }
    }
}

impl OutboxRecord {
    /// Seals a submitted `answer` and its `photos` to `target`'s key, as a
    /// record due at once.
    pub fn seal(
        target: &InboxTarget,
        answer: &Answer,
        photos: &[(PhotoMeta, &[u8])],
        rng: &mut impl CryptoRng,
        now_ms: u64,
    ) -> Result<OutboxRecord, QueueError> {
        let submission =
            seal_submission(&target.key, answer, photos, rng).map_err(QueueError::Seal)?;
        let delivery = Delivery::new(submission.into_docs(), now_ms).map_err(QueueError::Docs)?;
        Ok(OutboxRecord {
            response_id: delivery.response_id(),
            server: target.server.clone(),
            delivery,
        })
    }
}

/// What a page reads of a stored record (as JSON text) without the code
/// that reads a whole one: whose answer it is and whether it still waits
/// to go. So a page decides whether to load the courier (`web::courier`)
/// from this alone; `None` for a record it cannot read.
pub fn glance(json: &str) -> Option<(String, bool)> {
    #[derive(Deserialize)]
    struct Probe {
        response_id: String,
        delivery: State,
    }
    #[derive(Deserialize)]
    struct State {
        state: String,
    }
    let probe = serde_json::from_slice::<Probe>(json.as_bytes()).ok()?;
    Some((probe.response_id, probe.delivery.state == "pending"))
}

/// Whether a stored record (as JSON text) still waits to go ([`glance`]).
pub fn waits(json: &str) -> bool {
    glance(json).is_some_and(|(_, waiting)| waiting)
}

/// What [`not_queued`] reads of a stored response (its JSON text): enough
/// to choose, without the code that reads a whole response.
#[derive(Deserialize)]
struct StoredAnswer {
    id: String,
    questionnaire_id: String,
    questionnaire_version: u32,
    #[serde(default)]
    device_id: String,
    #[serde(default)]
    status: ResponseStatus,
}

/// The answers (stored responses as JSON text) this device (`device_id`)
/// submitted to `questionnaire_id` version `version` that are not in the
/// outbox (`queued`: its records' response ids), with their ids: a page that stored one but could not
/// hand it to the courier (it did not load) hands it over when the same
/// link is opened again, so a stored answer is never left behind. Answers
/// from other devices (imported from files) are never sent on from here.
pub fn not_queued<'a>(
    answers: impl IntoIterator<Item = &'a str>,
    device_id: &str,
    questionnaire_id: &str,
    version: u32,
    queued: &[String],
) -> Vec<(String, &'a str)> {
    answers
        .into_iter()
        .filter_map(|json| {
            let a = serde_json::from_slice::<StoredAnswer>(json.as_bytes()).ok()?;
            (a.status == ResponseStatus::Submitted
                && a.device_id == device_id
                && a.questionnaire_id == questionnaire_id
                && a.questionnaire_version == version
                && !queued.contains(&a.id))
            .then_some((a.id, json))
        })
        .collect()
}

/// When a timer should next wake for `records`: the earliest retry of a
/// pending one, `None` when nothing waits.
pub fn next_wake_ms<'a>(records: impl IntoIterator<Item = &'a OutboxRecord>) -> Option<u64> {
    records
        .into_iter()
        .filter_map(|r| match r.delivery {
            Delivery::Pending { next_try_at_ms, .. } => Some(next_try_at_ms),
            _ => None,
        })
        .min()
}

/// What a device lends the loop: the network, its storage, its clock and
/// a random number for the back-off's spread.
// Every implementation runs on the browser's one thread, so the futures
// need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Courier {
    async fn send(
        &self,
        server: &ServerConfig,
        request: &Request,
    ) -> Result<Response, TransportError>;
    /// Stores `record` (replacing the one with its response id); the loop
    /// makes no further request until this has succeeded.
    async fn keep(&self, record: &OutboxRecord) -> Result<(), String>;
    fn now_ms(&self) -> u64;
    fn random(&self) -> u32;
}

/// Delivers `record` as far as it goes now: its documents one at a time,
/// each answer read by the state machine and stored before the next
/// request, until it is delivered, refused, or a try fails (then it waits
/// for its retry time, which a timer or an event honours). A record that
/// is not pending is left alone. `Err` when the device could not store a
/// step: the loop stops there, and the stored record is the last one kept.
pub async fn deliver_record(
    record: &mut OutboxRecord,
    courier: &impl Courier,
) -> Result<Status, String> {
    while let Some(put) = record.delivery.deliver(&record.server) {
        let before = record.delivery.remaining();
        let answer = courier.send(&record.server, &put.request).await;
        record
            .delivery
            .on_answer(&put.doc_id, &answer, courier.now_ms(), courier.random());
        courier.keep(record).await?;
        // A failed try waits for its back-off; a try that moved nothing on
        // (which the state machine never gives) must not spin.
        if record.delivery.problem().is_some() || record.delivery.remaining() == before {
            break;
        }
    }
    Ok(record.delivery.status())
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::domain::{Response as Answer, ResponseStatus, Timestamp};
    use crate::replication::http::Method;
    use crate::seal::{system_rng, TeamKeyPair};

    /// The loop's futures complete without waiting on anything here.
    fn run<F: Future>(f: F) -> F::Output {
        let mut f = pin!(f);
        match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("the fake courier never waits"),
        }
    }

    struct Fake {
        /// Status for each request in turn; `None` is no answer at all.
        answers: RefCell<Vec<Option<u16>>>,
        sent: RefCell<Vec<(Method, String)>>,
        kept: RefCell<Vec<OutboxRecord>>,
        fail_keep: Cell<bool>,
    }

    impl Fake {
        fn new(answers: &[Option<u16>]) -> Fake {
            Fake {
                answers: RefCell::new(answers.iter().rev().copied().collect()),
                sent: RefCell::new(Vec::new()),
                kept: RefCell::new(Vec::new()),
                fail_keep: Cell::new(false),
            }
        }
    }

    impl Courier for Fake {
        async fn send(
            &self,
            _server: &ServerConfig,
            request: &Request,
        ) -> Result<Response, TransportError> {
            self.sent
                .borrow_mut()
                .push((request.method, request.path.clone()));
            let id = request.path.rsplit('/').next().unwrap().to_owned();
            match self
                .answers
                .borrow_mut()
                .pop()
                .expect("no more requests expected")
            {
                None => Err(TransportError {
                    detail: "offline: fetch failed".to_owned(),
                }),
                Some(409) => Ok(Response::json(
                    409,
                    &serde_json::json!({"error": "conflict", "reason": "Document update conflict."}),
                )),
                Some(status) => Ok(Response::json(
                    status,
                    &serde_json::json!({"ok": true, "id": id, "rev": "1-a"}),
                )),
            }
        }
        async fn keep(&self, record: &OutboxRecord) -> Result<(), String> {
            if self.fail_keep.get() {
                return Err("quota".to_owned());
            }
            self.kept.borrow_mut().push(record.clone());
            Ok(())
        }
        fn now_ms(&self) -> u64 {
            1_000
        }
        fn random(&self) -> u32 {
            0
        }
    }

    fn target() -> InboxTarget {
        InboxTarget {
            server: ServerConfig::parse("http://127.0.0.1:5985", "inbox", "forms", "team").unwrap(),
            key: TeamKeyPair::generate(&mut system_rng()).public_key(),
        }
    }

    fn submitted() -> Answer {
        let q = &crate::templates::built_in()[0];
        let at = Timestamp::new(1_772_434_800_000, 180);
        let mut r = Answer::new_draft(Uuid::new_v4(), &q.id, q.version, "", "phone", at);
        r.status = ResponseStatus::Submitted;
        r.submitted_at = Some(at);
        r
    }

    fn photo(answer: &Answer) -> (PhotoMeta, Vec<u8>) {
        // Above one sealed document's size, so the photo needs two parts.
        let bytes = vec![7u8; crate::seal::MAX_SEALED_BYTES + 10];
        let meta = PhotoMeta {
            id: Uuid::new_v4(),
            response_id: answer.id,
            question_id: "q1".to_owned(),
            mime: "image/jpeg".to_owned(),
            width: 2,
            height: 2,
            bytes: bytes.len() as u64,
            taken_at: Timestamp::new(1_772_434_800_000, 180),
        };
        (meta, bytes)
    }

    #[test]
    fn a_record_survives_storage_as_json() {
        let record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 5).expect("sealed");
        let json = serde_json::to_string(&record).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        // The store's key path is the top-level `response_id`.
        assert_eq!(value["response_id"], record.response_id.to_string());
        assert_eq!(serde_json::from_str::<OutboxRecord>(&json).unwrap(), record);
        assert_eq!(record.delivery.status(), Status::WillRetry { at_ms: 5 });
    }

    #[test]
    fn only_a_pending_record_waits() {
        let mut record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        let json = |r: &OutboxRecord| serde_json::to_string(r).unwrap();
        assert!(waits(&json(&record)));
        // What the browser's JSON.stringify gives back of a stored record.
        let value: serde_json::Value = serde_json::from_str(&json(&record)).unwrap();
        assert!(waits(&value.to_string()));
        let delivered = Fake::new(&[Some(201)]);
        run(deliver_record(&mut record, &delivered)).unwrap();
        assert_eq!(record.delivery.status(), Status::Delivered);
        assert!(!waits(&json(&record)));

        let mut refused =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        run(deliver_record(&mut refused, &Fake::new(&[Some(403)]))).unwrap();
        assert!(!waits(&json(&refused)));
        for junk in ["", "{}", "[]", r#"{"delivery":{"state":7}}"#] {
            assert!(!waits(junk), "{junk}");
        }
    }

    #[test]
    fn a_glance_names_the_answer() {
        let record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(glance(&json), Some((record.response_id.to_string(), true)));
    }

    #[test]
    fn answers_left_out_of_the_outbox_are_found_for_their_own_link_only() {
        let queued_one = submitted();
        let left_out = submitted();
        let mut draft = submitted();
        draft.status = ResponseStatus::Draft;
        let mut other_version = submitted();
        other_version.questionnaire_version += 1;
        let mut other_survey = submitted();
        other_survey.questionnaire_id = "another".into();
        let mut imported = submitted();
        imported.device_id = "another device".into();
        let all: Vec<String> = [
            &queued_one,
            &left_out,
            &draft,
            &other_version,
            &other_survey,
            &imported,
        ]
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .chain(["not a response".to_owned()])
        .collect();
        let queued = [queued_one.id.to_string()];
        let found = not_queued(
            all.iter().map(String::as_str),
            &left_out.device_id,
            &left_out.questionnaire_id,
            left_out.questionnaire_version,
            &queued,
        );
        assert_eq!(found, vec![(left_out.id.to_string(), all[1].as_str())]);
    }

    #[test]
    fn a_draft_is_not_queued() {
        let mut draft = submitted();
        draft.status = ResponseStatus::Draft;
        draft.submitted_at = None;
        let e = OutboxRecord::seal(&target(), &draft, &[], &mut system_rng(), 0).unwrap_err();
        assert!(matches!(e, QueueError::Seal(_)), "{e:?}");
        assert!(!e.message(Lang::En).is_empty());
    }

    #[test]
    fn parts_go_first_one_at_a_time_each_step_kept_before_the_next() {
        let answer = submitted();
        let (meta, bytes) = photo(&answer);
        let mut record = OutboxRecord::seal(
            &target(),
            &answer,
            &[(meta, bytes.as_slice())],
            &mut system_rng(),
            0,
        )
        .unwrap();
        let docs = record.delivery.remaining();
        assert!(docs >= 3, "two parts and the answer: {docs}");
        let fake = Fake::new(&vec![Some(201); docs]);
        assert_eq!(
            run(deliver_record(&mut record, &fake)),
            Ok(Status::Delivered)
        );
        let sent = fake.sent.borrow();
        assert_eq!(sent.len(), docs);
        assert!(sent.iter().all(|(m, _)| *m == Method::Put));
        assert_eq!(sent[0].1, format!("/inbox/resp:{}:1", answer.id));
        assert_eq!(sent[docs - 1].1, format!("/inbox/resp:{}", answer.id));
        // One stored state per answer, counting down to delivered.
        let kept = fake.kept.borrow();
        let remaining: Vec<usize> = kept.iter().map(|r| r.delivery.remaining()).collect();
        assert_eq!(remaining, (0..docs).rev().collect::<Vec<_>>());
        assert_eq!(kept.last().unwrap(), &record);
    }

    #[test]
    fn no_answer_stops_and_waits_and_a_conflict_later_counts_as_delivered() {
        let mut record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        let fake = Fake::new(&[None]);
        let status = run(deliver_record(&mut record, &fake)).unwrap();
        assert!(
            matches!(status, Status::WillRetry { at_ms } if at_ms > 1_000),
            "{status:?}"
        );
        assert_eq!(fake.sent.borrow().len(), 1);
        assert_eq!(next_wake_ms([&record]), Some(record_next(&record)));
        assert!(record.delivery.problem().is_some());

        let fake = Fake::new(&[Some(409)]);
        assert_eq!(
            run(deliver_record(&mut record, &fake)),
            Ok(Status::Delivered)
        );
        assert_eq!(next_wake_ms([&record]), None);
        // Delivered: nothing more is sent.
        let fake = Fake::new(&[]);
        assert_eq!(
            run(deliver_record(&mut record, &fake)),
            Ok(Status::Delivered)
        );
        assert!(fake.sent.borrow().is_empty());
    }

    fn record_next(r: &OutboxRecord) -> u64 {
        match r.delivery {
            Delivery::Pending { next_try_at_ms, .. } => next_try_at_ms,
            _ => panic!("pending"),
        }
    }

    #[test]
    fn a_refusal_fails_and_a_storage_failure_stops_the_loop() {
        let mut record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        let fake = Fake::new(&[Some(403)]);
        assert_eq!(run(deliver_record(&mut record, &fake)), Ok(Status::Failed));

        let mut record =
            OutboxRecord::seal(&target(), &submitted(), &[], &mut system_rng(), 0).unwrap();
        let fake = Fake::new(&[Some(201), Some(201)]);
        fake.fail_keep.set(true);
        assert_eq!(
            run(deliver_record(&mut record, &fake)),
            Err("quota".to_owned())
        );
        assert_eq!(
            fake.sent.borrow().len(),
            1,
            "no request after a step not kept"
        );
    }
}
