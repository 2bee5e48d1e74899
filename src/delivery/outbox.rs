//! A field device's delivery of one submitted answer to the team's inbox,
//! as a state machine with no I/O: [`Delivery::deliver`] hands out the next
//! request, [`Delivery::on_answer`] reads what came back, and the state is
//! plain serde data that the page keeps in IndexedDB between tries, reloads
//! and crashes.
//!
//! ```text
//!            ┌──── transport error, 5xx, 429, 408, 401, 404, a stranger's answer:
//!            │     retry at now + next_delay_ms(attempts)
//!            ▼     │
//! new ──▶ Pending ─┘── 201/202, or 409 = already there ──▶ next document … ──▶ Delivered
//!            │  ▲
//!            │  └──────── retry() (a person's "try again")
//!            └── 400, 403, 413 and other 4xx: the server refuses this document ──▶ Failed
//! ```
//!
//! **One document at a time, parts first, the answer last.** A shopper's
//! audit is the answer `resp:<uuid>` and its photos' parts `resp:<uuid>:n`.
//! The answer goes last, so that when it appears in the inbox every part it
//! names is already there: the manager's device opens an answer as soon as
//! it sees it and never has to hold a half-delivered audit, and "delivered"
//! means exactly "the answer document was stored". The price is that a
//! manager may see parts without their answer (a phone that went offline
//! midway); such parts wait for their answer and are not counted. Handing
//! out one request at a time keeps that order even for a caller that sends
//! whatever it is given at once.
//!
//! **Idempotent.** Every request is a `PUT` of a fixed id and never carries
//! a revision, so repeating one cannot make a second copy: CouchDB answers
//! `409` and the document counts as delivered. A crash between the server
//! storing a document and the device saving that fact therefore costs one
//! `409` on the next try, never a duplicate. (A `409` cannot be someone
//! else's document under our id: ids are random v4 UUIDs that no one sees
//! before the first try reaches the server.)
//!
//! **What is retried.** No answer at all (offline, DNS, the server down,
//! CORS refused), the server overloaded or failing (`5xx`, `429`, `408`),
//! and an inbox that is not set up yet (`404` no such database, `401` the
//! server wants a login): a manager fixes the server, and the answers
//! waiting on customers' phones, which no one will come back to press a
//! button on, go out by themselves. An answer that is not CouchDB's (a
//! `200` or a redirect from a Wi-Fi login page, a `201` without CouchDB's
//! body) is retried too: the request may never have reached the server.
//! **What is not:** `400`, `403`, `413` and other `4xx`, where the server
//! has read this very document and refused it; sending the same bytes again
//! gets the same answer. The answer is kept, never dropped: the device shows
//! it as not sent, a person can try again ([`Delivery::retry`]) or export it
//! as a file.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::no_answer::NoAnswer;
use super::server::ServerConfig;
use crate::i18n::{Lang, Msg};
use crate::replication::http::{Method, Request, Response, TransportError};
use crate::seal::{DocId, SealedDoc};
use crate::uri::encode_component;

/// The first retry's delay.
pub const FIRST_DELAY_MS: u64 = 5_000;
/// The longest delay: an answer still goes out within the hour once the
/// phone is online, while a phone offline for days makes a couple of
/// dozen tries a day.
pub const MAX_DELAY_MS: u64 = 3_600_000;
/// A server's `reason` is kept for people to read, not stored whole.
const MAX_REASON_CHARS: usize = 300;

/// The delay before retry number `attempts` (1 after the first failure):
/// 5 s doubling up to an hour, then a random point in its upper half,
/// drawn from `random` (any u32, so tests pass a fixed one), so phones that
/// went offline together (a shop's Wi-Fi) do not all come back at once.
pub fn next_delay_ms(attempts: u32, random: u32) -> u64 {
    let doublings = attempts.saturating_sub(1).min(20);
    let base = (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS);
    let half = base / 2;
    half + ((u64::from(random) * (base - half + 1)) >> 32)
}

