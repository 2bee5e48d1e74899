//! Visibility conditions: a question shown only when earlier answers say so
//! ("show if Q3 = no", "show if Q5 ≥ 7", combined with and/or).
//!
//! A question hidden by its condition counts as unanswered everywhere: in
//! other conditions, in required checks and in the audit score. Its answer
//! stays in the response, so flipping the earlier answer back restores it
//! instead of making the shopper type it again.
//!
//! JSON shapes, chosen to read well in an exported file:
//! `{"question":"q3","op":"eq","value":{"t":"no"}}`, `{"answered":"q5"}`,
//! `{"all":[…]}`, `{"any":[…]}`.

use std::collections::{BTreeMap, BTreeSet};

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use super::questionnaire::{Question, Questionnaire};
use super::response::{AnswerValue, Response};
use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// Chosen options include all the given ones, or the text includes the
    /// given text.
    Contains,
}

impl CompareOp {
    pub const ALL: [CompareOp; 7] = [
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Gt,
        CompareOp::Ge,
        CompareOp::Contains,
    ];

    /// How the editor and messages show the operator.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CompareOp::Eq, _) => "=",
            (CompareOp::Ne, _) => "≠",
            (CompareOp::Lt, _) => "<",
            (CompareOp::Le, _) => "≤",
            (CompareOp::Gt, _) => ">",
            (CompareOp::Ge, _) => "≥",
            (CompareOp::Contains, Lang::Ru) => "содержит",
            (CompareOp::Contains, Lang::En) => "contains",
        }
    }

    pub fn is_ordering(self) -> bool {
        matches!(
            self,
            CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge
        )
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "RawCondition")]
pub enum Condition {
    /// The earlier question's answer compared with a fixed value.
    Compare {
        question: String,
        op: CompareOp,
        value: AnswerValue,
    },
    /// The earlier question has any answer, N/A included.
    Answered { question: String },
    /// Every condition holds (an empty list holds).
    All(Vec<Condition>),
    /// At least one condition holds (an empty list does not).
    Any(Vec<Condition>),
}

impl Condition {
    pub fn compare(question: impl Into<String>, op: CompareOp, value: AnswerValue) -> Self {
        Condition::Compare {
            question: question.into(),
            op,
            value,
        }
    }

    pub fn answered(question: impl Into<String>) -> Self {
        Condition::Answered {
            question: question.into(),
        }
    }

    /// Evaluates against `answer_of`, which gives the answer of a question
    /// only when that question is visible and actually answered. Anything
    /// compared with a missing answer is false, `≠` included, so a follow-up
    /// never appears before its trigger question is answered.
    pub fn evaluate<'a>(&self, answer_of: &dyn Fn(&str) -> Option<&'a AnswerValue>) -> bool {
        match self {
            Condition::Compare {
                question,
                op,
                value,
            } => answer_of(question).is_some_and(|a| compare(a, *op, value)),
            Condition::Answered { question } => answer_of(question).is_some(),
            Condition::All(cs) => cs.iter().all(|c| c.evaluate(answer_of)),
            Condition::Any(cs) => cs.iter().any(|c| c.evaluate(answer_of)),
        }
    }

    /// Ids of the questions this condition reads, in order, repeats kept.
    pub fn referenced_questions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Compare { question, .. } | Condition::Answered { question } => {
                out.push(question)
            }
            Condition::All(cs) | Condition::Any(cs) => {
                for c in cs {
                    c.collect_references(out);
                }
            }
        }
    }
}

/// An empty text or an empty choice is what a cleared field leaves behind,
/// not an answer.
pub fn is_given(value: &AnswerValue) -> bool {
    match value {
        AnswerValue::Text(t) => !t.trim().is_empty(),
        AnswerValue::Choice(ids) => !ids.is_empty(),
        _ => true,
    }
}

fn compare(answer: &AnswerValue, op: CompareOp, expected: &AnswerValue) -> bool {
    match op {
        CompareOp::Eq => same(answer, expected),
        CompareOp::Ne => !same(answer, expected),
        CompareOp::Lt | CompareOp::Le | CompareOp::Gt | CompareOp::Ge => {
            match (number(answer), number(expected)) {
                (Some(a), Some(b)) => match op {
                    CompareOp::Lt => a < b,
                    CompareOp::Le => a <= b,
                    CompareOp::Gt => a > b,
                    _ => a >= b,
                },
                _ => false,
            }
        }
        CompareOp::Contains => match (answer, expected) {
            (AnswerValue::Choice(chosen), AnswerValue::Choice(wanted)) => {
                wanted.iter().all(|w| chosen.contains(w))
            }
            (AnswerValue::Text(text), AnswerValue::Text(part)) => fold(text).contains(&fold(part)),
            _ => false,
        },
    }
}

