//! Short and long texts, a date and time, and the employee (typed in): one
//! field labelled by the question, holding the answer as text. A blank
//! field leaves the question unanswered.

use leptos::prelude::*;

use super::{value_of, Field};
use crate::domain::{AnswerValue, Edit, Question, QuestionType};

pub(super) fn view(q: &Question, f: &Field) -> AnyView {
    let read_only = f.read_only;
    let answer = f.answer;
    let value = move || match value_of(answer) {
        Some(AnswerValue::Text(t)) => t,
        _ => String::new(),
    };
    let emit = f.emit();
    let on_input = move |ev: leptos::ev::Event| emit(Edit::text(event_target_value(&ev)));
    let input_id = f.input_id.clone();
    let input = match q.qtype {
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
            <label for=input_id>{f.legend(q)}</label>
            {f.help(q)}
            {input}
        </div>
    }
    .into_any()
}
