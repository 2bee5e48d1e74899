//! The installed-app side: service-worker registration and the "update
//! available" flow, persistent storage and the quota warning.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

use crate::i18n::STORAGE_WARN_SHARE;

#[derive(Clone, Copy)]
pub struct Pwa {
    /// A new version is installed and waits for the user's reload.
    pub update_ready: RwSignal<bool>,
    /// `navigator.storage.persisted()` after asking; `None` if unknown.
    pub persisted: RwSignal<Option<bool>>,
    /// (usage, quota) in bytes.
    pub usage: RwSignal<Option<(f64, f64)>>,
    /// An IndexedDB upgrade waits for other tabs to close.
    pub upgrade_blocked: RwSignal<bool>,
}

impl Pwa {
    pub fn nearly_full(&self) -> bool {
        self.usage
            .get()
            .is_some_and(|(used, quota)| quota > 0.0 && used / quota >= STORAGE_WARN_SHARE)
    }
}

pub fn use_pwa() -> Pwa {
    expect_context::<Pwa>()
}

pub fn provide_pwa() {
    let pwa = Pwa {
        update_ready: RwSignal::new(false),
        persisted: RwSignal::new(None),
        usage: RwSignal::new(None),
        upgrade_blocked: RwSignal::new(false),
    };
    provide_context(pwa);
    crate::web::storage::on_upgrade_blocked(move || pwa.upgrade_blocked.set(true));
    register_service_worker(pwa);
    leptos::task::spawn_local(refresh_storage(pwa));
}

fn register_service_worker(pwa: Pwa) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Served from a file:// URL or an insecure origin: no worker, no cache.
    if !window.is_secure_context() {
        return;
    }
    let promise = container.register("./sw.js");
    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(promise).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        watch_for_update(&reg, pwa);
    });
}

fn has_controller() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some())
}

fn watch_for_update(reg: &ServiceWorkerRegistration, pwa: Pwa) {
    // A worker already waiting from an earlier visit.
    if reg.waiting().is_some() && has_controller() {
        pwa.update_ready.set(true);
    }
    let watched = reg.clone();
    let on_update = Closure::<dyn FnMut()>::new(move || {
        let Some(worker) = watched.installing() else {
            return;
        };
        let w = worker.clone();
        let on_state = Closure::<dyn FnMut()>::new(move || {
            // The first install of all is no "update": nothing to replace.
            if w.state() == ServiceWorkerState::Installed && has_controller() {
                pwa.update_ready.set(true);
            }
        });
        worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
        on_state.forget();
    });
    reg.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
    on_update.forget();
}

/// Activates the waiting version and reloads into it. Every answer is
/// already in IndexedDB, so the reload loses nothing.
pub fn apply_update() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    on_change.forget();
    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        if let Some(waiting) = reg.waiting() {
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}

/// Asks for persistent storage once and reads usage and quota.
pub async fn refresh_storage(pwa: Pwa) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return;
    };
    let persisted = match JsFuture::from(
        storage
            .persisted()
            .unwrap_or_else(|_| js_sys::Promise::resolve(&JsValue::FALSE)),
    )
    .await
    {
        Ok(v) if v.as_bool() == Some(true) => Some(true),
        _ => match storage.persist() {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        },
    };
    pwa.persisted.try_set(persisted);
    if let Ok(p) = storage.estimate() {
        if let Ok(est) = JsFuture::from(p).await {
            let est: web_sys::StorageEstimate = est.unchecked_into();
            if let (Some(used), Some(quota)) = (est.get_usage(), est.get_quota()) {
                pwa.usage.try_set(Some((used, quota)));
            }
        }
    }
}
