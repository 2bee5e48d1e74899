//! Reading the inbox: its `_changes` feed in batches from a checkpoint, and
//! the re-read of an answer's documents by id when its photo parts came in
//! other batches. Sans-IO: [`InboxPull`] hands out [`Request`]s and reads
//! the [`Response`]s the transport got for them.
//!
//! The checkpoint (`since`) is whatever JSON the server gave as `last_seq`
//! (an integer on the dev server, an opaque string on CouchDB 3), stored and
//! sent back unchanged. It moves only when the caller says the batch is
//! stored ([`InboxPull::confirm`]): a crash or a failed write between
//! reading a batch and storing it re-reads the same batch, and everything
//! done with an inbox document is idempotent, so a re-read adds nothing
//! twice. A replay by a CouchDB cluster is the same case.

use serde::Deserialize;
use serde_json::Value;

use crate::i18n::Lang;
use crate::replication::http::{Method, Request, Response, TransportError};

/// Documents per batch when the caller has no better idea: a hundred text
/// answers are a few hundred KB; a batch of photo parts is larger, which
/// the caller may answer with a smaller limit.
pub const DEFAULT_BATCH: u32 = 100;

/// One batch of the feed: the documents in feed order (design documents
/// and deletions left out), the checkpoint after them and what the server
/// says is left.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// `(id, doc)`; `doc` is `null` when the server sent a row without one,
    /// which the opener quarantines rather than dropping.
    pub docs: Vec<(String, Value)>,
    /// To pass to [`InboxPull::confirm`] once the batch is stored.
    pub last_seq: Value,
    /// Changes after this batch, when the server says (CouchDB and
    /// PouchDB do): for a progress bar.
    pub pending: Option<u64>,
    /// Rows the server sent, skipped ones included.
    pub rows: usize,
    /// The limit the batch was asked with.
    limit: u32,
}

impl Batch {
    /// Whether the feed has more after this batch: what the server says is
    /// pending, or else whether the batch came back full.
    pub fn more(&self) -> bool {
        match self.pending {
            Some(p) => p > 0,
            None => self.rows >= self.limit as usize,
        }
    }
}

/// Why a pull did not get a batch. Nothing is changed by any of them: the
/// checkpoint stays, and the same request may be tried again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullError {
    /// No answer: offline, refused, cut off, blocked by CORS.
    Transport { detail: String },
    /// `401`/`403`: the manager's name or password is wrong, or the user
    /// may not read the inbox.
    NotAllowed { status: u16 },
    /// `404`: no such database on the server.
    NoInbox,
    /// Any other status.
    Status { status: u16, reason: String },
    /// An answer that is not JSON, or JSON of another shape.
    Malformed { detail: String },
}

impl From<TransportError> for PullError {
    fn from(e: TransportError) -> PullError {
        PullError::Transport { detail: e.detail }
    }
}

impl PullError {
    /// A stable snake_case name, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            PullError::Transport { .. } => "transport",
            PullError::NotAllowed { .. } => "not_allowed",
            PullError::NoInbox => "no_inbox",
            PullError::Status { .. } => "status",
            PullError::Malformed { .. } => "malformed",
        }
    }

    /// Whether trying again later may help without anyone changing a
    /// setting.
    pub fn retry_later(&self) -> bool {
        match self {
            PullError::Transport { .. } => true,
            PullError::Status { status, .. } => *status >= 500 || *status == 429,
            _ => false,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use PullError as E;
        match (self, lang) {
            (E::Transport { detail }, Lang::Ru) => format!(
                "Сервер входящих не ответил ({detail}). Нет связи или сервер не разрешает запросы \
                 с этого адреса (CORS). Ответы загрузятся при следующей попытке."
            ),
            (E::Transport { detail }, Lang::En) => format!(
                "The inbox server did not answer ({detail}). There is no connection, or the \
                 server does not accept requests from this address (CORS). The answers are \
                 loaded on the next try."
            ),
            (E::NotAllowed { status }, Lang::Ru) => format!(
                "Сервер не дал прочитать входящие (код {status}): проверьте имя и пароль \
                 менеджера в настройках."
            ),
            (E::NotAllowed { status }, Lang::En) => format!(
                "The server did not let this device read the inbox (status {status}): check the \
                 manager's name and password in Settings."
            ),
            (E::NoInbox, Lang::Ru) => {
                "На сервере нет базы входящих: проверьте её имя в настройках или установите её."
                    .to_owned()
            }
            (E::NoInbox, Lang::En) => {
                "The server has no inbox database: check its name in Settings, or install it."
                    .to_owned()
            }
            (E::Status { status, reason }, Lang::Ru) => {
                format!("Сервер входящих ответил ошибкой {status} ({reason}). Попробуйте позже.")
            }
            (E::Status { status, reason }, Lang::En) => format!(
                "The inbox server answered with error {status} ({reason}). Try again later."
            ),
            (E::Malformed { detail }, Lang::Ru) => format!(
                "Ответ сервера входящих не похож на ответ CouchDB ({detail}). Ничего не \
                 изменено; проверьте адрес сервера."
            ),
            (E::Malformed { detail }, Lang::En) => format!(
                "The inbox server's answer does not look like CouchDB's ({detail}). Nothing was \
                 changed; check the server's address."
            ),
        }
    }
}

