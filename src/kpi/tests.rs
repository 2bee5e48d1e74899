//! End-to-end tests of the KPI pass: the worked examples of PRODUCT.md §3
//! through ingest and `compute_all`, filters and breakdowns, and the
//! properties the issue asks for.

use std::collections::BTreeMap;

use proptest::prelude::*;
use uuid::Uuid;

use crate::domain::questionnaire::MetricRole;
use crate::domain::{
    score_audit, Answer, AnswerValue, ChoiceOption, CompareOp, Condition, CriticalRule, Question,
    QuestionType, Questionnaire, QuestionnaireKind, Response, ResponseStatus, Section, Text,
    Timestamp, VersionStatus,
};

use super::*;
use crate::domain::calendar::{days_from_civil, LocalDate, DAY_MS};

/// 2026-03-02T00:00Z, a Monday.
const T0: i64 = 1_772_409_600_000;

fn q(id: &str, qtype: QuestionType, metric: Option<MetricRole>) -> Question {
    Question {
        id: id.into(),
        qtype,
        text: Text::new(id, id),
        help: Text::default(),
        required: false,
        weight: 1.0,
        critical: false,
        na_allowed: true,
        comment_allowed: false,
        photo_allowed: false,
        options: vec![],
        metric,
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

fn qnr(id: &str, version: u32, kind: QuestionnaireKind, sections: Vec<Section>) -> Questionnaire {
    Questionnaire {
        id: id.into(),
        version,
        kind,
        status: VersionStatus::Published,
        title: Text::new(id, id),
        description: Text::default(),
        public_title: Text::default(),
        public_intro: Text::default(),
        sections,
    }
}

fn one_section(id: &str, kind: QuestionnaireKind, questions: Vec<Question>) -> Questionnaire {
    qnr(
        id,
        1,
        kind,
        vec![section("s", 1.0, CriticalRule::ZeroSection, questions)],
    )
}

struct R<'a> {
    qnr: &'a Questionnaire,
    n: u128,
    time: i64,
    location: &'a str,
    employees: &'a [&'a str],
}

impl<'a> R<'a> {
    fn new(qnr: &'a Questionnaire, n: u128) -> R<'a> {
        R {
            qnr,
            n,
            time: T0 + n as i64 * 60_000,
            location: "loc",
            employees: &[],
        }
    }

    fn at(mut self, time: i64) -> Self {
        self.time = time;
        self
    }

    fn loc(mut self, location: &'a str) -> Self {
        self.location = location;
        self
    }

    fn emp(mut self, employees: &'a [&'a str]) -> Self {
        self.employees = employees;
        self
    }

    fn answers(self, answers: &[(&str, AnswerValue)]) -> Response {
        let at = Timestamp::new(self.time, 180);
        Response {
            visited_at: None,
            employee_note: String::new(),
            supersedes: None,
            id: Uuid::from_u128(self.n + 1),
            questionnaire_id: self.qnr.id.clone(),
            questionnaire_version: self.qnr.version,
            location_id: self.location.into(),
            employee_ids: self.employees.iter().map(|s| s.to_string()).collect(),
            device_id: "d".into(),
            started_at: at,
            updated_at: at,
            submitted_at: Some(at),
            status: ResponseStatus::Submitted,
            answers: answers
                .iter()
                .map(|(id, v)| {
                    (
                        id.to_string(),
                        Answer {
                            value: v.clone(),
                            comment: String::new(),
                            answered_at: at,
                        },
                    )
                })
                .collect(),
        }
    }
}

fn all(qs: &[Questionnaire], rs: &[Response]) -> Report {
    compute_all(&Dataset::build(qs, rs), &Filter::default())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

// ---- worked examples of PRODUCT.md §3 through the whole pipeline ----

#[test]
fn nps_one_to_ten_through_the_pipeline() {
    let s = one_section(
        "nps",
        QuestionnaireKind::Survey,
        vec![q("n", QuestionType::Nps, Some(MetricRole::Nps))],
    );
    let rs: Vec<_> = (1..=10u8)
        .map(|v| R::new(&s, v.into()).answers(&[("n", AnswerValue::Scale(v))]))
        .collect();
    let r = all(&[s], &rs);
    let n = r.overall.nps;
    assert_eq!(n.kpi.value, Some(-40.0));
    assert_eq!(
        (n.counts.promoters, n.counts.passives, n.counts.detractors),
        (2, 2, 6)
    );
    assert_eq!(n.kpi.n, 10);
    assert!(n.kpi.small_sample);
    assert!(n.kpi.ci.is_some());
}

#[test]
fn csat_through_the_pipeline() {
    let s = one_section(
        "c",
        QuestionnaireKind::Survey,
        vec![q("c", QuestionType::Scale5, Some(MetricRole::Csat))],
    );
    let mut rs = Vec::new();
    for (point, count) in [(5u8, 42), (4, 32), (3, 10), (2, 9), (1, 14)] {
        for _ in 0..count {
            let n = rs.len() as u128;
            rs.push(R::new(&s, n).answers(&[("c", AnswerValue::Scale(point))]));
        }
    }
    let k = all(&[s], &rs).overall.csat;
    assert_eq!(format!("{:.2}", k.value.unwrap()), "69.16");
    assert_eq!(k.n, 107);
    assert!(!k.small_sample);
}

#[test]
fn csi_through_the_pipeline() {
    let attrs: Vec<Question> = [7.0, 5.0, 9.0, 3.0, 6.0]
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            q(
                &format!("a{i}"),
                QuestionType::Scale10,
                Some(MetricRole::CsiAttribute { importance: w }),
            )
        })
        .collect();
    let s = one_section("csi", QuestionnaireKind::Survey, attrs);
    let r = R::new(&s, 0).answers(&[
        ("a0", AnswerValue::Scale(8)),
        ("a1", AnswerValue::Scale(4)),
        ("a2", AnswerValue::Scale(8)),
        ("a3", AnswerValue::Scale(3)),
        ("a4", AnswerValue::Scale(4)),
    ]);
    let csi = all(&[s], &[r]).overall.csi;
    assert_eq!(format!("{:.2}", csi.kpi.value.unwrap()), "55.93");
    assert_eq!(csi.kpi.n, 1);
    assert_eq!(csi.attributes.len(), 5);
    assert!(close(csi.attributes[0].score.value.unwrap(), 700.0 / 9.0));
}

