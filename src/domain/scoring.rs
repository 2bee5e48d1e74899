//! Audit scoring, the "points earned / points possible" rule used by
//! mystery-shopping providers (PRODUCT.md §3):
//!
//! * item score = earned / possible, in 0..=1; N/A and unanswered items leave
//!   the denominator;
//! * section score = Σ(item weight × item score) / Σ(weights of answered
//!   items) × 100;
//! * visit score = Σ(section weight × section score) / Σ(weights of sections
//!   with at least one answered item), so an all-N/A section drops out;
//! * a failed critical item zeroes its section or the whole visit, as its
//!   section's rule says.

use super::questionnaire::{CriticalRule, Question, QuestionType, Questionnaire};
use super::response::{AnswerValue, Response};

/// An item earning less than this share of its points counts as failed:
/// "no" on a yes/no item, 1–2 on a five-point scale.
pub const FAIL_BELOW: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    pub question_id: String,
    pub section_id: String,
    /// Share of the item's points earned, 0..=1.
    pub earned: f64,
    pub weight: f64,
    pub failed: bool,
    pub critical: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SectionScore {
    pub section_id: String,
    /// 0..=100, or `None` when no scored item was answered.
    pub score: Option<f64>,
    pub weight: f64,
    pub critical_failed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditScore {
    /// 0..=100, or `None` when nothing scored was answered.
    pub visit: Option<f64>,
    pub sections: Vec<SectionScore>,
    /// Answered scored items in questionnaire order.
    pub items: Vec<ItemScore>,
    /// A critical item failed in a section whose rule zeroes the visit.
    pub visit_zeroed: bool,
}

impl AuditScore {
    pub fn failed_items(&self) -> impl Iterator<Item = &ItemScore> {
        self.items.iter().filter(|i| i.failed)
    }
}

/// Share of points earned by one answer, or `None` when it does not count
/// (N/A, unscored type, or an answer of the wrong shape).
pub fn item_score(question: &Question, value: &AnswerValue) -> Option<f64> {
    if !question.qtype.is_scorable() {
        return None;
    }
    match (question.qtype, value) {
        (QuestionType::YesNo, AnswerValue::Yes) => Some(1.0),
        (QuestionType::YesNo, AnswerValue::No) => Some(0.0),
        (t, AnswerValue::Scale(v)) => {
            let (lo, hi) = t.scale_range()?;
            (lo..=hi)
                .contains(v)
                .then(|| f64::from(v - lo) / f64::from(hi - lo))
        }
        (QuestionType::SingleChoice | QuestionType::MultipleChoice, AnswerValue::Choice(ids)) => {
            let points = |id: &String| {
                question
                    .options
                    .iter()
                    .find(|o| &o.id == id)
                    .map(|o| o.points)
            };
            let possible = if question.qtype == QuestionType::SingleChoice {
                question
                    .options
                    .iter()
                    .map(|o| o.points)
                    .fold(0.0, f64::max)
            } else {
                question.options.iter().map(|o| o.points.max(0.0)).sum()
            };
            if possible <= 0.0 {
                return None;
            }
            let earned: f64 = ids.iter().filter_map(points).sum();
            Some((earned / possible).clamp(0.0, 1.0))
        }
        _ => None,
    }
}

/// Scores a visit. Answers to questions hidden by their visibility condition
/// do not count: the shopper never saw those items on this visit.
pub fn score_audit(questionnaire: &Questionnaire, response: &Response) -> AuditScore {
    let visibility = questionnaire.visibility(response);
    let mut items = Vec::new();
    let mut sections = Vec::with_capacity(questionnaire.sections.len());
    let mut visit_zeroed = false;

    for section in &questionnaire.sections {
        let mut earned = 0.0;
        let mut possible = 0.0;
        let mut critical_failed = false;
        for q in &section.questions {
            if !visibility.is_visible(&q.id) {
                continue;
            }
            let Some(answer) = response.answers.get(&q.id) else {
                continue;
            };
            let Some(s) = item_score(q, &answer.value) else {
                continue;
            };
            let failed = s < FAIL_BELOW;
            critical_failed |= failed && q.critical;
            earned += q.weight * s;
            possible += q.weight;
            items.push(ItemScore {
                question_id: q.id.clone(),
                section_id: section.id.clone(),
                earned: s,
                weight: q.weight,
                failed,
                critical: q.critical,
            });
        }
        let score = if possible > 0.0 {
            Some(if critical_failed {
                0.0
            } else {
                100.0 * earned / possible
            })
        } else {
            None
        };
        if critical_failed && section.critical_rule == CriticalRule::ZeroVisit {
            visit_zeroed = true;
        }
        sections.push(SectionScore {
            section_id: section.id.clone(),
            score,
            weight: section.weight,
            critical_failed,
        });
    }

    let (num, den) = sections
        .iter()
        .filter_map(|s| s.score.map(|v| (s.weight * v, s.weight)))
        .fold((0.0, 0.0), |(n, d), (a, b)| (n + a, d + b));
    let visit = (den > 0.0).then(|| if visit_zeroed { 0.0 } else { num / den });

    AuditScore {
        visit,
        sections,
        items,
        visit_zeroed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::{QuestionnaireKind, Section, Text, VersionStatus};
    use crate::domain::timestamp::Timestamp;
    use uuid::Uuid;

    fn q(id: &str, qtype: QuestionType, weight: f64, critical: bool) -> Question {
        Question {
            id: id.into(),
            qtype,
            text: Text::new(id, id),
            help: Text::default(),
            required: true,
            weight,
            critical,
            na_allowed: true,
            comment_allowed: false,
            photo_allowed: false,
            options: vec![],
            metric: None,
            visible_if: None,
            unit: Text::default(),
        }
    }

    fn section(id: &str, weight: f64, rule: CriticalRule, questions: Vec<Question>) -> Section {
        Section {
            id: id.into(),
            title: Text::new(id, id),
            weight,
            critical_rule: rule,
            questions,
        }
    }

    fn audit(sections: Vec<Section>) -> Questionnaire {
        Questionnaire {
            id: "a".into(),
            version: 1,
            kind: QuestionnaireKind::Audit,
            status: VersionStatus::Published,
            title: Text::new("a", "a"),
            description: Text::default(),
            public_title: Text::default(),
            public_intro: Text::default(),
            sections,
        }
    }

    fn respond(answers: &[(&str, AnswerValue)]) -> Response {
        let t = Timestamp::new(0, 0);
        let mut r = Response::new_draft(Uuid::nil(), "a", 1, "l", "d", t);
        for (id, v) in answers {
            r.set_answer(id, v.clone(), t);
        }
        r
    }

    fn approx(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// PRODUCT.md §3: 3 yes, 2 no, 1 N/A, 1 text-only item → 60.00.
    #[test]
    fn worked_example_section_is_sixty() {
        use AnswerValue::*;
        let mut qs: Vec<Question> = (1..=6)
            .map(|i| q(&format!("i{i}"), QuestionType::YesNo, 1.0, false))
            .collect();
        qs.push(q("note", QuestionType::ShortText, 1.0, false));
        let a = audit(vec![section("s", 1.0, CriticalRule::ZeroSection, qs)]);
        let r = respond(&[
            ("i1", Yes),
            ("i2", Yes),
            ("i3", Yes),
            ("i4", No),
            ("i5", No),
            ("i6", Na),
            ("note", Text("queue of four".into())),
        ]);
        let s = score_audit(&a, &r);
        assert!(approx(s.sections[0].score.unwrap(), 60.0));
        assert!(approx(s.visit.unwrap(), 60.0));
        assert_eq!(s.failed_items().count(), 2);
    }

    #[test]
    fn item_weights_apply_within_a_section() {
        use AnswerValue::*;
        let a = audit(vec![section(
            "s",
            1.0,
            CriticalRule::ZeroSection,
            vec![
                q("heavy", QuestionType::YesNo, 3.0, false),
                q("light", QuestionType::YesNo, 1.0, false),
            ],
        )]);
        let s = score_audit(&a, &respond(&[("heavy", Yes), ("light", No)]));
        assert!(approx(s.visit.unwrap(), 75.0));
    }

    #[test]
    fn all_na_section_drops_out_and_others_renormalise() {
        use AnswerValue::*;
        let a = audit(vec![
            section(
                "s1",
                2.0,
                CriticalRule::ZeroSection,
                vec![
                    q("a", QuestionType::YesNo, 1.0, false),
                    q("b", QuestionType::YesNo, 1.0, false),
                ],
            ),
            section(
                "s2",
                1.0,
                CriticalRule::ZeroSection,
                vec![q("c", QuestionType::YesNo, 1.0, false)],
            ),
            section(
                "s3",
                5.0,
                CriticalRule::ZeroSection,
                vec![q("d", QuestionType::YesNo, 1.0, false)],
            ),
        ]);
        let s = score_audit(
            &a,
            &respond(&[("a", Yes), ("b", No), ("c", Yes), ("d", Na)]),
        );
        assert_eq!(s.sections[2].score, None);
        // (2 × 50 + 1 × 100) / 3
        assert!(approx(s.visit.unwrap(), 200.0 / 3.0));
    }

    #[test]
    fn critical_failure_zeroes_section_or_visit() {
        use AnswerValue::*;
        let build = |rule| {
            audit(vec![
                section(
                    "s1",
                    1.0,
                    rule,
                    vec![
                        q("rude", QuestionType::YesNo, 1.0, true),
                        q("x", QuestionType::YesNo, 1.0, false),
                    ],
                ),
                section(
                    "s2",
                    1.0,
                    CriticalRule::ZeroSection,
                    vec![q("y", QuestionType::YesNo, 1.0, false)],
                ),
            ])
        };
        let r = respond(&[("rude", No), ("x", Yes), ("y", Yes)]);
        let s = score_audit(&build(CriticalRule::ZeroSection), &r);
        assert_eq!(s.sections[0].score, Some(0.0));
        assert!(s.sections[0].critical_failed);
        assert!(approx(s.visit.unwrap(), 50.0));
        assert!(!s.visit_zeroed);

        let s = score_audit(&build(CriticalRule::ZeroVisit), &r);
        assert_eq!(s.visit, Some(0.0));
        assert!(s.visit_zeroed);
    }

    #[test]
    fn answers_to_hidden_items_do_not_count() {
        use crate::domain::condition::{CompareOp, Condition};
        use AnswerValue::*;
        let mut follow_up = q("rude-why", QuestionType::YesNo, 1.0, true);
        follow_up.visible_if = Some(Condition::compare("rude", CompareOp::Eq, No));
        let a = audit(vec![section(
            "s",
            1.0,
            CriticalRule::ZeroVisit,
            vec![
                q("rude", QuestionType::YesNo, 1.0, false),
                follow_up,
                q("x", QuestionType::YesNo, 1.0, false),
            ],
        )]);
        // A stale "no" left on the follow-up after "rude" was changed to yes:
        // it is hidden, so neither its points nor its critical failure count.
        let s = score_audit(&a, &respond(&[("rude", Yes), ("rude-why", No), ("x", Yes)]));
        assert_eq!(s.visit, Some(100.0));
        assert!(!s.visit_zeroed);
        assert_eq!(s.items.len(), 2);
        assert!(s.items.iter().all(|i| i.question_id != "rude-why"));
        // Shown, it counts.
        let s = score_audit(&a, &respond(&[("rude", No), ("rude-why", No), ("x", Yes)]));
        assert_eq!(s.visit, Some(0.0));
        assert!(s.visit_zeroed);
    }

    #[test]
    fn nothing_answered_has_no_score() {
        let a = audit(vec![section(
            "s",
            1.0,
            CriticalRule::ZeroSection,
            vec![q("a", QuestionType::YesNo, 1.0, false)],
        )]);
        assert_eq!(score_audit(&a, &respond(&[])).visit, None);
        assert_eq!(
            score_audit(&a, &respond(&[("a", AnswerValue::Na)])).visit,
            None
        );
    }

    #[test]
    fn scales_and_choices_earn_partial_points() {
        let scale = q("s", QuestionType::Scale5, 1.0, false);
        assert_eq!(item_score(&scale, &AnswerValue::Scale(1)), Some(0.0));
        assert_eq!(item_score(&scale, &AnswerValue::Scale(4)), Some(0.75));
        assert_eq!(item_score(&scale, &AnswerValue::Scale(6)), None);
        let mut choice = q("c", QuestionType::SingleChoice, 1.0, false);
        choice.options = vec![
            crate::domain::ChoiceOption {
                id: "fast".into(),
                label: Text::default(),
                points: 2.0,
            },
            crate::domain::ChoiceOption {
                id: "slow".into(),
                label: Text::default(),
                points: 0.5,
            },
        ];
        assert_eq!(
            item_score(&choice, &AnswerValue::Choice(vec!["slow".into()])),
            Some(0.25)
        );
        assert_eq!(item_score(&choice, &AnswerValue::Yes), None);
        let text = q("t", QuestionType::ShortText, 1.0, false);
        assert_eq!(item_score(&text, &AnswerValue::Text("x".into())), None);
    }
}
