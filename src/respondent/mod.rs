//! The customer's survey page, `respond.html`: a second, lean wasm binary
//! (`src/bin/respond.rs`) for the links customers open on their own phones
//! (`respond.html#/q/1.<payload>`, made by `formats::link::link_url`).
//!
//! Why a second binary: a customer downloads the page once, often on a poor
//! mobile network, to answer a few questions. The full app carries the
//! manager's screens, templates, exports, QR and bundle code; none of it is
//! needed here, and the linker drops whatever this entry point never reaches.
//! So this module reaches only the link codec, the questionnaire form, the
//! autosave queue and IndexedDB (the same database and schema as the app,
//! so the answers appear in the app's dashboard and outbox on that device).
//!
//! `link.rs` (the link landing and the survey run) is shared: the full app
//! shows the same components for `index.html#/q/…`, which keeps old links
//! working. Anything else asked of this page goes to the full app.

pub mod link;

use leptos::prelude::*;

use crate::app::contexts::i18n::provide_i18n;
use crate::platform;
use crate::routes::Route;
use link::LinkPage;

/// The full app, next to this page in the same build.
const APP_PAGE: &str = "./index.html";

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Respondent);
}

/// A route this page does not show opens in the full app: the manager's
/// screens, and a shopper's fill once the link's Start has made the draft.
fn route_of(hash: &str) -> Option<String> {
    match Route::parse(hash) {
        Route::Link(payload) => Some(payload),
        _ => {
            platform::replace_location(&format!("{APP_PAGE}{hash}"));
            None
        }
    }
}

#[component]
fn Respondent() -> impl IntoView {
    provide_i18n();
    let (route, set_route) = signal(route_of(&platform::current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(route_of(&platform::current_hash()));
    });
    on_cleanup(move || listener.remove());
    view! {
        <main id="main" class="respondent">
            {move || route.get().map(|payload| view! { <LinkPage payload /> })}
        </main>
    }
}
