//! The editor's flat view of a visibility condition: "show if all / any of
//! these clauses hold". Nested groups from a file stay as they are; the
//! editor offers them only for removal.

use super::condition::{CompareOp, Condition};
use super::questionnaire::{Question, QuestionType};
use super::response::AnswerValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    All,
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub question: String,
    /// `None`: "is answered".
    pub op: Option<CompareOp>,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Flat {
    Always,
    Clauses(Join, Vec<Clause>),
    /// Nested and/or groups: kept, shown, not edited clause by clause.
    Nested,
}

fn clause(c: &Condition) -> Option<Clause> {
    match c {
        Condition::Compare {
            question,
            op,
            value,
        } => Some(Clause {
            question: question.clone(),
            op: Some(*op),
            value: value.clone(),
        }),
        Condition::Answered { question } => Some(Clause {
            question: question.clone(),
            op: None,
            value: AnswerValue::Yes,
        }),
        _ => None,
    }
}

pub fn flatten(c: Option<&Condition>) -> Flat {
    let Some(c) = c else {
        return Flat::Always;
    };
    let (join, parts): (Join, Vec<&Condition>) = match c {
        Condition::All(cs) => (Join::All, cs.iter().collect()),
        Condition::Any(cs) => (Join::Any, cs.iter().collect()),
        single => (Join::All, vec![single]),
    };
    match parts.into_iter().map(clause).collect::<Option<Vec<_>>>() {
        Some(clauses) if clauses.is_empty() => Flat::Always,
        Some(clauses) => Flat::Clauses(join, clauses),
        None => Flat::Nested,
    }
}

pub fn build(join: Join, clauses: &[Clause]) -> Option<Condition> {
    let parts: Vec<Condition> = clauses
        .iter()
        .map(|c| match c.op {
            Some(op) => Condition::compare(c.question.clone(), op, c.value.clone()),
            None => Condition::answered(c.question.clone()),
        })
        .collect();
    match (join, parts.len()) {
        (_, 0) => None,
        (_, 1) => parts.into_iter().next(),
        (Join::All, _) => Some(Condition::All(parts)),
        (Join::Any, _) => Some(Condition::Any(parts)),
    }
}

/// A sensible value to compare an answer of `target` with.
pub fn default_value(target: &Question) -> AnswerValue {
    match target.qtype {
        QuestionType::YesNo => AnswerValue::No,
        QuestionType::SingleChoice | QuestionType::MultipleChoice => AnswerValue::Choice(
            target
                .options
                .first()
                .map(|o| vec![o.id.clone()])
                .unwrap_or_default(),
        ),
        QuestionType::Number | QuestionType::Duration => AnswerValue::Number(0.0),
        t => match t.scale_range() {
            Some((lo, _)) => AnswerValue::Scale(lo),
            None => AnswerValue::Text(String::new()),
        },
    }
}

/// The value an editor field's text stands for, given the target question.
pub fn value_from_field(target: &Question, raw: &str) -> Option<AnswerValue> {
    match target.qtype {
        QuestionType::YesNo => match raw {
            "yes" => Some(AnswerValue::Yes),
            "no" => Some(AnswerValue::No),
            "na" => Some(AnswerValue::Na),
            _ => None,
        },
        QuestionType::SingleChoice | QuestionType::MultipleChoice => target
            .options
            .iter()
            .any(|o| o.id == raw)
            .then(|| AnswerValue::Choice(vec![raw.to_owned()])),
        QuestionType::Number | QuestionType::Duration => raw
            .trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(AnswerValue::Number),
        t => match t.scale_range() {
            Some((lo, hi)) => raw
                .parse::<u8>()
                .ok()
                .filter(|v| (lo..=hi).contains(v))
                .map(AnswerValue::Scale),
            None => Some(AnswerValue::Text(raw.to_owned())),
        },
    }
}

/// The editor field's text for a value (inverse of [`value_from_field`]).
pub fn field_from_value(value: &AnswerValue) -> String {
    match value {
        AnswerValue::Yes => "yes".into(),
        AnswerValue::No => "no".into(),
        AnswerValue::Na => "na".into(),
        AnswerValue::Scale(v) => v.to_string(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Text(t) => t.clone(),
        AnswerValue::Choice(ids) => ids.first().cloned().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yes_no_question() -> Question {
        serde_json::from_value(serde_json::json!({
            "id": "q1", "type": "yes_no", "text": {"ru": "a", "en": "a"}
        }))
        .unwrap()
    }

    #[test]
    fn flat_conditions_round_trip() {
        let c = Condition::compare("q1", CompareOp::Eq, AnswerValue::No);
        let flat = flatten(Some(&c));
        let Flat::Clauses(join, clauses) = &flat else {
            panic!("{flat:?}")
        };
        assert_eq!(build(*join, clauses), Some(c));

        let any = Condition::Any(vec![
            Condition::compare("q1", CompareOp::Eq, AnswerValue::No),
            Condition::answered("q2"),
        ]);
        let Flat::Clauses(join, clauses) = flatten(Some(&any)) else {
            panic!()
        };
        assert_eq!(join, Join::Any);
        assert_eq!(clauses[1].op, None);
        assert_eq!(build(join, &clauses), Some(any));
    }

    #[test]
    fn always_and_nested() {
        assert_eq!(flatten(None), Flat::Always);
        assert_eq!(flatten(Some(&Condition::All(vec![]))), Flat::Always);
        assert_eq!(build(Join::All, &[]), None);
        let nested = Condition::All(vec![Condition::Any(vec![Condition::answered("q1")])]);
        assert_eq!(flatten(Some(&nested)), Flat::Nested);
    }

    #[test]
    fn field_values_follow_the_target_type() {
        let q = yes_no_question();
        assert_eq!(default_value(&q), AnswerValue::No);
        assert_eq!(value_from_field(&q, "na"), Some(AnswerValue::Na));
        assert_eq!(value_from_field(&q, "maybe"), None);
        assert_eq!(field_from_value(&AnswerValue::Yes), "yes");
        let mut scale = q.clone();
        scale.qtype = QuestionType::Nps;
        assert_eq!(default_value(&scale), AnswerValue::Scale(0));
        assert_eq!(value_from_field(&scale, "7"), Some(AnswerValue::Scale(7)));
        assert_eq!(value_from_field(&scale, "11"), None);
        let mut number = q;
        number.qtype = QuestionType::Number;
        assert_eq!(
            value_from_field(&number, "2,5"),
            Some(AnswerValue::Number(2.5))
        );
    }
}
