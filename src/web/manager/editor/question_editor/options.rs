//! A choice question's options: label in both languages, points, remove;
//! and adding one.

use leptos::prelude::*;

use super::fields::{parse_number, QuestionRef};
use crate::domain::{new_id, ChoiceOption, Text};
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn OptionsEditor(q: QuestionRef) -> impl IntoView {
    let i18n = use_i18n();
    let option_ids = move || {
        q.get()
            .map(|x| x.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let add = move |_| {
        q.edit(|x| {
            let n = x.options.len() + 1;
            x.options.push(ChoiceOption {
                id: new_id("o"),
                label: Text::new(format!("Вариант {n}"), format!("Option {n}")),
                points: 0.0,
            });
        })
    };
    view! {
        <fieldset class="options">
            <legend>{move || i18n.t(Msg::Options)}</legend>
            <For each=option_ids key=|id| id.clone() let:oid>
                <OptionRow q oid />
            </For>
            <button type="button" on:click=add>{move || i18n.t(Msg::AddOption)}</button>
        </fieldset>
    }
}

#[component]
fn OptionRow(q: QuestionRef, oid: String) -> impl IntoView {
    let i18n = use_i18n();
    let oid = StoredValue::new(oid);
    let option = move || {
        q.get()
            .and_then(|x| x.options.iter().find(|o| o.id == oid.get_value()).cloned())
    };
    let ofid = move |f: &str| q.field_id(&format!("{}-{f}", oid.get_value()));
    let set = move |f: Box<dyn FnOnce(&mut ChoiceOption)>| {
        q.edit(move |x| {
            if let Some(o) = x.options.iter_mut().find(|o| o.id == oid.get_value()) {
                f(o)
            }
        })
    };
    let remove = move |_| q.edit(|x| x.options.retain(|o| o.id != oid.get_value()));
    let remove_label = move || {
        let label = option()
            .map(|o| o.label.get(i18n.lang.get()).to_owned())
            .unwrap_or_default();
        format!("{}: {label}", i18n.t(Msg::RemoveOption))
    };
    view! {
        <div class="option-row">
            <div class="field">
                <label for=ofid("ru")>{move || i18n.t(Msg::OptionLabelRu)}</label>
                <input id=ofid("ru") type="text" prop:value=move || option().map(|o| o.label.ru).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |o| o.label.ru = v)) } />
            </div>
            <div class="field">
                <label for=ofid("en")>{move || i18n.t(Msg::OptionLabelEn)}</label>
                <input id=ofid("en") type="text" prop:value=move || option().map(|o| o.label.en).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |o| o.label.en = v)) } />
            </div>
            <div class="field narrow">
                <label for=ofid("points")>{move || i18n.t(Msg::OptionPoints)}</label>
                <input id=ofid("points") type="number" step="any" inputmode="decimal"
                    prop:value=move || option().map(|o| o.points.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        if let Some(p) = parse_number(&event_target_value(&ev)) { set(Box::new(move |o| o.points = p)) }
                    } />
            </div>
            <button type="button" on:click=remove aria-label=remove_label>
                {move || i18n.t(Msg::RemoveOption)}
            </button>
        </div>
    }
}
