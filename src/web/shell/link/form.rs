//! A form link (`#/f/<name>/<target>[/<location>]`, made by
//! `distribution::form_link`): the questionnaire is read from the team's
//! forms database, checked like an imported file, and then runs like a
//! survey or checklist from a long link, with its answers going to the
//! server and key the link names.

use leptos::prelude::*;

use crate::distribution::form_link;
use crate::web::shell::link::fetched_landing;
use crate::web::transport::{fetch_form, FormFetchError};

#[component]
pub fn FormLinkPage(name: String, target: String, location: Option<String>) -> impl IntoView {
    let loaded = LocalResource::new(move || {
        let parsed = form_link::parse(&name, &target, location.as_deref());
        async move {
            let link = parsed.map_err(FormFetchError::Form)?;
            fetch_form(&link).await.map(|(payload, _form)| payload)
        }
    });
    fetched_landing(loaded, FormFetchError::message)
}
