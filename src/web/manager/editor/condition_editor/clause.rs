//! One clause of a condition: the earlier question it reads, the
//! comparison, the value (a list when the question has fixed answers, else
//! typed) and its remove button.

use leptos::prelude::*;

use super::Condition;
use crate::domain::condition_clauses::{default_value, field_from_value, value_from_field};
use crate::domain::{CompareOp, Question, QuestionType};
use crate::i18n::Msg;
use crate::web::ui::i18n::{use_i18n, I18n};

fn op_code(op: Option<CompareOp>) -> &'static str {
    match op {
        Some(CompareOp::Eq) => "eq",
        Some(CompareOp::Ne) => "ne",
        Some(CompareOp::Lt) => "lt",
        Some(CompareOp::Le) => "le",
        Some(CompareOp::Gt) => "gt",
        Some(CompareOp::Ge) => "ge",
        Some(CompareOp::Contains) => "contains",
        None => "answered",
    }
}

fn op_from_code(code: &str) -> Option<CompareOp> {
    CompareOp::ALL
        .into_iter()
        .find(|op| op_code(Some(*op)) == code)
}

/// The values a clause on `t` may pick from, as (value, label); `None`
/// when the value is typed.
fn choices(t: &Question, i18n: I18n) -> Option<Vec<(String, String)>> {
    match t.qtype {
        QuestionType::YesNo => Some(vec![
            ("yes".into(), i18n.t(Msg::Yes).into()),
            ("no".into(), i18n.t(Msg::No).into()),
            ("na".into(), i18n.t(Msg::NotApplicable).into()),
        ]),
        QuestionType::SingleChoice | QuestionType::MultipleChoice => Some(
            t.options
                .iter()
                .map(|o| (o.id.clone(), o.label.get(i18n.lang.get()).to_owned()))
                .collect(),
        ),
        qt => qt
            .scale_range()
            .map(|(lo, hi)| (lo..=hi).map(|v| (v.to_string(), v.to_string())).collect()),
    }
}

/// Clause `i` of condition `c`.
#[component]
pub fn ClauseRow(c: Condition, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="clause">
            {question_pick(c, i)}
            {op_pick(c, i)}
            {move || c.clause(i).is_some_and(|cl| cl.op.is_some()).then(|| value_field(c, i))}
            <button type="button" on:click=move |_| c.remove_clause(i)>{move || i18n.t(Msg::RemoveCondition)}</button>
        </div>
    }
}

/// The earlier question the clause reads; picking another resets the
/// value to that question's first.
fn question_pick(c: Condition, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        let id = event_target_value(&ev);
        c.update_clause(i, move |cl, prior| {
            if let Some(t) = prior.iter().find(|x| x.id == id) {
                cl.question = id.clone();
                cl.value = default_value(t);
            }
        });
    };
    let questions = move || {
        let chosen = c.clause(i).map(|cl| cl.question).unwrap_or_default();
        c.earlier()
            .into_iter()
            .enumerate()
            .map(|(n, x)| {
                let is = x.id == chosen;
                let label = format!("{}. {}", n + 1, x.text.get(i18n.lang.get()));
                view! { <option value=x.id selected=is>{label}</option> }
            })
            .collect_view()
    };
    let id = c.clause_field_id(i, "question");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(Msg::ConditionQuestion)}</label>
            <select id=id on:change=on_change>{questions}</select>
        </div>
    }
}

/// The comparison, or "answered" (no comparison, no value).
fn op_pick(c: Condition, i: usize) -> impl IntoView {
    let i18n = use_i18n();
    let on_change = move |ev| {
        let op = op_from_code(&event_target_value(&ev));
        c.update_clause(i, move |cl, _| cl.op = op);
    };
    let ops = move || {
        let chosen = c.clause(i).map(|cl| cl.op);
        let lang = i18n.lang.get();
        CompareOp::ALL
            .into_iter()
            .map(Some)
            .chain([None])
            .map(|op| {
                let label = op
                    .map(|o| o.label(lang).to_owned())
                    .unwrap_or_else(|| i18n.t(Msg::OpAnswered).to_owned());
                let is = chosen == Some(op);
                view! { <option value=op_code(op) selected=is>{label}</option> }
            })
            .collect_view()
    };
    let id = c.clause_field_id(i, "op");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(Msg::ConditionOperator)}</label>
            <select id=id on:change=on_change>{ops}</select>
        </div>
    }
}

/// The value compared with; `None` while the clause's question is not
/// among the earlier ones.
fn value_field(c: Condition, i: usize) -> Option<AnyView> {
    let i18n = use_i18n();
    let cl = c.clause(i)?;
    let t = c.earlier().into_iter().find(|x| x.id == cl.question)?;
    let selected = field_from_value(&cl.value);
    let on_value = move |ev: leptos::ev::Event| {
        let raw = event_target_value(&ev);
        c.update_clause(i, move |cl, prior| {
            if let Some(t) = prior.iter().find(|x| x.id == cl.question) {
                if let Some(v) = value_from_field(t, &raw) {
                    cl.value = v;
                }
            }
        });
    };
    let id = c.clause_field_id(i, "value");
    Some(match choices(&t, i18n) {
        Some(options) => view! {
            <div class="field">
                <label for=id.clone()>{move || i18n.t(Msg::ConditionValue)}</label>
                <select id=id on:change=on_value>
                    {options.into_iter().map(|(v, label)| {
                        let is = v == selected;
                        view! { <option value=v selected=is>{label}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="field">
                <label for=id.clone()>{move || i18n.t(Msg::ConditionValue)}</label>
                <input id=id type="text" prop:value=selected on:change=on_value />
            </div>
        }
        .into_any(),
    })
}
