//! Filling one response. Every answer goes to IndexedDB the moment it is
//! given (see `autosave`); a reload reopens the same draft from its id in
//! the URL fragment.

use leptos::prelude::*;
use uuid::Uuid;

use crate::app::autosave::{self, Record, SaveState};
use crate::app::components::answer_input::PhotoSlot;
use crate::app::components::photos;
use crate::app::components::questionnaire_form::QuestionnaireForm;
use crate::app::components::status::{Loading, StorageFailure};
use crate::app::contexts::i18n::use_i18n;
use crate::app::resources::{locations_or_default, questionnaire};
use crate::domain::{score_audit, Location, Questionnaire, QuestionnaireKind, Response};
use crate::i18n::{answered_of, format_decimal, visit_duration, Msg};
use crate::routes::Route;
use crate::{platform, storage};

#[component]
pub fn FillPage(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        let Some(response) = store.get_response(id).await? else {
            return Ok(None);
        };
        let q = questionnaire(
            &store,
            &response.questionnaire_id,
            response.questionnaire_version,
        )
        .await?;
        let locations = locations_or_default(&store, lang).await?;
        Ok::<_, storage::StorageError>(q.map(|q| (response, q, locations)))
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || loaded.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(Some((response, q, locations))) => {
                    view! { <FillForm response questionnaire=q locations /> }.into_any()
                }
                Ok(None) => not_found().into_any(),
            })}
        </Suspense>
    }
}

fn not_found() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p role="alert">{move || i18n.t(Msg::ResponseNotFound)}</p>
        <p><a href="#/">{move || i18n.t(Msg::BackHome)}</a></p>
    }
}

