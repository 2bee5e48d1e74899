//! One date per response: a visit entered a week after the fact is counted,
//! listed and followed up by when it happened (`Response::occurred_at`),
//! never by when it was submitted.

use uuid::Uuid;

use super::actions::{follow_up, FollowUp};
use super::drill::{newest_first, selects, Drill};
use crate::domain::{ActionStatus, AnswerValue, CorrectiveAction, Response, Timestamp, DAY_MS};
use crate::kpi::{compute_all, first_sources, Dataset, Filter, Period};
use crate::templates;

/// 2026-01-01 00:00 UTC.
const BASE_MS: i64 = 1_767_225_600_000;

fn day(n: i64) -> Timestamp {
    Timestamp::new(BASE_MS + n * DAY_MS, 0)
}

/// A retail quick audit at loc-a visited on day `visited` and entered and
/// submitted on day `entered`.
fn audit(n: u128, visited: i64, entered: i64, greeting: AnswerValue) -> Response {
    let mut r = Response::new_draft(
        Uuid::from_u128(n),
        "tpl-retail-quick",
        1,
        "loc-a",
        "phone",
        day(entered),
    );
    r.visited_at = Some(day(visited));
    r.set_answer("q-greeting", greeting, day(entered));
    assert!(r.submit(day(entered)));
    r
}

#[test]
fn a_visit_entered_a_week_late_is_counted_listed_and_followed_up_in_its_own_period() {
    let q = templates::find("tpl-retail-quick", 1).unwrap();
    // Visited on day 10, entered a week later; the next visit (day 12) was
    // entered the same day, so by submission it would come first.
    let late = audit(1, 10, 17, AnswerValue::No);
    let next = audit(2, 12, 12, AnswerValue::Yes);
    let week = Filter {
        period: Some(Period::new(day(8).utc_ms, day(15).utc_ms)),
        ..Filter::default()
    };

    // The list's order, which the dataset and `first_sources` keep.
    let mut responses = vec![late.clone(), next.clone()];
    newest_first(&mut responses);
    let order: Vec<Uuid> = responses.iter().map(|r| r.id).collect();
    assert_eq!(order, [next.id, late.id]);

    // The KPIs count both visits in the week they happened.
    let dataset = Dataset::build(std::slice::from_ref(&q), &responses);
    assert_eq!(compute_all(&dataset, &week).overall.responses, 2);
    // The latest-responses list shows both, and so does the drill-down.
    assert_eq!(first_sources(&dataset, &week, 10), [0, 1]);
    assert!(selects(&week, &Drill::default(), &late, Some(&q)));
    // The week the late visit was entered in counts nothing.
    let entry_week = Filter {
        period: Some(Period::new(day(16).utc_ms, day(23).utc_ms)),
        ..Filter::default()
    };
    assert_eq!(compute_all(&dataset, &entry_week).overall.responses, 0);
    assert!(!selects(&entry_week, &Drill::default(), &late, Some(&q)));

    // The action raised on the late visit's failed greeting is checked by
    // the visit that came after it, though that one was entered first.
    let action = CorrectiveAction {
        id: Uuid::from_u128(9),
        response_id: late.id,
        question_id: "q-greeting".into(),
        location_id: "loc-a".into(),
        assignee: "Anna".into(),
        due: None,
        status: ActionStatus::Done,
        note: String::new(),
        created_at: day(17),
        updated_at: day(17),
    };
    assert_eq!(
        follow_up(&action, &late, &responses, |_| Some(&q)),
        FollowUp::Passes {
            response_id: next.id
        }
    );
}
