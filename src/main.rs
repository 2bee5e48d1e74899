#[cfg(target_arch = "wasm32")]
fn main() {
    servicelens::app::mount();
}

/// The app only runs in a browser; natively there is nothing to start.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
