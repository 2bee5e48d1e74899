//! Employees: a table of name, role and usual location.

use std::collections::HashSet;

use leptos::prelude::*;

use super::directory::{Edits, Record};
use crate::domain::{Employee, Location};
use crate::exchange::directory::{self, DirectoryError};
use crate::i18n::{Lang, Msg};
use crate::web::platform;
use crate::web::storage::{StorageError, Store};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::location_name;

/// The add form: the role is cleared after an add, the location kept (the
/// next person often works at the same one).
#[derive(Clone, Copy)]
pub struct Draft {
    name: RwSignal<String>,
    role: RwSignal<String>,
    place: RwSignal<String>,
}

impl Record for Employee {
    const KIND: &'static str = "employees";
    const ID_PREFIX: &'static str = "emp";
    const HEADING: Msg = Msg::EmployeesHeading;
    const ADD: Msg = Msg::AddEmployee;
    const EXPORT: Msg = Msg::ExportEmployeesCsv;
    const IMPORT: Msg = Msg::ImportEmployeesCsv;
    const CONFIRM_DELETE: Msg = Msg::ConfirmDeleteEmployee;

    fn id(&self) -> &str {
        &self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn csv(records: &[Self], lang: Lang) -> String {
        directory::employees_csv(records, lang)
    }

    /// A row's location must be one of `locations` (or none).
    fn parse(
        text: &str,
        locations: &[Location],
        new_id: &mut dyn FnMut() -> String,
    ) -> Result<Vec<Self>, DirectoryError> {
        let known: HashSet<&str> = locations.iter().map(|l| l.id.as_str()).collect();
        directory::parse_employees(text, &known, platform::now(), new_id)
    }

    /// Same person, same details: not a change, whatever the time.
    fn same(stored: &Self, row: &Self) -> bool {
        stored.name == row.name && stored.role == row.role && stored.location_id == row.location_id
    }

    async fn put(store: &Store, record: &Self) -> Result<(), StorageError> {
        store.put_employee(record).await
    }

    async fn delete(store: &Store, id: &str) -> Result<(), StorageError> {
        store.delete_employee(id).await
    }

    type Draft = Draft;

    fn draft() -> Draft {
        Draft {
            name: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            place: RwSignal::new(String::new()),
        }
    }

    fn take(d: Draft, id: String) -> Option<Self> {
        let text = d.name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return None;
        }
        let employee = Employee {
            id,
            name: text,
            role: d.role.get_untracked().trim().to_owned(),
            location_id: d.place.get_untracked(),
            updated_at: platform::now(),
        };
        d.name.set(String::new());
        d.role.set(String::new());
        Some(employee)
    }

    fn fields(d: Draft, locations: Signal<Vec<Location>>) -> AnyView {
        let i18n = use_i18n();
        let Draft { name, role, place } = d;
        view! {
            <div class="field">
                <label for="new-employee">{move || i18n.t(Msg::EmployeeName)}</label>
                <input id="new-employee" type="text" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="new-employee-role">{move || i18n.t(Msg::EmployeeRole)}</label>
                <input id="new-employee-role" type="text" prop:value=role on:input=move |ev| role.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="new-employee-location">{move || i18n.t(Msg::ColLocation)}</label>
                <select id="new-employee-location" on:change=move |ev| place.set(event_target_value(&ev))>
                    <option value="">{move || i18n.t(Msg::AnyLocation)}</option>
                    {move || locations.get().into_iter().map(|l| view! { <option value=l.id>{l.name}</option> }).collect_view()}
                </select>
            </div>
        }
        .into_any()
    }

