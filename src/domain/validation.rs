//! What must hold before a questionnaire is published or imported: every
//! problem found at once, each with where it is and a message in both UI
//! languages, so the editor can list them next to the fields.
//!
//! Texts (titles, question texts, option labels) need at least one language:
//! [`Text::get`](super::Text::get) falls back to the other one, so a
//! questionnaire written only in Russian still reads everywhere. The
//! built-in templates are held to both languages by their own tests.

// Ordered collections: the customer's lean page validates every link and
// then links no hash table (see `condition::Visibility`).
use std::collections::{BTreeMap, BTreeSet};

use super::condition::{CompareOp, Condition};
use super::metric::{self, MetricSource};
use super::questionnaire::{MetricRole, Question, QuestionType, Questionnaire, QuestionnaireKind};
use super::response::AnswerValue;
use crate::i18n::{format_decimal, Lang};

/// Where an issue is, by stable ids (they stay put while titles are edited).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueLocation {
    Questionnaire,
    Section {
        section_id: String,
    },
    Question {
        section_id: String,
        question_id: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// The questionnaire, section or question has no id.
    EmptyId,
    /// Questionnaire or section title empty in both languages.
    EmptyTitle,
    /// Question text empty in both languages.
    EmptyText,
    /// Another section (or question) before this one has the same id.
    DuplicateId {
        id: String,
    },
    NoQuestions,
    EmptySection,
    /// Weight of a section or question is zero, negative or not a number.
    InvalidWeight {
        weight: f64,
    },
    ChoiceWithoutOptions,
    EmptyOptionId,
    DuplicateOptionId {
        option: String,
    },
    EmptyOptionLabel {
        option: String,
    },
    InvalidOptionPoints {
        option: String,
    },
    /// "Critical" on a question that earns no points can never fail.
    CriticalNotScored,
    /// An audit needs at least one item that earns points.
    NoScoredItem,
    /// The KPI role does not fit the question's type, so the KPI engine
    /// would ignore it.
    MetricTypeMismatch {
        metric: MetricRole,
    },
    /// CSI importance must be a positive number.
    InvalidImportance {
        importance: f64,
    },
    ConditionSelfReference,
    ConditionMissingQuestion {
        target: String,
    },
    ConditionForwardReference {
        target: String,
    },
    ConditionOperatorNotApplicable {
        target: String,
        op: CompareOp,
    },
    ConditionValueTypeMismatch {
        target: String,
    },
    ConditionValueOutOfRange {
        target: String,
        min: u8,
        max: u8,
    },
    ConditionUnknownOption {
        target: String,
        option: String,
    },
    /// `{"all":[]}` or `{"any":[]}`: always true or always false, never
    /// what the author meant.
    ConditionEmptyGroup,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub location: IssueLocation,
    pub kind: IssueKind,
}

impl Issue {
    /// "Header (n):" then one bullet per issue: how every file and link
    /// reader reports a questionnaire that fails validation.
    pub fn bulleted_list(header: &str, issues: &[Issue], lang: Lang) -> String {
        let mut out = format!("{header} ({}):", issues.len());
        for issue in issues {
            out.push_str("\n• ");
            out.push_str(&issue.message(lang));
        }
        out
    }

    /// The problem with where it is, for a list of issues.
    pub fn message(&self, lang: Lang) -> String {
        format!("{}: {}", self.location_label(lang), self.describe(lang))
    }

    /// Where the issue is, e.g. "Question “q-greet”".
    pub fn location_label(&self, lang: Lang) -> String {
        match (&self.location, lang) {
            (IssueLocation::Questionnaire, Lang::Ru) => "Анкета".to_owned(),
            (IssueLocation::Questionnaire, Lang::En) => "Questionnaire".to_owned(),
            (IssueLocation::Section { section_id }, Lang::Ru) => format!("Раздел «{section_id}»"),
            (IssueLocation::Section { section_id }, Lang::En) => {
                format!("Section “{section_id}”")
            }
            (IssueLocation::Question { question_id, .. }, Lang::Ru) => {
                format!("Вопрос «{question_id}»")
            }
            (IssueLocation::Question { question_id, .. }, Lang::En) => {
                format!("Question “{question_id}”")
            }
        }
    }

