//! The customer's answers on their way to the shop, when the link names the
//! team's inbox: the page hands each submitted response to the courier
//! (`transport::courier`, a module loaded on demand), which seals it, keeps
//! it in the outbox and sends it. The page loads the courier as the
//! customer starts answering (so an answer given offline still goes), or at
//! once when an earlier visit left an answer waiting or stored one it could
//! not hand over; a customer who only reads the first question downloads
//! none of it. The thank-you line
//! follows the delivery through the courier's window events.

use std::cell::RefCell;

use uuid::Uuid;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::delivery::{LinkTarget, Status};
use crate::domain::Response;
use crate::i18n::Lang;
use crate::web::platform::now_ms;
use crate::web::transport::courier::{self, HandOver};
use crate::web::transport::pump::CHANGED_EVENT;

thread_local! {
    /// The thank-you line on screen and the response it speaks of.
    static SHOWN: RefCell<Option<(String, Element, Lang)>> = const { RefCell::new(None) };
    static PRELOADED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// On page load: whatever an earlier visit left waiting goes now, and the
/// thank-you on screen follows its answer.
pub fn start() {
    courier::start_if_waiting();
    let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        SHOWN.with(|s| {
            if let Some((id, line, lang)) = s.borrow().as_ref() {
                if let Some(status) = courier::status_in(&event, id) {
                    line.set_text_content(Some(status.customer_msg().text(*lang)));
                }
            }
        })
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.add_event_listener_with_callback(CHANGED_EVENT, on_change.as_ref().unchecked_ref());
    }
    // Listens for the life of the page.
    on_change.forget();
}

/// A link that names the team's inbox was opened: answers to its survey
/// that an earlier visit stored but could not hand over go now.
pub fn resume(target: &LinkTarget, questionnaire_id: &str, version: u32) {
    let (target, questionnaire_id) = (target.clone(), questionnaire_id.to_owned());
    wasm_bindgen_futures::spawn_local(async move {
        // What fails stays stored, and is tried on the next visit.
        let _ = courier::resume(&target, &questionnaire_id, version).await;
    });
}

/// The customer has begun answering a survey whose answers go to the shop:
/// the courier loads now, while the phone is online.
pub fn answering() {
    if !PRELOADED.with(|p| p.replace(true)) {
        courier::preload();
    }
}

/// Hands the submitted, stored `response` to the courier; where it then
/// stands. A phone that went offline before the courier arrived keeps the
/// answer and hands it over once the browser says it is online again (or
/// on the next visit).
/// `json` is the response as stored.
pub async fn queue(target: &LinkTarget, response: &Response, json: &str) -> Status {
    match courier::queue(target, &response.id.to_string(), json, &[]).await {
        Ok(status) => status,
        Err(HandOver::NotLoaded(_)) => {
            when_online(
                target,
                &response.questionnaire_id,
                response.questionnaire_version,
            );
            Status::WillRetry { at_ms: now_ms() }
        }
        Err(HandOver::Refused(_)) => Status::Failed,
    }
}

/// [`resume`] on the next `online` event.
fn when_online(target: &LinkTarget, questionnaire_id: &str, version: u32) {
    let (target, questionnaire_id) = (target.clone(), questionnaire_id.to_owned());
    let Some(window) = web_sys::window() else {
        return;
    };
    let once = Closure::once_into_js(move || resume(&target, &questionnaire_id, version));
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = window.add_event_listener_with_callback_and_add_event_listener_options(
        "online",
        once.unchecked_ref(),
        &options,
    );
}

/// Shows `status` in `line` now and whenever the delivery of `response_id`
/// moves on.
pub fn follow(response_id: Uuid, line: Element, lang: Lang, status: Status) {
    line.set_text_content(Some(status.customer_msg().text(lang)));
    SHOWN.with(|s| *s.borrow_mut() = Some((response_id.to_string(), line, lang)));
}
