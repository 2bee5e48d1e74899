//! Window events between the app's wasm instances (the shell, the
//! manager's module, the courier share one window but no memory).

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// On the window after a write of records that team sync shares
/// (responses, questionnaires, photos, locations, employees, actions)
/// commits: the manager's module, if loaded and syncing, sends them soon.
pub const RECORDS_CHANGED_EVENT: &str = "servicelens-records-changed";

pub fn announce_records_changed() {
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::Event::new(RECORDS_CHANGED_EVENT),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// Calls `f` on every `name` event of the window, for as long as the page
/// lives (the listener is never removed).
pub fn on_window_event(name: &str, f: impl FnMut() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let mut f = f;
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| f());
    let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    closure.forget();
}
