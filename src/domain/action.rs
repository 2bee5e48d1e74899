//! Corrective actions (PRODUCT.md §2): created from a failed audit item,
//! assigned to someone, due on a day, and closed in two steps so the person
//! who fixed it is not the one who confirms it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::calendar::LocalDate;
use super::timestamp::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
    Verified,
}

impl ActionStatus {
    /// The one step an action can take from here: open → done → verified.
    /// The dashboard's buttons and an import's check (`exchange::trust`)
    /// both follow it.
    pub fn next(self) -> Option<ActionStatus> {
        match self {
            ActionStatus::Open => Some(ActionStatus::Done),
            ActionStatus::Done => Some(ActionStatus::Verified),
            ActionStatus::Verified => None,
        }
    }

    /// The status in words.
    pub fn label(self) -> crate::i18n::Msg {
        use crate::i18n::Msg;
        match self {
            ActionStatus::Open => Msg::ActionOpen,
            ActionStatus::Done => Msg::ActionDone,
            ActionStatus::Verified => Msg::ActionVerified,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectiveAction {
    /// Created on the device, like a response's id.
    pub id: Uuid,
    /// The audit and the failed item it came from.
    pub response_id: Uuid,
    pub question_id: String,
    #[serde(default)]
    pub location_id: String,
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub due: Option<LocalDate>,
    #[serde(default)]
    pub status: ActionStatus,
    #[serde(default)]
    pub note: String,
    pub created_at: Timestamp,
    /// Last change: merges keep the newer of two copies.
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_round_trips_with_defaults() {
        let json = r#"{"id":"7d0c5a57-2f4e-4b4a-9a0b-3f1f6a3c2b10",
            "response_id":"00000000-0000-0000-0000-000000000001",
            "question_id":"q-greet","due":"2026-03-10",
            "created_at":"2026-03-01T10:00:00+03:00","updated_at":"2026-03-01T10:00:00+03:00"}"#;
        let a: CorrectiveAction = serde_json::from_str(json).unwrap();
        assert_eq!(a.status, ActionStatus::Open);
        assert_eq!(a.due, LocalDate::new(2026, 3, 10));
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["due"], "2026-03-10");
        assert_eq!(v["status"], "open");
        assert_eq!(serde_json::from_value::<CorrectiveAction>(v).unwrap(), a);
        let bad = json.replace("2026-03-10", "2026-02-30");
        assert!(serde_json::from_str::<CorrectiveAction>(&bad).is_err());
    }
}
