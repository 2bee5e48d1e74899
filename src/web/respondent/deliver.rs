//! The customer's answers on their way to the shop: when the link names the
//! team's inbox, a submitted response is sealed to the team's key, kept in
//! the page's outbox (`schema::OUTBOX`) and delivered by the page's one
//! [`Pump`], which also sends whatever earlier visits left waiting as soon
//! as the page loads. The thank-you line follows the delivery.

use std::cell::RefCell;
use std::rc::Rc;

use uuid::Uuid;
use web_sys::Element;

use super::db;
use crate::delivery::{InboxTarget, OutboxRecord, Status};
use crate::domain::Response;
use crate::i18n::Lang;
use crate::schema::OUTBOX;
use crate::seal;
use crate::web::platform::now_ms;
use crate::web::transport::pump::{OutboxStore, Pump};

/// The page's IndexedDB as the pump's store.
pub struct PageOutbox;

impl OutboxStore for PageOutbox {
    async fn records(&self) -> Result<Vec<OutboxRecord>, String> {
        let texts = db::get_all(OUTBOX).await.map_err(|e| e.0)?;
        Ok(texts
            .iter()
            .filter_map(|t| serde_json::from_slice(t.as_bytes()).ok())
            .collect())
    }

    async fn keep(&self, record: &OutboxRecord) -> Result<(), String> {
        let json = serde_json::to_string(record).map_err(|e| e.to_string())?;
        db::put(OUTBOX, &json).await.map_err(|e| e.0)
    }
}

thread_local! {
    static PUMP: RefCell<Option<Rc<Pump<PageOutbox>>>> = const { RefCell::new(None) };
    /// The thank-you line on screen and the response it speaks of.
    static SHOWN: RefCell<Option<(Uuid, Element, Lang)>> = const { RefCell::new(None) };
}

/// Starts delivering: every answer an earlier visit left waiting goes now.
pub fn start() {
    let pump = Pump::start(PageOutbox);
    pump.watch(|record| show_status(record.response_id, record.delivery.status()));
    PUMP.with(|p| *p.borrow_mut() = Some(pump));
}

/// Seals the submitted `response`, keeps it in the outbox and sends it.
/// `Err` with the customer's message when it could not be kept (the
/// response itself is stored already).
pub async fn queue(target: &InboxTarget, response: &Response) -> Result<Status, String> {
    // The customer is told only that the answers could not be sent; the
    // detailed messages stay out of the page's download.
    let record = OutboxRecord::seal(target, response, &[], &mut seal::system_rng(), now_ms())
        .map_err(|_| "not sealed".to_owned())?;
    let pump = PUMP
        .with(|p| p.borrow().clone())
        .ok_or_else(|| "no pump".to_owned())?;
    pump.queue(&record).await?;
    Ok(record.delivery.status())
}

/// Shows `status` in `line` now and whenever the delivery of `response_id`
/// moves on.
pub fn follow(response_id: Uuid, line: Element, lang: Lang, status: Status) {
    SHOWN.with(|s| *s.borrow_mut() = Some((response_id, line, lang)));
    show_status(response_id, status);
}

fn show_status(response_id: Uuid, status: Status) {
    SHOWN.with(|s| {
        if let Some((id, line, lang)) = s.borrow().as_ref() {
            if *id == response_id {
                line.set_text_content(Some(status.customer_msg().text(*lang)));
            }
        }
    });
}
