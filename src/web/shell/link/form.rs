//! A form link (`#/f/<name>/<target>[/<location>]`, made by
//! `distribution::form_link`): the questionnaire is read from the team's
//! forms database, checked like an imported file, and then runs like a
//! survey or checklist from a long link, with its answers going to the
//! server and key the link names.

use leptos::prelude::*;

use crate::distribution::form_link;
use crate::link::adopt::directory_to_store;
use crate::link::LinkMode;
use crate::web::shell::link::fetched_landing;
use crate::web::storage;
use crate::web::transport::{fetch_form, FormFetchError};

#[component]
pub fn FormLinkPage(name: String, target: String, location: Option<String>) -> impl IntoView {
    let loaded = LocalResource::new(move || {
        let parsed = form_link::parse(&name, &target, location.as_deref());
        async move {
            let link = parsed.map_err(FormFetchError::Form)?;
            let (mut payload, form) = fetch_form(&link).await?;
            if payload.mode == LinkMode::Fill {
                take_directory(&form).await;
                // The visit starts at the manager's first store, not at a
                // default place the manager's devices do not know.
                if payload.location.is_none() {
                    payload.location = form.locations.first().cloned();
                }
            }
            Ok(payload)
        }
    });
    fetched_landing(loaded, FormFetchError::message)
}

/// Stores the stores and staff a checklist's form brings that this device
/// lacks (`link::adopt::directory_to_store`). A failure leaves the device
/// as it was: the checklist still opens, with the stores already here.
async fn take_directory(form: &form_link::Form) {
    let Ok(store) = storage::shared().await else {
        return;
    };
    let (Ok(locations), Ok(employees)) = (store.locations().await, store.employees().await) else {
        return;
    };
    let (new_locations, new_employees) =
        directory_to_store(&form.locations, &form.employees, &locations, &employees);
    for l in new_locations {
        if store.put_location(l).await.is_err() {
            return;
        }
    }
    for e in new_employees {
        if store.put_employee(e).await.is_err() {
            return;
        }
    }
}
