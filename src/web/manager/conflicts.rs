//! Copies to choose from: every record that a file (or, with team sync, a
//! peer) brought in a copy different from this device's, which the merge
//! kept beside it rather than decide (`exchange::merge`). Each shows the
//! fields in which the two copies differ, side by side, and the person
//! keeps one: `Conflict::resolve` says what the choice stores, and
//! `Store::resolve_conflict` stores it with the conflict's removal in one
//! transaction.

use leptos::prelude::*;

use crate::exchange::merge::{differing_fields, stored_counterpart, Choice, Conflict, Record};
use crate::i18n::{Lang, Msg};
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::{Loading, StorageFailure};

/// One conflict as the screen shows it.
#[derive(Clone)]
struct Shown {
    conflict: Conflict,
    title: String,
    /// `None`: this device no longer holds the record.
    fields: Option<Vec<(String, String, String)>>,
}

/// A name a person recognises the record by.
fn title_of(record: &Record, lang: Lang) -> String {
    let kind = record.kind().label(lang);
    let name = match record {
        Record::Questionnaire(q) => format!("{} (v{})", q.title.get(lang), q.version),
        Record::Response(r) => r.submitted_at.unwrap_or(r.started_at).display(lang),
        Record::Location(l) => l.name.clone(),
        Record::Employee(e) => e.name.clone(),
        Record::Action(a) => a.note.clone(),
        Record::Photo(p) => p.question_id.clone(),
    };
    format!("{kind}: {name}")
}

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let status = RwSignal::new(None::<Result<(), String>>);
    let data = LocalResource::new(move || {
        version.track();
        let lang = i18n.lang.get();
        async move {
            let store = storage::shared().await?;
            let conflicts = store.conflicts().await?;
            let contents = store.export_contents().await?;
            Ok::<_, storage::StorageError>(
                conflicts
                    .into_iter()
                    .map(|c| {
                        let ours = stored_counterpart(&contents, &c.incoming);
                        Shown {
                            title: title_of(&c.incoming, lang),
                            fields: ours.map(|o| differing_fields(&o, &c.incoming)),
                            conflict: c,
                        }
                    })
                    .collect::<Vec<_>>(),
            )
        }
    });
    let choose = move |conflict: Conflict, choice: Choice| {
        leptos::task::spawn_local(async move {
            let Some(changes) = conflict.resolve(choice) else {
                return;
            };
            let stored = async {
                let store = storage::shared().await?;
                store.resolve_conflict(&conflict.key, &changes).await?;
                // A copy from a peer is a CouchDB conflict too: the next
                // sync ends it with this choice.
                let doc = crate::sync::documents::doc_id(&conflict.incoming);
                crate::web::manager::team_sync::decided(&store, &doc).await
            };
            status.set(Some(stored.await.map_err(|e| e.0)));
            version.update(|v| *v += 1);
        });
    };
    view! {
        <h1>{move || i18n.t(Msg::ConflictsTitle)}</h1>
        <p>{move || i18n.t(Msg::ConflictsIntro)}</p>
        {move || status.get().map(|s| match s {
            Ok(()) => view! { <p role="status">{move || i18n.t(Msg::ConflictChosen)}</p> }.into_any(),
            Err(e) => view! { <StorageFailure detail=e /> }.into_any(),
        })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(Msg::ConflictsNone)}</p> }.into_any(),
                Ok(list) => list.into_iter().map(|shown| {
                    let Shown { conflict, title, fields } = shown;
                    let heading = title.clone();
                    let may_take = conflict.may_take_other();
                    let from = conflict.from_device.clone();
                    let (keep, take) = (conflict.clone(), conflict);
                    let keep_name = {
                        let title = title.clone();
                        move || format!("{}: {}", i18n.t(Msg::ConflictKeepOurs), title)
                    };
                    let take_name = move || format!("{}: {}", i18n.t(Msg::ConflictTakeOther), title);
                    view! {
                        <article class="card" aria-label=heading.clone()>
                            <h2>{heading.clone()}</h2>
                            {(!from.is_empty()).then(|| view! {
                                <p class="help">{move || i18n.t(Msg::ConflictFrom)}": "{from.clone()}</p>
                            })}
                            {match fields {
                                None => view! { <p>{move || i18n.t(Msg::ConflictGone)}</p> }.into_any(),
                                Some(rows) => view! {
                                    <table aria-label=heading.clone()>
                                        <thead><tr>
                                            <th scope="col">{move || i18n.t(Msg::ConflictField)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ConflictThisDevice)}</th>
                                            <th scope="col">{move || i18n.t(Msg::ConflictOtherCopy)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {rows.into_iter().map(|(field, ours, theirs)| view! {
                                                <tr><th scope="row">{field}</th><td>{ours}</td><td>{theirs}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any(),
                            }}
                            {(!may_take).then(|| view! { <p class="help">{move || i18n.t(Msg::ConflictPublishedNote)}</p> })}
                            <div class="actions">
                                <button type="button" aria-label=keep_name
                                    on:click=move |_| choose(keep.clone(), Choice::KeepThisDevice)>
                                    {move || i18n.t(Msg::ConflictKeepOurs)}
                                </button>
                                {may_take.then(|| view! {
                                    <button type="button" aria-label=take_name
                                        on:click=move |_| choose(take.clone(), Choice::TakeOther)>
                                        {move || i18n.t(Msg::ConflictTakeOther)}
                                    </button>
                                })}
                            </div>
                        </article>
                    }
                }).collect_view().into_any(),
            })}
        </Suspense>
    }
}
