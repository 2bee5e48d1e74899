//! What a publish problem is ([`IssueKind`]), where it is
//! ([`IssueLocation`]), and its text in both UI languages.

use crate::domain::condition::CompareOp;
use crate::domain::metric::{self, MetricSource};
use crate::domain::questionnaire::MetricRole;
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
