//! Choose a checklist and a location, and start a visit: the draft is stored
//! before the form opens, so even an untouched visit survives a reload.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::Response;
use crate::domain::DEFAULT_LOCATION_ID;
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::{fillable, locations_or_default};
use crate::web::ui::status::StorageFailure;
use crate::web::{platform, storage};

#[component]
pub fn FillStartPage() -> impl IntoView {
    let i18n = use_i18n();
    // "id/version" of the chosen questionnaire; empty means the first one.
    let chosen = RwSignal::new(String::new());
    let location = RwSignal::new(DEFAULT_LOCATION_ID.to_owned());
    let error = RwSignal::new(None::<String>);
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        let locations = locations_or_default(&store, lang).await?;
        Ok::<_, storage::StorageError>((fillable(&store).await?, locations))
    });
    let checklists = move || {
        loaded
            .get()
            .and_then(Result::ok)
            .map(|(q, _)| q)
            .unwrap_or_default()
    };
    let locations = move || {
        loaded
            .get()
            .and_then(Result::ok)
            .map(|(_, l)| l)
            .unwrap_or_default()
    };
    let key = |q: &crate::domain::Questionnaire| format!("{}/{}", q.id, q.version);

    let start = move |_| {
        let want = chosen.get_untracked();
        let Some(q) = checklists()
            .into_iter()
            .find(|q| want.is_empty() || key(q) == want)
        else {
            return;
        };
        let draft = Response::new_draft(
            Uuid::new_v4(),
            &q.id,
            q.version,
            &location.get_untracked(),
            &platform::device_id(),
            platform::now(),
        );
        leptos::task::spawn_local(async move {
            let stored = match storage::shared().await {
                Ok(store) => store.put_response(&draft).await,
                Err(e) => Err(e),
            };
            match stored {
                Ok(()) => platform::set_hash(&Route::Fill(draft.id).to_hash()),
                Err(e) => error.set(Some(e.0)),
            }
        });
    };

    view! {
        <h1>{move || i18n.t(Msg::FillTitle)}</h1>
        <div class="field">
            <label for="start-checklist">{move || i18n.t(Msg::ChooseChecklist)}</label>
            <select id="start-checklist" on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || checklists().into_iter().map(|q| {
                    let title = q.title.clone();
                    let value = key(&q);
                    let selected = value == chosen.get_untracked();
                    view! { <option value=value selected=selected>{move || title.get(i18n.lang.get()).to_owned()}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="start-location">{move || i18n.t(Msg::Location)}</label>
            <select id="start-location" on:change=move |ev| location.set(event_target_value(&ev))>
                {move || locations().into_iter().map(|l| {
                    let selected = l.id == location.get_untracked();
                    view! { <option value=l.id selected=selected>{l.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <button type="button" class="primary" on:click=start>{move || i18n.t(Msg::StartAudit)}</button>
        {move || error.get().map(|e| view! { <StorageFailure detail=e /> })}
    }
}
