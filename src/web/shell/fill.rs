//! Filling one response. Every answer goes to IndexedDB the moment it is
//! given (see `autosave`); a reload reopens the same draft from its id in
//! the URL fragment.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{
    score_audit, Employee, Location, Questionnaire, QuestionnaireKind, Response, ResponseStatus,
};
use crate::i18n::{answered_of, score_text, visit_duration, Msg};
use crate::routes::Route;
use crate::web::shell::role::use_role;
use crate::web::ui::action_form::ActionForm;
use crate::web::ui::autosave::{self, Record, SaveState};
use crate::web::ui::form::answer_input::PhotoSlot;
use crate::web::ui::form::photos;
use crate::web::ui::form::questionnaire_form::QuestionnaireForm;
use crate::web::ui::form::submit::SubmitAnswers;
use crate::web::ui::form::visit_header::VisitHeader;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::{locations_or_default, questionnaire};
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

#[component]
pub fn FillPage(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || async move {
        let store = storage::shared().await?;
        let Some(response) = store.get_response(id).await? else {
            return Ok(None);
        };
        let q = questionnaire(
            &store,
            &response.questionnaire_id,
            response.questionnaire_version,
        )
        .await?;
        let locations = locations_or_default(&store, lang).await?;
        let mut employees = store.employees().await?;
        employees.sort_by(|a, b| a.name.cmp(&b.name));
        Ok::<_, storage::StorageError>(q.map(|q| (response, q, locations, employees)))
    });
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || loaded.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(Some((response, q, locations, employees))) => {
                    view! { <FillForm response questionnaire=q locations employees /> }.into_any()
                }
                Ok(None) => not_found().into_any(),
            })}
        </Suspense>
    }
}

fn not_found() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p role="alert">{move || i18n.t(Msg::ResponseNotFound)}</p>
        <p><a href="#/">{move || i18n.t(Msg::BackHome)}</a></p>
    }
}

#[component]
fn FillForm(
    response: Response,
    questionnaire: Questionnaire,
    locations: Vec<Location>,
    employees: Vec<Employee>,
) -> impl IntoView {
    let i18n = use_i18n();
    let resp = RwSignal::new(response);
    let save_state = RwSignal::new(SaveState::Saved);
    let q = Signal::stored(questionnaire);
    // A memo: every control's `disabled` reads it, and an answer must not
    // re-run them all.
    let read_only: Signal<bool> = Memo::new(move |_| !resp.with(|r| r.is_draft())).into();
    let is_audit = q.with_untracked(|q| q.kind == QuestionnaireKind::Audit);
    let locations = Signal::stored(locations);
    let employees = Signal::stored(employees);
    let kind = q.with_untracked(|q| q.kind);

    let progress = move || {
        let (answered, total) = q.with(|q| resp.with(|r| q.progress(r)));
        answered_of(i18n.lang.get(), answered, total)
    };

    let on_change = Callback::new(move |snapshot: Response| {
        autosave::save(snapshot, save_state);
    });

    // A shopper next sees what waits to be sent; a manager, the figures.
    let role = use_role().role;
    let after_submit = Callback::new(move |()| {
        let next = match role.get_untracked() {
            Some(crate::menu::Role::Shopper) => Route::Submitted(resp.with_untracked(|r| r.id)),
            _ => Route::dashboard(),
        };
        platform::set_hash(&next.to_hash())
    });

    let title = q.with_untracked(|q| q.title.clone());

    // A reload returns to the question the person was at.
    let back_to = platform::saved_scroll();
    let scrolled = window_event_listener(leptos::ev::scroll, |_| platform::remember_scroll());
    on_cleanup(move || scrolled.remove());
    Effect::new(move |_| platform::scroll_back(back_to));

    view! {
        <h1>{move || title.get(i18n.lang.get()).to_owned()}</h1>
        <Corrections resp />
        <VisitHeader kind resp read_only locations employees on_change />
        <p role="status" class="progress">{progress}</p>
        {move || read_only.get().then(|| view! {
            <div class="notice">
                <p>{move || i18n.t(Msg::AlreadySubmitted)}</p>
                {is_audit.then(|| view! {
                    <p>
                        {move || i18n.t(Msg::ColScore)} ": "
                        {move || score_text(q.with(|q| resp.with(|r| score_audit(q, r).visit)), i18n.lang.get())}
                    </p>
                    <FailedItems q resp employees />
                })}
                <p>
                    {move || resp.with(|r| r.submitted_at.map(|end| visit_duration(i18n.lang.get(), end.utc_ms - r.started_at.utc_ms)))}
                </p>
            </div>
        })}
        <SectionJump q />
        <QuestionnaireForm questionnaire=q resp read_only locations on_change id_prefix="fill" photos=Some(photos::attach as PhotoSlot) />
        {move || match save_state.get() {
            SaveState::Failed(detail) => Some(view! {
                <div role="alert" class="error">
                    <p>{move || i18n.t(Msg::SaveFailed)}</p>
                    <p class="detail">{detail}</p>
                    <button type="button" on:click=move |_| autosave::retry(&Record::Response(resp.get_untracked()), save_state)>
                        {move || i18n.t(Msg::Retry)}
                    </button>
                </div>
            }),
            _ => None,
        }}
        <SubmitAnswers questionnaire=q resp save_state on_stored=after_submit id_prefix="fill" />
        <VisitActions resp />
    }
}

