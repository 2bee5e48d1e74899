//! One visit's report, the page a store manager is handed: the visit's
//! score by section, then what failed, critical failures first, each with
//! the shopper's comment and the corrective actions made for it. Built here
//! from the questionnaire, the response and the actions; the screen
//! (`web::manager::report`) adds names, photos and print.

use crate::domain::{
    score_audit, Answer, CorrectiveAction, Question, Questionnaire, Response, Text,
};

/// One section's line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionLine {
    pub title: Text,
    /// 0..=100; `None` when nothing scored in it was answered.
    pub score: Option<f64>,
    pub critical_failed: bool,
}

/// A failed item, with what the shopper wrote and what was done about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure<'a> {
    pub question: &'a Question,
    pub section: &'a Text,
    pub critical: bool,
    pub answer: Option<&'a Answer>,
    /// Oldest first.
    pub actions: Vec<&'a CorrectiveAction>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VisitReport<'a> {
    pub score: Option<f64>,
    /// A critical failure zeroed the whole visit.
    pub zeroed: bool,
    pub sections: Vec<SectionLine>,
    /// Critical failures first, then the rest, each in questionnaire order.
    pub failures: Vec<Failure<'a>>,
    /// Scored items answered, and of them passed.
    pub scored: usize,
    pub passed: usize,
}

impl<'a> VisitReport<'a> {
    pub fn build(
        q: &'a Questionnaire,
        r: &'a Response,
        actions: &'a [CorrectiveAction],
    ) -> VisitReport<'a> {
        let score = score_audit(q, r);
        let sections = q
            .sections
            .iter()
            .map(|s| {
                let line = score.sections.iter().find(|x| x.section_id == s.id);
                SectionLine {
                    title: s.title.clone(),
                    score: line.and_then(|l| l.score),
                    critical_failed: line.is_some_and(|l| l.critical_failed),
                }
            })
            .collect();
        let mut failures: Vec<Failure<'a>> = score
            .failed_items()
            .filter_map(|item| {
                let section = q.sections.iter().find(|s| s.id == item.section_id)?;
                let question = section
                    .questions
                    .iter()
                    .find(|x| x.id == item.question_id)?;
                let mut done: Vec<&CorrectiveAction> = actions
                    .iter()
                    .filter(|a| a.response_id == r.id && a.question_id == question.id)
                    .collect();
                done.sort_by_key(|a| a.created_at);
                Some(Failure {
                    question,
                    section: &section.title,
                    critical: item.critical,
                    answer: r.answers.get(&question.id),
                    actions: done,
                })
            })
            .collect();
        // Stable: questionnaire order within each group.
        failures.sort_by_key(|f| !f.critical);
        VisitReport {
            score: score.visit,
            zeroed: score.visit_zeroed,
            sections,
            scored: score.items.len(),
            passed: score.items.iter().filter(|i| !i.failed).count(),
            failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dashboard::actions::from_form;
    use crate::domain::{AnswerValue, Timestamp};
    use crate::templates;

    #[test]
    fn critical_failures_come_first_with_their_comments_and_actions() {
        let mut q = templates::find("tpl-retail-quick", 1).unwrap();
        // The form's last item is critical: it still leads the report.
        let last = q.sections.last_mut().unwrap().questions.last_mut().unwrap();
        last.critical = true;
        let t = Timestamp::new(0, 180);
        let mut r = Response::new_draft(uuid::Uuid::nil(), &q.id, q.version, "loc", "dev", t);
        let ids: Vec<String> = q.questions().map(|x| x.id.clone()).collect();
        for id in &ids {
            r.set_answer(id, AnswerValue::Yes, t);
        }
        let critical = q.questions().find(|x| x.critical).map(|x| x.id.clone());
        let plain: Vec<String> = q
            .questions()
            .filter(|x| !x.critical)
            .map(|x| x.id.clone())
            .collect();
        // Two plain items fail, then (later in the form or not) a critical one.
        for id in plain.iter().take(2).chain(critical.iter()) {
            r.set_answer(id, AnswerValue::No, t);
        }
        r.answers.get_mut(&plain[1]).unwrap().comment = "очередь 12 минут".into();
        let action = from_form(uuid::Uuid::from_u128(1), &r, &plain[1], "Anna", "", "", t).unwrap();
        let other = from_form(uuid::Uuid::from_u128(2), &r, &plain[0], "Boris", "", "", t).unwrap();
        let mut elsewhere = other.clone();
        elsewhere.response_id = uuid::Uuid::from_u128(9);
        let actions = vec![action.clone(), other.clone(), elsewhere];

        let report = VisitReport::build(&q, &r, &actions);
        let order: Vec<&str> = report
            .failures
            .iter()
            .map(|f| f.question.id.as_str())
            .collect();
        let mut expected: Vec<&str> = critical.iter().map(String::as_str).collect();
        expected.extend(plain.iter().take(2).map(String::as_str));
        assert_eq!(order, expected, "critical first, then questionnaire order");
        assert!(critical.is_some());
        assert!(report.failures[0].critical);
        assert!(report.failures[1..].iter().all(|f| !f.critical));
        let second = report
            .failures
            .iter()
            .find(|f| f.question.id == plain[1])
            .unwrap();
        assert_eq!(second.answer.unwrap().comment, "очередь 12 минут");
        assert_eq!(second.actions, vec![&action]);
        let first = report
            .failures
            .iter()
            .find(|f| f.question.id == plain[0])
            .unwrap();
        assert_eq!(
            first.actions,
            vec![&other],
            "an action of another visit is not this one's"
        );
        assert_eq!(report.sections.len(), q.sections.len());
        assert_eq!(report.scored, ids.len());
        assert_eq!(report.passed, ids.len() - expected.len());
        assert_eq!(report.score, score_audit(&q, &r).visit);
    }
}