/// Why the last try did not get through, kept while the answer waits.
/// Stored as `{"kind": "unreachable", "detail": …}` or `{"kind": "busy",
/// "status": …}` through a plain struct ([`ProblemWire`]): serde's
/// internally tagged enums buffer every record they read, which cost the
/// customer's page more of its download than the whole delivery loop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProblemWire", into = "ProblemWire")]
pub enum Problem {
    /// No answer: offline, no such host, the server down, or CORS refused;
    /// the detail names the [`NoAnswer`] case the transport could tell.
    Unreachable { detail: String },
    /// `5xx`, `429`, `408`: the server is there and asks to come back.
    Busy { status: u16 },
    /// `404` (no inbox database) or `401` (the server wants a login for it).
    NotSetUp { status: u16 },
    /// A status or body CouchDB does not give for a create, such as a Wi-Fi
    /// login page's.
    Unexpected { status: u16 },
}

impl Problem {
    /// For the manager's and the shopper's outbox; a customer sees
    /// [`Status::customer_msg`] instead.
    pub fn message(&self, lang: Lang) -> String {
        use Problem as P;
        match (self, lang) {
            (P::Unreachable { detail }, Lang::Ru) => format!(
                "{} Ответ уйдёт сам, когда сервер станет доступен.",
                NoAnswer::of_detail(detail).message(lang)
            ),
            (P::Unreachable { detail }, Lang::En) => format!(
                "{} The answer goes out by itself once the server can be reached.",
                NoAnswer::of_detail(detail).message(lang)
            ),
            (P::Busy { status }, Lang::Ru) => format!(
                "Сервер перегружен или неисправен (HTTP {status}). Ответ будет отправлен ещё раз."
            ),
            (P::Busy { status }, Lang::En) => format!(
                "The server is overloaded or failing (HTTP {status}). The answer will be sent \
                 again."
            ),
            (P::NotSetUp { status: 404 }, Lang::Ru) => {
                "На сервере нет базы входящих ответов (HTTP 404): создайте её (docs/sync.md). \
                 Ответы ждут на устройствах и уйдут, когда база появится."
                    .to_owned()
            }
            (P::NotSetUp { status: 404 }, Lang::En) => {
                "The server has no database for incoming answers (HTTP 404): create it \
                 (docs/sync.md). The answers wait on the devices and go out once it exists."
                    .to_owned()
            }
            (P::NotSetUp { status }, Lang::Ru) => format!(
                "Сервер не принимает ответы без пароля (HTTP {status}): в базу входящих ответов \
                 должен писать любой (docs/sync.md). Ответы ждут на устройствах и уйдут, когда \
                 это исправят."
            ),
            (P::NotSetUp { status }, Lang::En) => format!(
                "The server takes no answers without a password (HTTP {status}): anyone must be \
                 able to write to the database of incoming answers (docs/sync.md). The answers \
                 wait on the devices and go out once this is fixed."
            ),
            (P::Unexpected { status }, Lang::Ru) => format!(
                "Ответил не сервер (HTTP {status}), например страница входа в Wi-Fi. Ответ будет \
                 отправлен ещё раз."
            ),
            (P::Unexpected { status }, Lang::En) => format!(
                "Something other than the server answered (HTTP {status}), such as a Wi-Fi login \
                 page. The answer will be sent again."
            ),
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProblemKind {
    Unreachable,
    Busy,
    NotSetUp,
    Unexpected,
}

#[derive(Serialize, Deserialize)]
struct ProblemWire {
    kind: ProblemKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
}

impl From<Problem> for ProblemWire {
    fn from(p: Problem) -> ProblemWire {
        let (kind, detail, status) = match p {
            Problem::Unreachable { detail } => (ProblemKind::Unreachable, Some(detail), None),
            Problem::Busy { status } => (ProblemKind::Busy, None, Some(status)),
            Problem::NotSetUp { status } => (ProblemKind::NotSetUp, None, Some(status)),
            Problem::Unexpected { status } => (ProblemKind::Unexpected, None, Some(status)),
        };
        ProblemWire {
            kind,
            detail,
            status,
        }
    }
}

impl TryFrom<ProblemWire> for Problem {
    type Error = &'static str;
    fn try_from(w: ProblemWire) -> Result<Problem, &'static str> {
        let status = w.status.ok_or("a problem without its status");
        Ok(match w.kind {
            ProblemKind::Unreachable => Problem::Unreachable {
                detail: w.detail.ok_or("a problem without its detail")?,
            },
            ProblemKind::Busy => Problem::Busy { status: status? },
            ProblemKind::NotSetUp => Problem::NotSetUp { status: status? },
            ProblemKind::Unexpected => Problem::Unexpected { status: status? },
        })
    }
}

/// The server read a document and refused it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub status: u16,
    pub doc_id: String,
    /// CouchDB's `reason`, when the answer had one.
    pub reason: Option<String>,
}

impl Refusal {
    /// For the manager's and the shopper's outbox; a customer sees
    /// [`Status::customer_msg`] instead.
    pub fn message(&self, lang: Lang) -> String {
        let Refusal {
            status,
            doc_id,
            reason,
        } = self;
        let reason = reason
            .as_deref()
            .map(|r| format!(": {r}"))
            .unwrap_or_default();
        match lang {
            Lang::Ru => format!(
                "Сервер отказался принять ответ {doc_id} (HTTP {status}{reason}). Повторная \
                 отправка получит тот же отказ: ответ остаётся на этом устройстве. Выгрузите его \
                 файлом или отправьте ещё раз, когда сервер исправят."
            ),
            Lang::En => format!(
                "The server refused the answer {doc_id} (HTTP {status}{reason}). Sending it \
                 again would be refused too: the answer stays on this device. Export it as a \
                 file, or send it again once the server is fixed."
            ),
        }
    }
}

/// Sealed documents that do not make one answer: a damaged stored record
/// or a bug, since [`crate::seal::seal_parts`] always makes a whole set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocsError {
    Empty,
    BadId { id: String },
    TwoResponses { first: Uuid, second: Uuid },
    Duplicate { id: String },
    NoAnswerDoc,
}

