//! A table of responses, shared by the dashboard's latest responses and the
//! responses screen: when, where, who, which questionnaire, the score.

use leptos::prelude::*;
use uuid::Uuid;

use crate::domain::{score_audit, Questionnaire, Response};
use crate::i18n::Msg;
use crate::routes::Route;
use crate::web::manager::data::DashboardData;
use crate::web::ui::i18n::use_i18n;

#[derive(Clone)]
pub struct ListRow {
    id: Uuid,
    when: crate::domain::Timestamp,
    place: String,
    /// Names of the employees observed, or their ids when unknown.
    who: String,
    title: crate::domain::Text,
    score: Option<f64>,
}

/// A row of a responses table, made once.
pub fn list_row(data: &DashboardData, r: &Response, q: Option<&Questionnaire>) -> ListRow {
    ListRow {
        id: r.id,
        when: r.occurred_at(),
        place: data.location_name(&r.location_id),
        who: r
            .employee_ids
            .iter()
            .map(|e| data.employee_name(e))
            .collect::<Vec<_>>()
            .join(", "),
        title: q.map(|q| q.title.clone()).unwrap_or_default(),
        score: q.and_then(|q| score_audit(q, r).visit),
    }
}

/// Responses as a table: when (linking to `link(id)`), where, who (with
/// `who`), which questionnaire, audit score. Rows are keyed by response: when the rows
/// change (a filter change on the dashboard), a response still listed keeps
/// its row.
#[component]
pub fn ResponsesTable(
    caption: Msg,
    rows: Signal<Vec<ListRow>>,
    link: fn(Uuid) -> Route,
    #[prop(optional)] who: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.lang.get();
    view! {
        <div class="table-scroll" tabindex="0">
            <table>
                <caption>{move || i18n.t(caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::ColDate)}</th>
                        <th scope="col">{move || i18n.t(Msg::ColLocation)}</th>
                        {who.then(|| view! { <th scope="col">{move || i18n.t(Msg::ColEmployee)}</th> })}
                        <th scope="col">{move || i18n.t(Msg::ColChecklist)}</th>
                        <th scope="col" class="num">{move || i18n.t(Msg::ColScore)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|row| row.id let:row>
                        {
                        let title = row.title;
                        let score = row.score;
                        let when = row.when;
                        view! {
                            <tr>
                                <td><a href=link(row.id).to_hash()>{move || when.display(lang())}</a></td>
                                <td>{row.place}</td>
                                {who.then(|| view! { <td>{row.who.clone()}</td> })}
                                <td>{move || title.get(lang()).to_owned()}</td>
                                <td class="num">{move || crate::i18n::score_text(score, lang())}</td>
                            </tr>
                        }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
