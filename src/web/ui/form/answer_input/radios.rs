//! Yes/no, the scales (1–5, 1–10, NPS, CES) and single choice: one radio
//! button per [`Question::choices`], in a fieldset whose legend names the
//! group.

use leptos::prelude::*;

use super::Field;
use crate::domain::{Edit, Question};

pub(super) fn view(q: &Question, f: &Field) -> AnyView {
    let (i18n, answer, read_only) = (f.i18n, f.answer, f.read_only);
    let group = format!("{}-answer", f.input_id);
    let radios = q
        .choices()
        .into_iter()
        .map(|c| {
            let value = c.value.clone();
            let checked = move || answer.with(|a| a.as_ref().map(|a| &a.value) == Some(&value));
            let emit = f.emit();
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
    let scale = q.qtype.scale_range().is_some();
    view! {
        <fieldset id=f.input_id.clone() class="question" class:critical=q.critical>
            <legend>{f.legend(q)}</legend>
            {f.help(q)}
            <div class="choices" class:scale=scale>{radios}</div>
        </fieldset>
    }
    .into_any()
}
