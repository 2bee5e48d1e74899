//! Deterministic synthetic data for benchmarks and property tests: four
//! questionnaires (an audit in two versions, a CSI/NPS/Loyalty-Button
//! survey, a daily ops report, a complaint form), 15 questions each, and
//! any number of plausible submitted responses over one year.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::domain::questionnaire::MetricRole;
use crate::domain::{
    Answer, AnswerValue, ChoiceOption, CriticalRule, Question, QuestionType, Questionnaire,
    QuestionnaireKind, Response, ResponseStatus, Section, Text, Timestamp, VersionStatus, DAY_MS,
};

use super::dataset::{Dataset, DatasetBuilder};
use crate::domain::{Employee, Location};
use crate::exchange::bundle::Contents;

pub const LOCATIONS: usize = 40;
pub const EMPLOYEES_PER_LOCATION: usize = 8;
/// 2025-01-01T00:00:00Z.
pub const START_MS: i64 = 1_735_689_600_000;
pub const SPAN_MS: i64 = 365 * DAY_MS;
/// Moscow time, where the synthetic chain operates.
pub const OFFSET_MIN: i16 = 180;

/// xorshift64*: tiny, fast and reproducible, enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub fn range_u8(&mut self, lo: u8, hi: u8) -> u8 {
        lo + self.below(u64::from(hi - lo) + 1) as u8
    }
}

fn t(s: &str) -> Text {
    Text::new(s, s)
}

fn question(id: &str, qtype: QuestionType, metric: Option<MetricRole>) -> Question {
    Question {
        id: id.into(),
        qtype,
        text: t(id),
        help: Text::default(),
        required: false,
        weight: 1.0,
        critical: false,
        na_allowed: true,
        comment_allowed: false,
        photo_allowed: false,
        options: Vec::new(),
        metric,
        visible_if: None,
        unit: Text::default(),
    }
}

fn with_options(mut q: Question, options: &[(&str, f64)]) -> Question {
    q.options = options
        .iter()
        .map(|&(id, points)| ChoiceOption {
            id: id.into(),
            label: t(id),
            points,
        })
        .collect();
    q
}

fn section(id: &str, weight: f64, rule: CriticalRule, questions: Vec<Question>) -> Section {
    Section {
        id: id.into(),
        title: t(id),
        weight,
        critical_rule: rule,
        questions,
    }
}

fn questionnaire(
    id: &str,
    version: u32,
    kind: QuestionnaireKind,
    sections: Vec<Section>,
) -> Questionnaire {
    Questionnaire {
        id: id.into(),
        version,
        kind,
        status: VersionStatus::Published,
        title: t(id),
        description: Text::default(),
        public_title: Text::default(),
        public_intro: Text::default(),
        sections,
    }
}

pub const COMPLAINT_CATEGORIES: [&str; 7] = [
    "indifference",
    "rudeness",
    "slow",
    "competence",
    "hours",
    "product",
    "other",
];

fn audit(version: u32) -> Questionnaire {
    use QuestionType::*;
    let yn = |id: &str| question(id, YesNo, None);
    let critical = |id: &str| Question {
        critical: true,
        ..yn(id)
    };
    let mut service = vec![
        yn("a-needs"),
        question("a-knowledge", Scale5, None),
        yn("a-no-pressure"),
        critical("a-not-rude"),
        critical("a-not-ignored"),
    ];
    // Version 2 makes product knowledge count double: results still group
    // with version 1 by the stable ids.
    if version == 2 {
        service[1].weight = 2.0;
    }
    questionnaire(
        "syn-audit",
        version,
        QuestionnaireKind::Audit,
        vec![
            section(
                "s-arrival",
                1.0,
                CriticalRule::ZeroSection,
                vec![yn("a-entrance"), critical("a-greeting"), yn("a-signage")],
            ),
            section(
                "s-service",
                2.0,
                if version == 2 {
                    CriticalRule::ZeroVisit
                } else {
                    CriticalRule::ZeroSection
                },
                service,
            ),
            section(
                "s-checkout",
                1.5,
                CriticalRule::ZeroSection,
                vec![
                    yn("a-queue"),
                    yn("a-payment"),
                    yn("a-loyalty-card"),
                    with_options(
                        question("a-speed", SingleChoice, None),
                        &[("fast", 2.0), ("ok", 1.0), ("slow", 0.0)],
                    ),
                ],
            ),
            section(
                "s-farewell",
                1.0,
                CriticalRule::ZeroSection,
                vec![
                    yn("a-farewell"),
                    question("a-wait", Duration, Some(MetricRole::Wait)),
                    question("a-note", LongText, None),
                ],
            ),
        ],
    )
}

