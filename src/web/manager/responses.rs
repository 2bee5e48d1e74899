//! Drill-down from the dashboard: the responses behind a figure (same
//! filters, optionally the failed item of a weak spot), and one response
//! with every answer, comment and photo.

use std::sync::Arc;

use leptos::prelude::*;
use uuid::Uuid;

use crate::dashboard::drill::{failed, selects, Drill};
use crate::domain::employee::EmployeeNames;
use crate::domain::photo::PhotoMeta;
use crate::domain::{score_audit, Employee, Questionnaire, Response};
use crate::export::table::answer_text;
use crate::i18n::{format_decimal, Msg};
use crate::routes::Route;
use crate::web::manager::data::{load, DashboardData};
use crate::web::manager::responses_table::{list_row, ListRow, ResponsesTable};
use crate::web::platform::today_and_offset;
use crate::web::storage::{self, StorageError};
use crate::web::ui::action_form::ActionForm;
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::photo_view::PhotoThumb;
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

#[component]
pub fn ResponsesPage(drill: Drill) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let data = LocalResource::new(move || load(lang));
    let back = Route::Dashboard(drill.query.clone()).to_hash();
    view! {
        <h1>{move || i18n.t(Msg::ResponsesTitle)}</h1>
        <p><a href=back>{move || i18n.t(Msg::BackToDashboard)}</a></p>
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(d) => view! { <ResponseList data=d drill=drill.clone() /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ResponseList(data: Arc<DashboardData>, drill: Drill) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    let (today, offset) = today_and_offset();
    let filter = drill.query.filter(today, offset);
    // The newest version of a questionnaire names its items and sections.
    let newest = |id: &str| {
        data.index
            .values()
            .filter(|q| q.id == id)
            .max_by_key(|q| q.version)
    };
    let item_text = drill.failed_item.as_ref().and_then(|i| {
        newest(&i.questionnaire_id)
            .and_then(|q| q.question(&i.question_id))
            .map(|q| q.text.clone())
    });
    let section_text = drill.section.as_ref().map(|s| {
        newest(&s.questionnaire_id)
            .and_then(|q| q.sections.iter().find(|x| x.id == s.section_id))
            .map(|x| x.title.clone())
            .unwrap_or_else(|| crate::domain::Text::new(&s.section_id, &s.section_id))
    });
    let nps = drill.nps_score;
    let employees = drill.query.employees.clone();
    let rows: Vec<ListRow> = data
        .responses
        .iter()
        .filter(|r| selects(&filter, &drill, r, data.questionnaire(r)))
        .map(|r| list_row(&data, r, data.questionnaire(r)))
        .collect();
    let count = rows.len();
    let who = (!employees.is_empty()).then(|| {
        employees
            .iter()
            .map(|e| data.employee_name(e))
            .collect::<Vec<_>>()
            .join(", ")
    });
    view! {
        {item_text.map(|t| view! {
            <p class="drill-item">{move || i18n.t(Msg::FailedItemFilter)}": "<strong>{move || t.get(lang()).to_owned()}</strong></p>
        })}
        {section_text.map(|t| view! {
            <p class="drill-item">{move || i18n.t(Msg::SectionFilter)}": "<strong>{move || t.get(lang()).to_owned()}</strong></p>
        })}
        {nps.map(|n| view! {
            <p class="drill-item">{move || i18n.t(Msg::NpsScoreFilter)}": "<strong>{n}</strong></p>
        })}
        {who.map(|w| view! {
            <p class="drill-item">{move || i18n.t(Msg::ColEmployee)}": "<strong>{w}</strong></p>
        })}
        <p role="status">{move || format!("{}: {}", i18n.t(Msg::ResponsesTitle), format_decimal(count as f64, 0, lang()))}</p>
        <ResponsesTable caption=Msg::ResponsesTitle rows=Signal::stored(rows) link=Route::ResponseDetail who=true />
    }
}

#[derive(Clone)]
struct Detail {
    response: Response,
    questionnaire: Option<Questionnaire>,
    location: String,
    /// For naming an action's assignee.
    employees: Arc<Vec<Employee>>,
    /// (question id, caption, blob: URL).
    photos: Vec<(PhotoMeta, String)>,
}

async fn load_detail(id: Uuid, lang: crate::i18n::Lang) -> Result<Option<Detail>, StorageError> {
    let store = storage::shared().await?;
    let Some(response) = store.get_response(id).await? else {
        return Ok(None);
    };
    let questionnaire = resources::questionnaire(
        &store,
        &response.questionnaire_id,
        response.questionnaire_version,
    )
    .await?;
    let locations = resources::locations_or_default(&store, lang).await?;
    let location = resources::location_name(&locations, &response.location_id);
    let employees = Arc::new(store.employees().await?);
    let photos = resources::photo_urls(&store, id).await?;
    Ok(Some(Detail {
        response,
        questionnaire,
        location,
        employees,
        photos,
    }))
}

#[component]
pub fn ResponseDetailPage(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let data = LocalResource::new(move || load_detail(id, lang));
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || data.get().map(|res| match res {
                Err(e) => view! { <StorageFailure detail=e.0 /> }.into_any(),
                Ok(None) => view! {
                    <h1>{move || i18n.t(Msg::ResponseTitle)}</h1>
                    <p role="alert">{move || i18n.t(Msg::ResponseNotFound)}</p>
                }.into_any(),
                Ok(Some(d)) => detail_view(d).into_any(),
            })}
        </Suspense>
    }
}

