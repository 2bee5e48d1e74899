//! Whether this device runs a kiosk: a context the shell provides and reads
//! at start, and the one way to start a kiosk from either front end.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::kiosk::pin::{self, Attempts, Check, PinHash};
use crate::kiosk::{KioskSetup, ACTIVE_SETTING_KEY};
use crate::routes::Route;
use crate::web::platform;
use crate::web::storage::{self, StorageError};

/// Whether a kiosk runs on this device, read from IndexedDB at start.
#[derive(Clone, Copy)]
pub struct KioskCtx {
    pub setup: RwSignal<Option<KioskSetup>>,
    /// False until the stored state is read: nothing is shown before, so a
    /// reload of a kiosk never flashes a manager screen.
    pub loaded: RwSignal<bool>,
}

pub fn provide_kiosk(set_route: WriteSignal<Route>) -> KioskCtx {
    let ctx = KioskCtx {
        setup: RwSignal::new(None),
        loaded: RwSignal::new(false),
    };
    provide_context(ctx);
    leptos::task::spawn_local(async move {
        let stored = match storage::shared().await {
            Ok(store) => store
                .get_setting::<Option<KioskSetup>>(ACTIVE_SETTING_KEY)
                .await
                .ok()
                .flatten()
                .flatten(),
            Err(_) => None,
        };
        ctx.setup.set(stored);
        ctx.loaded.set(true);
    });
    // The distribution screen lives in the manager's module, a separate
    // wasm instance with its own reactive state: it announces a started
    // kiosk with an event on the window, and this app switches route and
    // kiosk state together, so the router sees the kiosk route with the
    // kiosk on, never the distribution screen behind a PIN.
    let listener = window_event_listener_untyped(KIOSK_STARTED_EVENT, move |ev| {
        let setup = ev
            .dyn_ref::<web_sys::CustomEvent>()
            .and_then(|e| e.detail().as_string())
            .and_then(|json| serde_json::from_str::<KioskSetup>(&json).ok());
        if let Some(setup) = setup {
            ctx.setup.set(Some(setup));
            set_route.set(Route::Kiosk);
            platform::set_hash(&Route::Kiosk.to_hash());
        }
    });
    on_cleanup(move || listener.remove());
    ctx
}

/// The window event by which `start_kiosk` hands a stored kiosk setup (its
/// JSON in `detail`) to the app's shell.
const KIOSK_STARTED_EVENT: &str = "servicelens-kiosk-started";

pub fn use_kiosk() -> KioskCtx {
    expect_context::<KioskCtx>()
}

/// Stores the kiosk's setup and opens it: the app's shell (`provide_kiosk`),
/// told by a window event, shows the kiosk. Works the same from the app and
/// from the manager's module.
pub async fn start_kiosk(setup: KioskSetup) -> Result<(), StorageError> {
    let store = storage::shared().await?;
    store.put_setting(ACTIVE_SETTING_KEY, &Some(&setup)).await?;
    let json = serde_json::to_string(&setup).map_err(|e| StorageError(e.to_string()))?;
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&wasm_bindgen::JsValue::from_str(&json));
    let event = web_sys::CustomEvent::new_with_event_init_dict(KIOSK_STARTED_EVENT, &init)
        .map_err(|e| StorageError(format!("{e:?}")))?;
    if let Some(w) = web_sys::window() {
        let _ = w.dispatch_event(&event);
    }
    Ok(())
}

/// Tries the manager PIN (the kiosk's prompt and Settings both ask it),
/// counting wrong tries in the settings store so that waiting survives a
/// reload (`kiosk::pin::check`).
pub async fn try_pin(typed: &str) -> Result<Check, StorageError> {
    let store = storage::shared().await?;
    let stored = store.get_setting::<PinHash>(pin::SETTING_KEY).await?;
    let mut attempts = store
        .get_setting::<Attempts>(pin::ATTEMPTS_KEY)
        .await?
        .unwrap_or_default();
    let before = attempts;
    let result = pin::check(stored.as_ref(), &mut attempts, typed, platform::now_ms());
    if attempts != before {
        store.put_setting(pin::ATTEMPTS_KEY, &attempts).await?;
    }
    Ok(result)
}