    /// The problem alone, for showing next to the field it concerns.
    pub fn describe(&self, lang: Lang) -> String {
        use IssueKind as K;
        match (&self.kind, lang) {
            (K::EmptyId, Lang::Ru) => "не задан идентификатор.".to_owned(),
            (K::EmptyId, Lang::En) => "the id is empty.".to_owned(),
            (K::EmptyTitle, Lang::Ru) => "нет названия ни на одном языке.".to_owned(),
            (K::EmptyTitle, Lang::En) => "the title is empty in both languages.".to_owned(),
            (K::EmptyText, Lang::Ru) => "нет текста вопроса ни на одном языке.".to_owned(),
            (K::EmptyText, Lang::En) => "the question text is empty in both languages.".to_owned(),
            (K::DuplicateId { id }, Lang::Ru) => {
                format!(
                    "идентификатор «{id}» уже занят выше; идентификаторы должны быть уникальны."
                )
            }
            (K::DuplicateId { id }, Lang::En) => {
                format!("the id “{id}” is already used above; ids must be unique.")
            }
            (K::NoQuestions, Lang::Ru) => "в анкете нет ни одного вопроса.".to_owned(),
            (K::NoQuestions, Lang::En) => "the questionnaire has no questions.".to_owned(),
            (K::EmptySection, Lang::Ru) => {
                "в разделе нет вопросов: добавьте вопрос или удалите раздел.".to_owned()
            }
            (K::EmptySection, Lang::En) => {
                "the section has no questions: add one or delete the section.".to_owned()
            }
            (K::InvalidWeight { weight }, Lang::Ru) => format!(
                "вес должен быть положительным числом, сейчас {}.",
                format_decimal(*weight, 2, lang)
            ),
            (K::InvalidWeight { weight }, Lang::En) => format!(
                "the weight must be a positive number, it is {}.",
                format_decimal(*weight, 2, lang)
            ),
            (K::ChoiceWithoutOptions, Lang::Ru) => {
                "у вопроса с выбором нет вариантов ответа.".to_owned()
            }
            (K::ChoiceWithoutOptions, Lang::En) => "the choice question has no options.".to_owned(),
            (K::EmptyOptionId, Lang::Ru) => "у варианта ответа пустой идентификатор.".to_owned(),
            (K::EmptyOptionId, Lang::En) => "an option has an empty id.".to_owned(),
            (K::DuplicateOptionId { option }, Lang::Ru) => {
                format!("вариант ответа «{option}» повторяется.")
            }
            (K::DuplicateOptionId { option }, Lang::En) => {
                format!("the option “{option}” appears twice.")
            }
            (K::EmptyOptionLabel { option }, Lang::Ru) => {
                format!("у варианта «{option}» нет подписи ни на одном языке.")
            }
            (K::EmptyOptionLabel { option }, Lang::En) => {
                format!("the option “{option}” has no label in either language.")
            }
            (K::InvalidOptionPoints { option }, Lang::Ru) => {
                format!("баллы варианта «{option}» должны быть числом.")
            }
            (K::InvalidOptionPoints { option }, Lang::En) => {
                format!("the points of option “{option}” must be a number.")
            }
            (K::CriticalNotScored, Lang::Ru) => "критическим может быть только пункт, который \
                 приносит баллы (да/нет, шкала или выбор с баллами)."
                .to_owned(),
            (K::CriticalNotScored, Lang::En) => "only an item that earns points (yes/no, a scale \
                 or a choice with points) can be critical."
                .to_owned(),
            (K::NoScoredItem, Lang::Ru) => "в проверке нет ни одного пункта, приносящего баллы: \
                 оценку визита не из чего посчитать."
                .to_owned(),
            (K::NoScoredItem, Lang::En) => "the audit has no item that earns points, so a visit \
                 cannot be scored."
                .to_owned(),
            (K::MetricTypeMismatch { metric }, Lang::Ru) => format!(
                "показатель «{}» нельзя получить из вопроса этого типа: нужен {}.",
                metric::label(*metric, lang),
                metric_needs(*metric, lang)
            ),
            (K::MetricTypeMismatch { metric }, Lang::En) => format!(
                "the metric “{}” cannot come from a question of this type: it needs {}.",
                metric::label(*metric, lang),
                metric_needs(*metric, lang)
            ),
            (K::InvalidImportance { importance }, Lang::Ru) => format!(
                "важность атрибута CSI должна быть положительным числом, сейчас {}.",
                format_decimal(*importance, 2, lang)
            ),
            (K::InvalidImportance { importance }, Lang::En) => format!(
                "the CSI importance must be a positive number, it is {}.",
                format_decimal(*importance, 2, lang)
            ),
            (K::ConditionSelfReference, Lang::Ru) => {
                "условие показа зависит от ответа на этот же вопрос.".to_owned()
            }
            (K::ConditionSelfReference, Lang::En) => {
                "the visibility condition depends on this question's own answer.".to_owned()
            }
            (K::ConditionMissingQuestion { target }, Lang::Ru) => {
                format!("условие показа ссылается на вопрос «{target}», которого нет в анкете.")
            }
            (K::ConditionMissingQuestion { target }, Lang::En) => format!(
                "the visibility condition refers to question “{target}”, which does not exist."
            ),
            (K::ConditionForwardReference { target }, Lang::Ru) => format!(
                "условие показа ссылается на вопрос «{target}», который идёт позже; \
                 условие может зависеть только от предыдущих вопросов."
            ),
            (K::ConditionForwardReference { target }, Lang::En) => format!(
                "the visibility condition refers to question “{target}”, which comes later; \
                 a condition can only depend on earlier questions."
            ),
            (K::ConditionOperatorNotApplicable { target, op }, Lang::Ru) => format!(
                "в условии показа сравнение «{}» не подходит к типу вопроса «{target}».",
                op.label(lang)
            ),
            (K::ConditionOperatorNotApplicable { target, op }, Lang::En) => format!(
                "the visibility condition uses “{}”, which does not apply to the type of \
                 question “{target}”.",
                op.label(lang)
            ),
            (K::ConditionValueTypeMismatch { target }, Lang::Ru) => {
                format!("значение в условии показа не может быть ответом на вопрос «{target}».")
            }
            (K::ConditionValueTypeMismatch { target }, Lang::En) => format!(
                "the value in the visibility condition cannot be an answer to question \
                 “{target}”."
            ),
            (K::ConditionValueOutOfRange { target, min, max }, Lang::Ru) => {
                format!("значение в условии показа вне шкалы вопроса «{target}» ({min}–{max}).")
            }
            (K::ConditionValueOutOfRange { target, min, max }, Lang::En) => format!(
                "the value in the visibility condition is outside the scale of question \
                 “{target}” ({min}–{max})."
            ),
            (K::ConditionUnknownOption { target, option }, Lang::Ru) => format!(
                "в условии показа указан вариант «{option}», которого нет у вопроса «{target}»."
            ),
            (K::ConditionUnknownOption { target, option }, Lang::En) => format!(
                "the visibility condition names the option “{option}”, which question \
                 “{target}” does not have."
            ),
            (K::ConditionEmptyGroup, Lang::Ru) => {
                "в условии показа есть пустая группа «все из» или «любое из».".to_owned()
            }
            (K::ConditionEmptyGroup, Lang::En) => {
                "the visibility condition has an empty “all of” or “any of” group.".to_owned()
            }
        }
    }
}

