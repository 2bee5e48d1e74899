//! The publish rules: every problem of a questionnaire, found in one walk
//! in reading order.

// Ordered collections: the customer's lean page validates every link and
// then links no hash table (see `condition::Visibility`).
use std::collections::{BTreeMap, BTreeSet};

use super::issue::{Issue, IssueKind, IssueLocation};
use crate::domain::condition::{CompareOp, Condition};
use crate::domain::metric;
use crate::domain::questionnaire::{
    MetricRole, Question, QuestionType, Questionnaire, QuestionnaireKind,
};
use crate::domain::response::AnswerValue;

pub(super) fn is_choice(t: QuestionType) -> bool {
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
