//! Delivery from the full app's field devices, the kiosk and the shopper's
//! phone: the link a device opened names the team's inbox, kept per
//! questionnaire in the device's settings ([`remember_target`]); every
//! response submitted for that questionnaire afterwards is handed with its
//! photos to the courier by [`queue_submitted`] (`transport::courier`, a
//! module the app loads only then, or at start when an answer waits), which
//! seals, keeps and sends it. Screens that show where answers stand track
//! [`outbox_changes`].
//!
//! Queuing never waits for the network: the courier stores the sealed
//! record and returns, so a kiosk's next customer never waits on a slow
//! connection.

use leptos::prelude::*;

use crate::delivery::target::setting_key;
use uuid::Uuid;

use crate::delivery::{InboxTarget, LinkTarget, Status};
use crate::domain::Response;
use crate::web::storage::{self, StorageError, Store};
use crate::web::transport::courier::{self, HandOver};
use crate::web::transport::pump::CHANGED_EVENT;

/// Starts delivering (from the shell): whatever waits goes out now.
pub fn start() {
    courier::start_if_waiting();
}

/// A count that moves whenever the courier stores a step: a screen tracks
/// it to show where answers stand. The listener goes with the calling
/// scope.
pub fn outbox_changes() -> ReadSignal<u64> {
    let (changes, set_changes) = signal(0u64);
    let listener =
        window_event_listener_untyped(CHANGED_EVENT, move |_| set_changes.update(|n| *n += 1));
    on_cleanup(move || listener.remove());
    changes
}

/// Where the delivery of the answer `id()` (read at each report) stands,
/// as the courier reports it; `None` until it does. The listener goes with
/// the calling scope.
pub fn delivery_status(id: impl Fn() -> Uuid + 'static) -> ReadSignal<Option<Status>> {
    let (status, set_status) = signal(None);
    let listener = window_event_listener_untyped(CHANGED_EVENT, move |event| {
        if let Some(s) = courier::status_in(&event, &id().to_string()) {
            set_status.set(Some(s));
        }
    });
    on_cleanup(move || listener.remove());
    status
}

/// Tries every waiting answer now: a person's "try again", after
/// [`crate::delivery::Delivery::retry`] was stored.
pub fn kick() {
    leptos::task::spawn_local(async {
        // A courier that does not load leaves the answer stored and
        // waiting; the next start of the app tries it.
        let _ = courier::start().await;
    });
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

/// Hands the stored, submitted `response` with its photos to the courier,
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
    let json = serde_json::to_string(response).map_err(|e| e.to_string())?;
    match courier::queue(
        &LinkTarget::from(&target),
        &response.id.to_string(),
        &json,
        &photos,
    )
    .await
    {
        Ok(_) => Ok(true),
        Err(HandOver::NotLoaded(e) | HandOver::Refused(e)) => Err(e),
    }
}
