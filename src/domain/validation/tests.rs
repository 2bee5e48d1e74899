use super::rules::is_choice;
use super::*;
use crate::domain::condition::{CompareOp, Condition};
use crate::domain::questionnaire::{
    ChoiceOption, CriticalRule, MetricRole, Question, QuestionType, Questionnaire,
    QuestionnaireKind, Section, Text, VersionStatus,
};
use crate::domain::response::AnswerValue;
use crate::i18n::Lang;
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
        public_title: Text::default(),
        public_intro: Text::default(),
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
