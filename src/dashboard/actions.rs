//! Corrective actions on the dashboard (PRODUCT.md §2): the status steps,
//! the overdue list, and the follow-up that tells whether the failed item
//! passes on the next audit of the same location. Pure: the screens that
//! store actions (schema v4) call these.

use crate::domain::scoring::{item_score, FAIL_BELOW};
use crate::domain::{
    ActionStatus, CorrectiveAction, LocalDate, Questionnaire, Response, Timestamp,
};
use crate::i18n::{Lang, Msg};

/// Still open after its due day. A done action waits for verification, not
/// for the assignee, so it is not overdue.
pub fn is_overdue(a: &CorrectiveAction, today: LocalDate) -> bool {
    a.status == ActionStatus::Open && a.due.is_some_and(|d| d < today)
}

/// Overdue actions, the longest overdue first.
pub fn overdue(actions: &[CorrectiveAction], today: LocalDate) -> Vec<&CorrectiveAction> {
    let mut v: Vec<&CorrectiveAction> = actions.iter().filter(|a| is_overdue(a, today)).collect();
    v.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    v
}

/// What the next audit of the action's location says about its item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// No later audit of that location answered the item (N/A counts as
    /// not answered).
    NotYetChecked,
    Passes {
        response_id: uuid::Uuid,
    },
    StillFails {
        response_id: uuid::Uuid,
    },
}

/// The first submitted response after `source` to the same questionnaire
/// (any version: question ids are stable) at the action's location that
/// scored the item, and whether it passed. `version_of` finds the exact
/// questionnaire version a response answered.
pub fn follow_up<'r, 'q>(
    action: &CorrectiveAction,
    source: &Response,
    responses: impl IntoIterator<Item = &'r Response>,
    version_of: impl Fn(&Response) -> Option<&'q Questionnaire>,
) -> FollowUp {
    let after = source.occurred_at().utc_ms;
    let mut best: Option<(i64, uuid::Uuid, bool)> = None;
    for r in responses {
        if r.is_draft()
            || r.id == source.id
            || r.questionnaire_id != source.questionnaire_id
            || r.location_id != action.location_id
        {
            continue;
        }
        let t = r.occurred_at().utc_ms;
        if t <= after || best.is_some_and(|(bt, _, _)| bt <= t) {
            continue;
        }
        let Some(q) = version_of(r) else { continue };
        let (Some(question), Some(answer)) = (
            q.question(&action.question_id),
            r.answers.get(&action.question_id),
        ) else {
            continue;
        };
        if !q.is_visible(&action.question_id, r) {
            continue;
        }
        if let Some(s) = item_score(question, &answer.value) {
            best = Some((t, r.id, s >= FAIL_BELOW));
        }
    }
    match best {
        None => FollowUp::NotYetChecked,
        Some((_, response_id, true)) => FollowUp::Passes { response_id },
        Some((_, response_id, false)) => FollowUp::StillFails { response_id },
    }
}

/// Why the form creating an action was refused; nothing is stored then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormError {
    NoAssignee,
    BadDue,
}

/// The assignee and due date as typed in the form, or why they cannot be.
fn typed<'a>(assignee: &'a str, due: &str) -> Result<(&'a str, Option<LocalDate>), FormError> {
    let assignee = assignee.trim();
    if assignee.is_empty() {
        return Err(FormError::NoAssignee);
    }
    let due = match due.trim() {
        "" => None,
        d => Some(LocalDate::parse(d).ok_or(FormError::BadDue)?),
    };
    Ok((assignee, due))
}

/// A new open action for the failed item `question_id` of `source`, from
/// what the form holds: the assignee as typed (an employee's name or anyone
/// else), the due day as `<input type=date>` gives it (empty: no due day).
pub fn from_form(
    id: uuid::Uuid,
    source: &Response,
    question_id: &str,
    assignee: &str,
    due: &str,
    note: &str,
    now: Timestamp,
) -> Result<CorrectiveAction, FormError> {
    let (assignee, due) = typed(assignee, due)?;
    Ok(CorrectiveAction {
        id,
        response_id: source.id,
        question_id: question_id.to_owned(),
        location_id: source.location_id.clone(),
        assignee: assignee.to_owned(),
        due,
        status: ActionStatus::Open,
        note: note.trim().to_owned(),
        created_at: now,
        updated_at: now,
    })
}

