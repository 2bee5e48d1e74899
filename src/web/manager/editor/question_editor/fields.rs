//! What every part of a question's editor shares: the question it edits
//! and the plain fields (a text, a flag, a number).

use leptos::prelude::*;

use crate::domain::Question;
use crate::i18n::Msg;
use crate::web::manager::editor::state::EditorCtx;
use crate::web::ui::i18n::use_i18n;

/// The question being edited, as its editor's parts see it: read from the
/// draft (tracked, so a part follows every edit) and changed through the
/// editor's autosaving edit. `Copy`, so each part and handler takes one.
#[derive(Clone, Copy)]
pub struct QuestionRef {
    pub ed: EditorCtx,
    id: StoredValue<String>,
}

impl QuestionRef {
    pub fn new(ed: EditorCtx, id: String) -> QuestionRef {
        QuestionRef {
            ed,
            id: StoredValue::new(id),
        }
    }

    pub fn id(&self) -> String {
        self.id.get_value()
    }

    /// The question as the draft has it now.
    pub fn get(&self) -> Option<Question> {
        self.ed
            .q
            .with(|q| q.question(&self.id.get_value()).cloned())
    }

    pub fn edit(&self, f: impl FnOnce(&mut Question)) {
        self.ed.edit_question(&self.id.get_value(), f);
    }

    /// A form control's id, unique on the page: `qe-<question>-<field>`.
    pub fn field_id(&self, field: &str) -> String {
        format!("qe-{}-{field}", self.id.get_value())
    }
}

/// A decimal as typed: a comma counts as the point; infinities and NaN
/// are not numbers here.
pub fn parse_number(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A labelled text input bound to one text of the question.
pub fn text_field(
    q: QuestionRef,
    label: Msg,
    field: &'static str,
    get: fn(&Question) -> String,
    set: fn(&mut Question, String),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=q.field_id(field)>{move || i18n.t(label)}</label>
            <input id=q.field_id(field) type="text"
                prop:value=move || q.get().map(|x| get(&x)).unwrap_or_default()
                on:input=move |ev| { let v = event_target_value(&ev); q.edit(|x| set(x, v)) } />
        </div>
    }
}

/// A labelled checkbox bound to one yes/no property of the question.
pub fn flag(
    q: QuestionRef,
    label: Msg,
    field: &'static str,
    get: fn(&Question) -> bool,
    set: fn(&mut Question, bool),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="check" for=q.field_id(field)>
            <input id=q.field_id(field) type="checkbox"
                prop:checked=move || q.get().is_some_and(|x| get(&x))
                on:change=move |ev| { let on = event_target_checked(&ev); q.edit(|x| set(x, on)) } />
            <span>{move || i18n.t(label)}</span>
        </label>
    }
}

/// A labelled decimal input of at least 0: `value` is what it shows, `set`
/// applies a number typed in; anything else typed is ignored.
pub fn number_field(
    q: QuestionRef,
    label: Msg,
    field: &'static str,
    value: impl Fn(&Question) -> String + Send + Sync + 'static,
    set: fn(&mut Question, f64),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=q.field_id(field)>{move || i18n.t(label)}</label>
            <input id=q.field_id(field) type="number" min="0" step="any" inputmode="decimal"
                prop:value=move || q.get().map(|x| value(&x)).unwrap_or_default()
                on:change=move |ev| {
                    if let Some(w) = parse_number(&event_target_value(&ev)) {
                        q.edit(|x| set(x, w));
                    }
                } />
        </div>
    }
}