fn metric_needs(role: MetricRole, lang: Lang) -> &'static str {
    match (MetricSource::of(role), lang) {
        (MetricSource::Scale, Lang::Ru) => "вопрос со шкалой",
        (MetricSource::Scale, Lang::En) => "a scale question",
        (MetricSource::YesNo, Lang::Ru) => "вопрос «да/нет»",
        (MetricSource::YesNo, Lang::En) => "a yes/no question",
        (MetricSource::NumberOrDuration, Lang::Ru) => "числовой вопрос или длительность",
        (MetricSource::NumberOrDuration, Lang::En) => "a number or duration question",
        (MetricSource::Choice, Lang::Ru) => "вопрос с выбором вне проверки",
        (MetricSource::Choice, Lang::En) => "a choice question outside an audit",
    }
}

fn is_choice(t: QuestionType) -> bool {
    matches!(t, QuestionType::SingleChoice | QuestionType::MultipleChoice)
}

/// Whether answers to `q` can earn points, the same rule as
/// [`super::scoring::item_score`]: a choice whose options are all worth
/// nothing is a plain question (a scenario switch), not a scored item.
pub fn earns_points(q: &Question) -> bool {
    q.qtype.is_scorable() && (!is_choice(q.qtype) || q.options.iter().any(|o| o.points > 0.0))
}

fn valid_weight(w: f64) -> bool {
    w.is_finite() && w > 0.0
}

/// Every problem of `questionnaire`, in reading order; empty when it can be
/// published.
pub fn validate(questionnaire: &Questionnaire) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut push = |location: &IssueLocation, kind| {
        issues.push(Issue {
            location: location.clone(),
            kind,
        })
    };

    let here = IssueLocation::Questionnaire;
    if questionnaire.id.trim().is_empty() {
        push(&here, IssueKind::EmptyId);
    }
    if questionnaire.title.is_empty() {
        push(&here, IssueKind::EmptyTitle);
    }
    if questionnaire.questions().next().is_none() {
        push(&here, IssueKind::NoQuestions);
    } else if questionnaire.kind == QuestionnaireKind::Audit
        && !questionnaire.questions().any(earns_points)
    {
        push(&here, IssueKind::NoScoredItem);
    }

    // First position of each question id: conditions may only look back.
    let mut positions: BTreeMap<&str, (usize, &Question)> = BTreeMap::new();
    for (i, q) in questionnaire.questions().enumerate() {
        positions.entry(q.id.as_str()).or_insert((i, q));
    }

    let mut section_ids = BTreeSet::new();
    let mut question_ids = BTreeSet::new();
    let mut index = 0;
    for section in &questionnaire.sections {
        let here = IssueLocation::Section {
            section_id: section.id.clone(),
        };
        if section.id.trim().is_empty() {
            push(&here, IssueKind::EmptyId);
        } else if !section_ids.insert(section.id.as_str()) {
            push(
                &here,
                IssueKind::DuplicateId {
                    id: section.id.clone(),
                },
            );
        }
        if section.title.is_empty() {
            push(&here, IssueKind::EmptyTitle);
        }
        if !valid_weight(section.weight) {
            push(
                &here,
                IssueKind::InvalidWeight {
                    weight: section.weight,
                },
            );
        }
        if section.questions.is_empty() {
            push(&here, IssueKind::EmptySection);
        }

        for q in &section.questions {
            let here = IssueLocation::Question {
                section_id: section.id.clone(),
                question_id: q.id.clone(),
            };
            if q.id.trim().is_empty() {
                push(&here, IssueKind::EmptyId);
            } else if !question_ids.insert(q.id.as_str()) {
                push(&here, IssueKind::DuplicateId { id: q.id.clone() });
            }
            if q.text.is_empty() {
                push(&here, IssueKind::EmptyText);
            }
            if !valid_weight(q.weight) {
                push(&here, IssueKind::InvalidWeight { weight: q.weight });
            }
            for kind in option_issues(q) {
                push(&here, kind);
            }
            if q.critical && !earns_points(q) {
                push(&here, IssueKind::CriticalNotScored);
            }
            if let Some(metric) = q.metric {
                if !metric::fits(metric, q.qtype, questionnaire.kind) {
                    push(&here, IssueKind::MetricTypeMismatch { metric });
                }
                if let MetricRole::CsiAttribute { importance } = metric {
                    if !valid_weight(importance) {
                        push(&here, IssueKind::InvalidImportance { importance });
                    }
                }
            }
            if let Some(condition) = &q.visible_if {
                let mut found = Vec::new();
                condition_issues(condition, q, index, &positions, &mut found);
                for kind in found {
                    push(&here, kind);
                }
            }
            index += 1;
        }
    }
    issues
}

