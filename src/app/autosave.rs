//! Writes a response to IndexedDB the moment an answer is given.
//!
//! Writes of one response are serialised and coalesced: the newest snapshot
//! always wins (an older write can never land after a newer one), and a
//! failed write keeps the snapshot in memory and reports the failure so the
//! user can retry. The queue lives outside any component so that leaving a
//! screen never drops a pending write.

use std::cell::RefCell;
use std::collections::HashMap;

use futures::channel::oneshot;
use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::Response;
use crate::storage::{self, StorageError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    Failed(String),
}

type Waiter = oneshot::Sender<Result<(), StorageError>>;

#[derive(Default)]
struct Slot {
    pending: Option<Response>,
    in_flight: bool,
    waiters: Vec<Waiter>,
}

thread_local! {
    static QUEUE: RefCell<HashMap<Uuid, Slot>> = RefCell::new(HashMap::new());
}

/// Queues `response` for writing and starts the writer if it is idle.
pub fn save(response: Response, state: RwSignal<SaveState>) {
    let id = response.id;
    enqueue(response, None);
    start(id, state);
}

/// Like [`save`], resolving once this snapshot (or a newer one) is stored.
pub async fn save_and_wait(response: Response, state: RwSignal<SaveState>) -> Result<(), StorageError> {
    let (tx, rx) = oneshot::channel();
    let id = response.id;
    enqueue(response, Some(tx));
    start(id, state);
    rx.await
        .unwrap_or_else(|_| Err(StorageError("write abandoned".into())))
}

/// Tries again after a failure; the unsaved snapshot is still queued.
pub fn retry(id: Uuid, state: RwSignal<SaveState>) {
    start(id, state);
}

fn enqueue(response: Response, waiter: Option<Waiter>) {
    let id = response.id;
    QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        let slot = q.entry(id).or_default();
        slot.pending = Some(response);
        slot.waiters.extend(waiter);
    });
}

fn start(id: Uuid, state: RwSignal<SaveState>) {
    let idle = QUEUE.with(|q| {
        let mut q = q.borrow_mut();
        match q.get_mut(&id) {
            Some(slot) if !slot.in_flight && slot.pending.is_some() => {
                slot.in_flight = true;
                true
            }
            _ => false,
        }
    });
    if idle {
        state.try_set(SaveState::Saving);
        leptos::task::spawn_local(drain(id, state));
    }
}

async fn drain(id: Uuid, state: RwSignal<SaveState>) {
    loop {
        let next = QUEUE.with(|q| q.borrow_mut().get_mut(&id).and_then(|s| s.pending.take()));
        let Some(response) = next else {
            let waiters = QUEUE.with(|q| q.borrow_mut().remove(&id).map(|s| s.waiters));
            for w in waiters.into_iter().flatten() {
                let _ = w.send(Ok(()));
            }
            state.try_set(SaveState::Saved);
            return;
        };
        let written = match storage::shared().await {
            Ok(store) => store.put_response(&response).await,
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            let waiters = QUEUE.with(|q| {
                let mut q = q.borrow_mut();
                let slot = q.entry(id).or_default();
                slot.in_flight = false;
                // A newer snapshot queued meanwhile supersedes this one.
                slot.pending.get_or_insert(response);
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
