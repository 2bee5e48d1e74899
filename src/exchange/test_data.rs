//! A small store with one record of every kind and every answer type, shared
//! by the tests of the bundle, merge and export modules.

use std::collections::BTreeMap;

use serde_json::json;
use uuid::Uuid;

use super::bundle::{Contents, PhotoRecord};
use crate::domain::photo::PhotoMeta;
use crate::domain::{
    ActionStatus, Answer, AnswerValue, CorrectiveAction, Employee, LocalDate, Location,
    Questionnaire, Response, ResponseStatus, Timestamp,
};

/// 2026-03-02 10:00 Moscow time plus `minutes`.
pub(crate) fn at(minutes: i64) -> Timestamp {
    Timestamp::new(1_772_434_800_000 + minutes * 60_000, 180)
}

pub(crate) fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(0x7d0c_5a57_2f4e_4b4a_9a0b_0000_0000_0000 | n)
}

pub(crate) fn audit() -> Questionnaire {
    serde_json::from_value(json!({
        "id": "aud", "version": 1, "kind": "audit", "status": "published",
        "title": {"ru": "Проверка", "en": "Audit"},
        "sections": [
            {"id": "s1", "title": {"ru": "Вход", "en": "Entrance"}, "questions": [
                {"id": "q-greet", "type": "yes_no", "text": {"ru": "Поздоровались?", "en": "Greeted?"},
                 "na_allowed": true, "comment_allowed": true},
                {"id": "q-clean", "type": "scale5", "text": {"ru": "Чистота", "en": "Cleanliness"}}
            ]},
            {"id": "s2", "title": {"ru": "Касса", "en": "Checkout"}, "questions": [
                {"id": "q-pay", "type": "single_choice", "text": {"ru": "Оплата", "en": "Payment"},
                 "options": [
                    {"id": "fast", "label": {"ru": "Быстро", "en": "Fast"}, "points": 1},
                    {"id": "slow", "label": {"ru": "Медленно", "en": "Slow"}, "points": 0}
                 ]},
                {"id": "q-wait", "type": "number", "text": {"ru": "Ожидание", "en": "Wait"},
                 "unit": {"ru": "с", "en": "s"}},
                {"id": "q-notes", "type": "long_text", "text": {"ru": "Заметки", "en": "Notes"}}
            ]}
        ]
    }))
    .expect("the sample audit is well-formed")
}

pub(crate) fn survey() -> Questionnaire {
    serde_json::from_value(json!({
        "id": "srv", "version": 1, "kind": "survey", "status": "published",
        "title": {"ru": "Опрос", "en": "Survey"},
        "sections": [{"id": "s", "title": {"ru": "Опрос", "en": "Survey"}, "questions": [
            {"id": "q-nps", "type": "nps", "metric": "nps",
             "text": {"ru": "Порекомендуете?", "en": "Would you recommend us?"}},
            {"id": "q-why", "type": "short_text", "text": {"ru": "Почему?", "en": "Why?"}}
        ]}]
    }))
    .expect("the sample survey is well-formed")
}

fn answer(value: AnswerValue, comment: &str, t: Timestamp) -> Answer {
    Answer {
        value,
        comment: comment.to_owned(),
        answered_at: t,
    }
}

/// A submitted response to `q` at `at(minutes)`.
pub(crate) fn response(
    n: u128,
    q: &Questionnaire,
    minutes: i64,
    answers: Vec<(&str, AnswerValue, &str)>,
) -> Response {
    let t = at(minutes);
    let mut map = BTreeMap::new();
    for (id, value, comment) in answers {
        map.insert(id.to_owned(), answer(value, comment, t));
    }
    Response {
        visited_at: None,
        employee_note: String::new(),
        supersedes: None,
        id: uuid(n),
        questionnaire_id: q.id.clone(),
        questionnaire_version: q.version,
        location_id: "loc-1".into(),
        employee_ids: vec!["emp-1".into()],
        device_id: "phone-a".into(),
        started_at: t,
        updated_at: t,
        submitted_at: Some(t),
        status: ResponseStatus::Submitted,
        answers: map,
    }
}

pub(crate) fn sample() -> Contents {
    use AnswerValue as A;
    let (aud, srv) = (audit(), survey());
    let mut second = response(
        2,
        &aud,
        60,
        vec![
            ("q-greet", A::No, "<script>alert('x')</script>"),
            ("q-clean", A::Scale(2), ""),
            ("q-pay", A::Choice(vec!["slow".into()]), ""),
            ("q-wait", A::Number(-0.5), ""),
        ],
    );
    second.location_id = "loc-2".into();
    second.employee_ids = vec!["emp-1".into(), "emp-2".into()];
    second.employee_note = "высокий, в очках".into();
    let mut draft = response(4, &srv, 200, vec![("q-nps", A::Scale(6), "")]);
    draft.status = ResponseStatus::Draft;
    draft.submitted_at = None;
    Contents {
        responses: vec![
            response(
                1,
                &aud,
                0,
                vec![
                    ("q-greet", A::Yes, "улыбнулись; \"тепло\""),
                    ("q-clean", A::Scale(5), ""),
                    ("q-pay", A::Choice(vec!["fast".into()]), ""),
                    ("q-wait", A::Number(12.5), ""),
                    ("q-notes", A::Text("Всё хорошо,\nспасибо".into()), ""),
                ],
            ),
            second,
            response(
                3,
                &srv,
                120,
                vec![
                    ("q-nps", A::Scale(10), ""),
                    ("q-why", A::Text("=1+2".into()), ""),
                ],
            ),
            draft,
        ],
        questionnaires: vec![aud, srv],
        locations: vec![
            Location {
                id: "loc-1".into(),
                name: "Тверская, 1".into(),
            },
            Location {
                id: "loc-2".into(),
                name: "Arbat <b>2</b>".into(),
            },
        ],
        employees: vec![
            Employee {
                id: "emp-1".into(),
                name: "Анна".into(),
                role: "кассир".into(),
                location_id: "loc-1".into(),
                updated_at: at(-100),
            },
            Employee {
                id: "emp-2".into(),
                name: "Boris".into(),
                role: String::new(),
                location_id: String::new(),
                updated_at: at(-100),
            },
        ],
        actions: vec![CorrectiveAction {
            id: uuid(100),
            response_id: uuid(2),
            question_id: "q-greet".into(),
            location_id: "loc-2".into(),
            assignee: "emp-1".into(),
            due: LocalDate::new(2026, 3, 9),
            status: ActionStatus::Open,
            note: "Поговорить с сотрудником".into(),
            created_at: at(70),
            updated_at: at(70),
        }],
        // Settings are device-local and never written to a file
        // (`trust::setting_travels`): a round trip has none to compare.
        settings: Default::default(),
        photos: vec![PhotoRecord::new(
            &PhotoMeta {
                id: uuid(200),
                response_id: uuid(2),
                question_id: "q-greet".into(),
                mime: "image/png".into(),
                width: 1,
                height: 1,
                bytes: 0,
                taken_at: at(61),
            },
            super::bundle::photo_samples::PNG,
        )
        .expect("a PNG")],
    }
}