/// Where a response stands among corrections: a draft correction says what
/// it will replace; a replaced original links to the copy that replaced it.
#[component]
fn Corrections(resp: RwSignal<Response>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, supersedes) = resp.with_untracked(|r| (r.id, r.supersedes));
    // Only results can have been corrected; drafts skip the scan.
    let replaced_by = LocalResource::new(move || async move {
        if resp.with_untracked(|r| r.is_draft()) {
            return None;
        }
        let store = storage::shared().await.ok()?;
        let all = store.responses().await.ok()?;
        all.into_iter()
            .filter(|r| r.supersedes == Some(id) && !r.is_draft())
            .max_by_key(|r| r.submitted_at)
            .map(|r| r.id)
    });
    view! {
        {supersedes.map(|original| view! {
            <p class="notice">
                {move || i18n.t(if resp.with(|r| r.is_draft()) { Msg::CorrectionDraft } else { Msg::CorrectionOf })}
                " "
                <a href=Route::Fill(original).to_hash()>{move || i18n.t(Msg::OpenOriginal)}</a>
            </p>
        })}
        {move || replaced_by.get().flatten().map(|copy| view! {
            <p class="notice" role="status">
                {move || i18n.t(Msg::SupersededBy)}
                " "
                <a href=Route::Fill(copy).to_hash()>{move || i18n.t(Msg::OpenCorrection)}</a>
            </p>
        })}
    }
}

/// Amend (a submitted result) and delete (anything, asking twice when the
/// data exists only on this device).
#[component]
fn VisitActions(resp: RwSignal<Response>) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<String>);
    let amend = move |_| {
        let original = resp.get_untracked();
        let Some(copy) = original.amend(Uuid::new_v4(), &platform::device_id(), platform::now())
        else {
            return;
        };
        leptos::task::spawn_local(async move {
            let done: Result<(), storage::StorageError> = async {
                let store = storage::shared().await?;
                // Photos first: a copy that exists has all of them.
                for (mut meta, blob) in store.photos_of(original.id).await? {
                    meta.id = Uuid::new_v4();
                    meta.response_id = copy.id;
                    store.put_photo(&meta, &blob).await?;
                }
                store.put_response(&copy).await
            }
            .await;
            match done {
                Ok(()) => platform::set_hash(&Route::Fill(copy.id).to_hash()),
                Err(e) => error.set(Some(e.0)),
            }
        });
    };
    let delete = move |_| {
        let r = resp.get_untracked();
        let confirm = |msg: Msg| {
            web_sys::window()
                .and_then(|w| w.confirm_with_message(i18n.t(msg)).ok())
                .unwrap_or(false)
        };
        if !confirm(Msg::ConfirmDeleteVisit) {
            return;
        }
        // Not yet in any export file: this device holds the only copy.
        let only_copy = r.status != ResponseStatus::Exported && !r.answers.is_empty();
        if only_copy && !confirm(Msg::ConfirmDeleteUnsent) {
            return;
        }
        leptos::task::spawn_local(async move {
            let done = match storage::shared().await {
                Ok(store) => store.delete_response(r.id).await,
                Err(e) => Err(e),
            };
            match done {
                Ok(()) => platform::set_hash(&Route::Home.to_hash()),
                Err(e) => error.set(Some(e.0)),
            }
        });
    };
    view! {
        <div class="visit-actions">
            <Show when=move || !resp.with(|r| r.is_draft())>
                <button type="button" on:click=amend>{move || i18n.t(Msg::Amend)}</button>
            </Show>
            <button type="button" class="danger" on:click=delete>{move || i18n.t(Msg::DeleteVisit)}</button>
        </div>
        {move || error.get().map(|e| view! { <StorageFailure detail=e /> })}
    }
}

/// The items a submitted audit failed, critical ones marked, each with
/// "Create corrective action" (the same form as on the response page).
#[component]
fn FailedItems(
    q: Signal<Questionnaire>,
    resp: RwSignal<Response>,
    employees: Signal<Vec<Employee>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let staff = Arc::new(employees.get_untracked());
    let failed = move || {
        q.with(|q| {
            resp.with(|r| {
                score_audit(q, r)
                    .failed_items()
                    .filter_map(|item| {
                        q.question(&item.question_id)
                            .map(|x| (x.id.clone(), x.text.clone(), item.critical))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    move || {
        let items = failed();
        (!items.is_empty()).then(|| {
            view! {
                <p>{move || i18n.t(Msg::FailedItems)}</p>
                <ul>
                    {items.into_iter().map(|(id, text, critical)| view! {
                        <li>
                            {move || text.get(i18n.lang.get()).to_owned()}
                            {critical.then(|| view! { " · " <strong>{move || i18n.t(Msg::Critical)}</strong> })}
                            <ActionForm response=resp.get_untracked() question_id=id employees=staff.clone() />
                        </li>
                    }).collect_view()}
                </ul>
            }
        })
    }
}

/// Buttons that bring a section into view: a 40-item checklist on a phone
/// is long, and the fragment is taken by the route, so no #anchors.
#[component]
fn SectionJump(q: Signal<Questionnaire>) -> impl IntoView {
    let i18n = use_i18n();
    let sections = q.with_untracked(|q| {
        q.sections
            .iter()
            .map(|s| (s.id.clone(), s.title.clone()))
            .collect::<Vec<_>>()
    });
    (sections.len() > 1).then(|| {
        view! {
            <nav class="section-jump" aria-label=move || i18n.t(Msg::JumpToSection)>
                {sections.into_iter().map(|(id, title)| {
                    let target = format!("fill-section-{id}");
                    view! {
                        <button type="button" on:click=move |_| {
                            if let Some(el) = document().get_element_by_id(&target) {
                                el.scroll_into_view();
                            }
                        }>{move || title.get(i18n.lang.get()).to_owned()}</button>
                    }
                }).collect_view()}
            </nav>
        }
    })
}
