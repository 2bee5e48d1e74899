//! Locations and employees: the lists the visit header picks from. Kept by
//! hand here or in a spreadsheet (CSV in and out, `formats::directory`).
//! An import is checked whole before anything is stored: a file with one
//! bad row changes nothing.

use std::collections::HashSet;

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{Employee, Location};
use crate::exchange::directory;
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::{location_name, locations_or_default};
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

/// What the page shows after an action: a notice or an error.
#[derive(Clone)]
enum Outcome {
    Done(String),
    Failed(String),
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let reload = RwSignal::new(0u32);
    let outcome = RwSignal::new(None::<Outcome>);
    let data = LocalResource::new(move || {
        reload.track();
        async move {
            let store = storage::shared().await?;
            let locations = locations_or_default(&store, lang).await?;
            let mut employees = store.employees().await?;
            employees.sort_by(|a, b| a.name.cmp(&b.name));
            Ok::<_, storage::StorageError>((locations, employees))
        }
    });
    let locations = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(l, _)| l)
            .unwrap_or_default()
    });
    let employees = Signal::derive(move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, e)| e)
            .unwrap_or_default()
    });
    let run = Jobs { outcome, reload };

    view! {
        <h1>{move || i18n.t(Msg::PeopleTitle)}</h1>
        {move || outcome.get().map(|o| match o {
            Outcome::Done(text) => view! { <p role="status" class="notice">{text}</p> }.into_any(),
            Outcome::Failed(text) => view! { <div role="alert" class="error"><p>{text}</p></div> }.into_any(),
        })}
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| res.err().map(|e| view! { <StorageFailure detail=e.0 /> }))}
        </Suspense>
        <LocationsSection locations run />
        <EmployeesSection locations employees run />
    }
}

/// Runs a storage job, then shows its outcome and reloads the lists.
#[derive(Clone, Copy)]
struct Jobs {
    outcome: RwSignal<Option<Outcome>>,
    reload: RwSignal<u32>,
}

impl Jobs {
    fn run(self, job: impl std::future::Future<Output = Outcome> + 'static) {
        leptos::task::spawn_local(async move {
            self.outcome.set(Some(job.await));
            self.reload.update(|n| *n += 1);
        });
    }
}

fn stored(result: Result<(), storage::StorageError>, done: String) -> Outcome {
    match result {
        Ok(()) => Outcome::Done(done),
        Err(e) => Outcome::Failed(e.0),
    }
}

/// "Imported 12: 10 new, 2 changed".
fn import_summary(msg_lang: crate::i18n::Lang, added: usize, changed: usize) -> String {
    format!(
        "{} {}: {} {}, {} {}",
        Msg::ImportedRows.text(msg_lang),
        added + changed,
        added,
        Msg::ImportedNew.text(msg_lang),
        changed,
        Msg::ImportedChanged.text(msg_lang),
    )
}

/// The browser's yes/no question; a browser that cannot ask means no.
fn confirm(question: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.confirm_with_message(question).ok())
        .unwrap_or(false)
}

/// Splits imported rows into those to store (new, or different by `same`
/// from the stored record with the same id) and counts the new and changed.
fn tally<'a, T, S>(
    rows: &'a [T],
    stored: &[S],
    same_id: impl Fn(&S, &T) -> bool,
    same: impl Fn(&S, &T) -> bool,
) -> (Vec<&'a T>, usize, usize) {
    let (mut added, mut changed) = (0, 0);
    let fresh = rows
        .iter()
        .filter(|row| match stored.iter().find(|s| same_id(s, row)) {
            Some(stored) if same(stored, row) => false,
            Some(_) => {
                changed += 1;
                true
            }
            None => {
                added += 1;
                true
            }
        })
        .collect();
    (fresh, added, changed)
}

fn file_of(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    let file = input.files()?.get(0);
    // Choosing the same file again must fire `change` again.
    input.set_value("");
    file
}