impl DocsError {
    pub fn message(&self, lang: Lang) -> String {
        let detail = match self {
            DocsError::Empty => "0".to_owned(),
            DocsError::BadId { id } => id.clone(),
            DocsError::TwoResponses { first, second } => format!("{first} / {second}"),
            DocsError::Duplicate { id } => format!("{id} ×2"),
            DocsError::NoAnswerDoc => "resp:?".to_owned(),
        };
        match lang {
            Lang::Ru => format!(
                "Ответ не удалось подготовить к отправке: его зашифрованные части неполны или \
                 перепутаны ({detail}). Выгрузите ответы файлом."
            ),
            Lang::En => format!(
                "The answer could not be prepared for sending: its sealed parts are incomplete \
                 or mixed up ({detail}). Export the answers as a file."
            ),
        }
    }
}

/// Where one answer stands. Stored as one flat object, `{"state":
/// "pending", "response_id": …, …}`, through [`DeliveryWire`] (see
/// [`Problem`] for why not serde's tagged enum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "DeliveryWire", into = "DeliveryWire")]
pub enum Delivery {
    Pending {
        response_id: Uuid,
        /// Not yet acknowledged, in sending order: parts, then the answer.
        docs: Vec<SealedDoc>,
        /// Failed tries since the last document got through.
        attempts: u32,
        /// Not before this (ms since the epoch) on a timer; an "online",
        /// "page visible" or "link opened again" event tries at once.
        next_try_at_ms: u64,
        /// May be missing in a record written before it existed.
        problem: Option<Problem>,
    },
    Delivered {
        response_id: Uuid,
        at_ms: u64,
    },
    Failed {
        response_id: Uuid,
        /// Every document not yet acknowledged, in sending order (the
        /// refused one first), kept to try again or export.
        docs: Vec<SealedDoc>,
        refusal: Refusal,
        at_ms: u64,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StateName {
    Pending,
    Delivered,
    Failed,
}

#[derive(Serialize, Deserialize)]
struct DeliveryWire {
    state: StateName,
    response_id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    docs: Option<Vec<SealedDoc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_try_at_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    problem: Option<Problem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refusal: Option<Refusal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at_ms: Option<u64>,
}

impl From<Delivery> for DeliveryWire {
    fn from(d: Delivery) -> DeliveryWire {
        let mut w = DeliveryWire {
            state: StateName::Pending,
            response_id: d.response_id(),
            docs: None,
            attempts: None,
            next_try_at_ms: None,
            problem: None,
            refusal: None,
            at_ms: None,
        };
        match d {
            Delivery::Pending {
                docs,
                attempts,
                next_try_at_ms,
                problem,
                ..
            } => {
                w.docs = Some(docs);
                w.attempts = Some(attempts);
                w.next_try_at_ms = Some(next_try_at_ms);
                w.problem = problem;
            }
            Delivery::Delivered { at_ms, .. } => {
                w.state = StateName::Delivered;
                w.at_ms = Some(at_ms);
            }
            Delivery::Failed {
                docs,
                refusal,
                at_ms,
                ..
            } => {
                w.state = StateName::Failed;
                w.docs = Some(docs);
                w.refusal = Some(refusal);
                w.at_ms = Some(at_ms);
            }
        }
        w
    }
}

impl TryFrom<DeliveryWire> for Delivery {
    type Error = &'static str;
    fn try_from(w: DeliveryWire) -> Result<Delivery, &'static str> {
        let response_id = w.response_id;
        let docs = w.docs.ok_or("a delivery without its documents");
        let at_ms = w.at_ms.ok_or("a delivery without its time");
        Ok(match w.state {
            StateName::Pending => Delivery::Pending {
                response_id,
                docs: docs?,
                attempts: w.attempts.ok_or("a pending delivery without its tries")?,
                next_try_at_ms: w
                    .next_try_at_ms
                    .ok_or("a pending delivery without its next try")?,
                problem: w.problem,
            },
            StateName::Delivered => Delivery::Delivered {
                response_id,
                at_ms: at_ms?,
            },
            StateName::Failed => Delivery::Failed {
                response_id,
                docs: docs?,
                refusal: w.refusal.ok_or("a failed delivery without its refusal")?,
                at_ms: at_ms?,
            },
        })
    }
}

/// What the thank-you and the outbox say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Delivered,
    WillRetry { at_ms: u64 },
    Failed,
}