fn same(a: &AnswerValue, b: &AnswerValue) -> bool {
    match (a, b) {
        // Typed on a phone: case and stray spaces are not a different answer.
        (AnswerValue::Text(x), AnswerValue::Text(y)) => fold(x) == fold(y),
        (AnswerValue::Choice(x), AnswerValue::Choice(y)) => {
            x.iter().collect::<BTreeSet<_>>() == y.iter().collect::<BTreeSet<_>>()
        }
        _ => match (number(a), number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

fn number(v: &AnswerValue) -> Option<f64> {
    match v {
        AnswerValue::Scale(s) => Some(f64::from(*s)),
        AnswerValue::Number(n) => Some(*n),
        _ => None,
    }
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Which questions of a questionnaire a response currently shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Visibility {
    // Ordered sets rather than hashed ones: a questionnaire has tens of
    // questions, and the customer's lean page then links no hash table.
    hidden: BTreeSet<String>,
}

impl Visibility {
    /// One pass in questionnaire order: a condition sees only the answers of
    /// earlier visible questions, so a hidden question also hides whatever
    /// depends on it, and a condition pointing forward (invalid, but possible
    /// in a draft) simply reads "unanswered" instead of looping.
    pub fn of(questionnaire: &Questionnaire, response: &Response) -> Self {
        let mut given: BTreeMap<&str, &AnswerValue> = BTreeMap::new();
        let mut hidden = BTreeSet::new();
        for q in questionnaire.questions() {
            let visible = q
                .visible_if
                .as_ref()
                .is_none_or(|c| c.evaluate(&|id| given.get(id).copied()));
            if !visible {
                hidden.insert(q.id.clone());
                continue;
            }
            if let Some(a) = response.answers.get(&q.id) {
                if is_given(&a.value) {
                    given.entry(q.id.as_str()).or_insert(&a.value);
                }
            }
        }
        Visibility { hidden }
    }

    pub fn is_visible(&self, question_id: &str) -> bool {
        !self.hidden.contains(question_id)
    }
}

impl Questionnaire {
    pub fn visibility(&self, response: &Response) -> Visibility {
        Visibility::of(self, response)
    }

    pub fn is_visible(&self, question_id: &str, response: &Response) -> bool {
        self.visibility(response).is_visible(question_id)
    }

    /// The questions the response shows now, in order.
    pub fn visible_questions(&self, response: &Response) -> Vec<&Question> {
        let v = self.visibility(response);
        self.questions().filter(|q| v.is_visible(&q.id)).collect()
    }

    /// How far a response is: visible questions with an answer, and all
    /// visible questions ("Answered 3 of 6"). A hidden question counts in
    /// neither, even if it keeps an answer from before it was hidden.
    pub fn progress(&self, response: &Response) -> (usize, usize) {
        let shown = self.visible_questions(response);
        let answered = shown
            .iter()
            .filter(|q| response.answers.contains_key(&q.id))
            .count();
        (answered, shown.len())
    }

    /// Visible required questions without an answer: a hidden question is
    /// never required, whatever its flag says.
    pub fn missing_required(&self, response: &Response) -> Vec<&Question> {
        self.visible_questions(response)
            .into_iter()
            .filter(|q| q.required)
            .filter(|q| {
                !response
                    .answers
                    .get(&q.id)
                    .is_some_and(|a| is_given(&a.value))
            })
            .collect()
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Condition::Compare {
                question,
                op,
                value,
            } => {
                let mut m = s.serialize_map(Some(3))?;
                m.serialize_entry("question", question)?;
                m.serialize_entry("op", op)?;
                m.serialize_entry("value", value)?;
                m.end()
            }
            Condition::Answered { question } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("answered", question)?;
                m.end()
            }
            Condition::All(cs) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("all", cs)?;
                m.end()
            }
            Condition::Any(cs) => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("any", cs)?;
                m.end()
            }
        }
    }
}

/// Every key a condition may have; which combination is present decides the
/// variant. Read this way rather than as an untagged enum so a typo in a
/// hand-edited file gets a message naming the shapes instead of "did not
/// match any variant".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    all: Option<Vec<Condition>>,
    any: Option<Vec<Condition>>,
    answered: Option<String>,
    question: Option<String>,
    op: Option<CompareOp>,
    value: Option<AnswerValue>,
}

impl TryFrom<RawCondition> for Condition {
    type Error = String;

