//! Built-in questionnaires, kept as JSON data and embedded at build time so
//! they are available offline from the first start.
//!
//! They are questionnaire files read by the same parser as an imported file
//! (`tpl-retail-quick` is still in the first build's bare format, the others
//! in the current one), so a template is also a sample of the file format.
//!
//! A published version is immutable here as anywhere: new wording is a new
//! version, and the old one stays (`*_v1.json`) so that its responses still
//! score and a file from a device with an older app still matches the
//! built-in it names instead of being refused as a changed built-in.

use crate::domain::Questionnaire;
use crate::exchange::questionnaire_file;

const SOURCES: &[(&str, &str)] = &[
    (
        "retail_quick_audit.json",
        include_str!("retail_quick_audit.json"),
    ),
    ("retail_audit.json", include_str!("retail_audit.json")),
    ("office_audit.json", include_str!("office_audit.json")),
    (
        "phone_online_audit.json",
        include_str!("phone_online_audit.json"),
    ),
    (
        "loyalty_button_survey.json",
        include_str!("loyalty_button_survey.json"),
    ),
    (
        "loyalty_button_survey_v1.json",
        include_str!("loyalty_button_survey_v1.json"),
    ),
    ("csi_nps_survey.json", include_str!("csi_nps_survey.json")),
    (
        "csi_nps_survey_v1.json",
        include_str!("csi_nps_survey_v1.json"),
    ),
    ("complaint_form.json", include_str!("complaint_form.json")),
    (
        "daily_ops_report.json",
        include_str!("daily_ops_report.json"),
    ),
];

/// The ids of the built-in questionnaires: a cheap list the respondent's
/// page can carry without the templates themselves (the trust rule "a
/// built-in is never replaced from outside" needs only the id).
pub const BUILT_IN_IDS: &[&str] = &[
    "tpl-retail-quick",
    "tpl-retail-audit",
    "tpl-office-audit",
    "tpl-phone-online-audit",
    "tpl-loyalty-button",
    "tpl-csi-nps",
    "tpl-complaint",
    "tpl-daily-ops",
];

/// Whether `id` is a built-in questionnaire's.
pub fn is_built_in(id: &str) -> bool {
    BUILT_IN_IDS.contains(&id)
}

/// Every built-in questionnaire version. A template that fails to parse or
/// validate is a build defect caught by the tests below, so it is skipped
/// rather than panicking in a user's browser.
pub fn built_in() -> Vec<Questionnaire> {
    SOURCES
        .iter()
        .filter_map(|(_, json)| questionnaire_file::parse_built_in(json).ok())
        .collect()
}

/// The newest version of each built-in: what the library offers and what
/// new links and fills use.
pub fn current() -> Vec<Questionnaire> {
    let mut all = built_in();
    all.sort_by_key(|q| std::cmp::Reverse(q.version));
    let mut seen = std::collections::HashSet::new();
    all.retain(|q| seen.insert(q.id.clone()));
    all.sort_by_key(|q| BUILT_IN_IDS.iter().position(|id| *id == q.id));
    all
}