fn survey() -> Questionnaire {
    use MetricRole as R;
    use QuestionType::*;
    let csi =
        |id: &str, importance: f64| question(id, Scale5, Some(R::CsiAttribute { importance }));
    questionnaire(
        "syn-survey",
        1,
        QuestionnaireKind::Survey,
        vec![section(
            "s-survey",
            1.0,
            CriticalRule::ZeroSection,
            vec![
                question("s-nps", Nps, Some(R::Nps)),
                question("s-csat", Scale5, Some(R::Csat)),
                question("s-ces", Ces, Some(R::Ces)),
                csi("s-speed", 7.0),
                csi("s-competence", 5.0),
                csi("s-politeness", 9.0),
                csi("s-access", 3.0),
                question("s-staff", YesNo, Some(R::InkStaff)),
                question("s-office", YesNo, Some(R::InkOffice)),
                question("s-product", YesNo, Some(R::InkProduct)),
                question("s-recommend", YesNo, Some(R::Loyalty)),
                question("s-wait", Number, Some(R::Wait)),
                with_options(
                    question("s-purpose", SingleChoice, None),
                    &[("buy", 0.0), ("return", 0.0), ("ask", 0.0)],
                ),
                question("s-opt-in", YesNo, None),
                question("s-comment", LongText, None),
            ],
        )],
    )
}

fn ops() -> Questionnaire {
    use MetricRole as R;
    use QuestionType::*;
    let n = |id: &str, r| question(id, Number, Some(r));
    questionnaire(
        "syn-ops",
        1,
        QuestionnaireKind::OpsReport,
        vec![section(
            "s-ops",
            1.0,
            CriticalRule::ZeroSection,
            vec![
                n("o-visitors", R::Visitors),
                n("o-receipts", R::Receipts),
                n("o-offered", R::CallsOffered),
                n("o-within", R::CallsAnsweredWithinT),
                n("o-abandoned", R::CallsAbandoned),
                n("o-handled", R::Handled),
                n("o-talk", R::TalkTime),
                n("o-hold", R::HoldTime),
                n("o-acw", R::AfterCallWork),
                n("o-wait", R::Wait),
                n("o-first-response", R::FirstResponse),
                n("o-resolution", R::ResolutionTime),
                question("o-staff-on-shift", Number, None),
                question("o-incident", YesNo, None),
                question("o-notes", LongText, None),
            ],
        )],
    )
}

fn complaint() -> Questionnaire {
    use MetricRole as R;
    use QuestionType::*;
    let cats: Vec<(&str, f64)> = COMPLAINT_CATEGORIES.iter().map(|&c| (c, 0.0)).collect();
    questionnaire(
        "syn-complaint",
        1,
        QuestionnaireKind::Complaint,
        vec![section(
            "s-complaint",
            1.0,
            CriticalRule::ZeroSection,
            vec![
                with_options(
                    question("c-category", SingleChoice, Some(R::ComplaintCategory)),
                    &cats,
                ),
                question("c-resolved", YesNo, Some(R::ComplaintResolved)),
                question("c-time", Duration, Some(R::ResolutionTime)),
                question("c-compensation", YesNo, None),
                question("c-amount", Number, None),
                question("c-severity", Scale5, None),
                with_options(
                    question("c-channel", SingleChoice, None),
                    &[("store", 0.0), ("phone", 0.0), ("web", 0.0)],
                ),
                question("c-escalated", YesNo, None),
                question("c-follow-up", YesNo, None),
                question("c-what", LongText, None),
                question("c-resolution", LongText, None),
                question("c-customer", ShortText, None),
                question("c-phone", ShortText, None),
                question("c-order", ShortText, None),
                question("c-notes", LongText, None),
            ],
        )],
    )
}

/// The four synthetic questionnaires, the audit in versions 1 and 2.
pub fn questionnaires() -> Vec<Questionnaire> {
    vec![audit(1), audit(2), survey(), ops(), complaint()]
}

pub fn location_id(i: usize) -> String {
    format!("loc-{i:02}")
}

pub fn employee_id(location: usize, j: usize) -> String {
    format!("emp-{location:02}-{j}")
}

/// Responses `0..n` in time order, spread evenly over one year.
pub struct Responses {
    rng: Rng,
    i: u64,
    n: u64,
    defs: Vec<Questionnaire>,
    locations: Vec<String>,
    employees: Vec<Vec<String>>,
}

pub fn responses(n: usize, seed: u64) -> Responses {
    Responses {
        rng: Rng::new(seed),
        i: 0,
        n: n as u64,
        defs: questionnaires(),
        locations: (0..LOCATIONS).map(location_id).collect(),
        employees: (0..LOCATIONS)
            .map(|l| {
                (0..EMPLOYEES_PER_LOCATION)
                    .map(|j| employee_id(l, j))
                    .collect()
            })
            .collect(),
    }
}

impl Iterator for Responses {
    type Item = Response;