#[component]
fn LocationsSection(locations: Signal<Vec<Location>>, run: Jobs) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        name.set(String::new());
        let lang = i18n.lang.get_untracked();
        run.run(async move {
            let location = Location {
                id: format!("loc-{}", Uuid::new_v4()),
                name: text,
            };
            let result = match storage::shared().await {
                Ok(store) => store.put_location(&location).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::SavedDone.text(lang).to_owned())
        });
    };
    let export = move |_| {
        let lang = i18n.lang.get_untracked();
        let text = directory::locations_csv(&locations.get_untracked(), lang);
        if let Err(e) = platform::download_text("servicelens-locations.csv", "text/csv", &text) {
            run.run(async move { Outcome::Failed(e) });
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = file_of(&ev) else { return };
        let lang = i18n.lang.get_untracked();
        let before = locations.get_untracked();
        run.run(async move {
            let text = match platform::read_file_text(&file).await {
                Ok(t) => t,
                Err(e) => return Outcome::Failed(e),
            };
            let rows = match directory::parse_locations(&text, &mut || {
                format!("loc-{}", Uuid::new_v4())
            }) {
                Ok(rows) => rows,
                Err(e) => return Outcome::Failed(e.message(lang)),
            };
            let store = match storage::shared().await {
                Ok(s) => s,
                Err(e) => return Outcome::Failed(e.0),
            };
            let (fresh, added, changed) = tally(&rows, &before, |b, l| b.id == l.id, |b, l| b == l);
            for l in fresh {
                if let Err(e) = store.put_location(l).await {
                    return Outcome::Failed(e.0);
                }
            }
            Outcome::Done(import_summary(lang, added, changed))
        });
    };
    let remove = move |l: Location| {
        if !confirm(&format!(
            "{} «{}»?",
            i18n.t(Msg::ConfirmDeleteLocation),
            l.name
        )) {
            return;
        }
        let lang = i18n.lang.get_untracked();
        run.run(async move {
            let result = match storage::shared().await {
                Ok(store) => store.delete_location(&l.id).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::Deleted.text(lang).to_owned())
        });
    };
    let rename = move |l: Location, text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() || text == l.name {
            return;
        }
        let lang = i18n.lang.get_untracked();
        run.run(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_location(&Location { name: text, ..l }).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::SavedDone.text(lang).to_owned())
        });
    };
    view! {
        <section aria-labelledby="locations-heading">
            <h2 id="locations-heading">{move || i18n.t(Msg::LocationsHeading)}</h2>
            <ul class="plain-list">
                {move || locations.get().into_iter().map(|l| {
                    let label = format!("{}: {}", i18n.t(Msg::LocationName), l.name);
                    let delete_label = format!("{}: {}", i18n.t(Msg::Delete), l.name);
                    let for_rename = l.clone();
                    view! {
                        <li>
                            <input type="text" aria-label=label prop:value=l.name.clone()
                                on:change=move |ev| rename(for_rename.clone(), event_target_value(&ev)) />
                            <button type="button" aria-label=delete_label on:click=move |_| remove(l.clone())>
                                {move || i18n.t(Msg::Delete)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form on:submit=add>
                <div class="field">
                    <label for="new-location">{move || i18n.t(Msg::NewLocation)}</label>
                    <input id="new-location" type="text" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit">{move || i18n.t(Msg::AddLocation)}</button>
            </form>
            <div class="row">
                <button type="button" on:click=export>{move || i18n.t(Msg::ExportLocationsCsv)}</button>
                <label class="button">
                    {move || i18n.t(Msg::ImportLocationsCsv)}
                    <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=import />
                </label>
            </div>
        </section>
    }
}

#[component]
fn EmployeesSection(
    locations: Signal<Vec<Location>>,
    employees: Signal<Vec<Employee>>,
    run: Jobs,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = name.get_untracked().trim().to_owned();
        if text.is_empty() {
            return;
        }
        let employee = Employee {
            id: format!("emp-{}", Uuid::new_v4()),
            name: text,
            role: role.get_untracked().trim().to_owned(),
            location_id: place.get_untracked(),
            updated_at: platform::now(),
        };
        name.set(String::new());
        role.set(String::new());
        let lang = i18n.lang.get_untracked();
        run.run(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_employee(&employee).await,
                Err(e) => Err(e),
            };
            stored(result, Msg::SavedDone.text(lang).to_owned())
        });
    };
    let export = move |_| {
        let lang = i18n.lang.get_untracked();
        let text = directory::employees_csv(&employees.get_untracked(), lang);
        if let Err(e) = platform::download_text("servicelens-employees.csv", "text/csv", &text) {
            run.run(async move { Outcome::Failed(e) });
        }
    };
    let import = move |ev: leptos::ev::Event| {
        let Some(file) = file_of(&ev) else { return };
        let lang = i18n.lang.get_untracked();
        let before = employees.get_untracked();
        let known: Vec<String> = locations
            .get_untracked()
            .into_iter()
            .map(|l| l.id)
            .collect();
        run.run(async move {
            let text = match platform::read_file_text(&file).await {
                Ok(t) => t,
                Err(e) => return Outcome::Failed(e),
            };
            let known: HashSet<&str> = known.iter().map(String::as_str).collect();
            let now = platform::now();
            let rows = match directory::parse_employees(&text, &known, now, &mut || {
                format!("emp-{}", Uuid::new_v4())
            }) {
                Ok(rows) => rows,
                Err(e) => return Outcome::Failed(e.message(lang)),
            };
            let store = match storage::shared().await {
                Ok(s) => s,
                Err(e) => return Outcome::Failed(e.0),
            };
            // Same person, same details: not a change, whatever the time.
            let (fresh, added, changed) = tally(
                &rows,
                &before,
                |b, e| b.id == e.id,
                |b, e| b.name == e.name && b.role == e.role && b.location_id == e.location_id,
            );
            for e in fresh {
                if let Err(err) = store.put_employee(e).await {
                    return Outcome::Failed(err.0);
                }
            }
            Outcome::Done(import_summary(lang, added, changed))
        });
    };
    let remove = move |e: Employee| {
        if !confirm(&format!(
            "{} «{}»?",
            i18n.t(Msg::ConfirmDeleteEmployee),
            e.name
        )) {
            return;
        }
        let lang = i18n.lang.get_untracked();
        run.run(async move {
            let result = match storage::shared().await {
                Ok(store) => store.delete_employee(&e.id).await,
                Err(err) => Err(err),
            };
            stored(result, Msg::Deleted.text(lang).to_owned())
        });
    };
    view! {
        <section aria-labelledby="employees-heading">
            <h2 id="employees-heading">{move || i18n.t(Msg::EmployeesHeading)}</h2>
            {move || {
                let list = employees.get();
                let places = locations.get();
                if list.is_empty() {
                    return view! { <p>{move || i18n.t(Msg::NoEmployees)}</p> }.into_any();
                }
                view! {
                    <div class="table-scroll">
                        <table>
                            <caption>{move || i18n.t(Msg::EmployeesHeading)}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::EmployeeName)}</th>
                                <th scope="col">{move || i18n.t(Msg::EmployeeRole)}</th>
                                <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                                <th scope="col"><span class="visually-hidden">{move || i18n.t(Msg::Delete)}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| {
                                    let place = if e.location_id.is_empty() { String::new() } else { location_name(&places, &e.location_id) };
                                    let delete_label = format!("{}: {}", i18n.t(Msg::Delete), e.name);
                                    view! {
                                        <tr>
                                            <td>{e.name.clone()}</td>
                                            <td>{e.role.clone()}</td>
                                            <td>{place}</td>
                                            <td><button type="button" aria-label=delete_label on:click=move |_| remove(e.clone())>{move || i18n.t(Msg::Delete)}</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            <form on:submit=add>
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
                <button type="submit">{move || i18n.t(Msg::AddEmployee)}</button>
            </form>
            <div class="row">
                <button type="button" on:click=export>{move || i18n.t(Msg::ExportEmployeesCsv)}</button>
                <label class="button">
                    {move || i18n.t(Msg::ImportEmployeesCsv)}
                    <input type="file" accept=".csv,text/csv" class="visually-hidden" on:change=import />
                </label>
            </div>
        </section>
    }
}
