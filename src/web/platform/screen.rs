//! Full screen, for the kiosk, and moving the keyboard focus to a control.

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

/// Gives the keyboard focus (and with it the view) to the element `id` if
/// it is a control, else to the first control inside it, else to the
/// control `<id>-photo` (a photo question's picker): the missing-answers
/// list jumps to a question this way.
pub fn focus_control(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    const CONTROLS: &str = "input, select, textarea, button";
    let found = doc.get_element_by_id(id).and_then(|el| {
        if el.matches(CONTROLS).unwrap_or(false) {
            Some(el)
        } else {
            el.query_selector(CONTROLS).ok().flatten()
        }
    });
    let target = found.or_else(|| doc.get_element_by_id(&format!("{id}-photo")));
    if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = t.focus();
    }
}

/// Moves the focus (and so the view) to the element `id` itself, a message
/// that has `tabindex="-1"`, once it is drawn: the result of an action taken
/// at the bottom of a long screen is read where it appears. The element may
/// be shown by the very change that calls this, so it waits for it a few
/// frames (a hidden element takes no focus).
pub async fn focus_element(id: &str) {
    use wasm_bindgen::JsCast;
    for _ in 0..30 {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el.filter(|el| el.offset_height() > 0) {
            let _ = el.focus();
            return;
        }
        super::sleep(16).await;
    }
}

/// The tab's session storage key of the scroll position at `hash`.
fn scroll_key(hash: &str) -> String {
    format!("servicelens.scroll:{hash}")
}

/// Notes how far the page at the current address is scrolled, in the tab's
/// session storage (device-local, gone with the tab), for
/// [`saved_scroll`] and [`scroll_back`] after a reload.
pub fn remember_scroll() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let y = window.scroll_y().unwrap_or(0.0).round();
    if let Ok(Some(store)) = window.session_storage() {
        let _ = store.set_item(&scroll_key(&super::current_hash()), &y.to_string());
    }
}

/// Where [`remember_scroll`] last saw the page at the current address:
/// read when a screen is made, before its own scrolling can overwrite it.
pub fn saved_scroll() -> Option<f64> {
    web_sys::window()?
        .session_storage()
        .ok()
        .flatten()?
        .get_item(&scroll_key(&super::current_hash()))
        .ok()
        .flatten()?
        .parse::<f64>()
        .ok()
        .filter(|y| *y > 0.0)
}

/// Scrolls back to `y` once the screen is drawn. The browser's own
/// restoration runs while a form read from the database is still short,
/// and photos read afterwards make it taller still, so this tries again
/// for up to a second until the page is long enough to get there.
pub fn scroll_back(y: Option<f64>) {
    let Some(y) = y else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        for _ in 0..20 {
            let Some(window) = web_sys::window() else {
                return;
            };
            window.scroll_to_with_x_and_y(0.0, y);
            if (window.scroll_y().unwrap_or(0.0) - y).abs() < 2.0 {
                return;
            }
            super::sleep(50).await;
        }
    });
}
