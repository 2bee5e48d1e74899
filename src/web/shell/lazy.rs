//! Loads the manager's module (`app::manager`, a wasm binary of its own)
//! when one of its screens opens, and mounts it into a container here.
//!
//! The build (`scripts/post-build.mjs`) names the module's loader in
//! `<meta name="servicelens-manager" content="./manager-boot-….js">`: a
//! script that imports the vendored Chart.js and the module's wasm-bindgen
//! glue, starts its wasm and leaves the glue's exports, once ready, as the
//! promise `window.servicelensManager`. The loader is inserted as a
//! `<script type="module">` from our own origin, so the Content-Security-
//! Policy needs nothing new; the service worker precaches it like every
//! built file, so it loads offline too.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::Loading;

const LOADER_META: &str = "meta[name=servicelens-manager]";
const LOADER_ID: &str = "servicelens-manager-loader";
const EXPORTS_GLOBAL: &str = "servicelensManager";

thread_local! {
    /// The loader script's load, shared by every screen that waits for it.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

#[derive(Clone, PartialEq)]
enum State {
    Loading,
    Ready,
    Failed(String),
}

/// The container the manager's module renders its screens into.
#[component]
pub fn ManagerHost() -> impl IntoView {
    let i18n = use_i18n();
    let root = NodeRef::<leptos::html::Div>::new();
    let state = RwSignal::new(State::Loading);
    let alive = Arc::new(AtomicBool::new(true));
    let mounted = Arc::new(AtomicBool::new(false));
    let (a, m) = (alive.clone(), mounted.clone());
    Effect::new(move |_| {
        let Some(el) = root.get() else { return };
        let (alive, mounted) = (a.clone(), m.clone());
        leptos::task::spawn_local(async move {
            match exports().await {
                // The route may have left the manager's screens meanwhile.
                Ok(_) if !alive.load(Ordering::SeqCst) => {}
                Ok(exports) => match call(&exports, "mount", &el) {
                    Ok(()) => {
                        mounted.store(true, Ordering::SeqCst);
                        state.set(State::Ready);
                    }
                    Err(e) => state.set(State::Failed(e)),
                },
                Err(e) => state.set(State::Failed(e)),
            }
        });
    });
    on_cleanup(move || {
        alive.store(false, Ordering::SeqCst);
        if mounted.load(Ordering::SeqCst) {
            if let Some(exports) = ready_exports() {
                let _ = call(&exports, "unmount", &JsValue::UNDEFINED);
            }
        }
    });
    view! {
        {move || match state.get() {
            State::Loading => view! { <Loading /> }.into_any(),
            State::Ready => ().into_any(),
            State::Failed(detail) => view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::ManagerModuleFailed)}</p>
                    <p class="detail">{detail}</p>
                </div>
            }
            .into_any(),
        }}
        <div node_ref=root class="manager-module"></div>
    }
}

/// Calls the module's exported function `name` with one argument.
fn call(exports: &JsValue, name: &str, arg: &JsValue) -> Result<(), String> {
    let f = Reflect::get(exports, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| format!("the manager's module has no {name}"))?;
    f.call1(&JsValue::NULL, arg).map(|_| ()).map_err(describe)
}

fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The module's exports once its wasm has started, if it has.
fn ready_exports() -> Option<JsValue> {
    let w = web_sys::window()?;
    let p = Reflect::get(&w, &JsValue::from_str(EXPORTS_GLOBAL)).ok()?;
    // The loader keeps the resolved exports beside the promise.
    Reflect::get(&p, &JsValue::from_str("exports"))
        .ok()
        .filter(|e| e.is_object())
}

/// Loads the module once per page (a failed load is retried next time).
async fn exports() -> Result<JsValue, String> {
    let load = LOADING.with(|l| l.borrow_mut().get_or_insert_with(insert_loader).clone());
    let result = async {
        JsFuture::from(load).await.map_err(|e| {
            if e.is_instance_of::<web_sys::Event>() {
                "the loader script did not load".to_owned()
            } else {
                describe(e)
            }
        })?;
        let w = web_sys::window().ok_or("no window")?;
        let ready = Reflect::get(&w, &JsValue::from_str(EXPORTS_GLOBAL)).map_err(describe)?;
        JsFuture::from(Promise::resolve(&ready))
            .await
            .map_err(describe)
    }
    .await;
    if result.is_err() {
        LOADING.with(|l| l.borrow_mut().take());
        if let Some(old) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(LOADER_ID))
        {
            old.remove();
        }
    }
    result
}

/// Inserts the loader script; the promise settles on its load or error.
fn insert_loader() -> Promise {
    Promise::new(&mut |resolve, reject| {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("no document"));
            return;
        };
        let src = doc
            .query_selector(LOADER_META)
            .ok()
            .flatten()
            .and_then(|m| m.get_attribute("content"));
        let Some(src) = src else {
            let msg = "the page names no manager module";
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(msg));
            return;
        };
        let script = match doc
            .create_element("script")
            .and_then(|s| s.dyn_into::<web_sys::HtmlElement>().map_err(JsValue::from))
        {
            Ok(s) => s,
            Err(e) => {
                let _ = reject.call1(&JsValue::NULL, &e);
                return;
            }
        };
        let _ = script.set_attribute("type", "module");
        let _ = script.set_attribute("id", LOADER_ID);
        let _ = script.set_attribute("src", &src);
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
        if let Some(head) = doc.head() {
            let _ = head.append_child(&script);
        }
    })
}