#[test]
fn audit_section_sixty_through_the_pipeline() {
    use AnswerValue::*;
    let mut qs: Vec<Question> = (1..=6)
        .map(|i| q(&format!("i{i}"), QuestionType::YesNo, None))
        .collect();
    qs.push(q("note", QuestionType::ShortText, None));
    let a = one_section("a", QuestionnaireKind::Audit, qs);
    let r = R::new(&a, 0).answers(&[
        ("i1", Yes),
        ("i2", Yes),
        ("i3", Yes),
        ("i4", No),
        ("i5", No),
        ("i6", Na),
        ("note", Text("queue of four".into())),
    ]);
    let rep = all(&[a], &[r]);
    assert_eq!(
        format!("{:.2}", rep.sections[0].score.value.unwrap()),
        "60.00"
    );
    assert_eq!(
        format!("{:.2}", rep.overall.audit.score.value.unwrap()),
        "60.00"
    );
    assert_eq!(rep.weak_spots.len(), 2);
    assert_eq!(rep.weak_spots[0].fail_rate.value, Some(100.0));
}

#[test]
fn built_in_template_scores_as_the_reference() {
    use AnswerValue::*;
    let t = crate::templates::find("tpl-retail-quick", 1).unwrap();
    let r = R::new(&t, 0).answers(&[
        ("q-entrance", Yes),
        ("q-greeting", No),
        ("q-needs", Na),
        ("q-queue", Yes),
        ("q-loyalty", No),
        ("q-farewell", Yes),
    ]);
    let v = all(std::slice::from_ref(&t), std::slice::from_ref(&r))
        .overall
        .audit
        .score
        .value
        .unwrap();
    assert!(close(v, 175.0 / 3.0));
    assert!(close(v, score_audit(&t, &r).visit.unwrap()));
}

#[test]
fn aht_through_the_pipeline() {
    use MetricRole as M;
    let o = one_section(
        "ops",
        QuestionnaireKind::OpsReport,
        vec![
            q("talk", QuestionType::Number, Some(M::TalkTime)),
            q("hold", QuestionType::Number, Some(M::HoldTime)),
            q("acw", QuestionType::Number, Some(M::AfterCallWork)),
            q("handled", QuestionType::Number, Some(M::Handled)),
        ],
    );
    let r = R::new(&o, 0).answers(&[
        ("talk", AnswerValue::Number(5.0)),
        ("hold", AnswerValue::Number(0.5)),
        ("acw", AnswerValue::Number(1.2)),
        ("handled", AnswerValue::Number(120.0)),
    ]);
    let aht = all(&[o], &[r]).overall.ops.aht;
    assert_eq!(format!("{:.2}", aht.value.unwrap()), "6.70");
    assert_eq!(aht.n, 120);
}

// ---- ИНК, ИЭЛ, coverage and the silent-customer coefficient ----

fn loyalty_button() -> (Questionnaire, Questionnaire) {
    use MetricRole as M;
    let s = one_section(
        "lb",
        QuestionnaireKind::Survey,
        vec![
            q("staff", QuestionType::YesNo, Some(M::InkStaff)),
            q("office", QuestionType::YesNo, Some(M::InkOffice)),
            q("product", QuestionType::YesNo, Some(M::InkProduct)),
            q("recommend", QuestionType::YesNo, Some(M::Loyalty)),
        ],
    );
    let o = one_section(
        "ops",
        QuestionnaireKind::OpsReport,
        vec![
            q("visitors", QuestionType::Number, Some(M::Visitors)),
            q("receipts", QuestionType::Number, Some(M::Receipts)),
        ],
    );
    (s, o)
}

#[test]
fn ink_with_visitors_and_k() {
    use AnswerValue::*;
    let (s, o) = loyalty_button();
    let mut rs = Vec::new();
    // Location A: 10 answers, 4 "no" about staff; 110 visitors reported.
    for i in 0..10u128 {
        let v = if i < 4 { No } else { Yes };
        rs.push(
            R::new(&s, i)
                .loc("A")
                .answers(&[("staff", v.clone()), ("recommend", v)]),
        );
    }
    rs.push(
        R::new(&o, 100)
            .loc("A")
            .answers(&[("visitors", Number(110.0)), ("receipts", Number(33.0))]),
    );
    // Location B: no ops report.
    for i in 0..5u128 {
        rs.push(R::new(&s, 200 + i).loc("B").answers(&[("staff", No)]));
    }
    let d = Dataset::build(&[s, o], &rs);
    let f = Filter {
        silent_k: 0.5,
        ..Filter::default()
    };
    let r = compute_all(&d, &f);
    let a = r.by_location.iter().find(|b| b.id == "A").unwrap();
    let ink = a.kpis.ink[0];
    assert!(ink.visitors_known);
    assert_eq!(ink.silent, 100.0);
    assert!(close(ink.kpi.value.unwrap(), 100.0 * 4.0 / (10.0 + 50.0)));
    let b = r.by_location.iter().find(|b| b.id == "B").unwrap();
    assert!(!b.kpis.ink[0].visitors_known);
    assert_eq!(b.kpis.ink[0].kpi.value, Some(100.0));
    // Overall: B's answers have no visitors to subtract from.
    let all_ink = r.overall.ink[0];
    assert_eq!(all_ink.silent, 100.0);
    assert!(close(
        all_ink.kpi.value.unwrap(),
        100.0 * 9.0 / (15.0 + 50.0)
    ));
    // k = 0 is the plain share.
    let plain = compute_all(&d, &Filter::default()).overall.ink[0];
    assert_eq!(plain.kpi.value, Some(60.0));
    // ИЭЛ: 6 yes, 4 no at A.
    assert!(close(a.kpis.loyalty.value.unwrap(), 20.0));
    // Coverage: 10 respondents of 110 visitors at A; conversion 33/110.
    assert!(close(
        a.kpis.ops.coverage.value.unwrap(),
        100.0 * 10.0 / 110.0
    ));
    assert!(close(
        r.overall.ops.coverage.value.unwrap(),
        100.0 * 10.0 / 110.0
    ));
    assert!(close(a.kpis.ops.conversion.value.unwrap(), 30.0));
    assert_eq!(b.kpis.ops.coverage.value, None);
    // Employees have no visitor counts.
    assert!(r.by_employee.is_empty());
}

