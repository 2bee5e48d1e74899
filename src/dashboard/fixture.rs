//! The end-to-end dashboard test's data set and expected figures
//! (`tests/fixtures/dashboard.json`), made here by the engine itself:
//! responses to the built-in questionnaires, and for each view the cards as
//! the page must show them in English. The test fails when the file is not
//! what the code produces; `UPDATE_FIXTURES=1 cargo test --lib
//! dashboard::fixture` rewrites it.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::domain::employee::EmployeeNames;
use crate::domain::{
    Answer, AnswerValue, Employee, LocalDate, Location, MetricRole, Question, QuestionType,
    Questionnaire, Response, ResponseStatus, Timestamp, DAY_MS,
};
use crate::i18n::Lang;
use crate::kpi::synthetic::Rng;
use crate::kpi::{compute_all, definition, Dataset};
use crate::templates;

use super::cards::cards;
use super::charts::{ranked_bars, section_bars, weak_spot_bars};
use super::drill::{ranking, selects, ChartKind, Drill, ItemRef};
use super::query::DashboardQuery;

const PATH: &str = "tests/fixtures/dashboard.json";
/// 2026-01-01T00:00:00Z. The e2e test runs the browser in UTC.
const START: i64 = 1_767_225_600_000;

const QUESTIONNAIRES: [&str; 5] = [
    "tpl-retail-quick",
    "tpl-csi-nps",
    "tpl-loyalty-button",
    "tpl-complaint",
    "tpl-daily-ops",
];

/// The staff records: every employee the responses name but Gleb, whose
/// record is missing so the page must fall back to his id.
pub fn employees() -> Vec<Employee> {
    [
        ("emp-anna", "Anna Petrova"),
        ("emp-boris", "Boris Orlov"),
        ("emp-vera", "Vera Sokolova"),
    ]
    .into_iter()
    .map(|(id, name)| Employee {
        id: id.into(),
        name: name.into(),
        role: "Cashier".into(),
        location_id: String::new(),
        updated_at: Timestamp::new(START, 0),
    })
    .collect()
}

pub fn locations() -> Vec<Location> {
    vec![
        Location {
            id: "loc-north".into(),
            name: "North store".into(),
        },
        Location {
            id: "loc-south".into(),
            name: "South store".into(),
        },
    ]
}

fn answer(rng: &mut Rng, q: &Question, good: f64) -> Option<AnswerValue> {
    use AnswerValue as A;
    let ok = rng.chance(good);
    Some(match q.qtype {
        QuestionType::YesNo if q.na_allowed && rng.chance(0.05) => A::Na,
        QuestionType::YesNo => {
            if ok {
                A::Yes
            } else {
                A::No
            }
        }
        t @ (QuestionType::Scale5
        | QuestionType::Scale10
        | QuestionType::Nps
        | QuestionType::Ces) => {
            let (lo, hi) = t.scale_range()?;
            let mid = lo + (hi - lo) / 2;
            A::Scale(if ok {
                rng.range_u8(mid, hi)
            } else {
                rng.range_u8(lo, mid)
            })
        }
        QuestionType::SingleChoice => {
            let k = rng.below(q.options.len() as u64) as usize;
            A::Choice(vec![q.options.get(k)?.id.clone()])
        }
        QuestionType::Number | QuestionType::Duration => {
            let (lo, hi) = match q.metric {
                Some(MetricRole::Visitors) => (40, 120),
                Some(MetricRole::Receipts) => (10, 40),
                Some(MetricRole::ResolutionTime) => (600, 86_400),
                _ => (1, 10),
            };
            A::Number((lo + rng.below(hi - lo + 1)) as f64)
        }
        _ => return None,
    })
}

