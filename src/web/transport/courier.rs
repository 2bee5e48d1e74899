//! The pages' side of the courier (`web::courier`, a wasm module loaded on
//! demand through `platform::module::COURIER`): loading it when an answer
//! is on its way, handing it an answer, and reading what it says back. The
//! customer's page and the full app both deliver through here; the wire
//! between the instances (JSON text, photo pairs, status notes) has its one
//! home in this file.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::delivery::{glance, not_queued, read_status_note, waits, LinkTarget, Status};
use crate::domain::photo::PhotoMeta;
use crate::schema::{OUTBOX, RESPONSES};
use crate::web::platform::module::{self, COURIER};
use crate::web::platform::{self, idb};

/// Loads the courier and starts its pump: whatever waits goes now.
pub async fn start() -> Result<(), String> {
    let exports = module::exports(COURIER).await?;
    module::call(&exports, "start", &[]).map(|_| ())
}

/// Whether the outbox holds an answer still to be sent, read without the
/// courier's code (`delivery::waits`).
pub async fn anything_waits() -> Result<bool, String> {
    let texts = idb::get_all(OUTBOX).await.map_err(|e| e.0)?;
    Ok(texts.iter().any(|t| waits(t)))
}

/// Starts the courier when an earlier visit left an answer waiting (a link
/// opened again, the app started): on a device with nothing waiting, no
/// byte of it is downloaded.
pub fn start_if_waiting() {
    wasm_bindgen_futures::spawn_local(async {
        if anything_waits().await.unwrap_or(false) {
            // A courier that does not load now is loaded by the next
            // answer or the next visit; the answers stay stored.
            let _ = start().await;
        }
    });
}

/// Hands the courier the submitted answers to `questionnaire_id` version
/// `version` that this device stored but never queued (the courier did not
/// load when they were given), now that a link to it names `target` again
/// (`delivery::not_queued`).
pub async fn resume(
    target: &LinkTarget,
    questionnaire_id: &str,
    version: u32,
) -> Result<(), String> {
    let queued: Vec<String> = idb::get_all(OUTBOX)
        .await
        .map_err(|e| e.0)?
        .iter()
        .filter_map(|t| glance(t))
        .map(|(id, _)| id)
        .collect();
    let stored = idb::get_all(RESPONSES).await.map_err(|e| e.0)?;
    let device = platform::device_id();
    let left = not_queued(
        stored.iter().map(String::as_str),
        &device,
        questionnaire_id,
        version,
        &queued,
    );
    for (id, answer) in left {
        queue(target, &id, answer, &[]).await.map_err(|e| match e {
            HandOver::NotLoaded(e) | HandOver::Refused(e) => e,
        })?;
    }
    Ok(())
}

/// Loads the courier ahead of an answer that will need it, so a customer
/// who goes offline before submitting still has it.
pub fn preload() {
    wasm_bindgen_futures::spawn_local(async {
        let _ = module::exports(COURIER).await;
    });
}

/// Why an answer could not be handed to the courier. It is stored either
/// way; `NotLoaded` passes once the device is online again.
#[derive(Debug)]
pub enum HandOver {
    /// The courier's files did not arrive (the device is offline).
    NotLoaded(String),
    /// The courier refused the answer.
    Refused(String),
}

/// Hands the stored, submitted response `response_id` (as text; its JSON
/// text as stored) with its `photos` to the courier, which seals it to `target`,
/// keeps it in the outbox and sends it; the status it has once queued.
pub async fn queue(
    target: &LinkTarget,
    response_id: &str,
    response: &str,
    photos: &[(PhotoMeta, Vec<u8>)],
) -> Result<Status, HandOver> {
    let exports = module::exports(COURIER)
        .await
        .map_err(HandOver::NotLoaded)?;
    hand_over(&exports, target, response_id, response, photos)
        .await
        .map_err(HandOver::Refused)
}

async fn hand_over(
    exports: &JsValue,
    target: &LinkTarget,
    response_id: &str,
    response: &str,
    photos: &[(PhotoMeta, Vec<u8>)],
) -> Result<Status, String> {
    let target = serde_json::to_string(target).map_err(|e| e.to_string())?;
    let pairs = Array::new();
    for (meta, bytes) in photos {
        let meta = serde_json::to_string(meta).map_err(|e| e.to_string())?;
        pairs.push(&Array::of2(
            &JsValue::from_str(&meta),
            &Uint8Array::from(&bytes[..]),
        ));
    }
    let promise = module::call(
        exports,
        "queue",
        &[target.into(), JsValue::from_str(response), pairs.into()],
    )?;
    let note = JsFuture::from(Promise::resolve(&promise))
        .await
        .map_err(module::describe)?;
    note.as_string()
        .as_deref()
        .and_then(read_status_note)
        .filter(|(id, _)| *id == response_id)
        .map(|(_, status)| status)
        .ok_or_else(|| "the courier gave no status".to_owned())
}

/// The photos [`queue`] handed over, as the courier reads them.
pub fn read_photos(pairs: &Array) -> Result<Vec<(PhotoMeta, Vec<u8>)>, String> {
    pairs
        .iter()
        .map(|pair| {
            let pair: Array = pair.dyn_into().map_err(|_| "a photo is not a pair")?;
            let meta = pair
                .get(0)
                .as_string()
                .ok_or("a photo without its record")?;
            let meta: PhotoMeta = serde_json::from_str(&meta).map_err(|e| e.to_string())?;
            let bytes: Uint8Array = pair
                .get(1)
                .dyn_into()
                .map_err(|_| "a photo without its bytes")?;
            Ok((meta, bytes.to_vec()))
        })
        .collect()
}

/// The status of `response_id` in a `CHANGED_EVENT`, if the event speaks
/// of it.
pub fn status_in(event: &web_sys::Event, response_id: &str) -> Option<Status> {
    let event: &web_sys::CustomEvent = event.dyn_ref()?;
    let note = event.detail().as_string()?;
    read_status_note(&note)
        .filter(|(id, _)| *id == response_id)
        .map(|(_, status)| status)
}
