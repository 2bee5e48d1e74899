//! Team sync as the manager's screens use it (shared, not a screen): one
//! sync of this device with the team database, the loop of
//! `crate::sync::replica`'s module docs over `web::transport::send` (the
//! origin rule's one place) and `web::storage`.
//!
//! The replica stays in memory between syncs while the module is loaded
//! and is saved after every step that changed it (a written batch, a
//! checkpoint, a take with its records). A failure anywhere drops the
//! in-memory copy, so the next sync starts again from what was saved and
//! nothing half-done is ever trusted.

use std::cell::{Cell, RefCell};

use uuid::Uuid;

use crate::delivery::NoAnswer;
use crate::domain::Timestamp;
use crate::exchange::merge::Receiver;
use crate::i18n::{Lang, Msg};
use crate::inbox::settings::ManagerInbox;
use crate::replication::error::Stage;
use crate::replication::http::{Method, Request};
use crate::replication::{
    run_local, Config, Direction, LocalTask, ReplicationError, Replicator, Step, Summary,
};
use crate::sync::replica::{Refusal, Replica};
use crate::uri::encode_component;
use crate::web::manager::team;
use crate::web::platform;
use crate::web::storage::{StorageError, Store, TakenRecords};
use crate::web::transport::{probe, send};

/// Documents per batch: large enough that a first sync of a big team
/// makes few round trips, small enough that one batch is a short write.
const BATCH: usize = 500;
/// The merge's name for records that came from the team database.
const SOURCE: &str = "team";

thread_local! {
    static REPLICA: RefCell<Option<Replica>> = const { RefCell::new(None) };
    static RUNNING: Cell<bool> = const { Cell::new(false) };
}

/// Where a sync is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub phase: Phase,
    /// Documents moved so far in this phase.
    pub done: u64,
    /// Changes the server still has, when it says.
    pub pending: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Sending,
    Receiving,
    Saving,
}

/// What one sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Synced {
    pub sent: u64,
    pub received: u64,
    /// Copies kept for a person to choose between.
    pub conflicts: usize,
    /// Documents the server's rules refused.
    pub refused: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyncFailure {
    /// No team server saved on this device.
    NoServer,
    Storage(StorageError),
    Replication(ReplicationError),
}

impl From<StorageError> for SyncFailure {
    fn from(e: StorageError) -> Self {
        SyncFailure::Storage(e)
    }
}

impl SyncFailure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SyncFailure::NoServer => Msg::SyncNeedsServer.text(lang).to_owned(),
            SyncFailure::Storage(e) => format!("{} {}", Msg::StorageUnavailable.text(lang), e.0),
            SyncFailure::Replication(ReplicationError::Network { detail }) => format!(
                "{} {}",
                NoAnswer::of_detail(detail).message(lang),
                Msg::SyncNothingLost.text(lang)
            ),
            SyncFailure::Replication(e) => e.message(lang),
        }
    }

    /// Worth trying again by itself later (no network, a server hiccup).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncFailure::Replication(e) => e.is_transient(),
            _ => false,
        }
    }
}

/// The team database's path on the server.
fn db_path(inbox: &ManagerInbox) -> String {
    format!("/{}", encode_component(inbox.server.team_db()))
}

/// "Test connection" for sync: reads the team database's info as a sync
/// would; on no answer, asks the browser whether the server is there at
/// all (CORS not enabled, or unreachable).
pub async fn test_connection(inbox: &ManagerInbox, lang: Lang) -> Result<(), String> {
    let allowed = team::allowed(&inbox.server);
    let req = Request::new(Method::Get, db_path(inbox));
    match send(&req, inbox.server.url(), inbox.auth(), &allowed).await {
        Ok(answer) => crate::replication::wire::check_status(&answer, Stage::DatabaseInfo, &[200])
            .map_err(|e| e.cause(lang)),
        Err(e) => {
            let mut why = NoAnswer::of(&e);
            if why == NoAnswer::Network {
                why = probe(inbox.server.origin(), &allowed).await;
            }
            Err(why.message(lang))
        }
    }
}

