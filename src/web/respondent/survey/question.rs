//! One question of the survey in plain DOM, one function per input family
//! as in the form's `web::ui::form::answer_input`: radio buttons for yes/no,
//! the scales and single choice, checkboxes for multiple choice, a labelled
//! field for numbers, texts, a date and time and the place; a photo
//! question's text alone; and the comment field.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;

use super::{edit, Run};
use crate::domain::{AnswerValue, Choice, Edit, Question, QuestionType};
use crate::i18n::{Lang, Msg};
use crate::web::respondent::dom::{add, el, is_checked, on, text_el, value_of};

/// Faces for the 1–5 scale, worst to best. Shown beside the number, which
/// stays the choice's accessible name.
const FACES: [&str; 5] = ["😠", "🙁", "😐", "🙂", "😀"];

/// A question's input with its comment field when the question takes one,
/// registered with the run so its condition can show and hide it.
pub(super) fn view(run: &Rc<Run>, q: &Question) -> Element {
    let lang = run.lang;
    let input_id = format!("survey-{}", q.id);
    let help = (!q.help.is_empty()).then(|| text_el("p", &[("class", "help")], q.help.get(lang)));
    let help = help.as_ref();
    let wrap = match q.qtype {
        QuestionType::YesNo
        | QuestionType::Scale5
        | QuestionType::Scale10
        | QuestionType::Nps
        | QuestionType::Ces
        | QuestionType::SingleChoice => radios(run, q, &input_id, help),
        QuestionType::MultipleChoice => checkboxes(run, q, help),
        QuestionType::Photo => photo(q, lang, help),
        _ => field(run, q, &input_id, help),
    };
    let shown = match comment(run, q, &input_id) {
        Some(c) => {
            let both = el("div", &[]);
            add(&both, &wrap);
            add(&both, &c);
            both
        }
        None => wrap,
    };
    run.questions
        .borrow_mut()
        .push((q.id.clone(), shown.clone()));
    shown
}

/// A fieldset whose legend is the question: the legend names every button
/// of the group inside.
fn fieldset(q: &Question, lang: Lang, help: Option<&Element>) -> Element {
    let set = el("fieldset", &[("class", "question")]);
    add(&set, &text_el("legend", &[], q.text.get(lang)));
    if let Some(h) = help {
        add(&set, h);
    }
    set
}

/// One radio button per [`Question::choices`]; the 1–5 scale shows faces
/// beside its numbers.
fn radios(run: &Rc<Run>, q: &Question, input_id: &str, help: Option<&Element>) -> Element {
    let lang = run.lang;
    let set = fieldset(q, lang, help);
    let mut class = String::from("choices");
    if q.qtype.scale_range().is_some() {
        class.push_str(" scale");
    }
    match q.qtype {
        QuestionType::Scale5 => class.push_str(" faces"),
        QuestionType::Nps => class.push_str(" nps"),
        _ => {}
    }
    let row = el("div", &[("class", &class)]);
    let group = format!("{input_id}-answer");
    for (i, Choice { value, label }) in q.choices().into_iter().enumerate() {
        let choice = el("label", &[("class", "choice")]);
        let input = el("input", &[("type", "radio"), ("name", &group)]);
        add(&choice, &input);
        if q.qtype == QuestionType::Scale5 && value != AnswerValue::Na {
            add(
                &choice,
                &text_el(
                    "span",
                    &[("class", "face"), ("aria-hidden", "true")],
                    FACES[i],
                ),
            );
        }
        add(&choice, &text_el("span", &[], &label.text(lang)));
        let (r, qid) = (run.clone(), q.id.clone());
        on(&input, "change", move |_| {
            edit(&r, &qid, Edit::Answer(value.clone()))
        });
        add(&row, &choice);
    }
    add(&set, &row);
    set
}

/// One checkbox per option; unticking the last leaves the question
/// unanswered.
fn checkboxes(run: &Rc<Run>, q: &Question, help: Option<&Element>) -> Element {
    let lang = run.lang;
    let set = fieldset(q, lang, help);
    let row = el("div", &[("class", "choices")]);
    for o in &q.options {
        let choice = el("label", &[("class", "choice")]);
        let input = el("input", &[("type", "checkbox")]);
        add(&choice, &input);
        add(&choice, &text_el("span", &[], o.label.get(lang)));
        let (r, qid, opt, box_) = (run.clone(), q.id.clone(), o.id.clone(), input.clone());
        on(&input, "change", move |_| {
            let e = {
                let resp = r.resp.borrow();
                let current = resp.answers.get(&qid).map(|a| &a.value);
                Edit::toggled(current, &opt, is_checked(&box_))
            };
            edit(&r, &qid, e);
        });
        add(&row, &choice);
    }
    add(&set, &row);
    set
}

