//! The input a question's type needs. Choice-like types are radio or
//! checkbox groups inside a fieldset whose legend is the question; single
//! inputs are labelled by the question, so every control has a name.

use leptos::prelude::*;

use crate::domain::{Answer, AnswerValue, Edit, Location, Question, QuestionType, Response};
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

/// Renders a question's photo controls. Passed in rather than called here so
/// that only the screens that store photos (the fill screen passes
/// `photos::attach`) link the photo code: the customer's lean survey page
/// (`crate::web::respondent`) carries none of it.
pub type PhotoSlot = fn(PhotoProps) -> AnyView;

/// What the photo controls of one question get.
pub struct PhotoProps {
    pub response_id: uuid::Uuid,
    pub question_id: String,
    /// The question's text, for the controls' names.
    pub label: Signal<String>,
    pub read_only: Signal<bool>,
    /// Receives the question's photo ids after every change.
    pub on_change: Callback<Vec<uuid::Uuid>>,
    pub input_id: String,
}

pub fn type_label(t: QuestionType) -> Msg {
    match t {
        QuestionType::YesNo => Msg::TypeYesNo,
        QuestionType::Scale5 => Msg::TypeScale5,
        QuestionType::Scale10 => Msg::TypeScale10,
        QuestionType::Nps => Msg::TypeNps,
        QuestionType::Ces => Msg::TypeCes,
        QuestionType::SingleChoice => Msg::TypeSingleChoice,
        QuestionType::MultipleChoice => Msg::TypeMultipleChoice,
        QuestionType::Number => Msg::TypeNumber,
        QuestionType::Duration => Msg::TypeDuration,
        QuestionType::DateTime => Msg::TypeDateTime,
        QuestionType::ShortText => Msg::TypeShortText,
        QuestionType::LongText => Msg::TypeLongText,
        QuestionType::Photo => Msg::TypePhoto,
        QuestionType::EmployeePicker => Msg::TypeEmployeePicker,
        QuestionType::LocationPicker => Msg::TypeLocationPicker,
    }
}

pub const ALL_TYPES: [QuestionType; 15] = [
    QuestionType::YesNo,
    QuestionType::Scale5,
    QuestionType::Scale10,
    QuestionType::Nps,
    QuestionType::Ces,
    QuestionType::SingleChoice,
    QuestionType::MultipleChoice,
    QuestionType::Number,
    QuestionType::Duration,
    QuestionType::DateTime,
    QuestionType::ShortText,
    QuestionType::LongText,
    QuestionType::Photo,
    QuestionType::EmployeePicker,
    QuestionType::LocationPicker,
];

/// This question's answer, apart from the rest of the response: a memo, so
/// an answer to one question re-runs only that question's bindings rather
/// than every control of the form (with 4× slower CPUs that re-run was most
/// of the time from a tap to the answer being stored).
fn own_answer(resp: RwSignal<Response>, qid: &str) -> Memo<Option<Answer>> {
    let qid = qid.to_owned();
    Memo::new(move |_| resp.with(|r| r.answers.get(&qid).cloned()))
}

fn value_of(answer: Memo<Option<Answer>>) -> Option<AnswerValue> {
    answer.with(|a| a.as_ref().map(|a| a.value.clone()))
}