/// How a status crosses between the wasm instances of one page (the
/// courier that delivers and the page that shows it): `<response id>
/// delivered`, `<response id> failed` or `<response id> retry <at_ms>`.
pub fn status_note(response_id: Uuid, status: Status) -> String {
    match status {
        Status::Delivered => format!("{response_id} delivered"),
        Status::Failed => format!("{response_id} failed"),
        Status::WillRetry { at_ms } => format!("{response_id} retry {at_ms}"),
    }
}

/// Reads a [`status_note`]: the response id as written (a page compares
/// it with its own, no parsing needed) and the status; `None` for anything
/// else.
pub fn read_status_note(note: &str) -> Option<(&str, Status)> {
    let mut words = note.split(' ');
    let id = words.next().filter(|id| id.len() == 36)?;
    let status = match (words.next()?, words.next()) {
        ("delivered", None) => Status::Delivered,
        ("failed", None) => Status::Failed,
        ("retry", Some(at)) => Status::WillRetry {
            at_ms: at.parse().ok()?,
        },
        _ => return None,
    };
    words.next().is_none().then_some((id, status))
}

impl Status {
    /// The customer's words: no server, no error code.
    pub fn customer_msg(self) -> Msg {
        match self {
            Status::Delivered => Msg::AnswersReachedShop,
            Status::WillRetry { .. } => Msg::AnswersSentWhenOnline,
            Status::Failed => Msg::AnswersNotAccepted,
        }
    }
}