// ---- complaints, times, medians ----

#[test]
fn complaints_by_category_resolution_and_median_time() {
    use AnswerValue::*;
    use MetricRole as M;
    let mut cat = q(
        "cat",
        QuestionType::SingleChoice,
        Some(M::ComplaintCategory),
    );
    cat.options = ["rude", "slow", "other"]
        .iter()
        .map(|id| ChoiceOption {
            id: id.to_string(),
            label: crate::domain::Text::new(*id, *id),
            points: 0.0,
        })
        .collect();
    let c = one_section(
        "complaint",
        QuestionnaireKind::Complaint,
        vec![
            cat,
            q("resolved", QuestionType::YesNo, Some(M::ComplaintResolved)),
            q("time", QuestionType::Duration, Some(M::ResolutionTime)),
        ],
    );
    let rows = [
        ("rude", Yes, 10.0),
        ("rude", Yes, 20.0),
        ("slow", No, 100.0),
        ("rude", Na, 40.0),
        ("bogus", Yes, 30.0),
    ];
    let rs: Vec<_> = rows
        .iter()
        .enumerate()
        .map(|(i, (k, res, t))| {
            R::new(&c, i as u128).answers(&[
                ("cat", Choice(vec![k.to_string()])),
                ("resolved", res.clone()),
                ("time", Number(*t)),
            ])
        })
        .collect();
    let cm = all(&[c], &rs).overall.complaints;
    assert_eq!(cm.count, 5);
    let cats: Vec<_> = cm
        .by_category
        .iter()
        .map(|c| (c.id.as_str(), c.count))
        .collect();
    assert_eq!(cats, [("rude", 3), ("slow", 1)]);
    assert!(close(cm.resolved.value.unwrap(), 75.0));
    assert_eq!(cm.resolved.n, 4);
    assert_eq!(cm.time_to_resolve.median, Some(30.0));
    assert_eq!(cm.time_to_resolve.mean.value, Some(40.0));
}

#[test]
fn waits_have_means_and_medians_per_group() {
    let s = one_section(
        "w",
        QuestionnaireKind::Survey,
        vec![q("wait", QuestionType::Number, Some(MetricRole::Wait))],
    );
    let rs: Vec<_> = [(1.0, "A"), (2.0, "A"), (9.0, "A"), (4.0, "B"), (6.0, "B")]
        .iter()
        .enumerate()
        .map(|(i, &(w, l))| {
            R::new(&s, i as u128)
                .loc(l)
                .answers(&[("wait", AnswerValue::Number(w))])
        })
        .collect();
    let r = all(&[s], &rs);
    assert_eq!(r.overall.ops.wait.median, Some(4.0));
    assert_eq!(r.overall.ops.wait.mean.value, Some(22.0 / 5.0));
    assert_eq!(r.by_location[0].kpis.ops.wait.median, Some(2.0));
    assert_eq!(r.by_location[1].kpis.ops.wait.median, Some(5.0));
    assert_eq!(r.by_location[1].kpis.ops.wait.mean.n, 2);
}

// ---- versions, filters, buckets, comparison ----

fn audit_v(version: u32, weight: f64) -> Questionnaire {
    let mut knowledge = q("knowledge", QuestionType::YesNo, None);
    knowledge.weight = weight;
    qnr(
        "audit",
        version,
        QuestionnaireKind::Audit,
        vec![section(
            "s",
            1.0,
            CriticalRule::ZeroSection,
            vec![q("greeting", QuestionType::YesNo, None), knowledge],
        )],
    )
}

#[test]
fn versions_group_by_stable_ids() {
    use AnswerValue::*;
    let (v1, v2) = (audit_v(1, 1.0), audit_v(2, 3.0));
    let rs = vec![
        R::new(&v1, 0).answers(&[("greeting", No), ("knowledge", Yes)]),
        R::new(&v2, 1).answers(&[("greeting", No), ("knowledge", Yes)]),
    ];
    let r = all(&[v1, v2], &rs);
    // v1 scores 50, v2 scores 75: the version's own weights apply.
    assert!(close(r.overall.audit.score.value.unwrap(), 62.5));
    assert_eq!(r.by_questionnaire.len(), 1);
    assert_eq!(r.sections.len(), 1);
    assert_eq!(r.weak_spots.len(), 1);
    assert_eq!(r.weak_spots[0].question_id, "greeting");
    assert_eq!(r.weak_spots[0].failed, 2);
}

#[test]
fn drafts_and_unknown_versions_are_left_out() {
    let a = audit_v(1, 1.0);
    let mut draft = R::new(&a, 0).answers(&[("greeting", AnswerValue::Yes)]);
    draft.status = ResponseStatus::Draft;
    let mut unknown = R::new(&a, 1).answers(&[("greeting", AnswerValue::Yes)]);
    unknown.questionnaire_version = 9;
    let ok = R::new(&a, 2).answers(&[("greeting", AnswerValue::Yes), ("bogus", AnswerValue::Yes)]);
    let d = Dataset::build(std::slice::from_ref(&a), &[draft, unknown, ok]);
    assert_eq!(d.len(), 1);
    assert_eq!(d.stats.drafts_skipped, 1);
    assert_eq!(d.stats.unknown_questionnaire, 1);
    assert_eq!(d.stats.answers_kept, 1);
    assert_eq!(d.stats.answers_dropped, 1);
}

