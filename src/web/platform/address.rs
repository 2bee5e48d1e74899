//! The page's address: the route in its fragment, and the app's own URL.

pub fn set_hash(hash: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(hash);
    }
}

/// Leaves this page for `url` (relative to it) without a history entry,
/// so Back does not return to a page that would only send the user on again.
pub fn replace_location(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(url);
    }
}

pub fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The app's own address without the fragment: where links point back to,
/// whatever host and sub-path the build is served from.
pub fn app_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

/// The page's origin (`https://host:port`): with the configured server,
/// the only one [`crate::delivery::Allowed`] lets the app contact.
pub fn own_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
