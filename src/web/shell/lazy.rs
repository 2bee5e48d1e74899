//! Loads the manager's module (`web::manager`, a wasm binary of its own,
//! through `platform::module`) when one of its screens opens, and mounts
//! it into a container here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::i18n::Msg;
use crate::web::platform::module::{call, exports, ready_exports, MANAGER};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::Loading;

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
            match exports(MANAGER).await {
                // The route may have left the manager's screens meanwhile.
                Ok(_) if !alive.load(Ordering::SeqCst) => {}
                Ok(exports) => match call(&exports, "mount", &[el.into()]) {
                    Ok(_) => {
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
            if let Some(exports) = ready_exports(MANAGER) {
                let _ = call(&exports, "unmount", &[JsValue::UNDEFINED]);
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
