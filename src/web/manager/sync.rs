//! Team sync (`#/sync`, reached from Settings): the team server it uses
//! (set on the inbox screen), turning sync on and off, "Test connection",
//! "Sync now" with a progress bar, when this device last synced, what
//! waits to go out, and what went wrong in plain words. While sync is on,
//! the manager's module keeps syncing in the background
//! ([`team_sync::keep_syncing`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use crate::distribution::qr::{self, Ecl};
use crate::i18n::{self, Msg};
use crate::inbox::settings::ManagerInbox;
use crate::routes::Route;
use crate::sync::replica::Refusal;
use crate::sync::SyncSettings;
use crate::web::manager::team_sync::{self, Phase, Progress};
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;

#[derive(Clone, Default)]
struct Loaded {
    server: Option<ManagerInbox>,
    settings: SyncSettings,
    status: team_sync::Status,
}

async fn load() -> Result<Loaded, String> {
    let store = storage::shared().await.map_err(|e| e.0)?;
    let status = team_sync::status(&store).await.map_err(|e| e.0)?;
    Ok(Loaded {
        server: store.inbox_server().await.map_err(|e| e.0)?,
        settings: store.sync_settings().await.map_err(|e| e.0)?,
        status,
    })
}

#[component]
pub fn SyncPage() -> impl IntoView {
    let i18n = use_i18n();
    let data: RwSignal<Option<Loaded>> = RwSignal::new(None);
    let load_error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let progress: RwSignal<Option<Progress>> = RwSignal::new(None);
    let note: RwSignal<Option<Result<String, String>>> = RwSignal::new(None);

    let reload = move || {
        leptos::task::spawn_local(async move {
            match load().await {
                Ok(l) => data.set(Some(l)),
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    reload();
    // A background sync (sync on) changes what this screen shows: read it
    // again after each, for as long as the screen is open.
    let open = Arc::new(AtomicBool::new(true));
    {
        let open = open.clone();
        leptos::task::spawn_local(async move {
            let mut seen = team_sync::finished_count();
            while open.load(Ordering::Relaxed) {
                crate::web::platform::sleep(500).await;
                let now = team_sync::finished_count();
                if now != seen && open.load(Ordering::Relaxed) && !busy.get_untracked() {
                    seen = now;
                    reload();
                }
            }
        });
    }
    on_cleanup(move || open.store(false, Ordering::Relaxed));

    let sync_now = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        note.set(None);
        leptos::task::spawn_local(async move {
            let lang = i18n.lang.get_untracked();
            let result = match storage::shared().await {
                Ok(store) => {
                    let on_progress = move |p: Progress| progress.set(Some(p));
                    team_sync::sync_now(&store, &on_progress)
                        .await
                        .map(|s| i18n::sync_done(lang, s.sent, s.received, s.conflicts))
                        .map_err(|e| e.message(lang))
                }
                Err(e) => Err(e.0),
            };
            progress.set(None);
            note.set(Some(result));
            busy.set(false);
            reload();
        });
    };

    let test = move |_| {
        let Some(server) = data.get_untracked().and_then(|d| d.server) else {
            return;
        };
        busy.set(true);
        note.set(None);
        leptos::task::spawn_local(async move {
            let lang = i18n.lang.get_untracked();
            let result = team_sync::test_connection(&server, lang)
                .await
                .map(|()| Msg::SyncConnectionOk.text(lang).to_owned());
            note.set(Some(result));
            busy.set(false);
        });
    };

    let set_on = move |on: bool| {
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_sync_settings(&SyncSettings { on }).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    if on {
                        team_sync::keep_syncing();
                    }
                    reload();
                }
                Err(e) => note.set(Some(Err(e.0))),
            }
        });
    };

    let body = move || {
        let Some(d) = data.get() else {
            return load_error
                .get()
                .map(|e| view! { <p role="alert" class="error">{e}</p> }.into_any())
                .unwrap_or_else(|| view! { <p>{move || i18n.t(Msg::Loading)}</p> }.into_any());
        };
        let Some(server) = d.server.clone() else {
            return view! {
                <p>{move || i18n.t(Msg::SyncNeedsServer)}</p>
                <p><a href=Route::Inbox.to_hash()>{move || i18n.t(Msg::SetUpTeamServer)}</a></p>
            }
            .into_any();
        };
        let on = d.settings.on;
        let url = server.server.url().to_owned();
        let db = server.server.team_db().to_owned();
        let last = d.status.last_sync;
        let waiting = d.status.waiting;
        let refused = d.status.refused.clone();
        view! {
            <section aria-labelledby="sync-server-heading">
                <h2 id="sync-server-heading">{move || i18n.t(Msg::TeamServerHeading)}</h2>
                <p>{move || i18n::sync_server(i18n.lang.get(), &url, &db)}</p>
                <p><a href=Route::Inbox.to_hash()>{move || i18n.t(Msg::ChangeTeamServer)}</a></p>
            </section>
            <section aria-labelledby="sync-state-heading">
                <h2 id="sync-state-heading">{move || i18n.t(Msg::SyncStateHeading)}</h2>
                <p role="status">{move || i18n.t(if on { Msg::SyncIsOn } else { Msg::SyncIsOff })}</p>
                <p>{
                    move || match last {
                        Some(t) => { let lang = i18n.lang.get(); i18n::sync_last(lang, &t.display(lang)) }
                        None => i18n.t(Msg::SyncNever).to_owned(),
                    }
                }</p>
                <p>{move || i18n::sync_waiting(i18n.lang.get(), waiting)}</p>
                <div class="actions">
                    <button type="button" class="primary" on:click=sync_now disabled=move || busy.get()>
                        {move || i18n.t(Msg::SyncNow)}
                    </button>
                    <button type="button" on:click=test disabled=move || busy.get()>
                        {move || i18n.t(Msg::TestConnection)}
                    </button>
                    {if on {
                        view! { <button type="button" on:click=move |_| set_on(false)>{move || i18n.t(Msg::TurnSyncOff)}</button> }.into_any()
                    } else {
                        view! { <button type="button" on:click=move |_| set_on(true)>{move || i18n.t(Msg::TurnSyncOn)}</button> }.into_any()
                    }}
                </div>
            </section>
            <RefusedSection refused=refused />
            <JoinSection server=server />
        }
        .into_any()
    };

    view! {
        <h1>{move || i18n.t(Msg::SyncTitle)}</h1>
        <p>{move || i18n.t(Msg::SyncIntro)}</p>
        {body}
        {move || progress.get().map(|p| {
            let label = move || i18n.t(match p.phase {
                Phase::Sending => Msg::SyncSending,
                Phase::Receiving => Msg::SyncReceiving,
                Phase::Saving => Msg::SyncSaving,
            });
            let max = p.pending.map(|left| (p.done + left).max(1));
            view! {
                <p>{label}</p>
                {match max {
                    Some(max) => view! {
                        <progress max=max.to_string() value=p.done.to_string() aria-label=label></progress>
                    }.into_any(),
                    None => view! { <progress aria-label=label></progress> }.into_any(),
                }}
            }
        })}
        {move || note.get().map(|n| match n {
            Ok(text) => view! { <p role="status" class="notice">{text}</p> }.into_any(),
            Err(text) => view! { <p role="alert" class="error">{text}</p> }.into_any(),
        })}
    }
}

