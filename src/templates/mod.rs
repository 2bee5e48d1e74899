//! Built-in questionnaires, kept as JSON data and embedded at build time so
//! they are available offline from the first start.

use crate::domain::Questionnaire;

const SOURCES: &[(&str, &str)] = &[(
    "retail_quick_audit.json",
    include_str!("retail_quick_audit.json"),
)];

/// Every built-in questionnaire. A template that fails to parse is a build
/// defect caught by the tests below, so it is skipped rather than panicking
/// in a user's browser.
pub fn built_in() -> Vec<Questionnaire> {
    SOURCES
        .iter()
        .filter_map(|(_, json)| serde_json::from_str(json).ok())
        .collect()
}

pub fn find(id: &str, version: u32) -> Option<Questionnaire> {
    built_in()
        .into_iter()
        .find(|q| q.id == id && q.version == version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{QuestionnaireKind, VersionStatus};
    use std::collections::HashSet;

    #[test]
    fn every_template_parses_and_is_published() {
        for (name, json) in SOURCES {
            let q: Questionnaire =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(q.status, VersionStatus::Published, "{name}");
            assert!(!q.title.ru.is_empty() && !q.title.en.is_empty(), "{name}");
            let mut ids = HashSet::new();
            for question in q.questions() {
                assert!(ids.insert(&question.id), "{name}: duplicate id {}", question.id);
                assert!(!question.text.ru.is_empty() && !question.text.en.is_empty());
                assert!(question.weight > 0.0);
            }
        }
        assert_eq!(built_in().len(), SOURCES.len());
    }

    #[test]
    fn quick_retail_audit_has_six_scored_items() {
        let q = find("tpl-retail-quick", 1).unwrap();
        assert_eq!(q.kind, QuestionnaireKind::Audit);
        assert_eq!(q.questions().filter(|x| x.qtype.is_scorable()).count(), 6);
    }

    /// The e2e test submits this pattern and expects the dashboard to show
    /// 58.33: section 1 = 1/2 (N/A left out), section 2 = 2/3.
    #[test]
    fn quick_retail_audit_known_pattern_scores() {
        use crate::domain::{score_audit, AnswerValue::*, Response, Timestamp};
        let q = find("tpl-retail-quick", 1).unwrap();
        let t = Timestamp::new(0, 0);
        let mut r = Response::new_draft(uuid::Uuid::nil(), &q.id, 1, "l", "d", t);
        for (id, v) in [
            ("q-entrance", Yes),
            ("q-greeting", No),
            ("q-needs", Na),
            ("q-queue", Yes),
            ("q-loyalty", No),
            ("q-farewell", Yes),
        ] {
            r.set_answer(id, v, t);
        }
        let s = score_audit(&q, &r).visit.unwrap();
        assert!((s - 175.0 / 3.0).abs() < 1e-9, "{s}");
    }
}
