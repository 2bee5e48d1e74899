//! The shell (`index.html`): the app every device opens first, see
//! `servicelens::web::shell`.

#[cfg(target_arch = "wasm32")]
fn main() {
    servicelens::web::shell::mount();
}

/// The app only runs in a browser; natively there is nothing to start.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
