//! The form that creates a corrective action from a failed item of an
//! audit: on the shopper's submitted visit (shell) and on a response's page
//! (manager). The rules are `crate::dashboard::actions::from_form`'s.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use crate::dashboard::actions::{from_form, FormError};
use crate::domain::{Employee, Response};
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::platform;
use crate::web::storage;
use crate::web::ui::i18n::use_i18n;

/// "Create corrective action" under one failed item of `response`.
#[component]
pub fn ActionForm(
    response: Response,
    question_id: String,
    employees: Arc<Vec<Employee>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let assignee = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    // None: nothing yet; Ok: saved; Err: why not.
    let outcome: RwSignal<Option<Result<(), String>>> = RwSignal::new(None);
    let key = format!("{}-{}", response.id.simple(), question_id);
    let (id_a, id_d, id_n, id_list) = (
        format!("act-a-{key}"),
        format!("act-d-{key}"),
        format!("act-n-{key}"),
        format!("act-l-{key}"),
    );
    // Stored so `save` is Copy: the form is rebuilt each time it opens.
    let item = StoredValue::new((response, question_id));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let made = item.with_value(|(response, question_id)| {
            from_form(
                Uuid::new_v4(),
                response,
                question_id,
                &assignee.get_untracked(),
                &due.get_untracked(),
                &note.get_untracked(),
                platform::now(),
            )
        });
        let action = match made {
            Ok(a) => a,
            Err(e) => {
                let msg = match e {
                    FormError::NoAssignee => Msg::ActionNeedsAssignee,
                    FormError::BadDue => Msg::ActionBadDue,
                };
                outcome.set(Some(Err(i18n.t(msg).to_owned())));
                return;
            }
        };
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_action(&action).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    open.set(false);
                    assignee.set(String::new());
                    due.set(String::new());
                    note.set(String::new());
                    outcome.set(Some(Ok(())));
                }
                Err(e) => outcome.set(Some(Err(e.0))),
            }
        });
    };
    let names: Vec<String> = employees.iter().map(|e| e.name.clone()).collect();
    view! {
        <div class="action-create">
            <button type="button" aria-expanded=move || open.get().to_string()
                on:click=move |_| { outcome.set(None); open.update(|o| *o = !*o) }>
                {move || i18n.t(Msg::CreateAction)}
            </button>
            <Show when=move || open.get()>
                <form class="action-form" aria-label=move || i18n.t(Msg::ActionFor) on:submit=save>
                    <div class="field">
                        <label for=id_a.clone()>{move || i18n.t(Msg::ActionAssignee)}</label>
                        <input id=id_a.clone() type="text" list=id_list.clone() autocomplete="off"
                            prop:value=assignee on:input=move |ev| assignee.set(event_target_value(&ev)) />
                        <datalist id=id_list.clone()>
                            {names.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
                        </datalist>
                    </div>
                    <div class="field">
                        <label for=id_d.clone()>{move || i18n.t(Msg::ActionDue)}</label>
                        <input id=id_d.clone() type="date"
                            prop:value=due on:input=move |ev| due.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for=id_n.clone()>{move || i18n.t(Msg::ActionNote)}</label>
                        <textarea id=id_n.clone() rows="2"
                            prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit">{move || i18n.t(Msg::SaveAction)}</button>
                </form>
            </Show>
            {move || outcome.get().map(|o| match o {
                Ok(()) => view! {
                    <p role="status">{i18n.t(Msg::ActionSaved)}" "
                        <a href=Route::Actions.to_hash()>{i18n.t(Msg::ActionsTitle)}</a>
                    </p>
                }.into_any(),
                Err(e) => view! { <p role="alert">{e}</p> }.into_any(),
            })}
        </div>
    }
}
