//! One filled questionnaire: a mystery shopper's visit, a customer's survey,
//! a complaint. The record is the source of truth; scores are derived from
//! it on demand and never stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseStatus {
    #[default]
    Draft,
    Submitted,
    Exported,
}

/// A given answer. Tagged so an export reads `{"t":"yes"}` or
/// `{"t":"scale","v":4}` and stays readable outside the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum AnswerValue {
    Yes,
    No,
    /// "Not applicable": the item leaves the score's denominator.
    Na,
    Scale(u8),
    Number(f64),
    Text(String),
    /// Ids of the chosen options (one for single choice).
    Choice(Vec<String>),
}

/// One change an input makes to a response's answer to one question. Both
/// front ends (the Leptos form and the lean survey page) turn what a control
/// holds into an `Edit` by the constructors below and apply it with
/// [`Response::apply`], so an emptied field, a half-typed number or an
/// unticked last box mean the same on either.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Answer(AnswerValue),
    /// The field was emptied: the question is unanswered again.
    Clear,
    Comment(String),
}

impl Edit {
    /// A text field's content: blank means unanswered.
    pub fn text(raw: String) -> Edit {
        if raw.trim().is_empty() {
            Edit::Clear
        } else {
            Edit::Answer(AnswerValue::Text(raw))
        }
    }

    /// A number field: `parsed` is the front end's reading of `raw` (each
    /// reads it its own way). `None` while the field holds a half-typed
    /// number ("1e"), which waits for the next keystroke.
    pub fn number(parsed: Option<f64>, raw: &str) -> Option<Edit> {
        match parsed {
            Some(n) if n.is_finite() => Some(Edit::Answer(AnswerValue::Number(n))),
            _ if raw.trim().is_empty() => Some(Edit::Clear),
            _ => None,
        }
    }

    /// A set of chosen ids (ticked options, photos): none means unanswered.
    pub fn chosen(ids: Vec<String>) -> Edit {
        if ids.is_empty() {
            Edit::Clear
        } else {
            Edit::Answer(AnswerValue::Choice(ids))
        }
    }

    /// A select's value: its empty first option means unanswered.
    pub fn picked(id: String) -> Edit {
        if id.is_empty() {
            Edit::Clear
        } else {
            Edit::Answer(AnswerValue::Choice(vec![id]))
        }
    }

    /// A multiple choice after `option`'s box was ticked (`on`) or unticked,
    /// given the question's `current` answer. A newly ticked option goes
    /// last, so the answer lists the options in the order they were ticked.
    pub fn toggled(current: Option<&AnswerValue>, option: &str, on: bool) -> Edit {
        let mut ids = match current {
            Some(AnswerValue::Choice(ids)) => ids.clone(),
            _ => Vec::new(),
        };
        ids.retain(|x| x != option);
        if on {
            ids.push(option.to_owned());
        }
        Edit::chosen(ids)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub value: AnswerValue,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    pub answered_at: Timestamp,
}

/// The place a device that knows no locations answers for: every fill
/// screen offers it until the manager adds real stores.
pub const DEFAULT_LOCATION_ID: &str = "loc-main";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: Uuid,
    pub questionnaire_id: String,
    pub questionnaire_version: u32,
    #[serde(default)]
    pub location_id: String,
    #[serde(default)]
    pub employee_ids: Vec<String>,
    pub device_id: String,
    pub started_at: Timestamp,
    /// Last change: merges keep the newer of two copies of a record.
    pub updated_at: Timestamp,
    #[serde(default)]
    pub submitted_at: Option<Timestamp>,
    #[serde(default)]
    pub status: ResponseStatus,
    /// Keyed by the question's stable id.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// When the visit (the incident, the shift) took place, as entered;
    /// `None` means when the form was started. Shoppers often fill in a
    /// checklist after leaving the shop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visited_at: Option<Timestamp>,
    /// The employee in words, when they are not in the list ("tall man at
    /// the second till").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub employee_note: String,
    /// The submitted response this one corrects. The original is never
    /// changed: once this copy is submitted, KPIs and lists read the copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Uuid>,
}

