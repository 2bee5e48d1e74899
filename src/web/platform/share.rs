//! Handing a link on: the clipboard and the phone's share sheet. Both APIs
//! are looked up at run time: many desktop browsers have no share sheet,
//! and the clipboard needs a secure page.

use wasm_bindgen::{JsCast, JsValue};

fn navigator() -> Option<JsValue> {
    web_sys::window().map(|w| w.navigator().into())
}

fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(target, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
}

async fn settle(value: JsValue) -> Result<(), JsValue> {
    match value.dyn_into::<js_sys::Promise>() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.map(|_| ()),
        Err(_) => Ok(()),
    }
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let navigator = navigator().ok_or("no window")?;
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or("no clipboard")?;
    let write = method(&clipboard, "writeText").ok_or("no clipboard")?;
    let pending = write
        .call1(&clipboard, &JsValue::from_str(text))
        .map_err(super::module::describe)?;
    settle(pending).await.map_err(super::module::describe)
}

/// Whether this browser has a share sheet for links.
pub fn can_share_links() -> bool {
    navigator().is_some_and(|n| method(&n, "share").is_some())
}

/// Opens the share sheet with `url`; `Ok(false)` when the person closed
/// it without sharing.
pub async fn share_link(title: &str, url: &str) -> Result<bool, String> {
    let navigator = navigator().ok_or("no window")?;
    let share = method(&navigator, "share").ok_or("no share sheet")?;
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &JsValue::from_str(title));
    let _ = js_sys::Reflect::set(&data, &"url".into(), &JsValue::from_str(url));
    let pending = share
        .call1(&navigator, &data)
        .map_err(super::module::describe)?;
    match settle(pending).await {
        Ok(()) => Ok(true),
        // AbortError: closed without choosing an app.
        Err(_) => Ok(false),
    }
}
