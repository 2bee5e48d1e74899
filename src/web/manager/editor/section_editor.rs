//! One section in the editor: titles, weight, critical rule, its questions,
//! and buttons to move, duplicate or delete it (no drag-only gestures).

use leptos::prelude::*;

use super::question_editor::QuestionEditor;
use super::state::{new_id, use_editor};
use super::toolbar::ItemToolbar;
use crate::domain::{CriticalRule, Question, QuestionType, Section, Text};
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

fn blank_question(lang_text: Text) -> Question {
    Question {
        id: new_id("q"),
        qtype: QuestionType::YesNo,
        text: lang_text,
        help: Text::default(),
        required: true,
        weight: 1.0,
        critical: false,
        na_allowed: true,
        comment_allowed: true,
        photo_allowed: false,
        options: Vec::new(),
        metric: None,
        visible_if: None,
        unit: Text::default(),
    }
}

#[component]
pub fn SectionEditor(section_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let ed = use_editor();
    let sid = StoredValue::new(section_id);
    let section = move || {
        ed.q.with(|q| q.sections.iter().find(|s| s.id == sid.get_value()).cloned())
    };
    let index = move || {
        ed.q.with(|q| {
            q.sections
                .iter()
                .position(|s| s.id == sid.get_value())
                .unwrap_or(0)
        })
    };
    let count = move || ed.q.with(|q| q.sections.len());
    let title_of = move || {
        section()
            .map(|s| s.title.get(i18n.lang.get()).to_owned())
            .unwrap_or_default()
    };
    let name = move || format!("{} {}: {}", i18n.t(Msg::Section), index() + 1, title_of());
    let field_id = move |f: &str| format!("se-{}-{f}", sid.get_value());
    let folded = move || ed.folded.with(|f| f.contains(&sid.get_value()));
    let toggle = move |_| {
        let id = sid.get_value();
        ed.folded.update(|f| {
            if !f.remove(&id) {
                f.insert(id);
            }
        });
    };

    let text_field = move |label: Msg,
                           f: &'static str,
                           get: fn(&Section) -> String,
                           set: fn(&mut Section, String)| {
        view! {
            <div class="field">
                <label for=field_id(f)>{move || i18n.t(label)}</label>
                <input id=field_id(f) type="text"
                    prop:value=move || section().map(|s| get(&s)).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); ed.edit_section(&sid.get_value(), |s| set(s, v)) } />
            </div>
        }
    };

    let move_by = move |step: isize| ed.move_section(index(), step);
    let duplicate = move |()| ed.duplicate_section(index());
    let delete = move |()| {
        if let Some(removed) = section() {
            ed.delete_section(index(), removed);
        }
    };
    let add_question = move |_| {
        let text = Text::from_msg(Msg::UntitledQuestion);
        ed.edit_section(&sid.get_value(), |s| s.questions.push(blank_question(text)));
    };

    let question_ids = move || {
        section()
            .map(|s| s.questions.iter().map(|x| x.id.clone()).collect::<Vec<_>>())
            .unwrap_or_default()
    };

    view! {
        <section class="editor-section" aria-label=name>
            <h2>
                <button type="button" class="fold" aria-expanded=move || (!folded()).to_string()
                    aria-controls=field_id("body") on:click=toggle>
                    <span class="icon" data-icon="chevron-down" aria-hidden="true"></span>
                    {name}
                </button>
            </h2>
            <ItemToolbar name index count on_move=Callback::new(move_by)
                on_duplicate=Callback::new(duplicate) on_delete=Callback::new(delete) />
            <div id=field_id("body") hidden=folded>
            {text_field(Msg::SectionTitleRu, "title-ru", |s| s.title.ru.clone(), |s, v| s.title.ru = v)}
            {text_field(Msg::SectionTitleEn, "title-en", |s| s.title.en.clone(), |s, v| s.title.en = v)}
            <div class="row">
                <div class="field">
                    <label for=field_id("weight")>{move || i18n.t(Msg::SectionWeight)}</label>
                    <input id=field_id("weight") type="number" min="0" step="any" inputmode="decimal"
                        prop:value=move || section().map(|s| s.weight.to_string()).unwrap_or_default()
                        on:change=move |ev| {
                            if let Ok(w) = event_target_value(&ev).replace(',', ".").parse::<f64>() {
                                ed.edit_section(&sid.get_value(), |s| s.weight = w);
                            }
                        } />
                </div>
                <div class="field">
                    <label for=field_id("critical")>{move || i18n.t(Msg::CriticalRuleLabel)}</label>
                    <select id=field_id("critical") on:change=move |ev| {
                        let rule = if event_target_value(&ev) == "zero_visit" { CriticalRule::ZeroVisit } else { CriticalRule::ZeroSection };
                        ed.edit_section(&sid.get_value(), |s| s.critical_rule = rule);
                    }>
                        <option value="zero_section" selected=move || section().is_some_and(|s| s.critical_rule == CriticalRule::ZeroSection)>
                            {move || i18n.t(Msg::CriticalZeroSection)}
                        </option>
                        <option value="zero_visit" selected=move || section().is_some_and(|s| s.critical_rule == CriticalRule::ZeroVisit)>
                            {move || i18n.t(Msg::CriticalZeroVisit)}
                        </option>
                    </select>
                </div>
            </div>
            <For each=question_ids key=|id| id.clone() let:qid>
                <QuestionEditor question_id=qid section_id=sid.get_value() />
            </For>
            <button type="button" on:click=add_question
                aria-label=move || format!("{}: {}", i18n.t(Msg::AddQuestion), name())>{move || i18n.t(Msg::AddQuestion)}</button>
            </div>
        </section>
    }
}
