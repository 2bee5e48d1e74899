//! Joining the team from a link (`#/join/<payload>`, `crate::sync::join`):
//! shows which server and user the link brings, says that it holds the
//! password, and stores them on this device only when the manager says so,
//! with team sync turned on.

use leptos::prelude::*;

use crate::i18n::{self, Msg};
use crate::routes::Route;
use crate::sync::join::read_join;
use crate::sync::SyncSettings;
use crate::web::manager::team_sync;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn JoinPage(payload: String) -> impl IntoView {
    let i18n = use_i18n();
    let read = read_join(&payload);
    let saved = RwSignal::new(false);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let replacing = LocalResource::new(move || async move {
        let store = storage::shared().await.ok()?;
        store.inbox_server().await.ok()?
    });
    view! {
        <h1>{move || i18n.t(Msg::JoinTitle)}</h1>
        {match read {
            Err(e) => view! { <p role="alert" class="error">{move || e.message(i18n.lang.get())}</p> }.into_any(),
            Ok(settings) => {
                let url = settings.server.url().to_owned();
                let db = settings.server.team_db().to_owned();
                let user = settings.user.clone();
                let keep = settings.clone();
                let join = move |_| {
                    let settings = keep.clone();
                    leptos::task::spawn_local(async move {
                        let result = async {
                            let store = storage::shared().await?;
                            store.put_inbox_server(&settings).await?;
                            store.put_sync_settings(&SyncSettings { on: true }).await
                        };
                        match result.await {
                            Ok(()) => {
                                saved.set(true);
                                team_sync::keep_syncing();
                            }
                            Err(e) => error.set(Some(e.0)),
                        }
                    });
                };
                view! {
                    <p>{move || i18n::join_offer(i18n.lang.get(), &url, &db, &user)}</p>
                    <div class="warning" role="note"><p>{move || i18n.t(Msg::JoinHoldsPassword)}</p></div>
                    {move || replacing.get().flatten().map(|_| view! { <p>{move || i18n.t(Msg::JoinReplaces)}</p> })}
                    {move || if saved.get() {
                        view! {
                            <p role="status" class="notice">{move || i18n.t(Msg::JoinDone)}</p>
                            <p><a href=Route::Sync.to_hash()>{move || i18n.t(Msg::SyncTitle)}</a></p>
                        }.into_any()
                    } else {
                        view! { <button type="button" class="primary" on:click=join.clone()>{move || i18n.t(Msg::JoinUse)}</button> }.into_any()
                    }}
                    {move || error.get().map(|e| view! { <p role="alert" class="error">{e}</p> })}
                }.into_any()
            }
        }}
    }
}
