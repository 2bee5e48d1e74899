use leptos::prelude::*;

use crate::i18n::Msg;
use crate::menu::{self, Item, Role};
use crate::routes::Route;
use crate::web::ui::i18n::use_i18n;

/// The menu of the device's role: a side bar on a laptop; on a phone a
/// bottom bar of the first entries, with the rest in a sheet behind "More".
#[component]
pub fn Nav(route: ReadSignal<Route>, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let items = menu::items(role);
    let more = menu::has_more(&items);
    let open = RwSignal::new(false);
    // A person who picked an entry of the sheet is on the next screen.
    Effect::new(move |_| {
        route.track();
        open.set(false);
    });
    let items = StoredValue::new(items);
    let current = Memo::new(move |_| route.with(|r| items.with_value(|i| menu::current(i, r))));
    let entry = move |index: usize, item: Item| {
        let href = item.route.to_hash();
        let label = item.label;
        let aria_current = move || (current.get() == Some(index)).then_some("page");
        view! {
            <li>
                <a href=href aria-current=aria_current>
                    <span class="icon" data-icon=item.icon aria-hidden="true"></span>
                    <span class="nav-label">{move || i18n.t(label)}</span>
                </a>
            </li>
        }
    };
    let list = move |in_bar: bool| {
        items.with_value(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, i)| i.in_bar == in_bar)
                .map(|(n, i)| entry(n, i.clone()))
                .collect_view()
        })
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    };
    view! {
        <header class="app-header">
            <a class="brand" href="#/">
                <img src="icons/icon.svg" alt="" width="28" height="28" />
                <span>{move || i18n.t(Msg::AppName)}</span>
            </a>
            <nav class="app-nav" aria-label=move || i18n.t(Msg::MainNavigation) on:keydown=on_keydown>
                <ul class="nav-bar">
                    {list(true)}
                    {more.then(|| view! {
                        <li class="nav-more">
                            <button type="button" aria-expanded=move || open.get().to_string() aria-controls="nav-sheet"
                                on:click=move |_| open.update(|o| *o = !*o)>
                                <span class="icon" data-icon="menu" aria-hidden="true"></span>
                                <span class="nav-label">{move || i18n.t(Msg::NavMore)}</span>
                            </button>
                        </li>
                    })}
                </ul>
                {more.then(|| view! {
                    <ul class="nav-sheet" id="nav-sheet" data-open=move || open.get().to_string()>
                        {list(false)}
                    </ul>
                })}
            </nav>
        </header>
    }
}