/// 160 responses over 2026-01-01..=2026-03-31 at two locations that
/// differ in quality, four employees.
pub fn responses() -> Vec<Response> {
    let defs: Vec<Questionnaire> = QUESTIONNAIRES
        .iter()
        .map(|id| templates::find(id, 1).expect("built-in"))
        .collect();
    let employees = [["emp-anna", "emp-boris"], ["emp-vera", "emp-gleb"]];
    let mut rng = Rng::new(2026);
    let n = 160;
    (0..n)
        .map(|i| {
            let t = START + (i as i64) * (90 * DAY_MS) / n as i64 + rng.below(3_600_000) as i64;
            let at = Timestamp::new(t, 0);
            let loc = rng.below(2) as usize;
            // The south store is worse, and better in March.
            let good = match (loc, t >= START + 59 * DAY_MS) {
                (0, _) => 0.85,
                (_, false) => 0.55,
                (_, true) => 0.7,
            };
            let def = &defs[match rng.below(100) {
                0..=44 => 0,
                45..=69 => 1,
                70..=84 => 2,
                85..=92 => 3,
                _ => 4,
            }];
            let mut answers = BTreeMap::new();
            for q in def.questions() {
                if let Some(value) = answer(&mut rng, q, good) {
                    answers.insert(
                        q.id.clone(),
                        Answer {
                            value,
                            comment: if rng.chance(0.1) {
                                "Seen at the till".into()
                            } else {
                                String::new()
                            },
                            answered_at: at,
                        },
                    );
                }
            }
            let emp = employees[loc][rng.below(2) as usize];
            Response {
                visited_at: None,
                employee_note: String::new(),
                supersedes: None,
                id: Uuid::from_u128(0x5e1f_0000_0000_4000_8000_0000_0000_0000 | i as u128),
                questionnaire_id: def.id.clone(),
                questionnaire_version: def.version,
                location_id: locations()[loc].id.clone(),
                employee_ids: if def.id == "tpl-daily-ops" {
                    vec![]
                } else {
                    vec![emp.into()]
                },
                device_id: "fixture".into(),
                started_at: at,
                updated_at: at,
                submitted_at: Some(at),
                status: ResponseStatus::Submitted,
                answers,
            }
        })
        .collect()
}

/// The views the e2e test opens, in order: the first quarter's last two
/// months, then the same with the south store only.
pub fn views() -> Vec<DashboardQuery> {
    let a = DashboardQuery::parse("from=2026-02-01&to=2026-03-31");
    let mut b = a.clone();
    b.locations = vec!["loc-south".into()];
    vec![a, b]
}

/// Today for the e2e run does not matter: both views are custom ranges.
const TODAY: LocalDate = LocalDate {
    year: 2026,
    month: 4,
    day: 1,
};

