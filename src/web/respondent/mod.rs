//! The customer's survey page, `respond.html`: a second, lean wasm binary
//! (`src/bin/respond.rs`) for the links customers open on their own phones
//! (`respond.html#/q/1.<payload>`, made by `link::link_url`).
//!
//! Why a second binary: a customer downloads the page once, often on a poor
//! mobile network, to answer a few questions. So this page carries no UI
//! framework and none of the manager's code: `survey/` draws the survey
//! with plain DOM calls (`dom.rs`) and stores answers through `db.rs`, the
//! app's IndexedDB database reached through web-sys (same stores, same
//! record format, so the answers appear in the app's dashboard and outbox
//! on that device). What it shares with the app is pure: the link codec,
//! the questionnaire's conditions and required questions, the response
//! record and the message table, and for a link that names the team's
//! inbox the sealing and the delivery loop (`deliver.rs`).
//!
//! `web::shell::link` is the full app's screen for links (`index.html#/q/…`: links
//! made before the split, shoppers' links); anything else asked of this page
//! goes to the full app, and so does a kiosk link or a shopper's fill after
//! Start.

pub mod deliver;
pub mod dom;
pub mod survey;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::routes;
use crate::web::platform;

pub fn mount() {
    let lang = platform::initial_lang();
    let doc = dom::document();
    if let Some(html) = doc.document_element() {
        // Screen readers and hyphenation follow <html lang>.
        let _ = html.set_attribute("lang", lang.code());
    }
    let main = dom::el("main", &[("id", "main"), ("class", "respondent")]);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&main);
    }
    // Whatever an earlier visit left waiting goes out now.
    deliver::start();
    show(&main, lang);
    let on_hash = Closure::<dyn FnMut()>::new(move || show(&main, lang));
    if let Some(w) = web_sys::window() {
        w.set_onhashchange(Some(on_hash.as_ref().unchecked_ref()));
    }
    on_hash.forget();
}

/// Shows the survey of a link; any other route opens in the full app.
fn show(main: &Element, lang: crate::i18n::Lang) {
    let hash = platform::current_hash();
    if let Some(payload) = routes::link_payload(&hash) {
        return survey::open(main, payload, lang);
    }
    // A form link (`#/f/…`) opens in the full app too: reading a form
    // with the questionnaire file's checks would add about 40 KB gzipped
    // to this page's download, already over its budget (issue 18).
    platform::replace_location(&format!("{}{hash}", survey::APP_PAGE))
}
