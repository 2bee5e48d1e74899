//! The Leptos UI: an app shell, a fragment router and one page per screen.
//! Pages read and write through `crate::storage` and compute through
//! `crate::domain`; they hold no rules of their own.

// The respondent page (`crate::respondent`) builds on these three.
pub(crate) mod autosave;
pub(crate) mod components;
pub(crate) mod contexts;
mod dashboard_data;
mod lazy;
pub mod manager;
pub(crate) mod pages;
mod pwa;
mod resources;

use leptos::prelude::*;

use crate::platform;
use crate::respondent::link::LinkPage;
use crate::routes::Route;
use components::nav::Nav;
use contexts::i18n::provide_i18n;
use pages::{
    fill::FillPage,
    fill_start::FillStartPage,
    home::HomePage,
    kiosk::{provide_kiosk, KioskPage, PinPrompt},
    not_found::NotFoundPage,
    settings::SettingsPage,
    short_link::ShortLinkPage,
};

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    pwa::provide_pwa();
    let (route, set_route) = hash_route();
    // The kiosk switches route and kiosk state together (no PIN prompt in
    // between), so the hashchange that follows must not rebuild the page.
    let kiosk = provide_kiosk(set_route);
    // The screen to show. The manager's screens are one here: the module
    // that shows them follows the hash itself, so moving between them (or
    // changing a dashboard filter) neither remounts nor reloads it.
    let screen = Memo::new(move |_| {
        let r = route.get();
        if r.in_manager_module() {
            Route::dashboard()
        } else {
            r
        }
    });

    // While a kiosk runs, no manager chrome and every other route asks for
    // the PIN; nothing at all until the kiosk state is read from storage.
    let gated = move || {
        kiosk
            .loaded
            .get()
            .then(|| crate::kiosk::gate(screen.get(), kiosk.setup.with(Option::is_some)))
    };
    let in_kiosk = move || kiosk.setup.with(Option::is_some);

    view! {
        <Show when=move || kiosk.loaded.get() && !in_kiosk()>
            <Nav route=route />
            <components::banners::Banners />
        </Show>
        <main id="main">
            {move || match gated() {
                None => ().into_any(),
                Some(crate::kiosk::Gate::AskPin(_)) => view! { <PinPrompt /> }.into_any(),
                Some(crate::kiosk::Gate::Show(route)) => page(route),
            }}
        </main>
    }
}

/// The route in the URL fragment, followed through `hashchange`; the
/// setter lets the kiosk switch route and state in one go.
fn hash_route() -> (ReadSignal<Route>, WriteSignal<Route>) {
    let (route, set_route) = signal(Route::parse(&platform::current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let new = Route::parse(&platform::current_hash());
        if route.with_untracked(|r| *r != new) {
            set_route.set(new);
        }
    });
    on_cleanup(move || listener.remove());
    (route, set_route)
}

fn page(route: Route) -> AnyView {
    match route {
        r if r.in_manager_module() => view! { <lazy::ManagerHost /> }.into_any(),
        Route::Home => view! { <HomePage /> }.into_any(),
        Route::FillStart => view! { <FillStartPage /> }.into_any(),
        Route::Fill(id) => view! { <FillPage id=id /> }.into_any(),
        Route::Settings => view! { <SettingsPage /> }.into_any(),
        Route::Link(payload) => view! { <LinkPage payload /> }.into_any(),
        Route::ShortLink { name, location } => view! { <ShortLinkPage name location /> }.into_any(),
        Route::Kiosk => view! { <KioskPage /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
}

pub const DEFAULT_LOCATION_ID: &str = "loc-main";