    fn try_from(raw: RawCondition) -> Result<Self, String> {
        match raw {
            RawCondition {
                all: Some(cs),
                any: None,
                answered: None,
                question: None,
                op: None,
                value: None,
            } => Ok(Condition::All(cs)),
            RawCondition {
                all: None,
                any: Some(cs),
                answered: None,
                question: None,
                op: None,
                value: None,
            } => Ok(Condition::Any(cs)),
            RawCondition {
                all: None,
                any: None,
                answered: Some(question),
                question: None,
                op: None,
                value: None,
            } => Ok(Condition::Answered { question }),
            RawCondition {
                all: None,
                any: None,
                answered: None,
                question: Some(question),
                op: Some(op),
                value: Some(value),
            } => Ok(Condition::Compare {
                question,
                op,
                value,
            }),
            _ => Err(
                "a condition is one of {\"question\":…,\"op\":…,\"value\":…}, \
                 {\"answered\":…}, {\"all\":[…]} or {\"any\":[…]}"
                    .to_owned(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::{
        ChoiceOption, CriticalRule, QuestionType, QuestionnaireKind, Section, Text, VersionStatus,
    };
    use crate::domain::timestamp::Timestamp;
    use serde_json::json;
    use AnswerValue::*;

    fn q(id: &str, qtype: QuestionType, visible_if: Option<Condition>) -> Question {
        Question {
            id: id.into(),
            qtype,
            text: Text::new(id, id),
            help: Text::default(),
            required: true,
            weight: 1.0,
            critical: false,
            na_allowed: true,
            comment_allowed: false,
            photo_allowed: false,
            options: if matches!(
                qtype,
                QuestionType::SingleChoice | QuestionType::MultipleChoice
            ) {
                ["a", "b", "c"]
                    .iter()
                    .map(|o| ChoiceOption {
                        id: (*o).into(),
                        label: Text::new(*o, *o),
                        points: 1.0,
                    })
                    .collect()
            } else {
                vec![]
            },
            metric: None,
            visible_if,
            unit: Text::default(),
        }
    }

    fn questionnaire(questions: Vec<Question>) -> Questionnaire {
        Questionnaire {
            id: "x".into(),
            version: 1,
            kind: QuestionnaireKind::Survey,
            status: VersionStatus::Draft,
            title: Text::new("x", "x"),
            description: Text::default(),
            public_title: Text::default(),
            public_intro: Text::default(),
            sections: vec![Section {
                id: "s".into(),
                title: Text::new("s", "s"),
                weight: 1.0,
                critical_rule: CriticalRule::ZeroSection,
                questions,
            }],
        }
    }

    fn respond(answers: &[(&str, AnswerValue)]) -> Response {
        let t = Timestamp::new(0, 0);
        let mut r = Response::new_draft(uuid::Uuid::nil(), "x", 1, "l", "d", t);
        for (id, v) in answers {
            r.set_answer(id, v.clone(), t);
        }
        r
    }

    /// Evaluates `c` against plain answers, every question visible.
    fn eval(c: &Condition, answers: &[(&str, AnswerValue)]) -> bool {
        let map: BTreeMap<&str, &AnswerValue> = answers.iter().map(|(k, v)| (*k, v)).collect();
        c.evaluate(&|id| map.get(id).copied().filter(|v| is_given(v)))
    }

    #[test]
    fn json_shapes_are_readable_and_round_trip() {
        let c = Condition::Any(vec![
            Condition::compare("q3", CompareOp::Eq, No),
            Condition::All(vec![
                Condition::answered("q5"),
                Condition::compare("q4", CompareOp::Ge, Scale(7)),
            ]),
        ]);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(
            v,
            json!({"any": [
                {"question": "q3", "op": "eq", "value": {"t": "no"}},
                {"all": [
                    {"answered": "q5"},
                    {"question": "q4", "op": "ge", "value": {"t": "scale", "v": 7}}
                ]}
            ]})
        );
        assert_eq!(serde_json::from_value::<Condition>(v).unwrap(), c);
    }

    #[test]
    fn malformed_shapes_are_refused_with_a_hint() {
        for bad in [
            json!({"question": "q3", "op": "eq"}),
            json!({"answered": "q3", "question": "q4"}),
            json!({"question": "q3", "op": "eq", "value": {"t": "no"}, "extra": 1}),
            json!({"question": "q3", "op": "about", "value": {"t": "no"}}),
            json!({}),
        ] {
            assert!(
                serde_json::from_value::<Condition>(bad.clone()).is_err(),
                "{bad}"
            );
        }
        let e = serde_json::from_value::<Condition>(json!({"answered": "a", "all": []}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("a condition is one of"), "{e}");
    }

    #[test]
    fn equality_and_inequality() {
        let c = Condition::compare("q", CompareOp::Eq, No);
        assert!(eval(&c, &[("q", No)]));
        assert!(!eval(&c, &[("q", Yes)]));
        assert!(!eval(&c, &[]));
        let c = Condition::compare("q", CompareOp::Ne, Yes);
        assert!(eval(&c, &[("q", No)]));
        assert!(eval(&c, &[("q", Na)]));
        assert!(!eval(&c, &[("q", Yes)]));
        // Unanswered is not "different from yes": the follow-up waits.
        assert!(!eval(&c, &[]));
        let c = Condition::compare("q", CompareOp::Eq, Na);
        assert!(eval(&c, &[("q", Na)]));
    }

    #[test]
    fn ordering_on_scales_and_numbers() {
        let ge7 = Condition::compare("q", CompareOp::Ge, Scale(7));
        assert!(eval(&ge7, &[("q", Scale(7))]));
        assert!(eval(&ge7, &[("q", Scale(10))]));
        assert!(!eval(&ge7, &[("q", Scale(6))]));
        assert!(!eval(&ge7, &[("q", Na)]));
        assert!(!eval(&ge7, &[("q", Text("9".into()))]));
        let cases = [
            (CompareOp::Lt, [true, false, false]),
            (CompareOp::Le, [true, true, false]),
            (CompareOp::Gt, [false, false, true]),
            (CompareOp::Ge, [false, true, true]),
            (CompareOp::Eq, [false, true, false]),
            (CompareOp::Ne, [true, false, true]),
        ];
        for (op, expected) in cases {
            let c = Condition::compare("n", op, Number(2.5));
            for (answer, want) in [1.0, 2.5, 4.0].into_iter().zip(expected) {
                assert_eq!(eval(&c, &[("n", Number(answer))]), want, "{op:?} {answer}");
            }
        }
    }

    #[test]
    fn contains_for_choices_and_text() {
        let c = Condition::compare("m", CompareOp::Contains, Choice(vec!["b".into()]));
        assert!(eval(&c, &[("m", Choice(vec!["a".into(), "b".into()]))]));
        assert!(!eval(&c, &[("m", Choice(vec!["a".into()]))]));
        let both = Condition::compare(
            "m",
            CompareOp::Contains,
            Choice(vec!["a".into(), "c".into()]),
        );
        assert!(!eval(&both, &[("m", Choice(vec!["a".into(), "b".into()]))]));
        assert!(eval(&both, &[("m", Choice(vec!["c".into(), "a".into()]))]));
        let t = Condition::compare("t", CompareOp::Contains, Text("Грубо".into()));
        assert!(eval(&t, &[("t", Text("Кассир ответил грубо".into()))]));
        assert!(!eval(&t, &[("t", Text("всё хорошо".into()))]));
        assert!(!eval(&t, &[("t", Yes)]));
    }

    #[test]
    fn choice_equality_ignores_order_and_text_ignores_case() {
        let c = Condition::compare("m", CompareOp::Eq, Choice(vec!["a".into(), "b".into()]));
        assert!(eval(&c, &[("m", Choice(vec!["b".into(), "a".into()]))]));
        assert!(!eval(&c, &[("m", Choice(vec!["a".into()]))]));
        let t = Condition::compare("t", CompareOp::Eq, Text("Да".into()));
        assert!(eval(&t, &[("t", Text("  да ".into()))]));
    }

    #[test]
    fn answered_ignores_cleared_fields_but_counts_na() {
        let c = Condition::answered("q");
        assert!(eval(&c, &[("q", Na)]));
        assert!(eval(&c, &[("q", Text("x".into()))]));
        assert!(!eval(&c, &[("q", Text("  ".into()))]));
        assert!(!eval(&c, &[("q", Choice(vec![]))]));
        assert!(!eval(&c, &[]));
    }

    #[test]
    fn all_and_any_combine_and_nest() {
        let c = Condition::Any(vec![
            Condition::compare("a", CompareOp::Eq, No),
            Condition::All(vec![
                Condition::compare("b", CompareOp::Le, Scale(2)),
                Condition::answered("c"),
            ]),
        ]);
        assert!(eval(&c, &[("a", No)]));
        assert!(!eval(&c, &[("a", Yes), ("b", Scale(1))]));
        assert!(eval(&c, &[("a", Yes), ("b", Scale(1)), ("c", Yes)]));
        assert!(!eval(&c, &[("a", Yes), ("b", Scale(3)), ("c", Yes)]));
        assert!(eval(&Condition::All(vec![]), &[]));
        assert!(!eval(&Condition::Any(vec![]), &[]));
        assert_eq!(c.referenced_questions(), ["a", "b", "c"]);
    }

    #[test]
    fn follow_up_appears_exactly_when_the_trigger_holds() {
        let form = questionnaire(vec![
            q("greeted", QuestionType::YesNo, None),
            q(
                "minutes",
                QuestionType::Number,
                Some(Condition::compare("greeted", CompareOp::Eq, No)),
            ),
        ]);
        let ids = |r: &Response| -> Vec<String> {
            form.visible_questions(r)
                .iter()
                .map(|q| q.id.clone())
                .collect()
        };
        assert_eq!(ids(&respond(&[])), ["greeted"]);
        assert_eq!(ids(&respond(&[("greeted", Yes)])), ["greeted"]);
        assert_eq!(ids(&respond(&[("greeted", No)])), ["greeted", "minutes"]);
        assert!(form.is_visible("minutes", &respond(&[("greeted", No)])));
        assert!(!form.is_visible("minutes", &respond(&[("greeted", Na)])));
    }

    #[test]
    fn hiding_cascades_to_dependents() {
        let form = questionnaire(vec![
            q("a", QuestionType::YesNo, None),
            q(
                "b",
                QuestionType::Scale5,
                Some(Condition::compare("a", CompareOp::Eq, No)),
            ),
            q("c", QuestionType::ShortText, Some(Condition::answered("b"))),
        ]);
        // "b" keeps a stale answer from before "a" was changed to yes.
        let r = respond(&[("a", Yes), ("b", Scale(2))]);
        let v = form.visibility(&r);
        assert!(!v.is_visible("b"));
        assert!(!v.is_visible("c"));
        let r = respond(&[("a", No), ("b", Scale(2))]);
        assert!(form.visibility(&r).is_visible("c"));
    }

    #[test]
    fn forward_and_self_references_read_as_unanswered() {
        let form = questionnaire(vec![
            q("a", QuestionType::YesNo, Some(Condition::answered("b"))),
            q("b", QuestionType::YesNo, Some(Condition::answered("b"))),
        ]);
        let r = respond(&[("a", Yes), ("b", Yes)]);
        assert!(form.visible_questions(&r).is_empty());
    }

    #[test]
    fn hidden_required_questions_are_not_missing() {
        let form = questionnaire(vec![
            q("a", QuestionType::YesNo, None),
            q(
                "why",
                QuestionType::LongText,
                Some(Condition::compare("a", CompareOp::Eq, No)),
            ),
        ]);
        let missing = |r: &Response| -> Vec<String> {
            form.missing_required(r)
                .iter()
                .map(|q| q.id.clone())
                .collect()
        };
        assert_eq!(missing(&respond(&[])), ["a"]);
        assert!(missing(&respond(&[("a", Yes)])).is_empty());
        assert_eq!(missing(&respond(&[("a", No)])), ["why"]);
        assert_eq!(
            missing(&respond(&[("a", No), ("why", Text(" ".into()))])),
            ["why"]
        );
        assert!(missing(&respond(&[("a", No), ("why", Text("rude".into()))])).is_empty());
    }

    #[test]
    fn progress_counts_visible_questions_only() {
        let form = questionnaire(vec![
            q("a", QuestionType::YesNo, None),
            q(
                "why",
                QuestionType::LongText,
                Some(Condition::compare("a", CompareOp::Eq, No)),
            ),
            q("nps", QuestionType::Nps, None),
        ]);
        assert_eq!(form.progress(&respond(&[])), (0, 2));
        assert_eq!(form.progress(&respond(&[("a", No)])), (1, 3));
        assert_eq!(
            form.progress(&respond(&[("a", No), ("why", Text("slow".into()))])),
            (2, 3)
        );
        // Changing the answer hides the follow-up: its kept answer no longer counts.
        let r = respond(&[
            ("a", No),
            ("why", Text("slow".into())),
            ("a", Yes),
            ("nps", Scale(9)),
        ]);
        assert_eq!(form.progress(&r), (2, 2));
    }

    #[test]
    fn operator_labels_are_translated() {
        for op in CompareOp::ALL {
            for lang in Lang::ALL {
                assert!(!op.label(lang).is_empty());
            }
        }
        assert_eq!(CompareOp::Le.label(Lang::En), "≤");
        assert_eq!(CompareOp::Contains.label(Lang::Ru), "содержит");
    }
}