/// The replica, from memory or as last saved.
async fn replica(store: &Store) -> Result<Replica, StorageError> {
    if let Some(r) = REPLICA.with(|r| r.borrow_mut().take()) {
        return Ok(r);
    }
    store.load_replica().await
}

/// What the sync screen shows of the replica.
#[derive(Clone, Debug, Default)]
pub struct Status {
    /// How many documents wait to go out.
    pub waiting: usize,
    /// When the last sync finished.
    pub last_sync: Option<Timestamp>,
    /// The team's documents this device did not take, and why.
    pub refused: Vec<(String, Refusal)>,
}

pub async fn status(store: &Store) -> Result<Status, StorageError> {
    let r = replica(store).await?;
    let (snapshot, _) = store.inbox_snapshot().await?;
    let out = Status {
        waiting: r.waiting(&snapshot.contents),
        last_sync: r.last_sync(),
        refused: r
            .refused()
            .iter()
            .map(|(id, why)| (id.clone(), why.clone()))
            .collect(),
    };
    REPLICA.with(|c| *c.borrow_mut() = Some(r));
    Ok(out)
}

/// Whether each of `ids` (document ids) reached the server.
pub async fn on_server(store: &Store, ids: &[String]) -> Result<Vec<bool>, StorageError> {
    let r = replica(store).await?;
    let out = ids.iter().map(|id| r.on_server(id)).collect();
    REPLICA.with(|c| *c.borrow_mut() = Some(r));
    Ok(out)
}

/// Takes the one-sync-at-a-time turn, waiting for a running sync (the
/// background loop, "Sync now" and a choice on the conflicts screen may
/// meet); [`release`] gives it back.
async fn take_turn() {
    while RUNNING.with(|r| r.replace(true)) {
        platform::sleep(100).await;
    }
}

fn release() {
    RUNNING.with(|r| r.set(false));
}

/// A person chose between the copies of the document `doc_id` on the
/// conflicts screen: the next sync ends its conflict on the server
/// ([`Replica::settle`]), soon if sync is on.
pub async fn decided(store: &Store, doc_id: &str) -> Result<(), StorageError> {
    take_turn().await;
    let result = async {
        let mut r = replica(store).await?;
        r.decide(doc_id);
        store.save_replica(&r.take_saved(), None).await?;
        REPLICA.with(|c| *c.borrow_mut() = Some(r));
        Ok(())
    }
    .await;
    release();
    wake();
    result
}

/// One sync: what changed here goes out, what changed on the server comes
/// in through the import's rules. `progress` hears every step.
pub async fn sync_now(store: &Store, progress: &dyn Fn(Progress)) -> Result<Synced, SyncFailure> {
    take_turn().await;
    let result = match store.inbox_server().await {
        Ok(Some(inbox)) => match replica(store).await {
            Ok(mut r) => {
                let result = run(store, &inbox, &mut r, progress).await;
                FINISHED.with(|f| f.set(f.get() + 1));
                // A failed step may have left the copy ahead of what was saved.
                if result.is_ok() {
                    REPLICA.with(|c| *c.borrow_mut() = Some(r));
                }
                result
            }
            Err(e) => Err(e.into()),
        },
        Ok(None) => Err(SyncFailure::NoServer),
        Err(e) => Err(e.into()),
    };
    release();
    result
}

