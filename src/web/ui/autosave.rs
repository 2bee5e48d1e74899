//! Writes a record to IndexedDB the moment it changes: a response as each
//! answer is given, a questionnaire draft as each property is edited.
//!
//! Writes of one record are serialised and coalesced: the newest snapshot
//! always wins (an older write can never land after a newer one), and a
//! failed write keeps the snapshot in memory and reports the failure so the
//! user can retry. The queue lives outside any component so that leaving a
//! screen never drops a pending write.

use std::cell::RefCell;
use std::collections::HashMap;

use futures::channel::oneshot;
use leptos::prelude::*;

use crate::domain::{Questionnaire, Response};
use crate::web::storage::{self, StorageError, Store};

/// What the queue can write.
#[derive(Debug, Clone)]
pub enum Record {
    Response(Response),
    Questionnaire(Questionnaire),
}

impl Record {
    fn key(&self) -> String {
        match self {
            Record::Response(r) => format!("response/{}", r.id),
            Record::Questionnaire(q) => format!("questionnaire/{}/{}", q.id, q.version),
        }
    }

    async fn write(&self, store: &Store) -> Result<(), StorageError> {
        match self {
            Record::Response(r) => store.put_response(r).await,
            Record::Questionnaire(q) => store.put_questionnaire(q).await,
        }
    }
}

impl From<Response> for Record {
    fn from(r: Response) -> Self {
        Record::Response(r)
    }
}

impl From<Questionnaire> for Record {
    fn from(q: Questionnaire) -> Self {
        Record::Questionnaire(q)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    Failed(String),
}

type Waiter = oneshot::Sender<Result<(), StorageError>>;

#[derive(Default)]
struct Slot {
    pending: Option<Record>,
    in_flight: bool,
    waiters: Vec<Waiter>,
}

thread_local! {
    static QUEUE: RefCell<HashMap<String, Slot>> = RefCell::new(HashMap::new());
}

/// Queues `record` for writing and starts the writer if it is idle.
pub fn save(record: impl Into<Record>, state: RwSignal<SaveState>) {
    let record = record.into();
    let key = record.key();
    enqueue(record, None);
    start(key, state);
}

/// Like [`save`], resolving once this snapshot (or a newer one) is stored.
pub async fn save_and_wait(
    record: impl Into<Record>,
    state: RwSignal<SaveState>,
) -> Result<(), StorageError> {
    let record = record.into();
    let (tx, rx) = oneshot::channel();
    let key = record.key();
    enqueue(record, Some(tx));
    start(key, state);
    rx.await
        .unwrap_or_else(|_| Err(StorageError("write abandoned".into())))
}

/// Tries again after a failure; the unsaved snapshot is still queued.
pub fn retry(record: &Record, state: RwSignal<SaveState>) {
    start(record.key(), state);
}

fn enqueue(record: Record, waiter: Option<Waiter>) {
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let slot = q.entry(record.key()).or_default();
        slot.pending = Some(record);
        slot.waiters.extend(waiter);
    });
}

fn start(key: String, state: RwSignal<SaveState>) {
    let idle = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        match q.get_mut(&key) {
            Some(slot) if !slot.in_flight && slot.pending.is_some() => {
                slot.in_flight = true;
                true
            }
            _ => false,
        }
    });
    if idle {
        // The writer is queued before the effects that "Saving" wakes, so
        // the write is issued ahead of them.
        leptos::task::spawn_local(drain(key, state));
        state.try_set(SaveState::Saving);
    }
}

async fn drain(key: String, state: RwSignal<SaveState>) {
    loop {
        let next = QUEUE.with(|q| q.borrow_mut().get_mut(&key).and_then(|s| s.pending.take()));
        let Some(record) = next else {
            let waiters = QUEUE.with(|q| q.borrow_mut().remove(&key).map(|s| s.waiters));
            for w in waiters.into_iter().flatten() {
                let _ = w.send(Ok(()));
            }
            state.try_set(SaveState::Saved);
            return;
        };
        let written = match storage::shared().await {
            Ok(store) => record.write(&store).await,
            Err(e) => Err(e),
        };
        if written.is_ok() {
            mark_committed();
        }
        if let Err(e) = written {
            let waiters = QUEUE.with(|q| {
                let mut q = q.borrow_mut();
                let slot = q.entry(key.clone()).or_default();
                slot.in_flight = false;
                // A newer snapshot queued meanwhile supersedes this one.
                slot.pending.get_or_insert(record);
                std::mem::take(&mut slot.waiters)
            });
            for w in waiters {
                let _ = w.send(Err(e.clone()));
            }
            state.try_set(SaveState::Failed(e.0));
            return;
        }
    }
}

/// A User Timing mark each time a write has committed, so the benchmark of
/// "answer → durable" (`tests/e2e/durable.bench.mjs`) times the click to
/// the transaction's completion itself rather than polling IndexedDB. One
/// buffered entry, replaced by the next.
fn mark_committed() {
    const NAME: &str = "autosave-committed";
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks_with_mark_name(NAME);
        let _ = p.mark(NAME);
    }
}
