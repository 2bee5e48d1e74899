use leptos::prelude::*;

use crate::first_run::{self, Facts, Step};
use crate::i18n::{self, Msg};
use crate::menu::Role;
use crate::routes::Route;
use crate::web::shell::role::use_role;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources::questionnaire_index;
use crate::web::ui::status::{Loading, StorageFailure};
use crate::web::{platform, storage};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let drafts = LocalResource::new(|| async {
        let store = storage::shared().await?;
        let index = questionnaire_index(&store).await?;
        let mut drafts: Vec<_> = store
            .responses()
            .await?
            .into_iter()
            .filter(|r| r.is_draft())
            .collect();
        drafts.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        let titled: Vec<_> = drafts
            .into_iter()
            .map(|r| {
                let title = index
                    .get(&(r.questionnaire_id.clone(), r.questionnaire_version))
                    .map(|q| q.title.clone())
                    .unwrap_or_default();
                (r, title)
            })
            .collect();
        Ok::<_, storage::StorageError>(titled)
    });
    let role = use_role().role;
    let manager = move || role.get() != Some(Role::Shopper);
    view! {
        <h1>{move || i18n.t(Msg::HomeTitle)}</h1>
        <p>{move || i18n.t(Msg::HomeIntro)}</p>
        <Show when=manager>
            <FirstRun />
        </Show>
        <p><a class="button primary" href=Route::FillStart.to_hash()>{move || i18n.t(Msg::StartAudit)}</a></p>
        <section aria-labelledby="drafts-heading">
            <h2 id="drafts-heading">{move || i18n.t(Msg::Drafts)}</h2>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || drafts.get().map(|res| match res {
                    Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(Msg::NoDrafts)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|(r, title)| {
                                let when = r.updated_at;
                                view! {
                                    <li>
                                        <a href=Route::Fill(r.id).to_hash()>
                                            {move || format!("{}: {} · {}", i18n.t(Msg::ContinueDraft), title.get(i18n.lang.get()), when.display(i18n.lang.get()))}
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

/// What the device holds, for the first-run checklist.
async fn facts() -> Result<Facts, storage::StorageError> {
    let store = storage::shared().await?;
    let responses = store.responses().await?;
    let me = platform::device_id();
    let from_elsewhere = responses.iter().any(|r| r.device_id != me);
    let team = store.inbox_server().await?.is_some();
    Ok(Facts {
        named_locations: store
            .locations()
            .await?
            .iter()
            .filter(|l| l.id != crate::domain::DEFAULT_LOCATION_ID)
            .count(),
        employees: store.employees().await?.len(),
        published: store
            .questionnaires()
            .await?
            .iter()
            .filter(|q| q.status == crate::domain::VersionStatus::Published)
            .count(),
        shared: platform::has_shared() || from_elsewhere || team,
        submitted: responses.iter().filter(|r| !r.is_draft()).count(),
    })
}

/// A manager's first steps, with how many are done and a button for the
/// next one; gone once all are done or the manager hides it.
#[component]
fn FirstRun() -> impl IntoView {
    let i18n = use_i18n();
    let hidden = RwSignal::new(platform::first_run_hidden());
    // Hidden, it reads nothing: the facts mean reading every response.
    let facts = LocalResource::new(move || async move {
        if hidden.get_untracked() {
            None
        } else {
            facts().await.ok()
        }
    });
    let total = Step::ALL.len();
    move || {
        if hidden.get() {
            return None;
        }
        let f = facts.get()??;
        let (done, next) = first_run::progress(&f);
        let next = next?;
        let (route, go) = next.action();
        Some(view! {
            <section class="card first-run" aria-labelledby="first-run-heading">
                <h2 id="first-run-heading">{move || i18n.t(Msg::FirstRunTitle)}</h2>
                <p id="first-run-progress">{move || i18n::steps_done(i18n.lang.get(), done, total)}</p>
                <progress max=total.to_string() value=done.to_string() aria-labelledby="first-run-progress"></progress>
                <ol class="steps">
                    {Step::ALL.into_iter().map(|step| {
                        let is_done = step.is_done(&f);
                        view! {
                            <li data-done=is_done.to_string() aria-current=(step == next).then_some("step")>
                                <span class="icon" data-icon=if is_done { "circle-check" } else { "chevron-right" } aria-hidden="true"></span>
                                <span>
                                    <span class="visually-hidden">
                                        {move || i18n.t(if is_done { Msg::FirstRunStepDone } else { Msg::FirstRunStepToDo })}": "
                                    </span>
                                    {move || i18n.t(step.label())}
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <div class="toolbar">
                    <a class="button primary" href=route.to_hash()>{move || i18n.t(go)}</a>
                    <button type="button" on:click=move |_| {
                        platform::hide_first_run();
                        hidden.set(true);
                    }>{move || i18n.t(Msg::FirstRunHide)}</button>
                </div>
            </section>
        })
    }
}