impl Response {
    pub fn new_draft(
        id: Uuid,
        questionnaire_id: &str,
        questionnaire_version: u32,
        location_id: &str,
        device_id: &str,
        now: Timestamp,
    ) -> Self {
        Response {
            id,
            questionnaire_id: questionnaire_id.to_owned(),
            questionnaire_version,
            location_id: location_id.to_owned(),
            employee_ids: Vec::new(),
            device_id: device_id.to_owned(),
            started_at: now,
            updated_at: now,
            submitted_at: None,
            status: ResponseStatus::Draft,
            answers: BTreeMap::new(),
            visited_at: None,
            employee_note: String::new(),
            supersedes: None,
        }
    }

    /// When what the response describes happened: the entered visit time,
    /// else when it was submitted (a survey is answered in a minute), else
    /// when the form was started. KPIs and trends are dated by this.
    pub fn occurred_at(&self) -> Timestamp {
        self.visited_at
            .or(self.submitted_at)
            .unwrap_or(self.started_at)
    }

    /// A corrected copy of a submitted response: a draft with the same
    /// answers, header and visit time, naming the original it supersedes.
    /// Photos are copied by the caller (they live in their own store).
    /// `None` for a draft, which is simply edited.
    /// Whether this response may replace `original` as its correction: the
    /// same questionnaire, written on the device that wrote the original
    /// (`amend` keeps both true). Anything else naming a visit in
    /// `supersedes` is not a correction of it.
    pub fn may_supersede(&self, original: &Response) -> bool {
        self.id != original.id
            && self.questionnaire_id == original.questionnaire_id
            && !self.device_id.is_empty()
            && self.device_id == original.device_id
    }

    pub fn amend(&self, id: Uuid, device_id: &str, now: Timestamp) -> Option<Response> {
        if self.is_draft() {
            return None;
        }
        Some(Response {
            id,
            device_id: device_id.to_owned(),
            started_at: now,
            updated_at: now,
            submitted_at: None,
            status: ResponseStatus::Draft,
            visited_at: Some(self.occurred_at()),
            supersedes: Some(self.id),
            ..self.clone()
        })
    }

    pub fn is_draft(&self) -> bool {
        self.status == ResponseStatus::Draft
    }

    /// Applies an input's edit to the answer to `question_id`; true if the
    /// response changed (a submitted response never does).
    pub fn apply(&mut self, question_id: &str, edit: Edit, now: Timestamp) -> bool {
        match edit {
            Edit::Answer(v) => self.set_answer(question_id, v, now),
            Edit::Clear => self.clear_answer(question_id, now),
            Edit::Comment(c) => self.set_comment(question_id, &c, now),
        }
    }

    /// Records an answer; submitted responses are read-only, so this returns
    /// false and changes nothing for them.
    pub fn set_answer(&mut self, question_id: &str, value: AnswerValue, now: Timestamp) -> bool {
        if !self.is_draft() {
            return false;
        }
        let comment = self
            .answers
            .get(question_id)
            .map(|a| a.comment.clone())
            .unwrap_or_default();
        self.answers.insert(
            question_id.to_owned(),
            Answer {
                value,
                comment,
                answered_at: now,
            },
        );
        self.updated_at = now;
        true
    }

    /// Removes an answer (an emptied text field); read-only once submitted.
    pub fn clear_answer(&mut self, question_id: &str, now: Timestamp) -> bool {
        if !self.is_draft() || self.answers.remove(question_id).is_none() {
            return false;
        }
        self.updated_at = now;
        true
    }

    /// Notes on an answered item; an unanswered item has nowhere to keep one.
    pub fn set_comment(&mut self, question_id: &str, comment: &str, now: Timestamp) -> bool {
        if !self.is_draft() {
            return false;
        }
        match self.answers.get_mut(question_id) {
            Some(a) if a.comment != comment => {
                a.comment = comment.to_owned();
                self.updated_at = now;
                true
            }
            _ => false,
        }
    }

    pub fn set_location(&mut self, location_id: &str, now: Timestamp) -> bool {
        if !self.is_draft() {
            return false;
        }
        self.location_id = location_id.to_owned();
        self.updated_at = now;
        true
    }

    pub fn set_visited_at(&mut self, at: Option<Timestamp>, now: Timestamp) -> bool {
        if !self.is_draft() || self.visited_at == at {
            return false;
        }
        self.visited_at = at;
        self.updated_at = now;
        true
    }

