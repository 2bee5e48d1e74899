//! Full screen, for the kiosk.

/// Asks for full screen. Browsers refuse it without a user gesture, in
/// iframes or by policy; the kiosk works in a window too, so a refusal
/// (thrown or as a rejected promise) is swallowed.
pub fn request_fullscreen() {
    use wasm_bindgen::JsCast;
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let Ok(f) = js_sys::Reflect::get(&root, &"requestFullscreen".into()) else {
        return;
    };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else {
        return;
    };
    if let Ok(result) = f.call0(&root) {
        if let Ok(promise) = result.dyn_into::<js_sys::Promise>() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}

/// Leaves full screen if the page is in it.
pub fn exit_fullscreen() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    }
}
