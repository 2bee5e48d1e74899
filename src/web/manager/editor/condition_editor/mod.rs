//! "Show if": the visibility condition of one question, as a flat list of
//! clauses joined by and/or, each reading an earlier question. `mod.rs`
//! is the mode (always / all / any) and the list; `clause.rs` one clause.

mod clause;

use leptos::prelude::*;

use super::state::{use_editor, EditorCtx};
use crate::domain::condition_clauses::{build, default_value, flatten, Clause, Flat, Join};
use crate::domain::{CompareOp, Question};
use crate::i18n::Msg;
use crate::web::ui::i18n::use_i18n;

use clause::ClauseRow;

/// The condition being edited, as the mode and each clause see it: read
/// from the draft (tracked) and written back whole, rebuilt from its
/// clauses.
#[derive(Clone, Copy)]
struct Condition {
    ed: EditorCtx,
    question_id: StoredValue<String>,
}

impl Condition {
    fn flat(&self) -> Flat {
        self.ed.q.with(|q| {
            flatten(
                q.question(&self.question_id.get_value())
                    .and_then(|x| x.visible_if.as_ref()),
            )
        })
    }

    /// The questions a clause may read: those before this one.
    fn earlier(&self) -> Vec<Question> {
        self.ed.q.with(|q| {
            q.questions()
                .take_while(|x| x.id != self.question_id.get_value())
                .cloned()
                .collect()
        })
    }

    /// The clauses and how they join; none while the question is always
    /// shown (or its condition is nested, which this editor does not edit
    /// clause by clause).
    fn current(&self) -> (Join, Vec<Clause>) {
        match self.flat() {
            Flat::Clauses(join, clauses) => (join, clauses),
            _ => (Join::All, Vec::new()),
        }
    }

    fn set(&self, join: Join, clauses: Vec<Clause>) {
        let c = build(join, &clauses);
        self.ed
            .edit_question(&self.question_id.get_value(), move |x| x.visible_if = c);
    }

    /// A clause on the last earlier question: equal to its first value.
    fn new_clause(&self) -> Option<Clause> {
        let target = self.earlier().pop()?;
        Some(Clause {
            question: target.id.clone(),
            op: Some(CompareOp::Eq),
            value: default_value(&target),
        })
    }

    fn clause(&self, i: usize) -> Option<Clause> {
        self.current().1.get(i).cloned()
    }

    /// Changes clause `i`, given the questions it may read.
    fn update_clause(&self, i: usize, f: impl FnOnce(&mut Clause, &[Question])) {
        let (join, mut clauses) = self.current();
        let prior = self.earlier();
        if let Some(cl) = clauses.get_mut(i) {
            f(cl, &prior);
        }
        self.set(join, clauses);
    }

    fn remove_clause(&self, i: usize) {
        let (join, mut clauses) = self.current();
        if i < clauses.len() {
            clauses.remove(i);
        }
        self.set(join, clauses);
    }

    fn clause_field_id(&self, i: usize, field: &str) -> String {
        self.field_id(&format!("{i}-{field}"))
    }

    /// A form control's id, unique on the page: `ce-<question>-<field>`.
    fn field_id(&self, field: &str) -> String {
        format!("ce-{}-{field}", self.question_id.get_value())
    }
}

#[component]
pub fn ConditionEditor(question_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let c = Condition {
        ed: use_editor(),
        question_id: StoredValue::new(question_id),
    };
    // Rows are rebuilt only when their number changes, not on every edit.
    let clause_count = Memo::new(move |_| c.current().1.len());

    let on_mode = move |ev| {
        let mode = event_target_value(&ev);
        let (_, mut clauses) = c.current();
        if mode == "always" {
            c.set(Join::All, Vec::new());
            return;
        }
        if clauses.is_empty() {
            let Some(first) = c.new_clause() else {
                return;
            };
            clauses.push(first);
        }
        c.set(if mode == "any" { Join::Any } else { Join::All }, clauses);
    };
    let add = move |_| {
        let (join, mut clauses) = c.current();
        if let Some(clause) = c.new_clause() {
            clauses.push(clause);
            c.set(join, clauses);
        }
    };
    let is = move |mode: fn(&Flat) -> bool| move || mode(&c.flat());

    view! {
        <div class="condition">
            <div class="field">
                <label for=c.field_id("mode")>{move || i18n.t(Msg::ShowIf)}</label>
                <select id=c.field_id("mode") on:change=on_mode disabled=move || c.earlier().is_empty() && matches!(c.flat(), Flat::Always)>
                    <option value="always" selected=is(|f| matches!(f, Flat::Always))>{move || i18n.t(Msg::ShowAlways)}</option>
                    <option value="all" selected=is(|f| matches!(f, Flat::Clauses(Join::All, _)))>{move || i18n.t(Msg::MatchAll)}</option>
                    <option value="any" selected=is(|f| matches!(f, Flat::Clauses(Join::Any, _)))>{move || i18n.t(Msg::MatchAny)}</option>
                    {move || matches!(c.flat(), Flat::Nested).then(|| view! {
                        <option value="nested" selected=true>{move || i18n.t(Msg::NestedCondition)}</option>
                    })}
                </select>
            </div>
            {move || (0..clause_count.get()).map(|i| view! { <ClauseRow c i /> }).collect_view()}
            <Show when=move || matches!(c.flat(), Flat::Clauses(..))>
                <button type="button" on:click=add>{move || i18n.t(Msg::AddCondition)}</button>
            </Show>
        </div>
    }
}