fn option_issues(q: &Question) -> Vec<IssueKind> {
    let mut out = Vec::new();
    if !is_choice(q.qtype) {
        return out;
    }
    if q.options.is_empty() {
        out.push(IssueKind::ChoiceWithoutOptions);
    }
    let mut seen = BTreeSet::new();
    for o in &q.options {
        if o.id.trim().is_empty() {
            out.push(IssueKind::EmptyOptionId);
        } else if !seen.insert(o.id.as_str()) {
            out.push(IssueKind::DuplicateOptionId {
                option: o.id.clone(),
            });
        }
        if o.label.is_empty() {
            out.push(IssueKind::EmptyOptionLabel {
                option: o.id.clone(),
            });
        }
        if !o.points.is_finite() {
            out.push(IssueKind::InvalidOptionPoints {
                option: o.id.clone(),
            });
        }
    }
    out
}

fn condition_issues(
    c: &Condition,
    owner: &Question,
    owner_index: usize,
    positions: &BTreeMap<&str, (usize, &Question)>,
    out: &mut Vec<IssueKind>,
) {
    let target_of = |id: &str, out: &mut Vec<IssueKind>| -> Option<&Question> {
        if id == owner.id {
            out.push(IssueKind::ConditionSelfReference);
            return None;
        }
        match positions.get(id) {
            None => {
                out.push(IssueKind::ConditionMissingQuestion { target: id.into() });
                None
            }
            Some((i, _)) if *i > owner_index => {
                out.push(IssueKind::ConditionForwardReference { target: id.into() });
                None
            }
            Some((_, q)) => Some(q),
        }
    };
    match c {
        Condition::All(cs) | Condition::Any(cs) => {
            if cs.is_empty() {
                out.push(IssueKind::ConditionEmptyGroup);
            }
            for c in cs {
                condition_issues(c, owner, owner_index, positions, out);
            }
        }
        Condition::Answered { question } => {
            target_of(question, out);
        }
        Condition::Compare {
            question,
            op,
            value,
        } => {
            if let Some(target) = target_of(question, out) {
                if let Some(kind) = comparison_issue(target, *op, value) {
                    out.push(kind);
                }
            }
        }
    }
}

/// How a question's answers can be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answers {
    YesNo,
    Scale(u8, u8),
    Number,
    Text,
    Choice,
    /// Photos, dates and pickers: only "is answered" applies.
    Opaque,
}

fn answers_of(t: QuestionType) -> Answers {
    match t {
        QuestionType::YesNo => Answers::YesNo,
        QuestionType::Scale5 | QuestionType::Scale10 | QuestionType::Nps | QuestionType::Ces => {
            let (lo, hi) = t.scale_range().unwrap_or((0, 10));
            Answers::Scale(lo, hi)
        }
        QuestionType::Number | QuestionType::Duration => Answers::Number,
        QuestionType::ShortText | QuestionType::LongText => Answers::Text,
        QuestionType::SingleChoice | QuestionType::MultipleChoice => Answers::Choice,
        QuestionType::DateTime
        | QuestionType::Photo
        | QuestionType::EmployeePicker
        | QuestionType::LocationPicker => Answers::Opaque,
    }
}

