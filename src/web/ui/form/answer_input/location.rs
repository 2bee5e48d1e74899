//! The place: a select over the locations this device knows, with an empty
//! first option that leaves the question unanswered.

use leptos::prelude::*;

use super::{value_of, Field};
use crate::domain::{AnswerValue, Edit, Location, Question};
use crate::i18n::Msg;

pub(super) fn view(q: &Question, f: &Field, locations: Signal<Vec<Location>>) -> AnyView {
    let (i18n, read_only) = (f.i18n, f.read_only);
    let answer = f.answer;
    let selected = move || match value_of(answer) {
        Some(AnswerValue::Choice(ids)) => ids.first().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let emit = f.emit();
    let on_change = move |ev: leptos::ev::Event| emit(Edit::picked(event_target_value(&ev)));
    let input_id = f.input_id.clone();
    view! {
        <div class="question field">
            <label for=input_id.clone()>{f.legend(q)}</label>
            {f.help(q)}
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
