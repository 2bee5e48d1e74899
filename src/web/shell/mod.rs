//! The shell (`index.html`): the app's first download. A fragment router,
//! the navigation and banners, the kiosk's PIN gate, and the screens a
//! shopper or a first visit needs (home, fill, the link landing, kiosk,
//! settings); every manager's screen is shown by the manager's module,
//! loaded on demand (`lazy`). Screens read and write through
//! `crate::web::storage` and compute through the pure core; they hold no
//! rules of their own.

mod banners;
mod fill;
mod fill_start;
mod home;
mod kiosk;
mod lazy;
mod link;
mod nav;
mod not_found;
mod pwa;
mod role;
mod settings;

use leptos::prelude::*;

use crate::routes::Route;
use crate::web::ui::i18n::provide_i18n;
use fill::FillPage;
use fill_start::FillStartPage;
use home::HomePage;
use kiosk::{provide_kiosk, KioskPage, PinPrompt};
use link::form::FormLinkPage;
use link::short::ShortLinkPage;
use link::LinkPage;
use nav::Nav;
use not_found::NotFoundPage;
use settings::SettingsPage;

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    provide_i18n();
    pwa::provide_pwa();
    // Answers a kiosk or shopper left waiting go out as the app opens.
    crate::web::ui::delivery::start();
    let (route, set_route) = crate::web::ui::route::hash_route();
    // The kiosk switches route and kiosk state together (no PIN prompt in
    // between), so the hashchange that follows must not rebuild the page.
    let kiosk = provide_kiosk(set_route);
    let role = role::provide_role();
    // A device's first screen decides whose it is (`crate::menu`).
    Effect::new(move |_| {
        let decided = route.with(|r| crate::menu::on_open(role.role.get_untracked(), r));
        role.decide(decided);
    });
    let menu = Memo::new(move |_| route.with(|r| crate::menu::shown(role.role.get(), r)));
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
            {move || menu.get().map(|role| view! { <Nav route=route role /> })}
            <banners::Banners />
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

fn page(route: Route) -> AnyView {
    match route {
        r if r.in_manager_module() => view! { <lazy::ManagerHost /> }.into_any(),
        Route::Home => view! { <HomePage /> }.into_any(),
        Route::FillStart => view! { <FillStartPage /> }.into_any(),
        Route::Fill(id) => view! { <FillPage id=id /> }.into_any(),
        Route::Settings => view! { <SettingsPage /> }.into_any(),
        Route::Link(payload) => view! { <LinkPage payload /> }.into_any(),
        Route::ShortLink { name, location } => view! { <ShortLinkPage name location /> }.into_any(),
        Route::FormLink {
            name,
            target,
            location,
        } => view! { <FormLinkPage name target location /> }.into_any(),
        Route::Kiosk => view! { <KioskPage /> }.into_any(),
        _ => view! { <NotFoundPage /> }.into_any(),
    }
}
