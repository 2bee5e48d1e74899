//! Submitted visits with their scores, computed on the fly by the pure
//! scoring module from the stored answers (scores are never stored).

use leptos::prelude::*;

use crate::app::components::status::{Loading, StorageFailure};
use crate::app::contexts::i18n::use_i18n;
use crate::app::resources::{location_name, locations_or_default, questionnaire_index};
use crate::domain::{score_audit, Response};
use crate::i18n::{format_decimal, Msg};
use crate::routes::Route;
use crate::storage;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let data = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        let mut visits: Vec<Response> = store
            .responses()
            .await?
            .into_iter()
            .filter(|r| !r.is_draft())
            .collect();
        visits.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at));
        let locations = locations_or_default(&store, lang).await?;
        let index = questionnaire_index(&store).await?;
        Ok::<_, storage::StorageError>((visits, locations, index))
    });
    view! {
        <h1>{move || i18n.t(Msg::DashboardTitle)}</h1>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok((visits, _, _)) if visits.is_empty() => view! { <p>{move || i18n.t(Msg::NoVisits)}</p> }.into_any(),
                Ok((visits, locations, index)) => view! {
                    <div class="table-scroll">
                        <table>
                            <caption>{move || i18n.t(Msg::Visits)}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.t(Msg::ColDate)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                                    <th scope="col">{move || i18n.t(Msg::ColChecklist)}</th>
                                    <th scope="col" class="num">{move || i18n.t(Msg::ColScore)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {visits.into_iter().map(|r| {
                                    let q = index.get(&(r.questionnaire_id.clone(), r.questionnaire_version)).cloned();
                                    let score = q.as_ref().and_then(|q| score_audit(q, &r).visit);
                                    let title = q.map(|q| q.title).unwrap_or_default();
                                    let when = r.submitted_at.unwrap_or(r.updated_at).local_date_time();
                                    let place = location_name(&locations, &r.location_id);
                                    view! {
                                        <tr>
                                            <td><a href=Route::Fill(r.id).to_hash()>{when}</a></td>
                                            <td>{place}</td>
                                            <td>{move || title.get(i18n.lang.get()).to_owned()}</td>
                                            <td class="num">
                                                {move || score
                                                    .map(|s| format_decimal(s, 2, i18n.lang.get()))
                                                    .unwrap_or_else(|| i18n.t(Msg::NoScore).to_owned())}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Suspense>
    }
}
