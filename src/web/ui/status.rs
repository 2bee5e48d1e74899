//! Shared bits for loading and failure states.

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p role="status">{move || i18n.t(Msg::Loading)}</p> }
}

/// A storage failure, shown with its technical detail for support.
#[component]
pub fn StorageFailure(detail: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="error">
            <p>{move || i18n.t(Msg::StorageUnavailable)}</p>
            <p class="detail">{detail}</p>
        </div>
    }
}