pub fn find(id: &str, version: u32) -> Option<Questionnaire> {
    built_in()
        .into_iter()
        .find(|q| q.id == id && q.version == version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_list_names_every_built_in_exactly() {
        let mut ids: Vec<String> = built_in().into_iter().map(|q| q.id).collect();
        ids.sort();
        ids.dedup();
        let mut listed: Vec<String> = BUILT_IN_IDS.iter().map(|s| (*s).to_owned()).collect();
        listed.sort();
        assert_eq!(ids, listed);
        assert_eq!(built_in().len(), SOURCES.len());
    }
    use crate::domain::condition::CompareOp;
    use crate::domain::validation::earns_points;
    use crate::domain::{
        score_audit, AnswerValue, Condition, CriticalRule, MetricRole, Question, QuestionType,
        QuestionnaireKind, Response, Timestamp, VersionStatus,
    };
    use crate::i18n::Lang;
    use std::collections::HashSet;

    fn template(id: &str) -> Questionnaire {
        current()
            .into_iter()
            .find(|q| q.id == id)
            .unwrap_or_else(|| panic!("no template {id}"))
    }

    #[test]
    fn current_is_the_newest_of_each_and_old_versions_stay_findable() {
        let current = current();
        assert_eq!(
            current.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
            BUILT_IN_IDS
        );
        let loyalty = current
            .iter()
            .find(|q| q.id == "tpl-loyalty-button")
            .unwrap();
        assert_eq!(loyalty.version, 2);
        let v1 = find("tpl-loyalty-button", 1).unwrap();
        // The same questions under the same ids: responses to either version
        // count towards the same figures.
        let ids = |q: &Questionnaire| {
            q.questions()
                .map(|x| (x.id.clone(), x.metric))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&v1), ids(loyalty));
        assert_eq!(
            ids(&find("tpl-csi-nps", 1).unwrap()),
            ids(&template("tpl-csi-nps"))
        );
    }

    /// What a customer reads says nothing of the method: no index names, no
    /// "office" in a survey any shop may use.
    #[test]
    fn built_in_surveys_speak_to_customers() {
        for q in current()
            .iter()
            .filter(|q| q.kind == QuestionnaireKind::Survey)
        {
            for lang in Lang::ALL {
                let heading = q.public_heading(lang);
                assert_ne!(heading, q.title.get(lang), "{}: a title of its own", q.id);
                let mut read = vec![heading.to_owned(), q.public_introduction(lang).to_owned()];
                read.extend(q.questions().map(|x| x.text.get(lang).to_owned()));
                for text in &read {
                    for word in [
                        "ИНК",
                        "ИЭЛ",
                        "CSI",
                        "NPS",
                        "офис",
                        "office",
                        "лояльност",
                        "loyalty",
                    ] {
                        assert!(!text.contains(word), "{}: {word} in {text}", q.id);
                    }
                }
            }
        }
    }

    fn scored(q: &Questionnaire) -> Vec<&Question> {
        q.questions().filter(|x| earns_points(x)).collect()
    }

    fn metrics(q: &Questionnaire) -> Vec<(&str, MetricRole)> {
        q.questions()
            .filter_map(|x| x.metric.map(|m| (x.id.as_str(), m)))
            .collect()
    }

    fn respond(q: &Questionnaire, answers: &[(&str, AnswerValue)]) -> Response {
        let t = Timestamp::new(0, 0);
        let mut r = Response::new_draft(uuid::Uuid::nil(), &q.id, q.version, "l", "d", t);
        for (id, v) in answers {
            r.set_answer(id, v.clone(), t);
        }
        r
    }

    #[test]
    fn every_template_parses_validates_and_is_published() {
        let mut ids = HashSet::new();
        for (name, json) in SOURCES {
            let q = questionnaire_file::parse(json)
                .unwrap_or_else(|e| panic!("{name}: {}", e.message(Lang::En)));
            assert!(
                ids.insert((q.id.clone(), q.version)),
                "{name}: duplicate template version"
            );
            assert!(q.id.starts_with("tpl-"), "{name}");
            assert!(
                q.version == 1 || find(&q.id, q.version - 1).is_some(),
                "{name}: versions count up from 1"
            );
            assert_eq!(q.status, VersionStatus::Published, "{name}");
            // Templates are held to both languages, stricter than validation.
            let both = |t: &crate::domain::Text| !t.ru.trim().is_empty() && !t.en.trim().is_empty();
            assert!(both(&q.title) && both(&q.description), "{name}");
            for s in &q.sections {
                assert!(both(&s.title), "{name}: {}", s.id);
                for question in &s.questions {
                    assert!(both(&question.text), "{name}: {}", question.id);
                    assert!(
                        question.help.is_empty() || both(&question.help),
                        "{name}: {}",
                        question.id
                    );
                    for o in &question.options {
                        assert!(both(&o.label), "{name}: {} {}", question.id, o.id);
                    }
                }
            }
        }
        assert_eq!(built_in().len(), SOURCES.len());
    }

    /// Every template after the first build's is written in the current
    /// file format, exactly as `to_string` writes it, minus field order and
    /// defaults: parsing the export gives the same questionnaire back.
    #[test]
    fn templates_survive_export_and_import() {
        for q in built_in() {
            let again = questionnaire_file::parse(&questionnaire_file::to_string(&q)).unwrap();
            assert_eq!(again, q, "{}", q.id);
        }
    }

    #[test]
    fn audits_have_15_to_40_scored_items_and_a_critical_one() {
        for id in [
            "tpl-retail-audit",
            "tpl-office-audit",
            "tpl-phone-online-audit",
        ] {
            let q = template(id);
            assert_eq!(q.kind, QuestionnaireKind::Audit, "{id}");
            let n = scored(&q).len();
            assert!((15..=40).contains(&n), "{id}: {n} scored items");
            assert!(scored(&q).iter().any(|x| x.critical), "{id}");
            assert!(q.questions().any(|x| x.na_allowed), "{id}");
            assert!(q.questions().any(|x| x.photo_allowed), "{id}");
            assert!(q.questions().any(|x| x.comment_allowed), "{id}");
            assert!(q.questions().any(|x| x.visible_if.is_some()), "{id}");
            let weights: HashSet<u64> = q.questions().map(|x| x.weight.to_bits()).collect();
            assert!(weights.len() > 1, "{id}: realistic weights differ");
        }
    }

    #[test]
    fn retail_audit_covers_the_visit_and_its_critical_items() {
        let q = template("tpl-retail-audit");
        assert_eq!(scored(&q).len(), 38);
        assert_eq!(q.sections.len(), 13);
        let rule_of = |qid: &str| {
            q.sections
                .iter()
                .find(|s| s.questions.iter().any(|x| x.id == qid))
                .map(|s| s.critical_rule)
        };
        let critical: Vec<&str> = q
            .questions()
            .filter(|x| x.critical)
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(critical, ["q-not-ignored", "q-no-rudeness"]);
        assert_eq!(rule_of("q-no-rudeness"), Some(CriticalRule::ZeroVisit));
        assert_eq!(rule_of("q-not-ignored"), Some(CriticalRule::ZeroSection));
        assert_eq!(
            q.question("q-greet-delay-min").unwrap().visible_if,
            Some(Condition::compare(
                "q-greet-3min",
                CompareOp::Eq,
                AnswerValue::No
            ))
        );
    }

    #[test]
    fn retail_audit_asks_for_the_delay_only_when_not_greeted() {
        use AnswerValue::*;
        let q = template("tpl-retail-audit");
        let greeted = respond(&q, &[("q-greet-3min", Yes)]);
        assert!(!q.is_visible("q-greet-delay-min", &greeted));
        let waited = respond(&q, &[("q-greet-3min", No)]);
        assert!(q.is_visible("q-greet-delay-min", &waited));
        assert!(q
            .missing_required(&waited)
            .iter()
            .any(|x| x.id == "q-greet-delay-min"));
        // Rudeness zeroes the visit whatever else was fine.
        let mut answers: Vec<(&str, AnswerValue)> =
            scored(&q).iter().map(|x| (x.id.as_str(), Yes)).collect();
        answers.retain(|(id, _)| *id != "q-overall");
        let fine = score_audit(&q, &respond(&q, &answers)).visit.unwrap();
        assert!((fine - 100.0).abs() < 1e-9, "{fine}");
        for (id, v) in &mut answers {
            if *id == "q-no-rudeness" {
                *v = No;
            }
        }
        let s = score_audit(&q, &respond(&q, &answers));
        assert_eq!(s.visit, Some(0.0));
        assert!(s.visit_zeroed);
    }

    #[test]
    fn office_audit_conflict_items_follow_the_scenario_switch() {
        let q = template("tpl-office-audit");
        assert_eq!(scored(&q).len(), 30);
        let critical: Vec<&str> = q
            .questions()
            .filter(|x| x.critical)
            .map(|x| x.id.as_str())
            .collect();
        assert_eq!(
            critical,
            ["q-not-ignored", "q-conflict-calm", "q-money-correct"]
        );
        let played = |v: &str| {
            respond(
                &q,
                &[("q-conflict-played", AnswerValue::Choice(vec![v.into()]))],
            )
        };
        assert!(q.is_visible("q-conflict-calm", &played("yes")));
        assert!(!q.is_visible("q-conflict-calm", &played("no")));
        // The scenario switch itself earns no points.
        assert!(!earns_points(q.question("q-conflict-played").unwrap()));
        assert_eq!(metrics(&q), [("q-wait-time", MetricRole::Wait)]);
    }

    #[test]
    fn phone_audit_measures_answer_and_response_times() {
        let q = template("tpl-phone-online-audit");
        assert_eq!(scored(&q).len(), 22);
        assert!(q.question("q-call-polite").unwrap().critical);
        assert!(q.question("q-order-correct").unwrap().critical);
        assert_eq!(
            metrics(&q),
            [
                ("q-answer-time", MetricRole::Wait),
                ("q-order-response-time", MetricRole::FirstResponse)
            ]
        );
        let no_hold = respond(&q, &[("q-hold-asked", AnswerValue::Na)]);
        assert!(!q.is_visible("q-hold-time", &no_hold));
        let held = respond(&q, &[("q-hold-asked", AnswerValue::Yes)]);
        assert!(q.is_visible("q-hold-time", &held));
    }

    #[test]
    fn loyalty_button_feeds_the_three_ink_groups_and_loyalty() {
        let q = template("tpl-loyalty-button");
        assert_eq!(q.kind, QuestionnaireKind::Survey);
        assert_eq!(
            metrics(&q),
            [
                ("q-ink-staff", MetricRole::InkStaff),
                ("q-ink-office", MetricRole::InkOffice),
                ("q-ink-product", MetricRole::InkProduct),
                ("q-iel-recommend", MetricRole::Loyalty),
            ]
        );
        for (id, _) in metrics(&q) {
            let x = q.question(id).unwrap();
            assert_eq!(x.qtype, QuestionType::YesNo);
            assert!(x.required && !x.na_allowed, "{id}: a plain yes or no");
        }
        let comment = q.question("q-comment").unwrap();
        assert_eq!(comment.qtype, QuestionType::LongText);
        assert!(!comment.required);
    }

    #[test]
    fn csi_nps_survey_has_four_weighted_attributes_and_nps() {
        let q = template("tpl-csi-nps");
        let importances: Vec<(&str, f64)> = metrics(&q)
            .into_iter()
            .filter_map(|(id, m)| match m {
                MetricRole::CsiAttribute { importance } => Some((id, importance)),
                _ => None,
            })
            .collect();
        assert_eq!(
            importances,
            [
                ("q-csi-speed", 8.0),
                ("q-csi-competence", 9.0),
                ("q-csi-politeness", 7.0),
                ("q-csi-accessibility", 6.0)
            ]
        );
        let nps = q.question("q-nps").unwrap();
        assert_eq!(
            (nps.qtype, nps.metric),
            (QuestionType::Nps, Some(MetricRole::Nps))
        );
        assert_eq!(q.question("q-csat").unwrap().metric, Some(MetricRole::Csat));
        assert_eq!(q.question("q-ces").unwrap().metric, Some(MetricRole::Ces));
        assert!(
            q.questions().count() <= 10,
            "a customer answers in under a minute"
        );
        let detractor = respond(&q, &[("q-nps", AnswerValue::Scale(6))]);
        assert!(q.is_visible("q-nps-low", &detractor));
        let promoter = respond(&q, &[("q-nps", AnswerValue::Scale(9))]);
        assert!(!q.is_visible("q-nps-low", &promoter));
    }

    #[test]
    fn complaint_form_categories_and_resolution() {
        let q = template("tpl-complaint");
        assert_eq!(q.kind, QuestionnaireKind::Complaint);
        let category = q.question("q-category").unwrap();
        assert_eq!(category.metric, Some(MetricRole::ComplaintCategory));
        assert_eq!(category.qtype, QuestionType::SingleChoice);
        let ids: Vec<&str> = category.options.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "indifference",
                "rudeness",
                "slow_service",
                "low_competence",
                "opening_hours",
                "product",
                "other"
            ]
        );
        assert_eq!(
            q.question("q-resolved").unwrap().metric,
            Some(MetricRole::ComplaintResolved)
        );
        assert_eq!(
            q.question("q-resolution-time").unwrap().metric,
            Some(MetricRole::ResolutionTime)
        );
        assert_eq!(
            q.question("q-employee").unwrap().qtype,
            QuestionType::EmployeePicker
        );
        assert_eq!(
            q.question("q-compensation").unwrap().qtype,
            QuestionType::YesNo
        );
        let open = respond(&q, &[("q-resolved", AnswerValue::No)]);
        assert!(!q.is_visible("q-resolved-at", &open));
        assert!(!q.is_visible("q-resolution-time", &open));
        let done = respond(&q, &[("q-resolved", AnswerValue::Yes)]);
        assert!(q.is_visible("q-resolution-time", &done));
        let other = respond(
            &q,
            &[("q-category", AnswerValue::Choice(vec!["other".into()]))],
        );
        assert!(q.is_visible("q-category-other", &other));
    }

    #[test]
    fn daily_ops_report_feeds_every_ops_metric() {
        let q = template("tpl-daily-ops");
        assert_eq!(q.kind, QuestionnaireKind::OpsReport);
        let roles: Vec<MetricRole> = metrics(&q).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            roles,
            [
                MetricRole::Visitors,
                MetricRole::Receipts,
                MetricRole::CallsOffered,
                MetricRole::CallsAnsweredWithinT,
                MetricRole::CallsAbandoned,
                MetricRole::Handled,
                MetricRole::TalkTime,
                MetricRole::HoldTime,
                MetricRole::AfterCallWork,
                MetricRole::Wait,
            ]
        );
        // Call figures appear only where calls were taken.
        let calls = |n: f64| respond(&q, &[("q-calls-offered", AnswerValue::Number(n))]);
        assert!(!q.is_visible("q-calls-abandoned", &calls(0.0)));
        assert!(q.is_visible("q-calls-abandoned", &calls(12.0)));
        assert!(!q.is_visible("q-talk-time", &respond(&q, &[])));
    }

    #[test]
    fn quick_retail_audit_has_six_scored_items() {
        let q = template("tpl-retail-quick");
        assert_eq!(q.kind, QuestionnaireKind::Audit);
        assert_eq!(q.questions().filter(|x| x.qtype.is_scorable()).count(), 6);
    }

    /// The e2e test submits this pattern and expects the dashboard to show
    /// 58.33: section 1 = 1/2 (N/A left out), section 2 = 2/3.
    #[test]
    fn quick_retail_audit_known_pattern_scores() {
        use AnswerValue::*;
        let q = template("tpl-retail-quick");
        let r = respond(
            &q,
            &[
                ("q-entrance", Yes),
                ("q-greeting", No),
                ("q-needs", Na),
                ("q-queue", Yes),
                ("q-loyalty", No),
                ("q-farewell", Yes),
            ],
        );
        let s = score_audit(&q, &r).visit.unwrap();
        assert!((s - 175.0 / 3.0).abs() < 1e-9, "{s}");
    }
}
