//! The fields a form asks before its questions, per questionnaire kind
//! (`QuestionnaireKind::header_fields`): where, when, and which employee.
//! Each change is a response snapshot for the caller to autosave, like an
//! answer.

use leptos::prelude::*;

use crate::domain::{Employee, HeaderField, Location, QuestionnaireKind, Response, Timestamp};
use crate::i18n::Msg;
use crate::web::platform;
use crate::web::ui::form::questionnaire_form::edit_response;
use crate::web::ui::i18n::use_i18n;

fn when_label(kind: QuestionnaireKind) -> Msg {
    match kind {
        QuestionnaireKind::Complaint => Msg::IncidentWhen,
        QuestionnaireKind::OpsReport => Msg::ReportWhen,
        QuestionnaireKind::Audit | QuestionnaireKind::Survey => Msg::VisitWhen,
    }
}

fn employee_label(kind: QuestionnaireKind) -> Msg {
    match kind {
        QuestionnaireKind::Complaint => Msg::EmployeeConcerned,
        QuestionnaireKind::OpsReport => Msg::ReportedBy,
        QuestionnaireKind::Audit | QuestionnaireKind::Survey => Msg::EmployeeObserved,
    }
}

#[component]
pub fn VisitHeader(
    kind: QuestionnaireKind,
    resp: RwSignal<Response>,
    read_only: Signal<bool>,
    locations: Signal<Vec<Location>>,
    employees: Signal<Vec<Employee>>,
    on_change: Callback<Response>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edit =
        move |f: &dyn Fn(&mut Response, Timestamp) -> bool| edit_response(resp, on_change, f);
    // Memos of the fields shown here, so that an answer elsewhere in the
    // form does not re-run these bindings (nor rebuild the staff list).
    let location = Memo::new(move |_| resp.with(|r| r.location_id.clone()));
    let occurred = Memo::new(move |_| resp.with(|r| r.occurred_at().to_local_input()));
    let chosen =
        Memo::new(move |_| resp.with(|r| r.employee_ids.first().cloned().unwrap_or_default()));
    let note_shown = Memo::new(move |_| resp.with(|r| r.employee_note.clone()));
    // An invalid or half-typed date is not stored; the field shows the error.
    let when_invalid = RwSignal::new(false);

    kind.header_fields().iter().map(|field| match field {
        HeaderField::Location => {
            let current = resp.with_untracked(|r| r.location_id.clone());
            view! {
                <div class="field">
                    <label for="visit-location">{move || i18n.t(Msg::Location)}</label>
                    <select id="visit-location" disabled=move || read_only.get()
                        on:change=move |ev| {
                            let loc = event_target_value(&ev);
                            edit(&|r, now| r.set_location(&loc, now));
                        }>
                        {locations.get_untracked().into_iter().map(|l| {
                            let selected = l.id == current;
                            view! { <option value=l.id selected=selected>{l.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            }.into_any()
        }
        HeaderField::When => view! {
            <div class="field">
                <label for="visit-when">{move || i18n.t(when_label(kind))}</label>
                <input id="visit-when" type="datetime-local" disabled=move || read_only.get()
                    aria-invalid=move || when_invalid.get().then_some("true")
                    aria-describedby="visit-when-error"
                    prop:value=occurred
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        // Wall-clock time where the device is now.
                        let offset = platform::now().offset_min;
                        match Timestamp::from_local_input(&text, offset) {
                            Some(at) => {
                                when_invalid.set(false);
                                edit(&|r, now| r.set_visited_at(Some(at), now));
                            }
                            None => when_invalid.set(true),
                        }
                    } />
                <p id="visit-when-error" class="error" role="alert" hidden=move || !when_invalid.get()>
                    {move || i18n.t(Msg::InvalidDateTime)}
                </p>
            </div>
        }.into_any(),
        HeaderField::Employee => {
            // Staff of the chosen location first; people with no fixed
            // location everywhere.
            let staff = move || {
                location.with(|here| employees.with(|all| {
                    all.iter()
                        .filter(|e| e.location_id.is_empty() || e.location_id == *here)
                        .cloned()
                        .collect::<Vec<_>>()
                }))
            };
            let chosen = move || chosen.get();
            view! {
                <div class="field">
                    <label for="visit-employee">{move || i18n.t(employee_label(kind))}</label>
                    <select id="visit-employee" disabled=move || read_only.get()
                        on:change=move |ev| {
                            let id = event_target_value(&ev);
                            let note = resp.with_untracked(|r| r.employee_note.clone());
                            edit(&|r, now| r.set_employee(Some(&id), &note, now));
                        }>
                        <option value="" selected=move || chosen().is_empty()>{move || i18n.t(Msg::EmployeeNotListed)}</option>
                        {move || staff().into_iter().map(|e| {
                            let selected = e.id == chosen();
                            let text = if e.role.is_empty() { e.name.clone() } else { format!("{} · {}", e.name, e.role) };
                            view! { <option value=e.id selected=selected>{text}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="visit-employee-note">{move || i18n.t(Msg::DescribeEmployee)}</label>
                    <input id="visit-employee-note" type="text" disabled=move || read_only.get()
                        prop:value=note_shown
                        on:input=move |ev| {
                            let note = event_target_value(&ev);
                            let id = chosen();
                            edit(&|r, now| r.set_employee(Some(&id), &note, now));
                        } />
                </div>
            }.into_any()
        }
    }).collect_view()
}
