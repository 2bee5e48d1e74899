//! The input a question's type needs. Choice-like types are radio or
//! checkbox groups inside a fieldset whose legend is the question; single
//! inputs are labelled by the question, so every control has a name.
//!
//! One file per input family, as the types share controls: `radios`
//! (yes/no, the scales, single choice), `checkboxes` (multiple choice),
//! `number` (numbers, durations), `text` (texts, date and time, the
//! employee), `location` (the place), `photo` (a photo question and the
//! photo controls any question may carry) and `comment`. [`AnswerInput`]
//! picks the family by the question's type and adds the photos and the
//! comment.

mod checkboxes;
mod comment;
mod location;
mod number;
mod photo;
mod radios;
mod text;

use leptos::prelude::*;

use crate::domain::{Answer, AnswerValue, Edit, Location, Question, QuestionType, Response};
use crate::i18n::Msg;
use crate::web::ui::i18n::{use_i18n, I18n};

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

/// What every control of one question is built from.
struct Field {
    i18n: I18n,
    qid: String,
    /// `{id_prefix}-{question id}`: the input's id, and the stem of its
    /// parts' ids and names.
    input_id: String,
    answer: Memo<Option<Answer>>,
    read_only: Signal<bool>,
    on_edit: Callback<(String, Edit)>,
}

impl Field {
    /// Reports an edit of this question.
    fn emit(&self) -> impl Fn(Edit) + Clone + Send + Sync + 'static {
        let (qid, on_edit) = (self.qid.clone(), self.on_edit);
        move |e| on_edit.run((qid.clone(), e))
    }

    /// The question's text in the current language, for its legend or label.
    fn legend(&self, q: &Question) -> impl Fn() -> String + Clone + Send + Sync + 'static {
        let (i18n, text) = (self.i18n, q.text.clone());
        move || text.get(i18n.lang.get()).to_owned()
    }

    /// The question's help line, if it has one.
    fn help(&self, q: &Question) -> Option<impl IntoView + use<>> {
        let (i18n, help) = (self.i18n, q.help.clone());
        (!help.is_empty()).then(|| {
            view! { <p class="help">{move || help.get(i18n.lang.get()).to_owned()}</p> }
        })
    }
}

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
    let qid = question.id.clone();
    let f = Field {
        i18n: use_i18n(),
        input_id: format!("{id_prefix}-{qid}"),
        answer: own_answer(resp, &qid),
        qid,
        read_only,
        on_edit,
    };
    let q = &question;
    let body = match q.qtype {
        QuestionType::MultipleChoice => checkboxes::view(q, &f),
        QuestionType::YesNo
        | QuestionType::Scale5
        | QuestionType::Scale10
        | QuestionType::Nps
        | QuestionType::Ces
        | QuestionType::SingleChoice => radios::view(q, &f),
        QuestionType::Number | QuestionType::Duration => number::view(q, &f),
        QuestionType::DateTime
        | QuestionType::ShortText
        | QuestionType::LongText
        | QuestionType::EmployeePicker => text::view(q, &f),
        QuestionType::LocationPicker => location::view(q, &f, locations),
        QuestionType::Photo => photo::question(q, &f),
    };
    let attach = photos.and_then(|slot| photo::attach(q, &f, resp, slot));
    let comment = comment::view(q, &f);
    view! { {body} {attach} {comment} }
}
