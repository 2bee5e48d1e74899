//! The route both Leptos front ends follow: the URL fragment.

use leptos::prelude::*;

use crate::routes::Route;
use crate::web::platform;

/// The route in the URL fragment, followed through `hashchange`; the
/// setter lets the kiosk switch route and state in one go.
pub fn hash_route() -> (ReadSignal<Route>, WriteSignal<Route>) {
    let (route, set_route) = signal(Route::parse(&platform::current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let new = Route::parse(&platform::current_hash());
        if route.with_untracked(|r| *r != new) {
            set_route.set(new);
        }
    });
    on_cleanup(move || listener.remove());
    (route, set_route)
}
