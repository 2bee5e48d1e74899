//! Random valid questionnaires for property tests: every question type,
//! options, metric roles that fit their type, and visibility conditions that
//! only point backward with values of the right type.
//!
//! Numbers are multiples of ¼ or ½: they print and parse back exactly, so a
//! round trip through JSON compares equal without depending on the JSON
//! parser's float precision.

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use super::condition::{CompareOp, Condition};
use super::questionnaire::{
    ChoiceOption, CriticalRule, MetricRole, Question, QuestionType, Questionnaire,
    QuestionnaireKind, Section, Text, VersionStatus,
};
use super::response::AnswerValue;
use super::validation::earns_points;

/// The shape of a condition before its targets are known: indices and
/// selectors are reduced modulo what the earlier questions offer.
#[derive(Debug, Clone)]
enum Seed {
    Leaf { target: usize, op: u8, value: u32 },
    All(Vec<Seed>),
    Any(Vec<Seed>),
}

#[derive(Debug, Clone)]
struct QuestionSpec {
    qtype: QuestionType,
    text: Text,
    help: Text,
    /// required, critical, N/A, comment, photo.
    flags: [bool; 5],
    weight: f64,
    options: Vec<(Text, u8)>,
    metric: Option<u8>,
    condition: Option<Seed>,
}

fn label() -> impl Strategy<Value = String> {
    "[a-zA-Zа-яА-ЯёЁ0-9«\"\\\\][a-zа-яё0-9 .,:?!«»\"\\\\–]{0,15}"
}

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![
        (label(), label()).prop_map(|(ru, en)| Text { ru, en }),
        label().prop_map(|ru| Text {
            ru,
            en: String::new()
        }),
    ]
}

fn maybe_text() -> impl Strategy<Value = Text> {
    prop_oneof![Just(Text::default()), text()]
}

fn weight() -> impl Strategy<Value = f64> {
    (1u32..=40).prop_map(|k| f64::from(k) * 0.25)
}

fn seed() -> impl Strategy<Value = Seed> {
    let leaf = (any::<usize>(), any::<u8>(), any::<u32>())
        .prop_map(|(target, op, value)| Seed::Leaf { target, op, value });
    // Mostly single comparisons, as people write them; some and/or trees.
    let tree = leaf.clone().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 1..3).prop_map(Seed::All),
            vec(inner, 1..3).prop_map(Seed::Any),
        ]
    });
    prop_oneof![2 => leaf, 1 => tree]
}

fn question_spec() -> impl Strategy<Value = QuestionSpec> {
    (
        proptest::sample::select(QuestionType::ALL.to_vec()),
        text(),
        maybe_text(),
        any::<[bool; 5]>(),
        weight(),
        vec((text(), 0u8..=8), 1..4),
        option::of(any::<u8>()),
        option::weighted(0.4, seed()),
    )
        .prop_map(
            |(qtype, text, help, flags, weight, options, metric, condition)| QuestionSpec {
                qtype,
                text,
                help,
                flags,
                weight,
                options,
                metric,
                condition,
            },
        )
}

fn section_spec() -> impl Strategy<Value = (Text, f64, bool, Vec<QuestionSpec>)> {
    (text(), weight(), any::<bool>(), vec(question_spec(), 1..5))
}

pub fn valid_questionnaire() -> impl Strategy<Value = Questionnaire> {
    (
        "[a-z][a-z0-9-]{0,12}",
        1u32..1000,
        proptest::sample::select(vec![
            QuestionnaireKind::Audit,
            QuestionnaireKind::Survey,
            QuestionnaireKind::Complaint,
            QuestionnaireKind::OpsReport,
        ]),
        any::<bool>(),
        text(),
        maybe_text(),
        vec(section_spec(), 1..4),
    )
        .prop_map(
            |(id, version, kind, published, title, description, sections)| {
                build(id, version, kind, published, title, description, sections)
            },
        )
}

