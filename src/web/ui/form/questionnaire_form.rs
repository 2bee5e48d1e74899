//! A questionnaire rendered for filling: sections, questions, conditions
//! applied live. Used by the fill screen (answers persisted by the caller)
//! and by the editor's phone preview (answers kept in memory only).

use leptos::prelude::*;

use crate::domain::{Edit, Location, Questionnaire, Response, Timestamp};
use crate::web::platform;
use crate::web::ui::form::answer_input::{AnswerInput, PhotoSlot};
use crate::web::ui::i18n::use_i18n;

/// Changes the response through `f` (given the time now): when `f` says it
/// changed, the new snapshot goes to `on_change` (storage) first and to the
/// signal after, so the IndexedDB put is queued ahead of the form's
/// re-render that setting the signal schedules (answer → durable,
/// durable.bench.mjs). Shared by the answers and the visit header.
pub fn edit_response(
    resp: RwSignal<Response>,
    on_change: Callback<Response>,
    f: impl FnOnce(&mut Response, Timestamp) -> bool,
) {
    let mut r = resp.get_untracked();
    if f(&mut r, platform::now()) {
        on_change.run(r.clone());
        resp.set(r);
    }
}

#[component]
pub fn QuestionnaireForm(
    questionnaire: Signal<Questionnaire>,
    resp: RwSignal<Response>,
    read_only: Signal<bool>,
    locations: Signal<Vec<Location>>,
    /// Receives every changed response snapshot.
    on_change: Callback<Response>,
    id_prefix: &'static str,
    /// The photo controls where photos are taken and stored (the fill
    /// screen), else `None`.
    photos: Option<PhotoSlot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_edit = Callback::new(move |(qid, edit): (String, Edit)| {
        edit_response(resp, on_change, |r, now| r.apply(&qid, edit, now));
    });
    // One pass over the conditions per change, shared by every question.
    let visibility = Memo::new(move |_| questionnaire.with(|q| resp.with(|r| q.visibility(r))));
    move || {
        questionnaire.with(|q| {
            q.sections
                .iter()
                .map(|section| {
                    let heading_id = format!("{id_prefix}-section-{}", section.id);
                    let labelled_by = heading_id.clone();
                    let title = section.title.clone();
                    let questions = section
                        .questions
                        .iter()
                        .map(|question| {
                            let shown_id = question.id.clone();
                            let shown = move || visibility.with(|v| v.is_visible(&shown_id));
                            let question = question.clone();
                            view! {
                                <Show when=shown>
                                    <AnswerInput
                                        question=question.clone()
                                        resp
                                        read_only
                                        locations
                                        on_edit
                                        id_prefix
                                        photos
                                    />
                                </Show>
                            }
                        })
                        .collect_view();
                    view! {
                        <section class="checklist-section" aria-labelledby=labelled_by>
                            <h2 id=heading_id>{move || title.get(i18n.lang.get()).to_owned()}</h2>
                            {questions}
                        </section>
                    }
                })
                .collect_view()
        })
    }
}
