//! Which KPI the question feeds: only the roles that fit its type and the
//! questionnaire's kind are offered, and a CSI attribute gets its
//! importance.

use leptos::prelude::*;

use super::fields::{number_field, QuestionRef};
use crate::domain::metric;
use crate::domain::questionnaire::MetricRole;
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

#[component]
pub fn MetricFields(q: QuestionRef) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        let chosen = event_target_value(&ev)
            .parse::<usize>()
            .ok()
            .and_then(|i| MetricRole::ALL.get(i).copied());
        q.edit(|x| x.metric = chosen);
    };
    // The roles offered, by their index in `MetricRole::ALL`.
    let roles = move || {
        let Some(x) = q.get() else { return Vec::new() };
        let kind = q.ed.q.with(|d| d.kind);
        let lang = i18n.lang.get();
        MetricRole::ALL
            .iter()
            .enumerate()
            .filter(|(_, r)| metric::fits(**r, x.qtype, kind))
            .map(|(i, r)| {
                let is = x
                    .metric
                    .is_some_and(|m| std::mem::discriminant(&m) == std::mem::discriminant(r));
                view! { <option value=i.to_string() selected=is>{metric::label(*r, lang)}</option> }
            })
            .collect::<Vec<_>>()
    };
    let is_csi = move || {
        matches!(
            q.get().and_then(|x| x.metric),
            Some(MetricRole::CsiAttribute { .. })
        )
    };
    view! {
        <div class="field">
            <label for=q.field_id("metric")>{move || i18n.t(Msg::MetricLabel)}</label>
            <select id=q.field_id("metric") on:change=on_change>
                <option value="" selected=move || q.get().is_some_and(|x| x.metric.is_none())>{move || i18n.t(Msg::MetricNone)}</option>
                {roles}
            </select>
        </div>
        <Show when=is_csi>
            {number_field(q, Msg::Importance, "importance",
                |x| match x.metric {
                    Some(MetricRole::CsiAttribute { importance }) => importance.to_string(),
                    _ => String::new(),
                },
                |x, w| x.metric = Some(MetricRole::CsiAttribute { importance: w }))}
        </Show>
    }
}
