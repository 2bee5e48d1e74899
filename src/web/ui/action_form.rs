//! The corrective actions of one failed item of an audit, and the form that
//! creates or edits one: on the shopper's submitted visit (shell) and on a
//! response's page (manager). Actions already made for the item are listed
//! on it, so a second one is not made by mistake. The rules are
//! `crate::dashboard::actions::from_form`'s and `edited`'s.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use crate::dashboard::actions::{edited, from_form, summary, FormError};
use crate::domain::{CorrectiveAction, Employee, Response};
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
    // The action being edited; `None` while the form makes a new one.
    let editing = RwSignal::new(None::<CorrectiveAction>);
    let saved = RwSignal::new(0u32);
    let (response_id, qid) = (response.id, question_id.clone());
    let existing = LocalResource::new(move || {
        saved.track();
        let qid = qid.clone();
        async move {
            let store = storage::shared().await.ok()?;
            let mut on_item: Vec<CorrectiveAction> = store
                .actions()
                .await
                .ok()?
                .into_iter()
                .filter(|a| a.response_id == response_id && a.question_id == qid)
                .collect();
            on_item.sort_by_key(|a| a.created_at);
            Some(on_item)
        }
    });
    // Stored so `save` is Copy: the form is rebuilt each time it opens.
    let item = StoredValue::new((response, question_id));
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (who, when, text, now) = (
            assignee.get_untracked(),
            due.get_untracked(),
            note.get_untracked(),
            platform::now(),
        );
        let made = match editing.get_untracked() {
            Some(a) => edited(&a, &who, &when, &text, now),
            None => item.with_value(|(response, question_id)| {
                from_form(
                    Uuid::new_v4(),
                    response,
                    question_id,
                    &who,
                    &when,
                    &text,
                    now,
                )
                .map(Some)
            }),
        };
        let action = match made {
            Ok(Some(a)) => a,
            Ok(None) => {
                open.set(false);
                editing.set(None);
                return;
            }
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
                    editing.set(None);
                    saved.update(|n| *n += 1);
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
    let start_edit = move |a: CorrectiveAction| {
        assignee.set(a.assignee.clone());
        due.set(a.due.map(|d| d.to_string()).unwrap_or_default());
        note.set(a.note.clone());
        editing.set(Some(a));
        outcome.set(None);
        open.set(true);
    };
    let on_item = move || {
        let list = existing.get().flatten().unwrap_or_default();
        (!list.is_empty()).then(|| view! {
            <ul class="plain-list" aria-label=move || i18n.t(Msg::ActionsOnItem)>
                {list.into_iter().map(|a| {
                    let line = summary(&a, i18n.lang.get());
                    let name = format!("{}: {}", i18n.t(Msg::EditAction), line);
                    view! {
                        <li>
                            <span>{line}</span>" "
                            <button type="button" aria-label=name on:click=move |_| start_edit(a.clone())>{move || i18n.t(Msg::Edit)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })
    };
    view! {
        <div class="action-create">
            {on_item}
            <button type="button" aria-expanded=move || (open.get() && editing.with(Option::is_none)).to_string()
                on:click=move |_| { outcome.set(None); editing.set(None); assignee.set(String::new()); due.set(String::new()); note.set(String::new()); open.update(|o| *o = !*o) }>
                {move || i18n.t(Msg::CreateAction)}
            </button>
            <Show when=move || open.get()>
                <form class="action-form" aria-label=move || i18n.t(if editing.with(Option::is_some) { Msg::EditAction } else { Msg::ActionFor }) on:submit=save>
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
