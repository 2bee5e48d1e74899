//! "Show if": the visibility condition of one question, as a flat list of
//! clauses joined by and/or, each reading an earlier question.

use leptos::prelude::*;

use super::state::use_editor;
use crate::domain::condition_clauses::{
    build, default_value, field_from_value, flatten, value_from_field, Clause, Flat, Join,
};
use crate::domain::{CompareOp, Question, QuestionType};
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

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

#[component]
pub fn ConditionEditor(question_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let ed = use_editor();
    let qid = StoredValue::new(question_id);
    let flat = move || {
        ed.q.with(|q| {
            flatten(
                q.question(&qid.get_value())
                    .and_then(|x| x.visible_if.as_ref()),
            )
        })
    };
    // Conditions may only read questions that come before this one.
    let earlier = move || -> Vec<Question> {
        ed.q.with(|q| {
            q.questions()
                .take_while(|x| x.id != qid.get_value())
                .cloned()
                .collect()
        })
    };
    let set = move |join: Join, clauses: Vec<Clause>| {
        let c = build(join, &clauses);
        ed.edit_question(&qid.get_value(), move |x| x.visible_if = c);
    };
    let current = move || match flat() {
        Flat::Clauses(join, clauses) => (join, clauses),
        _ => (Join::All, Vec::new()),
    };
    let fid = move |f: &str| format!("ce-{}-{f}", qid.get_value());
    // Rows are rebuilt only when their number changes, not on every edit.
    let clause_count = Memo::new(move |_| current().1.len());

    let on_mode = move |ev| {
        let mode = event_target_value(&ev);
        let (_, mut clauses) = current();
        if mode == "always" {
            set(Join::All, Vec::new());
            return;
        }
        if clauses.is_empty() {
            let Some(target) = earlier().pop() else {
                return;
            };
            clauses.push(Clause {
                question: target.id.clone(),
                op: Some(CompareOp::Eq),
                value: default_value(&target),
            });
        }
        set(if mode == "any" { Join::Any } else { Join::All }, clauses);
    };

    let clause_row = move |i: usize| {
        let clause = move || current().1.get(i).cloned();
        let target =
            move || clause().and_then(|c| earlier().into_iter().find(|x| x.id == c.question));
        let update = move |f: Box<dyn FnOnce(&mut Clause, &[Question])>| {
            let (join, mut clauses) = current();
            let prior = earlier();
            if let Some(c) = clauses.get_mut(i) {
                f(c, &prior);
            }
            set(join, clauses);
        };
        let value_field = move || {
            let t = target()?;
            let selected = clause()
                .map(|c| field_from_value(&c.value))
                .unwrap_or_default();
            let on_value = move |ev: leptos::ev::Event| {
                let raw = event_target_value(&ev);
                update(Box::new(move |c, prior| {
                    if let Some(t) = prior.iter().find(|x| x.id == c.question) {
                        if let Some(v) = value_from_field(t, &raw) {
                            c.value = v;
                        }
                    }
                }));
            };
            let id = fid(&format!("{i}-value"));
            let choices: Option<Vec<(String, String)>> = match t.qtype {
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
            };
            Some(match choices {
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
        };
        view! {
            <div class="clause">
                <div class="field">
                    <label for=fid(&format!("{i}-question"))>{move || i18n.t(Msg::ConditionQuestion)}</label>
                    <select id=fid(&format!("{i}-question")) on:change=move |ev| {
                        let id = event_target_value(&ev);
                        update(Box::new(move |c, prior| {
                            if let Some(t) = prior.iter().find(|x| x.id == id) {
                                c.question = id.clone();
                                c.value = default_value(t);
                            }
                        }));
                    }>
                        {move || {
                            let chosen = clause().map(|c| c.question).unwrap_or_default();
                            earlier().into_iter().enumerate().map(|(n, x)| {
                                let is = x.id == chosen;
                                let label = format!("{}. {}", n + 1, x.text.get(i18n.lang.get()));
                                view! { <option value=x.id selected=is>{label}</option> }
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for=fid(&format!("{i}-op"))>{move || i18n.t(Msg::ConditionOperator)}</label>
                    <select id=fid(&format!("{i}-op")) on:change=move |ev| {
                        let op = op_from_code(&event_target_value(&ev));
                        update(Box::new(move |c, _| c.op = op));
                    }>
                        {move || {
                            let chosen = clause().map(|c| c.op);
                            let lang = i18n.lang.get();
                            CompareOp::ALL.into_iter().map(Some).chain([None]).map(|op| {
                                let label = op.map(|o| o.label(lang).to_owned()).unwrap_or_else(|| i18n.t(Msg::OpAnswered).to_owned());
                                let is = chosen == Some(op);
                                view! { <option value=op_code(op) selected=is>{label}</option> }
                            }).collect_view()
                        }}
                    </select>
                </div>
                {move || clause().is_some_and(|c| c.op.is_some()).then(value_field)}
                <button type="button" on:click=move |_| {
                    let (join, mut clauses) = current();
                    if i < clauses.len() { clauses.remove(i); }
                    set(join, clauses);
                }>{move || i18n.t(Msg::RemoveCondition)}</button>
            </div>
        }
    };

    view! {
        <div class="condition">
            <div class="field">
                <label for=fid("mode")>{move || i18n.t(Msg::ShowIf)}</label>
                <select id=fid("mode") on:change=on_mode disabled=move || earlier().is_empty() && matches!(flat(), Flat::Always)>
                    <option value="always" selected=move || matches!(flat(), Flat::Always)>{move || i18n.t(Msg::ShowAlways)}</option>
                    <option value="all" selected=move || matches!(flat(), Flat::Clauses(Join::All, _))>{move || i18n.t(Msg::MatchAll)}</option>
                    <option value="any" selected=move || matches!(flat(), Flat::Clauses(Join::Any, _))>{move || i18n.t(Msg::MatchAny)}</option>
                    {move || matches!(flat(), Flat::Nested).then(|| view! {
                        <option value="nested" selected=true>{move || i18n.t(Msg::NestedCondition)}</option>
                    })}
                </select>
            </div>
            {move || (0..clause_count.get()).map(clause_row).collect_view()}
            <Show when=move || matches!(flat(), Flat::Clauses(..))>
                <button type="button" on:click=move |_| {
                    let (join, mut clauses) = current();
                    if let Some(t) = earlier().pop() {
                        clauses.push(Clause { question: t.id.clone(), op: Some(CompareOp::Eq), value: default_value(&t) });
                        set(join, clauses);
                    }
                }>{move || i18n.t(Msg::AddCondition)}</button>
            </Show>
        </div>
    }
}
