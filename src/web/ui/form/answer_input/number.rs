//! Numbers and durations: one number field labelled by the question and
//! its unit (seconds for a duration).

use leptos::prelude::*;

use super::{value_of, Field};
use crate::domain::{AnswerValue, Edit, Question, QuestionType};
use crate::i18n::Msg;

pub(super) fn view(q: &Question, f: &Field) -> AnyView {
    let (i18n, read_only) = (f.i18n, f.read_only);
    let duration = q.qtype == QuestionType::Duration;
    let unit = q.unit.clone();
    let answer = f.answer;
    let value = move || match value_of(answer) {
        Some(AnswerValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let emit = f.emit();
    let on_input = move |ev: leptos::ev::Event| {
        // Russian writes decimals with a comma.
        let raw = event_target_value(&ev).replace(',', ".");
        if let Some(edit) = Edit::number(raw.trim().parse::<f64>().ok(), &raw) {
            emit(edit);
        }
    };
    let input_id = f.input_id.clone();
    view! {
        <div class="question field">
            <label for=input_id.clone()>
                {f.legend(q)}
                {move || {
                    let u = if duration { i18n.t(Msg::Seconds).to_owned() } else { unit.get(i18n.lang.get()).to_owned() };
                    (!u.is_empty()).then(|| format!(" ({u})"))
                }}
            </label>
            {f.help(q)}
            <input id=input_id type="number" inputmode="decimal" step="any"
                prop:value=value disabled=move || read_only.get() on:input=on_input />
        </div>
    }
    .into_any()
}
