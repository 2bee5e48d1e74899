//! The courier: sealing and delivery of field devices' answers, a wasm
//! binary of its own (`src/bin/courier.rs`, post-build's `MODULES`) that
//! the customer's page and the full app load through `platform::module`
//! when an answer is on its way to the shop.
//!
//! Why a module of its own: sealing (X25519, ChaCha20-Poly1305, HKDF) and
//! the delivery loop are a third of the customer's page, and a customer can
//! read and answer the first question without them. The page loads the
//! courier when the customer starts answering a survey whose answers go to
//! the shop, or when an earlier visit left an answer waiting; the kiosk and
//! the shopper's phone when they submit one. A response is stored by the
//! page before the courier sees it, so a courier that never loads loses
//! nothing: the answer stays on the device and goes the next time.
//!
//! The courier reaches the app's database through `platform::idb`, so the
//! outbox (`schema::OUTBOX`) is one store whichever page queued an answer,
//! and runs the page's one [`Pump`]. The pages follow it through window
//! events (`transport::pump::CHANGED_EVENT`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Array;

use crate::delivery::{InboxTarget, OutboxRecord, Status};
use crate::domain::photo::PhotoMeta;
use crate::domain::Response;
use crate::i18n::Lang;
use crate::schema::OUTBOX;
use crate::seal;
use crate::web::platform::idb;
use crate::web::platform::now_ms;
use crate::web::transport::courier;
use crate::web::transport::pump::{OutboxStore, Pump};

/// The app's database as the pump's store.
pub struct DeviceOutbox;

impl OutboxStore for DeviceOutbox {
    async fn records(&self) -> Result<Vec<OutboxRecord>, String> {
        let texts = idb::get_all(OUTBOX).await.map_err(|e| e.0)?;
        Ok(texts
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect())
    }

    async fn keep(&self, record: &OutboxRecord) -> Result<(), String> {
        let json = serde_json::to_string(record).map_err(|e| e.to_string())?;
        idb::put(OUTBOX, &json).await.map_err(|e| e.0)
    }
}

thread_local! {
    static PUMP: RefCell<Option<Rc<Pump<DeviceOutbox>>>> = const { RefCell::new(None) };
}

/// Starts the page's pump once (whatever waits goes now); later calls try
/// every waiting answer again.
pub fn start() -> Rc<Pump<DeviceOutbox>> {
    if let Some(pump) = PUMP.with(|p| p.borrow().clone()) {
        pump.kick();
        return pump;
    }
    let pump = Pump::start(DeviceOutbox);
    PUMP.with(|p| *p.borrow_mut() = Some(pump.clone()));
    pump
}

/// Seals the stored, submitted `response` with its `photos` to `target`,
/// keeps the sealed record in the outbox and sends it.
pub async fn queue(
    target: &InboxTarget,
    response: &Response,
    photos: &[(PhotoMeta, Vec<u8>)],
) -> Result<Status, String> {
    let photos: Vec<(PhotoMeta, &[u8])> = photos
        .iter()
        .map(|(m, b)| (m.clone(), b.as_slice()))
        .collect();
    let record = OutboxRecord::seal(target, response, &photos, &mut seal::system_rng(), now_ms())
        .map_err(|e| e.message(Lang::En))?;
    start().queue(&record).await?;
    Ok(record.delivery.status())
}

/// [`queue`] as the module's export takes it: the target and the response
/// as JSON text, the photos as `transport::courier` pairs.
pub async fn queue_from_page(
    target: &str,
    response: &str,
    photos: &Array,
) -> Result<Status, String> {
    let target: InboxTarget = serde_json::from_str(target).map_err(|e| e.to_string())?;
    let response: Response = serde_json::from_str(response).map_err(|e| e.to_string())?;
    let photos = courier::read_photos(photos)?;
    queue(&target, &response, &photos).await
}
