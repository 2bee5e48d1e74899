//! The manager's module (`servicelens::web::manager`): the screens the app
//! loads only when one of them opens. Its wasm-bindgen exports are defined
//! here, in this binary alone, so the app's own binary keeps none of it.

#[cfg(target_arch = "wasm32")]
mod exports {
    use wasm_bindgen::prelude::*;

    /// Shows the manager's screen for the current route inside `parent`.
    #[wasm_bindgen]
    pub fn mount(parent: web_sys::HtmlElement) {
        servicelens::web::manager::mount(parent);
    }

    /// Removes what `mount` showed.
    #[wasm_bindgen]
    pub fn unmount() {
        servicelens::web::manager::unmount();
    }
}

/// Nothing starts on load: the app calls `mount` when a screen opens.
fn main() {}
