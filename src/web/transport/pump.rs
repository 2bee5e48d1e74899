//! The browser's side of a field device's outbox: what makes
//! [`crate::delivery::deliver_record`] run. One pump per page, in the
//! courier (`web::courier`), the module the customer's lean page and the
//! full app both load to deliver, so when a device tries again is decided
//! once:
//!
//! - at once, for every pending answer, when the pump starts (the page
//!   loaded: a link opened again), when the browser says it is `online`,
//!   when the page becomes visible again, and when a new answer is queued
//!   ([`Pump::kick`]);
//! - on a timer set for the earliest retry time the back-off gave, for the
//!   answers then due only.
//!
//! One run at a time: an event during a run asks for one more run after
//! it, so two runs never send the same document at once. The page's other
//! wasm instances (the customer's page, the shell, the manager's module)
//! follow it through a window event ([`CHANGED_EVENT`]) and ask it to try
//! again through the courier's `start` export.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::delivery::{
    deliver_record, next_wake_ms, status_note, Allowed, Courier, OutboxRecord, ServerConfig,
};
use crate::replication::http::{Request, Response, TransportError};
use crate::web::platform::now_ms;

/// On the window after every step the pump stores, a `CustomEvent` whose
/// `detail` is the record's [`crate::delivery::status_note`]: the pump
/// runs in the courier, a wasm instance of its own, and the thank-you and
/// the outbox screen follow it through this event.
pub const CHANGED_EVENT: &str = "servicelens-outbox-changed";

/// [`CHANGED_EVENT`] for `record`, its status as a
/// [`crate::delivery::status_note`] in the event's `detail`.
fn announce(record: &OutboxRecord) {
    let init = web_sys::CustomEventInit::new();
    let note = status_note(record.response_id, record.delivery.status());
    init.set_detail(&JsValue::from_str(&note));
    if let (Some(window), Ok(event)) = (
        web_sys::window(),
        web_sys::CustomEvent::new_with_event_init_dict(CHANGED_EVENT, &init),
    ) {
        let _ = window.dispatch_event(&event);
    }
}

/// Where a device keeps its outbox (`schema::OUTBOX`).
// Browser code on one thread: the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait OutboxStore: 'static {
    /// Every record; an unreadable one is left out (and left stored).
    async fn records(&self) -> Result<Vec<OutboxRecord>, String>;
    async fn keep(&self, record: &OutboxRecord) -> Result<(), String>;
}

/// Drives a device's outbox; see the module docs.
pub struct Pump<S: OutboxStore> {
    store: S,
    running: Cell<bool>,
    /// An event came during a run: run again, every pending answer.
    again: Cell<bool>,
    timer: Cell<Option<i32>>,
}

impl<S: OutboxStore> Pump<S> {
    /// Starts the pump over `store`: listens to `online` and to the page
    /// becoming visible, and tries every pending answer now.
    pub fn start(store: S) -> Rc<Pump<S>> {
        let pump = Rc::new(Pump {
            store,
            running: Cell::new(false),
            again: Cell::new(false),
            timer: Cell::new(None),
        });
        if let Some(window) = web_sys::window() {
            let p = pump.clone();
            listen(&window, "online", move || p.kick());
            let p = pump.clone();
            listen(&window, "visibilitychange", move || {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                if visible {
                    p.kick();
                }
            });
        }
        pump.kick();
        pump
    }

    /// Stores a new answer's record, then tries it: kept before anything
    /// is sent, so a closed page or a crash loses nothing.
    pub async fn queue(self: &Rc<Self>, record: &OutboxRecord) -> Result<(), String> {
        self.store.keep(record).await?;
        self.notify(record);
        self.kick();
        Ok(())
    }

    fn notify(&self, record: &OutboxRecord) {
        announce(record);
    }

    /// Tries every pending answer now (or right after the run under way).
    pub fn kick(self: &Rc<Self>) {
        self.spawn(true);
    }

    fn spawn(self: &Rc<Self>, every_pending: bool) {
        if self.running.get() {
            self.again.set(true);
            return;
        }
        self.running.set(true);
        let pump = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut every = every_pending;
            loop {
                pump.again.set(false);
                let wake = pump.run(every).await;
                if !pump.again.get() {
                    pump.running.set(false);
                    pump.arm(wake);
                    break;
                }
                every = true;
            }
        });
    }

    /// One pass over the outbox; returns when to wake next.
    async fn run(&self, every_pending: bool) -> Option<u64> {
        let Ok(mut records) = self.store.records().await else {
            // The database is unavailable: the next event tries again.
            return None;
        };
        let own = crate::web::platform::own_origin();
        let courier = PageCourier {
            pump: self,
            own: &own,
        };
        for record in records.iter_mut() {
            // Every pending answer is due at the end of time.
            let at = if every_pending { u64::MAX } else { now_ms() };
            if record.delivery.due(at) {
                // A failed write stops this answer here; it is tried again
                // from what was last stored.
                let _ = deliver_record(record, &courier).await;
            }
        }
        next_wake_ms(&records)
    }

    /// Sets the timer for `wake` (ms since the epoch), replacing any.
    fn arm(self: &Rc<Self>, wake: Option<u64>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(id) = self.timer.take() {
            window.clear_timeout_with_handle(id);
        }
        let Some(wake) = wake else { return };
        // setTimeout takes an i32 of ms; a later wake is re-armed on firing.
        let delay = wake.saturating_sub(now_ms()).min(i32::MAX as u64) as i32;
        let pump = self.clone();
        let fire = Closure::once_into_js(move || {
            pump.timer.set(None);
            pump.spawn(false);
        });
        if let Ok(id) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(fire.unchecked_ref(), delay)
        {
            self.timer.set(Some(id));
        }
    }
}

fn listen(window: &web_sys::Window, event: &str, f: impl FnMut() + 'static) {
    let handler = Closure::<dyn FnMut()>::new(f);
    let _ = window.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    // Listens for the life of the page.
    handler.forget();
}

struct PageCourier<'a, S: OutboxStore> {
    pump: &'a Pump<S>,
    own: &'a str,
}

impl<S: OutboxStore> Courier for PageCourier<'_, S> {
    async fn send(
        &self,
        server: &ServerConfig,
        request: &Request,
    ) -> Result<Response, TransportError> {
        // Field devices hold no password: the inbox takes anonymous creates.
        super::send(
            request,
            server.url(),
            None,
            &Allowed::new(self.own, Some(server)),
        )
        .await
    }

    async fn keep(&self, record: &OutboxRecord) -> Result<(), String> {
        self.pump.store.keep(record).await?;
        self.pump.notify(record);
        Ok(())
    }

    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn random(&self) -> u32 {
        (js_sys::Math::random() * 4_294_967_296.0) as u32
    }
}