fn detail_view(d: Detail) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    resources::revoke_on_cleanup(d.photos.iter().map(|p| p.1.clone()).collect());
    let r = d.response;
    let q = d.questionnaire;
    let title = q.as_ref().map(|q| q.title.clone()).unwrap_or_default();
    let score = q.as_ref().and_then(|q| score_audit(q, &r).visit);
    let is_audit = q
        .as_ref()
        .is_some_and(|q| q.kind == crate::domain::QuestionnaireKind::Audit);
    let when = r.occurred_at();
    let note = r.employee_note.trim().to_owned();
    let photos = d.photos;
    let employees = d.employees;
    let r_for_actions = r.clone();
    let sections = q
        .as_ref()
        .map(|q| {
            q.sections
                .iter()
                .map(|s| {
                    let items: Vec<_> = s
                        .questions
                        .iter()
                        .map(|question| {
                            let answer = r.answers.get(&question.id);
                            let value = answer.map(|a| a.value.clone());
                            let comment = answer.map(|a| a.comment.clone()).unwrap_or_default();
                            let is_failed = failed(q, &r, &question.id);
                            let pics: Vec<(PhotoMeta, String)> = photos
                                .iter()
                                .filter(|p| p.0.question_id == question.id)
                                .cloned()
                                .collect();
                            (question.clone(), value, comment, is_failed, pics)
                        })
                        .collect();
                    (s.title.clone(), items)
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    view! {
        <h1>{move || format!("{}: {}", i18n.t(Msg::ResponseTitle), title.get(lang()))}</h1>
        {is_audit.then(|| view! {
            <div class="page-actions">
                <a class="button" href=Route::VisitReport(r.id).to_hash()>{move || i18n.t(Msg::OpenVisitReport)}</a>
            </div>
        })}
        <dl class="response-facts">
            <div><dt>{move || i18n.t(Msg::ColDate)}</dt><dd>{move || when.display(lang())}</dd></div>
            <div><dt>{move || i18n.t(Msg::ColLocation)}</dt><dd>{d.location}</dd></div>
            {(!r.employee_ids.is_empty()).then(|| {
                let e = EmployeeNames::new(&employees).join(&r.employee_ids);
                view! { <div><dt>{move || i18n.t(Msg::ColEmployee)}</dt><dd>{e}</dd></div> }
            })}
            {(!note.is_empty()).then(|| view! {
                <div><dt>{move || i18n.t(Msg::ColEmployeeNote)}</dt><dd>{note}</dd></div>
            })}
            {score.map(|s| view! {
                <div><dt>{move || i18n.t(Msg::ColScore)}</dt><dd>{move || format_decimal(s, 2, lang())}</dd></div>
            })}
        </dl>
        {sections.into_iter().map(|(stitle, items)| view! {
            <section class="response-section">
                <h2>{move || stitle.get(lang()).to_owned()}</h2>
                <ul class="answers">
                    {items.into_iter().map(|(question, value, comment, is_failed, pics)| {
                        let qq = question.clone();
                        let text = question.text.clone();
                        view! {
                            <li class:failed=is_failed>
                                <p class="q">{move || text.get(lang()).to_owned()}</p>
                                <p class="a">
                                    {move || value.as_ref()
                                        .map(|v| answer_text(v, Some(&qq), lang()))
                                        .unwrap_or_else(|| i18n.t(Msg::NoAnswer).to_owned())}
                                    {is_failed.then(|| view! { " — " {move || i18n.t(Msg::ColFailed)} })}
                                </p>
                                {(!comment.is_empty()).then(|| view! {
                                    <p class="comment">{move || i18n.t(Msg::ColComment)}": "{comment.clone()}</p>
                                })}
                                {is_failed.then(|| view! {
                                    <ActionForm response=r_for_actions.clone() question_id=question.id.clone() employees=employees.clone() />
                                })}
                                {(!pics.is_empty()).then(|| view! {
                                    <div class="thumbs">
                                        {pics.into_iter().enumerate().map(|(i, (_, url))| {
                                            let alt_text = question.text.clone();
                                            let label = Signal::derive(move || format!("{} {}: {}", i18n.t(Msg::Photos), i + 1, alt_text.get(lang())));
                                            view! { <PhotoThumb src=url label=label /> }
                                        }).collect_view()}
                                    </div>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
    }
}
