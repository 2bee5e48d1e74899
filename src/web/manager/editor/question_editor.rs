//! One question in the editor: every property of PRODUCT.md §2, its options
//! for choice types, its visibility condition and the move, duplicate and
//! delete buttons.

use leptos::prelude::*;

use super::condition_editor::ConditionEditor;
use super::state::{new_id, shift, use_editor, Deleted};
use crate::domain::questionnaire::MetricRole;
use crate::domain::validation::{metric_fits, metric_label};
use crate::domain::{ChoiceOption, Question, QuestionType, Text};
use crate::i18n::Msg;
use crate::web::ui::form::answer_input::{type_label, ALL_TYPES};
use crate::web::ui::i18n::use_i18n;

fn parse_number(raw: &str) -> Option<f64> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

fn type_code(t: QuestionType) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn type_from_code(code: &str) -> Option<QuestionType> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

#[component]
pub fn QuestionEditor(question_id: String, section_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let ed = use_editor();
    let qid = StoredValue::new(question_id);
    let sid = StoredValue::new(section_id);
    let question = move || ed.q.with(|q| q.question(&qid.get_value()).cloned());
    let position = move || {
        ed.q.with(|q| {
            q.sections
                .iter()
                .find(|s| s.id == sid.get_value())
                .map(|s| {
                    (
                        s.questions
                            .iter()
                            .position(|x| x.id == qid.get_value())
                            .unwrap_or(0),
                        s.questions.len(),
                    )
                })
                .unwrap_or((0, 0))
        })
    };
    let number = move || {
        ed.q.with(|q| {
            q.questions()
                .position(|x| x.id == qid.get_value())
                .map(|i| i + 1)
                .unwrap_or(0)
        })
    };
    let text_now = move || {
        question()
            .map(|x| x.text.get(i18n.lang.get()).to_owned())
            .unwrap_or_default()
    };
    let name = move || format!("{} {}: {}", i18n.t(Msg::Question), number(), text_now());
    let fid = move |f: &str| format!("qe-{}-{f}", qid.get_value());
    let edit = move |f: Box<dyn FnOnce(&mut Question)>| ed.edit_question(&qid.get_value(), f);

    let text_field = move |label: Msg,
                           f: &'static str,
                           get: fn(&Question) -> String,
                           set: fn(&mut Question, String)| {
        view! {
            <div class="field">
                <label for=fid(f)>{move || i18n.t(label)}</label>
                <input id=fid(f) type="text"
                    prop:value=move || question().map(|x| get(&x)).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); edit(Box::new(move |x| set(x, v))) } />
            </div>
        }
    };
    let flag = move |label: Msg,
                     f: &'static str,
                     get: fn(&Question) -> bool,
                     set: fn(&mut Question, bool)| {
        view! {
            <label class="check" for=fid(f)>
                <input id=fid(f) type="checkbox"
                    prop:checked=move || question().is_some_and(|x| get(&x))
                    on:change=move |ev| { let on = event_target_checked(&ev); edit(Box::new(move |x| set(x, on))) } />
                <span>{move || i18n.t(label)}</span>
            </label>
        }
    };

    let is_number = move || question().is_some_and(|x| matches!(x.qtype, QuestionType::Number));
    let is_choice = move || {
        question().is_some_and(|x| {
            matches!(
                x.qtype,
                QuestionType::SingleChoice | QuestionType::MultipleChoice
            )
        })
    };
    let option_ids = move || {
        question()
            .map(|x| x.options.iter().map(|o| o.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };

    let (index_in_section, len) = (move || position().0, move || position().1);
    let move_by = move |step: isize| {
        let i = index_in_section();
        ed.edit_section(&sid.get_value(), |s| shift(&mut s.questions, i, step));
    };
    let duplicate = move |_| {
        let i = index_in_section();
        ed.edit_section(&sid.get_value(), |s| {
            let mut copy = s.questions[i].clone();
            copy.id = new_id("q");
            s.questions.insert(i + 1, copy);
        });
    };
    let delete = move |_| {
        let i = index_in_section();
        let Some(removed) = question() else { return };
        ed.edit_section(&sid.get_value(), |s| {
            s.questions.remove(i);
        });
        ed.deleted.set(Some(Deleted::Question {
            section_id: sid.get_value(),
            index: i,
            question: removed,
        }));
    };

    view! {
        <fieldset class="editor-question">
            <legend>{name}</legend>
            {text_field(Msg::QuestionTextRu, "text-ru", |x| x.text.ru.clone(), |x, v| x.text.ru = v)}
            {text_field(Msg::QuestionTextEn, "text-en", |x| x.text.en.clone(), |x, v| x.text.en = v)}
            <div class="field">
                <label for=fid("type")>{move || i18n.t(Msg::QuestionTypeLabel)}</label>
                <select id=fid("type") on:change=move |ev| {
                    if let Some(t) = type_from_code(&event_target_value(&ev)) {
                        edit(Box::new(move |x| {
                            x.qtype = t;
                            if matches!(t, QuestionType::SingleChoice | QuestionType::MultipleChoice) && x.options.is_empty() {
                                x.options = vec![
                                    ChoiceOption { id: new_id("o"), label: Text::new("Вариант 1", "Option 1"), points: 1.0 },
                                    ChoiceOption { id: new_id("o"), label: Text::new("Вариант 2", "Option 2"), points: 0.0 },
                                ];
                            }
                        }));
                    }
                }>
                    {ALL_TYPES.iter().map(|&t| view! {
                        <option value=type_code(t) selected=move || question().is_some_and(|x| x.qtype == t)>
                            {move || i18n.t(type_label(t))}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="flags">
                {flag(Msg::Required, "required", |x| x.required, |x, v| x.required = v)}
                {flag(Msg::Critical, "critical", |x| x.critical, |x, v| x.critical = v)}
                {flag(Msg::NaAllowed, "na", |x| x.na_allowed, |x, v| x.na_allowed = v)}
                {flag(Msg::CommentAllowed, "comment", |x| x.comment_allowed, |x, v| x.comment_allowed = v)}
                {flag(Msg::PhotoAllowed, "photo", |x| x.photo_allowed, |x, v| x.photo_allowed = v)}
            </div>
            <div class="field">
                <label for=fid("weight")>{move || i18n.t(Msg::Weight)}</label>
                <input id=fid("weight") type="number" min="0" step="any" inputmode="decimal"
                    prop:value=move || question().map(|x| x.weight.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        if let Some(w) = parse_number(&event_target_value(&ev)) {
                            edit(Box::new(move |x| x.weight = w));
                        }
                    } />
            </div>
            <Show when=is_number>
                {text_field(Msg::UnitRu, "unit-ru", |x| x.unit.ru.clone(), |x, v| x.unit.ru = v)}
                {text_field(Msg::UnitEn, "unit-en", |x| x.unit.en.clone(), |x, v| x.unit.en = v)}
            </Show>
            <div class="field">
                <label for=fid("metric")>{move || i18n.t(Msg::MetricLabel)}</label>
                <select id=fid("metric") on:change=move |ev| {
                    let chosen = event_target_value(&ev).parse::<usize>().ok().and_then(|i| MetricRole::ALL.get(i).copied());
                    edit(Box::new(move |x| x.metric = chosen));
                }>
                    <option value="" selected=move || question().is_some_and(|x| x.metric.is_none())>{move || i18n.t(Msg::MetricNone)}</option>
                    {move || {
                        let Some(x) = question() else { return Vec::new() };
                        let kind = ed.q.with(|q| q.kind);
                        let lang = i18n.lang.get();
                        MetricRole::ALL
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| metric_fits(**r, &x, kind))
                            .map(|(i, r)| {
                                let is = x.metric.is_some_and(|m| std::mem::discriminant(&m) == std::mem::discriminant(r));
                                view! { <option value=i.to_string() selected=is>{metric_label(*r, lang)}</option> }
                            })
                            .collect::<Vec<_>>()
                    }}
                </select>
            </div>
            <Show when=move || matches!(question().and_then(|x| x.metric), Some(MetricRole::CsiAttribute { .. }))>
                <div class="field">
                    <label for=fid("importance")>{move || i18n.t(Msg::Importance)}</label>
                    <input id=fid("importance") type="number" min="0" step="any" inputmode="decimal"
                        prop:value=move || match question().and_then(|x| x.metric) {
                            Some(MetricRole::CsiAttribute { importance }) => importance.to_string(),
                            _ => String::new(),
                        }
                        on:change=move |ev| {
                            if let Some(w) = parse_number(&event_target_value(&ev)) {
                                edit(Box::new(move |x| x.metric = Some(MetricRole::CsiAttribute { importance: w })));
                            }
                        } />
                </div>
            </Show>
            {text_field(Msg::HelpRu, "help-ru", |x| x.help.ru.clone(), |x, v| x.help.ru = v)}
            {text_field(Msg::HelpEn, "help-en", |x| x.help.en.clone(), |x, v| x.help.en = v)}
            <Show when=is_choice>
                <fieldset class="options">
                    <legend>{move || i18n.t(Msg::Options)}</legend>
                    <For each=option_ids key=|id| id.clone() let:oid>
                        {
                            let oid = StoredValue::new(oid);
                            let option = move || question().and_then(|x| x.options.iter().find(|o| o.id == oid.get_value()).cloned());
                            let ofid = move |f: &str| format!("qe-{}-{}-{f}", qid.get_value(), oid.get_value());
                            let set = move |f: Box<dyn FnOnce(&mut ChoiceOption)>| edit(Box::new(move |x| {
                                if let Some(o) = x.options.iter_mut().find(|o| o.id == oid.get_value()) { f(o) }
                            }));
                            view! {
                                <div class="option-row">
                                    <div class="field">
                                        <label for=ofid("ru")>{move || i18n.t(Msg::OptionLabelRu)}</label>
                                        <input id=ofid("ru") type="text" prop:value=move || option().map(|o| o.label.ru).unwrap_or_default()
                                            on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |o| o.label.ru = v)) } />
                                    </div>
                                    <div class="field">
                                        <label for=ofid("en")>{move || i18n.t(Msg::OptionLabelEn)}</label>
                                        <input id=ofid("en") type="text" prop:value=move || option().map(|o| o.label.en).unwrap_or_default()
                                            on:input=move |ev| { let v = event_target_value(&ev); set(Box::new(move |o| o.label.en = v)) } />
                                    </div>
                                    <div class="field narrow">
                                        <label for=ofid("points")>{move || i18n.t(Msg::OptionPoints)}</label>
                                        <input id=ofid("points") type="number" step="any" inputmode="decimal"
                                            prop:value=move || option().map(|o| o.points.to_string()).unwrap_or_default()
                                            on:change=move |ev| {
                                                if let Some(p) = parse_number(&event_target_value(&ev)) { set(Box::new(move |o| o.points = p)) }
                                            } />
                                    </div>
                                    <button type="button" on:click=move |_| edit(Box::new(move |x| x.options.retain(|o| o.id != oid.get_value())))
                                        aria-label=move || format!("{}: {}", i18n.t(Msg::RemoveOption), option().map(|o| o.label.get(i18n.lang.get()).to_owned()).unwrap_or_default())>
                                        {move || i18n.t(Msg::RemoveOption)}
                                    </button>
                                </div>
                            }
                        }
                    </For>
                    <button type="button" on:click=move |_| edit(Box::new(|x| {
                        let n = x.options.len() + 1;
                        x.options.push(ChoiceOption { id: new_id("o"), label: Text::new(format!("Вариант {n}"), format!("Option {n}")), points: 0.0 });
                    }))>{move || i18n.t(Msg::AddOption)}</button>
                </fieldset>
            </Show>
            <ConditionEditor question_id=qid.get_value() />
            <div class="toolbar">
                <button type="button" disabled=move || index_in_section() == 0 on:click=move |_| move_by(-1)
                    aria-label=move || format!("{}: {}", i18n.t(Msg::MoveUp), name())>{move || i18n.t(Msg::MoveUp)}</button>
                <button type="button" disabled={move || index_in_section() + 1 >= len()} on:click=move |_| move_by(1)
                    aria-label=move || format!("{}: {}", i18n.t(Msg::MoveDown), name())>{move || i18n.t(Msg::MoveDown)}</button>
                <button type="button" on:click=duplicate
                    aria-label=move || format!("{}: {}", i18n.t(Msg::Duplicate), name())>{move || i18n.t(Msg::Duplicate)}</button>
                <button type="button" class="danger" on:click=delete
                    aria-label=move || format!("{}: {}", i18n.t(Msg::Delete), name())>{move || i18n.t(Msg::Delete)}</button>
            </div>
        </fieldset>
    }
}