#[test]
fn a_submitted_correction_replaces_its_original_and_keeps_the_visit_date() {
    let a = audit_v(1, 1.0);
    let original = R::new(&a, 0)
        .at(1_000)
        .answers(&[("greeting", AnswerValue::No)]);
    let mut fixed = original
        .amend(
            Uuid::from_u128(99),
            &original.device_id,
            Timestamp::new(500_000, 180),
        )
        .unwrap();
    fixed.set_answer("greeting", AnswerValue::Yes, Timestamp::new(500_001, 180));
    // A correction still in draft changes nothing.
    let before = all(std::slice::from_ref(&a), &[original.clone(), fixed.clone()]);
    assert_eq!(before.overall.audit.score.n, 1);
    assert!(close(before.overall.audit.score.value.unwrap(), 0.0));

    fixed.submit(Timestamp::new(500_002, 180));
    let d = Dataset::build(std::slice::from_ref(&a), &[original.clone(), fixed.clone()]);
    assert_eq!((d.len(), d.stats.superseded_skipped), (1, 1));
    let after = compute_all(&d, &Filter::default());
    assert_eq!(after.overall.audit.score.n, 1);
    assert!(close(after.overall.audit.score.value.unwrap(), 100.0));
    // Dated by the visit, not by when the correction was made.
    assert_eq!(d.row_time[0], original.occurred_at().utc_ms);
    assert_eq!(fixed.occurred_at(), original.occurred_at());
}

#[test]
fn an_entered_visit_time_dates_the_response() {
    let a = audit_v(1, 1.0);
    let mut r = R::new(&a, 0)
        .at(9_000)
        .answers(&[("greeting", AnswerValue::Yes)]);
    r.visited_at = Some(Timestamp::new(4_000, 180));
    let d = Dataset::build(std::slice::from_ref(&a), std::slice::from_ref(&r));
    assert_eq!(d.row_time[0], 4_000);
}

#[test]
fn filters_buckets_and_previous_period() {
    use AnswerValue::*;
    let a = audit_v(1, 1.0);
    let days = |d: i64| T0 + d * DAY_MS + 12 * 3_600_000;
    let rs = vec![
        // Previous week.
        R::new(&a, 0)
            .at(days(-7))
            .loc("A")
            .emp(&["ann"])
            .answers(&[("greeting", No), ("knowledge", No)]),
        // This week: Monday, Monday, Wednesday.
        R::new(&a, 1)
            .at(days(0))
            .loc("A")
            .emp(&["ann"])
            .answers(&[("greeting", Yes), ("knowledge", Yes)]),
        R::new(&a, 2)
            .at(days(0) + 1)
            .loc("B")
            .emp(&["bob", "ann"])
            .answers(&[("greeting", Yes), ("knowledge", No)]),
        R::new(&a, 3)
            .at(days(2))
            .loc("B")
            .emp(&["bob"])
            .answers(&[("greeting", No), ("knowledge", No)]),
    ];
    let d = Dataset::build(std::slice::from_ref(&a), &rs);
    let date = |y, m, d| LocalDate::new(y, m, d).unwrap();
    let week = Period::local_days(date(2026, 3, 2), date(2026, 3, 8), 0);
    let f = Filter {
        period: Some(week),
        ..Filter::default()
    };
    let r = compute_all(&d, &f);
    assert_eq!(r.overall.audit.score.n, 3);
    assert!(close(r.overall.audit.score.value.unwrap(), 50.0));
    let prev = r.previous.as_ref().unwrap();
    assert_eq!(
        prev.period,
        Period::local_days(date(2026, 2, 23), date(2026, 3, 1), 0)
    );
    assert_eq!(prev.kpis.audit.score.value, Some(0.0));
    assert_eq!(
        r.overall.audit.score.delta(&prev.kpis.audit.score),
        Some(50.0)
    );
    // Seven day buckets, empty ones included.
    assert_eq!(r.trend.len(), 7);
    assert_eq!(r.trend[0].bucket.label, "2026-03-02");
    assert_eq!(r.trend[0].kpis.audit.score.n, 2);
    assert_eq!(r.trend[1].kpis.responses, 0);
    assert_eq!(r.trend[2].kpis.audit.score.value, Some(0.0));
    // Employees: a visit with two employees counts for both.
    let ids: Vec<_> = r
        .by_employee
        .iter()
        .map(|b| (b.id.as_str(), b.kpis.responses))
        .collect();
    assert_eq!(ids, [("ann", 2), ("bob", 2)]);
    // Location and employee filters.
    let only_b = compute_all(
        &d,
        &Filter {
            locations: vec!["B".into()],
            ..f.clone()
        },
    );
    assert_eq!(only_b.overall.responses, 2);
    assert_eq!(only_b.by_location.len(), 1);
    let only_ann = compute_all(
        &d,
        &Filter {
            employees: vec!["ann".into()],
            ..f.clone()
        },
    );
    assert_eq!(only_ann.overall.responses, 2);
    assert_eq!(only_ann.by_employee.len(), 1);
    let none = compute_all(
        &d,
        &Filter {
            questionnaires: vec!["other".into()],
            ..f.clone()
        },
    );
    assert_eq!(none.overall.responses, 0);
    assert_eq!(none.overall.audit.score.value, None);
    // Week and month buckets in the user's offset.
    let r = compute_all(
        &d,
        &Filter {
            bucket: Bucket::IsoWeek,
            period: None,
            utc_offset_min: 180,
            ..f.clone()
        },
    );
    let labels: Vec<_> = r
        .trend
        .iter()
        .map(|p| (p.bucket.label.as_str(), p.kpis.responses))
        .collect();
    assert_eq!(labels, [("2026-W09", 1), ("2026-W10", 3)]);
    let r = compute_all(
        &d,
        &Filter {
            bucket: Bucket::Month,
            period: None,
            ..f
        },
    );
    let labels: Vec<_> = r
        .trend
        .iter()
        .map(|p| (p.bucket.label.as_str(), p.kpis.responses))
        .collect();
    assert_eq!(labels, [("2026-02", 1), ("2026-03", 3)]);
    assert_eq!(days_from_civil(2026, 3, 2) * DAY_MS, T0);
}

#[test]
fn rankings_need_enough_observations() {
    use AnswerValue::*;
    let a = audit_v(1, 1.0);
    let mut rs = Vec::new();
    for i in 0..6u128 {
        rs.push(
            R::new(&a, i)
                .emp(&["ann"])
                .answers(&[("greeting", Yes), ("knowledge", No)]),
        );
    }
    rs.push(
        R::new(&a, 10)
            .emp(&["bob"])
            .answers(&[("greeting", Yes), ("knowledge", Yes)]),
    );
    let r = all(std::slice::from_ref(&a), &rs);
    let e = &r.rankings.employees_by_audit;
    assert_eq!((e[0].id.as_str(), e[0].rank), ("ann", Some(1)));
    assert_eq!((e[1].id.as_str(), e[1].rank), ("bob", None));
    assert_eq!(e[1].kpi.n, 1);
    assert_eq!(r.rankings.locations_by_audit[0].rank, Some(1));
}