/// One request to make, and the document it is for (to give back to
/// [`Delivery::on_answer`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Put {
    pub doc_id: String,
    pub request: Request,
}

impl Delivery {
    /// A new delivery of an answer's sealed documents (the answer and any
    /// parts, in any order), due at once.
    pub fn new(docs: Vec<SealedDoc>, now_ms: u64) -> Result<Delivery, DocsError> {
        if docs.is_empty() {
            return Err(DocsError::Empty);
        }
        let mut keyed = Vec::with_capacity(docs.len());
        for doc in docs {
            let id =
                DocId::parse(&doc.id).ok_or_else(|| DocsError::BadId { id: doc.id.clone() })?;
            // Parts by number, the answer (index 0 here) after them all.
            let order = match id {
                DocId::Part { index, .. } => index,
                DocId::Response(_) => u32::MAX,
            };
            keyed.push((id.response_id(), order, doc));
        }
        let response_id = keyed[0].0;
        if let Some((other, ..)) = keyed.iter().find(|(r, ..)| *r != response_id) {
            return Err(DocsError::TwoResponses {
                first: response_id,
                second: *other,
            });
        }
        keyed.sort_by_key(|(_, order, _)| *order);
        if let Some(w) = keyed.windows(2).find(|w| w[0].1 == w[1].1) {
            return Err(DocsError::Duplicate {
                id: w[0].2.id.clone(),
            });
        }
        if keyed.last().is_none_or(|(_, order, _)| *order != u32::MAX) {
            return Err(DocsError::NoAnswerDoc);
        }
        Ok(Delivery::Pending {
            response_id,
            docs: keyed.into_iter().map(|(.., doc)| doc).collect(),
            attempts: 0,
            next_try_at_ms: now_ms,
            problem: None,
        })
    }

    pub fn response_id(&self) -> Uuid {
        match self {
            Delivery::Pending { response_id, .. }
            | Delivery::Delivered { response_id, .. }
            | Delivery::Failed { response_id, .. } => *response_id,
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Delivery::Pending { next_try_at_ms, .. } => Status::WillRetry {
                at_ms: *next_try_at_ms,
            },
            Delivery::Delivered { .. } => Status::Delivered,
            Delivery::Failed { .. } => Status::Failed,
        }
    }

