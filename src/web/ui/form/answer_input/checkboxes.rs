//! Multiple choice: one checkbox per option in a fieldset whose legend
//! names the group. Unticking the last box leaves the question unanswered.

use leptos::prelude::*;

use super::Field;
use crate::domain::{Answer, AnswerValue, Edit, Question};

pub(super) fn view(q: &Question, f: &Field) -> AnyView {
    let (i18n, answer, read_only) = (f.i18n, f.answer, f.read_only);
    let boxes = q.options.iter().map(|o| {
        let opt = o.id.clone();
        let label = o.label.clone();
        let emit = f.emit();
        let checked_opt = opt.clone();
        let checked = move || answer.with(|a| matches!(a, Some(Answer { value: AnswerValue::Choice(ids), .. }) if ids.contains(&checked_opt)));
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            emit(answer.with_untracked(|a| Edit::toggled(a.as_ref().map(|a| &a.value), &opt, on)));
        };
        view! {
            <label class="choice">
                <input type="checkbox" prop:checked=checked disabled=move || read_only.get() on:change=toggle />
                <span>{move || label.get(i18n.lang.get()).to_owned()}</span>
            </label>
        }
    }).collect_view();
    view! {
        <fieldset id=f.input_id.clone() class="question">
            <legend>{f.legend(q)}</legend>
            {f.help(q)}
            <div class="choices">{boxes}</div>
        </fieldset>
    }
    .into_any()
}