#[component]
pub fn AnswerInput(
    question: Question,
    resp: RwSignal<Response>,
    read_only: Signal<bool>,
    locations: Signal<Vec<Location>>,
    on_edit: Callback<(String, Edit)>,
    /// Prefix for element ids, so a preview beside a form never collides.
    id_prefix: &'static str,
    /// Photos are stored with the response; the editor's preview and the
    /// customer's survey have none.
    photos: Option<PhotoSlot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = question.id.clone();
    let text = question.text.clone();
    let help = question.help.clone();
    let input_id = format!("{id_prefix}-{qid}");
    let legend = move || text.get(i18n.lang.get()).to_owned();
    let help_view = (!help.is_empty()).then(|| {
        view! { <p class="help">{move || help.get(i18n.lang.get()).to_owned()}</p> }
    });
    let emit = {
        let qid = qid.clone();
        move |e: Edit| on_edit.run((qid.clone(), e))
    };
    let answer = own_answer(resp, &qid);

    let comment_emit = emit.clone();
    let photo_input_id = format!("{input_id}-photo");
    let comment_id = format!("{input_id}-comment");
    let body = match question.qtype {
        QuestionType::MultipleChoice => {
            let boxes = question.options.iter().map(|o| {
                let opt = o.id.clone();
                let label = o.label.clone();
                let qid = qid.clone();
                let checked_opt = opt.clone();
                let checked = move || answer.with(|a| matches!(a, Some(Answer { value: AnswerValue::Choice(ids), .. }) if ids.contains(&checked_opt)));
                let toggle = move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    let edit = answer.with_untracked(|a| Edit::toggled(a.as_ref().map(|a| &a.value), &opt, on));
                    on_edit.run((qid.clone(), edit));
                };
                view! {
                    <label class="choice">
                        <input type="checkbox" prop:checked=checked disabled=move || read_only.get() on:change=toggle />
                        <span>{move || label.get(i18n.lang.get()).to_owned()}</span>
                    </label>
                }
            }).collect_view();
            view! {
                <fieldset class="question">
                    <legend>{legend}</legend>
                    {help_view}
                    <div class="choices">{boxes}</div>
                </fieldset>
            }
            .into_any()
        }
        QuestionType::YesNo
        | QuestionType::Scale5
        | QuestionType::Scale10
        | QuestionType::Nps
        | QuestionType::Ces
        | QuestionType::SingleChoice => {
            let group = format!("{input_id}-answer");
            let radios = question
                .choices()
                .into_iter()
                .map(|c| {
                    let value = c.value.clone();
                    let checked =
                        move || answer.with(|a| a.as_ref().map(|a| &a.value) == Some(&value));
                    let emit = emit.clone();
                    let chosen = c.value;
                    view! {
                        <label class="choice">
                            <input
                                type="radio"
                                name=group.clone()
                                prop:checked=checked
                                disabled=move || read_only.get()
                                on:change=move |_| emit(Edit::Answer(chosen.clone()))
                            />
                            <span>{move || c.label.text(i18n.lang.get())}</span>
                        </label>
                    }
                })
                .collect_view();
            let scale = question.qtype.scale_range().is_some();
            view! {
                <fieldset class="question" class:critical=question.critical>
                    <legend>{legend}</legend>
                    {help_view}
                    <div class="choices" class:scale=scale>{radios}</div>
                </fieldset>
            }
            .into_any()
        }
        QuestionType::Number | QuestionType::Duration => {
            let duration = question.qtype == QuestionType::Duration;
            let unit = question.unit.clone();
            let value = move || match value_of(answer) {
                Some(AnswerValue::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let on_input = move |ev: leptos::ev::Event| {
                let raw = event_target_value(&ev).replace(',', ".");
                if let Some(edit) = Edit::number(raw.trim().parse::<f64>().ok(), &raw) {
                    emit(edit);
                }
            };
            view! {
                <div class="question field">
                    <label for=input_id.clone()>
                        {legend}
                        {move || {
                            let u = if duration { i18n.t(Msg::Seconds).to_owned() } else { unit.get(i18n.lang.get()).to_owned() };
                            (!u.is_empty()).then(|| format!(" ({u})"))
                        }}
                    </label>
                    {help_view}
                    <input id=input_id type="number" inputmode="decimal" step="any"
                        prop:value=value disabled=move || read_only.get() on:input=on_input />
                </div>
            }
            .into_any()
        }
        QuestionType::DateTime
        | QuestionType::ShortText
        | QuestionType::LongText
        | QuestionType::EmployeePicker => {
            let value = move || match value_of(answer) {
                Some(AnswerValue::Text(t)) => t,
                _ => String::new(),
            };
            let on_input = move |ev: leptos::ev::Event| emit(Edit::text(event_target_value(&ev)));
            let input = match question.qtype {
                QuestionType::LongText => view! {
                    <textarea id=input_id.clone() rows="4" prop:value=value disabled=move || read_only.get() on:input=on_input></textarea>
                }.into_any(),
                QuestionType::DateTime => view! {
                    <input id=input_id.clone() type="datetime-local" prop:value=value disabled=move || read_only.get() on:input=on_input />
                }.into_any(),
                _ => view! {
                    <input id=input_id.clone() type="text" prop:value=value disabled=move || read_only.get() on:input=on_input />
                }.into_any(),
            };
            view! {
                <div class="question field">
                    <label for=input_id>{legend}</label>
                    {help_view}
                    {input}
                </div>
            }
            .into_any()
        }
        QuestionType::LocationPicker => {
            let selected = move || match value_of(answer) {
                Some(AnswerValue::Choice(ids)) => ids.first().cloned().unwrap_or_default(),
                _ => String::new(),
            };
            let on_change =
                move |ev: leptos::ev::Event| emit(Edit::picked(event_target_value(&ev)));
            view! {
                <div class="question field">
                    <label for=input_id.clone()>{legend}</label>
                    {help_view}
                    <select id=input_id disabled=move || read_only.get() on:change=on_change>
                        <option value="">{move || i18n.t(Msg::ChooseOne)}</option>
                        {move || locations.get().into_iter().map(|l| {
                            let is = l.id == selected();
                            view! { <option value=l.id selected=is>{l.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }
            .into_any()
        }
        QuestionType::Photo => view! {
            <div class="question field">
                <p class="label">{legend}</p>
                {help_view}
            </div>
        }
        .into_any(),
    };

    // A photo question is answered by its photos; any other question may
    // carry photos as evidence when the questionnaire allows it.
    let attach = photos
        .filter(|_| question.photo_allowed || question.qtype == QuestionType::Photo)
        .map(|slot| {
            let is_photo_question = question.qtype == QuestionType::Photo;
            let photo_emit = comment_emit.clone();
            let on_change = Callback::new(move |ids: Vec<uuid::Uuid>| {
                if is_photo_question {
                    photo_emit(Edit::chosen(ids.iter().map(|id| id.to_string()).collect()));
                }
            });
            let label_text = question.text.clone();
            slot(PhotoProps {
                response_id: resp.with_untracked(|r| r.id),
                question_id: qid.clone(),
                label: Signal::derive(move || label_text.get(i18n.lang.get()).to_owned()),
                read_only,
                on_change,
                input_id: photo_input_id,
            })
        });

    let comment = question.comment_allowed.then(|| {
        let emit = comment_emit;
        let qtext = question.text.clone();
        // A memo, so typing the comment itself does not rebuild its field.
        let answered = Memo::new(move |_| answer.with(|a| a.is_some()));
        move || {
            answered.get().then(|| {
                let value = move || answer.with(|a| a.as_ref().map(|a| a.comment.clone()).unwrap_or_default());
                let emit = emit.clone();
                let qtext = qtext.clone();
                view! {
                    <div class="field comment">
                        <label for=comment_id.clone()>
                            {move || format!("{} · {}", i18n.t(Msg::Comment), qtext.get(i18n.lang.get()))}
                        </label>
                        <textarea id=comment_id.clone() rows="2" prop:value=value disabled=move || read_only.get()
                            on:input=move |ev| emit(Edit::Comment(event_target_value(&ev)))></textarea>
                    </div>
                }
            })
        }
    });

    view! { {body} {attach} {comment} }
}
