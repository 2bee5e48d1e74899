use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::NotFound)}</h1>
        <p><a href="#/">{move || i18n.t(Msg::BackHome)}</a></p>
    }
}