#[test]
fn hidden_answers_count_nowhere() {
    use AnswerValue::*;
    let mut why = q("why", QuestionType::YesNo, Some(MetricRole::InkStaff));
    why.visible_if = Some(Condition::compare("rude", CompareOp::Eq, No));
    why.critical = true;
    let a = one_section(
        "a",
        QuestionnaireKind::Audit,
        vec![q("rude", QuestionType::YesNo, None), why],
    );
    let stale = R::new(&a, 0).answers(&[("rude", Yes), ("why", No)]);
    let shown = R::new(&a, 1).answers(&[("rude", No), ("why", No)]);
    let r = all(std::slice::from_ref(&a), std::slice::from_ref(&stale));
    assert_eq!(r.overall.audit.score.value, Some(100.0));
    assert_eq!(r.overall.ink[0].answered, 0);
    assert_eq!(score_audit(&a, &stale).visit, Some(100.0));
    let r = all(std::slice::from_ref(&a), &[shown]);
    assert_eq!(r.overall.audit.score.value, Some(0.0));
    assert_eq!(r.overall.ink[0].answered, 1);
}

/// A role the engine cannot read on its question type would silently leave
/// a KPI empty: every role in the built-in templates must take effect.
#[test]
fn built_in_templates_feed_their_kpis() {
    let defs = crate::templates::built_in();
    let d = Dataset::build(&defs, &[]);
    let mut roles = 0;
    for (qn, slot_range) in defs.iter().scan(0usize, |at, q| {
        let n = q.questions().count();
        *at += n;
        Some((q, *at - n..*at))
    }) {
        for (question, slot) in qn.questions().zip(&d.slots[slot_range]) {
            if question.metric.is_some() {
                roles += 1;
                assert_ne!(
                    slot.op,
                    dataset::Op::None,
                    "{} {}: {:?}",
                    qn.id,
                    question.id,
                    question.metric
                );
            }
        }
    }
    assert!(roles >= 20, "{roles}");
}

#[test]
fn metric_role_json() {
    let mut x = q("n", QuestionType::Nps, Some(MetricRole::Nps));
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(json["metric"], "nps");
    x.metric = Some(MetricRole::CsiAttribute { importance: 7.0 });
    let json = serde_json::to_value(&x).unwrap();
    assert_eq!(
        json["metric"],
        serde_json::json!({"csi_attribute": {"importance": 7.0}})
    );
    assert_eq!(serde_json::from_value::<Question>(json).unwrap(), x);
    x.metric = None;
    let json = serde_json::to_value(&x).unwrap();
    assert!(json.get("metric").is_none());
    assert_eq!(serde_json::from_value::<Question>(json).unwrap(), x);
}

#[test]
fn synthetic_full_pass_has_every_kpi() {
    let d = synthetic::generate(3_000, 42);
    let r = compute_all(
        &d,
        &Filter {
            bucket: Bucket::Month,
            silent_k: 0.3,
            ..Filter::default()
        },
    );
    let o = &r.overall;
    assert_eq!(o.responses, 3_000);
    for k in [
        o.audit.score,
        o.nps.kpi,
        o.csat,
        o.csi.kpi,
        o.ces.mean,
        o.ink[0].kpi,
        o.loyalty,
        o.ops.coverage,
        o.ops.conversion,
        o.ops.service_level,
        o.ops.abandon_rate,
        o.ops.aht,
        o.ops.wait.mean,
        o.ops.first_response.mean,
        o.ops.resolution.mean,
        o.complaints.resolved,
        o.complaints.time_to_resolve.mean,
    ] {
        assert!(k.value.is_some(), "{k:?}");
    }
    assert!(o.ink[0].visitors_known && o.ink[0].silent > 0.0);
    assert_eq!(r.trend.len(), 12);
    assert_eq!(r.by_location.len(), synthetic::LOCATIONS);
    assert_eq!(r.sections.len(), 4);
    assert!(!r.weak_spots.is_empty() && !r.weak_spots_by_location.is_empty());
    assert!(r
        .rankings
        .employees_by_audit
        .iter()
        .any(|e| e.rank.is_some()));
    assert_eq!(o.csi.attributes.len(), 4);
    assert_eq!(o.complaints.by_category.len(), 7);
    check_ranges(&r);
}

#[test]
fn medians_per_group_match_a_naive_count() {
    let defs = synthetic::questionnaires();
    let rs: Vec<Response> = synthetic::responses(2_000, 9).collect();
    let r = compute_all(
        &Dataset::build(&defs, &rs),
        &Filter {
            bucket: Bucket::Month,
            utc_offset_min: 180,
            ..Filter::default()
        },
    );
    let naive = |keep: &dyn Fn(&Response) -> bool| {
        let mut v: Vec<f32> = rs
            .iter()
            .filter(|r| keep(r))
            .filter_map(|r| {
                match r
                    .answers
                    .get("a-wait")
                    .or_else(|| r.answers.get("s-wait"))
                    .or_else(|| r.answers.get("o-wait"))
                {
                    Some(Answer {
                        value: AnswerValue::Number(x),
                        ..
                    }) => Some(*x as f32),
                    _ => None,
                }
            })
            .collect();
        stats::median_in_place(&mut v)
    };
    assert_eq!(r.overall.ops.wait.median, naive(&|_| true));
    for b in &r.by_location {
        assert_eq!(
            b.kpis.ops.wait.median,
            naive(&|x| x.location_id == b.id),
            "{}",
            b.id
        );
    }
    for b in &r.by_employee {
        assert_eq!(
            b.kpis.ops.wait.median,
            naive(&|x| x.employee_ids.contains(&b.id)),
            "{}",
            b.id
        );
    }
    for b in &r.by_questionnaire {
        assert_eq!(
            b.kpis.ops.wait.median,
            naive(&|x| x.questionnaire_id == b.id),
            "{}",
            b.id
        );
    }
    for p in &r.trend {
        let inside = |x: &Response| {
            let t = x.submitted_at.unwrap().utc_ms;
            p.bucket.start_ms <= t && t < p.bucket.end_ms
        };
        assert_eq!(p.kpis.ops.wait.median, naive(&inside), "{}", p.bucket.label);
    }
}