    fn next(&mut self) -> Option<Response> {
        if self.i >= self.n {
            return None;
        }
        let i = self.i;
        self.i += 1;
        let rng = &mut self.rng;
        let time = START_MS + (i128::from(i) * i128::from(SPAN_MS) / i128::from(self.n)) as i64;
        let at = Timestamp::new(time, OFFSET_MIN);
        let loc = rng.below(LOCATIONS as u64) as usize;
        // Locations differ in quality, so rankings and weak spots have
        // something to find.
        let quality = 0.55 + 0.4 * (loc as f64 / LOCATIONS as f64);
        let roll = rng.below(100);
        let def = match roll {
            0..=39 => &self.defs[(i % 2) as usize],
            40..=84 => &self.defs[2],
            85..=94 => &self.defs[4],
            _ => &self.defs[3],
        };
        let mut employees = Vec::new();
        if def.kind != QuestionnaireKind::OpsReport && rng.chance(0.8) {
            let e = rng.below(EMPLOYEES_PER_LOCATION as u64) as usize;
            employees.push(self.employees[loc][e].clone());
        }
        let mut answers = BTreeMap::new();
        for q in def.questions() {
            let value = answer(rng, q, quality);
            answers.insert(
                q.id.clone(),
                Answer {
                    value,
                    comment: String::new(),
                    answered_at: at,
                },
            );
        }
        Some(Response {
            visited_at: None,
            employee_note: String::new(),
            supersedes: None,
            id: Uuid::from_u128(u128::from(rng.next_u64()) << 64 | u128::from(i)),
            questionnaire_id: def.id.clone(),
            questionnaire_version: def.version,
            location_id: self.locations[loc].clone(),
            employee_ids: employees,
            device_id: "synthetic".into(),
            started_at: at,
            updated_at: at,
            submitted_at: Some(at),
            status: ResponseStatus::Submitted,
            answers,
        })
    }
}

fn answer(rng: &mut Rng, q: &Question, quality: f64) -> AnswerValue {
    use AnswerValue as A;
    use MetricRole as R;
    if q.na_allowed && q.qtype == QuestionType::YesNo && rng.chance(0.04) {
        return A::Na;
    }
    let good = rng.chance(quality);
    let num = |rng: &mut Rng, lo: u64, hi: u64| (lo + rng.below(hi - lo + 1)) as f64;
    match (q.qtype, q.metric) {
        (QuestionType::YesNo, _) => {
            if good {
                A::Yes
            } else {
                A::No
            }
        }
        (QuestionType::Nps, _) => A::Scale(if good {
            rng.range_u8(7, 10)
        } else {
            rng.range_u8(0, 8)
        }),
        (QuestionType::Ces, _) => A::Scale(if good {
            rng.range_u8(4, 7)
        } else {
            rng.range_u8(1, 5)
        }),
        (QuestionType::Scale5, _) => A::Scale(if good {
            rng.range_u8(3, 5)
        } else {
            rng.range_u8(1, 3)
        }),
        (QuestionType::SingleChoice, _) => {
            let k = rng.below(q.options.len() as u64) as usize;
            A::Choice(vec![q.options[k].id.clone()])
        }
        (QuestionType::Number | QuestionType::Duration, Some(role)) => A::Number(match role {
            R::Visitors => num(rng, 200, 900),
            R::Receipts => num(rng, 40, 300),
            R::CallsOffered => num(rng, 100, 200),
            R::CallsAnsweredWithinT => num(rng, 60, 100),
            R::CallsAbandoned => num(rng, 0, 20),
            R::Handled => num(rng, 80, 100),
            R::TalkTime => num(rng, 120, 420),
            R::HoldTime => num(rng, 0, 60),
            R::AfterCallWork => num(rng, 30, 90),
            R::Wait => num(rng, 0, 900),
            R::FirstResponse => num(rng, 10, 3_600),
            R::ResolutionTime => num(rng, 600, 259_200),
            _ => 0.0,
        }),
        (QuestionType::Number, None) => A::Number(num(rng, 1, 10)),
        _ => A::Text("…".into()),
    }
}

/// A dataset of `n` synthetic responses, streamed into the builder one at
/// a time so the records never all sit in memory.
/// The whole chain as a file or a team database holds it: the
/// questionnaires, `n` responses, every location and its staff.
pub fn contents(n: usize, seed: u64) -> Contents {
    let at = Timestamp::new(START_MS, OFFSET_MIN);
    Contents {
        questionnaires: questionnaires(),
        responses: responses(n, seed).collect(),
        locations: (0..LOCATIONS)
            .map(|i| Location {
                id: location_id(i),
                name: format!("Магазин №{i}"),
            })
            .collect(),
        employees: (0..LOCATIONS)
            .flat_map(|l| {
                (0..EMPLOYEES_PER_LOCATION).map(move |j| Employee {
                    id: employee_id(l, j),
                    name: format!("Сотрудник {l}-{j}"),
                    role: "Кассир".into(),
                    location_id: location_id(l),
                    updated_at: at,
                })
            })
            .collect(),
        ..Contents::default()
    }
}

pub fn generate(n: usize, seed: u64) -> Dataset {
    let defs = questionnaires();
    let mut b = DatasetBuilder::new(&defs);
    for r in responses(n, seed) {
        b.push(&r);
    }
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_fifteen_answers_each() {
        let a: Vec<Response> = responses(200, 7).collect();
        let b: Vec<Response> = responses(200, 7).collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|r| r.answers.len() == 15));
        assert!(a.windows(2).all(|w| w[0].started_at <= w[1].started_at));
        let d = generate(200, 7);
        assert_eq!(d.len(), 200);
        assert_eq!(d.stats.unknown_questionnaire, 0);
    }
}