    /// The employee observed: one picked from the list, or none and a
    /// description.
    pub fn set_employee(&mut self, employee_id: Option<&str>, note: &str, now: Timestamp) -> bool {
        let ids: Vec<String> = employee_id
            .filter(|id| !id.is_empty())
            .map(|id| vec![id.to_owned()])
            .unwrap_or_default();
        if !self.is_draft() || (self.employee_ids == ids && self.employee_note == note) {
            return false;
        }
        self.employee_ids = ids;
        self.employee_note = note.to_owned();
        self.updated_at = now;
        true
    }

    /// Marks a submitted response as sent in an export file. Exporting
    /// again later is allowed and changes nothing further.
    pub fn mark_exported(&mut self, now: Timestamp) -> bool {
        if self.status != ResponseStatus::Submitted {
            return false;
        }
        self.status = ResponseStatus::Exported;
        self.updated_at = now;
        true
    }

    pub fn submit(&mut self, now: Timestamp) -> bool {
        if !self.is_draft() {
            return false;
        }
        self.status = ResponseStatus::Submitted;
        self.submitted_at = Some(now);
        self.updated_at = now;
        true
    }
}

/// Responses a submitted (or exported) correction replaces. A draft
/// correction replaces nothing yet: until it is submitted the original
/// still counts. A correction replaces only what it may
/// ([`Response::may_supersede`]): a response naming someone else's visit
/// in `supersedes` drops nothing.
pub fn superseded<'a>(responses: impl IntoIterator<Item = &'a Response>) -> HashSet<Uuid> {
    let responses: Vec<&Response> = responses.into_iter().collect();
    let by_id: HashMap<Uuid, &Response> = responses.iter().map(|r| (r.id, *r)).collect();
    responses
        .iter()
        .filter(|r| !r.is_draft())
        .filter_map(|r| {
            let original = by_id.get(&r.supersedes?)?;
            r.may_supersede(original).then_some(original.id)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Response {
        Response::new_draft(
            Uuid::nil(),
            "q",
            1,
            "loc",
            "dev",
            Timestamp::new(1_000, 180),
        )
    }

    #[test]
    fn answers_serialise_as_tagged_json() {
        let mut r = draft();
        r.set_answer("a", AnswerValue::Yes, Timestamp::new(2_000, 180));
        r.set_answer("b", AnswerValue::Scale(4), Timestamp::new(3_000, 180));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["answers"]["a"]["value"],
            serde_json::json!({"t": "yes"})
        );
        assert_eq!(
            json["answers"]["b"]["value"],
            serde_json::json!({"t": "scale", "v": 4})
        );
        let back: Response = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn submitted_response_is_read_only() {
        let mut r = draft();
        assert!(r.set_answer("a", AnswerValue::No, Timestamp::new(2_000, 0)));
        assert!(r.submit(Timestamp::new(3_000, 0)));
        assert!(!r.set_answer("a", AnswerValue::Yes, Timestamp::new(4_000, 0)));
        assert!(!r.submit(Timestamp::new(5_000, 0)));
        assert_eq!(r.answers["a"].value, AnswerValue::No);
        assert_eq!(r.submitted_at, Some(Timestamp::new(3_000, 0)));
        assert_eq!(r.updated_at, Timestamp::new(3_000, 0));
    }

    #[test]
    fn only_submitted_responses_become_exported() {
        let mut r = draft();
        assert!(!r.mark_exported(Timestamp::new(2_000, 0)));
        r.submit(Timestamp::new(3_000, 0));
        assert!(r.mark_exported(Timestamp::new(4_000, 0)));
        assert_eq!(r.status, ResponseStatus::Exported);
        assert_eq!(r.updated_at, Timestamp::new(4_000, 0));
        assert!(!r.mark_exported(Timestamp::new(5_000, 0)));
        assert_eq!(r.updated_at, Timestamp::new(4_000, 0));
    }

    #[test]
    fn clearing_and_commenting() {
        let mut r = draft();
        assert!(!r.set_comment("a", "no answer yet", Timestamp::new(2_000, 0)));
        r.set_answer(
            "a",
            AnswerValue::Text("hello".into()),
            Timestamp::new(2_000, 0),
        );
        assert!(r.set_comment("a", "checked twice", Timestamp::new(3_000, 0)));
        assert!(!r.set_comment("a", "checked twice", Timestamp::new(4_000, 0)));
        assert_eq!(r.updated_at, Timestamp::new(3_000, 0));
        assert!(r.clear_answer("a", Timestamp::new(5_000, 0)));
        assert!(!r.clear_answer("a", Timestamp::new(6_000, 0)));
        assert!(r.answers.is_empty());
        r.submit(Timestamp::new(7_000, 0));
        r.answers.insert(
            "b".into(),
            Answer {
                value: AnswerValue::Yes,
                comment: String::new(),
                answered_at: Timestamp::new(0, 0),
            },
        );
        assert!(!r.clear_answer("b", Timestamp::new(8_000, 0)));
        assert!(!r.set_comment("b", "late", Timestamp::new(8_000, 0)));
    }

    #[test]
    fn changing_an_answer_keeps_its_comment() {
        let mut r = draft();
        r.set_answer("a", AnswerValue::No, Timestamp::new(2_000, 0));
        r.answers.get_mut("a").unwrap().comment = "dusty shelf".into();
        r.set_answer("a", AnswerValue::Yes, Timestamp::new(3_000, 0));
        assert_eq!(r.answers["a"].comment, "dusty shelf");
        assert_eq!(r.answers["a"].value, AnswerValue::Yes);
    }

    #[test]
    fn amending_copies_a_submitted_response_and_keeps_the_original() {
        let mut original = draft();
        original.set_answer("a", AnswerValue::No, Timestamp::new(2_000, 0));
        original.set_employee(Some("emp-1"), "", Timestamp::new(2_500, 0));
        assert!(original
            .amend(Uuid::from_u128(2), "dev-2", Timestamp::new(2_600, 0))
            .is_none());
        original.submit(Timestamp::new(3_000, 0));
        let before = original.clone();

        // Corrected on the device that made it (`may_supersede`).
        let mut copy = original
            .amend(Uuid::from_u128(2), "dev", Timestamp::new(9_000, 60))
            .unwrap();
        assert_eq!(original, before);
        assert_eq!(copy.supersedes, Some(original.id));
        assert!(copy.is_draft());
        assert_eq!(copy.answers, original.answers);
        assert_eq!(copy.employee_ids, vec!["emp-1".to_owned()]);
        assert_eq!(copy.occurred_at(), original.occurred_at());
        assert_eq!(copy.device_id, "dev");

        // Until the copy is submitted the original still counts.
        assert!(superseded([&original, &copy]).is_empty());
        assert!(copy.set_answer("a", AnswerValue::Yes, Timestamp::new(9_500, 60)));
        copy.submit(Timestamp::new(9_600, 60));
        assert_eq!(superseded([&original, &copy]), HashSet::from([original.id]));
        assert_eq!(original.answers["a"].value, AnswerValue::No);
        // A copy made on another device replaces nothing.
        let mut elsewhere = original
            .amend(Uuid::from_u128(3), "dev-2", Timestamp::new(9_000, 60))
            .unwrap();
        elsewhere.submit(Timestamp::new(9_600, 60));
        assert!(superseded([&original, &elsewhere]).is_empty());
    }

    #[test]
    fn header_fields_are_read_only_once_submitted() {
        let mut r = draft();
        let at = Some(Timestamp::new(500, 180));
        assert!(r.set_visited_at(at, Timestamp::new(2_000, 0)));
        assert!(!r.set_visited_at(at, Timestamp::new(2_100, 0)));
        assert_eq!(r.occurred_at(), Timestamp::new(500, 180));
        assert!(r.set_employee(None, "tall man, second till", Timestamp::new(3_000, 0)));
        assert!(r.employee_ids.is_empty());
        assert!(r.set_employee(Some("emp-1"), "", Timestamp::new(4_000, 0)));
        assert_eq!(r.employee_ids, vec!["emp-1".to_owned()]);
        assert_eq!(r.updated_at, Timestamp::new(4_000, 0));
        r.submit(Timestamp::new(5_000, 0));
        assert!(!r.set_visited_at(None, Timestamp::new(6_000, 0)));
        assert!(!r.set_employee(None, "x", Timestamp::new(6_000, 0)));
        assert!(!r.set_location("elsewhere", Timestamp::new(6_000, 0)));
    }

    #[test]
    fn old_records_without_the_new_fields_still_read_and_write_the_same() {
        let r = draft();
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("visited_at") && !json.contains("supersedes"));
        assert!(!json.contains("employee_note"));
        let back: Response = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn each_edit_kind_applies_to_its_question() {
        let mut r = draft();
        let t = Timestamp::new(2_000, 0);
        assert!(r.apply("a", Edit::Answer(AnswerValue::Scale(3)), t));
        assert_eq!(r.answers["a"].value, AnswerValue::Scale(3));
        assert_eq!(r.answers["a"].answered_at, t);
        assert!(r.apply(
            "a",
            Edit::Comment("slow till".into()),
            Timestamp::new(3_000, 0)
        ));
        assert_eq!(r.answers["a"].comment, "slow till");
        // The same comment again changes nothing.
        assert!(!r.apply(
            "a",
            Edit::Comment("slow till".into()),
            Timestamp::new(4_000, 0)
        ));
        assert_eq!(r.updated_at, Timestamp::new(3_000, 0));
        // A comment needs an answer to sit on.
        assert!(!r.apply(
            "b",
            Edit::Comment("orphan".into()),
            Timestamp::new(4_000, 0)
        ));
        assert!(!r.answers.contains_key("b"));
        assert!(r.apply("a", Edit::Clear, Timestamp::new(5_000, 0)));
        assert!(r.answers.is_empty());
        assert!(!r.apply("a", Edit::Clear, Timestamp::new(6_000, 0)));
        assert_eq!(r.updated_at, Timestamp::new(5_000, 0));
    }

    #[test]
    fn a_submitted_response_refuses_every_edit() {
        let mut r = draft();
        r.apply(
            "a",
            Edit::Answer(AnswerValue::Yes),
            Timestamp::new(2_000, 0),
        );
        r.submit(Timestamp::new(3_000, 0));
        let before = r.clone();
        for e in [
            Edit::Answer(AnswerValue::No),
            Edit::Answer(AnswerValue::Yes),
            Edit::Comment("late note".into()),
            Edit::Clear,
        ] {
            assert!(!r.apply("a", e.clone(), Timestamp::new(4_000, 0)), "{e:?}");
            assert!(!r.apply("b", e, Timestamp::new(4_000, 0)));
        }
        assert_eq!(r, before);
    }

    #[test]
    fn inputs_become_edits() {
        assert_eq!(Edit::text("  ".into()), Edit::Clear);
        assert_eq!(
            Edit::text(" hi ".into()),
            Edit::Answer(AnswerValue::Text(" hi ".into()))
        );
        assert_eq!(
            Edit::number(Some(2.5), "2.5"),
            Some(Edit::Answer(AnswerValue::Number(2.5)))
        );
        assert_eq!(Edit::number(None, " "), Some(Edit::Clear));
        assert_eq!(Edit::number(Some(f64::NAN), ""), Some(Edit::Clear));
        assert_eq!(Edit::number(None, "1e"), None);
        assert_eq!(Edit::number(Some(f64::INFINITY), "1e999"), None);
        assert_eq!(Edit::picked(String::new()), Edit::Clear);
        assert_eq!(
            Edit::picked("loc-2".into()),
            Edit::Answer(AnswerValue::Choice(vec!["loc-2".into()]))
        );
        assert_eq!(Edit::chosen(Vec::new()), Edit::Clear);
    }

    #[test]
    fn ticking_and_unticking_options() {
        let choice =
            |ids: &[&str]| AnswerValue::Choice(ids.iter().map(|s| s.to_string()).collect());
        assert_eq!(Edit::toggled(None, "a", true), Edit::Answer(choice(&["a"])));
        // Another kind of answer held under the id is replaced, not merged.
        assert_eq!(
            Edit::toggled(Some(&AnswerValue::Yes), "a", true),
            Edit::Answer(choice(&["a"]))
        );
        let ab = choice(&["a", "b"]);
        assert_eq!(
            Edit::toggled(Some(&ab), "c", true),
            Edit::Answer(choice(&["a", "b", "c"]))
        );
        assert_eq!(
            Edit::toggled(Some(&ab), "a", true),
            Edit::Answer(choice(&["b", "a"]))
        );
        assert_eq!(
            Edit::toggled(Some(&ab), "a", false),
            Edit::Answer(choice(&["b"]))
        );
        assert_eq!(
            Edit::toggled(Some(&choice(&["b"])), "b", false),
            Edit::Clear
        );
        assert_eq!(Edit::toggled(None, "b", false), Edit::Clear);
    }
}
