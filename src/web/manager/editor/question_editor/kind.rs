//! The question's type. Switching to a choice type gives a question with
//! no options two to start from.

use leptos::prelude::*;

use super::fields::QuestionRef;
use crate::domain::{new_id, ChoiceOption, QuestionType, Text};
use crate::i18n::Msg;
use crate::web::ui::form::answer_input::type_label;
use crate::web::ui::i18n::use_i18n;

/// A type's code in the questionnaire file, as the option's value.
fn type_code(t: QuestionType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn type_from_code(code: &str) -> Option<QuestionType> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

#[component]
pub fn TypeSelect(q: QuestionRef) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        let Some(t) = type_from_code(&event_target_value(&ev)) else {
            return;
        };
        q.edit(|x| {
            x.qtype = t;
            if matches!(t, QuestionType::SingleChoice | QuestionType::MultipleChoice)
                && x.options.is_empty()
            {
                x.options = vec![
                    ChoiceOption {
                        id: new_id("o"),
                        label: Text::new("Вариант 1", "Option 1"),
                        points: 1.0,
                    },
                    ChoiceOption {
                        id: new_id("o"),
                        label: Text::new("Вариант 2", "Option 2"),
                        points: 0.0,
                    },
                ];
            }
        });
    };
    view! {
        <div class="field">
            <label for=q.field_id("type")>{move || i18n.t(Msg::QuestionTypeLabel)}</label>
            <select id=q.field_id("type") on:change=on_change>
                {QuestionType::ALL.iter().map(|&t| view! {
                    <option value=type_code(t) selected=move || q.get().is_some_and(|x| x.qtype == t)>
                        {move || i18n.t(type_label(t))}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}
