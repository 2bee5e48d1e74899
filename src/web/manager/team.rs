//! The team server as the manager's screens use it (shared, not a screen):
//! where new links send their answers, setting the server up, and pulling
//! the inbox. The decisions are the pure core's (`inbox::setup`,
//! `inbox::settings`, `inbox::pull`, `inbox::open`, `inbox::take`); this is
//! the loop of `inbox`'s module docs over `web::transport` and
//! `web::storage`.

use std::collections::HashSet;

use uuid::Uuid;

use crate::delivery::{Allowed, InboxTarget, NoAnswer, ServerConfig};
use crate::distribution::form_link::{self, Form};
use crate::domain::Location;
use crate::exchange::merge::Receiver;
use crate::i18n::Lang;
use crate::inbox::settings::{ManagerInbox, PullState};
use crate::inbox::setup::{Done, Install, InstallError};
use crate::inbox::{take, InboxPull, Opener, PullError, DEFAULT_BATCH};
use crate::replication::http::{Request, Response, TransportError};
use crate::uri::encode_component;
use crate::web::platform;
use crate::web::storage::{StorageError, Store};
use crate::web::transport::send;

/// The origin rule for `server`: this app and that server.
pub fn allowed(server: &ServerConfig) -> Allowed {
    Allowed::new(&platform::own_origin(), Some(server))
}

/// Publishes `form` to the team's forms database with the manager's
/// password and gives its short link (`distribution::form_link`) for
/// `location`; `Ok(None)` while the inbox is off. Publishing again
/// rewrites the same document (its `_rev` read back on a conflict), so a
/// poster printed earlier keeps working.
pub async fn publish_form(
    store: &Store,
    form: &Form,
    location: Option<Location>,
) -> Result<Option<String>, PublishFailure> {
    let Some(inbox) = store
        .inbox_server()
        .await
        .map_err(PublishFailure::Storage)?
    else {
        return Ok(None);
    };
    let keys = store.key_ring().await.map_err(PublishFailure::Storage)?;
    let Some(target) = inbox.target(&keys) else {
        return Ok(None);
    };
    let server = &target.server;
    let name = form_link::form_name(&form.questionnaire);
    let no_answer = |e: TransportError| PublishFailure::NoAnswer(NoAnswer::of(&e));
    let mut rev = None;
    for _ in 0..2 {
        let req = form_link::publish_request(server, &name, form, rev.as_deref());
        let answer = call(&req, server, inbox.auth()).await.map_err(no_answer)?;
        match answer.status {
            201 | 202 => {
                let link = form_link::FormLink {
                    name,
                    target,
                    location,
                };
                return Ok(Some(form_link::form_link_url(
                    &platform::app_url(),
                    &link,
                    form.mode,
                )));
            }
            409 => {
                let current = call(
                    &form_link::read_request(server, &name),
                    server,
                    inbox.auth(),
                )
                .await
                .map_err(no_answer)?;
                rev = serde_json::from_slice::<serde_json::Value>(&current.body)
                    .ok()
                    .and_then(|v| v.get("_rev")?.as_str().map(str::to_owned));
            }
            status => {
                return Err(PublishFailure::Refused {
                    status,
                    reason: answer.couch_reason(),
                })
            }
        }
    }
    Err(PublishFailure::Refused {
        status: 409,
        reason: "conflict".to_owned(),
    })
}

/// Why a short link could not be published.
#[derive(Debug, Clone, PartialEq)]
pub enum PublishFailure {
    Storage(StorageError),
    NoAnswer(NoAnswer),
    Refused { status: u16, reason: String },
}

impl PublishFailure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PublishFailure::Storage(e) => {
                format!("{}: {e}", crate::i18n::Msg::StorageUnavailable.text(lang))
            }
            PublishFailure::NoAnswer(n) => n.message(lang),
            PublishFailure::Refused { status, reason } => {
                crate::i18n::form_publish_refused(lang, *status, reason)
            }
        }
    }
}

/// What links made now carry as their inbox: the server and the current
/// public key while the inbox is on, else nothing (the answers then stay
/// on the field device and travel as files).
pub async fn inbox_target(store: &Store) -> Result<Option<InboxTarget>, StorageError> {
    let Some(server) = store.inbox_server().await? else {
        return Ok(None);
    };
    Ok(server.target(&store.key_ring().await?))
}

