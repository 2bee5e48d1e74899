//! Choose a checklist and a location, and start a visit: the draft is stored
//! before the form opens, so even an untouched visit survives a reload.

use leptos::prelude::*;
use uuid::Uuid;

use crate::app::components::status::StorageFailure;
use crate::app::contexts::i18n::use_i18n;
use crate::app::resources::locations_or_default;
use crate::app::DEFAULT_LOCATION_ID;
use crate::domain::{QuestionnaireKind, Response};
use crate::i18n::Msg;
use crate::routes::Route;
use crate::{platform, storage, templates};

#[component]
pub fn FillStartPage() -> impl IntoView {
    let i18n = use_i18n();
    let checklists: Vec<_> = templates::built_in()
        .into_iter()
        .filter(|q| q.kind == QuestionnaireKind::Audit)
        .collect();
    let chosen = RwSignal::new(checklists.first().map(|q| q.id.clone()).unwrap_or_default());
    let location = RwSignal::new(DEFAULT_LOCATION_ID.to_owned());
    let error = RwSignal::new(None::<String>);
    let lang = i18n.lang.get_untracked();
    let locations = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        locations_or_default(&store, lang).await
    });

    let start = move |_| {
        let Some(q) = templates::built_in()
            .into_iter()
            .find(|q| q.id == chosen.get_untracked())
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
                {checklists.into_iter().map(|q| {
                    let title = q.title.clone();
                    view! { <option value=q.id.clone()>{move || title.get(i18n.lang.get()).to_owned()}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for="start-location">{move || i18n.t(Msg::Location)}</label>
            <select id="start-location" on:change=move |ev| location.set(event_target_value(&ev))>
                {move || locations.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| {
                    let selected = l.id == location.get_untracked();
                    view! { <option value=l.id selected=selected>{l.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <button type="button" class="primary" on:click=start>{move || i18n.t(Msg::StartAudit)}</button>
        {move || error.get().map(|e| view! { <StorageFailure detail=e /> })}
    }
}