// ---- properties ----

fn check_kpi(k: &Kpi, lo: f64, hi: f64, what: &str) {
    assert_eq!(k.small_sample, k.n < 30, "{what}");
    if let Some(v) = k.value {
        assert!(
            v.is_finite() && lo - 1e-9 <= v && v <= hi + 1e-9,
            "{what}: {v}"
        );
    }
    if let Some(i) = k.ci {
        assert!(
            lo - 1e-9 <= i.lo && i.lo <= i.hi && i.hi <= hi + 1e-9,
            "{what}: {i:?}"
        );
    }
}

fn check_set(s: &KpiSet) {
    let inf = f64::INFINITY;
    check_kpi(&s.audit.score, 0.0, 100.0, "audit");
    check_kpi(&s.audit.critical_failures, 0.0, 100.0, "critical");
    check_kpi(&s.nps.kpi, -100.0, 100.0, "nps");
    check_kpi(&s.csat, 0.0, 100.0, "csat");
    check_kpi(&s.csi.kpi, 0.0, 100.0, "csi");
    for a in &s.csi.attributes {
        check_kpi(&a.score, 0.0, 100.0, "csi attribute");
    }
    check_kpi(&s.ces.mean, 1.0, 7.0, "ces");
    check_kpi(&s.ces.high_share, 0.0, 100.0, "ces share");
    for i in &s.ink {
        check_kpi(&i.kpi, 0.0, 100.0, "ink");
    }
    check_kpi(&s.loyalty, -100.0, 100.0, "iel");
    for k in [
        &s.ops.coverage,
        &s.ops.conversion,
        &s.ops.service_level,
        &s.ops.abandon_rate,
    ] {
        check_kpi(k, 0.0, 100.0, "ops share");
    }
    check_kpi(&s.ops.aht, 0.0, inf, "aht");
    for t in [
        &s.ops.wait,
        &s.ops.first_response,
        &s.ops.resolution,
        &s.complaints.time_to_resolve,
    ] {
        check_kpi(&t.mean, 0.0, inf, "time");
        assert!(t.median.is_none_or(|m| m >= 0.0));
    }
    check_kpi(&s.complaints.resolved, 0.0, 100.0, "resolved");
}

fn check_ranges(r: &Report) {
    check_set(&r.overall);
    for b in r
        .by_location
        .iter()
        .chain(&r.by_employee)
        .chain(&r.by_questionnaire)
    {
        check_set(&b.kpis);
    }
    for t in &r.trend {
        check_set(&t.kpis);
    }
    if let Some(p) = &r.previous {
        check_set(&p.kpis);
    }
    for s in &r.sections {
        check_kpi(&s.score, 0.0, 100.0, "section");
    }
    for w in r
        .weak_spots
        .iter()
        .chain(r.weak_spots_by_location.iter().flat_map(|l| &l.items))
    {
        check_kpi(&w.fail_rate, 0.0, 100.0, "weak spot");
    }
}

/// The synthetic questionnaires with random weights: item weights, section
/// weights and CSI importances.
fn weighted_questionnaires(weights: &[u8]) -> Vec<Questionnaire> {
    let mut w = weights
        .iter()
        .cycle()
        .map(|&x| f64::from(x % 9) * 0.5 + 0.25);
    let mut qs = synthetic::questionnaires();
    for qn in &mut qs {
        for s in &mut qn.sections {
            s.weight = w.next().unwrap();
            for q in &mut s.questions {
                q.weight = w.next().unwrap();
                if let Some(MetricRole::CsiAttribute { importance }) = &mut q.metric {
                    *importance = w.next().unwrap();
                }
            }
        }
    }
    qs
}

/// One generated response: questionnaire, location, employee, minutes
/// after T0, and a code per question choosing its answer, including N/A,
/// malformed and missing ones.
type Spec = (usize, u8, u8, u32, Vec<u16>);

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..5usize,
        0..4u8,
        0..6u8,
        0..(60 * 24 * 60u32),
        prop::collection::vec(any::<u16>(), 15),
    )
}

fn answer_for(q: &Question, code: u16) -> Option<AnswerValue> {
    use AnswerValue as A;
    let c = code as usize;
    if c.is_multiple_of(11) {
        return None;
    }
    if c % 11 == 1 {
        return Some(A::Na);
    }
    let v = c / 11;
    Some(match q.qtype {
        QuestionType::YesNo => {
            if v.is_multiple_of(2) {
                A::Yes
            } else {
                A::No
            }
        }
        QuestionType::Nps | QuestionType::Ces | QuestionType::Scale5 | QuestionType::Scale10 => {
            A::Scale((v % 13) as u8)
        }
        QuestionType::Number | QuestionType::Duration => A::Number(v as f64 - 20.0),
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            match q.options.get(v % (q.options.len() + 1)) {
                Some(o) => A::Choice(vec![o.id.clone()]),
                None => A::Choice(vec!["unknown".into()]),
            }
        }
        _ => A::Text("x".into()),
    })
}

fn make(qs: &[Questionnaire], i: usize, s: &Spec) -> Response {
    let (qi, loc, emp, minutes, codes) = s;
    let qn = &qs[*qi % qs.len()];
    let at = Timestamp::new(T0 + i64::from(*minutes) * 60_000, 180);
    let mut answers = BTreeMap::new();
    for (q, &code) in qn.questions().zip(codes.iter().cycle()) {
        if let Some(value) = answer_for(q, code) {
            answers.insert(
                q.id.clone(),
                Answer {
                    value,
                    comment: String::new(),
                    answered_at: at,
                },
            );
        }
    }
    let employee_ids = match emp {
        0 => vec![],
        1 => vec!["e1".into(), "e2".into()],
        e => vec![format!("e{e}")],
    };
    Response {
        visited_at: None,
        employee_note: String::new(),
        supersedes: None,
        id: Uuid::from_u128(i as u128 + 1),
        questionnaire_id: qn.id.clone(),
        questionnaire_version: qn.version,
        location_id: format!("L{loc}"),
        employee_ids,
        device_id: "d".into(),
        started_at: at,
        updated_at: at,
        submitted_at: Some(at),
        status: ResponseStatus::Submitted,
        answers,
    }
}