#[allow(clippy::type_complexity)]
fn build(
    id: String,
    version: u32,
    kind: QuestionnaireKind,
    published: bool,
    title: Text,
    description: Text,
    specs: Vec<(Text, f64, bool, Vec<QuestionSpec>)>,
) -> Questionnaire {
    let mut earlier: Vec<Question> = Vec::new();
    let mut sections = Vec::new();
    for (s, (title, weight, zero_visit, questions)) in specs.into_iter().enumerate() {
        let mut built = Vec::new();
        for (j, spec) in questions.into_iter().enumerate() {
            let q = question(format!("q{s}-{j}"), spec, kind, &earlier);
            earlier.push(q.clone());
            built.push(q);
        }
        sections.push(Section {
            id: format!("s{s}"),
            title,
            weight,
            critical_rule: if zero_visit {
                CriticalRule::ZeroVisit
            } else {
                CriticalRule::ZeroSection
            },
            questions: built,
        });
    }
    if kind == QuestionnaireKind::Audit && !earlier.iter().any(earns_points) {
        let mut scored = question(
            "q-scored".into(),
            QuestionSpec {
                qtype: QuestionType::YesNo,
                text: Text::new("Пункт", "Item"),
                help: Text::default(),
                flags: [true, true, true, false, false],
                weight: 1.0,
                options: vec![],
                metric: None,
                condition: None,
            },
            kind,
            &[],
        );
        scored.critical = true;
        sections[0].questions.push(scored);
    }
    Questionnaire {
        id,
        version,
        kind,
        status: if published {
            VersionStatus::Published
        } else {
            VersionStatus::Draft
        },
        // Every other version says something of its own to the people
        // answering, so both shapes travel through the formats' tests.
        public_title: if version % 2 == 0 {
            Text::new(format!("{} ?", title.ru), format!("{} ?", title.en))
        } else {
            Text::default()
        },
        public_intro: if version % 2 == 0 {
            description.clone()
        } else {
            Text::default()
        },
        title,
        description,
        sections,
    }
}

fn question(
    id: String,
    spec: QuestionSpec,
    kind: QuestionnaireKind,
    earlier: &[Question],
) -> Question {
    let [required, critical, na_allowed, comment_allowed, photo_allowed] = spec.flags;
    let choice = matches!(
        spec.qtype,
        QuestionType::SingleChoice | QuestionType::MultipleChoice
    );
    let options = if choice {
        spec.options
            .into_iter()
            .enumerate()
            .map(|(k, (label, points))| ChoiceOption {
                id: format!("o{k}"),
                label,
                points: f64::from(points) * 0.5,
            })
            .collect()
    } else {
        vec![]
    };
    let mut q = Question {
        id,
        qtype: spec.qtype,
        text: spec.text,
        help: spec.help,
        required,
        weight: spec.weight,
        critical: false,
        na_allowed,
        comment_allowed,
        photo_allowed,
        options,
        metric: None,
        visible_if: None,
        unit: Text::default(),
    };
    q.critical = critical && earns_points(&q);
    q.metric = spec.metric.and_then(|m| metric_for(&q, kind, m));
    q.visible_if = match (spec.condition, earlier.is_empty()) {
        (Some(seed), false) => Some(condition(&seed, earlier)),
        _ => None,
    };
    q
}

fn metric_for(q: &Question, kind: QuestionnaireKind, m: u8) -> Option<MetricRole> {
    use MetricRole as R;
    let pick = |roles: &[MetricRole]| Some(roles[usize::from(m) % roles.len()]);
    match q.qtype {
        QuestionType::YesNo => pick(&[
            R::InkStaff,
            R::InkOffice,
            R::InkProduct,
            R::Loyalty,
            R::ComplaintResolved,
        ]),
        QuestionType::Scale5 | QuestionType::Scale10 | QuestionType::Nps | QuestionType::Ces => {
            pick(&[
                R::Nps,
                R::Csat,
                R::Ces,
                R::CsiAttribute {
                    importance: f64::from(m % 10 + 1),
                },
            ])
        }
        QuestionType::Number | QuestionType::Duration => pick(&[
            R::Visitors,
            R::Receipts,
            R::CallsOffered,
            R::CallsAnsweredWithinT,
            R::CallsAbandoned,
            R::Handled,
            R::TalkTime,
            R::HoldTime,
            R::AfterCallWork,
            R::Wait,
            R::FirstResponse,
            R::ResolutionTime,
        ]),
        QuestionType::SingleChoice | QuestionType::MultipleChoice
            if kind != QuestionnaireKind::Audit =>
        {
            Some(R::ComplaintCategory)
        }
        _ => None,
    }
}

