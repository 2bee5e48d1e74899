//! The outbox: submitted results, whether each has been sent, and sending
//! the chosen ones as one file (the share sheet where the browser can share
//! files, a download otherwise). Nothing is deleted by sending.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{Response, ResponseStatus};
use crate::exchange::bundle::{write_bundle, Contents, PhotoRecord};
use crate::i18n::{Lang, Msg};
use crate::routes::Route;
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::{location_name, locations_or_default, questionnaire_index};
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

/// The bundle of `chosen` responses with what they need to be read on
/// another device: their questionnaire versions, locations and photos.
async fn build_file(chosen: &[Response], lang: Lang) -> Result<String, String> {
    let store = storage::shared().await.map_err(|e| e.0)?;
    let index = questionnaire_index(&store).await.map_err(|e| e.0)?;
    let wanted_locations: BTreeSet<&str> = chosen.iter().map(|r| r.location_id.as_str()).collect();
    let mut contents = Contents {
        responses: chosen.to_vec(),
        locations: store
            .locations()
            .await
            .map_err(|e| e.0)?
            .into_iter()
            .filter(|l| wanted_locations.contains(l.id.as_str()))
            .collect(),
        ..Contents::default()
    };
    let versions: BTreeMap<(String, u32), ()> = chosen
        .iter()
        .map(|r| ((r.questionnaire_id.clone(), r.questionnaire_version), ()))
        .collect();
    contents.questionnaires = versions
        .keys()
        .filter_map(|k| index.get(k).cloned())
        .collect();
    for r in chosen {
        for (meta, blob) in store.photos_of(r.id).await.map_err(|e| e.0)? {
            let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                .await
                .map_err(|e| format!("{e:?}"))?;
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            contents.photos.extend(PhotoRecord::new(&meta, &bytes));
        }
    }
    write_bundle(
        &contents,
        platform::now(),
        &platform::device_id(),
        env!("CARGO_PKG_VERSION"),
    )
    .map_err(|e| e.message(lang))
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let reload = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        reload.track();
        async move {
            let store = storage::shared().await?;
            let mut results: Vec<Response> = store
                .responses()
                .await?
                .into_iter()
                .filter(|r| !r.is_draft())
                .collect();
            crate::dashboard::drill::newest_first(&mut results);
            let locations = locations_or_default(&store, lang).await?;
            let index = questionnaire_index(&store).await?;
            Ok::<_, storage::StorageError>((results, locations, index))
        }
    });
    // Ids the user ticked; not-sent results start ticked.
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let save_state = RwSignal::new(SaveState::Saved);
    Effect::new(move |_| {
        if let Some(Ok((results, _, _))) = data.get() {
            chosen.set(
                results
                    .iter()
                    .filter(|r| r.status == ResponseStatus::Submitted)
                    .map(|r| r.id)
                    .collect(),
            );
        }
    });

    let send = move |_| {
        let Some(Ok((results, _, _))) = data.get_untracked() else {
            return;
        };
        let picked: Vec<Response> =
            chosen.with_untracked(|c| results.into_iter().filter(|r| c.contains(&r.id)).collect());
        if picked.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let file = match build_file(&picked, i18n.lang.get_untracked()).await {
                Ok(f) => f,
                Err(e) => return error.set(Some(e)),
            };
            let name = format!(
                "servicelens-results-{}.json",
                platform::now().local_date_time().replace([' ', ':'], "-")
            );
            if let Err(e) = platform::share_or_download(&name, "application/json", &file).await {
                return error.set(Some(e));
            }
            let now = platform::now();
            for mut r in picked {
                if r.mark_exported(now) && autosave::save_and_wait(r, save_state).await.is_err() {
                    return error.set(Some(i18n.t(Msg::SaveFailed).to_owned()));
                }
            }
            error.set(None);
            notice.set(Some(i18n.t(Msg::Sent).to_owned()));
            reload.update(|n| *n += 1);
        });
    };

    view! {
        <h1>{move || i18n.t(Msg::OutboxTitle)}</h1>
        <p>{move || i18n.t(Msg::OutboxIntro)}</p>
        {move || notice.get().map(|n| view! { <p role="status" class="notice">{n}</p> })}
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok((results, _, _)) if results.is_empty() => view! { <p>{move || i18n.t(Msg::NothingToSend)}</p> }.into_any(),
                Ok((results, locations, index)) => view! {
                    <div class="table-scroll">
                        <table>
                            <caption>{move || i18n.t(Msg::OutboxTitle)}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::SelectResult)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColDate)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColChecklist)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColStatus)}</th>
                            </tr></thead>
                            <tbody>
                                {results.into_iter().map(|r| {
                                    let id = r.id;
                                    let title = index.get(&(r.questionnaire_id.clone(), r.questionnaire_version)).map(|q| q.title.clone()).unwrap_or_default();
                                    let when = r.occurred_at().local_date_time();
                                    let place = location_name(&locations, &r.location_id);
                                    let status = r.status;
                                    let exported_at = r.updated_at.local_date_time();
                                    let name_title = title.clone();
                                    let name_when = when.clone();
                                    view! {
                                        <tr>
                                            <td>
                                                <input type="checkbox"
                                                    aria-label=move || format!("{}: {} · {}", i18n.t(Msg::SelectResult), name_title.get(i18n.lang.get()), name_when)
                                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                                    } />
                                            </td>
                                            <td><a href=Route::Fill(id).to_hash()>{when}</a></td>
                                            <td>{move || title.get(i18n.lang.get()).to_owned()}</td>
                                            <td>{place}</td>
                                            <td>{move || match status {
                                                ResponseStatus::Exported => format!("{} {}", i18n.t(Msg::ExportedStatus), exported_at),
                                                _ => i18n.t(Msg::NotSent).to_owned(),
                                            }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <button type="button" class="primary" on:click=send disabled=move || chosen.with(|c| c.is_empty())>
                        {move || i18n.t(Msg::SendSelected)}
                    </button>
                }.into_any(),
            })}
        </Suspense>
    }
}
