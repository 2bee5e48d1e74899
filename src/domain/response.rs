//! One filled questionnaire: a mystery shopper's visit, a customer's survey,
//! a complaint. The record is the source of truth; scores are derived from
//! it on demand and never stored.

use std::collections::BTreeMap;

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub value: AnswerValue,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    pub answered_at: Timestamp,
}

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
        }
    }

    pub fn is_draft(&self) -> bool {
        self.status == ResponseStatus::Draft
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
}