fn condition(seed: &Seed, earlier: &[Question]) -> Condition {
    match seed {
        Seed::All(seeds) => Condition::All(seeds.iter().map(|s| condition(s, earlier)).collect()),
        Seed::Any(seeds) => Condition::Any(seeds.iter().map(|s| condition(s, earlier)).collect()),
        Seed::Leaf { target, op, value } => leaf(&earlier[target % earlier.len()], *op, *value),
    }
}

/// A comparison that fits `target`'s type, or "is answered" where nothing
/// else does (and now and then anyway).
fn leaf(target: &Question, op: u8, value: u32) -> Condition {
    use CompareOp as O;
    let id = target.id.clone();
    let op_of = |ops: &[CompareOp]| ops[usize::from(op) % ops.len()];
    let v = value as usize;
    const ORDERED: [CompareOp; 6] = [O::Eq, O::Ne, O::Lt, O::Le, O::Gt, O::Ge];
    const SETS: [CompareOp; 3] = [O::Eq, O::Ne, O::Contains];
    let opaque = matches!(
        target.qtype,
        QuestionType::DateTime
            | QuestionType::Photo
            | QuestionType::EmployeePicker
            | QuestionType::LocationPicker
    );
    if opaque || op % 8 == 7 {
        return Condition::answered(id);
    }
    if target.na_allowed && value.is_multiple_of(11) {
        return Condition::compare(id, op_of(&[O::Eq, O::Ne]), AnswerValue::Na);
    }
    match target.qtype {
        QuestionType::YesNo => {
            let answer = if v.is_multiple_of(2) {
                AnswerValue::Yes
            } else {
                AnswerValue::No
            };
            Condition::compare(id, op_of(&[O::Eq, O::Ne]), answer)
        }
        QuestionType::Scale5 | QuestionType::Scale10 | QuestionType::Nps | QuestionType::Ces => {
            let (lo, hi) = target.qtype.scale_range().unwrap_or((0, 10));
            let s = lo + (value % u32::from(hi - lo + 1)) as u8;
            Condition::compare(id, op_of(&ORDERED), AnswerValue::Scale(s))
        }
        QuestionType::Number | QuestionType::Duration => {
            let n = f64::from(value % 400) * 0.5 - 50.0;
            Condition::compare(id, op_of(&ORDERED), AnswerValue::Number(n))
        }
        QuestionType::ShortText | QuestionType::LongText => {
            let words = ["да", "rude", "Очень долго", "a \"quoted\" \\ word"];
            let t = words[v % words.len()].to_owned();
            Condition::compare(id, op_of(&SETS), AnswerValue::Text(t))
        }
        QuestionType::SingleChoice => {
            let o = target.options[v % target.options.len()].id.clone();
            Condition::compare(id, op_of(&SETS), AnswerValue::Choice(vec![o]))
        }
        QuestionType::MultipleChoice => {
            let n = target.options.len();
            let mut ids = vec![target.options[v % n].id.clone()];
            let second = target.options[(v / 7) % n].id.clone();
            if !ids.contains(&second) {
                ids.push(second);
            }
            Condition::compare(id, op_of(&SETS), AnswerValue::Choice(ids))
        }
        QuestionType::DateTime
        | QuestionType::Photo
        | QuestionType::EmployeePicker
        | QuestionType::LocationPicker => Condition::answered(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    /// Guards the strategy itself: a generator that stopped producing
    /// conditions or choices would make the round-trip property vacuous.
    #[test]
    fn the_strategy_covers_conditions_choices_and_metrics() {
        let mut runner = TestRunner::deterministic();
        let (mut conditions, mut nested, mut choices, mut metrics) = (0, 0, 0, 0);
        for _ in 0..100 {
            let q = valid_questionnaire()
                .new_tree(&mut runner)
                .unwrap()
                .current();
            for x in q.questions() {
                match &x.visible_if {
                    Some(Condition::All(_) | Condition::Any(_)) => nested += 1,
                    Some(_) => conditions += 1,
                    None => {}
                }
                choices += usize::from(!x.options.is_empty());
                metrics += usize::from(x.metric.is_some());
            }
        }
        assert!(conditions > 20 && nested > 10, "{conditions} {nested}");
        assert!(choices > 20 && metrics > 20, "{choices} {metrics}");
    }
}