fn comparison_issue(target: &Question, op: CompareOp, value: &AnswerValue) -> Option<IssueKind> {
    let id = || target.id.clone();
    let answers = answers_of(target.qtype);
    let mismatch = || Some(IssueKind::ConditionValueTypeMismatch { target: id() });
    let wrong_op = || Some(IssueKind::ConditionOperatorNotApplicable { target: id(), op });
    if answers == Answers::Opaque {
        return wrong_op();
    }
    // N/A is a possible answer to any question that allows it, and it is
    // neither smaller nor larger than anything.
    if *value == AnswerValue::Na {
        if !target.na_allowed {
            return mismatch();
        }
        return if matches!(op, CompareOp::Eq | CompareOp::Ne) {
            None
        } else {
            wrong_op()
        };
    }
    let op_fits = match answers {
        Answers::YesNo => matches!(op, CompareOp::Eq | CompareOp::Ne),
        Answers::Scale(..) | Answers::Number => op != CompareOp::Contains,
        Answers::Text | Answers::Choice => !op.is_ordering(),
        Answers::Opaque => false,
    };
    if !op_fits {
        return wrong_op();
    }
    match (answers, value) {
        (Answers::YesNo, AnswerValue::Yes | AnswerValue::No) => None,
        (Answers::Scale(min, max), AnswerValue::Scale(v)) => {
            (!(min..=max).contains(v)).then(|| IssueKind::ConditionValueOutOfRange {
                target: id(),
                min,
                max,
            })
        }
        (Answers::Number, AnswerValue::Number(x)) if x.is_finite() => None,
        (Answers::Text, AnswerValue::Text(t)) if !t.trim().is_empty() => None,
        (Answers::Choice, AnswerValue::Choice(ids)) if !ids.is_empty() => {
            if let Some(unknown) = ids
                .iter()
                .find(|o| !target.options.iter().any(|opt| &opt.id == *o))
            {
                return Some(IssueKind::ConditionUnknownOption {
                    target: id(),
                    option: unknown.clone(),
                });
            }
            // One answer of a single choice never equals two options.
            let single = target.qtype == QuestionType::SingleChoice;
            if single && ids.len() > 1 && op != CompareOp::Ne {
                return mismatch();
            }
            None
        }
        _ => mismatch(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::{ChoiceOption, CriticalRule, Section, Text, VersionStatus};
    use AnswerValue::*;
    use IssueKind as K;

    fn q(id: &str, qtype: QuestionType) -> Question {
        Question {
            id: id.into(),
            qtype,
            text: Text::new(id, id),
            help: Text::default(),
            required: false,
            weight: 1.0,
            critical: false,
            na_allowed: false,
            comment_allowed: false,
            photo_allowed: false,
            options: if is_choice(qtype) {
                vec![option("a", 1.0), option("b", 0.0)]
            } else {
                vec![]
            },
            metric: None,
            visible_if: None,
            unit: Text::default(),
        }
    }

    fn option(id: &str, points: f64) -> ChoiceOption {
        ChoiceOption {
            id: id.into(),
            label: Text::new(id, id),
            points,
        }
    }

    fn when(mut question: Question, c: Condition) -> Question {
        question.visible_if = Some(c);
        question
    }

    fn section(id: &str, questions: Vec<Question>) -> Section {
        Section {
            id: id.into(),
            title: Text::new(id, id),
            weight: 1.0,
            critical_rule: CriticalRule::ZeroSection,
            questions,
        }
    }

    fn form(kind: QuestionnaireKind, sections: Vec<Section>) -> Questionnaire {
        Questionnaire {
            id: "f".into(),
            version: 1,
            kind,
            status: VersionStatus::Draft,
            title: Text::new("Форма", "Form"),
            description: Text::default(),
            sections,
        }
    }

    fn survey(questions: Vec<Question>) -> Questionnaire {
        form(QuestionnaireKind::Survey, vec![section("s", questions)])
    }

    fn kinds(q: &Questionnaire) -> Vec<IssueKind> {
        validate(q).into_iter().map(|i| i.kind).collect()
    }

    fn at_question(id: &str) -> IssueLocation {
        IssueLocation::Question {
            section_id: "s".into(),
            question_id: id.into(),
        }
    }

    fn cmp(question: &str, op: CompareOp, value: AnswerValue) -> Condition {
        Condition::compare(question, op, value)
    }

    #[test]
    fn a_sound_questionnaire_has_no_issues() {
        let f = survey(vec![
            q("a", QuestionType::YesNo),
            when(q("b", QuestionType::LongText), cmp("a", CompareOp::Eq, No)),
        ]);
        assert_eq!(validate(&f), vec![]);
    }

    #[test]
    fn empty_titles_and_texts_need_one_language() {
        let mut f = survey(vec![q("a", QuestionType::YesNo)]);
        f.title = Text::new(" ", "");
        f.sections[0].title = Text::default();
        f.sections[0].questions[0].text = Text::new("", "\t");
        let issues = validate(&f);
        assert_eq!(
            issues,
            vec![
                Issue {
                    location: IssueLocation::Questionnaire,
                    kind: K::EmptyTitle
                },
                Issue {
                    location: IssueLocation::Section {
                        section_id: "s".into()
                    },
                    kind: K::EmptyTitle
                },
                Issue {
                    location: at_question("a"),
                    kind: K::EmptyText
                },
            ]
        );
        // One language is enough: the UI falls back to it.
        f.title = Text::new("Анкета", "");
        f.sections[0].title = Text::new("", "Section");
        f.sections[0].questions[0].text = Text::new("Вопрос", "");
        assert_eq!(validate(&f), vec![]);
    }

    #[test]
    fn empty_ids() {
        let mut f = survey(vec![q("a", QuestionType::YesNo)]);
        f.sections[0].questions[0].id = " ".into();
        f.id = String::new();
        f.sections[0].id = String::new();
        assert_eq!(kinds(&f), vec![K::EmptyId, K::EmptyId, K::EmptyId]);
    }

    #[test]
    fn duplicate_section_and_question_ids() {
        let f = form(
            QuestionnaireKind::Survey,
            vec![
                section("s", vec![q("a", QuestionType::YesNo)]),
                section(
                    "s",
                    vec![q("a", QuestionType::YesNo), q("b", QuestionType::YesNo)],
                ),
            ],
        );
        let issues = validate(&f);
        assert_eq!(issues.len(), 2, "{issues:?}");
        assert_eq!(issues[0].kind, K::DuplicateId { id: "s".into() });
        assert_eq!(
            issues[0].location,
            IssueLocation::Section {
                section_id: "s".into()
            }
        );
        assert_eq!(issues[1].kind, K::DuplicateId { id: "a".into() });
        assert!(matches!(issues[1].location, IssueLocation::Question { .. }));
    }

    #[test]
    fn no_questions_and_empty_sections() {
        let f = form(QuestionnaireKind::Survey, vec![]);
        assert_eq!(kinds(&f), vec![K::NoQuestions]);
        let f = form(
            QuestionnaireKind::Survey,
            vec![
                section("s", vec![q("a", QuestionType::YesNo)]),
                section("t", vec![]),
            ],
        );
        assert_eq!(kinds(&f), vec![K::EmptySection]);
    }

    #[test]
    fn weights_must_be_positive_and_finite() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut f = survey(vec![q("a", QuestionType::YesNo)]);
            f.sections[0].weight = bad;
            f.sections[0].questions[0].weight = bad;
            let issues = validate(&f);
            assert_eq!(issues.len(), 2, "{bad}");
            assert!(matches!(issues[0].location, IssueLocation::Section { .. }));
            assert!(matches!(issues[0].kind, K::InvalidWeight { .. }));
            assert!(matches!(issues[1].location, IssueLocation::Question { .. }));
            assert!(matches!(issues[1].kind, K::InvalidWeight { .. }));
        }
    }

    #[test]
    fn choice_options() {
        let mut none = q("a", QuestionType::SingleChoice);
        none.options.clear();
        let mut dup = q("b", QuestionType::MultipleChoice);
        dup.options = vec![option("x", 1.0), option("x", 1.0), option(" ", 0.0)];
        dup.options[0].label = Text::default();
        dup.options[1].points = f64::NAN;
        dup.options[2].label = Text::new("Другое", "Other");
        let f = survey(vec![none, dup]);
        assert_eq!(
            kinds(&f),
            vec![
                K::ChoiceWithoutOptions,
                K::EmptyOptionLabel { option: "x".into() },
                K::DuplicateOptionId { option: "x".into() },
                K::InvalidOptionPoints { option: "x".into() },
                K::EmptyOptionId,
            ]
        );
    }

    #[test]
    fn an_audit_needs_a_scored_item() {
        let mut gate = q("g", QuestionType::SingleChoice);
        gate.options = vec![option("yes", 0.0), option("no", 0.0)];
        let f = form(
            QuestionnaireKind::Audit,
            vec![section("s", vec![q("t", QuestionType::ShortText), gate])],
        );
        assert_eq!(kinds(&f), vec![K::NoScoredItem]);
        // A survey of plain questions is fine.
        let mut s = f.clone();
        s.kind = QuestionnaireKind::Survey;
        assert_eq!(kinds(&s), vec![]);
        let mut ok = f;
        ok.sections[0].questions.push(q("y", QuestionType::YesNo));
        assert_eq!(kinds(&ok), vec![]);
    }

    #[test]
    fn critical_needs_points() {
        let mut t = q("t", QuestionType::ShortText);
        t.critical = true;
        let mut y = q("y", QuestionType::YesNo);
        y.critical = true;
        assert_eq!(kinds(&survey(vec![t, y])), vec![K::CriticalNotScored]);
    }

    #[test]
    fn metric_roles_must_fit_the_type() {
        let with = |mut question: Question, m: MetricRole| {
            question.metric = Some(m);
            question
        };
        let f = survey(vec![
            with(q("nps", QuestionType::Nps), MetricRole::Nps),
            with(q("ink", QuestionType::YesNo), MetricRole::InkStaff),
            with(q("v", QuestionType::Number), MetricRole::Visitors),
            with(q("t", QuestionType::Duration), MetricRole::TalkTime),
            with(
                q("c", QuestionType::SingleChoice),
                MetricRole::ComplaintCategory,
            ),
            with(
                q("csi", QuestionType::Scale5),
                MetricRole::CsiAttribute { importance: 7.0 },
            ),
        ]);
        assert_eq!(kinds(&f), vec![]);

        let f = survey(vec![
            with(q("a", QuestionType::YesNo), MetricRole::Nps),
            with(q("b", QuestionType::Scale5), MetricRole::Loyalty),
            with(q("c", QuestionType::ShortText), MetricRole::Visitors),
            with(
                q("d", QuestionType::Scale5),
                MetricRole::CsiAttribute { importance: 0.0 },
            ),
        ]);
        assert_eq!(
            kinds(&f),
            vec![
                K::MetricTypeMismatch {
                    metric: MetricRole::Nps
                },
                K::MetricTypeMismatch {
                    metric: MetricRole::Loyalty
                },
                K::MetricTypeMismatch {
                    metric: MetricRole::Visitors
                },
                K::InvalidImportance { importance: 0.0 },
            ]
        );
        // A category in an audit would be read as an item score instead.
        let f = form(
            QuestionnaireKind::Audit,
            vec![section(
                "s",
                vec![with(
                    q("c", QuestionType::SingleChoice),
                    MetricRole::ComplaintCategory,
                )],
            )],
        );
        assert_eq!(
            kinds(&f),
            vec![K::MetricTypeMismatch {
                metric: MetricRole::ComplaintCategory
            }]
        );
    }

    #[test]
    fn conditions_may_only_look_back() {
        let f = survey(vec![
            when(q("a", QuestionType::YesNo), Condition::answered("b")),
            when(q("b", QuestionType::YesNo), Condition::answered("b")),
            when(q("c", QuestionType::YesNo), Condition::answered("zzz")),
        ]);
        let issues = validate(&f);
        assert_eq!(
            issues,
            vec![
                Issue {
                    location: at_question("a"),
                    kind: K::ConditionForwardReference { target: "b".into() }
                },
                Issue {
                    location: at_question("b"),
                    kind: K::ConditionSelfReference
                },
                Issue {
                    location: at_question("c"),
                    kind: K::ConditionMissingQuestion {
                        target: "zzz".into()
                    }
                },
            ]
        );
    }

    #[test]
    fn conditions_look_back_across_sections_and_inside_groups() {
        let f = form(
            QuestionnaireKind::Survey,
            vec![
                section("s", vec![q("a", QuestionType::YesNo)]),
                section(
                    "t",
                    vec![when(
                        q("b", QuestionType::YesNo),
                        Condition::Any(vec![
                            cmp("a", CompareOp::Eq, Yes),
                            Condition::All(vec![Condition::answered("c")]),
                            Condition::All(vec![]),
                        ]),
                    )],
                ),
                section("u", vec![q("c", QuestionType::YesNo)]),
            ],
        );
        assert_eq!(
            kinds(&f),
            vec![
                K::ConditionForwardReference { target: "c".into() },
                K::ConditionEmptyGroup,
            ]
        );
    }

    fn comparison_kinds(target: Question, op: CompareOp, value: AnswerValue) -> Vec<IssueKind> {
        let id = target.id.clone();
        kinds(&survey(vec![
            target,
            when(q("z", QuestionType::YesNo), cmp(&id, op, value)),
        ]))
    }

    #[test]
    fn conditions_compare_with_the_right_type() {
        let yes_no = || q("yn", QuestionType::YesNo);
        let scale = || q("sc", QuestionType::Scale5);
        let number = || q("n", QuestionType::Number);
        let text = || q("t", QuestionType::ShortText);
        let single = || q("one", QuestionType::SingleChoice);
        let multi = || q("many", QuestionType::MultipleChoice);
        let photo = || q("p", QuestionType::Photo);
        let mismatch = |t: &str| vec![K::ConditionValueTypeMismatch { target: t.into() }];
        let wrong_op = |t: &str, op| {
            vec![K::ConditionOperatorNotApplicable {
                target: t.into(),
                op,
            }]
        };
        let choice = |ids: &[&str]| Choice(ids.iter().map(|s| s.to_string()).collect());

        // Fitting comparisons.
        for (target, op, value) in [
            (yes_no(), CompareOp::Ne, No),
            (scale(), CompareOp::Le, Scale(2)),
            (number(), CompareOp::Gt, Number(0.0)),
            (text(), CompareOp::Contains, Text("грубо".into())),
            (single(), CompareOp::Eq, choice(&["a"])),
            (multi(), CompareOp::Contains, choice(&["a", "b"])),
        ] {
            assert_eq!(
                comparison_kinds(target, op, value.clone()),
                vec![],
                "{value:?}"
            );
        }

        // Wrong value type.
        assert_eq!(
            comparison_kinds(yes_no(), CompareOp::Eq, Scale(3)),
            mismatch("yn")
        );
        assert_eq!(
            comparison_kinds(scale(), CompareOp::Eq, Yes),
            mismatch("sc")
        );
        assert_eq!(
            comparison_kinds(number(), CompareOp::Lt, Scale(3)),
            mismatch("n")
        );
        assert_eq!(
            comparison_kinds(text(), CompareOp::Eq, Number(1.0)),
            mismatch("t")
        );
        assert_eq!(
            comparison_kinds(text(), CompareOp::Eq, Text(" ".into())),
            mismatch("t")
        );
        assert_eq!(
            comparison_kinds(single(), CompareOp::Eq, Text("a".into())),
            mismatch("one")
        );
        assert_eq!(
            comparison_kinds(single(), CompareOp::Eq, choice(&[])),
            mismatch("one")
        );
        assert_eq!(
            comparison_kinds(single(), CompareOp::Eq, choice(&["a", "b"])),
            mismatch("one")
        );
        // N/A only where the question allows it.
        assert_eq!(
            comparison_kinds(yes_no(), CompareOp::Eq, Na),
            mismatch("yn")
        );
        let mut na = yes_no();
        na.na_allowed = true;
        assert_eq!(comparison_kinds(na.clone(), CompareOp::Eq, Na), vec![]);
        assert_eq!(
            comparison_kinds(na, CompareOp::Lt, Na),
            wrong_op("yn", CompareOp::Lt)
        );

        // Wrong operator for the type.
        assert_eq!(
            comparison_kinds(yes_no(), CompareOp::Gt, Yes),
            wrong_op("yn", CompareOp::Gt)
        );
        assert_eq!(
            comparison_kinds(scale(), CompareOp::Contains, Scale(3)),
            wrong_op("sc", CompareOp::Contains)
        );
        assert_eq!(
            comparison_kinds(text(), CompareOp::Ge, Text("a".into())),
            wrong_op("t", CompareOp::Ge)
        );
        assert_eq!(
            comparison_kinds(photo(), CompareOp::Eq, Text("a".into())),
            wrong_op("p", CompareOp::Eq)
        );
        // "Is answered" works for every type.
        assert_eq!(
            kinds(&survey(vec![
                photo(),
                when(yes_no(), Condition::answered("p"))
            ])),
            vec![]
        );

        // Values outside the question's scale or options.
        assert_eq!(
            comparison_kinds(scale(), CompareOp::Eq, Scale(9)),
            vec![K::ConditionValueOutOfRange {
                target: "sc".into(),
                min: 1,
                max: 5
            }]
        );
        assert_eq!(
            comparison_kinds(multi(), CompareOp::Contains, choice(&["a", "nope"])),
            vec![K::ConditionUnknownOption {
                target: "many".into(),
                option: "nope".into()
            }]
        );
    }

    #[test]
    fn messages_name_the_place_in_both_languages() {
        let f = survey(vec![when(
            q("q3", QuestionType::YesNo),
            Condition::answered("q9"),
        )]);
        let issue = &validate(&f)[0];
        assert_eq!(
            issue.message(Lang::Ru),
            "Вопрос «q3»: условие показа ссылается на вопрос «q9», которого нет в анкете."
        );
        assert_eq!(
            issue.message(Lang::En),
            "Question “q3”: the visibility condition refers to question “q9”, which does not \
             exist."
        );
        let w = Issue {
            location: IssueLocation::Section {
                section_id: "s-1".into(),
            },
            kind: K::InvalidWeight { weight: -0.5 },
        };
        assert_eq!(
            w.message(Lang::Ru),
            "Раздел «s-1»: вес должен быть положительным числом, сейчас -0,50."
        );
        assert_eq!(
            w.message(Lang::En),
            "Section “s-1”: the weight must be a positive number, it is -0.50."
        );
    }

    #[test]
    fn every_kind_has_a_message_in_each_language() {
        let all = [
            K::EmptyId,
            K::EmptyTitle,
            K::EmptyText,
            K::DuplicateId { id: "x".into() },
            K::NoQuestions,
            K::EmptySection,
            K::InvalidWeight { weight: 0.0 },
            K::ChoiceWithoutOptions,
            K::EmptyOptionId,
            K::DuplicateOptionId { option: "o".into() },
            K::EmptyOptionLabel { option: "o".into() },
            K::InvalidOptionPoints { option: "o".into() },
            K::CriticalNotScored,
            K::NoScoredItem,
            K::MetricTypeMismatch {
                metric: MetricRole::InkOffice,
            },
            K::InvalidImportance { importance: -1.0 },
            K::ConditionSelfReference,
            K::ConditionMissingQuestion { target: "t".into() },
            K::ConditionForwardReference { target: "t".into() },
            K::ConditionOperatorNotApplicable {
                target: "t".into(),
                op: CompareOp::Contains,
            },
            K::ConditionValueTypeMismatch { target: "t".into() },
            K::ConditionValueOutOfRange {
                target: "t".into(),
                min: 0,
                max: 10,
            },
            K::ConditionUnknownOption {
                target: "t".into(),
                option: "o".into(),
            },
            K::ConditionEmptyGroup,
        ];
        for kind in all {
            let issue = Issue {
                location: IssueLocation::Questionnaire,
                kind,
            };
            let ru = issue.message(Lang::Ru);
            let en = issue.message(Lang::En);
            assert_ne!(ru, en);
            assert!(ru.starts_with("Анкета: ") && en.starts_with("Questionnaire: "));
            // Russian text is written in Cyrillic, not left in English.
            assert!(
                issue
                    .describe(Lang::Ru)
                    .chars()
                    .any(|c| ('а'..='я').contains(&c)),
                "{ru}"
            );
        }
    }
}
