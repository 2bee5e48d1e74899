use leptos::prelude::*;

use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn Nav(route: ReadSignal<Route>) -> impl IntoView {
    let i18n = use_i18n();
    let item = move |target: Route, msg: Msg| {
        let href = target.to_hash();
        let target = target.clone();
        let current = move || {
            let r = route.get();
            let active = r == target
                || (target == Route::FillStart && matches!(r, Route::Fill(_)))
                || (target == Route::Questionnaires && matches!(r, Route::Edit { .. }))
                || (target == Route::Settings && matches!(r, Route::People | Route::Exchange(_)))
                || (target == Route::Distribute && matches!(r, Route::Poster { .. }))
                || (matches!(target, Route::Dashboard(_))
                    && matches!(
                        r,
                        Route::Dashboard(_) | Route::Responses(_) | Route::ResponseDetail(_)
                    ));
            active.then_some("page")
        };
        view! {
            <li><a href=href aria-current=current>{move || i18n.t(msg)}</a></li>
        }
    };
    view! {
        <header class="app-header">
            <span class="brand">{move || i18n.t(Msg::AppName)}</span>
            <nav aria-label=move || i18n.t(Msg::MainNavigation)>
                <ul>
                    {item(Route::Home, Msg::NavHome)}
                    {item(Route::FillStart, Msg::NavFill)}
                    {item(Route::Outbox, Msg::NavOutbox)}
                    {item(Route::Questionnaires, Msg::NavQuestionnaires)}
                    {item(Route::Distribute, Msg::NavDistribute)}
                    {item(Route::dashboard(), Msg::NavDashboard)}
                    {item(Route::Inbox, Msg::NavInbox)}
                    {item(Route::Settings, Msg::NavSettings)}
                </ul>
            </nav>
        </header>
    }
}