async fn run(
    store: &Store,
    inbox: &ManagerInbox,
    replica: &mut Replica,
    progress: &dyn Fn(Progress),
) -> Result<Synced, SyncFailure> {
    let mut done = Synced::default();
    let (snapshot, _) = store.inbox_snapshot().await?;
    replica.write_outgoing(&snapshot.contents);
    replica.settle(&snapshot);
    drop(snapshot);
    store.save_replica(&replica.take_saved(), None).await?;

    let session = Uuid::new_v4().to_string();
    let unpushed = replica.unpushed();
    let pushed = replicate(store, inbox, replica, Direction::Push, &session, progress).await?;
    replica.pushed(unpushed);
    done.sent = pushed.stats.docs_written;
    done.refused = pushed.rejected.len();
    store.save_replica(&replica.take_saved(), None).await?;

    // Records take a pull's documents only once it reached the end: a
    // response may come in a batch before the questionnaire it answers
    // (a cluster's feed has no one order), and the merge would refuse it.
    // A pull cut off midway keeps what it stored in the replica and goes
    // on from its last checkpoint next time.
    let pulled = replicate(store, inbox, replica, Direction::Pull, &session, progress).await?;
    done.received = pulled.stats.docs_written;
    PULLED_TO.with(|to| *to.borrow_mut() = Some(pulled.last_seq.clone()));

    progress(Progress {
        phase: Phase::Saving,
        done: done.received,
        pending: None,
    });
    let (snapshot, layout) = store.inbox_snapshot().await?;
    let device = platform::device_id();
    let here = Receiver {
        device_id: &device,
        now: platform::now(),
    };
    let taken = replica.take(&snapshot, SOURCE, here);
    done.conflicts = taken.changes.conflicts.len();
    replica.finished(platform::now());
    store
        .save_replica(
            &replica.take_saved(),
            Some(TakenRecords {
                changes: &taken.changes,
                layout: &layout,
                responses: &snapshot.contents.responses,
            }),
        )
        .await?;
    Ok(done)
}

/// One replication to its end over `send`, saving the replica after each
/// written batch and checkpoint.
async fn replicate(
    store: &Store,
    inbox: &ManagerInbox,
    replica: &mut Replica,
    direction: Direction,
    session: &str,
    progress: &dyn Fn(Progress),
) -> Result<Summary, SyncFailure> {
    let remote_id = format!("{}/{}", inbox.server.url(), inbox.server.team_db());
    let mut cfg = Config::new(
        direction,
        &db_path(inbox),
        &remote_id,
        &platform::device_id(),
        session,
    );
    cfg.batch_size = BATCH;
    let mut rep = Replicator::new(cfg);
    let allowed = team::allowed(&inbox.server);
    let phase = match direction {
        Direction::Push => Phase::Sending,
        Direction::Pull => Phase::Receiving,
    };
    loop {
        match rep.poll() {
            Step::Http(req) => {
                let answer = send(&req, inbox.server.url(), inbox.auth(), &allowed).await;
                rep.on_response(answer);
            }
            Step::Local(task) => {
                let save = matches!(
                    task,
                    LocalTask::ApplyBatch { .. } | LocalTask::WriteCheckpoint { .. }
                );
                let result = run_local(task, &mut replica.store);
                if save && result.is_ok() {
                    store.save_replica(&replica.take_saved(), None).await?;
                }
                rep.on_local(result);
                let s = rep.summary();
                progress(Progress {
                    phase,
                    done: s.stats.docs_written,
                    pending: s.pending,
                });
            }
            // Not live: caught up is the end.
            Step::Idle => return Ok(rep.summary().clone()),
            Step::Done(summary) => return Ok(summary),
            Step::Failed(e) => return Err(SyncFailure::Replication(e)),
        }
    }
}

/// How often a device with sync on syncs while the app is open and online,
/// besides the wake-ups (a local change, the server's feed, `online`).
const LIVE_MS: i32 = 15_000;
/// The longest wait after failures that may pass by themselves.
const MAX_BACKOFF_MS: i32 = 5 * 60_000;
/// A local change waits this long for the ones after it (a form saved
/// field by field), so they go out together.
const SETTLE_MS: i32 = 300;
/// How long the server holds a long-poll of its feed open.
const WATCH_TIMEOUT_MS: u64 = 25_000;

