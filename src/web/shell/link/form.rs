//! A form link (`#/f/<name>/<target>[/<location>]`, made by
//! `distribution::form_link`): the questionnaire is read from the team's
//! forms database, checked like an imported file, and then runs like a
//! survey or checklist from a long link, with its answers going to the
//! server and key the link names.

use leptos::prelude::*;

use crate::distribution::form_link;
use crate::i18n::Msg;
use crate::web::shell::link::LinkLanding;
use crate::web::transport::{fetch_form, FormFetchError};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::Loading;

#[component]
pub fn FormLinkPage(name: String, target: String, location: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = LocalResource::new(move || {
        let parsed = form_link::parse(&name, &target, location.as_deref());
        async move {
            let link = parsed.map_err(FormFetchError::Form)?;
            fetch_form(&link).await.map(|(payload, _form)| payload)
        }
    });
    move || match loaded.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! {
            <h1>{move || i18n.t(Msg::LinkBroken)}</h1>
            <div role="alert" class="error"><p>{move || e.message(i18n.lang.get())}</p></div>
        }
        .into_any(),
        Some(Ok(payload)) => view! { <LinkLanding payload /> }.into_any(),
    }
}
