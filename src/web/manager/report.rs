//! One visit's report (`dashboard::visit_report`), the page handed to a
//! store manager: the visit's header, the score by section, then what
//! failed, critical failures first, with the shopper's comments, the photos
//! at full size and the corrective actions. Printed from the browser (to
//! paper or PDF); the print rules leave out the app's frame and buttons.

use leptos::prelude::*;
use uuid::Uuid;

use crate::dashboard::actions::summary;
use crate::dashboard::visit_report::VisitReport;
use crate::domain::employee::EmployeeNames;
use crate::domain::photo::PhotoMeta;
use crate::domain::{CorrectiveAction, Employee, Questionnaire, Response};
use crate::export::table::answer_text;
use crate::i18n::{self, Msg};
use crate::routes::Route;
use crate::web::platform;
use crate::web::storage::{self, StorageError};
use crate::web::ui::i18n::use_i18n;
use crate::web::ui::resources;
use crate::web::ui::status::{Loading, StorageFailure};

#[derive(Clone)]
struct Loaded {
    response: Response,
    questionnaire: Questionnaire,
    location: String,
    employees: Vec<Employee>,
    actions: Vec<CorrectiveAction>,
    /// (photo, blob: URL).
    photos: Vec<(PhotoMeta, String)>,
}

async fn load(id: Uuid, lang: i18n::Lang) -> Result<Option<Loaded>, StorageError> {
    let store = storage::shared().await?;
    let Some(response) = store.get_response(id).await? else {
        return Ok(None);
    };
    let Some(questionnaire) = resources::questionnaire(
        &store,
        &response.questionnaire_id,
        response.questionnaire_version,
    )
    .await?
    else {
        return Ok(None);
    };
    let locations = resources::locations_or_default(&store, lang).await?;
    let photos = resources::photo_urls(&store, id).await?;
    Ok(Some(Loaded {
        location: resources::location_name(&locations, &response.location_id),
        employees: store.employees().await?,
        actions: store.actions().await?,
        response,
        questionnaire,
        photos,
    }))
}

#[component]
pub fn VisitReportPage(id: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let data = LocalResource::new(move || load(id, lang));
    move || match data.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <StorageFailure detail=e.0 /> }.into_any(),
        Some(Ok(None)) => view! {
            <h1>{move || i18n.t(Msg::VisitReportTitle)}</h1>
            <p role="alert">{move || i18n.t(Msg::ResponseNotFound)}</p>
        }
        .into_any(),
        Some(Ok(Some(d))) => report_view(d).into_any(),
    }
}

fn report_view(d: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    resources::revoke_on_cleanup(d.photos.iter().map(|p| p.1.clone()).collect());
    let (q, r) = (&d.questionnaire, &d.response);
    let report = VisitReport::build(q, r, &d.actions);
    let names = EmployeeNames::new(&d.employees);
    let who = (!r.employee_ids.is_empty()).then(|| names.join(&r.employee_ids));
    let note = r.employee_note.trim().to_owned();
    let duration = r
        .submitted_at
        .map(|end| i18n::visit_duration(lang, end.utc_ms - r.started_at.utc_ms));
    let score = i18n::score_text(report.score, lang);
    let fact = |label: Msg, value: String| {
        view! { <div><dt>{label.text(lang)}</dt><dd>{value}</dd></div> }
    };
    let sections = report
        .sections
        .iter()
        .map(|s| {
            let score = i18n::score_text(s.score, lang);
            view! {
                <tr>
                    <th scope="row">{s.title.get(lang).to_owned()}</th>
                    <td class="num">{score}</td>
                    <td>{s.critical_failed.then(|| Msg::CriticalFailed.text(lang))}</td>
                </tr>
            }
        })
        .collect_view();
    let failures = report
        .failures
        .iter()
        .map(|f| {
            let answer = f
                .answer
                .map(|a| answer_text(&a.value, Some(f.question), lang))
                .unwrap_or_default();
            let comment = f.answer.map(|a| a.comment.trim().to_owned()).unwrap_or_default();
            let photos = d
                .photos
                .iter()
                .filter(|(m, _)| m.question_id == f.question.id)
                .enumerate()
                .map(|(i, (_, url))| {
                    let alt = format!("{} {}: {}", Msg::Photos.text(lang), i + 1, f.question.text.get(lang));
                    view! { <img class="report-photo" src=url.clone() alt=alt /> }
                })
                .collect_view();
            let actions = f
                .actions
                .iter()
                .map(|a| view! { <li>{summary(a, lang)}</li> })
                .collect_view();
            view! {
                <li class="report-failure">
                    <h3>
                        {f.question.text.get(lang).to_owned()}
                        {f.critical.then(|| view! { " · " <strong>{Msg::Critical.text(lang)}</strong> })}
                    </h3>
                    <p class="muted">{f.section.get(lang).to_owned()}</p>
                    <p>{format!("{}: {answer}", Msg::ColAnswer.text(lang))}</p>
                    {(!comment.is_empty()).then(|| view! { <p>{format!("{}: {comment}", Msg::ColComment.text(lang))}</p> })}
                    {photos}
                    {(!f.actions.is_empty()).then(|| view! {
                        <p>{Msg::ActionsOnItem.text(lang)}</p>
                        <ul>{actions}</ul>
                    })}
                </li>
            }
        })
        .collect_view();
    let nothing_failed = report.failures.is_empty();
    let passed = i18n::items_passed(lang, report.passed, report.scored);
    let print = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <article class="visit-report" aria-labelledby="report-title">
            <header>
                <p class="muted">{Msg::VisitReportTitle.text(lang)}</p>
                <h1 id="report-title">{q.title.get(lang).to_owned()}</h1>
                <dl class="response-facts">
                    {fact(Msg::ColLocation, d.location.clone())}
                    {fact(Msg::ColDate, r.occurred_at().display(lang))}
                    {who.map(|w| fact(Msg::ColEmployee, w))}
                    {(!note.is_empty()).then(|| fact(Msg::ColEmployeeNote, note))}
                    {fact(Msg::ColScore, score)}
                    {fact(Msg::ItemsPassed, passed)}
                    {duration.map(|x| fact(Msg::VisitLength, x))}
                    {fact(Msg::ReportMade, platform::now().display(lang))}
                </dl>
            </header>
            <div class="page-actions">
                <button type="button" class="primary" on:click=print>{Msg::PrintReport.text(lang)}</button>
                <a class="button" href=Route::ResponseDetail(r.id).to_hash()>{Msg::AllAnswers.text(lang)}</a>
            </div>
            <section aria-labelledby="report-sections">
                <h2 id="report-sections">{Msg::ReportSections.text(lang)}</h2>
                <div class="table-scroll" tabindex="0">
                    <table>
                        <caption class="visually-hidden">{Msg::ReportSections.text(lang)}</caption>
                        <thead><tr>
                            <th scope="col">{Msg::ColSection.text(lang)}</th>
                            <th scope="col" class="num">{Msg::ColScore.text(lang)}</th>
                            <th scope="col"><span class="visually-hidden">{Msg::Critical.text(lang)}</span></th>
                        </tr></thead>
                        <tbody>{sections}</tbody>
                    </table>
                </div>
            </section>
            <section aria-labelledby="report-failures">
                <h2 id="report-failures">{Msg::ReportFailures.text(lang)}</h2>
                {if nothing_failed {
                    view! { <p>{Msg::NothingFailed.text(lang)}</p> }.into_any()
                } else {
                    view! { <ol class="report-failures">{failures}</ol> }.into_any()
                }}
            </section>
        </article>
    }
}