/// `action` with what the edit form holds, by [`from_form`]'s rules; its
/// item, status and creation stay. `None` when nothing changed, so an
/// unchanged save stamps nothing and does not travel.
pub fn edited(
    action: &CorrectiveAction,
    assignee: &str,
    due: &str,
    note: &str,
    now: Timestamp,
) -> Result<Option<CorrectiveAction>, FormError> {
    let (assignee, due) = typed(assignee, due)?;
    let note = note.trim();
    if assignee == action.assignee && due == action.due && note == action.note {
        return Ok(None);
    }
    Ok(Some(CorrectiveAction {
        assignee: assignee.to_owned(),
        due,
        note: note.to_owned(),
        updated_at: now,
        ..action.clone()
    }))
}

/// An action in one line, as its item and the visit report list it: "text ·
/// assignee, Due date 15 Jan 2020 · Open".
pub fn summary(a: &CorrectiveAction, lang: Lang) -> String {
    let text = if a.note.is_empty() {
        Msg::ActionNoNote.text(lang)
    } else {
        a.note.as_str()
    };
    let due = a
        .due
        .map(|d| format!(", {} {}", Msg::ActionDue.text(lang), d.display(lang)))
        .unwrap_or_default();
    format!(
        "{text} · {}{due} · {}",
        a.assignee,
        a.status.label().text(lang)
    )
}