    fn list(
        records: Signal<Vec<Self>>,
        locations: Signal<Vec<Location>>,
        edits: Edits<Self>,
    ) -> AnyView {
        let i18n = use_i18n();
        // One row at a time is edited in place, with what was typed so far.
        let editing = RwSignal::new(None::<String>);
        let typed = Draft {
            name: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            place: RwSignal::new(String::new()),
        };
        let start = move |e: &Employee| {
            typed.name.set(e.name.clone());
            typed.role.set(e.role.clone());
            typed.place.set(e.location_id.clone());
            editing.set(Some(e.id.clone()));
        };
        let save = move |e: Employee| {
            let name = typed.name.get_untracked().trim().to_owned();
            if name.is_empty() {
                return;
            }
            let changed = Employee {
                name,
                role: typed.role.get_untracked().trim().to_owned(),
                location_id: typed.place.get_untracked(),
                updated_at: platform::now(),
                ..e
            };
            editing.set(None);
            if changed.name != e.name
                || changed.role != e.role
                || changed.location_id != e.location_id
            {
                edits.save(changed);
            }
        };
        view! {
            {move || {
                let list = records.get();
                let places = locations.get();
                if list.is_empty() {
                    return view! { <p>{move || i18n.t(Msg::NoEmployees)}</p> }.into_any();
                }
                view! {
                    <div class="table-scroll" tabindex="0">
                        <table>
                            <caption>{move || i18n.t(Msg::EmployeesHeading)}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::EmployeeName)}</th>
                                <th scope="col">{move || i18n.t(Msg::EmployeeRole)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                                <th scope="col"><span class="visually-hidden">{move || i18n.t(Msg::Edit)}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| {
                                    let place = if e.location_id.is_empty() { String::new() } else { location_name(&places, &e.location_id) };
                                    let named = {
                                        let name = e.name.clone();
                                        move |m: Msg| format!("{}: {}", i18n.t(m), name)
                                    };
                                    let id = e.id.clone();
                                    let places = places.clone();
                                    view! {
                                        <tr>
                                            {move || if editing.with(|x| x.as_deref() == Some(id.as_str())) {
                                                let e = e.clone();
                                                let places = places.clone();
                                                view! {
                                                    <td><input type="text" aria-label=named(Msg::EmployeeName) prop:value=typed.name
                                                        on:input=move |ev| typed.name.set(event_target_value(&ev)) /></td>
                                                    <td><input type="text" aria-label=named(Msg::EmployeeRole) prop:value=typed.role
                                                        on:input=move |ev| typed.role.set(event_target_value(&ev)) /></td>
                                                    <td><select aria-label=named(Msg::ColLocation) on:change=move |ev| typed.place.set(event_target_value(&ev))>
                                                        <option value="" selected=move || typed.place.with(String::is_empty)>{move || i18n.t(Msg::AnyLocation)}</option>
                                                        {places.into_iter().map(|l| {
                                                            let lid = l.id.clone();
                                                            view! { <option value=l.id selected=move || typed.place.with(|p| *p == lid)>{l.name}</option> }
                                                        }).collect_view()}
                                                    </select></td>
                                                    <td><div class="actions">
                                                        <button type="button" class="primary" aria-label=named(Msg::SavedEdit) on:click=move |_| save(e.clone())>{move || i18n.t(Msg::SavedEdit)}</button>
                                                        <button type="button" on:click=move |_| editing.set(None)>{move || i18n.t(Msg::CancelEdit)}</button>
                                                    </div></td>
                                                }.into_any()
                                            } else {
                                                let (e, e2) = (e.clone(), e.clone());
                                                view! {
                                                    <td>{e.name.clone()}</td>
                                                    <td>{e.role.clone()}</td>
                                                    <td>{place.clone()}</td>
                                                    <td><div class="actions">
                                                        <button type="button" aria-label=named(Msg::Edit) on:click=move |_| start(&e)>{move || i18n.t(Msg::Edit)}</button>
                                                        <button type="button" aria-label=named(Msg::Delete) on:click=move |_| edits.remove(e2.clone())>{move || i18n.t(Msg::Delete)}</button>
                                                    </div></td>
                                                }.into_any()
                                            }}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        }
        .into_any()
    }
}
