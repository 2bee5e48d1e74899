//! A screen with nothing to show yet says what to do next, with the one
//! button that does it (docs/design.md, "Empty states").

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn EmptyState(
    /// An icon of `public/icons/ui/`.
    icon: &'static str,
    #[prop(optional)] title: Option<Msg>,
    text: Msg,
    /// The next step: where it goes and its words.
    href: String,
    action: Msg,
    /// A second way on, less prominent.
    #[prop(optional)]
    also: Option<(String, Msg)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="empty-state" role="note">
            <span class="icon" data-icon=icon aria-hidden="true"></span>
            {title.map(|t| view! { <p class="empty-title">{move || i18n.t(t)}</p> })}
            <p>{move || i18n.t(text)}</p>
            <div class="toolbar">
                <a class="button primary" href=href>{move || i18n.t(action)}</a>
                {also.map(|(href, msg)| view! { <a class="button" href=href>{move || i18n.t(msg)}</a> })}
            </div>
        </div>
    }
}