#[component]
fn FillForm(
    response: Response,
    questionnaire: Questionnaire,
    locations: Vec<Location>,
) -> impl IntoView {
    let i18n = use_i18n();
    let resp = RwSignal::new(response);
    let save_state = RwSignal::new(SaveState::Saved);
    let missing = RwSignal::new(Vec::<String>::new());
    let q = Signal::stored(questionnaire);
    let read_only = Signal::derive(move || !resp.with(|r| r.is_draft()));
    let is_audit = q.with_untracked(|q| q.kind == QuestionnaireKind::Audit);
    let locations = Signal::stored(locations);

    let progress = move || {
        let (answered, total) = q.with(|q| {
            resp.with(|r| {
                let shown = q.visible_questions(r);
                (
                    shown
                        .iter()
                        .filter(|x| r.answers.contains_key(&x.id))
                        .count(),
                    shown.len(),
                )
            })
        });
        answered_of(i18n.lang.get(), answered, total)
    };

    let on_change = Callback::new(move |snapshot: Response| {
        missing.update(|m| m.retain(|id| !snapshot.answers.contains_key(id)));
        autosave::save(snapshot, save_state);
    });

    let on_location = move |ev| {
        let loc = event_target_value(&ev);
        let mut changed = None;
        resp.update(|r| {
            if r.set_location(&loc, platform::now()) {
                changed = Some(r.clone());
            }
        });
        if let Some(r) = changed {
            autosave::save(r, save_state);
        }
    };

    let submit = move |_| {
        let mut snapshot = resp.get_untracked();
        let unanswered: Vec<String> = q.with_untracked(|q| {
            q.missing_required(&snapshot)
                .into_iter()
                .map(|x| x.id.clone())
                .collect()
        });
        if !unanswered.is_empty() {
            missing.set(unanswered);
            return;
        }
        if !snapshot.submit(platform::now()) {
            return;
        }
        resp.set(snapshot.clone());
        leptos::task::spawn_local(async move {
            if autosave::save_and_wait(snapshot, save_state).await.is_ok() {
                platform::set_hash(&Route::Dashboard.to_hash());
            }
        });
    };

    let title = q.with_untracked(|q| q.title.clone());
    let current_location = resp.with_untracked(|r| r.location_id.clone());

    view! {
        <h1>{move || title.get(i18n.lang.get()).to_owned()}</h1>
        <div class="field">
            <label for="visit-location">{move || i18n.t(Msg::Location)}</label>
            <select id="visit-location" on:change=on_location disabled=move || read_only.get()>
                {locations.get_untracked().into_iter().map(|l| {
                    let selected = l.id == current_location;
                    view! { <option value=l.id selected=selected>{l.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <p role="status" class="progress">{progress}</p>
        {move || read_only.get().then(|| view! {
            <div class="notice">
                <p>{move || i18n.t(Msg::AlreadySubmitted)}</p>
                {is_audit.then(|| view! {
                    <p>
                        {move || i18n.t(Msg::ColScore)} ": "
                        {move || q.with(|q| resp.with(|r| score_audit(q, r).visit))
                            .map(|s| format_decimal(s, 2, i18n.lang.get()))
                            .unwrap_or_else(|| i18n.t(Msg::NoScore).to_owned())}
                    </p>
                    <FailedItems q resp />
                })}
                <p>
                    {move || resp.with(|r| r.submitted_at.map(|end| visit_duration(i18n.lang.get(), end.utc_ms - r.started_at.utc_ms)))}
                </p>
            </div>
        })}
        <SectionJump q />
        <QuestionnaireForm questionnaire=q resp read_only locations on_change id_prefix="fill" photos=Some(photos::attach as PhotoSlot) />
        {move || {
            let m = missing.get();
            (!m.is_empty()).then(|| view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::MissingRequired)}</p>
                    <ul>
                        {m.into_iter().map(|qid| {
                            let text = q.with_untracked(|q| q.question(&qid).map(|x| x.text.clone()).unwrap_or_default());
                            view! { <li>{move || text.get(i18n.lang.get()).to_owned()}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            })
        }}
        {move || match save_state.get() {
            SaveState::Failed(detail) => Some(view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::SaveFailed)}</p>
                    <p class="detail">{detail}</p>
                    <button type="button" on:click=move |_| autosave::retry(&Record::Response(resp.get_untracked()), save_state)>
                        {move || i18n.t(Msg::Retry)}
                    </button>
                </div>
            }),
            _ => None,
        }}
        <Show when=move || !read_only.get()>
            <button type="button" class="primary" on:click=submit>{move || i18n.t(Msg::Submit)}</button>
        </Show>
    }
}

/// The items a submitted audit failed, critical ones marked.
#[component]
fn FailedItems(q: Signal<Questionnaire>, resp: RwSignal<Response>) -> impl IntoView {
    let i18n = use_i18n();
    let failed = move || {
        q.with(|q| {
            resp.with(|r| {
                score_audit(q, r)
                    .failed_items()
                    .filter_map(|item| {
                        q.question(&item.question_id)
                            .map(|x| (x.text.clone(), item.critical))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    move || {
        let items = failed();
        (!items.is_empty()).then(|| {
            view! {
                <p>{move || i18n.t(Msg::FailedItems)}</p>
                <ul>
                    {items.into_iter().map(|(text, critical)| view! {
                        <li>
                            {move || text.get(i18n.lang.get()).to_owned()}
                            {critical.then(|| view! { " · " <strong>{move || i18n.t(Msg::Critical)}</strong> })}
                        </li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// Buttons that bring a section into view: a 40-item checklist on a phone
/// is long, and the fragment is taken by the route, so no #anchors.
#[component]
fn SectionJump(q: Signal<Questionnaire>) -> impl IntoView {
    let i18n = use_i18n();
    let sections = q.with_untracked(|q| {
        q.sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect::<Vec<_>>()
    });
    (sections.len() > 1).then(|| {
        view! {
            <nav class="section-jump" aria-label=move || i18n.t(Msg::JumpToSection)>
                {sections.into_iter().map(|(id, title)| {
                    let target = format!("fill-section-{id}");
                    view! {
                        <button type="button" on:click=move |_| {
                            if let Some(el) = document().get_element_by_id(&target) {
                                el.scroll_into_view();
                            }
                        }>{move || title.get(i18n.lang.get()).to_owned()}</button>
                    }
                }).collect_view()}
            </nav>
        }
    })
}
