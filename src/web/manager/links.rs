//! The links of a published questionnaire version, reached again from the
//! library after the editor is closed: the same links, Copy, Share and QR
//! as right after publishing.

use leptos::prelude::*;

use crate::domain::QuestionnaireKind;
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::manager::share::QuestionnaireLinks;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

#[component]
pub fn LinksPage(id: String, version: u32) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || {
        let id = id.clone();
        async move {
            let store = storage::shared().await?;
            resources::questionnaire(&store, &id, version).await
        }
    });
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
        Some(Ok(Some(q))) if !q.is_editable() => {
            let title = q.title.clone();
            let survey = q.kind == QuestionnaireKind::Survey;
            view! {
                <h1>{move || format!("{}: {}", i18n.t(Msg::OpenLinks), title.get(i18n.lang.get()))}</h1>
                <QuestionnaireLinks questionnaire=Signal::stored(q) />
                {survey.then(|| view! {
                    <p><a href=Route::Distribute.to_hash()>{move || i18n.t(Msg::LinksPostersAndKiosk)}</a></p>
                })}
            }
            .into_any()
        }
        // A draft has no links yet; a version this device does not have,
        // none at all.
        Some(Ok(_)) => view! {
            <p role="alert">{move || i18n.t(Msg::LinksNotPublished)}</p>
            <p><a href=Route::Questionnaires.to_hash()>{move || i18n.t(Msg::LibraryTitle)}</a></p>
        }
        .into_any(),
    }
}