pub fn fixture() -> Value {
    let responses = responses();
    let questionnaires = templates::built_in();
    let data = Dataset::build(&questionnaires, &responses);
    let find = |r: &Response| {
        questionnaires
            .iter()
            .find(|q| q.id == r.questionnaire_id && q.version == r.questionnaire_version)
    };
    let staff = employees();
    let names = EmployeeNames::new(&staff);
    let views: Vec<Value> = views()
        .into_iter()
        .map(|q| {
            let filter = q.filter(TODAY, 0);
            let report = compute_all(&data, &filter);
            let card_json = |c: &crate::dashboard::cards::Card| {
                let t = c.text(Lang::En);
                json!({
                    "name": definition(c.id).name.en,
                    "value": t.value,
                    "n": t.n,
                    "interval": t.interval,
                    "change": t.change,
                    "verdict": c.verdict.map(|v| v.label().text(Lang::En)),
                })
            };
            let cards: Vec<Value> = cards(&report).iter().map(card_json).collect();
            let operations: Vec<Value> = crate::dashboard::cards::operations_cards(&report)
                .iter()
                .map(card_json)
                .collect();
            // The customers' rankings as their tables show them.
            let rankings: Vec<Value> = [
                ("Locations by NPS", ChartKind::LocationsByNps),
                (
                    "Locations by customer satisfaction (CSAT)",
                    ChartKind::LocationsByCsat,
                ),
                (
                    "Staff by what customers said about the staff",
                    ChartKind::EmployeesByStaffSurvey,
                ),
            ]
            .into_iter()
            .map(|(title, chart)| {
                let (entries, at_locations) = ranking(chart, &report).unwrap();
                let rows: Vec<Value> = entries
                    .iter()
                    .map(|e| {
                        let name = if at_locations {
                            locations()
                                .into_iter()
                                .find(|l| l.id == e.id)
                                .map_or(e.id.clone(), |l| l.name)
                        } else {
                            names.name(&e.id).to_owned()
                        };
                        let value = e
                            .kpi
                            .value
                            .map(|v| crate::i18n::format_decimal(v, 1, Lang::En));
                        json!({ "name": name, "value": value })
                    })
                    .collect();
                json!({ "title": title, "rows": rows })
            })
            .collect();
            let top = report.weak_spots.first().map(|w| {
                let item = Drill {
                    failed_item: Some(ItemRef {
                        questionnaire_id: w.questionnaire_id.clone(),
                        question_id: w.question_id.clone(),
                    }),
                    ..Drill::default()
                };
                // The list is newest first: its first row gets the photo.
                let newest = responses
                    .iter()
                    .filter(|r| selects(&filter, &item, r, find(r)))
                    .max_by_key(|r| r.submitted_at)
                    .map(|r| r.id.to_string());
                json!({
                    "text": w.text.en,
                    "question_id": w.question_id,
                    "failed": w.failed,
                    "newest_response": newest,
                })
            });
            json!({
                "query": q.to_query(),
                "responses": report.overall.responses,
                "cards": cards,
                "operations": operations,
                "top_weak_spot": top,
                // What each chart's points count, for clicking them.
                "nps_by_score": report.overall.nps.counts.by_score,
                "trend": report.trend.iter().map(|p| json!({
                    "label": p.bucket.label,
                    "responses": p.kpis.responses,
                    "audits": p.kpis.audit.score.n,
                })).collect::<Vec<_>>(),
                "section_bars": section_bars(&report)
                    .iter()
                    .map(|s| json!({
                        "title": s.title.en,
                        "questionnaire_id": s.questionnaire_id,
                        "section_id": s.section_id,
                        "scored": s.score.n,
                    }))
                    .collect::<Vec<_>>(),
                "weak_spot_bars": weak_spot_bars(&report)
                    .iter()
                    .map(|w| json!({
                        "text": w.text.en,
                        "questionnaire_id": w.questionnaire_id,
                        "question_id": w.question_id,
                        "failed": w.failed,
                    }))
                    .collect::<Vec<_>>(),
                "rankings": rankings,
                "employee_bars": ranked_bars(&report.rankings.employees_by_audit)
                    .into_iter()
                    .map(|e| {
                        let responses = report
                            .by_employee
                            .iter()
                            .find(|b| b.id == e.id)
                            .map_or(0, |b| b.kpis.responses);
                        json!({ "id": e.id, "name": names.name(&e.id), "responses": responses })
                    })
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "note": "Written by `UPDATE_FIXTURES=1 cargo test --lib dashboard::fixture` from the KPI engine; do not edit by hand.",
        "locations": locations(),
        "employees": staff,
        "responses": responses,
        "views": views,
    })
}

#[test]
fn e2e_fixture_is_what_the_engine_computes() {
    let text = serde_json::to_string_pretty(&fixture()).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(PATH);
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == text,
        "{PATH} is out of date: run UPDATE_FIXTURES=1 cargo test --lib dashboard::fixture"
    );
}

#[test]
fn the_views_differ_and_have_data() {
    let f = fixture();
    let views = f["views"].as_array().unwrap();
    let (a, b) = (&views[0], &views[1]);
    assert!(a["responses"].as_u64().unwrap() > b["responses"].as_u64().unwrap());
    assert!(b["responses"].as_u64().unwrap() >= 30);
    // Every card has a figure in the first view, and the location filter
    // changes every card that depends on the responses' location.
    for (ca, cb) in a["cards"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["cards"].as_array().unwrap())
    {
        assert!(!ca["value"].is_null(), "{}", ca["name"]);
        assert_ne!(ca, cb, "{}", ca["name"]);
    }
    assert!(b["top_weak_spot"]["newest_response"].is_string());
}
