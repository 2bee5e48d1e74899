//! The Leptos UI: an app shell, a fragment router and one page per screen.
//! Pages read and write through `crate::storage` and compute through
//! `crate::domain`; they hold no rules of their own.

// The respondent page (`crate::respondent`) builds on these three.
pub(crate) mod autosave;
pub(crate) mod components;
pub(crate) mod contexts;
mod dashboard_data;
pub(crate) mod pages;
mod pwa;
mod resources;

use leptos::prelude::*;

use crate::dashboard::DashboardQuery;
use crate::platform;
use crate::respondent::link::LinkPage;
use crate::routes::Route;
use components::nav::Nav;
use contexts::i18n::provide_i18n;
use pages::{
    actions::ActionsPage,
    dashboard::DashboardPage,
    distribute::DistributePage,
    drill::{ResponseDetailPage, ResponsesPage},
    editor::EditorPage,
    exchange::ExchangePage,
    fill::FillPage,
    fill_start::FillStartPage,
    home::HomePage,
    kiosk::{provide_kiosk, KioskPage, PinPrompt},
    library::LibraryPage,
    not_found::NotFoundPage,
    outbox::OutboxPage,
    people::PeoplePage,
    poster::PosterPage,
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
    let kiosk = provide_kiosk();
    let (route, set_route) = signal(Route::parse(&platform::current_hash()));
    // The kiosk switches route and kiosk state together (no PIN prompt in
    // between), so the hashchange that follows must not rebuild the page.
    provide_context(set_route);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let new = Route::parse(&platform::current_hash());
        if route.with_untracked(|r| *r != new) {
            set_route.set(new);
        }
    });
    on_cleanup(move || listener.remove());
    // The screen to show, with the dashboard's filters taken out: changing a
    // filter rewrites the URL but must not remount the dashboard, which
    // would read the store and rebuild the KPI dataset again.
    let screen = Memo::new(move |_| match route.get() {
        Route::Dashboard(_) => Route::dashboard(),
        r => r,
    });
    let dashboard_query = Memo::new(move |prev: Option<&DashboardQuery>| match route.get() {
        Route::Dashboard(q) => q,
        _ => prev.cloned().unwrap_or_default(),
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
                Some(crate::kiosk::Gate::Show(route)) => page(route, dashboard_query),
            }}
        </main>
    }
}

fn page(route: Route, dashboard_query: Memo<DashboardQuery>) -> AnyView {
    match route {
        Route::Home => view! { <HomePage /> }.into_any(),
        Route::FillStart => view! { <FillStartPage /> }.into_any(),
        Route::Fill(id) => view! { <FillPage id=id /> }.into_any(),
        Route::Dashboard(_) => view! { <DashboardPage query=dashboard_query /> }.into_any(),
        Route::Responses(drill) => view! { <ResponsesPage drill /> }.into_any(),
        Route::ResponseDetail(id) => view! { <ResponseDetailPage id /> }.into_any(),
        Route::Settings => view! { <SettingsPage /> }.into_any(),
        Route::Questionnaires => view! { <LibraryPage /> }.into_any(),
        Route::Edit { id, version } => view! { <EditorPage id version /> }.into_any(),
        Route::Link(payload) => view! { <LinkPage payload /> }.into_any(),
        Route::ShortLink { name, location } => view! { <ShortLinkPage name location /> }.into_any(),
        Route::Distribute => view! { <DistributePage /> }.into_any(),
        Route::Poster {
            size,
            id,
            version,
            location,
        } => view! { <PosterPage size id version location /> }.into_any(),
        Route::Kiosk => view! { <KioskPage /> }.into_any(),
        Route::Outbox => view! { <OutboxPage /> }.into_any(),
        Route::People => view! { <PeoplePage /> }.into_any(),
        Route::Actions => view! { <ActionsPage /> }.into_any(),
        Route::Exchange(q) => {
            let (today, offset) = pages::dashboard::today_and_offset();
            let filter = q.map(|q| q.filter(today, offset));
            view! { <ExchangePage filter /> }.into_any()
        }
        Route::NotFound => view! { <NotFoundPage /> }.into_any(),
    }
}

pub const DEFAULT_LOCATION_ID: &str = "loc-main";
