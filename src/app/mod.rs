//! The Leptos UI: an app shell, a fragment router and one page per screen.
//! Pages read and write through `crate::storage` and compute through
//! `crate::domain`; they hold no rules of their own.

// The respondent page (`crate::respondent`) builds on these three.
pub(crate) mod autosave;
pub(crate) mod components;
pub(crate) mod contexts;
mod pages;
mod pwa;
mod resources;

use leptos::prelude::*;

use crate::platform;
use crate::respondent::link::LinkPage;
use crate::routes::Route;
use components::nav::Nav;
use contexts::i18n::provide_i18n;
use pages::{
    dashboard::DashboardPage, editor::EditorPage, fill::FillPage, fill_start::FillStartPage,
    home::HomePage, library::LibraryPage, not_found::NotFoundPage, outbox::OutboxPage,
    settings::SettingsPage,
};

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    pwa::provide_pwa();
    let (route, set_route) = signal(Route::parse(&platform::current_hash()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::parse(&platform::current_hash()));
    });
    on_cleanup(move || listener.remove());

    view! {
        <Nav route=route />
        <components::banners::Banners />
        <main id="main">
            {move || match route.get() {
                Route::Home => view! { <HomePage /> }.into_any(),
                Route::FillStart => view! { <FillStartPage /> }.into_any(),
                Route::Fill(id) => view! { <FillPage id=id /> }.into_any(),
                Route::Dashboard => view! { <DashboardPage /> }.into_any(),
                Route::Settings => view! { <SettingsPage /> }.into_any(),
                Route::Questionnaires => view! { <LibraryPage /> }.into_any(),
                Route::Edit { id, version } => view! { <EditorPage id version /> }.into_any(),
                Route::Link(payload) => view! { <LinkPage payload /> }.into_any(),
                Route::Outbox => view! { <OutboxPage /> }.into_any(),
                Route::NotFound => view! { <NotFoundPage /> }.into_any(),
            }}
        </main>
    }
}

pub const DEFAULT_LOCATION_ID: &str = "loc-main";
