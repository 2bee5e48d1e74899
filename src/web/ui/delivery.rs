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
use crate::web::transport::pump::{OutboxStore, Pump};

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
    static PUMP: RefCell<Option<(Rc<Pump<AppOutbox>>, RwSignal<u64>)>> =
        const { RefCell::new(None) };
}

/// Starts delivering (once per page): whatever waits goes out now.
pub fn start() {
    if PUMP.with(|p| p.borrow().is_some()) {
        return;
    }
    let changed = RwSignal::new(0u64);
    let pump = Pump::start(AppOutbox);
    pump.watch(move |_| changed.update(|n| *n += 1));
    PUMP.with(|p| *p.borrow_mut() = Some((pump, changed)));
}

/// Subscribes the reactive scope to every change of the outbox.
pub fn track_outbox() {
    if let Some((_, changed)) = PUMP.with(|p| p.borrow().clone()) {
        changed.track();
    }
}

/// Tries every waiting answer now: a person's "try again", after
/// [`crate::delivery::Delivery::retry`] was stored.
pub fn kick() {
    if let Some((pump, changed)) = PUMP.with(|p| p.borrow().clone()) {
        changed.update(|n| *n += 1);
        pump.kick();
    }
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
    let Some((pump, _)) = PUMP.with(|p| p.borrow().clone()) else {
        // Not started (a test page): kept all the same, sent on next start.
        AppOutbox.keep(&record).await?;
        return Ok(true);
    };
    pump.queue(&record).await?;
    Ok(true)
}