/// Takes the one next step, stamping the change; `false` once verified.
pub fn advance(a: &mut CorrectiveAction, now: Timestamp) -> bool {
    match a.status.next() {
        Some(s) => {
            a.status = s;
            a.updated_at = now;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AnswerValue, DAY_MS};
    use crate::templates;
    use uuid::Uuid;

    fn day(s: &str) -> LocalDate {
        LocalDate::parse(s).unwrap()
    }

    fn action(status: ActionStatus, due: Option<&str>) -> CorrectiveAction {
        CorrectiveAction {
            id: Uuid::new_v4(),
            response_id: Uuid::nil(),
            question_id: "q-greeting".into(),
            location_id: "loc-a".into(),
            assignee: "Anna".into(),
            due: due.map(day),
            status,
            note: String::new(),
            created_at: Timestamp::new(0, 0),
            updated_at: Timestamp::new(0, 0),
        }
    }

    #[test]
    fn an_edit_changes_what_was_typed_and_keeps_the_rest() {
        let mut a = action(ActionStatus::Done, Some("2026-03-01"));
        a.note = "Поговорить".into();
        let now = Timestamp::new(5_000, 180);
        assert_eq!(
            edited(&a, " Anna ", "2026-03-01", "Поговорить ", now),
            Ok(None)
        );
        let b = edited(&a, "Boris", "2026-03-05", " Поговорить и проверить ", now)
            .unwrap()
            .unwrap();
        assert_eq!(
            (b.assignee.as_str(), b.note.as_str()),
            ("Boris", "Поговорить и проверить")
        );
        assert_eq!(b.due, Some(day("2026-03-05")));
        assert_eq!(
            (b.id, b.status, b.created_at),
            (a.id, a.status, a.created_at)
        );
        assert_eq!(b.updated_at, now);
        assert_eq!(edited(&a, "Anna", "", "x", now).unwrap().unwrap().due, None);
        assert_eq!(edited(&a, " ", "", "", now), Err(FormError::NoAssignee));
        assert_eq!(
            edited(&a, "Anna", "05.03.2026", "", now),
            Err(FormError::BadDue)
        );
    }

    #[test]
    fn statuses_step_forward_only() {
        assert_eq!(ActionStatus::Open.next(), Some(ActionStatus::Done));
        assert_eq!(ActionStatus::Done.next(), Some(ActionStatus::Verified));
        assert_eq!(ActionStatus::Verified.next(), None);
    }

    #[test]
    fn overdue_means_open_past_its_day() {
        let today = day("2026-03-10");
        let late = action(ActionStatus::Open, Some("2026-03-01"));
        let later = action(ActionStatus::Open, Some("2026-03-09"));
        let due_today = action(ActionStatus::Open, Some("2026-03-10"));
        let done = action(ActionStatus::Done, Some("2026-03-01"));
        let undated = action(ActionStatus::Open, None);
        let all = [later.clone(), done, due_today, undated, late.clone()];
        let ids: Vec<Uuid> = overdue(&all, today).iter().map(|a| a.id).collect();
        assert_eq!(ids, [late.id, later.id]);
    }

    fn visit(day: i64, loc: &str, greeting: AnswerValue) -> Response {
        let at = Timestamp::new(1_767_225_600_000 + day * DAY_MS, 0);
        let mut r = Response::new_draft(Uuid::new_v4(), "tpl-retail-quick", 1, loc, "dev", at);
        r.set_answer("q-greeting", greeting, at);
        assert!(r.submit(at));
        r
    }

    #[test]
    fn the_next_audit_of_the_location_decides() {
        let q = templates::find("tpl-retail-quick", 1).unwrap();
        let source = visit(0, "loc-a", AnswerValue::No);
        let mut a = action(ActionStatus::Done, None);
        a.response_id = source.id;
        let version = |_: &Response| Some(&q);
        // Another location, N/A, and an earlier visit do not count.
        let elsewhere = visit(2, "loc-b", AnswerValue::Yes);
        let na = visit(3, "loc-a", AnswerValue::Na);
        let before = visit(-5, "loc-a", AnswerValue::Yes);
        let pool = vec![source.clone(), elsewhere, na, before];
        assert_eq!(
            follow_up(&a, &source, &pool, version),
            FollowUp::NotYetChecked
        );
        // The first later audit that answered the item decides, not the last.
        let fails = visit(4, "loc-a", AnswerValue::No);
        let passes = visit(9, "loc-a", AnswerValue::Yes);
        let pool2 = [pool, vec![passes.clone(), fails.clone()]].concat();
        assert_eq!(
            follow_up(&a, &source, &pool2, version),
            FollowUp::StillFails {
                response_id: fails.id
            }
        );
        let pool3: Vec<Response> = pool2.into_iter().filter(|r| r.id != fails.id).collect();
        assert_eq!(
            follow_up(&a, &source, &pool3, version),
            FollowUp::Passes {
                response_id: passes.id
            }
        );
    }

    #[test]
    fn the_form_is_checked_before_anything_is_made() {
        let source = visit(0, "loc-a", AnswerValue::No);
        let now = Timestamp::new(5, 0);
        let id = Uuid::new_v4();
        let make =
            |who: &str, due: &str| from_form(id, &source, "q-greeting", who, due, " wipe ", now);
        assert_eq!(make("  ", "2026-03-01"), Err(FormError::NoAssignee));
        assert_eq!(make("Anna", "2026-02-30"), Err(FormError::BadDue));
        let a = make(" Anna ", "").unwrap();
        assert_eq!(
            (a.assignee.as_str(), a.due, a.note.as_str()),
            ("Anna", None, "wipe")
        );
        let mut a = make("Anna", "2026-03-01").unwrap();
        assert_eq!(
            (a.status, a.location_id.as_str()),
            (ActionStatus::Open, "loc-a")
        );
        assert_eq!(
            (a.response_id, a.due),
            (source.id, LocalDate::new(2026, 3, 1))
        );
        let later = Timestamp::new(9, 0);
        assert!(advance(&mut a, later));
        assert_eq!((a.status, a.updated_at), (ActionStatus::Done, later));
        assert!(advance(&mut a, later));
        assert_eq!(a.status, ActionStatus::Verified);
        assert!(!advance(&mut a, Timestamp::new(20, 0)));
        assert_eq!(a.updated_at, later);
    }
}