/// Photos are the fill screen's; a survey question asking for one is shown
/// so the numbering matches, but cannot be answered here.
fn photo(q: &Question, lang: Lang, help: Option<&Element>) -> Element {
    let wrap = el("div", &[("class", "question field")]);
    add(
        &wrap,
        &text_el("p", &[("class", "label")], q.text.get(lang)),
    );
    if let Some(h) = help {
        add(&wrap, h);
    }
    wrap
}

/// A single labelled input: numbers, text, a date and time, the place.
fn field(run: &Rc<Run>, q: &Question, input_id: &str, help: Option<&Element>) -> Element {
    let lang = run.lang;
    let wrap = el("div", &[("class", "question field")]);
    let mut label = q.text.get(lang).to_owned();
    let unit = match q.qtype {
        QuestionType::Duration => Msg::Seconds.text(lang),
        QuestionType::Number => q.unit.get(lang),
        _ => "",
    };
    if !unit.is_empty() {
        label = format!("{label} ({unit})");
    }
    add(&wrap, &text_el("label", &[("for", input_id)], &label));
    if let Some(h) = help {
        add(&wrap, h);
    }
    let input = match q.qtype {
        QuestionType::Number | QuestionType::Duration => el(
            "input",
            &[
                ("id", input_id),
                ("type", "number"),
                ("inputmode", "decimal"),
                ("step", "any"),
            ],
        ),
        QuestionType::LongText => el("textarea", &[("id", input_id), ("rows", "4")]),
        QuestionType::DateTime => el("input", &[("id", input_id), ("type", "datetime-local")]),
        QuestionType::LocationPicker => {
            let select = el("select", &[("id", input_id)]);
            add(
                &select,
                &text_el("option", &[("value", "")], Msg::ChooseOne.text(lang)),
            );
            if let Some(l) = &run.p.location {
                add(&select, &text_el("option", &[("value", &l.id)], &l.name));
            }
            select
        }
        _ => el("input", &[("id", input_id), ("type", "text")]),
    };
    let (r, qid, i, qtype) = (run.clone(), q.id.clone(), input.clone(), q.qtype);
    let event = if qtype == QuestionType::LocationPicker {
        "change"
    } else {
        "input"
    };
    on(&input, event, move |_| {
        let raw = value_of(&i);
        let e = match qtype {
            // The browser's own reading of the number field (NaN while it
            // holds no number), so the page carries no float parser.
            QuestionType::Number | QuestionType::Duration => {
                let n = i
                    .dyn_ref::<web_sys::HtmlInputElement>()
                    .map(|n| n.value_as_number());
                match Edit::number(n, &raw) {
                    Some(e) => e,
                    None => return,
                }
            }
            QuestionType::LocationPicker => Edit::picked(raw),
            _ => Edit::text(raw),
        };
        edit(&r, &qid, e);
    });
    add(&wrap, &input);
    wrap
}

/// The comment field, registered with the run, which shows it once the
/// question has an answer.
fn comment(run: &Rc<Run>, q: &Question, input_id: &str) -> Option<Element> {
    if !q.comment_allowed {
        return None;
    }
    let lang = run.lang;
    let comment_id = format!("{input_id}-comment");
    let c = el("div", &[("class", "field comment")]);
    add(
        &c,
        &text_el(
            "label",
            &[("for", &comment_id)],
            &format!("{} · {}", Msg::Comment.text(lang), q.text.get(lang)),
        ),
    );
    let area = el("textarea", &[("id", &comment_id), ("rows", "2")]);
    let (r, qid, a) = (run.clone(), q.id.clone(), area.clone());
    on(&area, "input", move |_| {
        edit(&r, &qid, Edit::Comment(value_of(&a)))
    });
    add(&c, &area);
    run.comments.borrow_mut().push((q.id.clone(), c.clone()));
    Some(c)
}