    /// Why the last try failed, while the answer waits.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Delivery::Pending { problem, .. } => problem.as_ref(),
            _ => None,
        }
    }

    /// Documents not yet acknowledged.
    pub fn remaining(&self) -> usize {
        match self {
            Delivery::Pending { docs, .. } | Delivery::Failed { docs, .. } => docs.len(),
            Delivery::Delivered { .. } => 0,
        }
    }

    /// Whether a timer should try now.
    pub fn due(&self, now_ms: u64) -> bool {
        matches!(self, Delivery::Pending { next_try_at_ms, .. } if *next_try_at_ms <= now_ms)
    }

    /// The next request: a `PUT` of the first document not yet
    /// acknowledged into the inbox, with the document as its JSON body and
    /// no query string (the production proxy refuses anything else). `None`
    /// once delivered or failed. It does not look at the clock: timers ask
    /// [`Delivery::due`] first, the page's events try at once.
    pub fn deliver(&self, server: &ServerConfig) -> Option<Put> {
        let Delivery::Pending { docs, .. } = self else {
            return None;
        };
        let doc = docs.first()?;
        // A checked id has only `resp:`, hex digits, hyphens and a part
        // number, so it goes in the path as docs/sync.md and the proxy's
        // rule spell it; anything else (a damaged record) is escaped.
        let id = match DocId::parse(&doc.id) {
            Some(id) => id.to_string(),
            None => encode_component(&doc.id),
        };
        let body = serde_json::to_value(doc).expect("a sealed document is plain JSON");
        let request = Request::new(Method::Put, format!("/{}/{id}", server.inbox_db())).json(body);
        Some(Put {
            doc_id: doc.id.clone(),
            request,
        })
    }

    /// Reads the answer to the request for `doc_id` (`Err` when none came)
    /// and moves on: the next document, [`Delivery::Delivered`] after the
    /// last, a retry at `now_ms` plus the back-off drawn with `random`, or
    /// [`Delivery::Failed`]. An answer for a document no longer waiting (a
    /// late duplicate) changes nothing.
    pub fn on_answer(
        &mut self,
        doc_id: &str,
        answer: &Result<Response, TransportError>,
        now_ms: u64,
        random: u32,
    ) -> Status {
        let Delivery::Pending {
            response_id,
            docs,
            attempts,
            next_try_at_ms,
            problem,
        } = self
        else {
            return self.status();
        };
        let Some(at) = docs.iter().position(|d| d.id == doc_id) else {
            return self.status();
        };
        match classify(doc_id, answer) {
            Outcome::Stored => {
                docs.remove(at);
                if docs.is_empty() {
                    *self = Delivery::Delivered {
                        response_id: *response_id,
                        at_ms: now_ms,
                    };
                } else {
                    // Progress: the server is there, so the next document
                    // goes now, and a later failure starts the back-off over.
                    *attempts = 0;
                    *next_try_at_ms = now_ms;
                    *problem = None;
                }
            }
            Outcome::Retry(p) => {
                *attempts = attempts.saturating_add(1);
                *next_try_at_ms = now_ms.saturating_add(next_delay_ms(*attempts, random));
                *problem = Some(p);
            }
            Outcome::Refused(refusal) => {
                *self = Delivery::Failed {
                    response_id: *response_id,
                    docs: std::mem::take(docs),
                    refusal,
                    at_ms: now_ms,
                };
            }
        }
        self.status()
    }

    /// A person's "try again" on a failed answer (after the server was
    /// fixed): pending again, due at once, back-off from the start.
    pub fn retry(&mut self, now_ms: u64) {
        if let Delivery::Failed {
            response_id, docs, ..
        } = self
        {
            *self = Delivery::Pending {
                response_id: *response_id,
                docs: std::mem::take(docs),
                attempts: 0,
                next_try_at_ms: now_ms,
                problem: None,
            };
        }
    }
}

enum Outcome {
    Stored,
    Retry(Problem),
    Refused(Refusal),
}

/// What an answer means for a create of `doc_id` (docs/sync.md, "The
/// inbox"). "Stored" needs CouchDB's own answer, so that a Wi-Fi login
/// page answering `201` or `409` to everything cannot mark an answer sent.
fn classify(doc_id: &str, answer: &Result<Response, TransportError>) -> Outcome {
    let response = match answer {
        Ok(r) => r,
        Err(e) => {
            return Outcome::Retry(Problem::Unreachable {
                detail: clip(&e.detail),
            })
        }
    };
    let body: Option<Value> = serde_json::from_slice(&response.body).ok();
    let text = |key: &str| body.as_ref()?.get(key)?.as_str();
    let status = response.status;
    match status {
        201 | 202
            if body.as_ref().and_then(|b| b.get("ok")) == Some(&Value::Bool(true))
                && text("id") == Some(doc_id) =>
        {
            Outcome::Stored
        }
        409 if text("error") == Some("conflict") => Outcome::Stored,
        408 | 429 | 500..=599 => Outcome::Retry(Problem::Busy { status }),
        401 | 404 => Outcome::Retry(Problem::NotSetUp { status }),
        400..=499 => Outcome::Refused(Refusal {
            status,
            doc_id: doc_id.to_owned(),
            reason: text("reason").map(clip),
        }),
        _ => Outcome::Retry(Problem::Unexpected { status }),
    }
}

fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_REASON_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
