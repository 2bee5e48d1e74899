//! Corrective actions: the list screen where they are marked done, then verified,
//! with the overdue ones first and what the next audit of the location said.
//! The rules live in `crate::dashboard::actions`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::dashboard::actions::{advance, follow_up, is_overdue, overdue, FollowUp};
use crate::domain::{ActionStatus, CorrectiveAction, LocalDate};
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::manager::data::{load, DashboardData};
use crate::web::platform;
use crate::web::platform::today_and_offset;
use crate::web::storage::{self, StorageError};
use crate::web::ui::empty::EmptyState;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::status::{Loading, StorageFailure};

async fn load_all(
    lang: crate::i18n::Lang,
) -> Result<(Arc<DashboardData>, Vec<CorrectiveAction>), StorageError> {
    let data = load(lang).await?;
    let store = storage::shared().await?;
    let mut actions = store.actions().await?;
    actions.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok((data, actions))
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let loaded = LocalResource::new(move || load_all(lang));
    view! {
        <h1>{move || i18n.t(Msg::ActionsTitle)}</h1>
        <p><a href=Route::dashboard().to_hash()>{move || i18n.t(Msg::BackToDashboard)}</a></p>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || loaded.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok((data, actions)) => view! { <ActionsList data actions /> }.into_any(),
            })}
        </Suspense>
    }
}

fn today() -> LocalDate {
    today_and_offset().0
}

#[component]
fn ActionsList(data: Arc<DashboardData>, actions: Vec<CorrectiveAction>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let actions = RwSignal::new(actions);
    let failure: RwSignal<Option<String>> = RwSignal::new(None);
    let today = today();
    let source = {
        let data = data.clone();
        move |a: &CorrectiveAction| {
            data.responses
                .iter()
                .find(|r| r.id == a.response_id)
                .cloned()
        }
    };
    // The item's text in the questionnaire version the source answered.
    let item_text = {
        let data = data.clone();
        let source = source.clone();
        move |a: &CorrectiveAction, lang| {
            source(a)
                .and_then(|r| {
                    data.questionnaire(&r)
                        .and_then(|q| q.question(&a.question_id))
                        .map(|q| q.text.get(lang).to_owned())
                })
                .unwrap_or_else(|| a.question_id.clone())
        }
    };
    let step = move |a: CorrectiveAction| {
        let mut a = a;
        if !advance(&mut a, platform::now()) {
            return;
        }
        leptos::task::spawn_local(async move {
            let result = match storage::shared().await {
                Ok(store) => store.put_action(&a).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => {
                    failure.set(None);
                    actions.update(|v| {
                        if let Some(x) = v.iter_mut().find(|x| x.id == a.id) {
                            *x = a;
                        }
                    });
                }
                Err(e) => failure.set(Some(e.0)),
            }
        });
    };
    let late = {
        let data = data.clone();
        let item_text = item_text.clone();
        move || {
            let all = actions.get();
            let rows: Vec<_> = overdue(&all, today)
                .into_iter()
                .map(|a| {
                    (
                        item_text(a, lang()),
                        data.location_name(&a.location_id),
                        a.assignee.clone(),
                        a.due.map(|d| d.display(lang())).unwrap_or_default(),
                    )
                })
                .collect();
            (!rows.is_empty()).then(|| {
                view! {
                    <section class="actions-overdue" aria-labelledby="actions-overdue-h">
                        <h2 id="actions-overdue-h">{i18n.t(Msg::ActionsOverdue)}</h2>
                        <ul>
                            {rows.into_iter().map(|(item, place, who, due)| view! {
                                <li class="overdue">
                                    <strong>{item}</strong>" · "{place}" · "{who}" · "
                                    {i18n.t(Msg::ActionDue)}" "{due}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                }
            })
        }
    };
    let all = move || {
        let list = actions.get();
        if list.is_empty() {
            return view! {
                <EmptyState icon="list-checks" text=Msg::ActionsNone
                    href=Route::Responses(Default::default()).to_hash() action=Msg::OpenResponses />
            }
            .into_any();
        }
        view! {
            <ul class="actions-list">
                {list.into_iter().map(|a| {
                    let src = source(&a);
                    let follow = src.as_ref().map(|s| {
                        follow_up(&a, s, &data.responses, |r| data.questionnaire(r))
                    });
                    let (follow_msg, follow_id) = match follow {
                        Some(FollowUp::Passes { response_id }) => (Msg::FollowPasses, Some(response_id)),
                        Some(FollowUp::StillFails { response_id }) => (Msg::FollowFails, Some(response_id)),
                        _ => (Msg::FollowNotYet, None),
                    };
                    let late = is_overdue(&a, today);
                    let button = match a.status {
                        ActionStatus::Open => Some(Msg::MarkDone),
                        ActionStatus::Done => Some(Msg::VerifyAction),
                        ActionStatus::Verified => None,
                    };
                    let item = item_text(&a, lang());
                    let place = data.location_name(&a.location_id);
                    let due = a.due.map(|d| d.display(lang()));
                    let status = a.status.label();
                    let note = a.note.clone();
                    let who = a.assignee.clone();
                    let src_id = a.response_id;
                    view! {
                        <li class="action" class:overdue=late>
                            <h3>{item}</h3>
                            {late.then(|| view! {
                                <p class="badge overdue-mark"><span aria-hidden="true">"⚠ "</span>{i18n.t(Msg::OverdueMark)}</p>
                            })}
                            <dl class="response-facts">
                                <div><dt>{i18n.t(Msg::ColLocation)}</dt><dd>{place}</dd></div>
                                <div><dt>{i18n.t(Msg::ActionAssignee)}</dt><dd>{who}</dd></div>
                                {due.map(|d| view! {
                                    <div><dt>{i18n.t(Msg::ActionDue)}</dt><dd>{d}
                                        {late.then(|| view! { " — "<strong>{i18n.t(Msg::ActionsOverdue)}</strong> })}
                                    </dd></div>
                                })}
                            </dl>
                            <p class="action-status">{i18n.t(Msg::ActionStatusLabel)}": "<strong>{i18n.t(status)}</strong></p>
                            {(!note.is_empty()).then(|| view! { <p class="comment">{note}</p> })}
                            <p class="follow-up">{i18n.t(follow_msg)}" "
                                {follow_id.map(|id| view! {
                                    <a href=Route::ResponseDetail(id).to_hash()>{i18n.t(Msg::OpenFollowAudit)}</a>" · "
                                })}
                                <a href=Route::ResponseDetail(src_id).to_hash()>{i18n.t(Msg::OpenSourceAudit)}</a>
                            </p>
                            {button.map(|b| {
                                let a = a.clone();
                                view! { <button type="button" on:click=move |_| step(a.clone())>{i18n.t(b)}</button> }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        {move || failure.get().map(|e| view! { <p role="alert">{e}</p> })}
        {late}
        <section aria-labelledby="actions-all-h">
            <h2 id="actions-all-h">{move || i18n.t(Msg::ActionsAll)}</h2>
            {all}
        </section>
    }
}