thread_local! {
    static KEEPING: Cell<bool> = const { Cell::new(false) };
    /// Resolves the background loop's current wait early.
    static WAKER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// The server's sequence the last pull reached: the feed watch waits
    /// for anything after it.
    static PULLED_TO: RefCell<Option<serde_json::Value>> = const { RefCell::new(None) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    /// Syncs finished in this tab, for screens that show the last one.
    static FINISHED: Cell<u64> = const { Cell::new(0) };
}

/// How many syncs finished in this tab so far: a screen that shows the
/// sync's state reads it again when this moves.
pub fn finished_count() -> u64 {
    FINISHED.with(Cell::get)
}

/// Ends the background loop's current wait now.
fn wake() {
    if let Some(f) = WAKER.with(|w| w.borrow_mut().take()) {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
}

/// Waits `ms`, or less if [`wake`] is called meanwhile.
async fn wait(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
        WAKER.with(|w| *w.borrow_mut() = Some(resolve));
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// While sync is on and this module is loaded, keeps the device in sync:
/// a sync now, then one soon after every local change of shared records
/// (from any of the page's modules), whenever the server's feed shows a
/// change after the last pull (a long-poll), when the browser comes back
/// online, and every [`LIVE_MS`] regardless. After each failure that may
/// pass (no network, a server error) it waits twice as long, up to
/// [`MAX_BACKOFF_MS`]. Stops when sync is turned off. Calling it again
/// while it runs does nothing.
pub fn keep_syncing() {
    if KEEPING.with(|k| k.replace(true)) {
        return;
    }
    if !LISTENING.with(|l| l.replace(true)) {
        platform::on_window_event(platform::RECORDS_CHANGED_EVENT, || {
            wasm_bindgen_futures::spawn_local(async {
                platform::sleep(SETTLE_MS).await;
                wake();
            });
        });
        platform::on_window_event("online", wake);
    }
    wasm_bindgen_futures::spawn_local(async {
        let mut backoff = LIVE_MS;
        let mut watching = false;
        loop {
            let Ok(store) = crate::web::storage::shared().await else {
                break;
            };
            if !store.sync_settings().await.is_ok_and(|s| s.on) {
                break;
            }
            let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
            let mut next = LIVE_MS;
            if online {
                next = match sync_now(&store, &|_| {}).await {
                    Ok(_) => {
                        backoff = LIVE_MS;
                        if !watching {
                            watching = true;
                            wasm_bindgen_futures::spawn_local(watch_feed());
                        }
                        LIVE_MS
                    }
                    Err(e) if e.is_transient() => {
                        backoff = backoff.saturating_mul(2).min(MAX_BACKOFF_MS);
                        backoff
                    }
                    Err(_) => MAX_BACKOFF_MS,
                };
            }
            wait(next).await;
        }
        KEEPING.with(|k| k.set(false));
    });
}

/// Long-polls the team database's feed from where the last pull stopped
/// and wakes the loop when something arrives, for as long as the loop
/// runs. Every failure waits before the next try, so a server that
/// answers at once (or not at all) cannot make it spin.
async fn watch_feed() {
    while KEEPING.with(Cell::get) {
        let since = PULLED_TO.with(|p| p.borrow().clone());
        let Some(since) = since else {
            platform::sleep(1_000).await;
            continue;
        };
        let Ok(store) = crate::web::storage::shared().await else {
            break;
        };
        let Ok(Some(inbox)) = store.inbox_server().await else {
            break;
        };
        let since_text = match &since {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let req = Request::new(Method::Get, format!("{}/_changes", db_path(&inbox)))
            .query("feed", "longpoll")
            .query("since", &since_text)
            .query("limit", "1")
            .query("timeout", &WATCH_TIMEOUT_MS.to_string());
        let allowed = team::allowed(&inbox.server);
        let changed = match send(&req, inbox.server.url(), inbox.auth(), &allowed).await {
            Ok(answer) if answer.status == 200 => {
                serde_json::from_slice::<serde_json::Value>(&answer.body)
                    .ok()
                    .and_then(|v| v.get("results")?.as_array().map(|r| !r.is_empty()))
            }
            _ => None,
        };
        match changed {
            Some(true) => {
                wake();
                // Until the sync it wakes has pulled past this point (or
                // a while, should the pull end where it began).
                for _ in 0..150 {
                    if !KEEPING.with(Cell::get)
                        || PULLED_TO.with(|p| p.borrow().as_ref() != Some(&since))
                    {
                        break;
                    }
                    platform::sleep(200).await;
                }
            }
            Some(false) => platform::sleep(200).await,
            None => platform::sleep(5_000).await,
        }
    }
}
