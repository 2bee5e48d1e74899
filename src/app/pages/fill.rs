//! Filling one response. Every answer goes to IndexedDB the moment it is
//! given (see `autosave`); a reload reopens the same draft from its id in
//! the URL fragment.

use leptos::prelude::*;
use uuid::Uuid;

use crate::app::autosave::{self, SaveState};
use crate::app::components::status::{Loading, StorageFailure};
use crate::app::contexts::i18n::use_i18n;
use crate::app::resources::locations_or_default;
use crate::domain::{score_audit, AnswerValue, Location, Question, QuestionType, Questionnaire, Response};
use crate::i18n::{answered_of, format_decimal, Msg};
use crate::routes::Route;
use crate::{platform, storage, templates};

#[component]
pub fn FillPage(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        let Some(response) = store.get_response(id).await? else {
            return Ok(None);
        };
        let locations = locations_or_default(&store, lang).await?;
        Ok::<_, storage::StorageError>(Some((response, locations)))
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || loaded.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(Some((response, locations))) => {
                    match templates::find(&response.questionnaire_id, response.questionnaire_version) {
                        Some(q) => view! { <FillForm response questionnaire=q locations /> }.into_any(),
                        None => not_found().into_any(),
                    }
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
fn FillForm(response: Response, questionnaire: Questionnaire, locations: Vec<Location>) -> impl IntoView {
    let i18n = use_i18n();
    let id = response.id;
    let resp = RwSignal::new(response);
    let save_state = RwSignal::new(SaveState::Saved);
    let missing = RwSignal::new(Vec::<String>::new());
    let q = StoredValue::new(questionnaire);
    let read_only = move || !resp.with(|r| r.is_draft());
    let total = q.with_value(|q| q.questions().count());

    let answer = move |qid: String, value: AnswerValue| {
        let mut changed = None;
        resp.update(|r| {
            if r.set_answer(&qid, value, platform::now()) {
                changed = Some(r.clone());
            }
        });
        if let Some(r) = changed {
            autosave::save(r, save_state);
            missing.update(|m| m.retain(|x| x != &qid));
        }
    };

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
        let unanswered: Vec<String> = q.with_value(|q| {
            q.questions()
                .filter(|x| x.required && !snapshot.answers.contains_key(&x.id))
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

    let title = q.with_value(|q| q.title.clone());
    let sections = q.with_value(|q| q.sections.clone());
    let current_location = resp.with_untracked(|r| r.location_id.clone());

    view! {
        <h1>{move || title.get(i18n.lang.get()).to_owned()}</h1>
        <div class="field">
            <label for="visit-location">{move || i18n.t(Msg::Location)}</label>
            <select id="visit-location" on:change=on_location disabled=read_only>
                {locations.into_iter().map(|l| {
                    let selected = l.id == current_location;
                    view! { <option value=l.id selected=selected>{l.name}</option> }
                }).collect_view()}
            </select>
        </div>
        <p role="status" class="progress">
            {move || answered_of(i18n.lang.get(), resp.with(|r| r.answers.len()), total)}
        </p>
        {move || read_only().then(|| view! {
            <div class="notice">
                <p>{move || i18n.t(Msg::AlreadySubmitted)}</p>
                <p>
                    {move || i18n.t(Msg::ColScore)} ": "
                    {move || q.with_value(|q| resp.with(|r| score_audit(q, r).visit))
                        .map(|s| format_decimal(s, 2, i18n.lang.get()))
                        .unwrap_or_else(|| i18n.t(Msg::NoScore).to_owned())}
                </p>
            </div>
        })}
        {sections.into_iter().map(|section| {
            let heading_id = format!("section-{}", section.id);
            let labelled_by = heading_id.clone();
            let section_title = section.title.clone();
            view! {
                <section class="checklist-section" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{move || section_title.get(i18n.lang.get()).to_owned()}</h2>
                    {section.questions.into_iter().map(|question| view! {
                        <QuestionField question resp read_only=Signal::derive(read_only) on_answer=answer />
                    }).collect_view()}
                </section>
            }
        }).collect_view()}
        {move || {
            let m = missing.get();
            (!m.is_empty()).then(|| view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::MissingRequired)}</p>
                    <ul>
                        {m.into_iter().map(|qid| {
                            let text = q.with_value(|q| q.question(&qid).map(|x| x.text.clone()).unwrap_or_default());
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
                    <button type="button" on:click=move |_| autosave::retry(id, save_state)>
                        {move || i18n.t(Msg::Retry)}
                    </button>
                </div>
            }),
            _ => None,
        }}
        <Show when=move || !read_only()>
            <button type="button" class="primary" on:click=submit>{move || i18n.t(Msg::Submit)}</button>
        </Show>
    }
}

/// One question with the inputs its type needs.
#[component]
fn QuestionField<F>(question: Question, resp: RwSignal<Response>, read_only: Signal<bool>, on_answer: F) -> impl IntoView
where
    F: Fn(String, AnswerValue) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let qid = question.id.clone();
    let text = question.text.clone();
    let mut choices: Vec<(AnswerValue, Option<Msg>, String)> = match question.qtype {
        QuestionType::YesNo => vec![
            (AnswerValue::Yes, Some(Msg::Yes), "yes".into()),
            (AnswerValue::No, Some(Msg::No), "no".into()),
        ],
        t => match t.scale_range() {
            Some((lo, hi)) => (lo..=hi).map(|v| (AnswerValue::Scale(v), None, v.to_string())).collect(),
            None => Vec::new(),
        },
    };
    if question.na_allowed && !choices.is_empty() {
        choices.push((AnswerValue::Na, Some(Msg::NotApplicable), "na".into()));
    }
    let group_name = format!("answer-{qid}");
    view! {
        <fieldset class="question" class:critical=question.critical>
            <legend>{move || text.get(i18n.lang.get()).to_owned()}</legend>
            <div class="choices">
                {choices.into_iter().map(|(value, msg, key)| {
                    let checked_value = value.clone();
                    let checked_qid = qid.clone();
                    let answer_qid = qid.clone();
                    let checked = move || resp.with(|r| {
                        r.answers.get(&checked_qid).is_some_and(|a| a.value == checked_value)
                    });
                    let label = move || msg.map(|m| i18n.t(m).to_owned()).unwrap_or_else(|| key.clone());
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name=group_name.clone()
                                prop:checked=checked
                                disabled=move || read_only.get()
                                on:change=move |_| on_answer(answer_qid.clone(), value.clone())
                            />
                            <span>{label}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