/// The pull of one inbox database from a checkpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxPull {
    db: String,
    since: Option<Value>,
    limit: u32,
    /// `last_seq` of the batch last read, until it is confirmed.
    unconfirmed: Option<Value>,
}

impl InboxPull {
    /// `db_path` as [`Request::path`] takes it (`/inbox`); `since` the
    /// stored checkpoint, `None` for the start; `limit` documents per batch
    /// (at least one).
    pub fn new(db_path: &str, since: Option<Value>, limit: u32) -> InboxPull {
        InboxPull {
            db: db_path.trim_end_matches('/').to_owned(),
            since,
            limit: limit.max(1),
            unconfirmed: None,
        }
    }

    /// The checkpoint to store: the last confirmed batch's `last_seq`.
    pub fn checkpoint(&self) -> Option<&Value> {
        self.since.as_ref()
    }

    /// The next batch: everything after the checkpoint, at once.
    pub fn request(&self) -> Request {
        self.changes()
    }

    /// The next batch, the server holding the request up to `timeout_ms`
    /// while there is nothing new (`feed=longpoll`): for waiting on new
    /// answers once caught up.
    pub fn wait_request(&self, timeout_ms: u32) -> Request {
        self.changes()
            .query("feed", "longpoll")
            .query("timeout", timeout_ms.to_string())
    }

    fn changes(&self) -> Request {
        let since = match &self.since {
            None => "0".to_owned(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        Request::new(Method::Get, format!("{}/_changes", self.db))
            .query("include_docs", "true")
            .query("since", since)
            .query("limit", self.limit.to_string())
    }

    /// Reads the answer to [`Self::request`] or [`Self::wait_request`].
    /// The checkpoint does not move.
    pub fn read(&mut self, answer: &Response) -> Result<Batch, PullError> {
        #[derive(Deserialize)]
        struct Body {
            results: Vec<Row>,
            last_seq: Value,
            #[serde(default)]
            pending: Option<u64>,
        }
        #[derive(Deserialize)]
        struct Row {
            id: String,
            #[serde(default)]
            deleted: bool,
            #[serde(default)]
            doc: Option<Value>,
        }
        check_status(answer)?;
        let body: Body = serde_json::from_slice(&answer.body).map_err(malformed)?;
        if body.last_seq.is_null() {
            return Err(PullError::Malformed {
                detail: "last_seq null".to_owned(),
            });
        }
        let rows = body.results.len();
        let docs = body
            .results
            .into_iter()
            // Design documents are the rules, not answers; the inbox refuses
            // deletions, so one is a database emptied by an admin, which
            // takes back nothing already opened.
            .filter(|r| !r.id.starts_with("_design/") && !r.deleted)
            .map(|r| (r.id, r.doc.unwrap_or(Value::Null)))
            .collect();
        self.unconfirmed = Some(body.last_seq.clone());
        Ok(Batch {
            docs,
            last_seq: body.last_seq,
            pending: body.pending,
            rows,
            limit: self.limit,
        })
    }

    /// Moves the checkpoint to `last_seq`, the batch last read, once the
    /// caller has stored everything done with it. `false` (and nothing
    /// moves) for any other value: a stale confirmation after a newer read.
    pub fn confirm(&mut self, last_seq: &Value) -> bool {
        if self.unconfirmed.as_ref() != Some(last_seq) {
            return false;
        }
        self.since = self.unconfirmed.take();
        true
    }

    /// Reads documents by id again (an answer and its photo parts, see
    /// [`super::open::Fetch`]), in one request.
    pub fn fetch_request(&self, doc_ids: &[String]) -> Request {
        Request::new(Method::Post, format!("{}/_all_docs", self.db))
            .query("include_docs", "true")
            .json(serde_json::json!({ "keys": doc_ids }))
    }

    /// The documents of a [`Self::fetch_request`]: `(id, Some(doc))`, or
    /// `(id, None)` for one the server does not have (yet).
    pub fn read_fetched(
        &self,
        answer: &Response,
    ) -> Result<Vec<(String, Option<Value>)>, PullError> {
        #[derive(Deserialize)]
        struct Body {
            rows: Vec<Row>,
        }
        #[derive(Deserialize)]
        struct Row {
            key: String,
            #[serde(default)]
            doc: Option<Value>,
        }
        check_status(answer)?;
        let body: Body = serde_json::from_slice(&answer.body).map_err(malformed)?;
        Ok(body
            .rows
            .into_iter()
            // A missing id comes back with `error` and no doc, a deleted one
            // with a `null` doc: both are not there.
            .map(|r| (r.key, r.doc.filter(|d| !d.is_null())))
            .collect())
    }
}

fn malformed(e: serde_json::Error) -> PullError {
    PullError::Malformed {
        detail: e.to_string().chars().take(200).collect(),
    }
}

fn check_status(answer: &Response) -> Result<(), PullError> {
    match answer.status {
        200..=299 => Ok(()),
        401 | 403 => Err(PullError::NotAllowed {
            status: answer.status,
        }),
        404 => Err(PullError::NoInbox),
        status => Err(PullError::Status {
            status,
            reason: answer.couch_reason(),
        }),
    }
}