/// The team's documents this device did not take, each with its reason;
/// nothing when there are none.
#[component]
fn RefusedSection(refused: Vec<(String, Refusal)>) -> impl IntoView {
    let i18n = use_i18n();
    (!refused.is_empty()).then(|| {
        view! {
            <section aria-labelledby="sync-refused-heading">
                <h2 id="sync-refused-heading">{move || i18n.t(Msg::SyncRefusedHeading)}</h2>
                <p>{move || i18n.t(Msg::SyncRefusedExplain)}</p>
                <ul aria-labelledby="sync-refused-heading">
                    {refused.into_iter().map(|(id, why)| view! {
                        <li>{move || why.message(&id, i18n.lang.get())}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The join link and its QR code for another manager's device, shown only
/// on request, under the warning that it holds the password.
#[component]
fn JoinSection(server: ManagerInbox) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(false);
    let url = format!(
        "{}{}",
        crate::web::platform::app_url(),
        crate::sync::join::join_fragment(&server)
    );
    view! {
        <section aria-labelledby="join-heading">
            <h2 id="join-heading">{move || i18n.t(Msg::JoinHeading)}</h2>
            <p>{move || i18n.t(Msg::JoinExplain)}</p>
            <div class="warning" role="note"><p>{move || i18n.t(Msg::JoinHoldsPassword)}</p></div>
            {move || if shown.get() {
                let qr = qr::qr_svg(&url, Ecl::M).ok().map(|(svg, _)| qr::svg_data_url(&svg));
                let url = url.clone();
                view! {
                    <div class="field">
                        <label for="join-link">{move || i18n.t(Msg::JoinLinkLabel)}</label>
                        <input id="join-link" type="text" readonly prop:value=url />
                    </div>
                    {qr.map(|src| view! { <figure class="qr"><img src=src alt=move || i18n.t(Msg::JoinQr) /></figure> })}
                }.into_any()
            } else {
                view! { <button type="button" on:click=move |_| shown.set(true)>{move || i18n.t(Msg::JoinShow)}</button> }.into_any()
            }}
        </section>
    }
}
