//! One question in the editor: every property of PRODUCT.md §2, its options
//! for choice types, its visibility condition and the move, duplicate and
//! delete buttons. The parts share the question through `QuestionRef`.

mod fields;
mod kind;
mod metric;
mod options;

use leptos::prelude::*;

use super::condition_editor::ConditionEditor;
use super::state::use_editor;
use super::toolbar::ItemToolbar;
use crate::domain::QuestionType;
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

use fields::{flag, number_field, text_field, QuestionRef};
use kind::TypeSelect;
use metric::MetricFields;
use options::OptionsEditor;

#[component]
pub fn QuestionEditor(question_id: String, section_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let ed = use_editor();
    let q = QuestionRef::new(ed, question_id);
    let sid = StoredValue::new(section_id);
    // Its place in its section, and the section's length.
    let position = move || {
        ed.q.with(|d| {
            d.sections
                .iter()
                .find(|s| s.id == sid.get_value())
                .map(|s| {
                    (
                        s.questions.iter().position(|x| x.id == q.id()).unwrap_or(0),
                        s.questions.len(),
                    )
                })
                .unwrap_or((0, 0))
        })
    };
    // Its number in the whole questionnaire, as the respondent sees it.
    let number = move || {
        ed.q.with(|d| {
            d.questions()
                .position(|x| x.id == q.id())
                .map(|i| i + 1)
                .unwrap_or(0)
        })
    };
    let text_now = move || {
        q.get()
            .map(|x| x.text.get(i18n.lang.get()).to_owned())
            .unwrap_or_default()
    };
    let name = move || format!("{} {}: {}", i18n.t(Msg::Question), number(), text_now());
    let is_number = move || {
        q.get()
            .is_some_and(|x| matches!(x.qtype, QuestionType::Number))
    };
    let is_choice = move || {
        q.get().is_some_and(|x| {
            matches!(
                x.qtype,
                QuestionType::SingleChoice | QuestionType::MultipleChoice
            )
        })
    };

    let (index, count) = (move || position().0, move || position().1);
    let move_by = move |step: isize| ed.move_question(&sid.get_value(), index(), step);
    let duplicate = move |()| ed.duplicate_question(&sid.get_value(), index());
    let delete = move |()| {
        if let Some(removed) = q.get() {
            ed.delete_question(&sid.get_value(), index(), removed);
        }
    };

    view! {
        <fieldset class="editor-question">
            <legend>{name}</legend>
            {text_field(q, Msg::QuestionTextRu, "text-ru", |x| x.text.ru.clone(), |x, v| x.text.ru = v)}
            {text_field(q, Msg::QuestionTextEn, "text-en", |x| x.text.en.clone(), |x, v| x.text.en = v)}
            <TypeSelect q />
            <div class="flags">
                {flag(q, Msg::Required, "required", |x| x.required, |x, v| x.required = v)}
                {flag(q, Msg::Critical, "critical", |x| x.critical, |x, v| x.critical = v)}
                {flag(q, Msg::NaAllowed, "na", |x| x.na_allowed, |x, v| x.na_allowed = v)}
                {flag(q, Msg::CommentAllowed, "comment", |x| x.comment_allowed, |x, v| x.comment_allowed = v)}
                {flag(q, Msg::PhotoAllowed, "photo", |x| x.photo_allowed, |x, v| x.photo_allowed = v)}
            </div>
            {number_field(q, Msg::Weight, "weight", |x| x.weight.to_string(), |x, w| x.weight = w)}
            <Show when=is_number>
                {text_field(q, Msg::UnitRu, "unit-ru", |x| x.unit.ru.clone(), |x, v| x.unit.ru = v)}
                {text_field(q, Msg::UnitEn, "unit-en", |x| x.unit.en.clone(), |x, v| x.unit.en = v)}
            </Show>
            <MetricFields q />
            {text_field(q, Msg::HelpRu, "help-ru", |x| x.help.ru.clone(), |x, v| x.help.ru = v)}
            {text_field(q, Msg::HelpEn, "help-en", |x| x.help.en.clone(), |x, v| x.help.en = v)}
            <Show when=is_choice>
                <OptionsEditor q />
            </Show>
            <ConditionEditor question_id=q.id() />
            <ItemToolbar name index count on_move=Callback::new(move_by)
                on_duplicate=Callback::new(duplicate) on_delete=Callback::new(delete) />
        </fieldset>
    }
}
