//! The manager's module: the screens a first visit does not need (the
//! dashboard with Chart.js and the KPI engine, drill-downs, corrective
//! actions, import and export with the XLSX, CSV and bundle readers, the
//! people lists, QR codes and posters, the questionnaire library and
//! editor, the outbox with its bundle writer, the team server and its inbox; `Route::in_manager_module`),
//! built as a wasm binary of their own
//! (`src/bin/manager.rs`). The app loads it only when such a screen opens
//! (`app::lazy::ManagerHost`) and mounts it into a container of its page.
//!
//! It is a second wasm instance with its own reactive state. What it shares
//! with the app goes through the browser: the route through the URL
//! fragment (it follows `hashchange` itself; the app unmounts it when the
//! route leaves its screens), the data through IndexedDB, the language
//! through localStorage, a started kiosk through a window event
//! (`pages::kiosk::start_kiosk`). The app's shell keeps the navigation,
//! banners and the kiosk's PIN gate, which it applies before it ever mounts
//! this module.

use std::any::Any;
use std::cell::RefCell;

use leptos::prelude::*;

mod actions;
mod conflicts;
mod dashboard;
mod data;
mod distribute;
mod editor;
mod exchange;
mod inbox;
mod join;
mod library;
mod links;
mod outbox;
mod people;
mod poster;
mod report;
mod responses;
mod responses_table;
mod share;
mod sync;
pub mod team;
pub mod team_sync;

use crate::dashboard::DashboardQuery;
use crate::routes::Route;
use crate::web::ui::i18n::provide_i18n;
use actions::ActionsPage;
use conflicts::ConflictsPage;
use dashboard::DashboardPage;
use distribute::DistributePage;
use editor::EditorPage;
use exchange::ExchangePage;
use inbox::InboxPage;
use join::JoinPage;
use library::LibraryPage;
use links::LinksPage;
use outbox::OutboxPage;
use people::PeoplePage;
use poster::PosterPage;
use report::VisitReportPage;
use responses::{ResponseDetailPage, ResponsesPage};
use sync::SyncPage;

thread_local! {
    /// The mounted view; dropping it unmounts it and disposes its owner.
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Shows the manager's screen for the current route inside `parent`,
/// replacing what an earlier call mounted.
pub fn mount(parent: web_sys::HtmlElement) {
    console_error_panic_hook::set_once();
    unmount();
    // With sync on, any manager screen keeps the device in sync.
    team_sync::keep_syncing();
    let handle = leptos::mount::mount_to(parent, ManagerScreens);
    MOUNTED.with(|m| *m.borrow_mut() = Some(Box::new(handle)));
}

/// Removes the mounted view, if any.
pub fn unmount() {
    let old = MOUNTED.with(|m| m.borrow_mut().take());
    drop(old);
}

#[component]
fn ManagerScreens() -> impl IntoView {
    provide_i18n();
    let (route, _) = crate::web::ui::route::hash_route();
    // The screen, with the dashboard's filters taken out: changing a filter
    // rewrites the URL but must not remount the dashboard, which would read
    // the store and rebuild the KPI dataset again.
    let screen = Memo::new(move |_| match route.get() {
        Route::Dashboard(_) => Route::dashboard(),
        r => r,
    });
    let dashboard_query = Memo::new(move |prev: Option<&DashboardQuery>| match route.get() {
        Route::Dashboard(q) => q,
        _ => prev.cloned().unwrap_or_default(),
    });
    move || page(screen.get(), dashboard_query)
}

/// The screens of this module; any other route shows nothing here (the app
/// is about to unmount it).
fn page(route: Route, dashboard_query: Memo<DashboardQuery>) -> AnyView {
    match route {
        Route::Dashboard(_) => view! { <DashboardPage query=dashboard_query /> }.into_any(),
        Route::Responses(drill) => view! { <ResponsesPage drill /> }.into_any(),
        Route::ResponseDetail(id) => view! { <ResponseDetailPage id /> }.into_any(),
        Route::VisitReport(id) => view! { <VisitReportPage id /> }.into_any(),
        Route::Distribute => view! { <DistributePage /> }.into_any(),
        Route::Poster {
            size,
            id,
            version,
            location,
        } => view! { <PosterPage size id version location /> }.into_any(),
        Route::People => view! { <PeoplePage /> }.into_any(),
        Route::Actions => view! { <ActionsPage /> }.into_any(),
        Route::Questionnaires => view! { <LibraryPage /> }.into_any(),
        Route::Edit { id, version } => view! { <EditorPage id version /> }.into_any(),
        Route::Links { id, version } => view! { <LinksPage id version /> }.into_any(),
        Route::Outbox => view! { <OutboxPage /> }.into_any(),
        Route::Submitted(id) => view! { <OutboxPage just_submitted=id /> }.into_any(),
        Route::Inbox => view! { <InboxPage /> }.into_any(),
        Route::Conflicts => view! { <ConflictsPage /> }.into_any(),
        Route::Sync => view! { <SyncPage /> }.into_any(),
        Route::Join(payload) => view! { <JoinPage payload /> }.into_any(),
        Route::Exchange(q) => {
            let (today, offset) = crate::web::platform::today_and_offset();
            let filter = q.map(|q| q.filter(today, offset));
            view! { <ExchangePage filter /> }.into_any()
        }
        _ => ().into_any(),
    }
}
