//! The few DOM calls the lean page builds its screens with. A survey shows
//! one screen at a time and changes little on it (which questions show, the
//! progress line, an alert), so plain elements updated by hand are enough,
//! and the page carries no UI framework.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page has a document")
}

/// A new `<tag>` with `attrs` as `(name, value)` pairs.
pub fn el(tag: &str, attrs: &[(&str, &str)]) -> Element {
    let e = document().create_element(tag).expect("a valid tag name");
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    e
}

/// A new `<tag>` holding `text`.
pub fn text_el(tag: &str, attrs: &[(&str, &str)], text: &str) -> Element {
    let e = el(tag, attrs);
    e.set_text_content(Some(text));
    e
}

/// Appends `child` to `parent` and returns `parent`, for building a tree in
/// one expression.
pub fn add(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Calls `f` on every `event` at `target` for the life of the page (the
/// page's elements live as long as the page, so the handler is never freed).
pub fn on(target: &Element, event: &str, f: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    handler.forget();
}

pub fn set_hidden(e: &Element, hidden: bool) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_hidden(hidden);
    }
}

/// Removes every child of `e`.
pub fn clear(e: &Element) {
    e.set_text_content(None);
}

/// The `value` of an input, textarea or select.
pub fn value_of(e: &Element) -> String {
    js_sys::Reflect::get(e, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

pub fn is_checked(e: &Element) -> bool {
    e.dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked())
}
