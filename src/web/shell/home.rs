use leptos::prelude::*;

use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::questionnaire_index;
use crate::web::ui::status::{Loading, StorageFailure};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let drafts = LocalResource::new(|| async {
        let store = storage::shared().await?;
        let index = questionnaire_index(&store).await?;
        let mut drafts: Vec<_> = store
            .responses()
            .await?
            .into_iter()
            .filter(|r| r.is_draft())
            .collect();
        drafts.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        let titled: Vec<_> = drafts
            .into_iter()
            .map(|r| {
                let title = index
                    .get(&(r.questionnaire_id.clone(), r.questionnaire_version))
                    .map(|q| q.title.clone())
                    .unwrap_or_default();
                (r, title)
            })
            .collect();
        Ok::<_, storage::StorageError>(titled)
    });
    view! {
        <h1>{move || i18n.t(Msg::HomeTitle)}</h1>
        <p>{move || i18n.t(Msg::HomeIntro)}</p>
        <p><a class="button primary" href=Route::FillStart.to_hash()>{move || i18n.t(Msg::StartAudit)}</a></p>
        <section aria-labelledby="drafts-heading">
            <h2 id="drafts-heading">{move || i18n.t(Msg::Drafts)}</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || drafts.get().map(|res| match res {
                    Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(Msg::NoDrafts)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|(r, title)| {
                                let when = r.updated_at.local_date_time();
                                view! {
                                    <li>
                                        <a href=Route::Fill(r.id).to_hash()>
                                            {move || format!("{}: {} · {}", i18n.t(Msg::ContinueDraft), title.get(i18n.lang.get()), when)}
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
