//! Photos: a photo question shows only its text here, since it is answered
//! by its photos; the photo controls themselves come from the screen's
//! [`PhotoSlot`], for a photo question or any question that allows photos
//! as evidence.

use leptos::prelude::*;

use super::{Field, PhotoProps, PhotoSlot};
use crate::domain::{Edit, Question, QuestionType, Response};

pub(super) fn question(q: &Question, f: &Field) -> AnyView {
    view! {
        <div id=f.input_id.clone() class="question field">
            <p class="label">{f.legend(q)}</p>
            {f.help(q)}
        </div>
    }
    .into_any()
}

/// The photo controls of `q`, if it takes photos. A photo question's answer
/// is the ids of its photos; evidence photos leave the answer alone.
pub(super) fn attach(
    q: &Question,
    f: &Field,
    resp: RwSignal<Response>,
    slot: PhotoSlot,
) -> Option<AnyView> {
    let is_photo_question = q.qtype == QuestionType::Photo;
    if !(q.photo_allowed || is_photo_question) {
        return None;
    }
    let emit = f.emit();
    let on_change = Callback::new(move |ids: Vec<uuid::Uuid>| {
        if is_photo_question {
            emit(Edit::chosen(ids.iter().map(|id| id.to_string()).collect()));
        }
    });
    Some(slot(PhotoProps {
        response_id: resp.with_untracked(|r| r.id),
        question_id: f.qid.clone(),
        label: Signal::derive(f.legend(q)),
        read_only: f.read_only,
        on_change,
        input_id: format!("{}-photo", f.input_id),
    }))
}