async fn call(
    req: &Request,
    server: &ServerConfig,
    auth: Option<(&str, &str)>,
) -> Result<Response, TransportError> {
    send(req, server.url(), auth, &allowed(server)).await
}

/// Why "Set up the server" stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum SetupFailure {
    NoAnswer(NoAnswer),
    Server(InstallError),
}

impl SetupFailure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SetupFailure::NoAnswer(n) => n.message(lang),
            SetupFailure::Server(e) => e.message(lang),
        }
    }
}

/// Installs on `server` what `scripts/couch-install.mjs` installs, signed
/// in as the server's admin (whose password is used here and kept nowhere).
pub async fn set_up(
    server: &ServerConfig,
    admin: &str,
    password: &str,
) -> Result<Vec<Done>, SetupFailure> {
    let mut install = Install::new(server);
    while let Some(req) = install.request() {
        let answer = call(&req, server, Some((admin, password)))
            .await
            .map_err(|e| SetupFailure::NoAnswer(NoAnswer::of(&e)))?;
        install
            .answer(&answer, admin)
            .map_err(SetupFailure::Server)?;
    }
    Ok(install.done)
}

/// What one "Get new answers" did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pulled {
    pub added: usize,
    pub set_aside: usize,
    pub batches: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PullFailure {
    Server(PullError),
    Storage(StorageError),
}

impl From<PullError> for PullFailure {
    fn from(e: PullError) -> Self {
        PullFailure::Server(e)
    }
}

impl From<StorageError> for PullFailure {
    fn from(e: StorageError) -> Self {
        PullFailure::Storage(e)
    }
}

/// Pulls `inbox` until its feed has nothing more: each batch opened with
/// the stored keys, merged like a file, and stored with its quarantine and
/// checkpoint in one transaction before the next is read. A failure leaves
/// what earlier batches stored; the failed batch is read again next time.
pub async fn pull(store: &Store, inbox: &ManagerInbox) -> Result<Pulled, PullFailure> {
    let keys = store.key_ring().await?;
    let mut state = store.pull_state(inbox).await?;
    let db = format!("/{}", encode_component(inbox.server.inbox_db()));
    let auth = inbox.auth();
    let device = platform::device_id();
    let mut done = Pulled::default();
    // Bounded like the fake's driver: a feed that never says "no more"
    // must not hold the screen forever.
    for _ in 0..10_000 {
        let mut pull = InboxPull::new(&db, state.since.clone(), DEFAULT_BATCH);
        let answer = call(&pull.request(), &inbox.server, auth)
            .await
            .map_err(PullError::from)?;
        let mut batch = pull.read(&answer)?;
        let (mut snapshot, layout) = store.inbox_snapshot().await?;
        let stored: HashSet<Uuid> = snapshot.contents.responses.iter().map(|r| r.id).collect();
        let is_stored = |u: Uuid| stored.contains(&u);
        let now = platform::now();
        let opener = Opener::new(&keys, now).with_stored(&is_stored);
        let mut step = opener.batch(&state.waiting, std::mem::take(&mut batch.docs));
        for f in std::mem::take(&mut step.fetches) {
            let answer = call(&pull.fetch_request(&f.doc_ids), &inbox.server, auth)
                .await
                .map_err(PullError::from)?;
            let docs = pull.read_fetched(&answer)?;
            let outcomes = opener.fetched(&mut step.waiting, &f, docs);
            step.outcomes.extend(outcomes);
        }
        let taken = take(
            &mut snapshot,
            step.outcomes,
            Receiver {
                device_id: &device,
                now,
            },
        );
        let next = PullState {
            source: state.source.clone(),
            since: Some(batch.last_seq.clone()),
            waiting: step.waiting,
        };
        store
            .store_inbox_batch(&taken, &layout, &snapshot.contents.responses, &next)
            .await?;
        pull.confirm(&batch.last_seq);
        state = next;
        done.added += taken.added;
        done.set_aside += taken.set_aside();
        done.batches += 1;
        if !batch.more() {
            break;
        }
    }
    Ok(done)
}
