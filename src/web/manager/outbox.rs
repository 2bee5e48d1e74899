//! The outbox: submitted results, whether each has been sent, and sending
//! the chosen ones as one file (the share sheet where the browser can share
//! files, a download otherwise). Nothing is deleted by sending. Where the
//! link named the shop's server, each result also shows whether it reached
//! the shop by itself (`ui::delivery`), with "try again" for one refused.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use uuid::Uuid;

use crate::delivery::{Delivery, OutboxRecord};
use crate::domain::{Response, ResponseStatus};
use crate::exchange::bundle::{write_bundle, Contents, PhotoRecord};
use crate::i18n::{Lang, Msg};
use crate::routes::Route;
use crate::web::manager::team_sync;
use crate::web::ui::autosave::{self, SaveState};
use crate::web::ui::delivery;
use crate::web::ui::empty::EmptyState;
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
        for (meta, bytes) in store.photo_bytes_of(r.id).await.map_err(|e| e.0)? {
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

/// With team sync on, whether each of `results` reached the team database;
/// `None` (no column) with sync off or its state unreadable.
async fn on_team_server(
    store: &storage::Store,
    results: &[Response],
) -> Option<BTreeMap<Uuid, bool>> {
    if !store.sync_settings().await.ok()?.on {
        return None;
    }
    let docs: Vec<String> = results
        .iter()
        .map(|r| crate::sync::documents::response_doc_id(&r.id))
        .collect();
    let reached = team_sync::on_server(store, &docs).await.ok()?;
    Some(results.iter().map(|r| r.id).zip(reached).collect())
}

/// A delivery's state in the words of the person who sent it.
fn delivery_words(d: &Delivery) -> Msg {
    match d {
        Delivery::Delivered { .. } => Msg::DeliveryReached,
        Delivery::Pending { .. } => Msg::DeliveryWaiting,
        Delivery::Failed { .. } => Msg::DeliveryNotAccepted,
    }
}

/// `just_submitted`: the result a shopper has just submitted, confirmed at
/// the top with its one next step (sending it, or word that it sends
/// itself), so submitting and sending happen in one place.
#[component]
pub fn OutboxPage(#[prop(optional, into)] just_submitted: Option<Uuid>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
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
            let on_team_server = on_team_server(&store, &results).await;
            Ok::<_, storage::StorageError>((results, locations, index, on_team_server))
        }
    });
    // Where each answer's delivery to the shop stands, as the pump moves it.
    let changes = delivery::outbox_changes();
    let deliveries = LocalResource::new(move || {
        changes.track();
        async move {
            let store = storage::shared().await?;
            let records = store.outbox().await?;
            Ok::<_, storage::StorageError>(
                records
                    .into_iter()
                    .map(|r| (r.response_id, r))
                    .collect::<BTreeMap<Uuid, OutboxRecord>>(),
            )
        }
    });
    let delivery_of = move |id: Uuid| {
        deliveries
            .get()
            .and_then(|d| d.ok())
            .and_then(|d| d.get(&id).cloned())
    };
    let team_column = move || data.get().and_then(|d| d.ok()).and_then(|d| d.3);
    let try_again = move |id: Uuid| {
        leptos::task::spawn_local(async move {
            let retried = async {
                let store = storage::shared().await?;
                if let Some(mut record) = store.get_outbox(id).await? {
                    record.delivery.retry(platform::now_ms());
                    store.put_outbox(&record).await?;
                }
                Ok::<_, storage::StorageError>(())
            };
            match retried.await {
                Ok(()) => delivery::kick(),
                Err(e) => error.set(Some(e.0)),
            }
        });
    };
    // Ids the user ticked; not-sent results start ticked.
    let chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let save_state = RwSignal::new(SaveState::Saved);
    Effect::new(move |_| {
        if let Some(Ok((results, _, _, _))) = data.get() {
            chosen.set(
                results
                    .iter()
                    .filter(|r| r.status == ResponseStatus::Submitted)
                    .map(|r| r.id)
                    .collect(),
            );
        }
    });

    // Sends the results `pick` chooses as one file.
    let send_these = move |pick: &dyn Fn(&Uuid) -> bool| {
        let Some(Ok((results, _, _, _))) = data.get_untracked() else {
            return;
        };
        let picked: Vec<Response> = results.into_iter().filter(|r| pick(&r.id)).collect();
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
    let send = move |_| chosen.with_untracked(|c| send_these(&|id| c.contains(id)));

    // The confirmation of the result just submitted, once it is read.
    let confirmation = move || {
        let id = just_submitted?;
        // Read in place: the outbox's whole list is not copied for one row.
        let (r, title, score, place) = data.with(|loaded| {
            let (results, locations, index, _) = loaded.as_ref()?.as_ref().ok()?;
            let r = results.iter().find(|r| r.id == id)?.clone();
            let q = index.get(&(r.questionnaire_id.clone(), r.questionnaire_version));
            let title = q.map(|q| q.title.clone()).unwrap_or_default();
            let score = q.and_then(|q| crate::domain::score_audit(q, &r).visit);
            let place = location_name(locations, &r.location_id);
            Some((r, title, score, place))
        })?;
        let when = r.occurred_at();
        let status = r.status;
        Some(view! {
            <section class="notice" aria-labelledby="submitted-heading">
                <h2 id="submitted-heading">{move || i18n.t(Msg::SubmittedSaved)}</h2>
                <p>{move || format!("{} · {} · {}", title.get(i18n.lang.get()), place, when.display(i18n.lang.get()))}</p>
                {score.map(|s| view! {
                    <p>{move || i18n.t(Msg::ColScore)}": "<strong>{move || crate::i18n::format_decimal(s, 2, i18n.lang.get())}</strong></p>
                })}
                {move || match (delivery_of(id), status) {
                    (Some(record), _) => view! {
                        <p>{move || i18n.t(Msg::SendsItself)}</p>
                        <p role="status"><strong>{move || i18n.t(delivery_words(&record.delivery))}</strong></p>
                    }.into_any(),
                    (None, ResponseStatus::Submitted) => view! {
                        <button type="button" class="primary" on:click=move |_| send_these(&|x| *x == id)>
                            {move || i18n.t(Msg::SendResult)}
                        </button>
                        <p class="help">{move || i18n.t(Msg::SendFileHow)}</p>
                    }.into_any(),
                    (None, _) => view! { <p role="status">{move || i18n.t(Msg::AlreadySentAsFile)}</p> }.into_any(),
                }}
                <p><a href=Route::FillStart.to_hash()>{move || i18n.t(Msg::NavNewAudit)}</a></p>
            </section>
        })
    };

    view! {
        <h1>{move || i18n.t(Msg::OutboxTitle)}</h1>
        <p>{move || i18n.t(Msg::OutboxIntro)}</p>
        {move || notice.get().map(|n| view! { <p role="status" class="notice">{n}</p> })}
        {confirmation}
        {move || error.get().map(|e| view! { <div role="alert" class="error"><p>{e}</p></div> })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok((results, _, _, _)) if results.is_empty() => view! {
                    <EmptyState icon="send" text=Msg::NothingToSend href=Route::FillStart.to_hash() action=Msg::NavNewAudit />
                }.into_any(),
                Ok((results, locations, index, _)) => view! {
                    <div class="table-scroll" tabindex="0">
                        <table>
                            <caption>{move || i18n.t(Msg::OutboxTitle)}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::SelectResult)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColDate)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColChecklist)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColStatus)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColDelivery)}</th>
                                {move || team_column().map(|_| view! { <th scope="col">{move || i18n.t(Msg::ColTeamServer)}</th> })}
                            </tr></thead>
                            <tbody>
                                {results.into_iter().map(|r| {
                                    let id = r.id;
                                    let title = index.get(&(r.questionnaire_id.clone(), r.questionnaire_version)).map(|q| q.title.clone()).unwrap_or_default();
                                    let when = r.occurred_at();
                                    let place = location_name(&locations, &r.location_id);
                                    let status = r.status;
                                    let exported_at = r.updated_at;
                                    let name_title = title.clone();
                                    let retry_name = move || format!("{}: {} · {}", i18n.t(Msg::DeliveryTryAgain), name_title.get(i18n.lang.get()), when.display(i18n.lang.get()));
                                    let name_title = title.clone();
                                    view! {
                                        <tr>
                                            <td>
                                                <input type="checkbox"
                                                    aria-label=move || format!("{}: {} · {}", i18n.t(Msg::SelectResult), name_title.get(i18n.lang.get()), when.display(i18n.lang.get()))
                                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                                    } />
                                            </td>
                                            <td><a href=Route::Fill(id).to_hash()>{move || when.display(i18n.lang.get())}</a></td>
                                            <td>{move || title.get(i18n.lang.get()).to_owned()}</td>
                                            <td>{place}</td>
                                            <td>{move || match status {
                                                ResponseStatus::Exported => format!("{} {}", i18n.t(Msg::ExportedStatus), exported_at.display(i18n.lang.get())),
                                                _ => i18n.t(Msg::NotSent).to_owned(),
                                            }}</td>
                                            <td>{move || {
                                                let lang = i18n.lang.get();
                                                match delivery_of(id).map(|r| r.delivery) {
                                                    None => view! { <span>{i18n.t(Msg::DeliveryFileOnly)}</span> }.into_any(),
                                                    Some(d @ Delivery::Delivered { .. }) => view! { <span>{i18n.t(delivery_words(&d))}</span> }.into_any(),
                                                    Some(d @ Delivery::Pending { .. }) => {
                                                        let why = d.problem().map(|p| p.message(lang));
                                                        view! {
                                                            <span>{i18n.t(delivery_words(&d))}</span>
                                                            {why.map(|w| view! { <p class="help">{w}</p> })}
                                                        }.into_any()
                                                    }
                                                    Some(Delivery::Failed { refusal, .. }) => view! {
                                                        <span>{i18n.t(Msg::DeliveryNotAccepted)}</span>
                                                        <p class="help">{refusal.message(lang)}</p>
                                                        <button type="button" aria-label=retry_name.clone() on:click=move |_| try_again(id)>{i18n.t(Msg::DeliveryTryAgain)}</button>
                                                    }.into_any(),
                                                }
                                            }}</td>
                                            {move || team_column().map(|m| {
                                                let reached = m.get(&id).copied().unwrap_or(false);
                                                view! { <td>{move || i18n.t(if reached { Msg::TeamServerReached } else { Msg::TeamServerWaiting })}</td> }
                                            })}
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
