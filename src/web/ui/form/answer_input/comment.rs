//! A question's comment field, shown once the question has an answer (an
//! unanswered question has nowhere to keep a comment).

use leptos::prelude::*;

use super::Field;
use crate::domain::{Edit, Question};
use crate::i18n::Msg;

pub(super) fn view(q: &Question, f: &Field) -> Option<impl IntoView + use<>> {
    if !q.comment_allowed {
        return None;
    }
    let (i18n, answer, read_only) = (f.i18n, f.answer, f.read_only);
    let emit = f.emit();
    let qtext = q.text.clone();
    let comment_id = format!("{}-comment", f.input_id);
    // A memo, so typing the comment itself does not rebuild its field.
    let answered = Memo::new(move |_| answer.with(|a| a.is_some()));
    Some(move || {
        answered.get().then(|| {
            let value = move || answer.with(|a| a.as_ref().map(|a| a.comment.clone()).unwrap_or_default());
            let emit = emit.clone();
            let qtext = qtext.clone();
            view! {
                <div class="field comment">
                    <label for=comment_id.clone()>
                        // Short on screen, where the question is just above;
                        // whole for a screen reader, which lists fields alone.
                        {move || i18n.t(Msg::Comment)}
                        <span class="visually-hidden">{move || format!(" · {}", qtext.get(i18n.lang.get()))}</span>
                    </label>
                    <textarea id=comment_id.clone() rows="2" prop:value=value disabled=move || read_only.get()
                        on:input=move |ev| emit(Edit::Comment(event_target_value(&ev)))></textarea>
                </div>
            }
        })
    })
}
