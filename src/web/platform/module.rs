//! The wasm modules a page loads on demand, each a binary of its own: the
//! manager's screens (`web::manager`, into the full app) and the courier
//! (`web::courier`, sealing and delivery, into the full app and the
//! customer's page).
//!
//! The build (`scripts/post-build.mjs`, `MODULES`) names each module's
//! loader in `<meta name="servicelens-…" content="./…-boot-….js">`: a
//! script that imports the module's wasm-bindgen glue, starts its wasm and
//! leaves the glue's exports, once ready, as a promise on `window`. The
//! loader is inserted as a `<script type="module">` from our own origin, so
//! the Content-Security-Policy needs nothing new; the service worker
//! precaches it like every built file, so it loads offline too.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// One module the build makes (an entry of post-build's `MODULES`).
#[derive(Clone, Copy)]
pub struct Module {
    /// The `<meta name>` naming its loader.
    pub meta: &'static str,
    /// The window property its exports arrive on.
    pub global: &'static str,
}

/// The manager's screens.
pub const MANAGER: Module = Module {
    meta: "servicelens-manager",
    global: "servicelensManager",
};

/// Sealing and delivery of field devices' answers.
pub const COURIER: Module = Module {
    meta: "servicelens-courier",
    global: "servicelensCourier",
};

thread_local! {
    /// Each module's loader script load, shared by every caller waiting.
    static LOADING: RefCell<Vec<(&'static str, Promise)>> = const { RefCell::new(Vec::new()) };
}

/// Calls the module's exported function `name` with `args`; its result
/// (a promise for an `async` export).
pub fn call(exports: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f = Reflect::get(exports, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| format!("the module has no {name}"))?;
    let args: Array = args.iter().collect();
    f.apply(&JsValue::NULL, &args).map_err(describe)
}

/// A thrown value as text.
pub fn describe(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The module's exports once its wasm has started, if it has.
pub fn ready_exports(module: Module) -> Option<JsValue> {
    let w = web_sys::window()?;
    let p = Reflect::get(&w, &JsValue::from_str(module.global)).ok()?;
    // The loader keeps the resolved exports beside the promise.
    Reflect::get(&p, &JsValue::from_str("exports"))
        .ok()
        .filter(|e| e.is_object())
}

/// Whether this page's build names `module` at all.
pub fn available(module: Module) -> bool {
    loader_src(module).is_some()
}

fn loader_src(module: Module) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name={}]", module.meta))
        .ok()
        .flatten()?
        .get_attribute("content")
}

fn loader_id(module: Module) -> String {
    format!("{}-loader", module.meta)
}

/// Loads `module` once per page (a failed load is retried next time) and
/// gives its exports.
pub async fn exports(module: Module) -> Result<JsValue, String> {
    // Another wasm instance of the page (the shell, the manager's module)
    // may have loaded it already: one module per page.
    if let Some(ready) = web_sys::window()
        .and_then(|w| Reflect::get(&w, &JsValue::from_str(module.global)).ok())
        .filter(|p| p.is_object())
    {
        return JsFuture::from(Promise::resolve(&ready))
            .await
            .map_err(describe);
    }
    let load = LOADING.with(|l| {
        let mut l = l.borrow_mut();
        if let Some((_, p)) = l.iter().find(|(m, _)| *m == module.meta) {
            return p.clone();
        }
        let p = insert_loader(module);
        l.push((module.meta, p.clone()));
        p
    });
    let result = async {
        JsFuture::from(load).await.map_err(|e| {
            if e.is_instance_of::<web_sys::Event>() {
                "the loader script did not load".to_owned()
            } else {
                describe(e)
            }
        })?;
        let w = web_sys::window().ok_or("no window")?;
        let ready = Reflect::get(&w, &JsValue::from_str(module.global)).map_err(describe)?;
        JsFuture::from(Promise::resolve(&ready))
            .await
            .map_err(describe)
    }
    .await;
    if result.is_err() {
        LOADING.with(|l| l.borrow_mut().retain(|(m, _)| *m != module.meta));
        if let Some(old) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&loader_id(module)))
        {
            old.remove();
        }
    }
    result
}

/// Inserts the loader script; the promise settles on its load or error.
fn insert_loader(module: Module) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("no document"));
            return;
        };
        let Some(src) = loader_src(module) else {
            let msg = format!("the page names no module {}", module.meta);
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&msg));
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
        let _ = script.set_attribute("id", &loader_id(module));
        let _ = script.set_attribute("src", &src);
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
        if let Some(head) = doc.head() {
            let _ = head.append_child(&script);
        }
    })
}
