//! Delivery from the full app's field devices, the kiosk and the shopper's
//! phone: the link a device opened names the team's inbox, kept per
//! questionnaire in the device's settings ([`remember_target`]); every
//! response submitted for that questionnaire afterwards is sealed with its
//! photos and queued by [`queue_submitted`]; the app's one
//! [`Pump`] (started with the app) sends it. Screens that show where
//! answers stand track [`track_outbox`].
//!
//! Queuing never waits for the network: it stores the sealed record and
//! returns, so a kiosk's next customer never waits on a slow connection.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use crate::delivery::target::setting_key;
use crate::delivery::{InboxTarget, OutboxRecord};
use crate::domain::photo::PhotoMeta;
use crate::domain::Response;
use crate::i18n::Lang;
use crate::seal;
use crate::web::platform::now_ms;
use crate::web::storage::{self, StorageError, Store};
use crate::web::transport::pump::{request_kick, OutboxStore, Pump, CHANGED_EVENT};

/// The app's database as the pump's store.
pub struct AppOutbox;

impl OutboxStore for AppOutbox {
    async fn records(&self) -> Result<Vec<OutboxRecord>, String> {
        let store = storage::shared().await.map_err(|e| e.0)?;
        store.outbox().await.map_err(|e| e.0)
    }

    async fn keep(&self, record: &OutboxRecord) -> Result<(), String> {
        let store = storage::shared().await.map_err(|e| e.0)?;
        store.put_outbox(record).await.map_err(|e| e.0)
    }
}

thread_local! {
    static PUMP: RefCell<Option<Rc<Pump<AppOutbox>>>> = const { RefCell::new(None) };
}

/// Starts delivering (once per page, from the shell): whatever waits goes
/// out now.
pub fn start() {
    if PUMP.with(|p| p.borrow().is_some()) {
        return;
    }
    let pump = Pump::start(AppOutbox);
    PUMP.with(|p| *p.borrow_mut() = Some(pump));
}

/// A count that moves whenever the pump stores a step, in whichever wasm
/// instance it runs: a screen tracks it to show where answers stand. The
/// listener goes with the calling scope.
pub fn outbox_changes() -> ReadSignal<u64> {
    let (changes, set_changes) = signal(0u64);
    let listener =
        window_event_listener_untyped(CHANGED_EVENT, move |_| set_changes.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    changes
}

/// Tries every waiting answer now: a person's "try again", after
/// [`crate::delivery::Delivery::retry`] was stored.
pub fn kick() {
    request_kick();
}

/// Keeps `target` as where answers to `questionnaire_id` go from this device.
pub async fn remember_target(
    store: &Store,
    questionnaire_id: &str,
    target: &InboxTarget,
) -> Result<(), StorageError> {
    store
        .put_setting(&setting_key(questionnaire_id), target)
        .await
}

/// Seals the stored, submitted `response` with its photos and queues it,
/// when a link named an inbox for its questionnaire on this device;
/// `Ok(false)` when none did (it then leaves as a file, as before).
pub async fn queue_submitted(response: &Response) -> Result<bool, String> {
    let store = storage::shared().await.map_err(|e| e.0)?;
    let Some(target) = store
        .get_setting::<InboxTarget>(&setting_key(&response.questionnaire_id))
        .await
        .map_err(|e| e.0)?
    else {
        return Ok(false);
    };
    let photos = store.photo_bytes_of(response.id).await.map_err(|e| e.0)?;
    let photos: Vec<(PhotoMeta, &[u8])> = photos
        .iter()
        .map(|(m, b)| (m.clone(), b.as_slice()))
        .collect();
    let record = OutboxRecord::seal(
        &target,
        response,
        &photos,
        &mut seal::system_rng(),
        now_ms(),
    )
    .map_err(|e| e.message(Lang::En))?;
    match PUMP.with(|p| p.borrow().clone()) {
        Some(pump) => pump.queue(&record).await?,
        // Queued from the manager's module: the shell's pump is told.
        None => {
            AppOutbox.keep(&record).await?;
            request_kick();
        }
    }
    Ok(true)
}