fn make_all(qs: &[Questionnaire], specs: &[Spec]) -> Vec<Response> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| make(qs, i, s))
        .collect()
}

fn filter_for(k: f64, bucket: u8) -> Filter {
    Filter {
        period: Some(Period::new(T0 + 10 * DAY_MS, T0 + 40 * DAY_MS)),
        bucket: [Bucket::Day, Bucket::IsoWeek, Bucket::Month][bucket as usize % 3],
        silent_k: k,
        min_rank_n: 2,
        ..Filter::default()
    }
}

/// Every value a weight could move, for comparing up to rounding.
fn weighted_figures(r: &Report) -> Vec<Option<f64>> {
    let mut v = Vec::new();
    let mut set = |s: &KpiSet| {
        v.push(s.audit.score.value);
        v.push(s.csi.kpi.value);
        v.extend(s.csi.attributes.iter().map(|a| a.score.value));
    };
    set(&r.overall);
    for b in r
        .by_location
        .iter()
        .chain(&r.by_employee)
        .chain(&r.by_questionnaire)
    {
        set(&b.kpis);
    }
    for t in &r.trend {
        set(&t.kpis);
    }
    if let Some(p) = &r.previous {
        set(&p.kpis);
    }
    v.extend(r.sections.iter().map(|s| s.score.value));
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn every_score_within_its_range(
        weights in prop::collection::vec(any::<u8>(), 8),
        specs in prop::collection::vec(spec(), 0..80),
        k in 0.0..=1.0f64,
        bucket in 0..3u8,
    ) {
        let qs = weighted_questionnaires(&weights);
        let d = Dataset::build(&qs, &make_all(&qs, &specs));
        let r = compute_all(&d, &filter_for(k, bucket));
        check_ranges(&r);
        check_ranges(&compute_all(&d, &Filter { silent_k: k, ..Filter::default() }));
    }

    #[test]
    fn na_answers_change_nothing(
        specs in prop::collection::vec(spec(), 0..60),
        k in 0.0..=1.0f64,
    ) {
        let qs = synthetic::questionnaires();
        let rs = make_all(&qs, &specs);
        let mut with_na = rs.clone();
        for r in &mut with_na {
            let qn = qs.iter().find(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version).unwrap();
            for q in qn.questions() {
                r.answers.entry(q.id.clone()).or_insert(Answer {
                    value: AnswerValue::Na,
                    comment: String::new(),
                    answered_at: r.started_at,
                });
            }
        }
        let f = filter_for(k, 0);
        let a = compute_all(&Dataset::build(&qs, &rs), &f);
        let b = compute_all(&Dataset::build(&qs, &with_na), &f);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn order_of_responses_changes_nothing(
        specs in prop::collection::vec(spec(), 0..60),
        seed in any::<u64>(),
        bucket in 0..3u8,
    ) {
        let qs = synthetic::questionnaires();
        let rs = make_all(&qs, &specs);
        let mut shuffled = rs.clone();
        let mut rng = synthetic::Rng::new(seed);
        for i in (1..shuffled.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            shuffled.swap(i, j);
        }
        let f = filter_for(0.4, bucket);
        let a = compute_all(&Dataset::build(&qs, &rs), &f);
        let b = compute_all(&Dataset::build(&qs, &shuffled), &f);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn scaling_every_weight_changes_nothing(
        weights in prop::collection::vec(any::<u8>(), 8),
        specs in prop::collection::vec(spec(), 0..60),
        factor in prop::sample::select(vec![0.001, 0.3, 2.0, 7.0, 1000.0]),
    ) {
        let qs = weighted_questionnaires(&weights);
        let mut scaled = qs.clone();
        for qn in &mut scaled {
            for s in &mut qn.sections {
                s.weight *= factor;
                for q in &mut s.questions {
                    q.weight *= factor;
                    if let Some(MetricRole::CsiAttribute { importance }) = &mut q.metric {
                        *importance *= factor;
                    }
                }
            }
        }
        let f = filter_for(0.0, 1);
        let a = weighted_figures(&compute_all(&Dataset::build(&qs, &make_all(&qs, &specs)), &f));
        let b = weighted_figures(&compute_all(&Dataset::build(&scaled, &make_all(&scaled, &specs)), &f));
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            match (x, y) {
                (Some(x), Some(y)) => prop_assert!(close(*x, *y), "{} vs {}", x, y),
                _ => prop_assert_eq!(x, y),
            }
        }
    }

    /// The columnar pass and `score_audit` agree on random audits: random
    /// weights, critical items and rules, scales and choices, N/A, and
    /// items shown only after a "no".
    #[test]
    fn columnar_audit_matches_score_audit(
        shape in prop::collection::vec(
            (1u8..20, any::<bool>(), prop::collection::vec((0u8..5, 1u8..20, 0u8..4, any::<u16>(), any::<bool>()), 1..6)),
            1..5,
        ),
    ) {
        let types = [QuestionType::YesNo, QuestionType::Scale5, QuestionType::Scale10, QuestionType::SingleChoice, QuestionType::ShortText];
        let mut sections = Vec::new();
        let mut answers = Vec::new();
        for (si, (sw, zero_visit, qs)) in shape.iter().enumerate() {
            let mut questions = Vec::new();
            for (qi, &(t, w, crit, code, conditional)) in qs.iter().enumerate() {
                let mut qq = q(&format!("q{si}-{qi}"), types[t as usize], None);
                if conditional && qi > 0 {
                    qq.visible_if = Some(Condition::compare(format!("q{si}-{}", qi - 1), CompareOp::Eq, AnswerValue::No));
                }
                qq.weight = f64::from(w) / 4.0;
                qq.critical = crit == 0;
                if qq.qtype == QuestionType::SingleChoice {
                    qq.options = [("a", 3.0), ("b", 1.0), ("c", 0.0)]
                        .iter()
                        .map(|&(id, points)| ChoiceOption { id: id.into(), label: Text::default(), points })
                        .collect();
                }
                if let Some(v) = answer_for(&qq, code) {
                    answers.push((qq.id.clone(), v));
                }
                questions.push(qq);
            }
            let rule = if *zero_visit { CriticalRule::ZeroVisit } else { CriticalRule::ZeroSection };
            sections.push(section(&format!("s{si}"), f64::from(*sw) / 3.0, rule, questions));
        }
        let a = qnr("a", 1, QuestionnaireKind::Audit, sections);
        let refs: Vec<(&str, AnswerValue)> = answers.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let r = R::new(&a, 0).answers(&refs);
        let reference = score_audit(&a, &r);
        let rep = all(std::slice::from_ref(&a), std::slice::from_ref(&r));
        match (reference.visit, rep.overall.audit.score.value) {
            (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-5, "{} vs {}", x, y),
            (x, y) => prop_assert_eq!(x, y),
        }
        let expected: Vec<(String, f64)> = reference
            .sections
            .iter()
            .filter_map(|s| Some((s.section_id.clone(), s.score?)))
            .collect();
        let got: Vec<(String, f64)> = rep
            .sections
            .iter()
            .map(|s| (s.section_id.clone(), s.score.value.unwrap()))
            .collect();
        prop_assert_eq!(expected.len(), got.len());
        for ((e_id, e), (g_id, g)) in expected.iter().zip(&got) {
            prop_assert_eq!(e_id, g_id);
            prop_assert!((e - g).abs() < 1e-5);
        }
        prop_assert_eq!(rep.overall.audit.critical_failures.value.map(|v| v > 0.0),
            reference.visit.map(|_| reference.sections.iter().any(|s| s.critical_failed)));
        let failed = reference.failed_items().count() as u64;
        prop_assert_eq!(rep.weak_spots.iter().map(|w| w.failed).sum::<u64>(), failed);
    }

    #[test]
    fn all_na_section_drops_out(
        specs in prop::collection::vec(spec(), 1..40),
        extra_weight in 1u8..50,
    ) {
        let base = synthetic::questionnaires();
        let mut extended = base.clone();
        for qn in extended.iter_mut().filter(|q| q.kind == QuestionnaireKind::Audit) {
            qn.sections.push(section(
                "s-extra",
                f64::from(extra_weight),
                CriticalRule::ZeroVisit,
                vec![
                    { let mut x = q("x-critical", QuestionType::YesNo, None); x.critical = true; x },
                    q("x-scale", QuestionType::Scale5, None),
                ],
            ));
        }
        let rs = make_all(&base, &specs);
        let mut with_section = rs.clone();
        for r in with_section.iter_mut().filter(|r| r.questionnaire_id == "syn-audit") {
            for id in ["x-critical", "x-scale"] {
                r.answers.insert(id.into(), Answer { value: AnswerValue::Na, comment: String::new(), answered_at: r.started_at });
            }
        }
        let f = filter_for(0.0, 2);
        let a = compute_all(&Dataset::build(&base, &rs), &f);
        let b = compute_all(&Dataset::build(&extended, &with_section), &f);
        prop_assert_eq!(weighted_figures(&a), weighted_figures(&b));
        for (r, q) in rs.iter().zip(&with_section).filter(|(r, _)| r.questionnaire_id == "syn-audit") {
            let qa = base.iter().find(|x| x.id == r.questionnaire_id && x.version == r.questionnaire_version).unwrap();
            let qb = extended.iter().find(|x| x.id == q.questionnaire_id && x.version == q.questionnaire_version).unwrap();
            prop_assert_eq!(score_audit(qa, r).visit, score_audit(qb, q).visit);
        }
    }
}

/// The dashboard's latest-responses list reads `first_sources`: it must
/// name exactly the responses the pass counts, by their position in the
/// sequence given, in order, whatever that order and whatever ingest left
/// out. And the record-side rule (`Filter::admits`, which the export and
/// the drill-down apply to stored responses) selects those same responses.
#[test]
fn first_sources_are_the_counted_responses_in_the_order_given() {
    let qs = synthetic::questionnaires();
    let mut rs: Vec<Response> = synthetic::responses(4000, 11).collect();
    // Newest first, as the dashboard keeps them, with what ingest skips.
    rs.reverse();
    rs[3].status = ResponseStatus::Draft;
    rs[8].questionnaire_version = 99;
    // An empty employee id is no employee, and an empty location id is a
    // location like any other.
    rs[5].employee_ids = vec![String::new()];
    rs[6].employee_ids.push(String::new());
    rs[7].location_id = String::new();
    let d = Dataset::build(&qs, &rs);
    let known = |r: &Response| {
        qs.iter()
            .any(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version)
    };
    let mid = synthetic::START_MS + synthetic::SPAN_MS / 3;
    let filters = [
        Filter::default(),
        Filter {
            period: Some(Period::new(mid, mid + 40 * DAY_MS)),
            ..Filter::default()
        },
        Filter {
            employees: vec![String::new()],
            ..Filter::default()
        },
        Filter {
            employees: vec![String::new(), rs[6].employee_ids[0].clone()],
            locations: vec![String::new(), rs[6].location_id.clone()],
            ..Filter::default()
        },
        Filter {
            locations: vec![synthetic::location_id(3), synthetic::location_id(17)],
            ..Filter::default()
        },
        Filter {
            period: Some(Period::new(mid, mid + 200 * DAY_MS)),
            employees: vec![synthetic::employee_id(5, 1), synthetic::employee_id(5, 2)],
            ..Filter::default()
        },
        Filter {
            questionnaires: vec![qs[0].id.clone()],
            locations: vec![synthetic::location_id(0), "nowhere".into()],
            ..Filter::default()
        },
        Filter {
            employees: vec!["nobody".into()],
            ..Filter::default()
        },
    ];
    for f in &filters {
        let all: Vec<u32> = (0u32..)
            .zip(&rs)
            .filter(|(_, r)| f.admits(r) && known(r))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(first_sources(&d, f, usize::MAX), all, "{f:?}");
        assert_eq!(all.len() as u64, compute_all(&d, f).overall.responses);
        let n = all.len().min(50);
        assert_eq!(first_sources(&d, f, 50), all[..n], "{f:?}");
    }
}
